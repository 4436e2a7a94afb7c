"""A keyset page filtered by choices only skips the FilterSet and, on
PostgreSQL, runs a statement compiled once per shape of page: every page of
every ordering gives the bytes and headers the FilterSet and the ORM give."""

from datetime import UTC, datetime, timedelta, timezone
from itertools import product
from zoneinfo import ZoneInfo

import pytest
from accounts.authentication import forget_all_tokens
from accounts.tests.factories import make_agent, make_token
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.renderers import JSONRenderer

from tickets import views
from tickets.filters import TicketFilter, choice_filters
from tickets.models import Category, Priority, Status, Ticket
from tickets.ordering import ORDERINGS, position_of, with_filters
from tickets.selectors import _keyset_queryset, ticket_keyset_rows
from tickets.serializers import TicketSerializer, _represent_times

from .factories import make_ticket

pytestmark = pytest.mark.django_db

HEADERS = ("Content-Type", "Allow", "Vary", "X-Content-Type-Options", "Content-Security-Policy")


@pytest.fixture
def mixed_tickets():
    """Every choice, ties on created_at, a title JSON must escape, and (where
    the database lets a write clear it) tickets never updated."""
    base = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)
    choices = list(product(Category.values, Priority.values, Status.values))
    choices += [("technical", "high", "open")] * 4
    tickets = [
        make_ticket(
            title=f'T{i} \u2028 café 🎫 "q" \x01',
            category=category,
            priority=priority,
            status=status,
            created_at=base + timedelta(minutes=i // 3, microseconds=0 if i % 4 else 250_000 + i),
        )
        for i, (category, priority, status) in enumerate(choices)
    ]
    Ticket.objects.filter(pk__in=[ticket.pk for ticket in tickets[::5]]).update(updated_at=None)
    return tickets


def _answer(api, url: str):
    response = api.get(url)
    assert response.status_code == 200, response.content
    # DRF's own renderer writes the same bytes.
    assert response.content == JSONRenderer().render(response.data)
    return response.json(), (url, response.content, [(name, response.get(name)) for name in HEADERS])


def _walk(api, query: str) -> list:
    """Every page forwards from the first, then back from the last."""
    answers, url, body = [], f"/api/tickets/?{query}", None
    while url:
        body, answer = _answer(api, url)
        answers.append(answer)
        url = body["next"]
    url = body["previous"]
    while url:
        body, answer = _answer(api, url)
        answers.append(answer)
        url = body["previous"]
    return answers


QUERIES = [
    "page_size=4",
    "page_size=3&category=billing",
    "page_size=2&category=technical&priority=high&status=open",
    "page_size=4&status=open&ordering=created_at",
    "page_size=4&ordering=-priority",
    "page_size=3&ordering=-priority&priority=high",
    "page_size=3&ordering=-updated_at",
    "page_size=2&ordering=-updated_at&category=account",
    "page_size=5&category=&search=&assignee=",
]


@pytest.mark.parametrize("query", QUERIES)
def test_every_page_of_a_choice_filtered_walk_is_what_the_filterset_path_answers(
    api, mixed_tickets, monkeypatch, query
):
    fast = _walk(api, query)
    monkeypatch.setattr(views, "choice_filters", lambda params: None)
    assert _walk(api, query) == fast
    assert len(fast) > 2


def test_a_choice_filtered_keyset_page_builds_no_filterset(api, mixed_tickets, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the FilterSet was built")

    monkeypatch.setattr(TicketFilter, "__init__", refuse)
    response = api.get("/api/tickets/", {"page_size": 2, "category": "billing", "status": "open"})
    assert response.status_code == 200
    assert all(ticket["category"] == "billing" for ticket in response.json()["results"])


@pytest.mark.parametrize(
    "params",
    [
        {"category": "nope"},
        {"status": "Open"},
        {"priority": "null"},
        {"search": "café"},
        {"assignee": "none"},
        {"assignee": "me"},
    ],
)
def test_anything_but_valid_choices_is_left_to_the_filterset(params):
    assert choice_filters(params) is None


def test_valid_choices_become_equalities_in_the_filtersets_order():
    params = {"status": "open", "category": "billing", "priority": "", "search": "", "page_size": "5"}
    assert list(choice_filters(params).items()) == [("category", "billing"), ("status", "open")]


SHAPES = [{}, {"category": "billing"}, {"category": "general", "priority": "low", "status": "open"}]


@pytest.mark.parametrize("ordering_name, filters", list(product(ORDERINGS, SHAPES)))
def test_compiled_statements_read_the_rows_the_orm_reads(mixed_tickets, ordering_name, filters):
    """From the start and from every row's position, both ways, for each shape."""
    ordering = with_filters(ORDERINGS[ordering_name], filters.get("priority"))
    rows = ticket_keyset_rows(filters=filters, ordering=ordering, position=None, reverse=False, limit=100)
    assert rows == list(_keyset_queryset(filters, ordering, None, False)[:100])
    positions = []
    for row in rows:
        position = position_of(row, ordering)
        positions.append([datetime.fromisoformat(v) if isinstance(v, str) else v for v in position])
        if ordering.keys[0][1] == "nullable_time":  # as from a ticket never updated
            positions.append([None, row["id"]])
    for position, reverse in product(positions, (False, True)):
        got = ticket_keyset_rows(
            filters=filters, ordering=ordering, position=position, reverse=reverse, limit=3
        )
        assert got == list(_keyset_queryset(filters, ordering, position, reverse)[:3])


@pytest.mark.parametrize("other_zone", [False, True])
def test_times_written_together_are_the_serializers_text(other_zone):
    values = [
        datetime(2026, 3, 1, 12, 0, tzinfo=UTC),
        datetime(2026, 3, 1, 12, 0, 0, 1, tzinfo=UTC),
        None,
        datetime(999, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC),
    ]
    if other_zone:  # not as the database returns them
        values += [
            datetime(2026, 1, 5, 10, 0, 0, 5, tzinfo=ZoneInfo("Europe/London")),  # offset zero
            datetime(2026, 7, 5, 10, 0, tzinfo=ZoneInfo("Europe/London")),
            datetime(2026, 3, 1, 14, 0, tzinfo=timezone(timedelta(hours=2))),
        ]
    field = TicketSerializer().fields["created_at"]
    expected = [None if value is None else field.to_representation(value) for value in values]
    assert _represent_times(values) == expected


def test_a_keyset_page_for_a_known_token_runs_only_its_own_query(api, mixed_tickets, settings):
    """The token's lookup is kept for AUTH_CACHE_SECONDS (revocation: accounts'
    tests), and the page reads its rows in one statement."""
    settings.API_AUTH = "required"
    forget_all_tokens()
    api.credentials(HTTP_AUTHORIZATION=f"Token {make_token(make_agent())}")
    url = "/api/tickets/?page_size=5&status=open&category=technical"
    assert api.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url)
    forget_all_tokens()
    assert response.status_code == 200
    assert len(queries) == 1, [query["sql"] for query in queries]
    assert all(ticket["status"] == "open" for ticket in response.json()["results"])
