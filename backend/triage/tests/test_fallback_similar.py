"""CLASSIFY_FALLBACK=similar: a vote of similar labelled tickets when the LLM cannot answer."""

import pytest

from devtools.fake_llm import ScriptedAnswer
from tickets.tests.factories import make_ticket
from triage.models import Suggestion
from triage.services import SIMILAR_NOTE

pytestmark = pytest.mark.django_db

URL = "/api/tickets/classify/"
FALLBACK = {
    "suggested_category": "general",
    "suggested_priority": "medium",
    "note": "Using default values (LLM unavailable)",
}


@pytest.fixture
def similar_fallback(settings):
    settings.CLASSIFY_FALLBACK = "similar"
    settings.OPENAI_API_KEY = ""


def classify(api, description):
    return api.post(URL, {"description": description}, format="json").json()


def test_similar_labelled_tickets_vote_when_there_is_no_key(api, similar_fallback):
    for _ in range(3):
        make_ticket(
            title="Card charged twice",
            description="My card was charged twice",
            category="billing",
            priority="high",
        )
    make_ticket(title="Card charged", description="Card charged once", category="technical", priority="low")
    body = classify(api, "I was charged twice on my card")
    suggestion = Suggestion.objects.get()
    assert body == {
        "suggested_category": "billing",
        "suggested_priority": "high",
        "note": SIMILAR_NOTE,
        "suggestion_id": suggestion.pk,
        "source": "similar",
    }
    assert suggestion.source == "similar" and suggestion.fallback_reason == "no_key"
    assert suggestion.examples == 4


def test_too_few_similar_tickets_give_the_briefs_defaults_exactly(api, similar_fallback):
    make_ticket(title="Card charged twice", description="My card was charged twice", category="billing")
    body = classify(api, "I was charged twice on my card")
    assert {k: v for k, v in body.items() if k not in {"suggestion_id", "source"}} == FALLBACK
    assert body["source"] == "default"


def test_an_llm_failure_falls_back_to_the_vote(api, fake_llm, settings):
    settings.CLASSIFY_FALLBACK = "similar"
    for _ in range(2):
        make_ticket(title="Login loop", description="The login page loops forever", category="account")
    fake_llm.answer(ScriptedAnswer(content="not json"))
    body = classify(api, "The login page loops")
    assert body["source"] == "similar" and body["suggested_category"] == "account"
    assert Suggestion.objects.get().fallback_reason == "error"


def test_by_default_the_fallback_is_the_briefs_defaults(api, settings):
    settings.OPENAI_API_KEY = ""
    for _ in range(3):
        make_ticket(title="Card charged twice", description="My card was charged twice", category="billing")
    body = classify(api, "I was charged twice on my card")
    assert body["source"] == "default" and body["note"] == FALLBACK["note"]
