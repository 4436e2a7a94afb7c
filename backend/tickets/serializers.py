"""Input and output shapes of the ticket API."""

from collections.abc import Iterable, Iterator
from functools import cache
from itertools import islice

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.validators import RegexValidator
from django.db import connection, models, transaction
from django.db.models import QuerySet
from rest_framework import ISO_8601, serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.settings import api_settings

from config.db_timeouts import statement_timeout_ms

from .models import Category, Priority, Ticket

# Patterns written so that Python's and JavaScript's regex engines (the API,
# Schemathesis, a generated client) read them alike.
# "No NUL character": text fields refuse NUL (DRF's ProhibitNullCharactersValidator).
NO_NUL_PATTERN = r"^[^\u0000]*$"
# "Holds a character that str.strip() keeps": Python also strips \x1c-\x1f and
# \x85, JavaScript's \s also matches \ufeff, which Python keeps.
NOT_ONLY_WHITESPACE = RegexValidator(r"[^\s\x1c-\x1f\x85]|\ufeff", "This field may not be blank.")


class TextValidator(RegexValidator):
    """Text that holds a character `str.strip()` keeps and no NUL. Its pattern
    is what the schema shows; a NUL is left to DRF's own validator, so that a
    client gets one message per problem."""

    regex = r"^[^\u0000]*(?:[^\s\u001c-\u001f\u0085\u0000]|\ufeff)[^\u0000]*$"
    message = "This field may not be blank."

    def __call__(self, value):
        if "\x00" not in str(value):
            super().__call__(value)


class StrictCharField(serializers.CharField):
    """A text field that takes only JSON strings: DRF's CharField would turn
    42 or 4.2 into "42" and "4.2", which the schema says is not a string."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictFieldsMixin:
    """Reject fields the client may not send, instead of silently ignoring them:
    unknown names and read-only fields such as `id` and `created_at`."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            errors = {}
            for name in data:
                field = self.fields.get(name)
                if field is None:
                    errors[name] = ["Unknown field."]
                elif field.read_only:
                    errors[name] = ["This field is read-only."]
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class AssigneeField(serializers.PrimaryKeyRelatedField):
    """An active agent's id, or null for nobody."""

    default_error_messages = {
        "does_not_exist": "No active agent has the id {pk_value}.",
        "incorrect_type": "Give an agent's id (a number) or null.",
    }

    def get_queryset(self):
        return get_user_model().objects.filter(is_active=True)

    def to_internal_value(self, data):
        # Only a JSON integer: DRF would also take "5", 5.0, true (as 1) and "" (as null).
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)

    def run_validation(self, data=serializers.empty):
        if isinstance(data, str):  # before DRF reads "" as null
            self.fail("incorrect_type", data_type="str")
        return super().run_validation(data)


class TicketSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    """A support ticket. Requests may carry only the writable fields."""

    assignee = AssigneeField(
        required=False,
        allow_null=True,
        help_text="The id of the agent working on it (GET /api/agents/), or null.",
    )

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
    }

    class Meta:
        model = Ticket
        fields = [
            "id",
            "title",
            "description",
            "category",
            "priority",
            "status",
            "created_at",
            "assignee",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        # Whitespace is trimmed, so a value must hold something else; the
        # validator never fails after trimming but tells the schema so (`pattern`).
        extra_kwargs = {
            "title": {"trim_whitespace": True, "validators": [TextValidator()]},
            "description": {"trim_whitespace": True, "validators": [TextValidator()]},
        }


class TicketCursorPageSerializer(serializers.Serializer):
    """A keyset page: links to the pages after and before, no count."""

    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = TicketSerializer(many=True)


class TicketOffsetPageSerializer(TicketCursorPageSerializer):
    """An offset page with the exact number of matching tickets."""

    count = serializers.IntegerField()


TICKET_FIELDS = TicketSerializer.Meta.fields


@cache
def _created_at_field() -> serializers.DateTimeField:
    return TicketSerializer().fields["created_at"]


def _created_at_representation():
    """The created_at field's `to_representation`, with its time zone looked up
    once rather than once per row (that lookup dominates a long list)."""
    field = _created_at_field()
    if getattr(field, "format", api_settings.DATETIME_FORMAT) != ISO_8601 or not settings.USE_TZ:
        return field.to_representation
    zone = field.timezone if hasattr(field, "timezone") else field.default_timezone()

    def represent(value):
        text = value.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return represent


def ticket_rows(queryset: QuerySet) -> QuerySet:
    """The tickets as `values()` rows: no model instance per row."""
    return queryset.values(*TICKET_FIELDS)


def ticket_representations(rows: Iterable[dict]) -> list[dict]:
    """What `TicketSerializer(many=True).data` gives for these `ticket_rows`,
    without a serializer per row. The columns are JSON-native as the database
    returns them, except the times, which go through the serializer's own
    field."""
    created_at = _created_at_representation()
    return [
        {
            **row,
            "created_at": created_at(row["created_at"]),
            "updated_at": None if row["updated_at"] is None else created_at(row["updated_at"]),
        }
        for row in rows
    ]


# A client that stops reading a streamed list holds a transaction open; past
# this PostgreSQL ends that session, so the backend never waits on it for long.
STREAM_IDLE_TIMEOUT_MS = 60_000


def ticket_array_chunks(
    queryset: QuerySet, *, renderer: JSONRenderer, chunk_size: int = 2000
) -> Iterator[bytes]:
    """The JSON array `TicketSerializer(queryset, many=True)` renders, byte for
    byte, in pieces: rows are read `chunk_size` at a time through a server-side
    cursor and rendered by the same renderer, so memory stays flat however many
    tickets there are.

    The cursor lives in a transaction of its own. Declared outside one (WITH
    HOLD), PostgreSQL would compute the whole result before the first row, and
    behind PgBouncer's transaction pooling the next FETCH could reach a server
    connection that does not have the cursor."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('statement_timeout', %s, true), "
                    "set_config('idle_in_transaction_session_timeout', %s, true)",
                    [str(statement_timeout_ms()), str(STREAM_IDLE_TIMEOUT_MS)],
                )
        rows = ticket_rows(queryset).iterator(chunk_size=chunk_size)
        try:
            separator = b"["
            while batch := list(islice(rows, chunk_size)):
                yield separator + renderer.render(ticket_representations(batch))[1:-1]
                separator = b","
            yield b"[]" if separator == b"[" else b"]"
        finally:
            # Close the cursor while its transaction is still open (a client
            # that left stops the stream here).
            rows.close()


class ClassifyRequestSerializer(serializers.Serializer):
    """The classify body as the schema shows it; the view reads it itself, to
    answer the brief's `{"error": ...}` shape."""

    description = serializers.CharField(
        help_text="The ticket description to classify.", validators=[NOT_ONLY_WHITESPACE]
    )


class ClassifyResponseSerializer(serializers.Serializer):
    suggested_category = serializers.ChoiceField(choices=Category.choices)
    suggested_priority = serializers.ChoiceField(choices=Priority.choices)
    note = serializers.CharField(
        required=False,
        help_text="Present when the LLM gave no usable answer: the defaults, or a vote of similar tickets.",
    )
    suggestion_id = serializers.IntegerField(
        help_text="Send it with the ticket you create, to link the ticket to this suggestion."
    )
    source = serializers.ChoiceField(
        choices=["llm", "similar", "default"], help_text="Where the suggestion came from."
    )


class BreakdownByPriority(serializers.Serializer):
    low = serializers.IntegerField()
    medium = serializers.IntegerField()
    high = serializers.IntegerField()
    critical = serializers.IntegerField()


class BreakdownByCategory(serializers.Serializer):
    billing = serializers.IntegerField()
    technical = serializers.IntegerField()
    account = serializers.IntegerField()
    general = serializers.IntegerField()


class DaySerializer(serializers.Serializer):
    date = serializers.DateField(help_text="A UTC calendar day.")
    created = serializers.IntegerField(help_text="Tickets created that day.")
    resolved = serializers.IntegerField(
        help_text="Tickets that moved to resolved or closed for the first time that day."
    )


class TicketStatsSerializer(serializers.Serializer):
    total_tickets = serializers.IntegerField()
    open_tickets = serializers.IntegerField()
    avg_tickets_per_day = serializers.FloatField()
    priority_breakdown = BreakdownByPriority()
    category_breakdown = BreakdownByCategory()
    median_hours_to_resolve = serializers.FloatField(
        allow_null=True,
        help_text="Median hours from creation to the first move to resolved or closed, over the "
        "tickets whose first resolution falls in the last 30 days (to 2 decimals); null if none.",
    )
    daily = DaySerializer(many=True, help_text="The last 30 UTC days, oldest first, today last.")


class TicketWithDetailSerializer(serializers.Serializer):
    detail = serializers.CharField()
    ticket = TicketSerializer()


class ErrorSerializer(serializers.Serializer):
    error = serializers.CharField()


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


class ChoiceSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()


class TicketMetaSerializer(serializers.Serializer):
    category = ChoiceSerializer(many=True)
    priority = ChoiceSerializer(many=True)
    status = ChoiceSerializer(many=True)
    title_max_length = serializers.IntegerField()
