"""pyvvisf 0.9's exception classes (``pyvvisf.errors``), on isfkit's hierarchy.

Every class keeps pyvvisf's constructor and ``context`` dict (``str()`` lists the context as
pyvvisf does), and also derives from the matching isfkit class, so both
``except pyvvisf.ShaderCompilationError`` and ``except isfkit.CompileError`` catch a
compile error, and ``.diagnostics`` carries the engine's positions in the user's file.
"""

from __future__ import annotations

import contextlib
from typing import Any, Dict, Iterator, List, Optional

from . import _errors
from ._errors import Diagnostic


class ISFError(_errors.ISFError):
    """Base exception for ISF-related errors (pyvvisf's ``ISFError``)."""

    def __init__(
        self,
        message: str = "",
        context: Optional[Dict[str, Any]] = None,
        diagnostics: Optional[List[Diagnostic]] = None,
    ):
        super().__init__(message, diagnostics)
        self.context: Dict[str, Any] = dict(context or {})

    def __str__(self) -> str:
        msg = super().__str__()
        if self.context:
            msg += "\nContext:\n" + "\n".join(f"  {k}: {v}" for k, v in self.context.items())
        return msg

    # The first diagnostic's position in the user's file (None without one).
    @property
    def line(self) -> Optional[int]:
        d = self._first_positioned()
        return d.line if d else self.context.get("line")

    @property
    def column(self) -> Optional[int]:
        d = self._first_positioned()
        return d.column if d else self.context.get("column")

    def _first_positioned(self) -> Optional[Diagnostic]:
        return next((d for d in self.diagnostics if d.line > 0), None)


class ISFParseError(ISFError, _errors.ParseError):
    """Error parsing ISF shader content (the JSON header)."""

    def __init__(
        self,
        message: str = "",
        json_block: str = "",
        line_info: Optional[Dict[str, Any]] = None,
        diagnostics: Optional[List[Diagnostic]] = None,
    ):
        context: Dict[str, Any] = {}
        if json_block:
            context["json_block"] = json_block
        if line_info:
            context.update(line_info)
        super().__init__(message, context, diagnostics)


class ShaderCompilationError(ISFError, _errors.CompileError):
    """Error compiling the shader; ``.diagnostics``/``.line``/``.column`` point into the user's
    file."""

    def __init__(
        self,
        message: str = "",
        shader_source: str = "",
        shader_type: str = "",
        diagnostics: Optional[List[Diagnostic]] = None,
    ):
        context: Dict[str, Any] = {}
        if shader_source:
            context["shader_source"] = shader_source
        if shader_type:
            context["shader_type"] = shader_type
        super().__init__(message, context, diagnostics)


class RenderingError(ISFError, _errors.RenderError):
    """Error during rendering (pyvvisf also raises it for inputs it cannot set)."""

    def __init__(self, message: str = "", operation: str = "", diagnostics: Optional[List[Diagnostic]] = None):
        super().__init__(message, {"operation": operation} if operation else None, diagnostics)


class ContextError(ISFError, _errors.RenderError):
    """The GPU context could not be created (pyvvisf: GLFW/OpenGL; isfkit: no GPU adapter)."""

    def __init__(self, message: str = "", platform_info: Optional[Dict[str, Any]] = None):
        super().__init__(message, platform_info)


class ValidationError(ISFError, _errors.InputError):
    """Error validating ISF metadata or inputs."""

    def __init__(self, message: str = "", field: str = "", value: Any = None):
        context: Dict[str, Any] = {}
        if field:
            context["field"] = field
        if value is not None:
            context["value"] = value
        super().__init__(message, context)


class InputRenderingError(RenderingError, _errors.InputError):
    """An input pyvvisf refuses (``RenderingError``) that is also an ``isfkit.InputError``."""


def translate(e: BaseException) -> BaseException:
    """The pyvvisf class for an isfkit error raised by the engine (same message and
    diagnostics); other exceptions unchanged."""
    if isinstance(e, ISFError) or not isinstance(e, _errors.ISFError):
        return e
    msg, diags = e.message, e.diagnostics
    if isinstance(e, _errors.ParseError):
        d = next((d for d in diags if d.line > 0), None)
        return ISFParseError(msg, line_info={"line": d.line, "column": d.column} if d else None, diagnostics=diags)
    if isinstance(e, _errors.CompileError):
        stage = next((d.stage for d in diags if d.stage in ("fragment", "vertex")), "")
        return ShaderCompilationError(msg, shader_type=stage, diagnostics=diags)
    if type(e) is _errors.RenderError:
        return RenderingError(msg, diagnostics=diags)
    return e


@contextlib.contextmanager
def translated() -> Iterator[None]:
    """Re-raises isfkit's ParseError/CompileError/RenderError as pyvvisf's classes."""
    try:
        yield
    except _errors.ISFError as e:
        new = translate(e)
        if new is e:
            raise
        raise new from e


__all__ = [
    "ISFError",
    "ISFParseError",
    "ShaderCompilationError",
    "RenderingError",
    "ContextError",
    "ValidationError",
]
