"""Every write path publishes its events, and only once it has committed."""

import threading
from datetime import timedelta

import psycopg2
import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection, transaction

from devtools.db import database_url
from devtools.markers import requires_postgresql
from live.events import stream_events
from live.models import Event
from live.selectors import event_catch_up, event_head
from live.services import event_prune
from live.triggers import BULK_EVENT_LIMIT
from tickets.models import Ticket
from tickets.tests.factories import make_ticket

NEW_TICKET = {
    "title": "Printer on fire",
    "description": "Smoke everywhere",
    "category": "technical",
    "priority": "high",
}


def test_api_create_publishes_ticket_created_with_the_ticket_as_the_api_returns_it(api, events):
    created = api.post("/api/tickets/", NEW_TICKET, format="json").json()

    [event] = stream_events(events())
    assert (event.kind, event.data) == ("ticket.created", api.get(f"/api/tickets/{created['id']}/").json())


def test_api_update_publishes_ticket_updated_naming_the_changed_fields(api, events):
    ticket = make_ticket(status="open", priority="low")
    api.patch(
        f"/api/tickets/{ticket.pk}/",
        {"status": "closed", "priority": "high", "title": ticket.title},
        format="json",
    )

    event = stream_events(events())[-1]
    assert event.kind == "ticket.updated"
    assert event.data == {
        **api.get(f"/api/tickets/{ticket.pk}/").json(),
        "changed": ["priority", "status", "updated_at"],
    }


def test_changed_names_only_fields_the_api_shows_never_internal_columns(api, events):
    """Resolving sets the internal `resolved_at` too: events name API fields only."""
    agent = User.objects.create_user("dana", password="pw-0123456789")
    ticket = make_ticket(status="open")
    Event.objects.all().delete()
    api.patch(f"/api/tickets/{ticket.pk}/", {"status": "resolved"}, format="json")
    Ticket.objects.filter(pk=ticket.pk).update(assignee=agent)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE tickets_ticket SET resolved_at = %s WHERE id = %s", ["2020-01-01", ticket.pk])

    published = [event.data["changed"] for event in stream_events(events())]
    api_fields = set(api.get(f"/api/tickets/{ticket.pk}/").json())
    assert published[0] == ["status", "updated_at"]
    assert published[1] in (["assignee"], ["assignee", "updated_at"])  # SQLite keeps no stamp trigger
    assert all(changed and set(changed) <= api_fields for changed in published)


def test_an_update_of_internal_columns_alone_names_no_internal_column(events):
    """SQLite keeps `resolved_at` as written (no event for clients); PostgreSQL's
    stamp trigger keeps the first resolution and moves `updated_at`."""
    ticket = make_ticket(status="resolved")
    Event.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE tickets_ticket SET resolved_at = %s WHERE id = %s", ["2020-01-01", ticket.pk])

    published = stream_events(events())
    assert [event.data["changed"] for event in published] in ([], [["updated_at"]])


def test_an_update_that_changes_nothing_publishes_nothing(api, events):
    ticket = make_ticket(status="open")
    before = len(events())
    api.patch(f"/api/tickets/{ticket.pk}/", {"status": "open"}, format="json")
    Ticket.objects.filter(pk=ticket.pk).update(status="open")

    assert len(events()) == before


def test_a_rolled_back_write_publishes_nothing(events):
    with pytest.raises(RuntimeError), transaction.atomic():
        make_ticket()
        Ticket.objects.update(status="closed")
        raise RuntimeError("changed my mind")

    assert events() == []


def test_raw_sql_bulk_update_and_delete_publish_one_event_per_ticket(events):
    first, second = make_ticket(), make_ticket()
    Event.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE tickets_ticket SET priority = 'critical' WHERE id = %s", [first.pk])
    Ticket.objects.filter(pk__in=[first.pk, second.pk]).update(status="resolved")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM tickets_ticket WHERE id = %s", [second.pk])

    stamps = {"updated_at", "resolved_at"}  # moved by PostgreSQL's stamp trigger, not by SQLite
    published = [
        (e.kind, e.subject_id, [c for c in e.detail["changed"] if c not in stamps] if e.detail else None)
        for e in events()
    ]
    assert published == [
        ("ticket.updated", first.pk, ["priority"]),
        ("ticket.updated", first.pk, ["status"]),
        ("ticket.updated", second.pk, ["status"]),
        ("ticket.deleted", second.pk, None),
    ]


def test_admin_changes_publish_events(client, events):
    ticket = make_ticket(status="open", priority="low")
    client.force_login(User.objects.create_superuser("admin", "admin@example.com", "pw-0123456789"))
    response = client.post(
        f"/admin/tickets/ticket/{ticket.pk}/change/",
        {
            "title": ticket.title,
            "description": ticket.description,
            "category": ticket.category,
            "priority": "critical",
            "status": "in_progress",
        },
    )
    assert response.status_code == 302

    event = stream_events(events())[-1]
    assert (event.kind, event.data["id"], event.data["changed"]) == (
        "ticket.updated",
        ticket.pk,
        ["priority", "status", "updated_at"],
    )


