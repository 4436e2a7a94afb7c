"""Tickets' assignee: set and cleared by PATCH, filtered index-backed, in every list shape."""

import pytest
from rest_framework.renderers import JSONRenderer

from devtools.clients import StreamReadingAPIClient
from tickets.models import Ticket
from tickets.selectors import ticket_list
from tickets.serializers import TicketSerializer
from tickets.tests.factories import make_ticket

from .factories import make_agent, make_token


@pytest.fixture
def ada_client(agent):
    client = StreamReadingAPIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {make_token(agent)}")
    return client


def test_patch_sets_and_clears_the_assignee(api, agent):
    ticket = make_ticket()
    response = api.patch(f"/api/tickets/{ticket.pk}/", {"assignee": agent.pk}, format="json")
    assert response.status_code == 200 and response.json()["assignee"] == agent.pk
    assert Ticket.objects.get().assignee_id == agent.pk

    response = api.patch(f"/api/tickets/{ticket.pk}/", {"assignee": None}, format="json")
    assert response.status_code == 200 and response.json()["assignee"] is None


@pytest.mark.parametrize("value", [999999, "x", "", True, 1.5, [1], "1"])
def test_patch_refuses_an_unknown_agent_or_a_wrong_type(api, agent, value):
    make_agent("first")  # an agent whose id a lax parser might read from true or "1"
    ticket = make_ticket(assignee=agent)
    response = api.patch(f"/api/tickets/{ticket.pk}/", {"assignee": value}, format="json")
    assert response.status_code == 400 and "assignee" in response.json()
    assert Ticket.objects.get().assignee_id == agent.pk


def test_patch_refuses_an_inactive_agent(api, agent):
    sleeper = make_agent("sleeper", is_active=False)
    ticket = make_ticket()
    response = api.patch(f"/api/tickets/{ticket.pk}/", {"assignee": sleeper.pk}, format="json")
    assert response.status_code == 400
    assert response.json() == {"assignee": [f"No active agent has the id {sleeper.pk}."]}
    assert Ticket.objects.get().assignee_id is None


def test_list_filters_by_me_none_and_id(required, agent, ada_client):
    grace = make_agent("grace")
    mine = make_ticket(assignee=agent)
    theirs = make_ticket(assignee=grace)
    nobodys = make_ticket()

    def ids(query):
        response = ada_client.get(f"/api/tickets/?page_size=50&{query}")
        assert response.status_code == 200
        return [t["id"] for t in response.json()["results"]]

    assert ids("assignee=me") == [mine.pk]
    assert ids("assignee=none") == [nobodys.pk]
    assert ids(f"assignee={grace.pk}") == [theirs.pk]
    assert ids("assignee=") == [nobodys.pk, theirs.pk, mine.pk]
    assert ids("assignee=me&status=open") == [mine.pk]


@pytest.mark.parametrize("value", ["someone", "-1", "1e3", "٣", "me,none"])
def test_list_refuses_a_bad_assignee_filter(api, db, value):
    response = api.get("/api/tickets/", {"assignee": value})
    assert response.status_code == 400 and "assignee" in response.json()


def test_me_without_a_signed_in_agent_is_a_clear_400_in_open_mode(api, db):
    response = api.get("/api/tickets/?assignee=me")
    assert response.status_code == 400
    assert response.json() == {"assignee": ['Sign in to use "me", or give an agent\'s id.']}


def test_every_list_shape_carries_the_assignee_as_the_serializer_does(api, agent):
    make_ticket(assignee=agent)
    make_ticket()
    expected = TicketSerializer(ticket_list(), many=True).data

    assert api.get("/api/tickets/").getvalue() == JSONRenderer().render(expected)
    assert api.get("/api/tickets/?page_size=50").json()["results"] == expected
    assert api.get("/api/tickets/?limit=50").json()["results"] == expected


def test_deleting_an_agent_leaves_their_tickets_unassigned(agent):
    ticket = make_ticket(assignee=agent)
    agent.delete()
    ticket.refresh_from_db()
    assert ticket.assignee_id is None
