"""`comment.created`: every new comment is published once it has committed,
carrying the comment as the comments endpoint returns it and its ticket's id."""

import pytest
from comments.models import Comment
from comments.services import comment_create
from django.contrib.auth import get_user_model
from django.db import connection, transaction

from devtools.markers import requires_postgresql
from live.events import stream_events
from live.models import Event
from live.triggers import BULK_EVENT_LIMIT
from tickets.tests.factories import make_ticket


def comments_url(ticket_id):
    return f"/api/tickets/{ticket_id}/comments/"


def test_a_comment_created_through_the_api_publishes_it_as_the_endpoint_returns_it(api, events):
    ticket = make_ticket()
    Event.objects.all().delete()
    body = "<b>Called</b> the customer back.\nThey'll retry tonight."
    created = api.post(comments_url(ticket.pk), {"body": body}, format="json").json()

    [event] = stream_events(events())
    listed = api.get(comments_url(ticket.pk)).json()["results"]
    assert event.kind == "comment.created"
    assert event.data == {**created, "ticket": ticket.pk}
    assert listed == [created]


def test_the_comment_event_names_its_author(events):
    agent = get_user_model().objects.create_user("kim", first_name="Kim", last_name="Lee")
    ticket = make_ticket()
    Event.objects.all().delete()
    comment = comment_create(ticket_id=ticket.pk, body="Mine", author=agent)

    [event] = stream_events(events())
    assert event.data["id"] == comment.pk
    assert event.data["author"] == {"id": agent.pk, "name": "Kim Lee"}
    assert event.data["ticket"] == ticket.pk


def test_a_rolled_back_comment_publishes_nothing(events):
    ticket = make_ticket()
    Event.objects.all().delete()
    with pytest.raises(RuntimeError), transaction.atomic():
        comment_create(ticket_id=ticket.pk, body="Never mind")
        raise RuntimeError("changed my mind")

    assert events() == []


def test_a_comment_written_by_raw_sql_is_published_and_a_deleted_one_is_skipped(events):
    ticket = make_ticket()
    Event.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO comments_comment (ticket_id, body, created_at) VALUES (%s, 'raw', %s)",
            [ticket.pk, "2026-01-01T00:00:00Z"],
        )
    gone = comment_create(ticket_id=ticket.pk, body="gone")
    Comment.objects.filter(pk=gone.pk).delete()

    published = stream_events(events())
    assert [(e.kind, e.data["body"]) for e in published] == [("comment.created", "raw")]
    assert [e.kind for e in events()] == ["comment.created", "comment.created"]


@requires_postgresql
def test_a_statement_adding_more_comments_than_the_bulk_limit_publishes_one_reset(events):
    ticket = make_ticket()
    Event.objects.all().delete()
    Comment.objects.bulk_create(
        Comment(ticket_id=ticket.pk, body=f"c{n}") for n in range(BULK_EVENT_LIMIT + 1)
    )

    assert [(e.kind, e.data) for e in stream_events(events())] == [
        ("reset", {"reason": "bulk_change", "comments": BULK_EVENT_LIMIT + 1})
    ]
