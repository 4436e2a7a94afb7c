from django.urls import path

from .views import TicketCommentsView

urlpatterns = [
    path("tickets/<int:ticket_id>/comments/", TicketCommentsView.as_view(), name="ticket-comments")
]
