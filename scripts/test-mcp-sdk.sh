#!/usr/bin/env bash
# `isf mcp` driven by the official MCP Python SDK client, both lines: mcp 1.x and mcp 2.x,
# each in a fresh virtualenv (crates/isfkit-py/tests/test_mcp_sdk.py).
#
#   scripts/test-mcp-sdk.sh              # uses target/debug/isf (built if missing)
#   ISF_BIN=target/release/isf scripts/test-mcp-sdk.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
python=${PYTHON:-python3}
if [[ -z "${ISF_BIN:-}" ]]; then
    cargo build -q -p isfkit-cli
    export ISF_BIN="$root/target/debug/isf"
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/isfkit-mcp-sdk.XXXXXX")
trap 'rm -rf "$work"' EXIT
for line in "mcp>=1.20,<2" "mcp>=2,<3"; do
    "$python" -m venv "$work/venv"
    "$work/venv/bin/python" -m pip install --quiet "$line" pytest pillow
    echo "test-mcp-sdk.sh: $("$work/venv/bin/python" -m pip show mcp | grep '^Version')"
    (cd "$work" && "$work/venv/bin/python" -m pytest -q -p no:cacheprovider --noconftest \
        "$root/crates/isfkit-py/tests/test_mcp_sdk.py")
    rm -rf "$work/venv"
done
