"""GET /api/tickets/similar/: past tickets like a text, with a score."""

import pytest

from tickets.tests.factories import make_ticket

pytestmark = pytest.mark.django_db

URL = "/api/tickets/similar/"


@pytest.fixture
def tickets():
    make_ticket(title="Charged twice", description="My card was charged twice for the subscription")
    make_ticket(title="Refund please", description="Please refund the duplicate charge on my card")
    make_ticket(
        title="Printer offline", description="The office printer shows an error", category="technical"
    )
    for n in range(6):
        make_ticket(title=f"Invoice {n}", description="Invoice charged card subscription refund duplicate")


def test_similar_tickets_come_best_first_with_a_score(api, tickets):
    response = api.get(URL, {"text": "charged twice on my card for the subscription"})
    assert response.status_code == 200
    rows = response.json()
    assert 1 <= len(rows) <= 5
    assert rows[0]["title"] == "Charged twice"
    assert set(rows[0]) == {"id", "title", "category", "priority", "status", "created_at", "score"}
    scores = [row["score"] for row in rows]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < score <= 1 for score in scores)
    assert "Printer offline" not in {row["title"] for row in rows}


def test_a_text_sharing_nothing_finds_nothing(api, tickets):
    assert api.get(URL, {"text": "zebra xylophone quartz"}).json() == []


@pytest.mark.parametrize(
    "text",
    [
        "a & b | !c <-> d:* 'quoted' \\backslash",
        "'''",
        "printer' | 'error",
        "\u00fcber na\u00efve caf\u00e9 printer",
        "the and of",
    ],
)
def test_hostile_or_odd_text_is_answered_safely(api, tickets, text):
    response = api.get(URL, {"text": text})
    assert response.status_code == 200
    assert isinstance(response.json(), list)


@pytest.mark.parametrize("params", [{}, {"text": ""}, {"text": "   "}, {"text": "x" * 2001}])
def test_a_missing_blank_or_long_text_is_a_400_naming_it(api, params):
    response = api.get(URL, params)
    assert response.status_code == 400
    assert set(response.json()) == {"text"}
