"""Writes: agents and tokens. Views, the admin and the management commands
call these."""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone

from .authentication import forget_token
from .models import ApiToken


@transaction.atomic
def agent_create(*, username: str, password: str, name: str = "", is_admin: bool = False):
    """A new active agent. The password must pass the configured validators
    (django.core.exceptions.ValidationError otherwise)."""
    User = get_user_model()
    user = User(username=username, first_name=name.strip(), is_staff=is_admin, is_superuser=is_admin)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def agent_update(*, agent, data: dict):
    """Change an agent's name, admin flag, active flag or password."""
    if "name" in data:
        agent.first_name, agent.last_name = data["name"].strip(), ""
    if "is_admin" in data:
        agent.is_staff = agent.is_superuser = data["is_admin"]
    if "is_active" in data:
        agent.is_active = data["is_active"]
    if "password" in data:
        validate_password(data["password"], agent)
        agent.set_password(data["password"])
    agent.save()
    return agent


def token_create(*, user, name: str, expiry: datetime | None = None) -> tuple[ApiToken, str]:
    """A new token and its key. The key exists only in the return value: the
    database keeps its digest."""
    lifetime = None if expiry is None else expiry - timezone.now()
    return ApiToken.objects.create(user=user, expiry=lifetime, name=name)


def token_revoke(*, token: ApiToken) -> None:
    digest = token.digest
    token.delete()
    forget_token(digest)
