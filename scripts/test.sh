#!/usr/bin/env bash
# Every test: installs what is missing (also Debian's chromium + chromedriver), then runs the
# native tests (mojo-api, the stand-in over real HTTP), the component tests in headless Chromium,
# and the end-to-end flows against the stand-in serving the release build.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
source scripts/env.sh

echo "== native tests: cargo test --workspace"
cargo test --workspace --locked

echo "== component tests in headless Chromium: cargo test --target wasm32-unknown-unknown"
# The executor's live tests call a stand-in on another origin: start one (built by the native tests).
SANDBOX_PORT="${MOJO_TEST_SANDBOX_PORT:-18989}"
SANDBOX_LOG=$(mktemp)
target/debug/mojo-sandbox --memory --port "$SANDBOX_PORT" >"$SANDBOX_LOG" 2>&1 &
SANDBOX_PID=$!
trap 'kill $SANDBOX_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do grep -q "listening on" "$SANDBOX_LOG" && break; sleep 0.1; done
key() { awk -v k="$1 key:" 'index($0, k) == 1 { print $NF }' "$SANDBOX_LOG"; }
export MOJO_SANDBOX_URL="http://127.0.0.1:$SANDBOX_PORT"
MOJO_SANDBOX_AGENT_KEY=$(key agent) MOJO_SANDBOX_MANAGER_KEY=$(key manager) MOJO_SANDBOX_READ_ONLY_KEY=$(key read-only) \
  cargo test --locked -p mojo-dashboard --target wasm32-unknown-unknown
kill $SANDBOX_PID 2>/dev/null || true

echo "== release builds (dashboard and stand-in)"
trunk build --release
cargo build --release --locked -p mojo-sandbox

echo "== end-to-end (playwright-core + Debian chromium) against the stand-in"
node e2e/run.mjs
