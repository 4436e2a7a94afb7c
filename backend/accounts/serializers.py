"""Input and output shapes of sign-in, tokens and agents."""

from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils import timezone
from rest_framework import serializers

from tickets.serializers import StrictCharField, StrictFieldsMixin

from .selectors import agent_name


class LoginSerializer(StrictFieldsMixin, serializers.Serializer):
    username = StrictCharField(max_length=150, trim_whitespace=False)
    password = StrictCharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})


class AgentSerializer(serializers.Serializer):
    """An agent as the app shows it."""

    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)
    name = serializers.SerializerMethodField()
    is_admin = serializers.BooleanField(source="is_staff", read_only=True)

    def get_name(self, user) -> str:
        return agent_name(user)


class SignedInSerializer(AgentSerializer):
    csrf_token = serializers.CharField(
        read_only=True, help_text="Send it back in the X-CSRFToken header on unsafe requests."
    )


class CsrfSerializer(serializers.Serializer):
    csrf_token = serializers.CharField(help_text="Send it back in the X-CSRFToken header.")


class AgentCreateSerializer(StrictFieldsMixin, serializers.Serializer):
    username = StrictCharField(max_length=150, validators=[UnicodeUsernameValidator()])
    password = StrictCharField(
        min_length=8,
        max_length=4096,
        trim_whitespace=False,
        write_only=True,
        help_text="Checked by the password validators (length, common, numeric, like the username).",
    )
    name = StrictCharField(max_length=150, required=False, default="", allow_blank=True)
    is_admin = serializers.BooleanField(required=False, default=False)

    def validate_username(self, value):
        if get_user_model().objects.filter(username=value).exists():
            raise serializers.ValidationError("An agent with this username exists.")
        return value


class AgentUpdateSerializer(StrictFieldsMixin, serializers.Serializer):
    name = StrictCharField(max_length=150, required=False, allow_blank=True)
    password = StrictCharField(
        min_length=8, max_length=4096, trim_whitespace=False, write_only=True, required=False
    )
    is_admin = serializers.BooleanField(required=False)
    is_active = serializers.BooleanField(required=False)


class TokenSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    created = serializers.DateTimeField(read_only=True)
    expiry = serializers.DateTimeField(read_only=True, allow_null=True)


class TokenCreateSerializer(StrictFieldsMixin, serializers.Serializer):
    name = StrictCharField(max_length=100)
    expiry = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text="When the token stops working; null: never."
    )

    def validate_expiry(self, value):
        if value is not None and value <= timezone.now():
            raise serializers.ValidationError("Give a time in the future, or null for no expiry.")
        return value


class NewTokenSerializer(TokenSerializer):
    key = serializers.CharField(read_only=True, help_text="Shown this once; only its digest is stored.")
