"""pyvvisf compatibility: ``import isfkit.vvisf as pyvvisf`` (or
``isfkit.vvisf.install_as_pyvvisf()``) and existing scripts run.

Both APIs are here: pyvvisf 0.9's (``ISFRenderer``, ``RenderResult``, ``ISFParser``,
``ISFMetadata``, ``ISFColor``, ``ISFPoint2D``, the submodules ``errors``, ``types`` and
``parser``, :func:`get_supported_glsl_versions`) and pyvvisf 0.2's binding API
(``CreateISFSceneRef``, ``CreateISFDocRefWith``, ``ISF*Val``, ``GLBufferPool``, the GLFW
context functions). Everything renders through the isfkit engine.

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
import time as _time
from typing import Any, Dict, Iterator, List, Optional, Union

from . import _errors, _native, _process
from . import vvisf_errors as errors
from . import vvisf_parser as parser
from . import vvisf_types as types
from ._api import CleanupReport, Engine, Frame, Shader
from ._errors import InputError, ResourceError
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

# ---------------------------------------------------------------------------------------------
# Context (the process-wide engine)


def initialize_glfw_context() -> bool:
    """Creates the process-wide engine if there is none. Returns True."""
    _process.current(create=True)
    return True


def reinitialize_glfw_context() -> bool:
    """Replaces the engine's GPU device (creating the engine if needed). Returns True."""
    with _process._lock:
        engine = _process.current(create=False)
        if engine is None or engine.is_shut_down:
            _process.current(create=True)
        else:
            engine.reinitialize()
    return True


def cleanup_glfw_context() -> CleanupReport:
    """Shuts the process-wide engine down: releases every GPU resource, verifies nothing is
    left, and returns the report (``.ok``, ``.leaks``, ``.to_dict()``)."""
    with _process._lock:
        engine = _process.current(create=False)
        if engine is None:
            return CleanupReport()
        return engine.shutdown()


def acquire_context_ref() -> None:
    """Kept for pyvvisf scripts; the engine needs no reference counting."""
    _process.current(create=True)


def release_context_ref() -> None:
    """Kept for pyvvisf scripts; does nothing."""


def validate_gl_context() -> bool:
    """True while a live engine exists."""
    engine = _process.current(create=False)
    return engine is not None and not engine.is_shut_down


def check_gl_errors(operation_name: str = "operation") -> None:
    """Kept for pyvvisf scripts: engine errors are raised where they happen."""


def reset_gl_context_state() -> None:
    """Kept for pyvvisf scripts; does nothing."""


def get_gl_info() -> Dict[str, Any]:
    engine = _process.current(create=False)
    alive = engine is not None and not engine.is_shut_down
    return {
        "initialized": alive,
        "renderer": engine.adapter if alive else None,
        "generation": engine.generation if alive else 0,
        "backend": "wgpu",
    }


def _engine() -> Engine:
    try:
        engine = _process.current(create=True)
    except _errors.RenderError as e:  # no GPU adapter: pyvvisf's ContextError
        raise ContextError(f"Failed to create the GPU context: {e.message}") from e
    assert engine is not None
    return engine


# ---------------------------------------------------------------------------------------------
# Values


class Size:
    """Width and height (pyvvisf's ``Size``)."""

    def __init__(self, width: float = 0, height: float = 0):
        self.width = width
        self.height = height

    def __repr__(self) -> str:
        return f"Size({self.width}, {self.height})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Size) and (self.width, self.height) == (other.width, other.height)

    def __iter__(self) -> Iterator[float]:
        return iter((self.width, self.height))


class Rect:
    def __init__(self, x: float = 0, y: float = 0, width: float = 0, height: float = 0):
        self.x, self.y, self.width, self.height = x, y, width, height

    def __repr__(self) -> str:
        return f"Rect({self.x}, {self.y}, {self.width}, {self.height})"


