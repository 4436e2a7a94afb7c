from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from history.services import request_actor
from rest_framework import status
from rest_framework.generics import ListCreateAPIView
from rest_framework.response import Response

from tickets.models import Ticket
from tickets.pagination import OldestFirstPagination
from tickets.serializers import DetailSerializer

from .selectors import ticket_comments
from .serializers import CommentSerializer
from .services import comment_create

NOT_FOUND = OpenApiResponse(DetailSerializer, description="No ticket has this id.")


class TicketCommentsView(ListCreateAPIView):
    """The team's notes on one ticket."""

    serializer_class = CommentSerializer
    pagination_class = OldestFirstPagination
    filter_backends = []

    def ticket_id(self) -> int:
        ticket_id = self.kwargs["ticket_id"]
        get_object_or_404(Ticket.objects.only("id"), pk=ticket_id)
        return ticket_id

    def get_queryset(self):
        return ticket_comments(ticket_id=self.ticket_id())

    @extend_schema(
        summary="A ticket's comments, oldest first",
        responses={
            200: CommentSerializer(many=True),
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="A bad `page_size` or `cursor`."),
            404: NOT_FOUND,
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Comment on a ticket",
        description="`body`: plain text, 1 to 10,000 characters, not only whitespace.",
        responses={
            201: CommentSerializer,
            400: OpenApiResponse(
                description="The body is missing, blank, too long or holds a NUL character."
            ),
            404: NOT_FOUND,
        },
    )
    def post(self, request, *args, **kwargs):
        ticket_id = self.ticket_id()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment = comment_create(
            ticket_id=ticket_id, body=serializer.validated_data["body"], author=request_actor(request)
        )
        return Response(self.get_serializer(comment).data, status=status.HTTP_201_CREATED)
