from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import AgentViewSet, CsrfView, LoginView, LogoutView, MeView, TokenViewSet

router = SimpleRouter(trailing_slash=True)
router.register("auth/tokens", TokenViewSet, basename="token")
router.register("agents", AgentViewSet, basename="agent")

urlpatterns = [
    path("auth/csrf/", CsrfView.as_view(), name="auth-csrf"),
    path("auth/login/", LoginView.as_view(), name="auth-login"),
    path("auth/logout/", LogoutView.as_view(), name="auth-logout"),
    path("auth/me/", MeView.as_view(), name="auth-me"),
    *router.urls,
]
