"""The ticket API: a thin ViewSet over selectors, services and the LLM boundary."""

import logging
from functools import partial
from types import SimpleNamespace

from django.conf import settings
from django.db import OperationalError, transaction
from django.http import Http404, StreamingHttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from history.models import Via
from history.services import request_actor
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView
from triage.serializers import TicketCreateSerializer
from triage.services import suggestion_create, suggestion_response, ticket_create_from_suggestion

from config.db_timeouts import is_statement_timeout
from config.renderers import JSONNativeResponse
from limits.throttles import ClientScopedRateThrottle

from .filters import SEARCH_MAX_LENGTH, SEARCH_MAX_WORDS, TicketFilter, choice_filters
from .models import Category, Priority, Status, Ticket
from .ordering import DEFAULT_ORDERING, ORDERINGS, ordered, ordering_from
from .pagination import MAX_OFFSET, TicketCursorPagination, check_list_parameters, paginator_for
from .selectors import ticket_keyset_rows, ticket_list, ticket_meta, ticket_stats
from .serializers import (
    NO_NUL_PATTERN,
    BulkRequestSerializer,
    BulkResultSerializer,
    ClassifyRequestSerializer,
    ClassifyResponseSerializer,
    DetailSerializer,
    ErrorSerializer,
    TicketCursorPageSerializer,
    TicketMetaSerializer,
    TicketOffsetPageSerializer,
    TicketSerializer,
    TicketStatsSerializer,
    TicketWithDetailSerializer,
    ticket_array_chunks,
    ticket_export_chunks,
    ticket_representations,
    ticket_row,
    ticket_rows,
)
from .services import (
    BULK_MAX_TICKETS,
    BulkTooLarge,
    BulkUnknownIds,
    TicketChanged,
    ticket_bulk_update,
    ticket_update,
    ticket_version,
)

logger = logging.getLogger(__name__)

DESCRIPTION_REQUIRED = {"error": "Description is required"}
LIST_PARAMETERS = (
    "category",
    "priority",
    "status",
    "search",
    "assignee",
    "ordering",
    "limit",
    "offset",
    "page_size",
    "cursor",
)

