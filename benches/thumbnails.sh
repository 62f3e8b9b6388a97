#!/usr/bin/env bash
# Cold and warm thumbnails of a shader library: one 256x144 frame of each of 229 shaders
# (the 79 real Shadertoy shaders of tests/realworld, isfkit's 24 test shaders, the 125
# gl-transitions converted by `isf convert`, and benches/shaders/heavy_multipass.fs) through
# `isf batch`, with Mesa's shader cache empty (cold), then full (warm).
#
#   bash benches/thumbnails.sh [ISF ...]     # default: target/debug/isf
#
# Several binaries (say, one built before a change and one after) run alternately, ROUNDS
# times (default 2), so their ratios come from one run on one machine. LANES=N passes
# `--lanes N`, QUICK=1 `--quick-compile`, to the binaries that have them.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
binaries=("$@")
[ ${#binaries[@]} -gt 0 ] || binaries=("$root/target/debug/isf")
for i in "${!binaries[@]}"; do binaries[$i]=$(realpath "${binaries[$i]}"); done
rounds=${ROUNDS:-2}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/set"
"${binaries[0]}" convert "$root/tests/dialects/gl-transitions/gl-transitions.json" -o "$work/set/" >/dev/null 2>&1
cp "$root"/tests/realworld/shaders/*.fs "$root"/tests/shaders/*.fs "$root"/tests/shaders/*.vs \
   "$root"/tests/shaders/*.png "$root/benches/shaders/heavy_multipass.fs" "$work/set/"
count=$(ls "$work"/set/*.fs | wc -l)
printf 'jobs:\n  - shader: set/*.fs\n    output: out/{name}.png\n    size: 256x144\n    times: [1.0]\n' > "$work/job.yaml"
echo "thumbnails of $count shaders at 256x144 (isf batch), $rounds rounds"
seconds() { python3 -c 'import sys,time; print(f"{time.time()-float(sys.argv[1]):.2f}")' "$1"; }
for round in $(seq "$rounds"); do
  for bin in "${binaries[@]}"; do
    cache=$(mktemp -d -p "$work")
    for run in cold warm; do
      rm -rf "$work/out"
      start=$(python3 -c 'import time; print(time.time())')
      lanes=()
      if [ -n "${LANES:-}" ] && "$bin" batch --help | grep -q -- --lanes; then lanes=(--lanes "$LANES"); fi
      if [ -n "${QUICK:-}" ] && "$bin" batch --help | grep -q -- --quick-compile; then lanes+=(--quick-compile); fi
      (cd "$work" && MESA_SHADER_CACHE_DIR=$cache MESA_SHADER_CACHE_DISABLE=false \
        "$bin" batch job.yaml --quiet "${lanes[@]}" >/dev/null)
      echo "round $round  $run  $(seconds "$start") s  $bin"
    done
    rm -rf "$cache"
  done
done