class ISFVal:
    """A typed ISF value (pyvvisf's ``ISF*Val``)."""

    type_name = "none"

    def __init__(self, *values: Any):
        self._values = values

    @property
    def value(self) -> Any:
        return self._values[0] if len(self._values) == 1 else tuple(self._values)

    def python_value(self) -> Any:
        return self.value

    def type(self) -> str:
        return self.type_name

    def get_double_val(self) -> float:
        return float(self._values[0]) if self._values else 0.0

    def get_bool_val(self) -> bool:
        return bool(self._values[0]) if self._values else False

    def get_long_val(self) -> int:
        return int(self._values[0]) if self._values else 0

    def get_point_val_by_index(self, index: int) -> float:
        return float(self._values[index])

    def get_color_val_by_channel(self, channel: int) -> float:
        return float(self._values[channel])

    def is_float_val(self) -> bool:
        return self.type_name == "float"

    def is_bool_val(self) -> bool:
        return self.type_name == "bool"

    def is_long_val(self) -> bool:
        return self.type_name == "long"

    def is_point2d_val(self) -> bool:
        return self.type_name == "point2D"

    def is_color_val(self) -> bool:
        return self.type_name == "color"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(repr(v) for v in self._values)})"

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other._values == self._values  # type: ignore[attr-defined]


class _FloatVal(ISFVal):
    type_name = "float"


class _BoolVal(ISFVal):
    type_name = "bool"


class _LongVal(ISFVal):
    type_name = "long"


class _Point2DVal(ISFVal):
    type_name = "point2D"


class _ColorVal(ISFVal):
    type_name = "color"


class _EventVal(ISFVal):
    type_name = "event"


def ISFFloatVal(value: float) -> ISFVal:  # noqa: N802 - pyvvisf's names
    return _FloatVal(float(value))


def ISFBoolVal(value: bool) -> ISFVal:  # noqa: N802
    return _BoolVal(bool(value))


def ISFLongVal(value: int) -> ISFVal:  # noqa: N802
    return _LongVal(int(value))


def ISFPoint2DVal(x: float, y: float) -> ISFVal:  # noqa: N802
    return _Point2DVal(float(x), float(y))


def ISFColorVal(r: float, g: float, b: float, a: float = 1.0) -> ISFVal:  # noqa: N802
    return _ColorVal(float(r), float(g), float(b), float(a))


def ISFEventVal(value: bool = True) -> ISFVal:  # noqa: N802
    return _EventVal(bool(value))


def ISFNullVal() -> ISFVal:  # noqa: N802
    return ISFVal()


def _plain(value: Any) -> Any:
    """An ISF*Val (0.2), an ISFValue (0.9) or a Python primitive -> what Shader.set takes."""
    if isinstance(value, ISFVal):
        return value.value
    return plain_value(value)


# ---------------------------------------------------------------------------------------------
# Documents, scenes, buffers


class ISFDoc:
    """A parsed ISF document (pyvvisf's ``ISFDocRef``)."""

    def __init__(self, source: str, path: Optional[str] = None):
        errors, _warnings = _native.validate(source, None, None)
        header = [d for d in errors if d.stage == "header"]
        if header:
            d = header[0]
            where = f"{d.line}:{d.column}: " if d.line else ""
            raise ISFParseError(
                f"{path or '<source>'}:{where}{d.message}",
                line_info={"line": d.line, "column": d.column} if d.line else None,
                diagnostics=header,
            )
        self.source = source
        self.path = path
        self._info = None

    def _shader_info(self):
        if self._info is None:
            # Reading the header needs no GPU: the process engine starts only to render.
            self._info = _native.parse_document(self.source, None)
        return self._info

    def name(self) -> str:
        return os.path.splitext(os.path.basename(self.path))[0] if self.path else ""

    def description(self) -> str:
        return self._shader_info().description or ""

    def credit(self) -> str:
        return self._shader_info().credit or ""

    def categories(self) -> List[str]:
        return list(self._shader_info().categories)

    def inputs(self) -> List[Any]:
        return list(self._shader_info().inputs)

    def input_names(self) -> List[str]:
        return [i.name for i in self._shader_info().inputs]

    def __repr__(self) -> str:
        return f"<ISFDoc {self.path or '<source>'}>"


def CreateISFDocRefWith(source: str, path: Optional[str] = None) -> ISFDoc:  # noqa: N802
    """A document from ISF source text; raises ParseError for a bad header."""
    return ISFDoc(source, path)


def CreateISFDocRef(path: str) -> ISFDoc:  # noqa: N802
    """A document from an ISF file."""
    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"no such ISF file: {path}")
    with open(path, encoding="utf-8") as f:
        return ISFDoc(f.read(), path)


