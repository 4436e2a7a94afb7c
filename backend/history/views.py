from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.generics import ListAPIView

from tickets.models import Ticket
from tickets.pagination import OldestFirstPagination
from tickets.serializers import DetailSerializer

from .selectors import ticket_history
from .serializers import TicketChangeSerializer


class TicketHistoryView(ListAPIView):
    """Every change of one ticket, starting with its creation."""

    serializer_class = TicketChangeSerializer
    pagination_class = OldestFirstPagination
    filter_backends = []

    def get_queryset(self):
        ticket_id = self.kwargs["ticket_id"]
        get_object_or_404(Ticket.objects.only("id"), pk=ticket_id)
        return ticket_history(ticket_id=ticket_id)

    @extend_schema(
        summary="A ticket's history, oldest first",
        description="Every change of the ticket: when, who (`actor`, null when no one signed in), "
        "through what (`via`), and each field's old and new value. Keyset pages.",
        responses={
            200: TicketChangeSerializer(many=True),
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="A bad `page_size` or `cursor`."),
            404: OpenApiResponse(DetailSerializer, description="No ticket has this id."),
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
