"""isfkit against wgpu-shadertoy (pygfx's Shadertoy renderer on wgpu), on Shadertoy code.

Each shader (the bodies of tests/realworld, bare Shadertoy code once the hand-written ISF
header is taken off, and any .glsl given) is rendered at one time by `isf render FILE.glsl`
(isfkit reads the Shadertoy dialect directly) and by wgpu-shadertoy offscreen, and the two
pictures are compared byte for byte. Prints one line per shader that differs and a summary.

    python -m venv /tmp/wst && /tmp/wst/bin/pip install wgpu-shadertoy "wgpu==0.22.*" glfw numpy pillow
    /tmp/wst/bin/python tests/differential/shadertoy_peer.py --isf target/debug/isf

Both run on the machine's Vulkan (lavapipe here). Shaders that read iDate are left out (the
peer takes the wall clock).
"""

import argparse
import pathlib
import subprocess
import sys
import tempfile

import numpy as np
from PIL import Image

REPO = pathlib.Path(__file__).resolve().parents[2]


def realworld_bodies():
    """(name, Shadertoy code) of tests/realworld: the hand-written header and main() removed."""
    for path in sorted((REPO / "tests" / "realworld" / "shaders").glob("*.fs")):
        lines = path.read_text(encoding="utf-8").split("\n")
        # Line 1: the header; 2-7: the defines; the last line: main().
        body = "\n".join(lines[7:-2]) + "\n"
        yield path.stem, body


def render_isf(isf, code, size, time, tmp):
    src = tmp / "shader.glsl"
    out = tmp / "isf.png"
    src.write_text(code, encoding="utf-8")
    r = subprocess.run(
        [isf, "render", str(src), "-o", str(out), "--size", f"{size[0]}x{size[1]}",
         "--time", str(time), "-q", "--date", "2026-03-14T01:00:00"],
        capture_output=True, text=True)
    if r.returncode != 0:
        return None, r.stderr.strip().splitlines()[0] if r.stderr.strip() else "failed"
    return np.asarray(Image.open(out).convert("RGBA")), None


def render_peer(code, size, time):
    from wgpu_shadertoy import Shadertoy
    try:
        s = Shadertoy(code, resolution=size, offscreen=True)
        return np.asarray(s.snapshot(time)).copy(), None
    except Exception as e:  # the peer's own compile errors
        return None, f"{type(e).__name__}: {str(e).strip().splitlines()[0] if str(e).strip() else ''}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--isf", default=str(REPO / "target" / "debug" / "isf"))
    ap.add_argument("--size", default="64x36")
    ap.add_argument("--time", type=float, default=1.0)
    ap.add_argument("files", nargs="*", help="more Shadertoy .glsl files")
    a = ap.parse_args()
    size = tuple(int(v) for v in a.size.split("x"))
    shaders = list(realworld_bodies())
    shaders += [(pathlib.Path(f).stem, pathlib.Path(f).read_text()) for f in a.files]
    counts = {"identical": 0, "within 2/255": 0, "differ": 0, "peer failed": 0,
              "isfkit failed": 0, "skipped (iDate)": 0}
    with tempfile.TemporaryDirectory() as t:
        tmp = pathlib.Path(t)
        for name, code in shaders:
            if "iDate" in code:
                counts["skipped (iDate)"] += 1
                continue
            mine, err = render_isf(a.isf, code, size, a.time, tmp)
            if mine is None:
                counts["isfkit failed"] += 1
                print(f"{name}: isfkit failed: {err}")
                continue
            peer, perr = render_peer(code, size, a.time)
            if peer is None:
                counts["peer failed"] += 1
                print(f"{name}: wgpu-shadertoy failed: {perr}")
                continue
            # Shadertoy's alpha is 1 on screen; compare colour.
            d = np.abs(mine[..., :3].astype(int) - peer[..., :3].astype(int))
            worst = int(d.max())
            if worst == 0:
                counts["identical"] += 1
            elif worst <= 2:
                counts["within 2/255"] += 1
            else:
                counts["differ"] += 1
                share = float((d.max(axis=2) > 2).mean())
                print(f"{name}: differs by up to {worst}/255 on {share:.1%} of pixels")
    print("; ".join(f"{k}: {v}" for k, v in counts.items()))


if __name__ == "__main__":
    sys.exit(main())