def _load(engine: Engine, doc: ISFDoc) -> Shader:
    if doc.path is not None:
        return engine.load(doc.path)
    return engine.load_source(doc.source)


class GLBuffer:
    """A rendered buffer. Valid until ``GLBufferPool.force_cleanup()`` or
    ``cleanup_glfw_context()``; after that every use raises ResourceError."""

    def __init__(self, frame: Frame, engine: Engine):
        self._frame = frame
        self._engine = engine
        self._epoch = engine._release_epoch
        self.size = Size(frame.width, frame.height)

    def _check(self) -> Frame:
        if self._engine.is_shut_down:
            raise ResourceError("this buffer belonged to a context that was cleaned up (cleanup_glfw_context())")
        if self._engine._release_epoch != self._epoch:
            raise ResourceError("this buffer was released by force_cleanup() and can no longer be used")
        return self._frame

    @property
    def width(self) -> int:
        return self._frame.width

    @property
    def height(self) -> int:
        return self._frame.height

    def is_valid(self) -> bool:
        try:
            self._check()
            return True
        except ResourceError:
            return False

    def to_pil_image(self):
        return self._check().to_pil()

    def to_numpy(self):
        return self._check().to_numpy()

    def to_frame(self) -> Frame:
        return self._check()

    def save(self, path: str) -> None:
        self._check().save(path)

    def __repr__(self) -> str:
        return f"<GLBuffer {self.size.width}x{self.size.height}>"


class ISFScene:
    """A scene (pyvvisf's ``ISFSceneRef``): a document, its input values, and rendering."""

    def __init__(self, doc: Optional[ISFDoc] = None):
        self._doc: Optional[ISFDoc] = None
        self._shader: Optional[Shader] = None
        self._values: Dict[str, Any] = {}
        self._time: Optional[float] = None
        self._render_size: List[Optional[float]] = [None, None]
        self._start: Optional[float] = None
        self._float = False
        if doc is not None:
            self.use_doc(doc)

    # documents ---------------------------------------------------------------------------
    def use_doc(self, doc: ISFDoc) -> None:
        self._doc = doc
        self._values = {}
        self._shader = None
        self._start = None
        self._ensure_shader()

    def use_file(self, path: str) -> None:
        self.use_doc(CreateISFDocRef(path))

    def doc(self) -> Optional[ISFDoc]:
        return self._doc

    def _ensure_shader(self) -> Shader:
        if self._doc is None:
            raise ISFError("the scene has no document: call use_doc() or use_file() first")
        engine = _engine()
        if self._shader is None or self._shader.engine is not engine:
            # First use, or the context was cleaned up and a new one started: load the
            # document on the live engine and re-apply the inputs set so far.
            with translated():
                shader = _load(engine, self._doc)
            for name, value in self._values.items():
                shader._set_input(name, value, lenient=True)
            self._shader = shader
        return self._shader

    # inputs ------------------------------------------------------------------------------
    def set_value_for_input_named(self, value: Any, name: str) -> None:
        """Sets an input. ``TIME`` sets the render time; ``RENDERSIZE``, ``RENDERSIZE.x`` and
        ``RENDERSIZE.y`` are accepted the way pyvvisf scripts pass them (the render size is
        the buffer size given to create_and_render_a_buffer)."""
        v = _plain(value)
        if name == "TIME":
            self._time = float(v)
            return
        if name in ("RENDERSIZE.x", "RENDERSIZE.y"):
            self._render_size[0 if name.endswith("x") else 1] = float(v)
            return
        if name == "RENDERSIZE":
            self._render_size = [float(v[0]), float(v[1])]
            return
        shader = self._ensure_shader()
        # pyvvisf coerces Python primitives (a number for a bool, True for a long, ...).
        shader._set_input(name, v, lenient=True)
        self._values[name] = v

    def value_for_input_named(self, name: str) -> Any:
        if name == "TIME":
            return self._time
        return self._ensure_shader().get(name)

    def set_always_render_to_float(self, value: bool) -> None:
        self._float = bool(value)

    def always_render_to_float(self) -> bool:
        return self._float

    # rendering ---------------------------------------------------------------------------
    def create_and_render_a_buffer(
        self, size: Union[Size, tuple], render_time: Optional[float] = None, *args: Any, **kwargs: Any
    ) -> GLBuffer:
        """Renders a frame of ``size``. The time is ``render_time`` if given, else the TIME
        set with set_value_for_input_named, else seconds since this scene's first render."""
        shader = self._ensure_shader()
        w, h = (size.width, size.height) if isinstance(size, Size) else size
        if render_time is None:
            render_time = kwargs.get("time")
        if render_time is None and self._time is not None:
            render_time = self._time
        now = _time.monotonic()
        if self._start is None:
            self._start = now
        if render_time is None:
            render_time = now - self._start
        with translated():
            frame = shader.render(int(w), int(h), time=float(render_time), float=self._float)
        return GLBuffer(frame, shader.engine)

    def render(self, size: Union[Size, tuple], render_time: Optional[float] = None) -> GLBuffer:
        return self.create_and_render_a_buffer(size, render_time)


