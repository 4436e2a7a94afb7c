"""Create accepts the suggestion the form showed and links the ticket to it, once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tickets.models import Ticket
from triage.models import Suggestion

pytestmark = pytest.mark.django_db

TICKET = {"title": "Charged twice", "description": "Two charges this month", "category": "billing"}


def suggest(**fields) -> Suggestion:
    values = {"category": "billing", "priority": "high", "source": "llm", "model": "gpt-4o"}
    values.update(fields)
    return Suggestion.objects.create(**values)


def create(api, **fields):
    return api.post("/api/tickets/", {**TICKET, "priority": "medium", **fields}, format="json")


def test_create_links_the_ticket_and_records_its_labels_at_creation(api):
    suggestion = suggest()
    response = create(api, suggestion_id=suggestion.pk)
    assert response.status_code == 201
    assert "suggestion_id" not in response.json()
    suggestion.refresh_from_db()
    assert suggestion.ticket_id == response.json()["id"]
    assert suggestion.linked_at is not None
    assert (suggestion.created_category, suggestion.created_priority) == ("billing", "medium")
    assert (suggestion.current_category, suggestion.current_priority) == ("billing", "medium")


def test_create_without_a_suggestion_works_as_before(api):
    assert create(api).status_code == 201
    assert create(api, suggestion_id=None).status_code == 201
    assert Ticket.objects.count() == 2


@pytest.mark.parametrize(
    "make_id, message",
    [
        (lambda: 987654, "Unknown suggestion."),
        (lambda: _used().pk, "This suggestion is already linked to a ticket."),
        (lambda: suggest(created_at=timezone.now() - timedelta(days=2)).pk, "This suggestion has expired."),
    ],
    ids=["unknown", "already-used", "expired"],
)
def test_a_bad_suggestion_is_a_400_naming_the_field_and_nothing_is_written(api, make_id, message):
    suggestion_id = make_id()
    before = Ticket.objects.count()
    response = create(api, suggestion_id=suggestion_id)
    assert response.status_code == 400
    assert response.json() == {"suggestion_id": [message]}
    assert Ticket.objects.count() == before


def _used() -> Suggestion:
    suggestion = suggest()
    suggestion.linked_at = timezone.now()
    suggestion.save()
    return suggestion


@pytest.mark.parametrize("value", ["abc", 0, -3, 1.5, True, [1], 2**64])
def test_a_malformed_suggestion_id_is_a_400_naming_the_field(api, value):
    response = create(api, suggestion_id=value)
    assert response.status_code == 400
    assert set(response.json()) == {"suggestion_id"}
    assert not Ticket.objects.exists()


def test_an_invalid_ticket_leaves_the_suggestion_unused(api):
    suggestion = suggest()
    response = api.post("/api/tickets/", {"title": "x", "suggestion_id": suggestion.pk}, format="json")
    assert response.status_code == 400
    suggestion.refresh_from_db()
    assert suggestion.linked_at is None and suggestion.ticket is None


def test_patch_does_not_take_a_suggestion(api):
    ticket_id = create(api).json()["id"]
    response = api.patch(f"/api/tickets/{ticket_id}/", {"suggestion_id": suggest().pk}, format="json")
    assert response.status_code == 400
    assert response.json() == {"suggestion_id": ["Unknown field."]}


def test_the_classify_then_create_flow_links_what_the_form_showed(api, settings):
    settings.OPENAI_API_KEY = ""
    shown = api.post("/api/tickets/classify/", {"description": "Two charges"}, format="json").json()
    response = create(api, suggestion_id=shown["suggestion_id"], category="general")
    assert response.status_code == 201
    suggestion = Suggestion.objects.get(pk=shown["suggestion_id"])
    assert suggestion.ticket_id == response.json()["id"]
    assert suggestion.created_category == "general"


def test_later_label_changes_follow_on_the_suggestion(api):
    suggestion = suggest()
    ticket_id = create(api, suggestion_id=suggestion.pk).json()["id"]
    api.patch(f"/api/tickets/{ticket_id}/", {"category": "technical"}, format="json")
    api.patch(f"/api/tickets/{ticket_id}/", {"status": "closed"}, format="json")
    stats = api.get("/api/triage/stats/").json()
    assert stats["agreement_now"]["category"] == 0.0
    assert stats["accepted_unchanged"]["category"] == 1.0
    assert stats["confusion"]["category"]["billing"]["technical"] == 1
