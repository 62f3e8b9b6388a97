#!/usr/bin/env bash
# The test command: formatting, lints, and every test of the workspace (on lavapipe when
# the machine has no GPU).
set -euo pipefail
cd "$(dirname "$0")/.."
# What only the tests use (and what rendering needs), where it is missing.
bash scripts/install-deps.sh --tests
# Builds are quiet (-q): cargo's "Compiling thiserror ..." lines would put the word "error"
# in a log that must hold none but the tests' own. Warnings and errors still print.
cargo fmt --all -- --check
echo "test.sh: clippy (all targets)"
cargo clippy -q --workspace --all-targets -- -D warnings
echo "test.sh: building the tests"
cargo build -q --workspace --all-targets
cargo test --workspace
# The Python package, built as a wheel and tested installed in a fresh virtualenv.
bash scripts/test-python.sh
# `isf mcp` driven by the official MCP Python SDK client (mcp 1.x and 2.x, fresh virtualenvs).
bash scripts/test-mcp-sdk.sh
# isfkit against desktop OpenGL (pyvvisf 0.9 on Mesa's llvmpipe), byte for byte.
bash scripts/test-differential.sh
# A bounded fuzz smoke run: the targets build on stable Rust and a fixed set of
# generated inputs (seed 1) passes; the long runs are the README's commands.
ISFKIT_FUZZ_RUNS=1500 bash fuzz/smoke.sh 0 expr header glsl dialect job
