"""docker-compose.yml, .env.example, the Dockerfiles and what git ignores.

Without a Docker engine these are checked by reading them: the compose file's
shape and interpolations, and, when a compose client is installed
(`docker compose` or `docker-compose`), its own `config` validation."""

import json
import re
import shutil
import subprocess
import sys
from graphlib import TopologicalSorter
from pathlib import Path

import pytest
import yaml
from dotenv import dotenv_values

from .support import BACKEND_DIR, REPO_DIR, VENV_BIN, process_env

COMPOSE_FILE = REPO_DIR / "docker-compose.yml"
ENV_EXAMPLE = REPO_DIR / ".env.example"
INTERPOLATION = re.compile(r"\$\{([A-Z][A-Z0-9_]*)(?:(:?-|:\?)([^}]*))?\}")
# The container listens on 8000, the port docker-compose.yml maps.
NOT_FOR_CONTAINERS = {"PORT", "GUNICORN_BIND", "DATABASE_ADDRESS"}
# Services that start only when their profile is asked for.
OPTIONAL_SERVICES = {"pgbouncer": "pgbouncer"}
# Read from the shell by `make run`, not passed to any container.
MAKE_RUN_ONLY = {"BACKEND_PORT", "FRONTEND_PORT", "BIND_HOST", "EVENTS_PORT"}
# Read by docker compose itself (published address, image stage).
COMPOSE_ONLY = {"BIND_ADDRESS", "BACKEND_TARGET"}
PASSWORDS = {"POSTGRES_PASSWORD": "pg-super-secret", "APP_DB_PASSWORD": "app-secret"}

# The API image holds backend/ alone; these files are checked from the repository.
pytestmark = pytest.mark.skipif(
    not COMPOSE_FILE.exists(), reason="the repository root is not here (e.g. inside the API image)"
)


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load(COMPOSE_FILE.read_text())


def documented_variables() -> set[str]:
    """Every NAME of .env.example, set (NAME=) or shown commented (# NAME=)."""
    return set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", ENV_EXAMPLE.read_text(), flags=re.MULTILINE))


class MissingVariable(Exception):
    pass


def interpolate(value: str, environment: dict[str, str]) -> str:
    """Compose's ${VAR}, ${VAR:-default}, ${VAR-default} and ${VAR:?error}."""

    def substitute(match):
        name, operator, default = match.groups()
        given = environment.get(name)
        if given:
            return given
        if operator == ":?":
            raise MissingVariable(f"{name}: {default}")
        return default or ""

    return INTERPOLATION.sub(substitute, value)


def test_compose_file_has_the_three_services_of_the_brief_and_the_edge(compose):
    default = {name for name, service in compose["services"].items() if not service.get("profiles")}
    assert default == {"db", "backend", "events", "frontend", "edge"}
    for name, profile in OPTIONAL_SERVICES.items():
        assert compose["services"][name]["profiles"] == [profile]
    assert set(compose) <= {"services", "volumes", "networks", "configs", "secrets"}


def test_db_is_postgres_15_with_a_named_volume_and_a_healthcheck(compose):
    db = compose["services"]["db"]

    assert db["image"] == "postgres:15"
    volume, _, mount = db["volumes"][0].partition(":")
    assert mount == "/var/lib/postgresql/data"
    assert volume in compose["volumes"]
    assert "./db/init:/docker-entrypoint-initdb.d:ro" in db["volumes"]
    assert db["environment"]["POSTGRES_DB"] == "ticketdb"
    assert db["healthcheck"]["test"][0] == "CMD-SHELL"
    assert db["healthcheck"]["test"][1].startswith("pg_isready")
    assert "ports" not in db, "the database is reached by the backend only"