VALIDATION_ERROR = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="Invalid input: field names mapped to lists of messages.",
    examples=[
        OpenApiExample(
            "Invalid choice",
            value={"title": ["This field is required."], "category": ['"invalid" is not a valid choice.']},
        )
    ],
)
STATEMENT_TIMEOUT = OpenApiResponse(
    ErrorSerializer,
    description="The query ran past DB_STATEMENT_TIMEOUT and was stopped (e.g. a search made only of "
    "one- or two-character words over a large table): narrow it, or page with `page_size`/`cursor`. "
    "Also the answer when the database is unavailable (then with Retry-After).",
    examples=[
        OpenApiExample(
            "Statement timeout",
            value={
                "error": "The query took longer than 5 s and was stopped. Narrow it: search for words "
                "of 3 or more characters or add a filter, and page with page_size and cursor (keyset "
                "pages) rather than a deep offset."
            },
        )
    ],
)
BULK_TIMEOUT = OpenApiResponse(
    ErrorSerializer,
    description="The change ran past DB_BULK_STATEMENT_TIMEOUT and was stopped: nothing was changed. "
    "Also the answer when the database is unavailable (then with Retry-After).",
)
NOT_FOUND = OpenApiResponse(DetailSerializer, description="No ticket has this id.")
TOO_LARGE = OpenApiResponse(ErrorSerializer, description="The request body is over the size limit.")
WRITE_THROTTLED = OpenApiResponse(
    DetailSerializer, description="Too many creates and updates from this client (`TICKET_WRITE_RATE`)."
)
TICKET_LIST = OpenApiResponse(
    PolymorphicProxySerializer(
        component_name="TicketList",
        serializers=[TicketSerializer(many=True), TicketOffsetPageSerializer, TicketCursorPageSerializer],
        resource_type_field_name=None,
        many=False,
    ),
    description="A plain array without paging parameters; with `limit`/`offset` a page with `count`; "
    "with `page_size`/`cursor` a keyset page.",
)
FILTER_PARAMETERS = [
    OpenApiParameter(
        name,
        {"type": "string", "enum": ["", *choices.values]},
        description=f"Only this {name}; empty means any.",
    )
    for name, choices in (("category", Category), ("priority", Priority), ("status", Status))
] + [
    OpenApiParameter(
        "search",
        {"type": "string", "maxLength": SEARCH_MAX_LENGTH, "pattern": NO_NUL_PATTERN},
        description="Case-insensitive text in the title or description. Every word must match "
        f"(at most {SEARCH_MAX_WORDS} different words); % and _ are taken literally.",
    ),
    OpenApiParameter(
        "assignee",
        {"type": "string", "maxLength": 20, "pattern": "^(me|none|[0-9]{1,18})?$"},
        description="`me` (the signed-in agent), `none` (unassigned) or an agent's id; empty means any.",
    ),
]
ORDERING_PARAMETER = OpenApiParameter(
    "ordering",
    {"type": "string", "enum": ["", *ORDERINGS], "default": DEFAULT_ORDERING},
    description="; ".join(f"`{name}`: {ordering.description}" for name, ordering in ORDERINGS.items())
    + f". Default `{DEFAULT_ORDERING}`. Keyset cursors belong to the ordering they came from.",
)
FILTER_PARAMETERS = [*FILTER_PARAMETERS, ORDERING_PARAMETER]
EXPORT_FORMATS = {"csv": "text/csv; charset=utf-8", "jsonl": "application/jsonl; charset=utf-8"}
EXPORT_PARAMETERS = ("category", "priority", "status", "search", "assignee", "ordering", "format")
POSITIVE_INT = {"type": "integer", "minimum": 1}
PAGING_PARAMETERS = [
    OpenApiParameter(
        "limit", POSITIVE_INT, description="Page size for an offset page with an exact `count` (max 200)."
    ),
    OpenApiParameter(
        "offset",
        {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET},
        description=f"Rows to skip, with `limit` (at most {MAX_OFFSET}; go deeper with keyset pages).",
    ),
    OpenApiParameter(
        "page_size", POSITIVE_INT, description="Page size for keyset pages without a count (max 200)."
    ),
    OpenApiParameter(
        "cursor", str, description="The position from a keyset page's `next` or `previous` link."
    ),
]


class IgnoreFormatParameter(DefaultContentNegotiation):
    """The export's `format` names the file's format, not a renderer."""

    settings = SimpleNamespace(URL_FORMAT_OVERRIDE=None)


def _export_rows(queryset, fmt):
    """The rows through a server-side cursor inside a transaction of its own
    (a plain cursor, not WITH HOLD, so it also works behind a transaction
    pooler); a client that goes away ends it."""
    with transaction.atomic():
        yield from ticket_export_chunks(queryset, fmt)


def _etag(ticket) -> dict:
    return {"ETag": f'"{ticket_version(ticket)}"'}


def _if_match(request) -> frozenset[str] | None:
    """The versions If-Match accepts: None without the header or with `*`
    (which any existing ticket matches). Weak tags never match (RFC 9110
    strong comparison), so they are left out."""
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    tags = (tag.strip() for tag in header.split(","))
    return frozenset(tag[1:-1] for tag in tags if len(tag) >= 2 and tag[0] == tag[-1] == '"')


class _Chained:
    """`first`, then the rest. Closing it closes the rest, which ends the
    list's transaction, whether the body was read in full, in part or not at
    all (a client that left)."""

    def __init__(self, first: bytes, rest):
        self.first, self.rest = first, rest

    def __iter__(self):
        yield self.first
        yield from self.rest

    def close(self):
        self.rest.close()


