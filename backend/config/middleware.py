"""Request guards that must run before Django or DRF reads the body, and the
security headers every response carries, errors included."""

import io

from django.conf import settings
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.messages.storage import default_storage
from django.http import JsonResponse
from django.utils.functional import SimpleLazyObject, empty

# JSON needs no scripts, styles, frames or plugins: a browser that is tricked
# into rendering an API response as a page gets nothing to run.
API_CONTENT_SECURITY_POLICY = (
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)
JSON_CONTENT_TYPES = ("application/json", "application/vnd.oai.openapi")


class SecurityHeadersMiddleware:
    """Outermost, so that answers given before Django's SecurityMiddleware runs
    (a 413, a 400 for a bad Content-Length) carry the same headers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", settings.SECURE_REFERRER_POLICY)
        response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        if response.get("Content-Type", "").startswith(JSON_CONTENT_TYPES):
            response.headers.setdefault("Content-Security-Policy", API_CONTENT_SECURITY_POLICY)
        return response


class RequestBodyLimitMiddleware:
    """Refuse oversized bodies with a JSON 413 before anything reads them.

    DRF reads the request stream itself, so Django's DATA_UPLOAD_MAX_MEMORY_SIZE
    alone would not protect the API. A chunked body has no Content-Length: it
    is read up to the limit here, and refused as soon as it goes past it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.MAX_REQUEST_BODY_BYTES
        if "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
            body = request.META["wsgi.input"].read(limit + 1)
            if len(body) > limit:
                return too_large(limit)
            # Django reads as many bytes as CONTENT_LENGTH says, so give it the
            # body it would otherwise see as empty.
            request.META["CONTENT_LENGTH"] = str(len(body))
            request._stream = io.BytesIO(body)
            return self.get_response(request)

        raw_length = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(raw_length)
        except ValueError:
            return JsonResponse({"error": "Invalid Content-Length header"}, status=400)
        if length < 0:
            return JsonResponse({"error": "Invalid Content-Length header"}, status=400)
        if length > limit:
            return too_large(limit)
        return self.get_response(request)


def too_large(limit):
    return JsonResponse({"error": f"Request body too large (limit {limit} bytes)"}, status=413)


class LazyMessageMiddleware(MessageMiddleware):
    """Django's flash messages, for the admin, set up only when a request uses
    them: the API never does, and building the message storage (its signer
    and both backends) on each API request costs more than its middleware."""

    def process_request(self, request):
        request._messages = SimpleLazyObject(lambda: default_storage(request))

    def process_response(self, request, response):
        messages = getattr(request, "_messages", None)
        if isinstance(messages, SimpleLazyObject) and messages._wrapped is empty:
            return response
        return super().process_response(request, response)
