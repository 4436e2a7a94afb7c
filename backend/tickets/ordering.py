"""The list's orderings (`?ordering=`) and the keyset positions of each.

Every ordering ends with `id`, so it is total, and all its keys run the same
way, so "after this row" is one row comparison, `(k1, k2, id) < (v1, v2, i)`,
which PostgreSQL answers as an index range: a deep page costs what the first
does. `-priority` sorts on a rank (critical 0 … low 3) that an expression
index holds (migration 0008).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import BooleanField, F, Func, IntegerField, Q, Value
from django.db.models.fields import DateTimeField
from rest_framework.exceptions import ValidationError

from .models import PRIORITY_RANK, priority_rank

DEFAULT_ORDERING = "-created_at"


@dataclass(frozen=True)
class Ordering:
    name: str
    description: str
    # (annotation or field name, kind) in order; the last is always id.
    keys: tuple[tuple[str, str], ...]
    descending: bool

    def order_by(self, *, reverse: bool = False) -> list:
        descending = self.descending != reverse
        terms = []
        for name, kind in self.keys:
            expression = F(name)
            if kind == "nullable_time":
                # PostgreSQL's own placing (NULLS FIRST when descending), which
                # ticket_updated_idx holds; said explicitly so SQLite agrees.
                terms.append(
                    expression.desc(nulls_first=True) if descending else expression.asc(nulls_last=True)
                )
            else:
                terms.append(expression.desc() if descending else expression.asc())
        return terms


ORDERINGS = {
    ordering.name: ordering
    for ordering in (
        Ordering("-created_at", "newest first", (("created_at", "time"), ("id", "id")), True),
        Ordering("created_at", "oldest first", (("created_at", "time"), ("id", "id")), False),
        Ordering(
            "-priority",
            "critical first, then high, medium, low; oldest first within a priority",
            (("priority_rank", "rank"), ("created_at", "time"), ("id", "id")),
            False,
        ),
        Ordering(
            "-updated_at", "recently changed first", (("updated_at", "nullable_time"), ("id", "id")), True
        ),
    )
}


def ordering_from(request) -> Ordering:
    raw = request.query_params.get("ordering")
    if raw in (None, ""):
        return ORDERINGS[DEFAULT_ORDERING]
    ordering = ORDERINGS.get(raw)
    if ordering is None:
        choices = ", ".join(ORDERINGS)
        raise ValidationError({"ordering": [f'"{raw[:50]}" is not a valid ordering; give one of {choices}.']})
    return ordering


def ordered(queryset, ordering: Ordering, *, reverse: bool = False):
    if any(name == "priority_rank" for name, _ in ordering.keys):
        queryset = queryset.alias(priority_rank=priority_rank())
    return queryset.order_by(*ordering.order_by(reverse=reverse))


class RowCompare(Func):
    """`(a, b, …) < (x, y, …)`: the first half of the expressions against the
    second half."""

    output_field = BooleanField()

    def __init__(self, left, operator, right):
        self.operator = operator
        self.width = len(left)
        super().__init__(*left, *right)

    def as_sql(self, compiler, connection, **extra_context):
        sqls, params = [], []
        for expression in self.get_source_expressions():
            sql, expression_params = compiler.compile(expression)
            sqls.append(sql)
            params.extend(expression_params)
        left, right = ", ".join(sqls[: self.width]), ", ".join(sqls[self.width :])
        return f"({left}) {self.operator} ({right})", params


def after(queryset, ordering: Ordering, position: list, *, reverse: bool = False):
    """The rows after `position` in the ordering (before it when `reverse`),
    in that direction's order."""
    queryset = ordered(queryset, ordering, reverse=reverse)
    descending = ordering.descending != reverse
    operator = "<" if descending else ">"
    names = [name for name, _ in ordering.keys]
    kinds = [kind for _, kind in ordering.keys]
    values = [_value(kind, value) for kind, value in zip(kinds, position, strict=True)]
    if "nullable_time" not in kinds:
        return queryset.filter(RowCompare([F(name) for name in names], operator, values))
    # -updated_at: nulls come first when descending (and last when ascending).
    name = names[0]
    if position[0] is None:
        same = Q(**{f"{name}__isnull": True}) & Q(**{f"id__{'lt' if descending else 'gt'}": position[1]})
        return (
            queryset.filter(same | Q(**{f"{name}__isnull": False})) if descending else queryset.filter(same)
        )
    later = Q(RowCompare([F(name) for name in names], operator, values))
    return queryset.filter(later if descending else later | Q(**{f"{name}__isnull": True}))


def _value(kind, value):
    if kind in ("time", "nullable_time"):
        return Value(value, output_field=DateTimeField())
    return Value(value, output_field=IntegerField())


def position_of(row: dict, ordering: Ordering) -> list:
    """A `values()` row's keys, as JSON holds them."""
    values = []
    for name, kind in ordering.keys:
        if name == "priority_rank":
            values.append(PRIORITY_RANK.get(row["priority"], len(PRIORITY_RANK)))
        elif kind in ("time", "nullable_time"):
            values.append(None if row[name] is None else row[name].isoformat())
        else:
            values.append(row[name])
    return values


def parse_position(ordering: Ordering, raw) -> list | None:
    """The position's values, or None when they do not fit the ordering."""
    if not isinstance(raw, list) or len(raw) != len(ordering.keys):
        return None
    values = []
    for (_, kind), value in zip(ordering.keys, raw, strict=True):
        if kind == "nullable_time" and value is None:
            values.append(None)
        elif kind in ("time", "nullable_time"):
            if not isinstance(value, str):
                return None
            try:
                moment = datetime.fromisoformat(value)
            except ValueError:
                return None
            if moment.tzinfo is None:
                return None
            values.append(moment)
        elif type(value) is not int or not 0 <= value < 2**63:
            return None
        else:
            values.append(value)
    return values