@extend_schema_view(
    list=extend_schema(
        summary="List tickets, newest first or in another `ordering`",
        description="A plain array without paging parameters; an offset page with `limit`/`offset`; "
        "a keyset page with `page_size`/`cursor`.",
        parameters=FILTER_PARAMETERS + PAGING_PARAMETERS,
        responses={200: TICKET_LIST, 400: VALIDATION_ERROR, 503: STATEMENT_TIMEOUT},
    ),
    create=extend_schema(
        summary="Create a ticket",
        request=TicketCreateSerializer,
        responses={201: TicketSerializer, 400: VALIDATION_ERROR, 413: TOO_LARGE, 429: WRITE_THROTTLED},
    ),
    retrieve=extend_schema(
        summary="Get one ticket",
        description="The `ETag` header holds the ticket's version, for `If-Match` on PATCH.",
        responses={200: TicketSerializer, 404: NOT_FOUND},
    ),
    partial_update=extend_schema(
        summary="Update some fields of a ticket",
        description="With `If-Match` (the `ETag` of a read), the update applies only if the ticket "
        "has not changed since; otherwise 412 with the ticket as it is now. Without it, the last "
        "writer wins.",
        parameters=[
            OpenApiParameter(
                "If-Match",
                str,
                OpenApiParameter.HEADER,
                description="An ETag from a previous read or update of this ticket, or `*`.",
            )
        ],
        responses={
            200: TicketSerializer,
            400: VALIDATION_ERROR,
            404: NOT_FOUND,
            412: OpenApiResponse(
                TicketWithDetailSerializer,
                description="The ticket changed since the version in If-Match: nothing was written; "
                "`ticket` is its current state.",
            ),
            413: TOO_LARGE,
            429: WRITE_THROTTLED,
        },
    ),
)
class TicketViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = TicketSerializer
    filterset_class = TicketFilter
    throttle_scope = None  # set per action in get_throttles
    WRITE_ACTIONS = ("create", "partial_update", "bulk")

    def get_queryset(self):
        return ticket_list()

    def filter_queryset(self, queryset):
        """The list's query parameters filter the list and its export only: a
        ticket's own address names it whatever the query string says, and is
        not charged for building and validating the list's filters."""
        if self.action not in ("list", "export"):
            return queryset
        return super().filter_queryset(queryset)

    def get_throttles(self):
        """Creates and updates share one per-client rate (`TICKET_WRITE_RATE`)."""
        if self.action in self.WRITE_ACTIONS:
            self.throttle_scope = "ticket_write"
            return [ClientScopedRateThrottle()]
        return super().get_throttles()

    def get_serializer_class(self):
        return TicketCreateSerializer if self.action == "create" else TicketSerializer

    @property
    def paginator(self):
        if not hasattr(self, "_paginator"):
            self._paginator = paginator_for(self.request) if self.action == "list" else None
        return self._paginator

    def list(self, request, *args, **kwargs):
        """Rows are read as `values()` and shaped like the serializer's output
        without a serializer per row. The plain JSON array is streamed from a
        server-side cursor, so its memory does not grow with the number of
        tickets."""
        check_list_parameters(request, LIST_PARAMETERS)
        filters = choice_filters(request.query_params)
        if filters is not None and isinstance(self.paginator, TicketCursorPagination):
            # A keyset page filtered by choices only: the FilterSet would apply
            # one equality per value, which the selector does with a statement
            # compiled once for this shape of page.
            page = self.paginator.paginate(partial(ticket_keyset_rows, filters=filters), request)
            return self.paginator.get_paginated_response(ticket_representations(page))
        queryset = ordered(self.filter_queryset(self.get_queryset()), ordering_from(request))
        if self.paginator is not None:
            page = self.paginator.paginate_queryset(ticket_rows(queryset), request, view=self)
            return self.paginator.get_paginated_response(ticket_representations(page))
        renderer = request.accepted_renderer
        if isinstance(renderer, JSONRenderer):
            chunks = ticket_array_chunks(queryset, renderer=renderer)
            # The first rows are read before the answer starts, so a query that
            # fails (a statement timeout) is a JSON error, not a broken 200.
            first = next(chunks)
            return StreamingHttpResponse(_Chained(first, chunks), content_type=renderer.media_type)
        return Response(ticket_representations(ticket_rows(queryset)))  # the browsable API

    def retrieve(self, request, *args, **kwargs):
        """One `values()` row shaped as the serializer shapes it (as the list
        does), without building a serializer for one ticket."""
        row = ticket_row(self.kwargs[self.lookup_url_kwarg or self.lookup_field])
        if row is None:
            raise Http404
        self.check_object_permissions(request, row)
        version = SimpleNamespace(pk=row["id"], created_at=row["created_at"], updated_at=row["updated_at"])
        return JSONNativeResponse(ticket_representations([row])[0], headers=_etag(version))

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ticket = ticket_create_from_suggestion(
            **serializer.validated_data, actor=request_actor(request), via=Via.API
        )
        return Response(TicketSerializer(ticket).data, status=status.HTTP_201_CREATED, headers=_etag(ticket))

    def partial_update(self, request, *args, **kwargs):
        ticket = self.get_object()
        serializer = self.get_serializer(ticket, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        try:
            ticket = ticket_update(
                ticket=ticket,
                data=serializer.validated_data,
                actor=request_actor(request),
                via=Via.API,
                expected_versions=_if_match(request),
            )
        except TicketChanged as changed:
            body = {
                "detail": "The ticket was changed by someone else; nothing was written.",
                "ticket": self.get_serializer(changed.ticket).data,
            }
            return Response(body, status=status.HTTP_412_PRECONDITION_FAILED, headers=_etag(changed.ticket))
        return Response(self.get_serializer(ticket).data, headers=_etag(ticket))

    @extend_schema(
        summary="Change many tickets at once",
        description=f"Sets the same values on the tickets `ids`, or on every ticket matching `filter` "
        f"(the list's filters), at most {BULK_MAX_TICKETS:,}: in one transaction, all or nothing. Each "
        "changed ticket gets one history entry with `via: bulk`. A filter matching more is a 400 "
        "that says how many it matched; nothing is written on any 400.",
        request=BulkRequestSerializer,
        responses={
            200: BulkResultSerializer,
            400: VALIDATION_ERROR,
            413: TOO_LARGE,
            429: WRITE_THROTTLED,
            503: BULK_TIMEOUT,
        },
    )
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def bulk(self, request):
        serializer = BulkRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        actor = request_actor(request)
        queryset = None
        if "filter" in data:
            filters = {name: value for name, value in data["filter"].items() if value != ""}
            filterset = TicketFilter(data=filters, queryset=Ticket.objects.all(), request=request)
            try:
                valid = filterset.is_valid()
                queryset = filterset.qs if valid else None
            except ValidationError as error:
                return Response({"filter": error.detail}, status=status.HTTP_400_BAD_REQUEST)
            if not valid:
                return Response({"filter": filterset.errors}, status=status.HTTP_400_BAD_REQUEST)
        try:
            updated = ticket_bulk_update(
                ids=data.get("ids"), queryset=queryset, values=data["set"], actor=actor
            )
        except BulkUnknownIds as unknown:
            shown = ", ".join(str(pk) for pk in unknown.missing[:20])
            more = f" and {len(unknown.missing) - 20} more" if len(unknown.missing) > 20 else ""
            return Response(
                {"ids": [f"No ticket has the id {shown}{more}; nothing was changed."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        except BulkTooLarge as large:
            return Response(
                {
                    "filter": [
                        f"The filter matches {large.matched:,} tickets; at most {BULK_MAX_TICKETS:,} "
                        "may be changed at once. Narrow it down."
                    ]
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        except OperationalError as error:
            if not is_statement_timeout(error):
                raise  # the database is unavailable: the shared handler's 503
            # A bulk change has its own limit, and narrowing a search is no help here.
            logger.warning("Bulk change stopped at DB_BULK_STATEMENT_TIMEOUT")
            return Response(
                {
                    "error": f"The bulk change took longer than {settings.DB_BULK_STATEMENT_TIMEOUT:g} s and "
                    "was stopped; nothing was changed. Change fewer tickets at once."
                },
                status=status.HTTP_503_SERVICE_UNAVAILABLE,
            )
        return Response({"updated": updated})

    @extend_schema(
        summary="Export tickets (CSV or JSON lines)",
        description="Every ticket matching the list's filters, in its `ordering`, streamed and never "
        "capped. `csv` (default): UTF-8 with a byte-order mark and a header row; a cell that would "
        "start with =, +, -, @, a tab or a carriage return gets a leading apostrophe so that no "
        "spreadsheet runs it as a formula. `jsonl`: one ticket per line, as the API shows it.",
        parameters=[
            *FILTER_PARAMETERS,
            OpenApiParameter(
                "format",
                {"type": "string", "enum": ["", *EXPORT_FORMATS], "default": "csv"},
                description="`csv` (default) or `jsonl`.",
            ),
        ],
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="The tickets as CSV."),
            (200, "application/jsonl"): OpenApiResponse(OpenApiTypes.STR, description="One ticket per line."),
            400: VALIDATION_ERROR,
        },
    )
    @action(
        detail=False,
        methods=["get"],
        pagination_class=None,
        renderer_classes=[JSONRenderer],
        content_negotiation_class=IgnoreFormatParameter,
    )
    def export(self, request):
        check_list_parameters(request, EXPORT_PARAMETERS)
        fmt = request.query_params.get("format") or "csv"
        if fmt not in EXPORT_FORMATS:
            return Response(
                {"format": [f'"{fmt[:20]}" is not a valid format; give csv or jsonl.']},
                status=status.HTTP_400_BAD_REQUEST,
            )
        ordering = ordering_from(request)
        queryset = ordered(self.filter_queryset(self.get_queryset()), ordering)
        response = StreamingHttpResponse(_export_rows(queryset, fmt), content_type=EXPORT_FORMATS[fmt])
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        response["Content-Disposition"] = f'attachment; filename="tickets-{stamp}.{fmt}"'
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(
        summary="Ticket statistics",
        responses={200: TicketStatsSerializer},
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def stats(self, request):
        return Response(ticket_stats())

    @extend_schema(
        summary="Suggest a category and priority (AI)",
        description="Asks the configured LLM. Without an API key, or when the LLM gives no usable "
        "answer in time, the defaults are returned with a `note`.",
        request=ClassifyRequestSerializer,
        responses={
            200: ClassifyResponseSerializer,
            400: OpenApiResponse(
                PolymorphicProxySerializer(
                    component_name="ClassifyBadRequest",
                    serializers=[ErrorSerializer, DetailSerializer],
                    resource_type_field_name=None,
                ),
                description="The description is missing or blank (`error`), or the body is not JSON (`detail`).",
            ),
            413: TOO_LARGE,
            429: OpenApiResponse(DetailSerializer, description="Too many classify calls from this client."),
        },
    )
    @action(
        detail=False,
        methods=["post"],
        filter_backends=[],
        pagination_class=None,
        throttle_classes=[ClientScopedRateThrottle],
        throttle_scope="classify",
    )
    def classify(self, request):
        data = request.data
        description = data.get("description") if isinstance(data, dict) else None
        if not isinstance(description, str) or not description.strip():
            return Response(DESCRIPTION_REQUIRED, status=status.HTTP_400_BAD_REQUEST)
        suggestion = suggestion_create(description=description.strip())
        return Response(suggestion_response(suggestion))


# The choices change only with a release of the API, so clients and proxies
# may keep them for a while.
META_MAX_AGE_SECONDS = 3600


class MetaView(APIView):
    """The category, priority and status choices (values and labels) and the
    title's length limit, so clients show what the API accepts without keeping
    a copy of their own."""

    @extend_schema(summary="Choices and limits for ticket fields", responses={200: TicketMetaSerializer})
    def get(self, request):
        response = Response(TicketMetaSerializer(ticket_meta()).data)
        patch_cache_control(response, public=True, max_age=META_MAX_AGE_SECONDS)
        return response