def CreateISFSceneRef() -> ISFScene:  # noqa: N802
    """A new scene (creates the process-wide engine if needed)."""
    _engine()
    return ISFScene()


class GLBufferPool:
    """The buffer pool of the process-wide engine (pyvvisf's ``GLBufferPool``)."""

    def __init__(self, *args: Any, **kwargs: Any):
        _engine()

    def _live(self) -> Engine:
        engine = _process.current(create=False)
        if engine is None or engine.is_shut_down:
            raise ResourceError("the context was cleaned up (cleanup_glfw_context()); create a new GLBufferPool")
        return engine

    def cleanup(self) -> Dict[str, int]:
        """Frees pooled GPU objects nobody holds."""
        return self._live().cleanup()

    def housekeeping(self) -> Dict[str, int]:
        """Frees idle pooled GPU objects (the engine also ages them out every frame)."""
        return self._live().cleanup()

    def purge(self) -> Dict[str, int]:
        """Frees every idle pooled GPU object."""
        return self._live().cleanup()

    def force_cleanup(self) -> Dict[str, int]:
        """Frees every pooled GPU object, held or not; buffers rendered before then raise
        ResourceError when used."""
        return self._live().force_cleanup()

    def stats(self) -> Dict[str, int]:
        return self._live().pool_stats()


def CreateGlobalBufferPool() -> GLBufferPool:  # noqa: N802
    return GLBufferPool()


def GetGlobalBufferPool() -> GLBufferPool:  # noqa: N802
    return GLBufferPool()


class GLContextManager:
    """``with GLContextManager() as ctx:`` initialises the process-wide engine. Like
    pyvvisf, leaving the block keeps it (other renderers may use it); call
    ``cleanup_glfw_context()`` to shut it down."""

    def __init__(self, auto_initialize: bool = True, auto_cleanup: bool = True, validate_on_enter: bool = True):
        self.auto_initialize = auto_initialize
        self.auto_cleanup = auto_cleanup
        self.validate_on_enter = validate_on_enter
        self._scenes: List[ISFScene] = []
        self._generation = 0
        self._entered = False

    def __enter__(self) -> "GLContextManager":
        initialize_glfw_context()
        self._entered = True
        return self

    def __exit__(self, *exc: Any) -> bool:
        self._scenes.clear()
        self._entered = False
        return False

    def create_scene(self, shader_content: Optional[str] = None) -> ISFScene:
        scene = CreateISFSceneRef()
        if shader_content:
            scene.use_doc(CreateISFDocRefWith(shader_content))
        self._scenes.append(scene)
        return scene

    def reinitialize(self) -> List[ISFScene]:
        """Replaces the GPU device; managed scenes keep working (no need to recreate them)."""
        reinitialize_glfw_context()
        self._generation += 1
        return list(self._scenes)

    def get_managed_scenes(self) -> List[ISFScene]:
        return list(self._scenes)

    def check_errors(self, operation_name: str = "operation") -> None:
        check_gl_errors(operation_name)

    def reset_state(self) -> None:
        reset_gl_context_state()

    def is_valid(self) -> bool:
        return validate_gl_context()

    def get_info(self) -> Dict[str, Any]:
        return get_gl_info()

    def get_context_generation(self) -> int:
        return self._generation


