"""The floor: the least a WSGI app can do to answer three of the API's reads.

No framework: psycopg2, the same SQL the API runs, `json.dumps`. It answers
`/api/tickets/<id>/`, the first keyset page of `page_size` tickets, and that
page filtered by category, priority and status with the API's JSON, the same
columns, keys and `next` link (the bench checks that both bodies are equal), so
that the bench can serve it under the same gunicorn settings and measure how
much of each request is the API's own work.
It is not a second API: no validation beyond what these reads need, nothing else.

    gunicorn -c gunicorn.conf.py --chdir backend bench.floor:application
"""

import base64
import json
import os
import re
import threading
from urllib.parse import parse_qsl, urlencode

import psycopg2

COLUMNS = "id, title, description, category, priority, status, created_at, assignee_id, updated_at"
ORDER = "ORDER BY created_at DESC, id DESC"
FILTERS = ("category", "priority", "status")
RETRIEVE = re.compile(r"^/api/tickets/(\d+)/$")

_local = threading.local()


def _cursor():
    conn = getattr(_local, "conn", None)
    if conn is None or conn.closed:
        conn = psycopg2.connect(os.environ["DATABASE_URL"])
        conn.autocommit = True
        _local.conn = conn
    return conn.cursor()


def _time(value) -> str:
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _ticket(row) -> dict:
    return {
        "id": row[0],
        "title": row[1],
        "description": row[2],
        "category": row[3],
        "priority": row[4],
        "status": row[5],
        "created_at": _time(row[6]),
        "assignee": row[7],
        "updated_at": _time(row[8]),
    }


def _answer(start_response, status: str, body: dict):
    payload = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))])
    return [payload]


def application(environ, start_response):
    path = environ.get("PATH_INFO", "")
    match = RETRIEVE.match(path)
    with _cursor() as cur:
        if match:
            cur.execute(f"SELECT {COLUMNS} FROM tickets_ticket WHERE id = %s", [int(match.group(1))])
            row = cur.fetchone()
            if row is None:
                return _answer(start_response, "404 Not Found", {"detail": "Not found."})
            return _answer(start_response, "200 OK", _ticket(row))
        if path != "/api/tickets/":
            return _answer(start_response, "404 Not Found", {"detail": "Not found."})
        query = dict(parse_qsl(environ.get("QUERY_STRING", "")))
        size = min(int(query.get("page_size") or 50), 200)
        wanted = [(name, query[name]) for name in FILTERS if query.get(name)]
        where = ("WHERE " + " AND ".join(f"{name} = %s" for name, _ in wanted) + " ") if wanted else ""
        cur.execute(
            f"SELECT {COLUMNS} FROM tickets_ticket {where}{ORDER} LIMIT %s",
            [value for _, value in wanted] + [size + 1],
        )
        rows = cur.fetchall()
    more = len(rows) > size
    rows = rows[:size]
    link = None
    if more:
        last = rows[-1]
        position = {"o": "-created_at", "k": [last[6].isoformat(), last[0]], "r": False}
        token = json.dumps(position, separators=(",", ":"))
        cursor = base64.urlsafe_b64encode(token.encode()).decode().rstrip("=")
        host = environ.get("HTTP_HOST", "localhost")
        link = f"http://{host}{path}?{urlencode(sorted({**query, 'cursor': cursor}.items()))}"
    return _answer(
        start_response, "200 OK", {"next": link, "previous": None, "results": [_ticket(r) for r in rows]}
    )
