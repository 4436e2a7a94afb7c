"""A catalogue of hostile inputs, one row each: every one gets the 4xx the schema
documents for its operation, and the tickets table is byte for byte unchanged."""

import base64
import hashlib
import json

import pytest

from tickets.models import Ticket

from .factories import make_ticket

pytestmark = pytest.mark.django_db

VALID = {
    "title": "Cannot log in",
    "description": "The login page says error 500",
    "category": "account",
    "priority": "high",
}
JSON = "application/json"
LIST, CLASSIFY, STATS = "/api/tickets/", "/api/tickets/classify/", "/api/tickets/stats/"
TICKET = "/api/tickets/{id}/"  # {id} is replaced by a real ticket's id


def body(**changes):
    return json.dumps({**VALID, **changes})


def nested(depth):
    return "[" * depth + "]" * depth


def cursor(payload):
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


# name, method, path, query, raw body, content type, expected status
CATALOGUE = [
    # Bodies that are not a JSON object.
    ("create: empty body", "POST", LIST, "", "", JSON, 400),
    ("create: JSON array", "POST", LIST, "", "[1, 2, 3]", JSON, 400),
    ("create: JSON string", "POST", LIST, "", '"a ticket"', JSON, 400),
    ("create: JSON null", "POST", LIST, "", "null", JSON, 400),
    ("create: JSON number", "POST", LIST, "", "42", JSON, 400),
    ("create: truncated JSON", "POST", LIST, "", '{"title": "unterminated', JSON, 400),
    ("create: invalid UTF-8", "POST", LIST, "", b'{"title": "\xff\xfe"}', JSON, 400),
    ("create: JSON nested 100000 deep", "POST", LIST, "", nested(100_000), JSON, 400),
    (
        "create: form-encoded body",
        "POST",
        LIST,
        "",
        "title=x&description=y",
        "application/x-www-form-urlencoded",
        415,
    ),
    ("create: plain text body", "POST", LIST, "", body(), "text/plain", 415),
    (
        "create: multipart body",
        "POST",
        LIST,
        "",
        "--b\r\n\r\nx\r\n--b--",
        "multipart/form-data; boundary=b",
        415,
    ),
    # Wrong types.
    ("create: title is a number", "POST", LIST, "", body(title=42), JSON, 400),
    ("create: title is a float", "POST", LIST, "", body(title=4.2), JSON, 400),
    ("create: title is a boolean", "POST", LIST, "", body(title=True), JSON, 400),
    ("create: title is a list", "POST", LIST, "", body(title=["a"]), JSON, 400),
    ("create: title is an object", "POST", LIST, "", body(title={"a": 1}), JSON, 400),
    ("create: title is null", "POST", LIST, "", body(title=None), JSON, 400),
    ("create: title is NaN", "POST", LIST, "", body().replace('"Cannot log in"', "NaN"), JSON, 400),
    (
        "create: description is a huge number",
        "POST",
        LIST,
        "",
        body().replace('"The login page says error 500"', "1e999"),
        JSON,
        400,
    ),
    # Empty, long and control-character strings.
    ("create: title of 201 characters", "POST", LIST, "", body(title="x" * 201), JSON, 400),
    ("create: title only whitespace", "POST", LIST, "", body(title=" \t\n "), JSON, 400),
    ("create: title only control separators", "POST", LIST, "", body(title="\x1c\x1d\x1e\x1f"), JSON, 400),
    ("create: title with a NUL byte", "POST", LIST, "", body(title="bad\x00title"), JSON, 400),
    ("create: description with a NUL byte", "POST", LIST, "", body(description="\x00"), JSON, 400),
    ("create: description empty", "POST", LIST, "", body(description=""), JSON, 400),
    ("create: every field missing", "POST", LIST, "", "{}", JSON, 400),
    # Invalid choices, unknown and read-only fields.
    ("create: unknown category", "POST", LIST, "", body(category="refunds"), JSON, 400),
    ("create: category in capitals", "POST", LIST, "", body(category="Billing"), JSON, 400),
    ("create: priority as a list", "POST", LIST, "", body(priority=["high"]), JSON, 400),
    ("create: priority as a number", "POST", LIST, "", body(priority=1), JSON, 400),
    ("create: unknown status", "POST", LIST, "", body(status="done"), JSON, 400),
    ("create: unknown field", "POST", LIST, "", body(assignee="bob"), JSON, 400),
    ("create: read-only id", "POST", LIST, "", body(id=1), JSON, 400),
    ("create: read-only created_at", "POST", LIST, "", body(created_at="2001-01-01T00:00:00Z"), JSON, 400),
    ("create: body over the size limit", "POST", LIST, "", body(description="x" * 1_100_000), JSON, 413),
    # Updates.
    (
        "patch: ticket that does not exist",
        "PATCH",
        "/api/tickets/999999999/",
        "",
        '{"status": "closed"}',
        JSON,
        404,
    ),
    ("patch: id that is not a number", "PATCH", "/api/tickets/abc/", "", '{"status": "closed"}', JSON, 404),
    ("patch: negative id", "PATCH", "/api/tickets/-1/", "", '{"status": "closed"}', JSON, 404),
    (
        "patch: id beyond 64 bits",
        "PATCH",
        "/api/tickets/99999999999999999999999/",
        "",
        '{"status": "closed"}',
        JSON,
        404,
    ),
    ("patch: unknown status", "PATCH", TICKET, "", '{"status": "done"}', JSON, 400),
    ("patch: blank title", "PATCH", TICKET, "", '{"title": "   "}', JSON, 400),
    ("patch: title with a NUL byte", "PATCH", TICKET, "", '{"title": "a\\u0000b"}', JSON, 400),
    ("patch: JSON array", "PATCH", TICKET, "", '[{"status": "closed"}]', JSON, 400),
    ("patch: read-only id", "PATCH", TICKET, "", '{"id": 5}', JSON, 400),
    ("patch: read-only created_at", "PATCH", TICKET, "", '{"created_at": "2001-01-01T00:00:00Z"}', JSON, 400),
    ("patch: unknown field", "PATCH", TICKET, "", '{"status": "closed", "owner": "eve"}', JSON, 400),
    ("patch: plain text body", "PATCH", TICKET, "", '{"status": "closed"}', "text/plain", 415),
    (
        "patch: body over the size limit",
        "PATCH",
        TICKET,
        "",
        json.dumps({"description": "x" * 1_100_000}),
        JSON,
        413,
    ),
    ("put: not offered", "PUT", TICKET, "", body(), JSON, 405),
    ("delete: not offered", "DELETE", TICKET, "", "", JSON, 405),
    ("retrieve: id that is not a number", "GET", "/api/tickets/1.5/", "", "", JSON, 404),
    # Query parameters.
    ("list: unknown category", "GET", LIST, "category=refunds", "", JSON, 400),
    ("list: status with a NUL byte", "GET", LIST, "status=open%00", "", JSON, 400),
    ("list: search of 201 characters", "GET", LIST, "search=" + "a" * 201, "", JSON, 400),
    ("list: search with a NUL byte", "GET", LIST, "search=a%00b", "", JSON, 400),
    ("list: limit zero", "GET", LIST, "limit=0", "", JSON, 400),
    ("list: limit negative", "GET", LIST, "limit=-5", "", JSON, 400),
    ("list: limit not a number", "GET", LIST, "limit=ten", "", JSON, 400),
    ("list: limit empty", "GET", LIST, "limit=", "", JSON, 400),
    ("list: offset negative", "GET", LIST, "limit=5&offset=-1", "", JSON, 400),
    ("list: limit with a NUL byte", "GET", LIST, "limit=5%00", "", JSON, 400),
    ("list: page_size not a number", "GET", LIST, "page_size=1e3", "", JSON, 400),
    ("list: page_size ignored by an offset page", "GET", LIST, "limit=5&page_size=abc", "", JSON, 400),
    ("list: cursor not base64", "GET", LIST, "cursor=%%%", "", JSON, 400),
    ("list: cursor of valid base64 but not JSON", "GET", LIST, "cursor=" + cursor("not json"), "", JSON, 400),
    (
        "list: cursor without a time zone",
        "GET",
        LIST,
        "cursor=" + cursor('{"t": "2024-01-01T00:00:00", "i": 1}'),
        "",
        JSON,
        400,
    ),
    (
        "list: cursor with a text id",
        "GET",
        LIST,
        "cursor=" + cursor('{"t": "2024-01-01T00:00:00+00:00", "i": "x"}'),
        "",
        JSON,
        400,
    ),
    ("list: category given twice", "GET", LIST, "category=billing&category=account", "", JSON, 400),
    ("list: limit given twice", "GET", LIST, "limit=5&limit=500", "", JSON, 400),
    # Classify.
    ("classify: empty body", "POST", CLASSIFY, "", "", JSON, 400),
    ("classify: JSON array", "POST", CLASSIFY, "", '["my invoice is wrong"]', JSON, 400),
    ("classify: description is a number", "POST", CLASSIFY, "", '{"description": 42}', JSON, 400),
    ("classify: description blank", "POST", CLASSIFY, "", '{"description": " \\n "}', JSON, 400),
    ("classify: truncated JSON", "POST", CLASSIFY, "", '{"description": ', JSON, 400),
    (
        "classify: JSON nested 100000 deep",
        "POST",
        CLASSIFY,
        "",
        '{"description": ' + nested(100_000) + "}",
        JSON,
        400,
    ),
    (
        "classify: form-encoded body",
        "POST",
        CLASSIFY,
        "",
        "description=x",
        "application/x-www-form-urlencoded",
        415,
    ),
    (
        "classify: body over the size limit",
        "POST",
        CLASSIFY,
        "",
        json.dumps({"description": "x" * 1_100_000}),
        JSON,
        413,
    ),
    ("stats: POST not offered", "POST", STATS, "", "{}", JSON, 405),
]


