# Sourced by the scripts: tools on PATH (scripts/bin first: the wasm-bindgen wrapper that splits the
# wasm for trunk; then node_modules/.bin, for wasm-opt 132) and quiet trunk.
export PATH="$PWD/scripts/bin:$PWD/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$HOME/.cargo/bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-120}"
