#!/usr/bin/env bash
# End-to-end suite: the production build of the app in headless Chromium,
# against the real API on a throwaway PostgreSQL database and the fake
# OpenAI-compatible server. Everything it starts is stopped on exit.
# The API requires sign-in (API_AUTH=required): the script creates an agent and
# Playwright's global setup signs it in once; every test starts signed in
# unless it asks for a fresh browser (the sign-in tests do).
#
# Needs: backend/.venv (make install), PostgreSQL on 127.0.0.1:5432.
# Environment: E2E_PG_URL (server URL without a database name; by default the
# server of a PostgreSQL DATABASE_URL, else postgresql://postgres@127.0.0.1:5432),
# CHROMIUM_PATH (default /usr/bin/chromium).
# Arguments: a command to run in frontend/ instead of the Playwright suite, with the
# same servers and E2E_BASE_URL / E2E_API_URL set (make lighthouse uses it).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
PY="$ROOT/backend/.venv/bin/python"
export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
PG_URL="${E2E_PG_URL:-}"
if [ -z "$PG_URL" ]; then
  case "${DATABASE_URL:-}" in
    postgres://*/*|postgresql://*/*) [[ "$DATABASE_URL" == *\?* ]] || PG_URL="${DATABASE_URL%/*}" ;;
  esac
fi
PG_URL="${PG_URL:-postgresql://postgres@127.0.0.1:5432}"
PG_URL="${PG_URL%/}"
DB_NAME="tickets_e2e_$$_${RANDOM}"
LOG_DIR="$ROOT/frontend/test-results/e2e-logs"
WORK_DIR="$(mktemp -d)"

if [ ! -x "$PY" ]; then
  echo "backend/.venv is missing: run 'make install' first." >&2
  exit 2
fi

if [ ! -x "$CHROMIUM_PATH" ]; then
  echo "Installing Chromium from the Debian packages..."
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

if [ ! -d frontend/node_modules ]; then
  (cd frontend && npm ci --no-audit --no-fund)
fi

