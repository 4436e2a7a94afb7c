"""The production server (gunicorn, DEBUG=False) is closed unless opened on purpose."""

import json

import pytest
from django.db import connection

from accounts.tests.factories import make_agent, make_token
from devtools.db import database_url
from devtools.live import Gunicorn, http
from devtools.markers import requires_postgresql


@pytest.mark.slow
@requires_postgresql
@pytest.mark.django_db(transaction=True)
def test_production_defaults_to_required_logs_its_mode_and_never_the_key():
    key = make_token(make_agent("ada"))
    # API_AUTH empty: its default, which DEBUG=False (the live server's) makes `required`.
    env = {"DATABASE_URL": database_url(connection.settings_dict), "LOG_LEVEL": "DEBUG", "API_AUTH": ""}
    with Gunicorn(env, workers=2, threads=2) as server:
        status, headers, body = http("GET", f"{server.url}/api/tickets/")
        assert status == 401 and "detail" in json.loads(body)
        assert headers.get("WWW-Authenticate") == "Token"

        for keyword in ("Token", "Bearer"):
            status, _, body = http(
                "GET", f"{server.url}/api/tickets/", headers={"Authorization": f"{keyword} {key}"}
            )
            assert status == 200 and json.loads(body) == []

        status, _, _ = http("GET", f"{server.url}/api/schema/")
        assert status == 200
    log = server.log()
    assert "API access: required (API_AUTH)" in log
    assert key not in log
