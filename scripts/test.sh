#!/usr/bin/env bash
# The test command: formatting, lints, and every test of the workspace (on lavapipe when
# the machine has no GPU).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
cargo test --workspace
# The Python package, built as a wheel and tested installed in a fresh virtualenv.
bash scripts/test-python.sh