mkdir -p "$LOG_DIR"
rm -f "$LOG_DIR"/*.log

free_port() {
  "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

pg() {  # run one statement against the server's maintenance database
  "$PY" - "$PG_URL/postgres" "$1" <<'PYEOF'
import sys
import psycopg2
conn = psycopg2.connect(sys.argv[1], connect_timeout=5)
conn.autocommit = True
conn.cursor().execute(sys.argv[2])
conn.close()
PYEOF
}

wait_for() {  # wait_for URL NAME LOG: until URL answers, or fail with the log's tail
  local url="$1" name="$2" log="$3"
  for _ in $(seq 1 120); do
    if "$PY" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$url" 2>/dev/null; then
      return 0
    fi
    sleep 0.5
  done
  echo "$name did not start; the end of its log:" >&2
  tail -n 30 "$log" >&2
  return 1
}

pids=()
db_created=0
cleanup() {
  trap - EXIT INT TERM
  {
    for pid in "${pids[@]}"; do
      kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    done
    wait 2>/dev/null || true
    if [ "$db_created" = 1 ]; then
      pg "DROP DATABASE IF EXISTS \"$DB_NAME\" WITH (FORCE)" || echo "could not drop $DB_NAME"
    fi
    rm -rf "$WORK_DIR"
  } >>"$LOG_DIR/teardown.log" 2>&1
}
trap cleanup EXIT
trap 'exit 130' INT TERM

LLM_PORT="$(free_port)"
API_PORT="$(free_port)"
EVENTS_PORT="$(free_port)"
WEB_PORT="$(free_port)"
API_URL="http://127.0.0.1:$API_PORT"
EVENTS_URL="http://127.0.0.1:$EVENTS_PORT/api/events/"
# The live tests stop the stream server: while this file exists it stays down.
export E2E_EVENTS_PAUSE="$WORK_DIR/events.pause"
export E2E_EVENTS_PID="$WORK_DIR/events.pid"
WEB_URL="http://127.0.0.1:$WEB_PORT"

echo "e2e: database $DB_NAME, API $API_URL, events $EVENTS_URL, app $WEB_URL, logs in frontend/test-results/e2e-logs"
pg "CREATE DATABASE \"$DB_NAME\""
db_created=1

export DATABASE_URL="$PG_URL/$DB_NAME"
export CORS_ALLOWED_ORIGINS="$WEB_URL"
export ALLOWED_HOSTS="127.0.0.1,localhost"
export OPENAI_API_KEY="test-key"
export OPENAI_BASE_URL="http://127.0.0.1:$LLM_PORT/v1"
export DEBUG="True"
export CLASSIFY_RATE="1000/minute"
export API_AUTH="required"
export LOGIN_RATE="1000/minute"
export TICKET_WRITE_RATE="10000/minute"  # the suite creates and edits tickets faster than one agent would
export E2E_AGENT_USERNAME="e2e-agent"
export E2E_AGENT_NAME="Edith Agent"
E2E_AGENT_PASSWORD="$("$PY" -c 'import secrets; print(secrets.token_urlsafe(18))')"
export E2E_AGENT_PASSWORD

set -m  # each server in its own process group, so stopping it stops its children
"$PY" backend/devtools/fake_llm.py --port "$LLM_PORT" >"$LOG_DIR/fake-llm.log" 2>&1 &
pids+=($!)

(cd backend && "$PY" manage.py migrate --noinput) >"$LOG_DIR/migrate.log" 2>&1 || {
  echo "migrate failed:" >&2; tail -n 30 "$LOG_DIR/migrate.log" >&2; exit 1;
}
(cd backend && AGENT_PASSWORD="$E2E_AGENT_PASSWORD" "$PY" manage.py createagent "$E2E_AGENT_USERNAME" \
  --name "$E2E_AGENT_NAME") >>"$LOG_DIR/migrate.log" 2>&1 || {
  echo "createagent failed:" >&2; tail -n 30 "$LOG_DIR/migrate.log" >&2; exit 1;
}
(cd backend && exec "$PY" manage.py runserver "127.0.0.1:$API_PORT" --noreload) >"$LOG_DIR/api.log" 2>&1 &
pids+=($!)

(
  cd backend
  while :; do
    while [ -e "$E2E_EVENTS_PAUSE" ]; do sleep 0.1; done
    "$PY" -m live --host 127.0.0.1 --port "$EVENTS_PORT" &
    echo $! >"$E2E_EVENTS_PID"
    wait $! || true
    sleep 0.2
  done
) >"$LOG_DIR/events.log" 2>&1 &
pids+=($!)

(cd frontend && REACT_APP_API_URL="$API_URL" REACT_APP_EVENTS_URL="$EVENTS_URL" npx vite build --outDir "$WORK_DIR/dist" --emptyOutDir) \
  >"$LOG_DIR/build.log" 2>&1 || { echo "build failed:" >&2; tail -n 30 "$LOG_DIR/build.log" >&2; exit 1; }
(cd frontend && REACT_APP_API_URL="$API_URL" REACT_APP_EVENTS_URL="$EVENTS_URL" exec npm run serve -- --dir "$WORK_DIR/dist" --host 127.0.0.1 --port "$WEB_PORT") \
  >"$LOG_DIR/web.log" 2>&1 &
pids+=($!)
set +m

wait_for "$API_URL/api/auth/csrf/" "The API" "$LOG_DIR/api.log"
wait_for "$WEB_URL/" "The app server" "$LOG_DIR/web.log"
for _ in $(seq 1 120); do  # the stream never ends: wait for its port instead
  "$PY" -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1).close()' \
    "$EVENTS_PORT" 2>/dev/null && break
  sleep 0.5
done

status=0
if [ "$#" -eq 0 ]; then set -- npx playwright test; fi
(cd frontend && E2E_BASE_URL="$WEB_URL" E2E_API_URL="$API_URL" E2E_EVENTS_URL="$EVENTS_URL" "$@") || status=$?
exit "$status"
