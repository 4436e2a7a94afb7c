"""The OpenAPI schema's view and post-processing.

The post-processing hook adds the statuses every operation can answer with,
and says what the API enforces on request bodies (no unknown fields). Those
answers come from middleware, parsers and the exception handler rather than
from a view, so no single @extend_schema would list them everywhere.
"""

import threading

from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView


class SchemaView(SpectacularAPIView):
    """drf-spectacular loads its extensions lazily on the first schema, and two
    threads doing that at once in a fresh worker crash one of them (a 500).
    Generating one schema at a time per process avoids that race."""

    _lock = threading.Lock()

    @extend_schema(exclude=True)  # as SERVE_INCLUDE_SCHEMA=False does for the parent
    def get(self, request, *args, **kwargs):
        with self._lock:
            return super().get(request, *args, **kwargs)


ERROR = {"$ref": "#/components/schemas/Error"}
DETAIL = {"$ref": "#/components/schemas/Detail"}

# Objects with no other properties: request bodies whose serializers refuse
# unknown and read-only fields, and the two list pages (which `oneOf` must tell
# apart: an offset page has every property of a keyset page).
CLOSED_OBJECTS = (
    "TicketCreateRequest",
    "PatchedTicketRequest",
    "TicketOffsetPage",
    "TicketCursorPage",
    "LoginRequest",
    "TokenCreateRequest",
    "AgentCreateRequest",
    "PatchedAgentUpdateRequest",
    "CommentRequest",
    "BulkRequestRequest",
    "BulkFilterRequest",
    "BulkSetRequest",
)

COMMON_RESPONSES = {
    "503": (
        "The database is unavailable (retry after the Retry-After seconds), or a query ran past "
        "DB_STATEMENT_TIMEOUT and was stopped (narrow it).",
        ERROR,
    ),
}
# Operations that take credentials: without valid ones (API_AUTH=required, or
# a bad token in any mode) they answer 401; a session without the CSRF token
# cannot change anything (403).
AUTH_RESPONSES = {"401": ("No valid credentials (see API_AUTH).", DETAIL)}
UNSAFE_AUTH_RESPONSES = {"403": ("Not allowed, or a session request without its CSRF token.", DETAIL)}
BODY_RESPONSES = {
    "400": ("The body is not valid JSON or not the expected shape.", DETAIL),
    "413": ("The request body is over the size limit.", ERROR),
    "415": ("The body is not application/json.", DETAIL),
}


def _json(description, schema):
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def document_common_responses(result, generator, request, public):
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault(
        "Error", {"type": "object", "properties": {"error": {"type": "string"}}, "required": ["error"]}
    )
    schemas.setdefault(
        "Detail", {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
    )
    for name in CLOSED_OBJECTS:
        if name in schemas:
            schemas[name]["additionalProperties"] = False

    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            responses = operation.setdefault("responses", {})
            extra = dict(COMMON_RESPONSES)
            if "requestBody" in operation:
                extra.update(BODY_RESPONSES)
            if operation.get("security") != [{}] and operation.get("security"):
                extra.update(AUTH_RESPONSES)
                if method in ("post", "put", "patch", "delete"):
                    extra.update(UNSAFE_AUTH_RESPONSES)
            for status, (description, schema) in extra.items():
                responses.setdefault(status, _json(description, schema))
    return result
