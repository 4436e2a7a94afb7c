"""GET /api/meta/: the field choices and limits, from the models."""

import pytest

from tickets.models import Category, Priority

pytestmark = pytest.mark.django_db


def test_meta_lists_every_choice_with_its_label_in_model_order(api):
    response = api.get("/api/meta/")

    assert response.status_code == 200
    body = response.json()
    assert body["category"] == [{"value": c.value, "label": c.label} for c in Category]
    assert body["priority"] == [{"value": p.value, "label": p.label} for p in Priority]
    assert body["status"] == [
        {"value": "open", "label": "Open"},
        {"value": "in_progress", "label": "In progress"},
        {"value": "resolved", "label": "Resolved"},
        {"value": "closed", "label": "Closed"},
    ]
    assert body["title_max_length"] == 200


def test_meta_may_be_cached_by_clients(api):
    response = api.get("/api/meta/")

    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert "public" in cache_control
    assert any(part.startswith("max-age=") and int(part.split("=")[1]) > 0 for part in cache_control)


def test_meta_refuses_writes_without_changing_anything(api):
    response = api.post("/api/meta/", {"category": []}, format="json")

    assert response.status_code == 405
    assert api.get("/api/meta/").json()["category"][0] == {"value": "billing", "label": "Billing"}


def test_meta_is_in_the_openapi_schema(api):
    schema = api.get("/api/schema/?format=json").json()

    operation = schema["paths"]["/api/meta/"]["get"]
    assert "200" in operation["responses"]
