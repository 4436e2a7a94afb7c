"""The stream server's only route (live/asgi.py)."""

from django.urls import path

from .views import EventStreamView

urlpatterns = [path("api/events/", EventStreamView.as_view(), name="event-stream")]

handler400 = "config.exceptions.bad_request_view"
handler404 = "config.exceptions.not_found_view"
handler500 = "config.exceptions.server_error_view"
