"""Throttles: an IPv6 client cannot rotate addresses within its /64, a busy
answer cache cannot reset anyone's limit, creates and updates have a per-client
rate, and the admin's sign-in is throttled like the API."""

import pytest
from django.core.cache import caches
from django.test import override_settings
from rest_framework.throttling import ScopedRateThrottle

from limits.throttles import AdminSignInThrottle, client_key
from tickets.models import Ticket

pytestmark = pytest.mark.django_db
CLASSIFY = "/api/tickets/classify/"
TICKET = {"title": "Printer", "description": "It jams", "category": "technical", "priority": "low"}


@pytest.fixture
def rates(monkeypatch):
    def set_rates(**scopes):
        monkeypatch.setattr(
            ScopedRateThrottle, "THROTTLE_RATES", {**ScopedRateThrottle.THROTTLE_RATES, **scopes}
        )

    return set_rates


def test_client_key_counts_an_ipv6_client_by_its_64_and_ipv4_as_itself():
    assert (
        client_key("2001:db8:1:2:aaaa::1")
        == client_key("2001:db8:1:2:ffff:ffff:ffff:ffff")
        == "2001:db8:1:2::/64"
    )
    assert client_key("2001:db8:1:3::1") != client_key("2001:db8:1:2::1")
    assert client_key("::ffff:192.0.2.7") == "192.0.2.7"
    assert client_key("192.0.2.7") == "192.0.2.7"


def test_an_ipv6_client_changing_address_on_every_call_stays_throttled(api, rates, settings):
    settings.OPENAI_API_KEY = ""
    rates(classify="3/minute")
    codes = [
        api.post(
            CLASSIFY, {"description": "x"}, format="json", REMOTE_ADDR=f"2001:db8:0:7::{i:x}"
        ).status_code
        for i in range(1, 6)
    ]
    neighbour = api.post(CLASSIFY, {"description": "x"}, format="json", REMOTE_ADDR="2001:db8:0:8::1")

    assert codes == [200, 200, 200, 429, 429]
    assert neighbour.status_code == 200, "another /64 is another client"


def test_a_busy_answer_cache_never_resets_a_throttle(api, rates, settings):
    """Before, throttle histories shared the answer cache (300 entries, a third
    culled when full): filling it with answers erased histories and reset limits."""
    settings.OPENAI_API_KEY = ""
    rates(classify="3/minute")
    default = {**settings.CACHES["default"], "OPTIONS": {"MAX_ENTRIES": 50, "CULL_FREQUENCY": 2}}
    with override_settings(CACHES={**settings.CACHES, "default": default}):
        assert [api.post(CLASSIFY, {"description": "x"}, format="json").status_code for _ in range(3)] == [
            200
        ] * 3
        answers = caches["default"]
        for i in range(500):  # a flood of distinct cached answers
            answers.set(f"classify:v1:flood-{i}", ("general", "medium"), 3600)
        kept = sum(answers.get(f"classify:v1:flood-{i}") is not None for i in range(500))

        assert kept < 100, "the answer cache was culled"
        assert api.post(CLASSIFY, {"description": "x"}, format="json").status_code == 429


def test_creates_and_updates_have_a_per_client_rate(api, rates):
    rates(ticket_write="4/minute")
    created = [api.post("/api/tickets/", TICKET, format="json") for _ in range(3)]
    ticket_id = created[0].json()["id"]
    patched = api.patch(f"/api/tickets/{ticket_id}/", {"status": "closed"}, format="json")
    refused = api.post("/api/tickets/", TICKET, format="json")
    refused_patch = api.patch(f"/api/tickets/{ticket_id}/", {"status": "open"}, format="json")
    reads = api.get("/api/tickets/?page_size=1")
    other_client = api.post("/api/tickets/", TICKET, format="json", REMOTE_ADDR="192.0.2.99")

    assert [c.status_code for c in created] + [patched.status_code] == [201, 201, 201, 200]
    assert refused.status_code == 429 and "throttled" in refused.json()["detail"]
    assert refused_patch.status_code == 429
    assert reads.status_code == 200, "reads are not counted"
    assert other_client.status_code == 201
    assert Ticket.objects.count() == 4
    assert Ticket.objects.get(id=ticket_id).status == "closed"


def test_admin_sign_in_is_throttled_per_client(client, monkeypatch):
    monkeypatch.setattr(AdminSignInThrottle, "THROTTLE_RATES", {"admin_sign_in": "3/minute"})
    guesses = [
        client.post("/admin/login/", {"username": "admin", "password": f"guess{i}"}).status_code
        for i in range(5)
    ]
    elsewhere = client.post("/admin/login/", {"username": "a", "password": "b"}, REMOTE_ADDR="192.0.2.50")
    page = client.get("/admin/login/")

    assert guesses == [200, 200, 200, 429, 429]
    assert elsewhere.status_code == 200
    assert page.status_code == 200, "only attempts are counted"