def test_backend_serves_8000_behind_the_edge_once_the_database_is_healthy(compose):
    backend = compose["services"]["backend"]

    assert backend["build"]["context"] == "./backend"
    assert interpolate(backend["build"]["target"], {}) == "test"
    assert "ports" not in backend and backend["expose"] == ["8000"], "reached through the edge only"
    assert backend["depends_on"] == {"db": {"condition": "service_healthy"}}
    env = backend["environment"]
    app_url = "postgresql://ticket_app:app-secret@{}/ticketdb"
    assert interpolate(env["DATABASE_URL"], PASSWORDS) == app_url.format("db:5432")
    assert interpolate(env["DATABASE_DIRECT_URL"], PASSWORDS) == app_url.format("db:5432")
    through_pgbouncer = interpolate(env["DATABASE_URL"], {**PASSWORDS, "DATABASE_ADDRESS": "pgbouncer:6432"})
    assert through_pgbouncer == app_url.format("pgbouncer:6432")
    assert interpolate(env["NUM_PROXIES"], {}) == "1"
    assert env["OPENAI_API_KEY"] == "${OPENAI_API_KEY:-}"
    assert interpolate(env["ALLOWED_HOSTS"], {}) == "localhost,127.0.0.1,backend"
    assert interpolate(env["CORS_ALLOWED_ORIGINS"], {}) == "http://localhost:3000,http://127.0.0.1:3000"
    assert interpolate(env["DEBUG"], {}) == "True"
    assert "/api/tickets/" in " ".join(backend["healthcheck"]["test"])


