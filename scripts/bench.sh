#!/usr/bin/env bash
# Prints the release bundle sizes, the board's load time in headless Chromium (median of 5), and
# the stand-in's ticket-search latency.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
source scripts/env.sh
trunk build --release
cargo build --release --locked -p mojo-sandbox
node e2e/bench.mjs
# Ticket search in the stand-in: p50/p95 of 20 representative queries over HTTP, on the demo's
# 2,400 tickets and on a generated 50,000-ticket helpdesk (seeding that one takes about 1.5 min).
cargo run --release --locked -q -p mojo-sandbox --example search_bench
cargo run --release --locked -q -p mojo-sandbox --example search_bench -- 50000
# Kiosk soak: JS heap after 50 and after 1,000 refreshes at refresh=0.2 s (about 5 minutes).
node e2e/kiosk-bench.mjs 1000
# Upload: a 20 MB file through the ticket page's uploader to the stand-in, median of 5.
node e2e/upload-bench.mjs
# The board with 10,000 open tickets (the database is built once into target/bench/, ~10 s):
# data → painted board, navigation → painted board, and scroll frame times, median of 5.
node e2e/board-bench-10k.mjs
