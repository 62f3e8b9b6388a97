"""The pythonic API: Engine, Shader, Frame, reports and validation.

Thin: every GPU operation is one call into ``isfkit._native`` (which releases the GIL); this
module converts Python values (numbers, sequences, numpy arrays, PIL images) and turns the
engine's JSON reports into dataclasses.
"""

from __future__ import annotations

import datetime
import itertools
import numbers
import os
import re
import warnings
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

from . import _native
from ._errors import (
    Diagnostic,
    FileError,
    InputError,
    LimitError,
    MissingFileError,
    ParseError,
    RenderError,
    ResourceError,
)

PathLike = Union[str, "os.PathLike[str]"]

# ---------------------------------------------------------------------------------------------
# Shader info


# The document's classes are made by the native module from the Rust model.
ShaderInfo = _native.ShaderInfo
InputInfo = _native.InputInfo
PassInfo = _native.PassInfo
ImportedInfo = _native.ImportedInfo


# ---------------------------------------------------------------------------------------------
# Reports


# The reports are classes of the native module, made from the engine's own values.
CleanupReport = _native.CleanupReport
PhaseReport = _native.PhaseReport
Leak = _native.Leak
LiveResource = _native.LiveResource
ReinitReport = _native.ReinitReport


# ---------------------------------------------------------------------------------------------
# Engine


class Engine:
    """The isfkit engine: a GPU device, the resource registry, the texture pool and the
    cleanup coordinator.

    Use it as a context manager (``__exit__`` calls :meth:`shutdown`) or call
    :meth:`shutdown` yourself; after shutdown every call on the engine or its shaders raises
    :class:`ResourceError`. Frames already rendered are plain memory and stay usable.

    ``backend``: ``"auto"`` (honours ``WGPU_BACKEND``), ``"vulkan"``, ``"gl"``, ``"metal"``,
    ``"dx12"``. ``deadline``: seconds a render may wait for the GPU before
    :class:`isfkit.TimeoutError`.
    """

    def __init__(self, backend: str = "auto", deadline: float = 120.0, *, private_instance: bool = False):
        # Engines share one wgpu instance per process; ``private_instance=True`` gives this
        # one its own, so the shutdown report checks wgpu's allocation report exactly even
        # while other engines are alive (and a leak of this engine stays with it).
        self._native = _native.Engine(backend, float(deadline), bool(private_instance))
        self._report: Optional[CleanupReport] = None
        #: Bumped by force_cleanup(); buffers of the pyvvisf layer compare against it.
        self._release_epoch = 0

    # context manager ---------------------------------------------------------------------
    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.shutdown()

    def __repr__(self) -> str:
        state = "shut down" if self.is_shut_down else self.adapter
        return f"<isfkit.Engine {state}>"

    # loading -----------------------------------------------------------------------------
    def load(self, path: PathLike) -> "Shader":
        """Loads an ISF file (and its ``.vs`` sibling, if any)."""
        path = os.fspath(path)
        self._check_alive()
        try:
            return Shader(self, self._native.load(path))
        except FileError as e:
            if not os.path.exists(path):
                raise MissingFileError(*e.args) from None
            raise

    def load_source(self, text: str, vertex: Optional[str] = None) -> "Shader":
        """Loads ISF source text, with an optional vertex shader's text."""
        self._check_alive()
        return Shader(self, self._native.load_source(text, vertex))

    # lifecycle ---------------------------------------------------------------------------
    def shutdown(self) -> CleanupReport:
        """Runs the cleanup coordinator (idempotent: later calls return the first report)."""
        if self._report is None:
            self._report = self._native.shutdown()
        return self._report

    @property
    def is_shut_down(self) -> bool:
        return self._native.is_shut_down

    def reinitialize(self) -> ReinitReport:
        """Replaces the GPU device; scenes rebuild lazily and keep persistent buffers."""
        return self._native.reinitialize()

    def cleanup(self) -> Dict[str, int]:
        """Frees pooled GPU objects nobody holds."""
        count, nbytes = self._native.cleanup()
        return {"count": count, "bytes": nbytes}

    def force_cleanup(self) -> Dict[str, int]:
        """Frees every pooled GPU object, held or not. Shaders keep working (persistent
        buffers restart empty); pyvvisf-style buffers rendered before raise ResourceError."""
        count, nbytes = self._native.force_cleanup()
        self._release_epoch += 1
        return {"count": count, "bytes": nbytes}

    def live_resources(self) -> List[LiveResource]:
        """Every live GPU object of this engine, oldest first (empty after shutdown)."""
        return self._native.live_resources()

    def resources(self) -> Dict[str, Any]:
        """Live GPU objects by kind: ``{"by_kind": {"texture": {"count": .., "bytes": ..}}}``."""
        return self._native.resources()

    def pool_stats(self) -> Dict[str, int]:
        return self._native.pool_stats()

    @property
    def adapter(self) -> str:
        return self._native.adapter_name()

    @property
    def generation(self) -> int:
        """Device generation: 1 at start, +1 per re-initialisation."""
        return self._native.generation

    @property
    def deadline(self) -> float:
        return self._native.deadline

    @deadline.setter
    def deadline(self, seconds: float) -> None:
        self._native.deadline = float(seconds)

    def _check_alive(self) -> None:
        if self._native.is_shut_down:
            raise ResourceError("the engine was shut down; create a new Engine")


