#!/usr/bin/env bash
# The frontend image's steps, run natively (no Docker engine needed): in a copy
# of the build context, `npm ci`, `npm run build` with REACT_APP_API_URL, then
# the image's command, `npm run preview` on a free port, and `npm test` in the
# same directory, as `docker compose exec frontend npm test` runs it.
# Keep the commands in step with frontend/Dockerfile.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"

work="$(mktemp -d "${TMPDIR:-/tmp}/smoke-frontend.XXXXXX")"
log="$work/preview.log"
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
echo "smoke-frontend-image: npm ci"
npm ci --no-audit --no-fund --loglevel=error >/dev/null
echo "smoke-frontend-image: npm run build with REACT_APP_API_URL=$api_url"
REACT_APP_API_URL="$api_url" npm run build >/dev/null
grep -rqF "$api_url" dist/assets || fail "the bundle does not carry REACT_APP_API_URL"

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
echo "smoke-frontend-image: npm run preview on :$port"
set -m
npm run preview -- --host 0.0.0.0 --port "$port" --strictPort >"$log" 2>&1 &
server=$!
set +m
for _ in $(seq 1 60); do
  curl -fsS -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null && break
  kill -0 "$server" 2>/dev/null || fail "npm run preview exited"
  sleep 0.5
done
page="$(curl -fsS "http://127.0.0.1:$port/")" || fail "the app's page is not served"
grep -q 'id="root"' <<<"$page" || fail "the page served is not the app"
script="$(grep -o 'src="/assets/[^"]*\.js"' <<<"$page" | head -n 1 | cut -d'"' -f2)"
[ -n "$script" ] || fail "the page loads no built script"
bundle="$(curl -fsS "http://127.0.0.1:$port$script")" || fail "$script is not served"
grep -qF "$api_url" <<<"$bundle" || fail "the served script is not the built bundle"
fallback="$(curl -fsS "http://127.0.0.1:$port/tickets/42")" || fail "no SPA fallback for client-side paths"
grep -q 'id="root"' <<<"$fallback" || fail "the SPA fallback is not the app's page"
echo "smoke-frontend-image: the built app is served, with the API address baked in"

echo "smoke-frontend-image: npm test"
npm test >"$work/test.log" 2>&1 || { log="$work/test.log"; fail "npm test failed in the image's layout"; }
echo "smoke-frontend-image: OK"
