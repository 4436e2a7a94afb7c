#!/usr/bin/env bash
# Start the API on :8000, the event stream on :8001 and the app on :3000 together;
# Ctrl-C stops them all.
# Called by `make run`, which installs dependencies and migrates first.
set -euo pipefail
cd "$(dirname "$0")/.."

BACKEND_PORT="${BACKEND_PORT:-8000}"
FRONTEND_PORT="${FRONTEND_PORT:-3000}"
# Development servers listen on this machine only; BIND_HOST=0.0.0.0 opens them to the network.
BIND_HOST="${BIND_HOST:-127.0.0.1}"
EVENTS_PORT="${EVENTS_PORT:-$((BACKEND_PORT + 1))}"
export REACT_APP_API_URL="${REACT_APP_API_URL:-http://localhost:${BACKEND_PORT}}"
export REACT_APP_EVENTS_URL="${REACT_APP_EVENTS_URL:-http://localhost:${EVENTS_PORT}/api/events/}"
export CORS_ALLOWED_ORIGINS="${CORS_ALLOWED_ORIGINS:-http://localhost:${FRONTEND_PORT},http://127.0.0.1:${FRONTEND_PORT}}"

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

if [ -z "${DATABASE_URL:-}" ]; then
  echo "Database: embedded SQLite (backend/db.sqlite3). Set DATABASE_URL to use PostgreSQL."
else
  echo "Database: ${DATABASE_URL%%\?*}" | sed -E 's#//([^:/@]+):[^@]*@#//\1:***@#'
fi

set -m  # each server in its own process group, so stopping it stops its children
(cd backend && exec .venv/bin/python manage.py runserver "${BIND_HOST}:${BACKEND_PORT}") &
pids+=($!)
(cd backend && exec .venv/bin/python -m live --host "${BIND_HOST}" --port "${EVENTS_PORT}") &
pids+=($!)
(cd frontend && exec npm start -- --host "${BIND_HOST}" --port "${FRONTEND_PORT}") &
pids+=($!)
set +m

echo "API: http://localhost:${BACKEND_PORT}/api/tickets/   Events: ${REACT_APP_EVENTS_URL}   App: http://localhost:${FRONTEND_PORT}   (Ctrl-C stops all)"
# Stop everything as soon as any server exits.
wait -n "${pids[@]}"
