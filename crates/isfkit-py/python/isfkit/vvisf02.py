"""pyvvisf 0.2's binding API on the isfkit engine: the GLFW context functions (one
process-wide engine), the ``ISF*Val`` values, ``ISFDoc``, ``ISFScene``, ``GLBuffer`` and
``GLBufferPool``. :mod:`isfkit.vvisf` re-exports it; scripts import it from there.
"""

from __future__ import annotations

import os
import time as _time
from typing import Any, Dict, Iterator, List, Optional, Union

from . import _errors, _native, _process
from ._api import CleanupReport, Engine, Frame, Shader
from ._errors import ResourceError
from .vvisf_errors import ContextError, ISFError, ISFParseError, translated
from .vvisf_types import plain_value

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


# One ISFVal subclass per ISF type: _FloatVal (type_name "float"), _BoolVal, ... _EventVal.
_FloatVal, _BoolVal, _LongVal, _Point2DVal, _ColorVal, _EventVal = (
    type(f"_{t[0].upper()}{t[1:]}Val", (ISFVal,), {"type_name": t})
    for t in ("float", "bool", "long", "point2D", "color", "event")
)


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
