#!/usr/bin/env bash
# Prints the release bundle sizes and the board's load time in headless Chromium (median of 5).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
source scripts/env.sh
trunk build --release
cargo build --release --locked -p mojo-sandbox
node e2e/bench.mjs
