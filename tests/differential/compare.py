#!/usr/bin/env python3
"""Differential test (issue 9): isfkit against desktop OpenGL semantics.

Renders each case with `isf render` (wgpu; on this machine Vulkan on Mesa's lavapipe) and
with pyvvisf 0.9 through desktop OpenGL (Mesa's llvmpipe, the same rasterizer) via
pyvvisf_render.py, then compares the PNGs byte for byte. A case must match exactly, or it
names the documented rule (README, "What is supported"; docs/design/fidelity.md) that makes
isfkit differ on purpose, and then it must differ (so the rule is shown to matter).

    python compare.py --isf target/debug/isf [--keep DIR]
    python compare.py --isf target/debug/isf --realworld   # a measurement, not a test

`--realworld` renders the real Shadertoy shaders of tests/realworld at 64x36, time 1, with
both renderers and counts the ones that match byte for byte (it exits 0 whatever it finds).

Run under an X server (xvfb-run). Exit 0 when every case holds, 1 otherwise.
"""

import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SHADERS = os.path.join(ROOT, "tests", "shaders")

# (name, shader, size, time, extra arguments for both renderers, rule or None)
CASES = [
    ("gradient 640x360", "gradient.fs", "640x360", 0.0, [], None),
    ("gradient 101x37", "gradient.fs", "101x37", 0.0, [], None),
    ("hash noise 640x360", "hash_noise.fs", "640x360", 0.0, [], None),
    ("hash noise 333x777 t=1.25", "hash_noise.fs", "333x777", 1.25, [], None),
    ("gl_FragCoord 640x360", "fragcoord.fs", "640x360", 0.0, [], None),
    ("custom vertex shader", "custom_vertex.fs", "256x192", 0.0, [], None),
    ("invert filter", "filter_invert.fs", "32x24", 0.0, ["--image", "inputImage=@quadrants"], None),
    ("IMG_PIXEL / IMG_NORM_PIXEL", "img_pixel.fs", "32x24", 0.0, ["--image", "inputImage=@quadrants"], None),
    ("transition", "transition.fs", "64x48", 0.0,
     ["--image", "startImage=@quadrants", "--image", "endImage=@noise", "--set", "progress=0.5"], None),
    ("IMG_THIS_PIXEL, quad turned by .vs", "this_pixel_rotated.fs", "48x48", 0.0,
     ["--image", "inputImage=@quadrants"], None),
    ("texture reads in the .vs", "vertex_texture.fs", "64x48", 0.0,
     ["--image", "inputImage=@quadrants"], None),
    ("matrix varyings, custom .vs", "matrix_varying.fs", "64x64", 0.0, [], None),
    ("every input type (defaults)", "inputs_all.fs", "96x32", 0.0, [], None),
    ("pow with a negative base", "pow_negative.fs", "64x16", 0.0, [],
     "pow(x, N) with an integer literal N is a product (desktop NVIDIA/AMD/Apple compilers); "
     "llvmpipe computes exp2(N * log2(x)), NaN for x < 0"),
]


def make_images(tmp):
    """Test images: 32x24 quadrants (top-left red, top-right green, bottom-left blue,
    bottom-right white) and 32x24 seeded RGBA noise."""
    q = np.zeros((24, 32, 4), np.uint8)
    q[:12, :16] = (255, 0, 0, 255)
    q[:12, 16:] = (0, 255, 0, 255)
    q[12:, :16] = (0, 0, 255, 255)
    q[12:, 16:] = (255, 255, 255, 255)
    noise = np.random.default_rng(7).integers(0, 256, (24, 32, 4), dtype=np.uint8)
    noise[..., 3] = 255
    paths = {}
    for name, arr in [("quadrants", q), ("noise", noise)]:
        paths[name] = os.path.join(tmp, name + ".png")
        Image.fromarray(arr, "RGBA").save(paths[name])
    return paths


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {r.returncode}:\n{r.stderr.strip()}")


def differing(ours, theirs):
    """Per pixel, the largest channel difference between two PNGs (None when sizes differ)."""
    a = np.asarray(Image.open(ours).convert("RGBA")).astype(np.int16)
    b = np.asarray(Image.open(theirs).convert("RGBA")).astype(np.int16)
    return None if a.shape != b.shape else np.abs(a - b).max(axis=2)


def realworld(args):
    folder = os.path.join(ROOT, "tests", "realworld", "shaders")
    tmp = args.keep or tempfile.mkdtemp(prefix="isfkit-realworld-")
    os.makedirs(tmp, exist_ok=True)
    names = sorted(n for n in os.listdir(folder) if n.endswith(".fs"))
    same = 0
    for name in names:
        src = os.path.join(folder, name)
        ours, theirs = (os.path.join(tmp, f"{name[:-3]}-{who}.png") for who in ("isfkit", "gl"))
        try:
            for cmd in ([args.isf, "render", src, "-o", ours],
                        [sys.executable, os.path.join(HERE, "pyvvisf_render.py"), src, theirs]):
                run([*cmd, "--size", "64x36", "--time", "1"])
        except RuntimeError as e:
            print(f"{name:44} failed: {e}")
            continue
        d = differing(ours, theirs)
        if d is not None and not d.any():
            same += 1
            print(f"{name:44} byte for byte")
        elif d is None:
            print(f"{name:44} sizes differ")
        else:
            print(f"{name:44} {int((d > 0).sum())} of {d.size} pixels differ (max {int(d.max())})")
    print(f"{same} of {len(names)} real-world shaders byte for byte as desktop GL draws them")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--isf", required=True, help="the isf binary")
    ap.add_argument("--keep", help="write both renders of every case here")
    ap.add_argument("--realworld", action="store_true",
                    help="count the real-world shaders that match byte for byte instead")
    args = ap.parse_args()
    if args.realworld:
        realworld(args)
        return
    tmp = args.keep or tempfile.mkdtemp(prefix="isfkit-differential-")
    os.makedirs(tmp, exist_ok=True)
    images = make_images(tmp)
    failures = 0
    print(f"{'case':32} {'pixels differing':>18}  result")
    for k, (name, shader, size, time, extra, rule) in enumerate(CASES):
        extra = [a.replace("@quadrants", images["quadrants"]).replace("@noise", images["noise"])
                 for a in extra]
        src = os.path.join(SHADERS, shader)
        ours, theirs = (os.path.join(tmp, f"{k:02d}-{who}.png") for who in ("isfkit", "gl"))
        try:
            run([args.isf, "render", src, "-o", ours, "--size", size, "--time", str(time), *extra])
            run([sys.executable, os.path.join(HERE, "pyvvisf_render.py"), src, theirs,
                 "--size", size, "--time", str(time), *extra])
        except RuntimeError as e:
            print(f"{name:32} {'-':>18}  FAIL: {e}")
            failures += 1
            continue
        d = differing(ours, theirs)
        if d is None:
            print(f"{name:32} {'-':>18}  FAIL: sizes differ")
            failures += 1
            continue
        n = int((d > 0).sum())
        counted = f"{n} of {d.size}"
        if rule is None and n == 0:
            print(f"{name:32} {counted:>18}  ok, bit for bit")
        elif rule is None:
            print(f"{name:32} {counted:>18}  FAIL: differs (max {int(d.max())} levels)")
            failures += 1
        elif n > 0:
            print(f"{name:32} {counted:>18}  ok, differs by rule: {rule}")
        else:
            print(f"{name:32} {counted:>18}  FAIL: the rule ({rule}) made no difference")
            failures += 1
    print(f"renders in {tmp}" if args.keep else "", end="")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
