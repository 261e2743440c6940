#!/usr/bin/env bash
# Builds the release dashboard into dist/ for any static host (installs the build tools if missing).
#   scripts/build.sh [trunk build options, e.g. --dist DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
trunk build --release "$@"
ls -l dist
