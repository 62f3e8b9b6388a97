"""Where the tests find the `isf` binary: ``ISF_BIN``, else the workspace's release or debug
build; ``None`` when there is none."""

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def isf_binary():
    env = os.environ.get("ISF_BIN")
    if env:
        return env
    for profile in ("release", "debug"):
        p = REPO / "target" / profile / "isf"
        if p.is_file():
            return str(p)
    return None
