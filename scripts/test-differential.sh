#!/usr/bin/env bash
# Differential test against desktop OpenGL: renders isfkit's own test shaders with
# `isf render` and with pyvvisf 0.9 on Mesa's OpenGL (llvmpipe) under Xvfb, and compares the
# PNGs byte for byte (tests/differential/compare.py lists the cases and the documented rules
# that make a case differ on purpose). pyvvisf and its dependencies go into a fresh virtualenv.
#
#   scripts/test-differential.sh              # uses target/debug/isf (built if missing)
#   ISF=target/release/isf scripts/test-differential.sh --keep /tmp/renders
set -euo pipefail
cd "$(dirname "$0")/.."
isf=${ISF:-target/debug/isf}
if [ ! -x "$isf" ]; then
    cargo build -q -p isfkit-cli
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/isfkit-differential.XXXXXX")
trap 'rm -rf "$work"' EXIT
python=${PYTHON:-python3}
"$python" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check "pyvvisf==0.9.0" numpy pillow
echo "test-differential.sh: isfkit vs pyvvisf 0.9 on desktop OpenGL"
xvfb-run -a -s "-screen 0 2048x2048x24" "$work/venv/bin/python" tests/differential/compare.py --isf "$isf" "$@"