# ---------------------------------------------------------------------------------------------
# Value conversion (type-checked against the declaration)


def _is_number(v: Any) -> bool:
    if isinstance(v, bool):
        return False
    if isinstance(v, (int, float)):
        return True
    # numpy scalars and 0-d arrays
    return hasattr(v, "dtype") and getattr(v, "shape", None) == () and v.dtype.kind in "iuf"


def _image_rgba(name: str, value: Any) -> Tuple[int, int, bytes]:
    """(width, height, RGBA8 rows top first) from a PIL image or an array-like."""
    if hasattr(value, "convert") and hasattr(value, "size") and hasattr(value, "tobytes"):
        img = value.convert("RGBA")
        w, h = img.size
        return w, h, img.tobytes()
    try:
        import numpy as np
    except ImportError as e:  # pragma: no cover - numpy-less installs
        raise InputError(f'input "{name}": image values need numpy or Pillow ({e})') from None
    try:
        a = np.asarray(value)
    except Exception:
        raise InputError(f'input "{name}" is an image; give a path, a PIL image or an HxW[xC] array, not {type(value).__name__}') from None
    if a.ndim == 2:
        a = a[:, :, None]
    if a.ndim != 3 or a.shape[2] not in (1, 2, 3, 4) or a.shape[0] == 0 or a.shape[1] == 0:
        raise InputError(f'input "{name}": an image array must be HxW, HxWx1, HxWx3 or HxWx4, got shape {a.shape}')
    if a.dtype.kind == "f":
        a = (np.clip(a, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)
    elif a.dtype == np.bool_:
        a = a.astype(np.uint8) * 255
    elif a.dtype != np.uint8:
        if a.dtype.kind not in "iu":
            raise InputError(f'input "{name}": unsupported image dtype {a.dtype}')
        a = np.clip(a, 0, 255).astype(np.uint8)
    h, w, c = a.shape
    if c == 1:
        a = np.concatenate([a, a, a, np.full((h, w, 1), 255, np.uint8)], axis=2)
    elif c == 2:  # grey + alpha
        a = np.concatenate([a[:, :, :1]] * 3 + [a[:, :, 1:]], axis=2)
    elif c == 3:
        a = np.concatenate([a, np.full((h, w, 1), 255, np.uint8)], axis=2)
    return w, h, np.ascontiguousarray(a).tobytes()


def _audio_channels(name: str, value: Any) -> List[List[float]]:
    if hasattr(value, "tolist"):
        value = value.tolist()
    if not isinstance(value, Sequence) or isinstance(value, (str, bytes)) or len(value) == 0:
        raise InputError(f'input "{name}": give samples as a list or array (one row per channel)')
    if all(_is_number(x) for x in value):
        return [[float(x) for x in value]]
    out = []
    for ch in value:
        if hasattr(ch, "tolist"):
            ch = ch.tolist()
        if not isinstance(ch, Sequence) or not all(_is_number(x) for x in ch):
            raise InputError(f'input "{name}": audio must be a 1-D or 2-D sequence of numbers')
        out.append([float(x) for x in ch])
    return out


def _set_audio(native: Any, name: str, value: Any) -> None:
    """A sound file path, or ``(samples, sample_rate)`` with samples 1-D (mono) or 2-D
    (one row per channel)."""
    if isinstance(value, (str, os.PathLike)):
        path = os.fspath(value)
        if not os.path.exists(path):
            raise InputError(f'input "{name}": no such sound file: {path}')
        native.set_audio_file(name, path)
        return
    if (
        isinstance(value, tuple)
        and len(value) == 2
        and isinstance(value[1], int)
        and not isinstance(value[1], bool)
    ):
        samples, rate = value
        if rate <= 0:
            raise InputError(f'input "{name}": the sample rate must be a positive number of samples per second, not {rate}')
        native.set_audio(name, _audio_channels(name, samples), rate)
        return
    raise InputError(
        f'input "{name}" is audio: give a sound file (WAV, mp3, flac, ...) or '
        f"(samples, sample_rate), e.g. (array, 44100); it follows the render time"
    )


# ---------------------------------------------------------------------------------------------
# Shader and Frame


class Shader:
    """A loaded ISF shader with its input values and per-frame state (persistent buffers,
    FRAMEINDEX, TIMEDELTA)."""

    def __init__(self, engine: Engine, native: "_native.Scene"):
        self._engine = engine
        self._native = native
        self._info: Optional[ShaderInfo] = None

    def __repr__(self) -> str:
        return f"<isfkit.Shader {self._native.label} ({self.info.kind}, {len(self.info.inputs)} inputs)>"

    @property
    def engine(self) -> Engine:
        return self._engine

    @property
    def info(self) -> ShaderInfo:
        """Inputs, passes, kind and metadata, as dataclasses."""
        if self._info is None:
            self._info = self._native.info()
        return self._info

    @property
    def frame_index(self) -> int:
        """Frames rendered so far (the next frame's FRAMEINDEX)."""
        return self._native.frame_index

    @property
    def glsl(self) -> Tuple[str, str]:
        """The generated GLSL 450 (fragment, vertex), for debugging."""
        return self._native.generated_glsl()

    def set(self, **values: Any) -> "Shader":
        """Sets inputs by name: numbers for float/long/bool/event, 2 numbers for point2D,
        3 or 4 for color, a long's label, a path / PIL image / numpy array for images, a
        a sound file path or (samples, sample_rate) for audio
        (each frame sees the window of samples that ends at its time). Checks each value against the declared type
        and raises InputError naming both; returns the shader for chaining."""
        for name, value in values.items():
            self.set_input(name, value)
        return self

    def set_input(self, name: str, value: Any) -> None:
        """Sets one input (for names that are not Python identifiers)."""
        self._set_input(name, value, lenient=False)

    def _set_input(self, name: str, value: Any, lenient: bool) -> None:
        """Images and audio are converted here; every other value by the one conversion in
        Rust (``lenient``: pyvvisf's coercions, for ``isfkit.vvisf``)."""
        self._engine._check_alive()
        info = self.info.input(name)
        if info is None:
            # The engine's own error, as every face reports an unknown name.
            self._native.set_input(name, value, lenient)
            raise InputError(f'no input named "{name}"')
        if isinstance(value, Keys):
            self._native.set_keys(name, value._texts(), value.ease)
            return
        if info.type == "image":
            if isinstance(value, (str, os.PathLike)) and _is_clip(os.fspath(value)):
                self._native.set_clip(name, os.fspath(value))
            elif isinstance(value, (str, os.PathLike)):
                path = os.fspath(value)
                if not os.path.exists(path):
                    raise InputError(f'input "{name}": no such image file: {path}')
                self._native.set_image_file(name, path)
            else:
                w, h, rgba = _image_rgba(name, value)
                self._native.set_image(name, w, h, rgba)
        elif info.type in ("audio", "audioFFT"):
            _set_audio(self._native, name, value)
        else:
            self._native.set_input(name, value, lenient)

    def get(self, name: str) -> Any:
        """The current value of a non-image input (None for images and unknown names)."""
        return self._native.value(name)

    def sound(self, seconds: float, start: float = 0.0) -> Optional[Tuple["numpy.ndarray", int]]:
        """``seconds`` of a Shadertoy shader's Sound pass (``mainSound``) from ``start``,
        rendered on the GPU: ``(samples, sample_rate)``, samples a float32 array of shape
        ``(2, n)`` (left, right) at 44,100 a second, the form an audio input takes. ``None``
        for a shader without a Sound pass."""
        import numpy as np

        out = self._native.render_sound(float(seconds), float(start))
        if out is None:
            return None
        data, channels, rate = out
        return np.frombuffer(data, dtype=np.float32).reshape(channels, -1), rate

    def render(
        self,
        width: int,
        height: int,
        time: float = 0.0,
        *,
        float: bool = False,  # noqa: A002 - reads naturally at the call site
        date: Union[None, "datetime.datetime", Tuple[float, float, float, float]] = None,
    ) -> "Frame":
        """Renders one frame of ``width`` x ``height`` at ``time`` seconds. ``float=True``
        reads the output back as 32-bit floats. ``date`` for DATE: a ``datetime.datetime``
        (its wall time, time zone ignored) or (year, month, day, seconds since midnight);
        local time when None."""
        self._engine._check_alive()
        w, h = _render_size(width, height)
        return Frame(
            self._native.render(w, h, builtins_float(time), bool(float), _date_uniform(date, 0.0))
        )

    def frames(
        self,
        frames: Union[int, Iterable[int]],
        fps: float = 30.0,
        size: Tuple[int, int] = (640, 360),
        *,
        float: bool = False,  # noqa: A002
        date: Union[None, "datetime.datetime", Tuple[float, float, float, float]] = None,
    ) -> Iterator["Frame"]:
        """Renders frame numbers ``frames`` (an int n means ``range(n)``) at ``time = i / fps``,
        one after another on this shader, so persistent buffers carry over. Pipelined like
        ``isf render``: the GPU renders the next frames while earlier ones are read back, a
        chunk of frames per call with the GIL released (memory stays bounded by the chunk).
        ``date``: DATE at time 0 as a ``datetime.datetime`` (frame i gets it plus i / fps
        seconds, like ``isf render --date``), or a (year, month, day, seconds) tuple used as
        is for every frame; local time when None. With a date, frames render one per call."""
        if isinstance(frames, int):
            frames = range(frames)
        w, h = _render_size(*size)
        if date is not None:
            for i in frames:
                self._engine._check_alive()
                t = i / fps
                yield Frame(self._native.render(w, h, t, bool(float), _date_uniform(date, t)))
            return
        numbers = iter(frames)
        while True:
            chunk = list(itertools.islice(numbers, _FRAMES_PER_CALL))
            if not chunk:
                return
            self._engine._check_alive()
            times = [i / fps for i in chunk]
            for native in self._native.render_many(w, h, times, bool(float)):
                yield Frame(native)


builtins_float = float

# File extensions read as video (isfkit_media's list; a name with a frame number is an image
# sequence).
_VIDEO_EXTENSIONS = {
    ".mp4", ".m4v", ".mov", ".webm", ".mkv", ".avi", ".gif", ".mpg", ".mpeg", ".ts", ".mts",
    ".ogv", ".flv", ".wmv", ".mxf", ".y4m",
}


def _is_clip(path: str) -> bool:
    """Whether an image path names a video or an image sequence (``clip.mp4#loop``,
    ``shots/f_%04d.png``, ``f_{frame:04}.png``)."""
    name = path.rsplit("#", 1)[0] if "#" in path and "/" not in path.rsplit("#", 1)[1] else path
    if os.path.splitext(name)[1].lower() in _VIDEO_EXTENSIONS:
        return True
    return bool(re.search(r"%0?\d*d|\{frame(:0?\d+)?\}", name))


class Keys:
    """A keyframed input value: ``shader.set(progress=Keys([(0, 0.0), (2, 1.0)]))`` moves
    ``progress`` from 0 at 0 s to 1 at 2 s, linearly (bools and longs in steps), held before
    the first key and after the last. Each render sets the value at its time. ``ease``
    bends the way between keys: ``"linear"``, ``"ease-in"``, ``"ease-out"`` or
    ``"ease-in-out"``, as ``isf render --ease`` and job files' ``ease:``."""

    def __init__(self, keys: Iterable[Tuple[float, Any]], ease: str = "linear"):
        self.keys = [(builtins_float(t), v) for t, v in keys]
        self.ease = ease

    def _texts(self) -> List[Tuple[float, str]]:
        def text(v: Any) -> str:
            if isinstance(v, bool):
                return "true" if v else "false"
            if isinstance(v, (list, tuple)):
                return ",".join(repr(builtins_float(x)) for x in v)
            return str(v)

        return [(t, text(v)) for t, v in self.keys]

    def __repr__(self) -> str:
        if self.ease == "linear":
            return f"Keys({self.keys!r})"
        return f"Keys({self.keys!r}, ease={self.ease!r})"

# The largest render size asked of the engine, per side (isfkit_batch::limits::MAX_RENDER_SIDE;
# the engine then checks the device's own limit).
_MAX_RENDER_SIDE = 65536


def _render_size(width: Any, height: Any) -> Tuple[int, int]:
    """``(width, height)`` as ints: whole numbers (int or numpy integers; not bools, not
    floats such as 8.5, which int() would silently cut) from 1 to the limit, else LimitError."""
    for v in (width, height):
        if isinstance(v, bool) or not isinstance(v, numbers.Integral):
            raise LimitError(
                f"invalid render size {width!r}x{height!r}: width and height must be whole numbers of pixels (int), not {type(v).__name__}"
            )
    w, h = int(width), int(height)
    if w < 1 or h < 1:
        raise LimitError(f"invalid render size {w}x{h}: width and height must be at least 1")
    if w > _MAX_RENDER_SIDE or h > _MAX_RENDER_SIDE:
        raise LimitError(f"invalid render size {w}x{h}: over the limit of {_MAX_RENDER_SIDE} pixels per side")
    return w, h


def _date_uniform(date: Any, offset: float) -> Optional[Tuple[float, float, float, float]]:
    """DATE (year, month, day, seconds since midnight) for a ``datetime.datetime`` plus
    ``offset`` seconds; a tuple passes through unchanged, None stays None (local time)."""
    if date is None:
        return None
    if isinstance(date, datetime.datetime):
        d = date + datetime.timedelta(seconds=offset)
        seconds = d.hour * 3600 + d.minute * 60 + d.second + d.microsecond / 1e6
        return (builtins_float(d.year), builtins_float(d.month), builtins_float(d.day), seconds)
    if isinstance(date, datetime.date):
        raise TypeError("date must be a datetime.datetime (with a time of day) or a 4-tuple, not a date")
    return date


# Frames rendered per native call by Shader.frames(): enough to keep the GPU busy with three
# in flight, few enough to bound memory at large sizes.
_FRAMES_PER_CALL = 8


class Frame:
    """A rendered image in memory, rows top to bottom (the way the ISF Editor shows it).
    RGBA8, or RGBA32F for ``render(..., float=True)``."""

    def __init__(self, native: "_native.Frame"):
        self._native = native

    def __repr__(self) -> str:
        return f"<isfkit.Frame {self.width}x{self.height} {'float32' if self.is_float else 'uint8'}>"

    @property
    def width(self) -> int:
        return self._native.width

    @property
    def height(self) -> int:
        return self._native.height

    @property
    def size(self) -> Tuple[int, int]:
        return (self.width, self.height)

    @property
    def is_float(self) -> bool:
        return self._native.is_float

    @property
    def shape(self) -> Tuple[int, int, int]:
        return (self.height, self.width, 4)

    def pixel(self, x: int, y: int) -> Tuple[float, float, float, float]:
        """RGBA of the pixel at column ``x``, row ``y`` (row 0 = top), as floats 0..1."""
        return self._native.pixel(x, y)

    def tobytes(self, rgba8: bool = False) -> bytes:
        """The raw pixels (RGBA8, or native-endian float32 for float frames unless ``rgba8``)."""
        return bytes(self._native.pixel_bytes(rgba8))

    def to_numpy(self):  # -> numpy.ndarray
        """An HxWx4 array: uint8, or float32 for float renders. A fresh, writable array that
        wraps the copy read back from the GPU (no further copy)."""
        import numpy as np

        data = self._native.pixel_bytes(False)
        dtype = np.float32 if self.is_float else np.uint8
        return np.frombuffer(data, dtype=dtype).reshape(self.height, self.width, 4)

    def __array__(self, dtype=None, copy=None):
        a = self.to_numpy()
        return a if dtype is None else a.astype(dtype)

    def to_pil(self):  # -> PIL.Image.Image
        """A PIL RGBA image (float frames are clamped to 0..1 and rounded to 8 bits)."""
        from PIL import Image

        return Image.frombytes("RGBA", (self.width, self.height), bytes(self._native.pixel_bytes(True)))

    def save(self, path: PathLike, bits: int = 8) -> None:
        """Writes the frame. ``.png`` is written natively (8 or 16 bits per channel,
        atomically); other extensions go through Pillow."""
        path = os.fspath(path)
        if path.lower().endswith(".png"):
            self._native.save_png(path, int(bits))
        else:
            image = self.to_pil()
            if path.lower().endswith((".jpg", ".jpeg")):
                image = image.convert("RGB")  # JPEG has no alpha channel
            image.save(path)


# ---------------------------------------------------------------------------------------------
# Validation


@dataclass(frozen=True)
class Validation:
    """The result of :func:`validate`: ``valid`` is True when there are no errors."""

    valid: bool
    errors: List[Diagnostic] = field(default_factory=list)
    warnings: List[Diagnostic] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.valid


def _source_or_path(text_or_path: Union[str, "os.PathLike[str]"]) -> Tuple[Optional[str], Optional[str]]:
    """``(source, path)``: a path-like, or a string naming an existing file or that cannot be
    ISF source (one line without braces or semicolons), is a path; anything else is source."""
    if isinstance(text_or_path, os.PathLike):
        path: Optional[str] = os.fspath(text_or_path)
    elif isinstance(text_or_path, str) and (
        os.path.isfile(text_or_path)
        or ("\n" not in text_or_path and not any(c in text_or_path for c in "{};"))
    ):
        # A path to a file, or a one-line string that cannot be ISF source: a missing path.
        path = text_or_path
    else:
        return str(text_or_path), None
    if not os.path.isfile(path):
        raise MissingFileError(f"cannot read {path}: no such file")
    return None, path


def convert(
    text_or_path: Union[str, "os.PathLike[str]"],
    dialect: Optional[str] = None,
    common: Optional[str] = None,
) -> str:
    """Converts a Shadertoy shader (its JSON, or GLSL with ``mainImage``), a GLSL Sandbox
    shader or a gl-transition to ISF source, without a GPU. ``dialect`` names it when the
    content does not (``"shadertoy"``, ``"glslsandbox"``, ``"gl-transition"``); ``common``
    is Shadertoy's Common code for a bare ``mainImage`` file. Every call that takes ISF source
    or a path also takes these directly; this gives the ISF file to keep. Raises
    ``ParseError`` when it cannot convert, or when the source holds several shaders (use
    :func:`convert_all`)."""
    shaders = convert_all(text_or_path, dialect, common)
    if len(shaders) != 1:
        raise ParseError(f"this source holds {len(shaders)} shaders; use isfkit.convert_all()")
    return next(iter(shaders.values()))


def convert_all(
    text_or_path: Union[str, "os.PathLike[str]"],
    dialect: Optional[str] = None,
    common: Optional[str] = None,
) -> Dict[str, str]:
    """Like :func:`convert`, for a source holding several shaders (a Shadertoy export, the
    gl-transitions package): ``{name: isf_source}`` in the source's order. Conversion
    warnings (a sound channel, Shadertoy media not included) go to Python's ``warnings``."""
    source, path = _source_or_path(text_or_path)
    if path is not None:
        with open(path, encoding="utf-8") as f:
            source = f.read()
    out: Dict[str, str] = {}
    for name, isf, notes in _native.convert(source or "", dialect, common):
        for note in notes:
            warnings.warn(f"{name}: {note}", stacklevel=2)
        key, n = name, 1
        while key in out:
            n += 1
            key = f"{name}_{n}"
        out[key] = isf
    return out


def parse(text_or_path: Union[str, "os.PathLike[str]"]) -> ShaderInfo:
    """Reads a shader's header (inputs, passes, kind, metadata) without compiling it and
    without a GPU. Takes ISF source text or a path to a ``.fs`` file. Raises ``ParseError``
    with the line and column of a header error."""
    source, path = _source_or_path(text_or_path)
    return _native.parse_document(source, path)


def validate(text_or_path: Union[str, "os.PathLike[str]"], vertex: Optional[str] = None) -> Validation:
    """Parses and compiles a shader without a GPU, in milliseconds. Takes ISF source text or
    a path to a ``.fs`` file (its ``.vs`` sibling is compiled too). Every error carries the
    line and column in the user's own file and the stage: ``header``, ``fragment``,
    ``vertex``."""
    source, path = _source_or_path(text_or_path)
    errors, warnings = _native.validate(source, path, vertex)
    return Validation(valid=not errors, errors=list(errors), warnings=list(warnings))
