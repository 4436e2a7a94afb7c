"""Two agents, one ticket: ETag on reads and writes, If-Match on PATCH."""

import pytest
from django.db import connection
from history.models import TicketChange

from devtools.markers import requires_postgresql

from .factories import make_ticket

pytestmark = pytest.mark.django_db


def url(ticket):
    return f"/api/tickets/{ticket.pk}/"


def test_retrieve_create_and_patch_carry_an_etag_that_every_write_changes(api):
    created = api.post(
        "/api/tickets/",
        {"title": "T", "description": "D", "category": "general", "priority": "low"},
        format="json",
    )
    ticket_id = created.json()["id"]
    tags = [created["ETag"], api.get(f"/api/tickets/{ticket_id}/")["ETag"]]
    assert tags[0] == tags[1] and tags[0].startswith('"') and tags[0].endswith('"')
    for status in ["in_progress", "resolved", "open"]:
        tags.append(api.patch(f"/api/tickets/{ticket_id}/", {"status": status}, format="json")["ETag"])
    assert len(set(tags)) == 4


def test_patch_with_the_current_etag_applies(api):
    ticket = make_ticket()
    etag = api.get(url(ticket))["ETag"]
    response = api.patch(url(ticket), {"priority": "high"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200
    assert response.json()["priority"] == "high"
    assert response["ETag"] != etag


def test_patch_with_a_stale_etag_is_412_with_the_current_ticket_and_writes_nothing(api):
    ticket = make_ticket(title="Original")
    first_read = api.get(url(ticket))["ETag"]
    other_agent = api.patch(url(ticket), {"title": "Changed by Ana"}, format="json")
    changes_before = TicketChange.objects.count()

    response = api.patch(url(ticket), {"title": "Changed by Ben"}, format="json", HTTP_IF_MATCH=first_read)

    assert response.status_code == 412
    body = response.json()
    assert body["ticket"] == other_agent.json()
    assert "changed" in body["detail"]
    assert response["ETag"] == other_agent["ETag"]
    assert api.get(url(ticket)).json()["title"] == "Changed by Ana"
    assert TicketChange.objects.count() == changes_before


@pytest.mark.parametrize("header", ["*", None])
def test_patch_without_if_match_or_with_star_is_last_writer_wins(api, header):
    ticket = make_ticket()
    api.patch(url(ticket), {"status": "closed"}, format="json")
    extra = {"HTTP_IF_MATCH": header} if header else {}
    response = api.patch(url(ticket), {"status": "open"}, format="json", **extra)
    assert response.status_code == 200 and response.json()["status"] == "open"


@pytest.mark.parametrize("header", ['W/"{tag}"', '"nonsense"', "{tag}", '"other", W/"{tag}"'])
def test_weak_or_foreign_tags_do_not_match(api, header):
    ticket = make_ticket()
    tag = api.get(url(ticket))["ETag"].strip('"')
    response = api.patch(
        url(ticket), {"status": "closed"}, format="json", HTTP_IF_MATCH=header.format(tag=tag)
    )
    assert response.status_code == 412


def test_a_list_of_tags_matches_when_it_holds_the_current_one(api):
    ticket = make_ticket()
    tag = api.get(url(ticket))["ETag"]
    response = api.patch(url(ticket), {"status": "closed"}, format="json", HTTP_IF_MATCH=f'"x", {tag}')
    assert response.status_code == 200


@requires_postgresql
def test_a_raw_sql_write_also_makes_the_etag_stale(api):
    ticket = make_ticket()
    etag = api.get(url(ticket))["ETag"]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE tickets_ticket SET priority = 'low' WHERE id = %s", [ticket.pk])
    assert api.get(url(ticket))["ETag"] != etag
    response = api.patch(url(ticket), {"status": "closed"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 412