# ---------------------------------------------------------------------------------------------
# pyvvisf 0.9: ISFRenderer and RenderResult


class ShaderValidationError(ShaderCompilationError):
    """Raised when shader validation fails: empty content, or GLSL that does not compile
    (``.diagnostics``, ``.line``, ``.column``: positions in the user's file)."""


class RenderResult:
    """A rendered image (pyvvisf 0.9's ``RenderResult``): ``.array`` (HxWx4 uint8, row 0 at
    the top), ``to_pil_image()``, ``numpy.asarray(result)``. Plain memory: it stays valid
    after the renderer or the context is cleaned up."""

    def __init__(self, frame: Union[Frame, Any]):
        if isinstance(frame, Frame):
            self._frame: Optional[Frame] = frame
            self._array = None
        else:  # pyvvisf's RenderResult(array)
            self._frame = None
            self._array = frame

    @property
    def array(self):  # -> numpy.ndarray
        if self._array is None:
            self._array = self._frame.to_numpy()  # type: ignore[union-attr]
        return self._array

    @array.setter
    def array(self, value: Any) -> None:
        self._array = value
        self._frame = None

    @property
    def width(self) -> int:
        return self._frame.width if self._frame is not None else int(self.array.shape[1])

    @property
    def height(self) -> int:
        return self._frame.height if self._frame is not None else int(self.array.shape[0])

    @property
    def size(self) -> Size:
        return Size(self.width, self.height)

    def to_pil_image(self):
        if self._frame is not None and self._array is None:
            return self._frame.to_pil()
        from PIL import Image

        return Image.fromarray(self.array).convert("RGBA")

    def to_numpy(self):
        return self.array

    def to_frame(self) -> Optional[Frame]:
        """The isfkit :class:`Frame` (None for a result made from an array)."""
        return self._frame

    def is_valid(self) -> bool:
        return True

    def save(self, path: str) -> None:
        if self._frame is not None and self._array is None:
            self._frame.save(path)
        else:
            self.to_pil_image().save(path)

    def __array__(self, dtype=None, copy=None):
        a = self.array
        return a if dtype is None else a.astype(dtype)

    def __repr__(self) -> str:
        return f"<RenderResult {self.width}x{self.height}>"


_EMPTY = "Shader content is empty or only whitespace."


