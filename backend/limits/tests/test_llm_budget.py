"""The LLM bill: a daily budget shared by every process, a cap on calls in
flight per process, and the description sent to the model kept short. Each
test tries to run up the bill and shows that it cannot."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections
from triage.models import Suggestion

from devtools.fake_llm import ScriptedAnswer
from limits.models import LLMUsage
from limits.selectors import llm_usage
from limits.services import llm_budget_reserve
from tickets import llm_service
from tickets.tests.test_classify import brief

URL = "/api/tickets/classify/"
FALLBACK_BODY = {
    "suggested_category": "general",
    "suggested_priority": "medium",
    "note": "Using default values (LLM unavailable)",
}


@pytest.mark.django_db
def test_beyond_the_daily_call_limit_classify_answers_the_defaults_at_once(api, fake_llm, settings):
    settings.CLASSIFY_DAILY_LIMIT = 3
    answers = [api.post(URL, {"description": f"My invoice {i} is wrong"}, format="json") for i in range(3)]
    started = time.perf_counter()
    over = [api.post(URL, {"description": f"Another invoice {i}"}, format="json") for i in range(5)]
    elapsed = time.perf_counter() - started

    assert [a.json()["suggested_category"] for a in answers] == ["billing"] * 3
    assert [o.status_code for o in over] == [200] * 5
    assert all(brief(o) == FALLBACK_BODY for o in over), "the brief's fallback body"
    assert {o.json()["source"] for o in over} == {"default"}
    # The triage statistics count them as budget fallbacks.
    assert Suggestion.objects.filter(fallback_reason="budget").count() == 5
    assert len(fake_llm.requests) == 3, "no call past the budget reaches the LLM"
    assert elapsed < 1.0, f"budget fallbacks took {elapsed:.2f}s for 5"
    assert llm_usage()["calls"] == 3
    assert llm_service.classify_description(description="one more").fallback_reason == "budget"


@pytest.mark.django_db
def test_beyond_the_daily_token_limit_classify_answers_the_defaults(fake_llm, settings):
    settings.CLASSIFY_DAILY_LIMIT = 0  # no call limit: the tokens decide
    first = llm_service.classify_description(description="Login fails 0")
    # Room for one more call of the same size, not for a third.
    settings.CLASSIFY_DAILY_TOKEN_LIMIT = 2 * first.total_tokens - 1
    results = [first] + [llm_service.classify_description(description=f"Login fails {i}") for i in (1, 2, 3)]

    assert [r.fallback_reason for r in results] == ["", "", "budget", "budget"]
    assert len(fake_llm.requests) == 2
    assert llm_usage()["tokens"] == first.total_tokens + results[1].total_tokens


@pytest.mark.django_db
def test_cached_answers_cost_nothing_from_the_budget(fake_llm, settings):
    settings.CLASSIFY_DAILY_LIMIT = 1
    first = llm_service.classify_description(description="Refund please")
    again = [llm_service.classify_description(description="Refund please") for _ in range(3)]

    labels = (first.category, first.priority, first.fallback_reason)
    assert first.fallback_reason == "" and all(
        (a.category, a.priority, a.fallback_reason) == labels for a in again
    )
    assert all(a.cached for a in again)
    assert llm_usage()["calls"] == 1


@pytest.mark.django_db(transaction=True)
def test_the_budget_is_never_overshot_by_concurrent_processes(settings):
    """40 attempts from 8 database connections at once against a limit of 20:
    the conditional UPDATE lets exactly 20 through."""
    settings.CLASSIFY_DAILY_LIMIT = 20

    def reserve(_):
        try:
            return llm_budget_reserve() is not None
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=8) as pool:
        granted = sum(pool.map(reserve, range(40)))

    assert granted == 20
    assert LLMUsage.objects.get().calls == 20


@pytest.mark.django_db(transaction=True)
def test_calls_beyond_the_in_flight_cap_fall_back_at_once_instead_of_queueing(
    fake_llm, settings, monkeypatch
):
    settings.CLASSIFY_MAX_IN_FLIGHT = 2
    monkeypatch.setattr(fake_llm, "default_delay", 1.0)
    barrier = threading.Barrier(6)

    def classify(i):
        barrier.wait()
        started = time.perf_counter()
        try:
            result = llm_service.classify_description(description=f"The API is down {i}")
        finally:
            connections.close_all()
        return result.fallback_reason, time.perf_counter() - started

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(classify, range(6)))

    reasons = sorted(str(reason) for reason, _ in results)
    busy_times = [elapsed for reason, elapsed in results if reason == "busy"]
    assert reasons == ["", "", "busy", "busy", "busy", "busy"]
    assert max(busy_times) < 0.5, f"a busy fallback waited {max(busy_times):.2f}s"
    assert len(fake_llm.requests) == 2
    assert llm_service._in_flight.count == 0


@pytest.mark.django_db
def test_fallbacks_say_why_for_the_statistics(fake_llm, settings):
    fake_llm.answer(ScriptedAnswer(status=500), ScriptedAnswer(status=500))
    assert llm_service.classify_description(description="x y z").fallback_reason == "error"
    settings.OPENAI_API_KEY = ""
    assert llm_service.classify_description(description="x y z").fallback_reason == "no_key"
    assert "fallback_reason" not in llm_service.fallback("no_key").as_response()


@pytest.mark.django_db
def test_only_the_first_2000_characters_of_a_description_reach_the_model(fake_llm):
    description = "Billing problem. " + "x" * 49_000
    llm_service.classify_description(description=description)

    user = fake_llm.requests[0]["messages"][1]["content"]
    assert len(user) <= 2000 + len("<ticket>\n\n</ticket>")


def test_a_tag_look_alike_with_thousands_of_spaces_is_stripped_in_linear_time():
    """`<\\s*/?\\s*ticket\\s*>` backtracked quadratically: about 0.5 s of CPU
    on "<" followed by 7,998 spaces and "x"."""
    hostile = "<" + " " * 7998 + "x"
    started = time.process_time()
    for _ in range(10):
        llm_service._TICKET_TAG.sub("", hostile)
    per_call = (time.process_time() - started) / 10

    assert per_call < 0.01, f"{per_call * 1000:.1f} ms of CPU per description"
    assert llm_service._TICKET_TAG.sub("", "a< / TICKET >b<ticket>c</ticket >") == "abc"
