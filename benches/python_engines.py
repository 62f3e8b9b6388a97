"""Engines created and shut down in a loop from Python: RSS per cycle after 200 cycles.

    python benches/python_engines.py 2000
"""

import sys

import isfkit


def rss_kib() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def main() -> None:
    cycles = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    warm = 200
    if cycles <= warm:
        sys.exit(f"give more than {warm} cycles")
    before = 0
    for i in range(cycles):
        engine = isfkit.Engine()
        report = engine.shutdown()
        assert report.ok, str(report)
        del engine
        if i + 1 == warm:
            before = rss_kib()
    after = rss_kib()
    per_cycle = (after - before) * 1024 / (cycles - warm)
    print(
        f"{cycles} engines from Python: RSS {before} KiB after {warm} -> {after} KiB "
        f"({per_cycle:+.0f} bytes per cycle)"
    )


if __name__ == "__main__":
    main()
