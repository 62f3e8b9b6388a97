#!/usr/bin/env bash
# One 256x144 frame of a shader as a whole process, with Mesa's shader cache empty (cold) and
# then full (warm): `isf render` (Vulkan on lavapipe) against pyvvisf 0.9 (desktop OpenGL on
# llvmpipe, the same LLVM), through tests/differential/pyvvisf_render.py. A trivial shader
# (tests/shaders/gradient.fs) gives each process's fixed cost, to subtract.
#
#   bash benches/gl_first_frame.sh [SHADER.fs ...]   # default: benches/shaders/heavy_multipass.fs
#
# Needs a display for OpenGL (run it under `xvfb-run -a`) and PYTHON naming a Python with
# `pyvvisf==0.9.0 numpy pillow` (default: python3). ISF=path/to/isf (default
# target/debug/isf).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
isf=$(realpath "${ISF:-$root/target/debug/isf}")
python=${PYTHON:-python3}
shaders=("$@")
[ ${#shaders[@]} -gt 0 ] || shaders=("$root/benches/shaders/heavy_multipass.fs")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
now() { python3 -c 'import time; print(time.time())'; }
for shader in "$root/tests/shaders/gradient.fs" "${shaders[@]}"; do
  for who in isf gl; do
    cache=$(mktemp -d -p "$work")
    for run in cold warm; do
      start=$(now)
      if [ "$who" = isf ]; then
        MESA_SHADER_CACHE_DIR=$cache "$isf" render "$shader" -o "$work/$who.png" \
          --size 256x144 --time 1 >/dev/null 2>&1 || echo "isf render failed: $shader"
      else
        MESA_SHADER_CACHE_DIR=$cache "$python" "$root/tests/differential/pyvvisf_render.py" \
          "$shader" "$work/$who.png" --size 256x144 --time 1 >/dev/null 2>&1 \
          || echo "pyvvisf failed: $shader"
      fi
      python3 -c 'import sys,time; print(f"{sys.argv[1]:<40} {sys.argv[2]:<4} {sys.argv[3]:<5} {(time.time()-float(sys.argv[4]))*1000:7.0f} ms")' \
        "$(basename "$shader")" "$who" "$run" "$start"
    done
  done
done
