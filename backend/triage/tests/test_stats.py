"""GET /api/triage/stats/ against values computed by hand."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tickets.models import Ticket
from tickets.services import ticket_update
from triage.models import Suggestion
from triage.services import ticket_create_from_suggestion

pytestmark = pytest.mark.django_db

URL = "/api/triage/stats/"


def suggest(category, priority, source="llm", **fields) -> Suggestion:
    values = {"category": category, "priority": priority, "source": source}
    if source == "llm":
        values["model"] = "gpt-4o"
    values.update(fields)
    return Suggestion.objects.create(**values)


def create_from(suggestion, category, priority) -> Ticket:
    return ticket_create_from_suggestion(
        suggestion_id=suggestion.pk, title="t", description="d", category=category, priority=priority
    )


@pytest.fixture
def history():
    """Four suggestions in the window, one older:
    s1 llm billing/high   -> created billing/high, priority later changed to medium
    s2 llm technical/low  -> created account/low
    s3 default general/medium (no key), never used
    s4 similar account/medium (no key) -> created account/high
    s5 llm, 40 days old, billing/low -> created billing/low"""
    s1 = suggest("billing", "high", latency_ms=100, prompt_tokens=200, completion_tokens=10)
    s2 = suggest("technical", "low", latency_ms=300, prompt_tokens=300, completion_tokens=12)
    suggest("general", "medium", "default", latency_ms=0, fallback_reason="no_key")
    s4 = suggest("account", "medium", "similar", latency_ms=20, fallback_reason="no_key")
    old = suggest("billing", "low", latency_ms=900)
    create_from(old, "billing", "low")
    t1 = create_from(s1, "billing", "high")
    create_from(s2, "account", "low")
    create_from(s4, "account", "high")
    Suggestion.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=40))
    ticket_update(ticket=t1, data={"priority": "medium"})


def test_stats_match_hand_computed_values(api, history):
    body = api.get(URL).json()
    assert body["days"] == 30
    assert body["suggestions"] == 4
    assert body["tickets_created"] == 3
    assert body["accepted_unchanged"] == {"category": 0.6667, "priority": 0.6667, "both": 0.3333}
    assert body["agreement_now"] == {"category": 0.6667, "priority": 0.3333, "both": 0.0}
    assert body["fallback_rate"] == 0.5
    assert body["fallback_reasons"] == {"no_key": 2}
    # Latencies 0, 20, 100, 300: nearest-rank p50 = 20, p95 = 300, told within a 10% bucket.
    assert body["latency_ms"]["p50"] == pytest.approx(20, rel=0.05)
    assert body["latency_ms"]["p95"] == pytest.approx(300, rel=0.05)
    # Two answers reported usage: (200 + 300) / 2 and (10 + 12) / 2.
    assert body["tokens_per_suggestion"] == {"prompt": 250.0, "completion": 11.0, "total": 261.0}
    category = body["confusion"]["category"]
    assert category["billing"] == {"billing": 1, "technical": 0, "account": 0, "general": 0}
    assert category["technical"] == {"billing": 0, "technical": 0, "account": 1, "general": 0}
    assert category["account"]["account"] == 1
    assert sum(sum(row.values()) for row in category.values()) == 3
    priority = body["confusion"]["priority"]
    assert priority["high"]["medium"] == 1 and priority["low"]["low"] == 1 and priority["medium"]["high"] == 1
    assert sum(sum(row.values()) for row in priority.values()) == 3


def test_stats_are_split_by_source_and_by_model(api, history):
    body = api.get(URL).json()
    llm, similar, default = (body["by_source"][s] for s in ("llm", "similar", "default"))
    assert (llm["suggestions"], similar["suggestions"], default["suggestions"]) == (2, 1, 1)
    assert llm["accepted_unchanged"] == {"category": 0.5, "priority": 1.0, "both": 0.5}
    assert llm["agreement_now"] == {"category": 0.5, "priority": 0.5, "both": 0.0}
    assert llm["fallback_rate"] == 0.0
    assert llm["latency_ms"]["p50"] == pytest.approx(100, rel=0.05)
    assert llm["latency_ms"]["p95"] == pytest.approx(300, rel=0.05)
    assert similar["agreement_now"] == {"category": 1.0, "priority": 0.0, "both": 0.0}
    assert default["tickets_created"] == 0
    assert default["accepted_unchanged"] == {"category": None, "priority": None, "both": None}
    assert default["fallback_rate"] == 1.0
    assert list(body["by_model"]) == ["gpt-4o"]
    assert body["by_model"]["gpt-4o"]["suggestions"] == 2


def test_the_tallies_follow_every_write_path(api, history):
    """Deleting a ticket unlinks its suggestion; a bulk update of labels counts too."""
    Ticket.objects.filter(category="account").update(category="general")
    body = api.get(URL).json()
    assert body["confusion"]["category"]["account"] == {
        "billing": 0,
        "technical": 0,
        "account": 0,
        "general": 1,
    }
    Ticket.objects.filter(category="general").delete()
    body = api.get(URL).json()
    assert body["agreement_now"]["category"] == 1.0
    assert sum(sum(row.values()) for row in body["confusion"]["category"].values()) == 1
    assert body["tickets_created"] == 3  # created from a suggestion, whatever became of the ticket


def test_raw_sql_deletes_clear_the_links(api, history):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM tickets_ticket WHERE category = 'account'")
    assert api.get(URL).json()["agreement_now"]["category"] == 1.0
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM tickets_ticket")
    assert api.get(URL).json()["agreement_now"] == {"category": None, "priority": None, "both": None}


def test_days_widens_the_window(api, history):
    body = api.get(URL, {"days": 60}).json()
    assert body["suggestions"] == 5 and body["tickets_created"] == 4
    assert body["by_model"]["gpt-4o"]["suggestions"] == 3


def test_without_suggestions_shares_are_null_and_matrices_zero(api):
    body = api.get(URL).json()
    assert body["suggestions"] == 0 and body["fallback_rate"] is None
    assert body["latency_ms"] == {"p50": None, "p95": None}
    assert all(v == 0 for row in body["confusion"]["category"].values() for v in row.values())
    assert body["by_model"] == {}


@pytest.mark.parametrize("days", ["0", "-1", "abc", "3651", "1.5", "1e3", ""])
def test_a_bad_days_value_is_a_400_naming_it(api, days):
    response = api.get(URL, {"days": days})
    assert response.status_code == 400
    assert set(response.json()) == {"days"}
