"""Agents and tokens for tests."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import ApiToken
from accounts.services import agent_create, token_create, token_revoke

PASSWORD = "correct horse battery staple 42"


def make_agent(username="ada", *, name="Ada Lovelace", is_admin=False, is_active=True):
    agent = agent_create(username=username, password=PASSWORD, name=name, is_admin=is_admin)
    if not is_active:
        get_user_model().objects.filter(pk=agent.pk).update(is_active=False)
        agent.refresh_from_db()
    return agent


def make_token(agent, *, name="script", state="valid") -> str:
    """A key for the agent: `valid`, `revoked` or `expired`."""
    token, key = token_create(user=agent, name=name, expiry=timezone.now() + timedelta(days=1))
    if state == "revoked":
        token_revoke(token=token)
    elif state == "expired":
        ApiToken.objects.filter(pk=token.pk).update(expiry=timezone.now() - timedelta(seconds=1))
    return key
