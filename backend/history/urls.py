from django.urls import path

from .views import TicketHistoryView

urlpatterns = [path("tickets/<int:ticket_id>/history/", TicketHistoryView.as_view(), name="ticket-history")]
