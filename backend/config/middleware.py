"""Request guards that must run before Django or DRF reads the body."""
from django.conf import settings
from django.http import JsonResponse


class RequestBodyLimitMiddleware:
    """Refuse oversized bodies with a JSON 413 before anything reads them.

    DRF reads the request stream itself, so Django's DATA_UPLOAD_MAX_MEMORY_SIZE
    alone would not protect the API.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raw_length = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(raw_length)
        except ValueError:
            return JsonResponse({"error": "Invalid Content-Length header"}, status=400)
        if length < 0:
            return JsonResponse({"error": "Invalid Content-Length header"}, status=400)
        if length > settings.MAX_REQUEST_BODY_BYTES:
            return JsonResponse(
                {"error": f"Request body too large (limit {settings.MAX_REQUEST_BODY_BYTES} bytes)"},
                status=413,
            )
        return self.get_response(request)
