"""The services check what they write, and the API answers their
ValidationError as it answers a serializer's: a 400 naming the fields."""

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from tickets.models import Ticket
from tickets.services import ticket_update

from .factories import make_ticket

pytestmark = pytest.mark.django_db


def test_update_service_rejects_an_unknown_choice_and_writes_nothing():
    ticket = make_ticket(status="open", title="Kept")
    with pytest.raises(ValidationError) as error:
        ticket_update(ticket=ticket, data={"status": "nope", "title": "Changed"})
    assert set(error.value.message_dict) == {"status"}
    ticket.refresh_from_db()
    assert (ticket.status, ticket.title) == ("open", "Kept")


class _UpdatesThroughTheService(APIView):
    authentication_classes = []
    permission_classes = []

    def post(self, request, pk):
        ticket = ticket_update(ticket=Ticket.objects.get(pk=pk), data=request.data)
        return {"id": ticket.pk}


class _RaisesWithoutAField(APIView):
    authentication_classes = []
    permission_classes = []

    def post(self, request):
        raise ValidationError("Not now.")


def test_a_validation_error_raised_in_a_service_is_a_400_with_the_field_errors():
    ticket = make_ticket(category="billing")
    request = APIRequestFactory().post("/", {"category": "nope"}, format="json")
    response = _UpdatesThroughTheService.as_view()(request, pk=ticket.pk)
    assert response.status_code == 400
    assert response.data == {"category": ["Value 'nope' is not a valid choice."]}
    ticket.refresh_from_db()
    assert ticket.category == "billing"


def test_a_validation_error_without_a_field_is_a_400_under_non_field_errors():
    response = _RaisesWithoutAField.as_view()(APIRequestFactory().post("/", {}, format="json"))
    assert response.status_code == 400
    assert response.data == {"non_field_errors": ["Not now."]}
