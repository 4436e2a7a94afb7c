from django.urls import path
from rest_framework.routers import DefaultRouter

from .views import MetaView, TicketViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("tickets", TicketViewSet, basename="ticket")

urlpatterns = [path("meta/", MetaView.as_view(), name="meta"), *router.urls]
