"""Cheap requests that would cost a lot: many search words, deep offsets and
huge descriptions are refused with a 400 naming the parameter, and nothing is
written."""

import pytest
from django.db import IntegrityError, connection, transaction

from devtools.markers import requires_postgresql
from tickets.models import Ticket

from .factories import make_ticket

pytestmark = pytest.mark.django_db
TICKET = {"title": "Log attached", "category": "technical", "priority": "low"}


def test_a_search_of_more_than_ten_distinct_words_is_a_400_naming_the_parameter(api):
    words = " ".join(f"word{i}" for i in range(11))
    response = api.get("/api/tickets/", {"search": words})

    assert response.status_code == 400
    assert list(response.json()) == ["search"]
    assert "10" in response.json()["search"][0]


def test_repeated_search_words_count_once(api):
    make_ticket(title="Printer jams", description="paper")
    ten = " ".join(f"w{i}" for i in range(9)) + " printer"
    repeated = " ".join(["printer", "PRINTER", "jams"] * 8)

    assert api.get("/api/tickets/", {"search": ten}).status_code == 200
    response = api.get("/api/tickets/", {"search": repeated, "page_size": 10})
    assert response.status_code == 200
    assert [t["title"] for t in response.json()["results"]] == ["Printer jams"]


def test_an_offset_beyond_ten_thousand_is_a_400_pointing_to_keyset_pages(api):
    response = api.get("/api/tickets/", {"limit": 10, "offset": 10_001})
    assert response.status_code == 400
    assert "page_size" in response.json()["offset"][0]
    assert api.get("/api/tickets/", {"limit": 10, "offset": 10_000}).status_code == 200
    assert api.get("/api/tickets/", {"limit": 10, "offset": 20}).json()["count"] == 0


def test_a_description_over_50000_characters_is_refused_and_nothing_is_written(api):
    too_long = api.post("/api/tickets/", {**TICKET, "description": "x" * 50_001}, format="json")
    just_fits = api.post("/api/tickets/", {**TICKET, "description": "x" * 50_000}, format="json")
    patch = api.patch(f"/api/tickets/{just_fits.json()['id']}/", {"description": "y" * 50_001}, format="json")

    assert too_long.status_code == 400 and list(too_long.json()) == ["description"]
    assert just_fits.status_code == 201
    assert patch.status_code == 400
    assert Ticket.objects.get().description == "x" * 50_000


def test_the_schema_documents_the_new_limits(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    ticket = schema["components"]["schemas"]["TicketCreateRequest"]["properties"]["description"]
    offset = next(p for p in schema["paths"]["/api/tickets/"]["get"]["parameters"] if p["name"] == "offset")

    assert ticket["maxLength"] == 50_000
    assert offset["schema"]["maximum"] == 10_000
    assert "429" in schema["paths"]["/api/tickets/"]["post"]["responses"]


@requires_postgresql
def test_the_database_refuses_a_description_over_the_limit_too():
    with (
        pytest.raises(IntegrityError, match="ticket_description_max_length"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "INSERT INTO tickets_ticket (title, description, category, priority, status, created_at) "
            "VALUES ('t', repeat('x', 50001), 'general', 'low', 'open', now())"
        )
