"""One place that gives every API error the shape the brief documents."""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler

from .db_timeouts import is_statement_timeout

logger = logging.getLogger(__name__)

NOT_FOUND_BODY = {"detail": "Not found."}
SERVER_ERROR_BODY = {"error": "An unexpected error occurred"}
DATABASE_UNAVAILABLE_BODY = {"error": "The database is unavailable, please retry shortly"}


def statement_timeout_body() -> dict:
    return {
        "error": f"The query took longer than {settings.DB_STATEMENT_TIMEOUT:g} s and was stopped. "
        "Narrow it: search for words of 3 or more characters or add a filter, and page with "
        "page_size and cursor (keyset pages) rather than a deep offset."
    }


def api_exception_handler(exc, context):
    """DRF's handler, plus the brief's 404 text, a 400 with the field errors
    for a Django ValidationError (raised by a service, as a serializer's would
    be), a JSON 503 when the database is down, and a JSON 500 that hides the
    details of anything unexpected."""
    if isinstance(exc, (Http404, exceptions.NotFound)):
        return Response(NOT_FOUND_BODY, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, ValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))

    response = exception_handler(exc, context)
    if response is not None:
        return response

    if isinstance(exc, OperationalError) and is_statement_timeout(exc):
        # Retrying the same query would take as long again: no Retry-After.
        logger.warning("Statement timeout in %s", context.get("view").__class__.__name__)
        return Response(statement_timeout_body(), status=status.HTTP_503_SERVICE_UNAVAILABLE)
    if isinstance(exc, (OperationalError, InterfaceError)):
        logger.warning("Database unavailable: %s", type(exc).__name__)
        return Response(
            DATABASE_UNAVAILABLE_BODY,
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": "5"},
        )
    if isinstance(exc, DatabaseError):
        logger.exception("Database error")
    else:
        logger.exception("Unhandled error in %s", context.get("view").__class__.__name__)
    return Response(SERVER_ERROR_BODY, status=status.HTTP_500_INTERNAL_SERVER_ERROR)


def not_found_view(request, exception=None):
    return JsonResponse(NOT_FOUND_BODY, status=404)


def server_error_view(request):
    return JsonResponse(SERVER_ERROR_BODY, status=500)


def bad_request_view(request, exception=None):
    return JsonResponse({"error": "Bad request"}, status=400)
