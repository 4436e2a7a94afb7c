#!/usr/bin/env bash
# Smoke test of the newcomer's path: in a fresh copy of the repository (the
# files a clone would hold: tracked and new, nothing ignored, so no virtual
# environment, node_modules, database or .env), `make run` installs, migrates
# the embedded SQLite database and serves the API and the app; Ctrl-C stops both.
#
# It runs on free ports (BACKEND_PORT / FRONTEND_PORT), never touches the
# caller's database, and removes everything it started and created.
#   SMOKE_RUN_SECONDS   how long installs and start-up may take (default 600)
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
limit="${SMOKE_RUN_SECONDS:-600}"

work="$(mktemp -d "${TMPDIR:-/tmp}/smoke-run.XXXXXX")"
log="$work/make-run.log"
session=""

kill_session() {
  # Every process `make run` started shares its session, whatever its group.
  local pids
  pids="$(ps -o pid= -s "$session" 2>/dev/null || true)"
  if [ -n "$pids" ]; then
    # shellcheck disable=SC2086  # one pid per word
    kill -KILL $pids 2>/dev/null || true
  fi
}
cleanup() {
  local status=$?
  if [ -n "$session" ]; then kill_session; fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() {
  echo "smoke-run: FAIL: $*" >&2
  echo "--- make run output ---" >&2
  tail -n 60 "$log" >&2 || true
  exit 1
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

session_alive() {
  [ -n "$(ps -o pid= -s "$session" 2>/dev/null || true)" ]
}

echo "smoke-run: copying the repository to $work/repo"
mkdir "$work/repo"
git -C "$repo" ls-files -z --cached --others --exclude-standard --deduplicate \
  | while IFS= read -r -d '' path; do
      if [ -e "$path" ]; then printf '%s\0' "$path"; fi
    done \
  | tar --null --files-from=- -cf - \
  | tar -xf - -C "$work/repo"

backend_port="$(free_port)"
frontend_port="$(free_port)"
events_port="$(free_port)"
while [ "$frontend_port" = "$backend_port" ]; do frontend_port="$(free_port)"; done
while [ "$events_port" = "$backend_port" ] || [ "$events_port" = "$frontend_port" ]; do events_port="$(free_port)"; done
api="http://127.0.0.1:${backend_port}/api/tickets/"
events="http://127.0.0.1:${events_port}/api/events/"
app="http://127.0.0.1:${frontend_port}/"

echo "smoke-run: make run with BACKEND_PORT=$backend_port FRONTEND_PORT=$frontend_port EVENTS_PORT=$events_port (embedded SQLite)"
started=$SECONDS
(
  cd "$work/repo"
  # A fresh shell: no database of the caller's, no variables of a calling make.
  exec env -u DATABASE_URL -u REQUIRE_DATABASE_VENDOR -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
    BACKEND_PORT="$backend_port" FRONTEND_PORT="$frontend_port" EVENTS_PORT="$events_port" \
    setsid make run
) >"$log" 2>&1 </dev/null &
session=$!

until curl -fsS -o /dev/null "$api" 2>/dev/null && curl -fsS -o /dev/null "$app" 2>/dev/null \
  && curl -fsS -o /dev/null -m 1 "$events" 2>/dev/null || [ $? -eq 28 ]; do
  kill -0 "$session" 2>/dev/null || fail "make run exited before both servers answered"
  [ $((SECONDS - started)) -lt "$limit" ] || fail "the servers did not answer within ${limit}s"
  sleep 1
done
echo "smoke-run: both answered after $((SECONDS - started))s (installs included)"

tickets="$(curl -fsS "$api")" || fail "GET $api failed"
[ "$tickets" = "[]" ] || fail "GET $api is not the new database's empty list: ${tickets:0:200}"
page="$(curl -fsS "$app")" || fail "GET $app failed"
grep -q 'id="root"' <<<"$page" || fail "GET $app is not the app's page"
headers="$(curl -fsS -o /dev/null -D - -H "Origin: http://localhost:${frontend_port}" "$api")" || fail "GET $api failed"
grep -qi "^access-control-allow-origin: http://localhost:${frontend_port}" <<<"$headers" \
  || fail "the API does not allow the app's origin http://localhost:${frontend_port}"
[ -f "$work/repo/backend/db.sqlite3" ] || fail "the embedded SQLite database was not created"
echo "smoke-run: API $api and app $app answer; the app's origin may call the API"

# The event stream: open it, create a ticket through the API, see the event.
stream="$work/stream.txt"
curl -sS -N -m 8 -D "$work/stream-headers.txt" -H "Origin: http://localhost:${frontend_port}" "$events" >"$stream" 2>/dev/null &
reader=$!
for _ in $(seq 1 40); do grep -q '^event: ready' "$stream" 2>/dev/null && break; sleep 0.1; done
grep -q '^event: ready' "$stream" || fail "the event stream $events sent no ready event"
curl -fsS -o /dev/null -X POST "$api" -H 'Content-Type: application/json' \
  -d '{"title": "Smoke test", "description": "Seen on the stream", "category": "general", "priority": "low"}' \
  || fail "POST $api failed"
for _ in $(seq 1 40); do grep -q '^event: ticket.created' "$stream" && break; sleep 0.1; done
kill "$reader" 2>/dev/null || true
wait "$reader" 2>/dev/null || true
grep -q '"title":"Smoke test"' "$stream" || fail "the new ticket did not reach the event stream: $(cat "$stream")"
grep -qi "^content-type: text/event-stream" "$work/stream-headers.txt" || fail "the stream is not text/event-stream"
grep -qi "^access-control-allow-origin: http://localhost:${frontend_port}" "$work/stream-headers.txt" \
  || fail "the event stream does not allow the app's origin"
grep -qi "^access-control-allow-credentials: true" "$work/stream-headers.txt" \
  || fail "the event stream does not allow the app's cookies"
echo "smoke-run: the event stream $events delivered a ticket created through the API"

# Ctrl-C in a terminal signals the foreground process group: make and run.sh.
echo "smoke-run: Ctrl-C"
kill -INT -- "-$session"
stopped=$SECONDS
while session_alive; do
  [ $((SECONDS - stopped)) -lt 30 ] || fail "processes still running 30s after Ctrl-C: $(ps -o pid=,args= -s "$session")"
  sleep 0.5
done
if curl -fsS -o /dev/null "$api" 2>/dev/null || curl -fsS -o /dev/null "$app" 2>/dev/null \
  || curl -fsS -o /dev/null -m 1 "$events" 2>/dev/null; then
  fail "a server still answers after Ctrl-C"
fi
session=""
echo "smoke-run: OK: every server stopped $((SECONDS - stopped))s after Ctrl-C"