def test_seed_command_publishes_one_event_per_ticket(events):
    call_command("seed_tickets", count=25, seed=1, stdout=None)

    published = stream_events(events())
    assert [e.kind for e in published] == ["ticket.created"] * 25
    assert sorted(e.data["id"] for e in published) == sorted(Ticket.objects.values_list("id", flat=True))


def test_event_data_is_the_current_ticket_and_events_of_deleted_tickets_are_skipped(events):
    kept, gone = make_ticket(title="Before"), make_ticket()
    Ticket.objects.filter(pk=kept.pk).update(title="After")
    gone_id = gone.pk
    gone.delete()

    published = stream_events(events())
    assert [(e.kind, e.data["id"]) for e in published] == [
        ("ticket.created", kept.pk),
        ("ticket.updated", kept.pk),
        ("ticket.deleted", gone_id),
    ]
    assert published[0].data["title"] == "After"


@requires_postgresql
def test_a_statement_over_the_bulk_limit_publishes_one_reset(events):
    Ticket.objects.bulk_create(
        Ticket(title=f"T{n}", description="d", category="general", priority="low")
        for n in range(BULK_EVENT_LIMIT + 1)
    )
    Ticket.objects.update(status="closed")

    published = stream_events(events())
    assert [(e.kind, e.data) for e in published] == [
        ("reset", {"reason": "bulk_change", "tickets": BULK_EVENT_LIMIT + 1}),
        ("reset", {"reason": "bulk_change", "tickets": BULK_EVENT_LIMIT + 1}),
    ]


@requires_postgresql
def test_positions_follow_commit_order_not_write_order(events):
    """The first writer commits last: its event must come after the second's,
    or a reader that saw the second would skip the first for ever. (Different
    categories and days: writers of the same ones wait on each other's statistics rows.)"""
    url = database_url(connection.settings_dict)
    early, late = psycopg2.connect(url), psycopg2.connect(url)
    try:
        with early.cursor() as cursor:
            cursor.execute(
                "INSERT INTO tickets_ticket (title, description, category, priority, status, created_at) "
                "VALUES ('early', 'd', 'general', 'low', 'open', now() - interval '2 days')"
            )
        with late.cursor() as cursor:
            cursor.execute(
                "INSERT INTO tickets_ticket (title, description, category, priority, status, created_at) "
                "VALUES ('late', 'd', 'billing', 'high', 'closed', now())"
            )
        late.commit()
        assert [e.data["title"] for e in stream_events(events())] == ["late"]
        early.commit()
    finally:
        early.close()
        late.close()

    assert [e.data["title"] for e in stream_events(events())] == ["late", "early"]


@requires_postgresql
def test_concurrent_writers_get_distinct_increasing_positions(events):
    url = database_url(connection.settings_dict)

    def write(n):
        conn = psycopg2.connect(url)
        with conn, conn.cursor() as cursor:
            for i in range(10):
                cursor.execute(
                    "INSERT INTO tickets_ticket (title, description, category, priority, status, created_at) "
                    "VALUES (%s, 'd', 'general', 'low', 'open', now())",
                    [f"{n}-{i}"],
                )
                conn.commit()
        conn.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    positions = [e.position for e in events()]
    assert len(positions) == 40 == len(set(positions))
    assert positions == sorted(positions)


def test_catch_up_replays_what_a_client_missed(events):
    make_ticket()
    seen = event_head()
    second, third = make_ticket(), make_ticket()

    catch_up = event_catch_up(after=seen)
    assert catch_up.reset_reason is None
    assert [e.data["id"] for e in catch_up.events] == [second.pk, third.pk]
    assert catch_up.upto == event_head()
    assert event_catch_up(after=None).events == []


def test_catch_up_resets_when_the_missed_events_were_forgotten(events):
    make_ticket()
    seen = event_head()
    make_ticket()
    make_ticket()
    assert event_prune(older_than=timedelta(seconds=-1)) == 2  # the newest is always kept

    assert event_catch_up(after=seen).reset_reason == "expired"
    assert event_catch_up(after=event_head()).reset_reason is None


def test_catch_up_resets_for_an_unknown_id_or_too_many_missed_events(events, settings):
    make_ticket()
    assert event_catch_up(after=event_head() + 100).reset_reason == "unknown_event_id"
    seen = event_head()
    make_ticket()
    make_ticket()
    settings.LIVE_CATCH_UP_LIMIT = 1
    assert event_catch_up(after=seen).reset_reason == "too_many_missed"


def test_pruning_keeps_events_within_the_retention(events):
    make_ticket()
    make_ticket()
    assert event_prune() == 0
    assert len(events()) == 2
