from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularSwaggerView

from config.schema import SchemaView

urlpatterns = [
    path("admin/", admin.site.urls),
    # Before the tickets' routes, so that tickets/similar/ is not read as a ticket id.
    path("api/", include("triage.urls")),
    path("api/", include("tickets.urls")),
    path("api/", include("accounts.urls")),
    path("api/", include("history.urls")),
    path("api/", include("comments.urls")),
    path("api/", include("live.urls")),
    path("api/schema/", SchemaView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
]

handler400 = "config.exceptions.bad_request_view"
handler404 = "config.exceptions.not_found_view"
handler500 = "config.exceptions.server_error_view"
