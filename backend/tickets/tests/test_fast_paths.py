"""The fast paths give the answers of the plain ones: the streamed list is
byte-identical to the serializer's output, the tallied statistics equal a full
count after every kind of write, and search uses the trigram indexes on
PostgreSQL."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.timezone import override as timezone_override
from hypothesis import given
from hypothesis import strategies as st
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.urls import replace_query_param

from devtools.markers import requires_postgresql
from tickets.filters import TicketFilter
from tickets.models import Ticket
from tickets.pagination import link_with_cursor
from tickets.selectors import _counted_counts, ticket_list, ticket_stats
from tickets.serializers import TicketSerializer, ticket_array_chunks, ticket_row, ticket_rows
from tickets.services import ticket_create, ticket_version

from .factories import make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def awkward_tickets():
    """Text and times that JSON encoding could get wrong."""
    base = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    texts = [
        ("Plain", "nothing special"),
        ('Quotes "double" and \\ backslash', "tab\there\nnewline"),
        ("Unicode café ünïcödé 日本語 🎫", "line\u2028separator and paragraph\u2029separator"),
        ("</script><script>alert(1)</script>", "control \x01 char"),
    ]
    tickets = []
    for i in range(7):
        title, description = texts[i % len(texts)]
        # Whole seconds, microseconds, and a tie on created_at.
        created = base + timedelta(minutes=i // 2, microseconds=0 if i % 3 == 0 else 123456 + i)
        tickets.append(make_ticket(title=title, description=description, created_at=created))
    return tickets


def _serializer_json(queryset) -> bytes:
    return JSONRenderer().render(TicketSerializer(queryset, many=True).data)


@pytest.mark.parametrize("chunk_size", [1, 3, 7, 1000])
def test_streamed_list_is_byte_identical_to_the_serializer_output(awkward_tickets, chunk_size):
    streamed = b"".join(ticket_array_chunks(ticket_list(), renderer=JSONRenderer(), chunk_size=chunk_size))
    assert streamed == _serializer_json(ticket_list())


def test_streamed_list_of_no_tickets_is_an_empty_array():
    assert b"".join(ticket_array_chunks(ticket_list(), renderer=JSONRenderer())) == b"[]"


def test_plain_list_endpoint_streams_the_serializer_output(api, awkward_tickets):
    response = api.get("/api/tickets/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "application/json"
    assert response.getvalue() == _serializer_json(ticket_list())


def test_plain_list_endpoint_streams_filtered_results(api, awkward_tickets):
    response = api.get("/api/tickets/", {"search": "unicode"}, HTTP_ACCEPT="application/json")
    expected = TicketFilter({"search": "unicode"}, queryset=ticket_list()).qs
    assert response.getvalue() == _serializer_json(expected)
    assert len(response.json()) == 2


def test_paged_lists_are_not_streamed(api, awkward_tickets):
    response = api.get("/api/tickets/", {"page_size": 2})
    assert not response.streaming
    assert len(response.json()["results"]) == 2


def _assert_stats_match_a_full_count():
    row = _counted_counts()
    stats = ticket_stats()
    assert stats["total_tickets"] == row["total"]
    assert stats["open_tickets"] == row["open"]
    assert stats["priority_breakdown"] == {k[9:]: v for k, v in row.items() if k.startswith("priority_")}
    assert stats["category_breakdown"] == {k[9:]: v for k, v in row.items() if k.startswith("category_")}


def test_stats_equal_a_full_count_after_every_kind_of_write(api):
    _assert_stats_match_a_full_count()

    created = api.post(
        "/api/tickets/",
        {"title": "t", "description": "d", "category": "billing", "priority": "high"},
        format="json",
    ).json()
    _assert_stats_match_a_full_count()

    api.patch(f"/api/tickets/{created['id']}/", {"status": "closed", "category": "account"}, format="json")
    _assert_stats_match_a_full_count()

    api.patch(f"/api/tickets/{created['id']}/", {"title": "only the title"}, format="json")
    _assert_stats_match_a_full_count()

    Ticket.objects.bulk_create(
        Ticket(title=f"b{i}", description="d", category="technical", priority=p, status="open")
        for i, p in enumerate(["low", "medium", "critical", "critical"])
    )
    _assert_stats_match_a_full_count()

    Ticket.objects.filter(priority="critical").update(priority="low", status="resolved")
    _assert_stats_match_a_full_count()

    Ticket.objects.filter(priority="low").delete()
    _assert_stats_match_a_full_count()
    assert ticket_stats()["total_tickets"] == 2


@requires_postgresql
def test_stats_stay_exact_through_raw_sql_copy_and_truncate():
    make_ticket(category="general", priority="medium")
    with connection.cursor() as cursor:
        # The test runs in one transaction, where the assignee foreign key's
        # deferred checks would still be pending at TRUNCATE; check them as
        # each statement ends, as autocommit does.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "INSERT INTO tickets_ticket (title, description, category, priority, status, created_at) "
            "SELECT 'raw', 'raw', 'billing', 'high', 'open', now() FROM generate_series(1, 500)"
        )
        cursor.execute("UPDATE tickets_ticket SET status = 'closed' WHERE id % 3 = 0")
        _assert_stats_match_a_full_count()
        cursor.execute("DELETE FROM tickets_ticket WHERE id % 5 = 0")
        _assert_stats_match_a_full_count()
        cursor.execute("TRUNCATE tickets_ticket")
        _assert_stats_match_a_full_count()
        assert ticket_stats()["total_tickets"] == 0
        cursor.execute(
            "INSERT INTO tickets_ticket (title, description, category, priority, status, created_at) "
            "SELECT 'raw', 'raw', 'account', 'low', 'in_progress', now() FROM generate_series(1, 3)"
        )
    _assert_stats_match_a_full_count()
    assert ticket_stats()["category_breakdown"]["account"] == 3


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # A handful of rows would be scanned anyway; forbid that to see whether
        # an index matches the SQL Django really emits.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@requires_postgresql
def test_search_of_three_or_more_characters_uses_both_trigram_indexes():
    make_ticket(title="Printer offline", description="The printer is offline")
    plan = _plan(TicketFilter({"search": "printer"}, queryset=ticket_list()).qs.order_by())
    assert "ticket_title_trgm_idx" in plan
    assert "ticket_description_trgm_idx" in plan


@pytest.mark.parametrize("params, start", [({"page_size": 3}, 0), ({"limit": 3, "offset": 2}, 2)])
def test_pages_give_the_serializer_output_without_a_serializer_per_row(api, awkward_tickets, params, start):
    body = api.get("/api/tickets/", params).json()
    expected = json.loads(_serializer_json(ticket_list()[start : start + 3]))
    assert body["results"] == expected


def test_cursor_links_continue_from_the_last_row_of_a_values_page(api, awkward_tickets):
    seen, url = [], "/api/tickets/?page_size=2"
    while url:
        body = api.get(url).json()
        seen += [ticket["id"] for ticket in body["results"]]
        url = body["next"]
    assert seen == list(ticket_list().values_list("id", flat=True))


def test_create_service_still_rejects_an_unknown_choice_without_the_constraint_queries():
    with pytest.raises(ValidationError) as error:
        ticket_create(title="t", description="d", category="nope", priority="low")
    assert "category" in error.value.message_dict
    assert Ticket.objects.count() == 0


def test_streamed_list_follows_the_active_time_zone_as_the_serializer_does(awkward_tickets):
    with timezone_override("America/New_York"):
        streamed = b"".join(ticket_array_chunks(ticket_list(), renderer=JSONRenderer(), chunk_size=3))
        expected = _serializer_json(ticket_list())
    assert b"-04:00" in expected or b"-05:00" in expected
    assert streamed == expected


@pytest.mark.parametrize("query", ["", "?page_size=2", "?limit=2"])
def test_browsable_api_renders_every_list_shape(api, awkward_tickets, query):
    response = api.get(f"/api/tickets/{query}", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert "Unicode caf" in response.content.decode()  # the newest ticket


def test_retrieve_answers_the_serializer_output_byte_for_byte(api, awkward_tickets):
    for ticket in Ticket.objects.filter(pk__in=[t.pk for t in awkward_tickets]):
        response = api.get(f"/api/tickets/{ticket.id}/")
        assert response.status_code == 200
        assert response.content == JSONRenderer().render(TicketSerializer(ticket).data)
        assert response["ETag"] == f'"{ticket_version(ticket)}"'


def test_retrieve_of_a_missing_or_malformed_id_is_the_same_404(api, awkward_tickets):
    for path in ("/api/tickets/999999999/", "/api/tickets/abc/", "/api/tickets/99999999999999999999/"):
        response = api.get(path)
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}


def test_every_filter_given_applies_together(awkward_tickets):
    wanted = make_ticket(
        category="billing", priority="high", status="closed", description="something special"
    )
    make_ticket(category="billing", priority="high", status="open", description="special too")
    make_ticket(category="billing", priority="low", status="closed", description="special three")
    make_ticket(category="billing", priority="high", status="closed", description="nothing to see")
    query = {"category": "billing", "priority": "high", "status": "closed", "search": "special"}
    assert list(TicketFilter(query, queryset=ticket_list()).qs) == [wanted]
    assert list(TicketFilter({**query, "search": ""}, queryset=ticket_list()).qs)[-1] == wanted


@pytest.mark.django_db
@pytest.mark.parametrize("raw", ["{id}", " {id}", "{id}00000000000000000000", "-{id}", "x{id}", "0"])
def test_a_ticket_read_by_id_is_the_orm_row_or_none_for_any_address(raw):
    """The compiled statement answers what the ORM's lookup answers, for real
    ids and for values that are not one (too large, negative, not a number)."""
    ticket = make_ticket(title="Fast", description="One row", assignee=None)
    value = raw.format(id=ticket.pk)
    try:
        expected = ticket_rows(Ticket.objects.order_by()).filter(pk=value).first()
    except ValueError:
        expected = None
    assert ticket_row(value) == expected
    assert (expected is not None) == (value.strip() == str(ticket.pk))


@pytest.mark.django_db
def test_retrieve_of_an_unknown_or_malformed_id_is_the_briefs_404(api):
    for address in ("/api/tickets/999999/", "/api/tickets/abc/", "/api/tickets/99999999999999999999999/"):
        response = api.get(address)
        assert response.status_code == 404, address
        assert response.json() == {"detail": "Not found."}


QUERY_PIECES = [
    "cursor",
    "cursor=",
    "page_size=50",
    "category=technical",
    "a",
    "b=",
    "=",
    "%3D",
    "%26",
    "+",
    "%2B",
    "QcursorQmarkQ",
    "cursor%3Dx",
    "caf%C3%A9",
    "é",
    "search=a+b",
    "&",
    "ordering=-id",
    "?",
    "#",
    "cursor=a#b",
    ";",
]


@given(
    query=st.lists(st.sampled_from(QUERY_PIECES), max_size=6).map("&".join),
    token=st.text("ABCxyz019-_", min_size=1, max_size=40),
)
def test_a_cursor_link_is_drfs_replace_query_param_whatever_the_query(query, token):
    """The link's template is kept per list, not per request: it must give
    exactly what DRF's `replace_query_param` gives for the request's own URL."""
    url = "http://testserver/api/tickets/" + (f"?{query}" if query else "")
    assert link_with_cursor(url, "cursor", token) == replace_query_param(url, "cursor", token)
