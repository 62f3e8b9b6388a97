#!/usr/bin/env python3
"""Soak test of the Python package: renders in a loop and reports resident memory.

    python benches/python_soak.py [renders=2000] [width=256] [height=144]

Needs `isfkit` installed (scripts/test-python.sh builds the wheel; or
`pip install ./crates/isfkit-py`). Prints RSS after warm-up and every 500 renders, the
growth per 1,000 renders, and the live GPU resources before shutdown. Figures are for the
machine it runs on; the pytest suite only checks a generous bound over fewer renders.
"""

import os
import sys
import time

import isfkit

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHADERS = os.path.join(ROOT, "tests", "shaders")


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main() -> int:
    renders = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    width = int(sys.argv[2]) if len(sys.argv) > 2 else 256
    height = int(sys.argv[3]) if len(sys.argv) > 3 else 144
    with isfkit.Engine() as engine:
        print(f"adapter: {engine.adapter}")
        multipass = engine.load(os.path.join(SHADERS, "multipass_sizes.fs"))
        persistent = engine.load(os.path.join(SHADERS, "persistent.fs"))
        inputs = engine.load(os.path.join(SHADERS, "inputs_all.fs"))
        shaders = [multipass, persistent, inputs]
        for i in range(100):  # warm-up: pools and pipelines reach their steady state
            shaders[i % 3].render(width, height, time=i / 30).to_numpy()
        start = rss_mb()
        t0 = time.perf_counter()
        print(f"after warm-up: RSS {start:.1f} MB")
        for i in range(renders):
            s = shaders[i % 3]
            if s is inputs:
                s.set(amount=(i % 100) / 100, tint=(i % 7 / 7, 0.5, 0.5, 1.0))
            s.render(width, height, time=i / 30).to_numpy()
            if (i + 1) % 500 == 0:
                print(f"{i + 1:6d} renders: RSS {rss_mb():.1f} MB")
        elapsed = time.perf_counter() - t0
        end = rss_mb()
        live = len(engine.live_resources())
        report = engine.shutdown()
    growth = end - start
    print(f"{renders} renders of {width}x{height} in {elapsed:.1f} s ({renders / elapsed:.0f}/s)")
    print(f"RSS growth after warm-up: {growth:+.2f} MB ({growth * 1000 / renders:+.3f} MB per 1,000 renders)")
    print(f"live GPU resources before shutdown: {live}; shutdown ok: {report.ok}; leaks: {len(report.leaks)}")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
