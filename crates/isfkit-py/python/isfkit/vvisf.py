"""pyvvisf compatibility: ``import isfkit.vvisf as pyvvisf`` (or
``isfkit.vvisf.install_as_pyvvisf()``) and existing scripts run.

Both APIs are here: pyvvisf 0.9's (``ISFRenderer``, ``RenderResult``, ``ISFParser``,
``ISFMetadata``, ``ISFColor``, ``ISFPoint2D``, the submodules ``errors``, ``types`` and
``parser``, :func:`get_supported_glsl_versions`) and pyvvisf 0.2's binding API
(``CreateISFSceneRef``, ``CreateISFDocRefWith``, ``ISF*Val``, ``GLBufferPool``, the GLFW
context functions). Everything renders through the isfkit engine. Each API has its own
module, :mod:`isfkit.vvisf09` and :mod:`isfkit.vvisf02`; this one gathers their names (and
the ``errors``, ``types`` and ``parser`` submodules) under pyvvisf's.

The GLFW/OpenGL context of pyvvisf maps onto one process-wide isfkit engine:

- ``initialize_glfw_context()`` creates it (calls that need it create it on first use, as
  pyvvisf did);
- ``reinitialize_glfw_context()`` replaces its GPU device; scenes keep their shader, inputs
  and persistent buffers and simply render on the new device (pyvvisf crashed here);
- ``cleanup_glfw_context()`` shuts it down and returns its :class:`isfkit.CleanupReport`;
  the next call that needs an engine starts a fresh one, and scenes made before re-load
  their shader on it.

Buffers returned by ``create_and_render_a_buffer`` hold the pixels read back from the GPU;
like pool buffers in VVGL they become invalid after ``GLBufferPool.force_cleanup()`` or
``cleanup_glfw_context()``: using one then raises :class:`isfkit.ResourceError` instead of
crashing. There is no atexit handler.
"""

from __future__ import annotations

import os
import sys as _sys
from typing import List

from . import _errors, _native, _process
from . import vvisf_errors as errors
from . import vvisf_parser as parser
from . import vvisf_types as types
from ._api import CleanupReport, Engine, Frame, Shader
from ._errors import InputError, ResourceError
from .vvisf02 import (
    CreateGlobalBufferPool,
    CreateISFDocRef,
    CreateISFDocRefWith,
    CreateISFSceneRef,
    GetGlobalBufferPool,
    GLBuffer,
    GLBufferPool,
    GLContextManager,
    ISFBoolVal,
    ISFColorVal,
    ISFDoc,
    ISFEventVal,
    ISFFloatVal,
    ISFLongVal,
    ISFNullVal,
    ISFPoint2DVal,
    ISFScene,
    ISFVal,
    Rect,
    Size,
    acquire_context_ref,
    check_gl_errors,
    cleanup_glfw_context,
    get_gl_info,
    initialize_glfw_context,
    reinitialize_glfw_context,
    release_context_ref,
    reset_gl_context_state,
    validate_gl_context,
)
from .vvisf09 import ISFRenderer, RenderResult, ShaderValidationError, get_supported_glsl_versions
from .vvisf_errors import (
    ContextError,
    InputRenderingError,
    ISFError,
    ISFParseError,
    RenderingError,
    ShaderCompilationError,
    ValidationError,
    translated,
)
from .vvisf_parser import ISFMetadata, ISFParser
from .vvisf_types import ISFColor, ISFPoint2D, ISFValue, coerce_to_isf_value, plain_value

# pyvvisf 0.2's other exception names: the broad isfkit classes.
ShaderRenderingError = _errors.RenderError
VVISFError = _errors.ISFError

#: The pyvvisf version whose API this emulates, tagged with isfkit's.
__version__ = "0.9.0+isfkit." + _native.__version__


def install_as_pyvvisf() -> None:
    """Makes ``import pyvvisf`` (and ``pyvvisf.errors``, ``.types``, ``.parser``,
    ``.renderer``, ``.result``, ``.glsl_versions``) reach isfkit.vvisf, for the whole
    process, as PyMySQL's ``install_as_MySQLdb()`` does. Call it before the application
    imports pyvvisf (e.g. in ``sitecustomize.py``)."""
    me = _sys.modules[__name__]
    _sys.modules["pyvvisf"] = me
    for sub, module in (
        ("errors", errors),
        ("types", types),
        ("parser", parser),
        ("renderer", me),
        ("result", me),
        ("glsl_versions", me),
    ):
        _sys.modules["pyvvisf." + sub] = module


# pyvvisf's other submodules user code imports from (``pyvvisf.renderer.ShaderValidationError``,
# ``pyvvisf.result.RenderResult``, ``pyvvisf.glsl_versions``): this module has their names.
renderer = result = glsl_versions = _sys.modules[__name__]



def file_is_probably_isf(path: str) -> bool:
    """True when the file starts with an ISF JSON header comment."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            head = f.read(4096)
    except OSError:
        return False
    return "/*" in head and "{" in head.split("/*", 1)[1]


def scan_for_isf_files(directory: str, recursive: bool = False) -> List[str]:
    out = []
    for root, dirs, files in os.walk(directory):
        for name in sorted(files):
            if name.lower().endswith(".fs") and file_is_probably_isf(os.path.join(root, name)):
                out.append(os.path.join(root, name))
        if not recursive:
            break
    return out


live_resources = _process.live_resources

__all__ = [
    "initialize_glfw_context",
    "reinitialize_glfw_context",
    "cleanup_glfw_context",
    "acquire_context_ref",
    "release_context_ref",
    "validate_gl_context",
    "check_gl_errors",
    "reset_gl_context_state",
    "get_gl_info",
    "Size",
    "Rect",
    "ISFVal",
    "ISFFloatVal",
    "ISFBoolVal",
    "ISFLongVal",
    "ISFPoint2DVal",
    "ISFColorVal",
    "ISFEventVal",
    "ISFNullVal",
    "ISFDoc",
    "CreateISFDocRefWith",
    "CreateISFDocRef",
    "ISFScene",
    "CreateISFSceneRef",
    "GLBuffer",
    "GLBufferPool",
    "CreateGlobalBufferPool",
    "GetGlobalBufferPool",
    "GLContextManager",
    "ISFRenderer",
    "file_is_probably_isf",
    "scan_for_isf_files",
    "live_resources",
    "ShaderRenderingError",
    "VVISFError",
    "InputError",
    # pyvvisf 0.9
    "ISFColor",
    "ISFError",
    "ISFMetadata",
    "ISFParseError",
    "ISFParser",
    "ISFPoint2D",
    "ISFRenderer",
    "ISFValue",
    "RenderingError",
    "ShaderCompilationError",
    "__version__",
    "get_supported_glsl_versions",
    "RenderResult",
    "ShaderValidationError",
    "ContextError",
    "ValidationError",
    "coerce_to_isf_value",
    "install_as_pyvvisf",
]