def tickets_snapshot():
    """Row count and a checksum over every column of every row."""
    rows = list(Ticket.objects.order_by("id").values_list())
    return len(rows), hashlib.md5(repr(rows).encode()).hexdigest()


@pytest.fixture(scope="module")
def documented_statuses(django_db_blocker):
    from rest_framework.test import APIClient

    with django_db_blocker.unblock():
        schema = APIClient().get("/api/schema/?format=json").json()
    return {
        (method.upper(), path): set(operation["responses"])
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    }


def schema_path(path):
    parts = path.strip("/").split("/")
    if len(parts) == 3 and parts[2] not in ("classify", "stats"):
        return "/api/tickets/{id}/"
    return path


@pytest.mark.parametrize(
    "method, path, query, raw, content_type, expected",
    [row[1:] for row in CATALOGUE],
    ids=[row[0] for row in CATALOGUE],
)
def test_hostile_input_gets_its_documented_4xx_and_changes_nothing(
    api, fake_llm, documented_statuses, method, path, query, raw, content_type, expected
):
    tickets = [make_ticket(title=f"Existing {n}") for n in range(3)]
    path = path.replace("{id}", str(tickets[1].pk))
    before = tickets_snapshot()

    response = api.generic(method, path + (f"?{query}" if query else ""), raw, content_type=content_type)

    assert response.status_code == expected, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    assert isinstance(response.json(), dict)
    assert tickets_snapshot() == before
    operation = documented_statuses.get((method, schema_path(path)))
    if expected != 405:
        assert operation is not None and str(expected) in operation, f"{expected} is not documented"
    assert fake_llm.requests == []


def test_the_catalogue_covers_every_endpoint_with_at_least_40_named_inputs():
    names = [row[0] for row in CATALOGUE]
    assert len(names) == len(set(names)) >= 40
    assert {name.split(":")[0] for name in names} >= {
        "create",
        "list",
        "patch",
        "retrieve",
        "classify",
        "stats",
    }
