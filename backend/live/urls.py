from django.urls import path

from .views import EventPollView

urlpatterns = [path("events/", EventPollView.as_view(), name="events")]
