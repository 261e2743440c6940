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
cargo test --locked -p mojo-dashboard --target wasm32-unknown-unknown

echo "== release builds (dashboard and stand-in)"
trunk build --release
cargo build --release --locked -p mojo-sandbox

echo "== end-to-end (playwright-core + Debian chromium) against the stand-in"
node e2e/run.mjs
