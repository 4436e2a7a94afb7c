"""Input and output shapes of the ticket API."""
from django.core.validators import RegexValidator
from django.db import models
from rest_framework import serializers

from .models import Category, Priority, Ticket


# "Holds a character that str.strip() keeps", written so that Python's and
# JavaScript's regex engines agree: Python also strips \x1c-\x1f and \x85,
# JavaScript's \s also matches \ufeff, which Python keeps.
NOT_ONLY_WHITESPACE = RegexValidator(r"[^\s\x1c-\x1f\x85]|\ufeff", "This field may not be blank.")


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


class TicketSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    """A support ticket. Requests may carry only the writable fields."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
    }

    class Meta:
        model = Ticket
        fields = ["id", "title", "description", "category", "priority", "status", "created_at"]
        read_only_fields = ["id", "created_at"]
        # Whitespace is trimmed, so a value must hold something else; the
        # validator never fails after trimming but tells the schema so (`pattern`).
        extra_kwargs = {
            "title": {"trim_whitespace": True, "validators": [NOT_ONLY_WHITESPACE]},
            "description": {"trim_whitespace": True, "validators": [NOT_ONLY_WHITESPACE]},
        }


class TicketCursorPageSerializer(serializers.Serializer):
    """A keyset page: links to the pages after and before, no count."""

    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = TicketSerializer(many=True)


class TicketOffsetPageSerializer(TicketCursorPageSerializer):
    """An offset page with the exact number of matching tickets."""

    count = serializers.IntegerField()


class ClassifyRequestSerializer(serializers.Serializer):
    description = serializers.CharField(help_text="The ticket description to classify.")


class ClassifyResponseSerializer(serializers.Serializer):
    suggested_category = serializers.ChoiceField(choices=Category.choices)
    suggested_priority = serializers.ChoiceField(choices=Priority.choices)
    note = serializers.CharField(
        required=False, help_text="Present when the defaults were used because the LLM gave no usable answer."
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


class TicketStatsSerializer(serializers.Serializer):
    total_tickets = serializers.IntegerField()
    open_tickets = serializers.IntegerField()
    avg_tickets_per_day = serializers.FloatField()
    priority_breakdown = BreakdownByPriority()
    category_breakdown = BreakdownByCategory()


class ErrorSerializer(serializers.Serializer):
    error = serializers.CharField()


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()
