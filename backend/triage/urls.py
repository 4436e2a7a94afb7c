from django.urls import path

from .views import SimilarTicketsView, TriageStatsView

urlpatterns = [
    path("tickets/similar/", SimilarTicketsView.as_view(), name="ticket-similar"),
    path("triage/stats/", TriageStatsView.as_view(), name="triage-stats"),
]
