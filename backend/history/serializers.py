from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import TicketChange, Via


class ActorSerializer(serializers.Serializer):
    """A user of the team, as shown next to what they did."""

    id = serializers.IntegerField()
    name = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        return user.get_full_name() or user.get_username()


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {"type": "array", "minItems": 2, "maxItems": 2, "items": {}},
        "example": {"status": ["open", "resolved"], "priority": ["low", "high"]},
    }
)
class ChangesField(serializers.JSONField):
    """{"field": [old, new]}; old is null in the creation entry."""


class TicketChangeSerializer(serializers.ModelSerializer):
    actor = ActorSerializer(allow_null=True, read_only=True)
    via = serializers.ChoiceField(choices=Via.choices, read_only=True)
    changes = ChangesField(read_only=True)

    class Meta:
        model = TicketChange
        fields = ["id", "at", "actor", "via", "changes"]
        read_only_fields = fields
