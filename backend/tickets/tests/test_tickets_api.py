"""Create, list, retrieve and update, as the brief documents them."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from tickets.models import Ticket

from .factories import make_ticket

pytestmark = pytest.mark.django_db

BRIEF_TICKET = {
    "title": "Cannot access my account",
    "description": "I've been trying to log in but keep getting an error message",
    "category": "account",
    "priority": "high",
}


def test_create_returns_201_with_every_field_and_status_open(api):
    response = api.post("/api/tickets/", BRIEF_TICKET, format="json")

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {
        "id",
        "title",
        "description",
        "category",
        "priority",
        "status",
        "created_at",
        "assignee",
        "updated_at",
    }
    assert body["status"] == "open"
    assert {k: body[k] for k in BRIEF_TICKET} == BRIEF_TICKET
    assert Ticket.objects.get(pk=body["id"]).title == BRIEF_TICKET["title"]


def test_create_accepts_an_explicit_status(api):
    response = api.post("/api/tickets/", {**BRIEF_TICKET, "status": "in_progress"}, format="json")
    assert response.status_code == 201
    assert response.json()["status"] == "in_progress"


def test_create_missing_fields_lists_each_as_required(api):
    response = api.post("/api/tickets/", {}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "title": ["This field is required."],
        "description": ["This field is required."],
        "category": ["This field is required."],
        "priority": ["This field is required."],
    }
    assert Ticket.objects.count() == 0


def test_create_invalid_choice_uses_the_briefs_message(api):
    response = api.post("/api/tickets/", {**BRIEF_TICKET, "category": "invalid"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"category": ['"invalid" is not a valid choice.']}


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("title", "x" * 201, "Ensure this field has no more than 200 characters."),
        ("title", "   ", "This field may not be blank."),
        ("description", "", "This field may not be blank."),
        ("title", None, "This field may not be null."),
        ("title", "bad\x00title", "Null characters are not allowed."),
        ("description", "nul\x00byte", "Null characters are not allowed."),
        ("priority", "urgent", '"urgent" is not a valid choice.'),
        ("status", "done", '"done" is not a valid choice.'),
        ("priority", ["high"], "\"['high']\" is not a valid choice."),
        ("title", {"a": 1}, "Not a valid string."),
    ],
)
def test_create_rejects_bad_values_and_writes_nothing(api, field, value, message):
    response = api.post("/api/tickets/", {**BRIEF_TICKET, field: value}, format="json")
    assert response.status_code == 400
    assert response.json() == {field: [message]}
    assert Ticket.objects.count() == 0


def test_create_accepts_a_title_of_exactly_200_characters(api):
    response = api.post("/api/tickets/", {**BRIEF_TICKET, "title": "x" * 200}, format="json")
    assert response.status_code == 201


@pytest.mark.parametrize("field, value", [("id", 999), ("created_at", "2020-01-01T00:00:00Z")])
def test_create_refuses_read_only_fields(api, field, value):
    response = api.post("/api/tickets/", {**BRIEF_TICKET, field: value}, format="json")
    assert response.status_code == 400
    assert response.json() == {field: ["This field is read-only."]}
    assert Ticket.objects.count() == 0


def test_create_refuses_unknown_fields(api):
    response = api.post("/api/tickets/", {**BRIEF_TICKET, "owner": "bob"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"owner": ["Unknown field."]}


@pytest.mark.parametrize(
    "raw, content_type",
    [
        ('{"title": "unterminated', "application/json"),
        ("[1, 2, 3]", "application/json"),
        ('"just a string"', "application/json"),
        ("null", "application/json"),
        ("title=x", "application/x-www-form-urlencoded"),
        ("\xff\xfe", "application/json"),
    ],
)
def test_create_bad_bodies_are_4xx_and_write_nothing(api, raw, content_type):
    response = api.generic("POST", "/api/tickets/", raw, content_type=content_type)
    assert 400 <= response.status_code < 500
    assert Ticket.objects.count() == 0


def test_create_oversized_body_is_a_json_413(api, settings):
    settings.MAX_REQUEST_BODY_BYTES = 1000
    body = json.dumps({**BRIEF_TICKET, "description": "x" * 2000})
    response = api.generic("POST", "/api/tickets/", body, content_type="application/json")
    assert response.status_code == 413
    assert "too large" in response.json()["error"]
    assert Ticket.objects.count() == 0


def test_list_is_a_plain_array_newest_first(api):
    now = timezone.now()
    older = make_ticket(title="older", created_at=now - timedelta(hours=2))
    newer = make_ticket(title="newer", created_at=now - timedelta(hours=1))

    response = api.get("/api/tickets/")

    assert response.status_code == 200
    assert [t["id"] for t in response.json()] == [newer.id, older.id]


def test_list_breaks_created_at_ties_by_id_descending(api):
    moment = timezone.now()
    first = make_ticket(created_at=moment)
    second = make_ticket(created_at=moment)
    assert [t["id"] for t in api.get("/api/tickets/").json()] == [second.id, first.id]


@pytest.fixture
def mixed_tickets():
    now = timezone.now()
    rows = [
        ("Login fails", "password reset email never arrives", "account", "high", "open"),
        ("Charged twice", "I was charged twice for my subscription", "billing", "medium", "open"),
        ("App crashes", "The app crashes on start with an error", "technical", "critical", "in_progress"),
        ("Refund request", "Please refund the last invoice", "billing", "low", "resolved"),
        ("Where is the logo", "General question about branding", "general", "low", "closed"),
        ("Password policy", "How long must an account password be?", "account", "high", "open"),
    ]
    return [
        make_ticket(
            title=t, description=d, category=c, priority=p, status=s, created_at=now - timedelta(minutes=i)
        )
        for i, (t, d, c, p, s) in enumerate(rows)
    ]


@pytest.mark.parametrize(
    "query, expected_titles",
    [
        ("category=billing", ["Charged twice", "Refund request"]),
        ("priority=high", ["Login fails", "Password policy"]),
        ("status=open", ["Login fails", "Charged twice", "Password policy"]),
        ("category=account&priority=high&status=open", ["Login fails", "Password policy"]),
        ("category=billing&status=open", ["Charged twice"]),
        ("category=technical&priority=low", []),
        ("search=password", ["Login fails", "Password policy"]),
        ("search=PASSWORD", ["Login fails", "Password policy"]),
        ("search=crashes", ["App crashes"]),
        ("category=account&search=password", ["Login fails", "Password policy"]),
        ("category=billing&search=password", []),
        ("search=charged twice", ["Charged twice"]),
        (
            "search=  ",
            [
                "Login fails",
                "Charged twice",
                "App crashes",
                "Refund request",
                "Where is the logo",
                "Password policy",
            ],
        ),
        (
            "status=",
            [
                "Login fails",
                "Charged twice",
                "App crashes",
                "Refund request",
                "Where is the logo",
                "Password policy",
            ],
        ),
    ],
)
def test_list_filters_and_search(api, mixed_tickets, query, expected_titles):
    response = api.get(f"/api/tickets/?{query}")
    assert response.status_code == 200
    assert [t["title"] for t in response.json()] == expected_titles


@pytest.mark.parametrize(
    "term, expected",
    [
        ("100%", ["Discount 100% off"]),
        ("a_b", ["Path a_b"]),
        ("%", ["Discount 100% off"]),
        ("_", ["Path a_b"]),
    ],
)
def test_search_takes_percent_and_underscore_literally(api, term, expected):
    make_ticket(title="Discount 100% off", description="promo")
    make_ticket(title="Path a_b", description="file")
    make_ticket(title="Plain 1000 axb", description="none")
    response = api.get("/api/tickets/", {"search": term})
    assert [t["title"] for t in response.json()] == expected


@pytest.mark.parametrize(
    "query, field",
    [
        ("category=invalid", "category"),
        ("priority=urgent", "priority"),
        ("status=OPEN", "status"),
        ("search=" + "x" * 201, "search"),
        ("search=nul%00byte", "search"),
        ("limit=0", "limit"),
        ("limit=abc", "limit"),
        ("offset=-1", "offset"),
        ("page_size=-5", "page_size"),
        ("cursor=not-a-cursor", "cursor"),
    ],
)
def test_list_bad_query_parameters_are_400_naming_the_parameter(api, query, field):
    response = api.get(f"/api/tickets/?{query}")
    assert response.status_code == 400
    assert field in response.json()


def test_limit_offset_pages_carry_an_exact_count(api):
    now = timezone.now()
    tickets = [make_ticket(title=f"t{i}", created_at=now - timedelta(minutes=i)) for i in range(5)]

    first = api.get("/api/tickets/?limit=2").json()
    assert first["count"] == 5
    assert [t["id"] for t in first["results"]] == [tickets[0].id, tickets[1].id]
    assert first["previous"] is None
    assert "offset=2" in first["next"]

    last = api.get("/api/tickets/?limit=2&offset=4").json()
    assert [t["id"] for t in last["results"]] == [tickets[4].id]
    assert last["next"] is None


def test_limit_offset_applies_filters_to_count_and_results(api, mixed_tickets):
    body = api.get("/api/tickets/?limit=1&category=billing").json()
    assert body["count"] == 2
    assert [t["title"] for t in body["results"]] == ["Charged twice"]


def test_limit_is_capped_at_200(api):
    Ticket.objects.bulk_create(
        [Ticket(title=f"t{i}", description="d", category="general", priority="low") for i in range(205)]
    )
    assert len(api.get("/api/tickets/?limit=1000").json()["results"]) == 200


def test_cursor_pages_walk_every_ticket_once_in_order_without_a_count(api):
    moment = timezone.now()
    # Ties on created_at must not lose or repeat tickets across pages.
    tickets = [make_ticket(title=f"t{i}", created_at=moment - timedelta(minutes=i // 3)) for i in range(10)]
    expected = [t.id for t in sorted(tickets, key=lambda t: (t.created_at, t.id), reverse=True)]

    seen, url, pages = [], "/api/tickets/?page_size=3", 0
    while url:
        body = api.get(url).json()
        assert "count" not in body
        seen.extend(t["id"] for t in body["results"])
        url, pages = body["next"], pages + 1
    assert seen == expected
    assert pages == 4


def test_cursor_previous_link_returns_the_page_before(api):
    now = timezone.now()
    tickets = [make_ticket(created_at=now - timedelta(minutes=i)) for i in range(7)]
    first = api.get("/api/tickets/?page_size=3").json()
    assert first["previous"] is None
    second = api.get(first["next"]).json()
    back = api.get(second["previous"]).json()
    assert [t["id"] for t in back["results"]] == [t["id"] for t in first["results"]]
    assert [t["id"] for t in second["results"]] == [t.id for t in tickets[3:6]]


def test_cursor_pages_keep_filters(api, mixed_tickets):
    first = api.get("/api/tickets/?page_size=1&status=open").json()
    titles = [first["results"][0]["title"]]
    url = first["next"]
    while url:
        body = api.get(url).json()
        titles += [t["title"] for t in body["results"]]
        url = body["next"]
    assert titles == ["Login fails", "Charged twice", "Password policy"]


def test_retrieve_returns_the_ticket(api):
    ticket = make_ticket(title="Find me")
    response = api.get(f"/api/tickets/{ticket.id}/")
    assert response.status_code == 200
    assert response.json()["title"] == "Find me"


@pytest.mark.parametrize("ticket_id", ["999999", "abc", "-1", "99999999999999999999999", "1.5", "0"])
def test_missing_or_malformed_ids_are_the_briefs_404(api, ticket_id):
    assert api.get(f"/api/tickets/{ticket_id}/").json() == {"detail": "Not found."}
    response = api.patch(f"/api/tickets/{ticket_id}/", {"status": "closed"}, format="json")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_unknown_api_path_is_a_json_404(api):
    response = api.get("/api/nothing-here/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_patch_updates_only_the_given_fields(api):
    ticket = make_ticket(**BRIEF_TICKET)
    response = api.patch(
        f"/api/tickets/{ticket.id}/", {"status": "in_progress", "priority": "critical"}, format="json"
    )

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "in_progress"
    assert body["priority"] == "critical"
    assert body["title"] == BRIEF_TICKET["title"]
    ticket.refresh_from_db()
    assert (ticket.status, ticket.priority, ticket.category) == ("in_progress", "critical", "account")


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"status": "done"}, "status"),
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"id": 5}, "id"),
        ({"created_at": "2020-01-01T00:00:00Z"}, "created_at"),
        ({"owner": "me"}, "owner"),
        ({"description": None}, "description"),
    ],
)
def test_patch_rejects_bad_input_and_leaves_the_ticket_unchanged(api, payload, field):
    ticket = make_ticket(title="Unchanged", status="open")
    before = Ticket.objects.values().get(pk=ticket.pk)
    response = api.patch(f"/api/tickets/{ticket.id}/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert Ticket.objects.values().get(pk=ticket.pk) == before


def test_put_and_delete_are_not_offered(api):
    ticket = make_ticket()
    assert api.put(f"/api/tickets/{ticket.id}/", BRIEF_TICKET, format="json").status_code == 405
    assert api.delete(f"/api/tickets/{ticket.id}/").status_code == 405
    assert Ticket.objects.filter(pk=ticket.pk).exists()


def test_unexpected_errors_are_the_briefs_500(api, monkeypatch):
    from tickets import views

    def explode():
        raise RuntimeError("boom with secrets inside")

    monkeypatch.setattr(views, "ticket_stats", explode)
    client = api
    client.raise_request_exception = False
    response = client.get("/api/tickets/stats/")
    assert response.status_code == 500
    assert response.json() == {"error": "An unexpected error occurred"}
