"""The admin writes through the services, so whatever a write does besides
saving the row happens for admin edits as for API edits."""

import pytest
from django.contrib.auth import get_user_model
from history.models import Via

from tickets import admin as ticket_admin
from tickets import services
from tickets.models import Ticket

from .factories import make_ticket

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("admin", "admin@example.com", "not-a-real-password")
    client.force_login(user)
    return client


@pytest.fixture
def service_calls(monkeypatch):
    """The real services, with each call the admin makes recorded."""
    calls = []
    for name in ("ticket_create", "ticket_update"):
        service = getattr(services, name)

        def recorded(*, _name=name, _service=service, **kwargs):
            calls.append((_name, kwargs))
            return _service(**kwargs)

        monkeypatch.setattr(ticket_admin, name, recorded)
    return calls


FORM = {
    "title": "Printer jammed",
    "description": "Paper everywhere",
    "category": "technical",
    "priority": "high",
    "status": "open",
}


def assert_updated_through_the_service(response, service_calls, ticket, **changed):
    """The admin saved, with one ticket_update call carrying only the changed fields."""
    assert response.status_code == 302
    assert [(name, kwargs["data"]) for name, kwargs in service_calls] == [("ticket_update", changed)]
    ticket.refresh_from_db()
    assert {field: getattr(ticket, field) for field in changed} == changed


def test_admin_add_creates_the_ticket_through_ticket_create(admin_client, service_calls):
    response = admin_client.post("/admin/tickets/ticket/add/", {**FORM, "_save": "Save"})
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert response.url == "/admin/tickets/ticket/"
    assert service_calls == [
        ("ticket_create", {**FORM, "actor": User.objects.get(username="admin"), "via": Via.ADMIN})
    ]
    assert (ticket.title, ticket.priority) == ("Printer jammed", "high")


def test_admin_change_form_updates_only_the_changed_fields_through_ticket_update(admin_client, service_calls):
    ticket = make_ticket(**FORM)
    response = admin_client.post(
        f"/admin/tickets/ticket/{ticket.pk}/change/", {**FORM, "status": "resolved", "_save": "Save"}
    )
    assert_updated_through_the_service(response, service_calls, ticket, status="resolved")


def test_admin_list_editable_columns_update_through_ticket_update(admin_client, service_calls):
    ticket = make_ticket(**FORM)
    response = admin_client.post(
        "/admin/tickets/ticket/",
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(ticket.pk),
            "form-0-status": "closed",
            "form-0-priority": "high",
            "_save": "Save",
        },
    )
    assert_updated_through_the_service(response, service_calls, ticket, status="closed")


def test_admin_refuses_an_invalid_choice_and_writes_nothing(admin_client, service_calls):
    ticket = make_ticket(**FORM)
    response = admin_client.post(
        f"/admin/tickets/ticket/{ticket.pk}/change/", {**FORM, "status": "nope", "_save": "Save"}
    )
    assert response.status_code == 200  # the form again, with its error
    assert service_calls == []
    ticket.refresh_from_db()
    assert ticket.status == "open"
