from history.serializers import ActorSerializer
from rest_framework import serializers

from tickets.serializers import NOT_ONLY_WHITESPACE, StrictCharField, StrictFieldsMixin

from .models import BODY_MAX_LENGTH, Comment


class CommentSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    """An internal note. The body is plain text, kept exactly as sent (line
    breaks and all); clients must show it as text, never as markup."""

    body = StrictCharField(
        max_length=BODY_MAX_LENGTH, trim_whitespace=False, validators=[NOT_ONLY_WHITESPACE]
    )
    author = ActorSerializer(allow_null=True, read_only=True)

    class Meta:
        model = Comment
        fields = ["id", "body", "author", "created_at"]
        read_only_fields = ["id", "author", "created_at"]