class ISFRenderer:
    """pyvvisf 0.9's renderer, on the isfkit engine::

        with ISFRenderer(src) as r:
            r.set_input("color", (1, 0, 0))
            r.render(640, 480, time_offset=1.5).to_pil_image()

    ``shader_content`` is checked (header, then GLSL) on construction; ``vertex_shader_content``
    replaces the default vertex shader; ``glsl_version`` is accepted for compatibility (isfkit
    translates the shader itself). ``path=`` loads an ISF file instead (errors then name the
    file). Inputs are coerced as pyvvisf does; renders on one renderer share its state
    (FRAMEINDEX counts, persistent buffers carry over). ``cleanup()`` (``with`` exit) drops
    the GPU objects; a later call reloads the shader."""

    def __init__(
        self,
        shader_content: str = "",
        vertex_shader_content: str = "",
        glsl_version: str = "330",
        *,
        path: Optional[str] = None,
    ):
        self.parser = ISFParser()
        self.metadata: Optional[ISFMetadata] = None
        self._glsl_version = glsl_version
        self._content = shader_content or ""
        self._vertex = vertex_shader_content or ""
        self._path: Optional[str] = None
        self._shader: Optional[Shader] = None
        self._inputs: Dict[str, Any] = {}
        self._closed = False
        if path is not None:
            self.metadata = self.load_shader_file(path)
            return
        if not self._content.strip():
            raise ShaderValidationError(
                _EMPTY + " Please provide valid ISF shader code.", shader_source=self._content, shader_type="fragment"
            )
        self.metadata = self.load_shader_content(self._content, self._vertex)

    # context manager -------------------------------------------------------------------
    def __enter__(self) -> "ISFRenderer":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.cleanup()

    # loading ---------------------------------------------------------------------------
    def load_shader_content(self, content: str, vertex_shader_content: str = "") -> ISFMetadata:
        """Parses and compiles ISF source; returns its metadata. Raises ISFParseError (bad
        header), ShaderCompilationError (invalid metadata) or ShaderValidationError (GLSL
        errors, with line and column)."""
        if not content or not content.strip():
            raise ShaderValidationError(_EMPTY, shader_source=content or "", shader_type="fragment")
        _glsl, metadata = self.parser.parse_content(content)
        vertex = vertex_shader_content or metadata.vertex_shader or None
        self._install(_engine().load_source, content, vertex, metadata)
        self._content, self._vertex, self._path = content, vertex or "", None
        return metadata

    def load_shader_file(self, path: str) -> ISFMetadata:
        """Loads an ISF file (and its ``.vs`` sibling); errors name the file."""
        path = os.fspath(path)
        metadata = self.parser.parse_file(path)[1]
        self._install(lambda *_: _engine().load(path), None, None, metadata)
        self._content, self._vertex, self._path = "", "", path
        return metadata

    def _install(self, load: Any, content: Any, vertex: Any, metadata: ISFMetadata) -> None:
        self._shader = self._compile(load, content, vertex)
        self.metadata = metadata
        self._inputs = {}
        self._closed = False

    @staticmethod
    def _compile(load: Any, content: Any, vertex: Any) -> Shader:
        try:
            return load(content, vertex)
        except _errors.CompileError as e:
            stage = next((d.stage for d in e.diagnostics if d.stage in ("fragment", "vertex")), "fragment")
            raise ShaderValidationError(
                f"Shader compilation failed: {e.message}", shader_type=stage, diagnostics=e.diagnostics
            ) from e
        except _errors.ParseError as e:
            with translated():
                raise

    def _ensure_shader(self) -> Shader:
        if self.metadata is None:
            raise ShaderValidationError("No shader metadata loaded.")
        engine = _engine()
        if self._shader is None or self._shader.engine is not engine:
            # After cleanup() or cleanup_glfw_context(): reload, with the inputs set so far.
            if self._path is not None:
                shader = self._compile(lambda *_: engine.load(self._path), None, None)
            else:
                shader = self._compile(engine.load_source, self._content, self._vertex or None)
            for name, value in self._inputs.items():
                shader._set_input(name, value, lenient=True)
            self._shader = shader
        self._closed = False
        return self._shader

    # inputs ----------------------------------------------------------------------------
    def _coerce(self, name: str, value: Any) -> Any:
        """pyvvisf's checks and coercion of one input value -> the engine's plain value."""
        meta = self.metadata
        if meta is None:
            raise ShaderValidationError("No shader metadata loaded.")
        if not meta.inputs:
            raise RenderingError("No shader loaded or shader has no inputs.")
        if not any(i.name == name for i in meta.inputs):
            raise InputRenderingError(f"Input '{name}' not found in shader inputs.")
        if isinstance(value, ISFVal):  # pyvvisf 0.2 values
            value = value.value
        try:
            return plain_value(self.parser.validate_inputs(meta, {name: value})[name])
        except Exception as e:
            raise InputRenderingError(f"Failed to set input '{name}': {e}") from e

    def _apply(self, shader: Shader, name: str, value: Any) -> None:
        try:
            shader._set_input(name, value, lenient=True)
        except _errors.InputError as e:
            raise InputRenderingError(f"Failed to set input '{name}': {e.message}") from e

    def set_input(self, name: str, value: Any) -> None:
        """Sets an input; values are coerced as pyvvisf does (a 3-tuple is a color with alpha
        1, ``True`` for a long is 1, ...). Images take a path, a PIL image or an array.
        Raises RenderingError for an unknown input or a value that does not fit."""
        plain = self._coerce(name, value)
        self._apply(self._ensure_shader(), name, plain)
        self._inputs[name] = plain

    def set_inputs(self, inputs: Dict[str, Any]) -> None:
        if self.metadata is None:
            raise ShaderValidationError("No shader metadata loaded.")
        if not isinstance(inputs, dict):
            raise TypeError("inputs must be a dictionary of input names to values")
        for name, value in inputs.items():
            self.set_input(name, value)

    def get_current_inputs(self) -> Dict[str, Any]:
        """The values set so far (coerced)."""
        return dict(self._inputs)

    # rendering -------------------------------------------------------------------------
    def render(
        self,
        width: int,
        height: int,
        inputs: Optional[Dict[str, Any]] = None,
        metadata: Optional[ISFMetadata] = None,
        time_offset: float = 0.0,
    ) -> RenderResult:
        """Renders a ``width`` x ``height`` frame at TIME ``time_offset``. ``inputs`` apply to
        this frame only. Returns a :class:`RenderResult`."""
        if isinstance(inputs, (int, float)) and not isinstance(inputs, bool):
            inputs, time_offset = None, float(inputs)  # an older call style: render(w, h, t)
        shader = self._ensure_shader()
        restore: Dict[str, Any] = {}
        if inputs:
            if not isinstance(inputs, dict):
                raise TypeError("inputs must be a dictionary of input names to values")
            for name, value in inputs.items():
                if metadata is None and not any(i.name == name for i in (self.metadata.inputs or [])):  # type: ignore[union-attr]
                    continue  # pyvvisf ignores values for undeclared names here
                plain = self._coerce(name, value)
                restore[name] = self._inputs.get(name, shader.get(name))
                self._apply(shader, name, plain)
        try:
            with translated():
                frame = shader.render(int(width), int(height), time=float(time_offset))
        finally:
            for name, value in restore.items():
                if value is not None:
                    shader._set_input(name, value, lenient=True)
        return RenderResult(frame)

    def save_render(
        self,
        output_path: str,
        width: int = 1920,
        height: int = 1080,
        inputs: Optional[Dict[str, Any]] = None,
        metadata: Optional[ISFMetadata] = None,
    ) -> None:
        """Renders and writes an image file (format from the extension)."""
        self.render(width, height, inputs, metadata).save(output_path)

    def render_to_window(self, *args: Any, **kwargs: Any) -> None:
        """Not available: isfkit renders headless."""
        raise RenderingError(
            "render_to_window() needs a window; isfkit renders headless: use render() or save_render()",
            operation="render_to_window",
        )

    # lifecycle -------------------------------------------------------------------------
    def cleanup(self) -> None:
        """Releases the shader's GPU objects; the process engine stays (another call reloads
        the shader)."""
        self._shader = None
        self._closed = True
        engine = _process.current(create=False)
        if engine is not None and not engine.is_shut_down:
            engine.cleanup()

    close = cleanup

    def is_valid(self) -> bool:
        return self.metadata is not None and not self._closed and validate_gl_context()

    def check_errors(self, operation_name: str = "operation") -> None:
        check_gl_errors(operation_name)

    def get_shader_info(self) -> Dict[str, Any]:
        """Name, description, credit, categories, inputs (name, type, default, min, max), the
        number of passes and the kind, as the engine normalises them."""
        info = self._ensure_shader().info
        name = (self.metadata.name if self.metadata else None) or (
            os.path.splitext(os.path.basename(self._path))[0] if self._path else ""
        )
        return {
            "name": name,
            "description": info.description or "",
            "credit": info.credit or "",
            "categories": list(info.categories),
            "inputs": [
                {"name": i.name, "type": i.type, "default": i.default, "min": i.min, "max": i.max}
                for i in info.inputs
            ],
            "passes": len(info.passes),
            "kind": info.kind,
        }


_glsl_versions: Optional[List[str]] = None


def get_supported_glsl_versions() -> List[str]:
    """The GLSL ``#version`` values isfkit accepts in a shader, each verified by compiling a
    probe shader with the engine's compiler (no GPU needed)."""
    global _glsl_versions
    if _glsl_versions is None:
        found = []
        for v in ("110", "120", "130", "140", "150", "330", "400", "410", "420", "430", "440", "450", "460"):
            src = f'#version {v}\n/*{{"INPUTS": []}}*/\nvoid main() {{ gl_FragColor = vec4(isf_FragNormCoord, 0.0, 1.0); }}\n'
            src2 = f'/*{{"INPUTS": []}}*/\n#version {v}\nvoid main() {{ gl_FragColor = vec4(isf_FragNormCoord, 0.0, 1.0); }}\n'
            if any(not _native.validate(s, None, None)[0] for s in (src2, src)):
                found.append(v)
        _glsl_versions = found
    return list(_glsl_versions)


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
