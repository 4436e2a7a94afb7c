"""The list's three shapes.

- no paging parameter: the brief's plain JSON array;
- `limit` / `offset`: a page with an exact `count`;
- `page_size` / `cursor`: keyset pages for scrolling, with no per-page count,
  so the millionth row costs what the first does.
"""

import base64
import binascii
import json
from functools import lru_cache

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination, LimitOffsetPagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from config.renderers import JSONNativeResponse

from .ordering import DEFAULT_ORDERING, ORDERINGS, after, ordered, ordering_from, parse_position, position_of

MAX_PAGE_SIZE = 200
# PostgreSQL reads and throws away every skipped row; deeper pages are keyset pages.
MAX_OFFSET = 10_000


class TicketLimitOffsetPagination(LimitOffsetPagination):
    default_limit = 50
    max_limit = MAX_PAGE_SIZE

    def get_paginated_response(self, data):
        """DRF's page; `data` is the page's `ticket_representations`, JSON-native."""
        return JSONNativeResponse(super().get_paginated_response(data).data)

    def get_limit(self, request):
        return _positive_int_param(request, self.limit_query_param, self.max_limit) or self.default_limit

    def get_offset(self, request):
        raw = request.query_params.get(self.offset_query_param)
        if raw in (None, ""):
            return 0
        try:
            offset = int(raw)
        except ValueError:
            offset = -1
        if offset < 0:
            raise ValidationError({"offset": ["Must be a whole number of 0 or more."]})
        if offset > MAX_OFFSET:
            raise ValidationError(
                {
                    "offset": [
                        f"At most {MAX_OFFSET}. Page deeper with keyset pages: "
                        "?page_size=50, then follow `next`."
                    ]
                }
            )
        return offset


