"""The OpenAPI schema and the docs page describe the real API."""

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
