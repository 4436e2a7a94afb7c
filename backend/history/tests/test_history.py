"""The history: every write path leaves an entry, in the same transaction."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client

from devtools.markers import requires_postgresql
from history.models import TicketChange, Via
from history.services import ticket_write_context
from tickets.models import Ticket
from tickets.services import ticket_create, ticket_update
from tickets.tests.factories import make_ticket

pytestmark = pytest.mark.django_db

NEW = {
    "title": "Printer offline",
    "description": "Since the update.",
    "category": "technical",
    "priority": "low",
}


def history(api, ticket_id, **params):
    response = api.get(f"/api/tickets/{ticket_id}/history/", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_a_ticket_created_through_the_api_starts_its_history_with_the_creation(api):
    ticket = api.post("/api/tickets/", NEW, format="json").json()

    entries = history(api, ticket["id"])["results"]

    assert len(entries) == 1
    assert entries[0]["via"] == "api"
    assert entries[0]["actor"] is None
    assert entries[0]["at"] == ticket["created_at"] == ticket["updated_at"]
    assert entries[0]["changes"] == {
        "title": [None, "Printer offline"],
        "description": [None, "Since the update."],
        "category": [None, "technical"],
        "priority": [None, "low"],
        "status": [None, "open"],
    }


def test_a_patch_records_only_the_fields_it_changed_and_moves_updated_at(api):
    ticket = api.post("/api/tickets/", NEW, format="json").json()

    patched = api.patch(
        f"/api/tickets/{ticket['id']}/", {"status": "resolved", "priority": "low"}, format="json"
    ).json()

    entries = history(api, ticket["id"])["results"]
    assert [entry["changes"] for entry in entries[1:]] == [{"status": ["open", "resolved"]}]
    assert entries[1]["at"] == patched["updated_at"] > ticket["updated_at"]


def test_a_patch_that_changes_nothing_records_nothing(api):
    ticket = api.post("/api/tickets/", NEW, format="json").json()
    api.patch(f"/api/tickets/{ticket['id']}/", {"priority": "low"}, format="json")
    assert len(history(api, ticket["id"])["results"]) == 1


@requires_postgresql
def test_a_raw_sql_update_leaves_an_entry_with_no_actor_via_system(api):
    ticket = api.post("/api/tickets/", NEW, format="json").json()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE tickets_ticket SET status = 'closed', title = 'Raw' WHERE id = %s", [ticket["id"]]
        )

    entries = history(api, ticket["id"])["results"]
    assert entries[-1]["changes"] == {"status": ["open", "closed"], "title": ["Printer offline", "Raw"]}
    assert entries[-1]["via"] == "system"
    assert entries[-1]["actor"] is None
    after = api.get(f"/api/tickets/{ticket['id']}/").json()
    assert after["updated_at"] == entries[-1]["at"] > ticket["updated_at"]


@requires_postgresql
def test_a_raw_sql_insert_records_the_creation(api):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO tickets_ticket (title, description, category, priority, status, created_at) "
            "VALUES ('Raw', 'Inserted by SQL', 'billing', 'high', 'open', now()) RETURNING id"
        )
        (ticket_id,) = cursor.fetchone()
    entries = history(api, ticket_id)["results"]
    assert entries[0]["changes"]["title"] == [None, "Raw"]
    assert entries[0]["via"] == "system"


@requires_postgresql
def test_history_is_written_in_the_same_transaction_as_the_change():
    ticket = make_ticket()
    before = TicketChange.objects.filter(ticket=ticket).count()
    with pytest.raises(RuntimeError), transaction.atomic():
        Ticket.objects.filter(pk=ticket.pk).update(status="closed")
        assert TicketChange.objects.filter(ticket=ticket).count() == before + 1
        raise RuntimeError("roll back")
    assert TicketChange.objects.filter(ticket=ticket).count() == before
    assert Ticket.objects.get(pk=ticket.pk).status == "open"


@requires_postgresql
def test_a_bulk_update_in_a_write_context_names_its_actor_and_via_bulk(api):
    agent = get_user_model().objects.create_user("dana", first_name="Dana", last_name="Reyes")
    tickets = [make_ticket() for _ in range(3)]
    with ticket_write_context(actor=agent, via=Via.BULK):
        Ticket.objects.filter(pk__in=[t.pk for t in tickets]).update(priority="critical")

    for ticket in tickets:
        entry = history(api, ticket.pk)["results"][-1]
        assert entry["via"] == "bulk"
        assert entry["actor"] == {"id": agent.pk, "name": "Dana Reyes"}
        assert entry["changes"] == {"priority": ["medium", "critical"]}


@requires_postgresql
def test_the_write_context_ends_with_its_transaction(api):
    agent = get_user_model().objects.create_user("dana")
    ticket = make_ticket()
    with ticket_write_context(actor=agent, via=Via.BULK):
        pass
    with connection.cursor() as cursor:
        cursor.execute("UPDATE tickets_ticket SET status = 'closed' WHERE id = %s", [ticket.pk])
    entry = history(api, ticket.pk)["results"][-1]
    assert (entry["via"], entry["actor"]) == ("system", None)


def test_the_services_record_their_actor(api):
    agent = get_user_model().objects.create_user("sam")
    ticket = ticket_create(**NEW, actor=agent)
    ticket_update(ticket=ticket, data={"status": "in_progress"}, actor=agent)
    entries = history(api, ticket.pk)["results"]
    assert [entry["actor"] for entry in entries] == [{"id": agent.pk, "name": "sam"}] * 2


def test_an_admin_edit_is_recorded_with_via_admin_and_the_admin_as_actor(api):
    admin_user = get_user_model().objects.create_superuser("boss", "boss@example.com", "s3cret-pass-word")
    ticket = ticket_create(**NEW)
    browser = Client()
    browser.force_login(admin_user)

    response = browser.post(
        f"/admin/tickets/ticket/{ticket.pk}/change/",
        {**NEW, "priority": "critical", "status": "in_progress"},
    )

    assert response.status_code == 302, response.content[:2000]
    entry = history(api, ticket.pk)["results"][-1]
    assert entry["via"] == "admin"
    assert entry["actor"] == {"id": admin_user.pk, "name": "boss"}
    assert entry["changes"] == {"priority": ["low", "critical"], "status": ["open", "in_progress"]}


def test_a_ticket_added_in_the_admin_is_recorded_with_via_admin(api):
    admin_user = get_user_model().objects.create_superuser("boss", "boss@example.com", "s3cret-pass-word")
    browser = Client()
    browser.force_login(admin_user)

    response = browser.post("/admin/tickets/ticket/add/", {**NEW, "status": "open"})

    assert response.status_code == 302
    ticket = Ticket.objects.get()
    entry = history(api, ticket.pk)["results"][0]
    assert (entry["via"], entry["actor"]["id"]) == ("admin", admin_user.pk)
    assert entry["changes"]["title"] == [None, "Printer offline"]


def test_history_pages_oldest_first_and_links_both_ways(api):
    ticket = ticket_create(**NEW)
    for n in range(1, 120):
        ticket_update(ticket=ticket, data={"title": f"Title {n}"})

    first = history(api, ticket.pk, page_size=50)
    assert first["previous"] is None
    second = api.get(first["next"]).json()
    third = api.get(second["next"]).json()
    entries = first["results"] + second["results"] + third["results"]

    assert len(entries) == 120 and third["next"] is None
    assert [e["id"] for e in entries] == sorted(e["id"] for e in entries)
    assert entries[0]["changes"]["title"] == [None, "Printer offline"]
    assert entries[-1]["changes"]["title"] == ["Title 118", "Title 119"]
    assert api.get(second["previous"]).json()["results"] == first["results"]


def test_history_of_an_unknown_ticket_is_the_briefs_404(api):
    response = api.get("/api/tickets/999999/history/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize("cursor", ["garbage", "eyJpIjoiMSJ9", "eyJpIjotMX0"])
def test_a_bad_history_cursor_is_a_400_naming_it(api, cursor):
    ticket = make_ticket()
    response = api.get(f"/api/tickets/{ticket.pk}/history/", {"cursor": cursor})
    assert response.status_code == 400
    assert "cursor" in response.json()
