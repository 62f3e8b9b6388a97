"""pyvvisf 0.9's renderer API on the isfkit engine: ``ISFRenderer``, ``RenderResult``,
``ShaderValidationError`` and :func:`get_supported_glsl_versions`. :mod:`isfkit.vvisf`
re-exports it; scripts import it from there (or as ``pyvvisf.renderer`` / ``pyvvisf.result``).
"""

from __future__ import annotations

import os
from typing import Any, Dict, List, Optional, Union

from . import _errors, _native, _process
from ._api import Frame, Shader
from .vvisf02 import ISFVal, Size, _engine, check_gl_errors, validate_gl_context
from .vvisf_errors import (
    InputRenderingError,
    RenderingError,
    ShaderCompilationError,
    translated,
)
from .vvisf_parser import ISFMetadata, ISFParser
from .vvisf_types import plain_value


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
