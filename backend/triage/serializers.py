"""Input and output shapes of the triage API."""

from rest_framework import serializers

from tickets.models import Category, Priority, Status
from tickets.serializers import NOT_ONLY_WHITESPACE, StrictCharField, TicketSerializer

from .selectors import SIMILAR_TEXT_MAX_CHARS

MAX_DAYS = 3650


class SimilarQuerySerializer(serializers.Serializer):
    text = StrictCharField(max_length=SIMILAR_TEXT_MAX_CHARS, validators=[NOT_ONLY_WHITESPACE])


class SimilarTicketSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    category = serializers.ChoiceField(choices=Category.choices)
    priority = serializers.ChoiceField(choices=Priority.choices)
    status = serializers.ChoiceField(choices=Status.choices)
    created_at = serializers.DateTimeField()
    score = serializers.FloatField(
        min_value=0, max_value=1, help_text="Share of the text's distinctive words the ticket contains."
    )


class TriageStatsQuerySerializer(serializers.Serializer):
    days = serializers.IntegerField(min_value=1, max_value=MAX_DAYS, default=30, required=False)


class TicketCreateSerializer(TicketSerializer):
    """A ticket, and optionally the suggestion the form showed for it."""

    suggestion_id = serializers.IntegerField(
        write_only=True,
        required=False,
        allow_null=True,
        min_value=1,
        max_value=2**63 - 1,
        help_text="The `suggestion_id` classify returned; links the ticket to it (once).",
    )

    class Meta(TicketSerializer.Meta):
        fields = [*TicketSerializer.Meta.fields, "suggestion_id"]


class ShareSerializer(serializers.Serializer):
    category = serializers.FloatField(allow_null=True)
    priority = serializers.FloatField(allow_null=True)
    both = serializers.FloatField(allow_null=True)


def _matrix(choices, name):
    row = type(
        f"{name}ConfusionRow", (serializers.Serializer,), {c: serializers.IntegerField() for c in choices}
    )
    return type(f"{name}Confusion", (serializers.Serializer,), {c: row() for c in choices})


CategoryConfusion = _matrix(Category.values, "Category")
PriorityConfusion = _matrix(Priority.values, "Priority")


class ConfusionSerializer(serializers.Serializer):
    category = CategoryConfusion(help_text="Suggested category (rows) x the ticket's current category.")
    priority = PriorityConfusion(help_text="Suggested priority (rows) x the ticket's current priority.")


class LatencySerializer(serializers.Serializer):
    p50 = serializers.FloatField(allow_null=True)
    p95 = serializers.FloatField(allow_null=True)


class TokensSerializer(serializers.Serializer):
    prompt = serializers.FloatField(allow_null=True)
    completion = serializers.FloatField(allow_null=True)
    total = serializers.FloatField(allow_null=True)


class TriageSummarySerializer(serializers.Serializer):
    suggestions = serializers.IntegerField()
    tickets_created = serializers.IntegerField(help_text="Tickets created from one of these suggestions.")
    accepted_unchanged = ShareSerializer(
        help_text="Share of those tickets created with the suggested labels."
    )
    agreement_now = ShareSerializer(help_text="Share of those tickets whose current labels agree.")
    confusion = ConfusionSerializer()
    fallback_rate = serializers.FloatField(allow_null=True)
    fallback_reasons = serializers.DictField(child=serializers.IntegerField())
    latency_ms = LatencySerializer()
    tokens_per_suggestion = TokensSerializer()


class SourceSplitSerializer(serializers.Serializer):
    llm = TriageSummarySerializer()
    similar = TriageSummarySerializer()
    default = TriageSummarySerializer()


class TriageStatsSerializer(TriageSummarySerializer):
    days = serializers.IntegerField()
    since = serializers.DateTimeField()
    by_source = SourceSplitSerializer()
    by_model = serializers.DictField(child=TriageSummarySerializer())
