"""The process-wide engine behind the pyvvisf compatibility layer.

One engine at a time, created on first use (or by ``initialize_glfw_context()``), replaced
after ``cleanup_glfw_context()`` shut it down. Its lifetime is controlled only by those calls
(and by the interpreter dropping the module at exit): there is no atexit handler.
"""

from __future__ import annotations

import threading
from typing import List, Optional

from ._api import Engine, LiveResource

_lock = threading.RLock()
_engine: Optional[Engine] = None


def current(create: bool = True) -> Optional[Engine]:
    """The live process-wide engine; with ``create``, a new one when there is none or the last
    one was shut down."""
    global _engine
    with _lock:
        if (_engine is None or _engine.is_shut_down) and create:
            _engine = Engine()
        return _engine


def last() -> Optional[Engine]:
    """The process-wide engine, live or shut down (None if never created)."""
    return _engine


def live_resources() -> List[LiveResource]:
    """Live GPU resources of the process-wide engine (empty when none is left)."""
    e = _engine
    return [] if e is None else e.live_resources()
