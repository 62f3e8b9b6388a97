"""The isfkit exception hierarchy and positioned diagnostics.

The native module raises these (see ``crates/isfkit-py/src/errors.rs``): every error of the
engine maps to exactly one class here, and every class derives from :class:`ISFError`.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from typing import List


@dataclass(frozen=True)
class Diagnostic:
    """A message about the user's shader. ``line``/``column`` are 1-based positions in the
    user's own file (0 when the problem has no position). ``stage`` is ``"header"`` for the
    ISF JSON header, ``"fragment"`` or ``"vertex"`` for GLSL."""

    line: int
    column: int
    message: str
    stage: str
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.line}:{self.column}: " if self.line > 0 else ""
        return f"{self.stage}: {where}{self.severity}: {self.message}"


class ISFError(Exception):
    """Base class of every isfkit error. ``kind`` names the kind of failure, the same name
    in every face of isfkit (``file``, ``invalid_shader``, ``input``, ``limit``, ``gpu``,
    ``environment``, ``timeout``, ``released``, ``internal``; see docs/errors.md)."""

    diagnostics: List[Diagnostic]
    kind: str = "internal"

    def __init__(self, message: str = "", diagnostics: List[Diagnostic] | None = None):
        super().__init__(message)
        self.diagnostics = list(diagnostics or [])

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""


class FileError(ISFError, OSError):
    """A file cannot be read or written: a missing shader, an unreadable vertex shader, an
    output folder that cannot be written."""

    kind = "file"


class MissingFileError(FileError, FileNotFoundError):
    """The file does not exist (also a ``FileNotFoundError``)."""


class ParseError(ISFError, ValueError):
    """The ISF JSON header is missing or invalid. ``.diagnostics`` holds its position."""

    kind = "invalid_shader"


class CompileError(ISFError, ValueError):
    """The GLSL does not compile. ``.diagnostics`` lists every error at the user's lines."""

    kind = "invalid_shader"


class InputError(ISFError, ValueError):
    """An unknown input name, a value of the wrong type, or an unreadable image."""

    kind = "input"


class RenderError(ISFError):
    """Rendering failed: no GPU adapter, a device error, no ffmpeg for a video."""

    kind = "gpu"


class LimitError(RenderError, ValueError):
    """A size over what the engine or the adapter allows (the render size, an audio
    input's texture)."""

    kind = "limit"


class TimeoutError(ISFError, builtins.TimeoutError):  # noqa: A001 - mirrors the builtin on purpose
    """The GPU did not finish within the engine's deadline; the device is replaced."""

    kind = "timeout"


class ResourceError(ISFError):
    """Use of an engine, shader or buffer after ``shutdown()``/``cleanup_glfw_context()`` or
    of a buffer after ``force_cleanup()``."""

    kind = "released"


__all__ = [
    "Diagnostic",
    "ISFError",
    "ParseError",
    "CompileError",
    "InputError",
    "FileError",
    "MissingFileError",
    "LimitError",
    "RenderError",
    "TimeoutError",
    "ResourceError",
]

