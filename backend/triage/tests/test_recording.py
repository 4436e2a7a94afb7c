"""Every classify answer is recorded; the response keeps the brief's body and adds two keys."""

import pytest

from devtools.fake_llm import ScriptedAnswer
from triage.models import Suggestion

pytestmark = pytest.mark.django_db

URL = "/api/tickets/classify/"
FALLBACK = {
    "suggested_category": "general",
    "suggested_priority": "medium",
    "note": "Using default values (LLM unavailable)",
}


def classify(api, description="I was charged twice for my subscription this month"):
    return api.post(URL, {"description": description}, format="json")


def test_an_llm_answer_is_recorded_with_its_model_latency_and_token_usage(api, fake_llm):
    fake_llm.answer(ScriptedAnswer(content='{"category": "billing", "priority": "high"}'))
    body = classify(api).json()
    suggestion = Suggestion.objects.get()
    assert body == {
        "suggested_category": "billing",
        "suggested_priority": "high",
        "suggestion_id": suggestion.pk,
        "source": "llm",
    }
    assert (suggestion.category, suggestion.priority, suggestion.source) == ("billing", "high", "llm")
    assert suggestion.model == "gpt-4o"
    assert suggestion.fallback_reason == ""
    assert suggestion.latency_ms > 0
    # The fake server reports about one token per four characters sent.
    sent = sum(len(m["content"]) for m in fake_llm.requests[0]["messages"])
    assert suggestion.prompt_tokens == sent // 4
    assert suggestion.completion_tokens >= 1
    assert suggestion.ticket is None


def test_without_a_key_the_briefs_fallback_is_kept_and_recorded_as_default(api, settings):
    settings.OPENAI_API_KEY = ""
    body = classify(api).json()
    suggestion = Suggestion.objects.get()
    assert body == {**FALLBACK, "suggestion_id": suggestion.pk, "source": "default"}
    assert suggestion.source == "default"
    assert suggestion.fallback_reason == "no_key"
    assert suggestion.model == ""
    assert suggestion.prompt_tokens is None


def test_an_llm_failure_is_recorded_as_a_default_with_its_reason(api, fake_llm):
    failure = ScriptedAnswer(status=500, raw_body=b'{"error": {"message": "boom"}}')
    fake_llm.answer(failure, failure)
    body = classify(api).json()
    assert body["source"] == "default" and body["note"] == FALLBACK["note"]
    suggestion = Suggestion.objects.get()
    assert (suggestion.source, suggestion.fallback_reason) == ("default", "error")


def test_a_cached_answer_is_recorded_as_cached_without_tokens(api, fake_llm):
    first = classify(api, "My invoice is wrong").json()
    second = classify(api, "My invoice is wrong").json()
    assert first["suggestion_id"] != second["suggestion_id"]
    cached = Suggestion.objects.get(pk=second["suggestion_id"])
    assert cached.cached and cached.source == "llm" and cached.prompt_tokens is None
    assert len(fake_llm.requests) == 1


def test_a_bad_request_records_nothing(api, fake_llm):
    assert api.post(URL, {"description": "  "}, format="json").status_code == 400
    assert not Suggestion.objects.exists()
