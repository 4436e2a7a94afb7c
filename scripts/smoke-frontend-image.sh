#!/usr/bin/env bash
# The frontend image's steps, run natively (no Docker engine needed): in a copy
# of the build context, `npm ci`, `npm run build` with REACT_APP_API_URL, then
# the image's command, `npm run serve` on a free port (checking compression,
# caching and the security headers), and `npm test` in the same directory, as
# `docker compose exec frontend npm test` runs it.
# Keep the commands in step with frontend/Dockerfile.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"

work="$(mktemp -d "${TMPDIR:-/tmp}/smoke-frontend.XXXXXX")"
log="$work/serve.log"
server=""
cleanup() {
  local status=$?
  if [ -n "$server" ]; then kill -TERM -- "-$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() {
  echo "smoke-frontend-image: FAIL: $*" >&2
  if [ -f "$log" ]; then tail -n 40 "$log" >&2; fi
  exit 1
}

[ -f frontend/package.json ] || fail "frontend/package.json is missing"

# The build context: the frontend's files a clone holds, minus .dockerignore's
# node_modules/ and dist/ (ignored by git as well).
mkdir "$work/app"
git -C "$repo" ls-files -z --cached --others --exclude-standard --deduplicate -- frontend \
  | while IFS= read -r -d '' path; do
      if [ -e "$path" ]; then printf '%s\0' "${path#frontend/}"; fi
    done \
  | tar -C frontend --null --files-from=- -cf - \
  | tar -xf - -C "$work/app"
cd "$work/app"

api_url="http://api.example.test:8123"
events_url="http://api.example.test:8124/events/"
export REACT_APP_API_URL="$api_url" REACT_APP_EVENTS_URL="$events_url"
echo "smoke-frontend-image: npm ci"
npm ci --no-audit --no-fund --loglevel=error >/dev/null
echo "smoke-frontend-image: npm run build with REACT_APP_API_URL=$api_url"
npm run build >/dev/null
grep -rqF "$api_url" dist/assets || fail "the bundle does not carry REACT_APP_API_URL"

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
echo "smoke-frontend-image: npm run serve on :$port"
set -m
npm run serve -- --host 0.0.0.0 --port "$port" >"$log" 2>&1 &
server=$!
set +m
for _ in $(seq 1 60); do
  curl -fsS -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null && break
  kill -0 "$server" 2>/dev/null || fail "npm run serve exited"
  sleep 0.5
done
page="$(curl -fsS "http://127.0.0.1:$port/")" || fail "the app's page is not served"
grep -q 'id="root"' <<<"$page" || fail "the page served is not the app"
script="$(grep -o 'src="/assets/[^"]*\.js"' <<<"$page" | head -n 1 | cut -d'"' -f2)"
[ -n "$script" ] || fail "the page loads no built script"
curl -fsS -o /dev/null "http://127.0.0.1:$port$script" || fail "$script is not served"
# The bundle is split into chunks: the one that carries the API's address must be
# served exactly as built.
carrier="$(grep -rlF "$api_url" dist/assets --include='*.js' | head -n 1)"
served="$(curl -fsS "http://127.0.0.1:$port/assets/$(basename "$carrier")")" || fail "$carrier is not served"
[ "$served" = "$(cat "$carrier")" ] || fail "the served script is not the built bundle"
fallback="$(curl -fsS "http://127.0.0.1:$port/tickets/42")" || fail "no SPA fallback for client-side paths"
grep -q 'id="root"' <<<"$fallback" || fail "the SPA fallback is not the app's page"
echo "smoke-frontend-image: the built app is served, with the API address baked in"

# header NAME FILE: the value of one response header in a `curl -D` dump.
header() { grep -i "^$1:" "$2" | head -n 1 | cut -d: -f2- | tr -d '\r' | sed 's/^ *//'; }
expect_header() {  # expect_header FILE NAME PATTERN WHAT
  header "$2" "$1" | grep -qE "$3" || fail "$4 (got $2: '$(header "$2" "$1")')"
}
base="http://127.0.0.1:$port"
curl -fsS -o /dev/null -D "$work/page.h" -H 'Accept-Encoding: br, gzip' "$base/tickets/42"
expect_header "$work/page.h" Cache-Control '^no-cache$' "index.html may be cached"
expect_header "$work/page.h" Content-Encoding '^br$' "the page is not sent compressed with brotli"
expect_header "$work/page.h" Content-Security-Policy "connect-src 'self' http://api.example.test:8123 http://api.example.test:8124(;|$)" \
  "the Content-Security-Policy does not allow exactly the API and events origins"
expect_header "$work/page.h" Content-Security-Policy "script-src 'self'(;|$)" "scripts are not limited to the app's origin"
expect_header "$work/page.h" Content-Security-Policy "frame-ancestors 'none'" "the page may be framed"
expect_header "$work/page.h" X-Content-Type-Options '^nosniff$' "no X-Content-Type-Options: nosniff"
expect_header "$work/page.h" X-Frame-Options '^DENY$' "no X-Frame-Options: DENY"
expect_header "$work/page.h" Referrer-Policy '^same-origin$' "no Referrer-Policy"
curl -fsS -o /dev/null -D "$work/script.h" -H 'Accept-Encoding: gzip' "$base$script"
expect_header "$work/script.h" Cache-Control 'max-age=31536000.*immutable' "hashed assets are not cached as immutable"
expect_header "$work/script.h" Content-Encoding '^gzip$' "the script is not sent compressed with gzip"
expect_header "$work/script.h" Vary 'Accept-Encoding' "no Vary: Accept-Encoding on a compressed answer"
curl -fsS -o /dev/null -D "$work/plain.h" "$base$script"
[ -z "$(header Content-Encoding "$work/plain.h")" ] || fail "a client without gzip got a compressed answer"
missing="$(curl -sS -o /dev/null -w '%{http_code}' "$base/assets/missing-0000.js")"
[ "$missing" = 404 ] || fail "a missing asset answers $missing, not 404"
echo "smoke-frontend-image: compression, caching and the security headers are in place"

echo "smoke-frontend-image: npm test"
npm test >"$work/test.log" 2>&1 || { log="$work/test.log"; fail "npm test failed in the image's layout"; }
echo "smoke-frontend-image: OK"
