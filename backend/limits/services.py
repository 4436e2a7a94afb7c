"""Writes: reserving a call in the LLM's daily budget and recording its tokens."""

from datetime import UTC, date, datetime

from django.conf import settings
from django.db.models import F

from .models import LLMUsage


def utc_today() -> date:
    return datetime.now(UTC).date()


def llm_budget_reserve(*, day: date | None = None) -> date | None:
    """Count one LLM call against today's budget, if the budget allows it.

    Returns the day charged, or None when `CLASSIFY_DAILY_LIMIT` calls or
    `CLASSIFY_DAILY_TOKEN_LIMIT` tokens are used up. The check and the count are
    one conditional UPDATE, so concurrent processes can never overshoot.
    """
    day = day or utc_today()
    rows = LLMUsage.objects.filter(day=day)
    if settings.CLASSIFY_DAILY_LIMIT:
        rows = rows.filter(calls__lt=settings.CLASSIFY_DAILY_LIMIT)
    if settings.CLASSIFY_DAILY_TOKEN_LIMIT:
        rows = rows.filter(tokens__lt=settings.CLASSIFY_DAILY_TOKEN_LIMIT)
    if rows.update(calls=F("calls") + 1):
        return day
    # No row for today yet (or the budget is spent): make sure the row exists, then try once more.
    LLMUsage.objects.get_or_create(day=day)
    return day if rows.update(calls=F("calls") + 1) else None


def llm_budget_record_tokens(*, day: date, tokens: int) -> None:
    if tokens > 0:
        LLMUsage.objects.filter(day=day).update(tokens=F("tokens") + tokens)
