#!/usr/bin/env bash
# The demo: installs what is missing, builds the dashboard (release) and the stand-in, then runs
# the stand-in with its demo data, serving the dashboard on the same address.
#   scripts/run.sh [--port N] [--memory] [any other mojo-sandbox option]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
echo "== build the dashboard"
bash scripts/build.sh
echo "== build the stand-in (cargo build --release -p mojo-sandbox)"
cargo build --release --locked -p mojo-sandbox
echo "== starting: open the address below and connect with a key printed below (Ctrl+C stops)"
exec target/release/mojo-sandbox --static dist "$@"