class TicketCursorPagination(BasePagination):
    """Keyset pages in the list's ordering (see ordering.py): the cursor holds
    the ordering's name and the keys of the row it continues from."""

    page_size_query_param = "page_size"
    cursor_query_param = "cursor"
    default_page_size = 50

    def paginate_queryset(self, queryset, request, view=None):
        def read(*, ordering, position, reverse, limit):
            if position is None:
                return list(ordered(queryset, ordering)[:limit])
            return list(after(queryset, ordering, position, reverse=reverse)[:limit])

        return self.paginate(read, request)

    def paginate(self, read, request):
        """The page the request asks for, its rows read by
        `read(ordering=, position=, reverse=, limit=)`: up to `limit` rows from
        the ordering's start (position None), or after the position (before
        it, nearest first, when `reverse`)."""
        self.request = request
        self.ordering = ordering_from(request)
        self.page_size = (
            _positive_int_param(request, self.page_size_query_param, MAX_PAGE_SIZE) or self.default_page_size
        )
        position, reverse = self._decode(request.query_params.get(self.cursor_query_param))
        rows = read(ordering=self.ordering, position=position, reverse=reverse, limit=self.page_size + 1)

        if position is None:
            has_more, has_before = len(rows) > self.page_size, False
            rows = rows[: self.page_size]
        elif not reverse:
            has_more, has_before = len(rows) > self.page_size, True
            rows = rows[: self.page_size]
        else:
            has_before = len(rows) > self.page_size
            rows = list(reversed(rows[: self.page_size]))
            has_more = True

        self.next_position = position_of(rows[-1], self.ordering) if rows and has_more else None
        self.previous_position = position_of(rows[0], self.ordering) if rows and has_before else None
        return rows

    def get_paginated_response(self, data):
        """`data` is the page's `ticket_representations`, JSON-native."""
        return JSONNativeResponse(
            {
                "next": self._link(self.next_position, reverse=False),
                "previous": self._link(self.previous_position, reverse=True),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def _link(self, position, *, reverse):
        if position is None:
            return None
        token = cursor_token(self.ordering, position, reverse)
        return link_with_cursor(self.request.build_absolute_uri(), self.cursor_query_param, token)

    def _decode(self, raw):
        if not raw:
            return None, False
        invalid = ValidationError({self.cursor_query_param: ["Invalid cursor."]})
        try:
            padded = raw + "=" * (-len(raw) % 4)
            data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        except (ValueError, TypeError, UnicodeError, binascii.Error):
            raise invalid from None
        if not isinstance(data, dict):
            raise invalid
        if "o" not in data and "t" in data:  # the first cursors: newest first, (created_at, id)
            data = {"o": DEFAULT_ORDERING, "k": [data.get("t"), data.get("i")], "r": data.get("r", False)}
        name, reverse = data.get("o"), data.get("r", False)
        if name not in ORDERINGS or type(reverse) is not bool:
            raise invalid
        if name != self.ordering.name:
            raise ValidationError(
                {
                    self.cursor_query_param: [
                        f"This cursor continues the ordering {name}, not {self.ordering.name}; "
                        "start again without a cursor."
                    ]
                }
            )
        position = parse_position(self.ordering, data.get("k"))
        if position is None:
            raise invalid
        return position, reverse


# Stands for the cursor while a link's template is made: letters only, so
# that the query's encoding leaves it as it is.
_CURSOR_MARK = "QcursorQmarkQ"


def link_with_cursor(url: str, name: str, token: str) -> str:
    """`replace_query_param(url, name, token)` for a cursor token (base64url,
    which the query's encoding leaves as it is). Parsing, sorting and encoding
    the query is the same for every page of one list, whatever cursor the
    request came with, so it is done once per list and kept."""
    template = _link_template(_without_param(url, name), name)
    if template is None:
        return replace_query_param(url, name, token)
    before, after = template
    return before + token + after


@lru_cache(maxsize=1024)
def _link_template(url: str, name: str) -> tuple[str, str] | None:
    linked = replace_query_param(url, name, _CURSOR_MARK)
    if linked.count(_CURSOR_MARK) != 1:
        return None  # the query holds the mark itself: no template
    before, _, after = linked.partition(_CURSOR_MARK)
    return before, after


def _without_param(url: str, name: str) -> str:
    """The URL without its query's `name=...` items, written as they came:
    `replace_query_param` drops those anyway, so the link does not depend on
    them, and the template is shared by every page."""
    base, mark, query = url.partition("?")
    if not mark or "#" in query:
        return url
    prefix = name + "="
    kept = [item for item in query.split("&") if item != name and not item.startswith(prefix)]
    return base + "?" + "&".join(kept) if kept else base


def cursor_token(ordering, position, reverse=False) -> str:
    token = json.dumps({"o": ordering.name, "k": position, "r": reverse}, separators=(",", ":"))
    return base64.urlsafe_b64encode(token.encode()).decode().rstrip("=")


def _positive_int_param(request, name, maximum):
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise ValidationError({name: ["Must be a whole number of 1 or more."]})
    return min(value, maximum)


def check_list_parameters(request, names):
    """Each list parameter holds one value, and every paging value is valid even
    when the other paging style is used: nothing in a query is silently ignored."""
    params = request.query_params
    repeated = {name: ["Give this parameter once."] for name in names if len(params.getlist(name)) > 1}
    if repeated:
        raise ValidationError(repeated)
    paging = ("limit", "offset", "page_size")
    empty = {name: ["Give a value or leave the parameter out."] for name in paging if params.get(name) == ""}
    if empty:
        raise ValidationError(empty)
    TicketLimitOffsetPagination().get_limit(request)
    TicketLimitOffsetPagination().get_offset(request)
    _positive_int_param(request, "page_size", MAX_PAGE_SIZE)
    ordering_from(request)


def paginator_for(request):
    """The paginator the request asks for, or None for the plain array."""
    params = request.query_params
    if "limit" in params or "offset" in params:
        return TicketLimitOffsetPagination()
    if "page_size" in params or "cursor" in params:
        return TicketCursorPagination()
    return None


class OldestFirstPagination(BasePagination):
    """Keyset pages over `id`, oldest first, for the records of one ticket
    (comments, history): `page_size` (default 50, max 200) and `cursor`."""

    page_size_query_param = "page_size"
    cursor_query_param = "cursor"
    default_page_size = 50

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size = (
            _positive_int_param(request, self.page_size_query_param, MAX_PAGE_SIZE) or self.default_page_size
        )
        pk, reverse = self._decode(request.query_params.get(self.cursor_query_param))
        if pk is None:
            rows = list(queryset.order_by("id")[: self.page_size + 1])
            has_more, has_before = len(rows) > self.page_size, False
            rows = rows[: self.page_size]
        elif not reverse:
            rows = list(queryset.filter(id__gt=pk).order_by("id")[: self.page_size + 1])
            has_more, has_before = len(rows) > self.page_size, True
            rows = rows[: self.page_size]
        else:
            rows = list(queryset.filter(id__lt=pk).order_by("-id")[: self.page_size + 1])
            has_before = len(rows) > self.page_size
            rows = list(reversed(rows[: self.page_size]))
            has_more = True
        self.next_position = rows[-1].pk if rows and has_more else None
        self.previous_position = rows[0].pk if rows and has_before else None
        return rows

    def get_paginated_response(self, data):
        return Response(
            {
                "next": self._link(self.next_position, reverse=False),
                "previous": self._link(self.previous_position, reverse=True),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        return TicketCursorPagination.get_paginated_response_schema(self, schema)

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Entries per page (default {self.default_page_size}, max {MAX_PAGE_SIZE}).",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "The position from a page's `next` or `previous` link.",
                "schema": {"type": "string"},
            },
        ]

    def _link(self, position, *, reverse):
        if position is None:
            return None
        token = json.dumps({"i": position, "r": reverse}, separators=(",", ":"))
        encoded = base64.urlsafe_b64encode(token.encode()).decode().rstrip("=")
        return link_with_cursor(self.request.build_absolute_uri(), self.cursor_query_param, encoded)

    def _decode(self, raw):
        if not raw:
            return None, False
        try:
            padded = raw + "=" * (-len(raw) % 4)
            data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
            pk = data["i"]
            reverse = data.get("r", False)
        except (ValueError, TypeError, KeyError, UnicodeError, binascii.Error, AttributeError):
            raise ValidationError({self.cursor_query_param: ["Invalid cursor."]}) from None
        if type(pk) is not int or not 0 <= pk < 2**63 or type(reverse) is not bool:
            raise ValidationError({self.cursor_query_param: ["Invalid cursor."]})
        return pk, reverse
