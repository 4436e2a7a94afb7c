"""Reads: agents and their tokens."""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from .models import ApiToken


def agent_list(*, active_only: bool = True) -> QuerySet:
    agents = get_user_model().objects.order_by("username")
    return agents.filter(is_active=True) if active_only else agents


def agent_name(user) -> str:
    return user.get_full_name().strip() or user.get_username()


def token_list(*, user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)
