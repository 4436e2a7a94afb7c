"""Content negotiation that answers the common case without parsing."""

from rest_framework.negotiation import DefaultContentNegotiation

# Accept headers for which DRF picks the first JSON renderer with its own
# media type: what browsers' fetch, scripts and load balancers send.
PLAIN_ACCEPTS = frozenset({None, "*/*", "application/json"})


class ContentNegotiation(DefaultContentNegotiation):
    """DRF's negotiation, with the answer it would give taken at once when the
    request has no `format` and accepts JSON plainly (or sends no Accept); any
    other request is negotiated by DRF as before (406 included)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        if (
            format_suffix is None
            and renderers
            and renderers[0].media_type == "application/json"
            and request.META.get("HTTP_ACCEPT") in PLAIN_ACCEPTS
            and not _format_parameter(request, self.settings.URL_FORMAT_OVERRIDE)
        ):
            return renderers[0], renderers[0].media_type
        return super().select_renderer(request, renderers, format_suffix)


def _format_parameter(request, name):
    """`?format=`, without parsing a query string that is empty (a retrieve)."""
    if not name or not request.META.get("QUERY_STRING"):
        return None
    return request.query_params.get(name)
