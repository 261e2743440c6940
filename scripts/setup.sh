#!/usr/bin/env bash
# Installs what building and testing Mojo Dashboard needs, from the registries only (crates,
# Debian, npm): nothing is downloaded from anywhere else, and no browser comes from npm.
# Safe to re-run: every step is skipped when the right version is already there.
#   scripts/setup.sh           build tools (enough to run the demo)
#   scripts/setup.sh --test    also Debian's chromium + chromedriver for the browser tests
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$HOME/.cargo/bin:$PATH"

WITH_BROWSER=0
[ "${1:-}" = "--test" ] && WITH_BROWSER=1

TRUNK_VERSION=0.21.14   # the newest trunk that builds on Rust 1.95 (0.22 needs 1.96.1)
# Cuts the release wasm into on-demand chunks at leptos' wasm_split points (scripts/bin/wasm-bindgen).
WASM_SPLIT_VERSION=0.2.4   # the cutter for the wasm_split_helpers 0.2.x that leptos 0.8 links in
# wasm-bindgen-cli must equal the wasm-bindgen of Cargo.lock exactly.
WASM_BINDGEN_VERSION=$(awk '$0=="name = \"wasm-bindgen\""{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)
: "${WASM_BINDGEN_VERSION:?wasm-bindgen not found in Cargo.lock}"

say() { printf '== %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

command -v rustup >/dev/null || { echo "rustup is required (https://rustup.rs)"; exit 1; }
rustup target list --installed | grep -qx wasm32-unknown-unknown || { say "rust target wasm32"; rustup target add wasm32-unknown-unknown; }

# Debian packages: a C compiler (bundled SQLite), node + npm (wasm-opt and playwright-core),
# and for tests Debian's chromium and its driver. Do NOT install Debian's binaryen: its
# wasm-opt 108 silently produces a wasm that fails in the browser.
pkgs=()
command -v cc >/dev/null || pkgs+=(build-essential)
command -v curl >/dev/null || pkgs+=(curl)
command -v node >/dev/null || pkgs+=(nodejs)
command -v npm >/dev/null || pkgs+=(npm)
if [ "$WITH_BROWSER" = 1 ]; then
  command -v chromium >/dev/null || pkgs+=(chromium)
  command -v chromedriver >/dev/null || pkgs+=(chromium-driver)
fi
if ((${#pkgs[@]})); then
  say "apt-get install ${pkgs[*]}"
  as_root apt-get update -qq
  as_root apt-get install -y -qq --no-install-recommends "${pkgs[@]}"
fi

if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  say "cargo install trunk $TRUNK_VERSION (about 6 minutes, once)"
  # trunk's own fat-LTO release profile only slows its install; it is a build driver.
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install --locked trunk --version "$TRUNK_VERSION"
fi

if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  say "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 3 minutes, once)"
  # Without --locked: its published lockfile pins a webpki-roots the registry does not serve.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if ! cargo install --list | grep -qx "wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
  say "cargo install wasm-split-cli $WASM_SPLIT_VERSION (about a minute, once)"
  cargo install --locked wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary
fi

# wasm-opt (npm binaryen@132, runs on node) and playwright-core, exactly as package-lock.json says.
if ! npm ls --silent binaryen playwright-core >/dev/null 2>&1; then
  say "npm ci"
  npm ci --no-audit --no-fund
fi

# Trunk.toml sets offline = true, so trunk runs `cargo build --offline`: fetch crates first.
cargo fetch --locked >/dev/null
say "tools ready"
