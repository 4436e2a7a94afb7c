"""Reads: what the LLM has used today."""

from datetime import date

from django.conf import settings

from .models import LLMUsage
from .services import utc_today


def llm_usage(*, day: date | None = None) -> dict:
    day = day or utc_today()
    usage = LLMUsage.objects.filter(day=day).values("calls", "tokens").first() or {"calls": 0, "tokens": 0}
    return {
        "day": day.isoformat(),
        **usage,
        "call_limit": settings.CLASSIFY_DAILY_LIMIT or None,
        "token_limit": settings.CLASSIFY_DAILY_TOKEN_LIMIT or None,
    }
