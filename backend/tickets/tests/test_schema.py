"""The OpenAPI schema and the docs page describe the real API."""

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(api):
    response = api.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    return response.json()


def test_schema_lists_every_endpoint_with_its_methods(schema):
    paths = schema["paths"]
    assert set(paths["/api/tickets/"]) >= {"get", "post"}
    assert set(paths["/api/tickets/{id}/"]) >= {"get", "patch"}
    assert "put" not in paths["/api/tickets/{id}/"] and "delete" not in paths["/api/tickets/{id}/"]
    assert "get" in paths["/api/tickets/stats/"]
    assert "post" in paths["/api/tickets/classify/"]


def test_schema_documents_errors_and_query_parameters(schema):
    paths = schema["paths"]
    assert {"201", "400", "413"} <= set(paths["/api/tickets/"]["post"]["responses"])
    assert {"200", "400", "404"} <= set(paths["/api/tickets/{id}/"]["patch"]["responses"])
    assert {"200", "400", "429"} <= set(paths["/api/tickets/classify/"]["post"]["responses"])
    names = {p["name"] for p in paths["/api/tickets/"]["get"]["parameters"]}
    assert {"category", "priority", "status", "search", "limit", "offset", "page_size", "cursor"} <= names


def test_schema_ticket_marks_id_and_created_at_read_only(schema):
    ticket = schema["components"]["schemas"]["Ticket"]["properties"]
    assert ticket["id"]["readOnly"] and ticket["created_at"]["readOnly"]
    assert ticket["title"]["maxLength"] == 200


def test_docs_page_is_served_with_its_own_scripts_not_a_cdn(api):
    response = api.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower() and "https://" not in page


def _string_fields_of_request_bodies(schema):
    """(where, field schema) of every string property of a request body and every string query parameter."""
    components = schema["components"]["schemas"]
    for name in ("TicketCreateRequest", "PatchedTicketRequest", "ClassifyRequestRequest"):
        for field, spec in components[name]["properties"].items():
            if spec.get("type") == "string":
                yield f"{name}.{field}", spec
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query" and parameter["schema"].get("type") == "string":
                    yield f"{method} {path} ?{parameter['name']}", parameter["schema"]


@pytest.mark.parametrize(
    ("text", "accepted"),
    [
        ("Printer on fire", True),
        ("  padded  ", True),
        ("bad\x00title", False),
        ("\x00", False),
        ("   ", False),
    ],
)
def test_schema_patterns_of_ticket_text_say_what_the_api_accepts(schema, api, text, accepted):
    ticket = schema["components"]["schemas"]["TicketCreateRequest"]["properties"]
    for field in ("title", "description"):
        assert bool(re.search(ticket[field]["pattern"], text)) is accepted, field
        body = {"title": "t", "description": "d", "category": "general", "priority": "low", field: text}
        assert (api.post("/api/tickets/", body, format="json").status_code == 201) is accepted, field


def test_schema_says_which_string_inputs_refuse_nul(schema, api):
    """Every string input whose value the API refuses with a NUL in it says so
    with a pattern, and the others do not (classify takes any text, the cursor
    is opaque, the choice filters are enums)."""
    refusing = {
        where
        for where, spec in _string_fields_of_request_bodies(schema)
        if "pattern" in spec and not re.search(spec["pattern"], "a\x00b")
    }
    assert refusing == {
        "TicketCreateRequest.title",
        "TicketCreateRequest.description",
        "PatchedTicketRequest.title",
        "PatchedTicketRequest.description",
        "get /api/tickets/ ?search",
        "get /api/tickets/ ?assignee",
        "get /api/tickets/export/ ?search",
        "get /api/tickets/export/ ?assignee",
        "get /api/events/ ?last_event_id",
    }
    for query in ("search", "assignee"):
        assert api.get(f"/api/tickets/?{query}=a%00b").status_code == 400, query
        assert api.get(f"/api/tickets/export/?{query}=a%00b").status_code == 400, query
    assert api.get("/api/events/?last_event_id=1%00").status_code == 400
    ticket = api.post(
        "/api/tickets/",
        {"title": "t", "description": "d", "category": "general", "priority": "low"},
        format="json",
    ).json()
    for field in ("title", "description"):
        assert api.patch(f"/api/tickets/{ticket['id']}/", {field: "a\x00b"}, format="json").status_code == 400
