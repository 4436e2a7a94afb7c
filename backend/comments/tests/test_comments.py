"""Comments: validation, storage as plain text, pages, unknown tickets."""

import pytest
from django.contrib.auth import get_user_model

from comments.models import Comment
from comments.services import comment_create
from tickets.tests.factories import make_ticket

pytestmark = pytest.mark.django_db

HOSTILE = [
    "<script>alert(document.cookie)</script>",
    '<img src=x onerror="alert(1)"> and [a](javascript:alert(1))',
    "Line one\r\nLine two\n\n  indented\ttab  ",
    'See https://example.com/?q=<b>bold</b>&x="1" — ünïcödé 🎫',
    "{{ 7*7 }} ${7*7} '; DROP TABLE comments_comment; --",
]


def url(ticket_id):
    return f"/api/tickets/{ticket_id}/comments/"


def test_a_comment_is_created_with_no_author_in_open_mode(api):
    ticket = make_ticket()
    response = api.post(url(ticket.pk), {"body": "Called the customer back."}, format="json")
    assert response.status_code == 201
    comment = response.json()
    assert set(comment) == {"id", "body", "author", "created_at"}
    assert comment["body"] == "Called the customer back."
    assert comment["author"] is None
    assert api.get(url(ticket.pk)).json()["results"] == [comment]


@pytest.mark.parametrize("body", HOSTILE)
def test_hostile_bodies_are_stored_and_returned_verbatim(api, body):
    ticket = make_ticket()
    created = api.post(url(ticket.pk), {"body": body}, format="json").json()
    assert created["body"] == body
    assert Comment.objects.get(pk=created["id"]).body == body
    assert api.get(url(ticket.pk)).json()["results"][0]["body"] == body


def test_a_body_of_exactly_10000_characters_is_accepted(api):
    ticket = make_ticket()
    assert api.post(url(ticket.pk), {"body": "é" * 10_000}, format="json").status_code == 201


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"body": ""},
        {"body": "   \n\t "},
        {"body": "x" * 10_001},
        {"body": "null \x00 byte"},
        {"body": 42},
        {"body": None},
        {"body": ["a"]},
    ],
    ids=["missing", "empty", "blank", "too-long", "nul", "number", "null", "list"],
)
def test_a_bad_body_is_a_400_naming_body_and_writes_nothing(api, payload):
    ticket = make_ticket()
    response = api.post(url(ticket.pk), payload, format="json")
    assert response.status_code == 400
    assert "body" in response.json()
    assert not Comment.objects.exists()


def test_unknown_and_read_only_fields_are_refused(api):
    ticket = make_ticket()
    response = api.post(url(ticket.pk), {"body": "ok", "author": 1, "colour": "red"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"author", "colour"}
    assert not Comment.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_comments_of_an_unknown_ticket_are_the_briefs_404(api, method):
    response = getattr(api, method)(url(987654), {"body": "hello"}, format="json")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    assert not Comment.objects.exists()


def test_comments_page_oldest_first_with_keyset_links(api):
    ticket = make_ticket()
    other = make_ticket()
    for n in range(75):
        comment_create(ticket_id=ticket.pk, body=f"note {n}")
    comment_create(ticket_id=other.pk, body="elsewhere")

    first = api.get(url(ticket.pk)).json()
    second = api.get(first["next"]).json()

    assert [c["body"] for c in first["results"] + second["results"]] == [f"note {n}" for n in range(75)]
    assert second["next"] is None
    assert api.get(second["previous"]).json()["results"] == first["results"]


def test_the_author_is_the_signed_in_user(api):
    agent = get_user_model().objects.create_user("kim", first_name="Kim", last_name="Lee")
    ticket = make_ticket()
    comment = comment_create(ticket_id=ticket.pk, body="Mine", author=agent)
    listed = api.get(url(ticket.pk)).json()["results"][0]
    assert listed["id"] == comment.pk
    assert listed["author"] == {"id": agent.pk, "name": "Kim Lee"}