def test_the_optional_pgbouncer_pools_transactions_in_front_of_the_healthy_database(compose):
    pgbouncer = compose["services"]["pgbouncer"]

    assert pgbouncer["build"] == "./pgbouncer"
    assert pgbouncer["environment"]["POOL_MODE"] == "transaction"
    assert pgbouncer["environment"]["DB_HOST"] == "db"
    assert pgbouncer["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert "ports" not in pgbouncer, "reached by the API only"
    entrypoint = (REPO_DIR / "pgbouncer" / "entrypoint.sh").read_text()
    assert "pool_mode = $POOL_MODE" in entrypoint and "listen_port = 6432" in entrypoint


def test_frontend_serves_3000_built_for_the_api_on_8000(compose):
    frontend = compose["services"]["frontend"]

    assert frontend["build"]["context"] == "./frontend"
    assert interpolate(frontend["build"]["args"]["REACT_APP_API_URL"], {}) == "http://localhost:8000"
    assert [interpolate(port, {}) for port in frontend["ports"]] == ["127.0.0.1:3000:3000"]
    assert frontend["depends_on"] == ["edge"]


def test_the_edge_publishes_the_api_on_8000_with_the_repository_config(compose):
    edge = compose["services"]["edge"]

    assert edge["image"].startswith("nginx:")
    assert "./edge/nginx.conf:/etc/nginx/nginx.conf:ro" in edge["volumes"]
    assert [interpolate(port, {}) for port in edge["ports"]] == ["127.0.0.1:8000:8080"]
    assert edge["depends_on"] == {
        "backend": {"condition": "service_healthy"},
        "events": {"condition": "service_healthy"},
    }


def test_published_ports_are_on_loopback_unless_env_says_otherwise(compose):
    published = [port for service in compose["services"].values() for port in service.get("ports", [])]

    assert published and all(interpolate(port, {}).startswith("127.0.0.1:") for port in published)
    assert all(interpolate(port, {"BIND_ADDRESS": "0.0.0.0"}).startswith("0.0.0.0:") for port in published)


def test_compose_refuses_to_start_without_the_database_passwords(compose):
    db, backend = compose["services"]["db"], compose["services"]["backend"]
    for missing in PASSWORDS:
        others = {name: value for name, value in PASSWORDS.items() if name != missing}
        with pytest.raises(MissingVariable, match=missing):
            for value in [*db["environment"].values(), backend["environment"]["DATABASE_URL"]]:
                interpolate(str(value), others)
    assert "postgres:postgres" not in COMPOSE_FILE.read_text()


def test_services_start_in_dependency_order(compose):
    def needs(service):
        depends = service.get("depends_on", [])
        return list(depends) if isinstance(depends, (dict, list)) else []

    graph = {
        name: needs(service) for name, service in compose["services"].items() if name not in OPTIONAL_SERVICES
    }

    assert list(TopologicalSorter(graph).static_order()) == ["db", "backend", "events", "edge", "frontend"]


def test_compose_interpolations_are_well_formed_and_documented():
    text = COMPOSE_FILE.read_text()
    dollars = [m.start() for m in re.finditer(r"\$(?!\$)", text)]
    matched = {m.start() for m in INTERPOLATION.finditer(text)}

    assert set(dollars) == matched, "every $ in docker-compose.yml is a ${VAR...} interpolation"
    used = {m.group(1) for m in INTERPOLATION.finditer(text)}
    assert used - documented_variables() == set()


# Runs a Python file with os.environ recording every name looked up; prints them.
ENVIRONMENT_RECORDER = """
import json, os, runpy, sys

read = set()


class Recording(dict):
    def __getitem__(self, key):
        read.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        read.add(key)
        return super().get(key, default)

    def __contains__(self, key):
        read.add(key)
        return super().__contains__(key)


os.environ = Recording(os.environ)
runpy.run_path(sys.argv[1])
print(json.dumps(sorted(read)))
"""


def python_json(*args: str, env: dict[str, str]):
    """The JSON that `python *args`, run in backend/ without DATABASE_URL, prints last."""
    result = subprocess.run(
        [sys.executable, *args],
        cwd=BACKEND_DIR,
        env=process_env(DATABASE_URL=None, **env),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def variables_read_by(path: Path, **env: str) -> set[str]:
    return set(python_json("-c", ENVIRONMENT_RECORDER, str(path), env=env))


def test_env_example_documents_every_variable_the_backend_reads():
    settings = BACKEND_DIR / "config" / "settings.py"
    read = (
        variables_read_by(settings)
        | variables_read_by(settings, DEBUG="False", SECRET_KEY="x" * 50)
        | variables_read_by(BACKEND_DIR / "gunicorn.conf.py")
    )
    read |= set(re.findall(r"\$\{([A-Z][A-Z0-9_]*):-", (BACKEND_DIR / "entrypoint.sh").read_text()))
    # The entrypoint's interpreter for native runs, and python-dotenv's own switch.
    read -= {"PYTHON", "PYTHON_DOTENV_DISABLED"}

    assert {"DATABASE_URL", "OPENAI_API_KEY", "WEB_CONCURRENCY", "DB_WAIT_SECONDS"} <= read
    assert read - documented_variables() == set()


def test_compose_passes_every_documented_variable_to_the_containers(compose):
    passed = (
        set(compose["services"]["backend"]["environment"])
        | set(compose["services"]["db"]["environment"])
        | set(compose["services"]["events"]["environment"])
        | set(compose["services"]["frontend"]["build"]["args"])
    )

    assert documented_variables() - passed == NOT_FOR_CONTAINERS | MAKE_RUN_ONLY | COMPOSE_ONLY


SETTINGS_PROBE = """
import json
from django.conf import settings as s
print(json.dumps({
    "debug": s.DEBUG, "hosts": s.ALLOWED_HOSTS, "cors": s.CORS_ALLOWED_ORIGINS,
    "model": s.OPENAI_MODEL, "base_url": s.OPENAI_BASE_URL, "timeout": s.OPENAI_TIMEOUT,
    "cache": s.CLASSIFY_CACHE_SECONDS, "rates": s.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
    "log": s.LOGGING["root"]["level"], "body": s.MAX_REQUEST_BODY_BYTES, "proxies": s.NUM_PROXIES,
    "conn": s.DATABASES["default"]["CONN_MAX_AGE"], "ssl": s.SECURE_SSL_REDIRECT, "hsts": s.SECURE_HSTS_SECONDS,
    "proxy_header": getattr(s, "SECURE_PROXY_SSL_HEADER", None),
    "cookies": [s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE],
}))
"""


def settings_under(env: dict[str, str]) -> dict:
    return python_json("manage.py", "shell", "--no-imports", "-c", SETTINGS_PROBE, env=env)


def test_env_example_copied_as_is_changes_no_setting():
    example = {name: value or "" for name, value in dotenv_values(ENV_EXAMPLE).items()}

    assert settings_under(example) == settings_under(dict.fromkeys(example))


def test_compose_environment_with_an_empty_env_file_gives_the_default_settings(compose):
    # NUM_PROXIES differs on purpose: behind the edge the API trusts one proxy.
    backend_env = {
        name: interpolate(str(value), {})
        for name, value in compose["services"]["backend"]["environment"].items()
        if name not in ("DATABASE_URL", "DATABASE_DIRECT_URL", "NUM_PROXIES")
    }
    unset = dict.fromkeys(backend_env)

    assert settings_under(backend_env) == settings_under(unset)


def test_compose_environment_with_an_empty_env_file_gives_the_default_server_settings(compose):
    backend_env = {
        name: interpolate(str(value), {})
        for name, value in compose["services"]["backend"]["environment"].items()
        if name.startswith("GUNICORN_") or name == "OPENAI_TIMEOUT"
    }

    def server_config(env):
        result = subprocess.run(
            [str(VENV_BIN / "gunicorn"), "-c", "gunicorn.conf.py", "--print-config", "config.wsgi"],
            cwd=BACKEND_DIR,
            env=process_env(**env),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    assert server_config(backend_env) == server_config(dict.fromkeys(backend_env))


def _compose_client():
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0:
        return [docker, "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


@pytest.mark.skipif(
    _compose_client() is None, reason="no compose client installed (docker compose or docker-compose)"
)
def test_compose_client_validates_the_file():
    result = subprocess.run(
        [
            *_compose_client(),
            "--file",
            str(COMPOSE_FILE),
            "--project-directory",
            str(REPO_DIR),
            "config",
            "--quiet",
        ],
        env=process_env(OPENAI_API_KEY="sk-from-env", **PASSWORDS),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr


def dockerfile_instructions(path):
    lines = re.sub(r"\\\n", " ", path.read_text()).splitlines()
    return [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]


def index_of(instructions, prefix):
    return next(i for i, line in enumerate(instructions) if line.startswith(prefix))


def test_backend_image_installs_dependencies_before_the_sources_and_runs_unprivileged():
    steps = dockerfile_instructions(BACKEND_DIR / "Dockerfile")

    assert re.match(r"FROM python:3\.\d+-slim\S* AS base", steps[0])
    assert (
        index_of(steps, "COPY requirements")
        < index_of(steps, "RUN pip install")
        < index_of(steps, "COPY . .")
    )
    installs = [line for line in steps if line.startswith("RUN pip install")]
    assert installs == [
        "RUN pip install --require-hashes -r requirements.txt",
        "RUN pip install --require-hashes -r requirements-dev.txt",
    ]
    stages = [line for line in steps if line.startswith("FROM ")]
    assert stages[1:] == ["FROM base AS test", "FROM base AS runtime"], "the default image is runtime only"
    assert index_of(steps, "FROM base AS test") < index_of(steps, installs[1])
    users = [line for line in steps if line.startswith("USER ")]
    assert users and users[-1] not in ("USER root", "USER 0")
    assert index_of(steps, "USER ") < index_of(steps, "ENTRYPOINT")
    assert steps[index_of(steps, "ENTRYPOINT")] == 'ENTRYPOINT ["./entrypoint.sh"]'
    assert steps[index_of(steps, "CMD")] == 'CMD ["gunicorn", "-c", "gunicorn.conf.py", "config.wsgi"]'
    assert "EXPOSE 8000" in steps


def test_frontend_image_serves_the_build_and_keeps_what_npm_test_needs():
    steps = dockerfile_instructions(REPO_DIR / "frontend" / "Dockerfile")
    stages = [line for line in steps if line.startswith("FROM ")]

    assert re.match(r"FROM node:20[\w.-]* AS build", stages[0])
    # The serving stage is the build stage itself: node, node_modules and sources stay.
    assert stages[-1] == "FROM build AS serve"
    assert index_of(steps, "RUN npm ci") < index_of(steps, "COPY --chown=node:node . .")
    assert index_of(steps, "ARG REACT_APP_API_URL") < index_of(steps, "RUN npm run build")
    assert index_of(steps, "USER node") < index_of(steps, "RUN npm ci")
    # server/serve.js: compression, caching and security headers (not `vite preview`).
    assert steps[-1] == 'CMD ["npm", "run", "serve", "--", "--host", "0.0.0.0", "--port", "3000"]'


@pytest.mark.parametrize(
    ("context", "excluded"),
    [
        ("backend", [".venv/", "staticfiles/", "*.sqlite3", ".env"]),
        ("frontend", ["node_modules/", "dist/", ".env"]),
    ],
)
def test_docker_build_contexts_leave_out_local_environments_and_builds(context, excluded):
    patterns = (REPO_DIR / context / ".dockerignore").read_text().splitlines()

    assert set(excluded) <= set(patterns)


def test_entrypoint_is_executable_in_git():
    mode = subprocess.run(
        ["git", "ls-files", "--stage", "backend/entrypoint.sh"], cwd=REPO_DIR, capture_output=True, text=True
    ).stdout.split()[0]

    assert mode == "100755"


@pytest.mark.parametrize(
    "path",
    [
        ".env",
        "backend/.venv/bin/python",
        "backend/db.sqlite3",
        "backend/staticfiles/admin/base.css",
        "frontend/node_modules/react/index.js",
        "frontend/dist/index.html",
    ],
)
def test_git_ignores_secrets_environments_builds_and_databases(path):
    result = subprocess.run(["git", "check-ignore", "--no-index", "--quiet", path], cwd=REPO_DIR)

    assert result.returncode == 0, f"{path} is not ignored"


def test_env_example_is_not_ignored():
    result = subprocess.run(["git", "check-ignore", "--no-index", "--quiet", ".env.example"], cwd=REPO_DIR)

    assert result.returncode == 1


@pytest.mark.parametrize("name", ["requirements.txt", "requirements-dev.txt"])
def test_every_backend_dependency_is_pinned_with_a_hash(name):
    text = re.sub(r"\\\n\s*", " ", (BACKEND_DIR / name).read_text())
    requirements = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]

    assert len(requirements) > 20, "transitive dependencies are pinned too"
    for line in requirements:
        assert re.match(r"^[A-Za-z0-9_.-]+==\S+( +--hash=sha256:[0-9a-f]{64})+ *$", line), line
    source = (BACKEND_DIR / name.replace(".txt", ".in")).read_text()
    pinned = {line.split("==")[0].lower() for line in requirements}
    for line in source.splitlines():
        if line and not line.startswith(("#", "-")):
            assert line.split("==")[0].lower() in pinned


def test_make_installs_the_locked_requirements_with_their_hashes():
    makefile = (REPO_DIR / "Makefile").read_text()

    assert "pip install --quiet --require-hashes -r backend/requirements-dev.txt" in makefile
    assert "\nlock:" in makefile and "--generate-hashes" in makefile


def test_events_serve_8001_from_the_api_image_once_the_api_has_migrated(compose):
    events = compose["services"]["events"]

    assert events["build"] == "./backend"
    assert events["command"][:3] == ["python", "-m", "live"]
    assert "ports" not in events, "the edge serves it on :8000"
    assert events["depends_on"] == {"backend": {"condition": "service_healthy"}}
    assert events["environment"]["SKIP_MIGRATE"] == "1"
    assert (
        events["environment"]["DATABASE_URL"] == compose["services"]["backend"]["environment"]["DATABASE_URL"]
    )
    args = compose["services"]["frontend"]["build"]["args"]
    assert interpolate(args["REACT_APP_EVENTS_URL"], {}) == "http://localhost:8000/api/events/"
