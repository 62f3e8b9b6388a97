#!/usr/bin/env bash
# One command for a new machine: install what is missing, build `isf`, and render the
# bundled example to out/plasma.png (and a 30-frame sequence to out/plasma_%04d.png).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
echo "setup.sh: building isf (release; a few minutes the first time)"
cargo build -q --release -p isfkit-cli
mkdir -p out
./target/release/isf render examples/plasma.fs -o out/plasma.png --size 1280x720 --time 2
./target/release/isf render examples/plasma.fs -o out/plasma_%04d.png --size 640x360 --frames 30 --fps 30 --cleanup-report
echo "rendered out/plasma.png and out/plasma_0000.png .. out/plasma_0029.png"
