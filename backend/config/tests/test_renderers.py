"""The API's JSON renderer and content negotiation answer what DRF's own do."""

import json

import pytest
from django.http import Http404
from rest_framework import renderers
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from config.negotiation import ContentNegotiation
from config.renderers import JSONNativeResponse, JSONRenderer, render_native

AWKWARD = {
    "text": 'tab\t nl\n cr\r nul\x00 bell\x07 esc\x1b del\x7f \u2028 \u2029 </script> \\ "q"',
    "unicode": "café ünïcödé 日本語 🎫 \ufeff \U0010ffff",
    "numbers": [0, -1, 2**63 - 1, -(2**63), True, False, None],
    "nested": {"empty": {}, "list": [[], [{}]], "": "empty key"},
}


def test_native_rendering_is_drfs_json_byte_for_byte():
    assert render_native(AWKWARD) == renderers.JSONRenderer().render(AWKWARD)
    assert render_native([AWKWARD, "\u2028\u2029" * 3]) == renderers.JSONRenderer().render(
        [AWKWARD, "\u2028\u2029" * 3]
    )


def test_only_responses_that_declare_native_data_skip_drfs_encoder():
    """A float is written by Python's repr (1e-05), not orjson's (0.00001)."""
    data = {"ratio": 1e-05, "big": 1e16}
    rendered = JSONRenderer().render(data, "application/json", {"response": object()})
    assert rendered == b'{"ratio":1e-05,"big":1e+16}'


def test_an_indent_is_drfs_even_for_native_data():
    context = {"response": JSONNativeResponse(AWKWARD)}
    media_type = "application/json; indent=2"
    rendered = JSONRenderer().render(AWKWARD, media_type, context)
    assert rendered == renderers.JSONRenderer().render(AWKWARD, media_type, {})
    assert b'\n  "text"' in rendered


@pytest.mark.django_db
def test_a_ticket_page_with_indent_is_drfs_pretty_json(api):
    from tickets.tests.factories import make_ticket

    make_ticket(title="Indented \u2028")
    response = api.get("/api/tickets/?page_size=5", HTTP_ACCEPT="application/json; indent=2")
    assert response["Content-Type"] == "application/json"
    assert response.content == renderers.JSONRenderer().render(
        response.data, "application/json; indent=2", {}
    )
    assert b'\n  "next": null' in response.content


ACCEPTS = [
    None,
    "*/*",
    "application/json",
    "application/json; indent=4",
    "text/html",
    "text/html, */*;q=0.1",
    "application/*",
    "application/xml",
    "",
    "*/*; q=0.5, application/json",
]
FORMATS = [None, "", "json", "api", "csv"]
RENDERER_SETS = [
    [JSONRenderer()],
    [JSONRenderer(), renderers.BrowsableAPIRenderer()],
    [renderers.BrowsableAPIRenderer(), JSONRenderer()],
]


def _outcome(negotiation, accept, fmt, renderer_set):
    headers = {} if accept is None else {"HTTP_ACCEPT": accept}
    query = {} if fmt is None else {"format": fmt}
    request = Request(APIRequestFactory().get("/api/tickets/", query, **headers))
    try:
        renderer, media_type = negotiation.select_renderer(request, renderer_set)
    except (NotAcceptable, Http404) as error:
        return type(error).__name__
    return type(renderer).__name__, media_type


@pytest.mark.parametrize("accept", ACCEPTS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_negotiation_picks_what_drf_picks(accept, fmt):
    for renderer_set in RENDERER_SETS:
        expected = _outcome(DefaultContentNegotiation(), accept, fmt, renderer_set)
        assert _outcome(ContentNegotiation(), accept, fmt, renderer_set) == expected


def test_renderer_output_parses_back_to_the_data():
    assert json.loads(render_native(AWKWARD)) == AWKWARD
