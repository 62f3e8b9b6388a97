#!/usr/bin/env bash
# Python tests of the `isfkit` package, run against the INSTALLED wheel, not the source tree:
# build the wheel with maturin, install it into a fresh virtualenv with pytest, numpy and
# Pillow (and Ray), and run crates/isfkit-py/tests from a directory where the source is not importable.
#
#   scripts/test-python.sh            # debug-profile wheel (fast to build; what CI runs)
#   ISFKIT_PY_RELEASE=1 scripts/test-python.sh   # release wheel
#   extra arguments go to pytest:  scripts/test-python.sh -k vvisf -x
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/isfkit-py-test.XXXXXX")
trap 'rm -rf "$work"' EXIT

python=${PYTHON:-python3}
if ! command -v maturin >/dev/null 2>&1; then
    "$python" -m pip install --quiet "maturin>=1.5,<2"
fi

profile=()
if [[ "${ISFKIT_PY_RELEASE:-0}" == "1" ]]; then
    profile=(--release)
fi
echo "test-python.sh: building the wheel"
maturin build --quiet "${profile[@]}" -m crates/isfkit-py/Cargo.toml -o "$work/wheels" --interpreter "$python"

"$python" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --upgrade pip
"$work/venv/bin/python" -m pip install --quiet "$work"/wheels/isfkit-*.whl pytest numpy pillow
# Ray, for isfkit.distributed's tests. Without it they fail, unless
# ISFKIT_SKIP_RAY_TESTS=1 says to skip them on purpose.
if [[ "${ISFKIT_SKIP_RAY_TESTS:-0}" != "1" ]]; then
    "$work/venv/bin/python" -m pip install --quiet ray
fi

# From an empty directory, so `import isfkit` can only find the installed package.
cd "$work"
ISFKIT_EXPECT_INSTALLED=1 "$work/venv/bin/python" -m pytest -p no:cacheprovider \
    --rootdir "$root/crates/isfkit-py/tests" "$root/crates/isfkit-py/tests" "$@"
