#!/usr/bin/env bash
# The old API's contract test (DESIGN §10): schemathesis, pinned, from its virtual environment
# (.ci/setup installs it), against a running usher-server with the old system's own
# description, ../shared/seed-api/openapi.yaml, authenticated as a member (an admin, so every
# operation is open to it).
#
#   scripts/contract-test.sh [SECONDS]     # a time budget; default 90 (CI's short run)
#   CONTRACT_FULL=1 scripts/contract-test.sh 600
#
# Three runs, so the run cannot log itself out: every operation but POST /logout and DELETE
# /user/{id} with the member's token, then each of those two with a token of its own. What the
# description gets wrong about its own server is written up in the server README
# ("Where the old description is wrong"); only those checks are left out, on only those
# operations (scripts/schemathesis.toml).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
budget="${1:-90}"
st="${SCHEMATHESIS:-/opt/usher-schemathesis/bin/st}"
spec="${OPENAPI:-$repo/../shared/seed-api/openapi.yaml}"
[ -x "$st" ] || { echo "contract-test: no schemathesis at $st (run .ci/setup)" >&2; exit 1; }
[ -f "$spec" ] || { echo "contract-test: no $spec" >&2; exit 1; }
target="${CARGO_TARGET_DIR:-$repo/target}"
cargo build -q -p usher-server --locked
bin="$target/debug/usher-server"

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
code="$("$bin" --data-dir "$work/data" --public-url "$base" init --name "Contract Admin" --email admin@example.org \
  | sed -n 's/^One-time recovery code (valid 24 hours): //p')"
[ -n "$code" ] || { echo "contract-test: init printed no code" >&2; exit 1; }
# Logins from the test's one address: more than a venue's default of 5 a minute.
"$bin" --data-dir "$work/data" --listen "127.0.0.1:$port" --public-url "$base" --login-per-minute 10000 \
  >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  curl -fsS -o /dev/null "$base/static/style.css" 2>/dev/null && break
  sleep 0.1
done
password="contract-test-password"
curl -fsS -H 'content-type: application/json' \
  -d "{\"guid\":\"$code\",\"password\":\"$password\"}" "$base/api/v1.0/verifyPasswordChange" >/dev/null
login() {
  curl -fsS -H 'content-type: application/json' \
    -d "{\"email\":\"admin@example.org\",\"password\":\"$password\",\"source\":\"web\"}" \
    "$base/api/v1.0/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}
token="$(login)"
second="$(login)"
third="$(login)"

report="${CONTRACT_REPORT_DIR:-$work/report}"
mkdir -p "$report"
common=(--url "$base/api/v1.0"
  --max-time "$budget" --seed 7308 --workers 1 --request-timeout 10)
status=0
# schemathesis keeps a cache in its working directory: the temporary one, not the clone.
cd "$work"
"$st" --config-file "$here/schemathesis.toml" run "$spec" "${common[@]}" -H "token: $token" \
  --exclude-name 'POST /logout' --exclude-name 'DELETE /user/{userId}' \
  --report junit --report-junit-path "$report/main.xml" || status=$?
for op in 'DELETE /user/{userId}:'"$second" 'POST /logout:'"$third"; do
  "$st" --config-file "$here/schemathesis.toml" run "$spec" "${common[@]}" -H "token: ${op#*:}" \
    --include-name "${op%%:*}" --max-time "$(( budget / 4 + 1 ))" \
    --report junit --report-junit-path "$report/$(echo "${op%%:*}" | tr -c 'a-zA-Z\n' _).xml" || status=$?
done
if grep -q "panicked" "$work/server.log"; then
  echo "contract-test: the server panicked:" >&2
  grep -B2 -A5 panicked "$work/server.log" >&2
  status=1
fi
exit "$status"
