"""pyvvisf 0.9's header parser (``pyvvisf.parser``): ``ISFParser``, ``ISFMetadata``,
``ISFInput``, ``ISFPass``.

The header is read by isfkit's own reader (``_native.raw_header``: the first ``/* */``
comment, JSON with comments and trailing commas), and its raw keys are kept as pyvvisf keeps
them (NAME, VERTEX_SHADER, TAGS, ...), with pyvvisf's errors and messages. A header error
carries the line and column in the user's file. Needs neither json5 nor pydantic.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from . import _native
from ._errors import ParseError
from .vvisf_errors import ISFParseError, ShaderCompilationError
from .vvisf_types import ISFFloat, ISFInt, ISFValue, coerce_to_isf_value

# pyvvisf accepts these (and refuses "event"; ISF has it, so isfkit accepts it too).
VALID_INPUT_TYPES = ["bool", "long", "float", "point2D", "color", "image", "audio", "audioFFT", "event"]

_COERCIBLE = ("bool", "long", "float", "point2D", "color", "event")


class _Model:
    """Keyword-constructed record with pydantic-like ``model_dump()``."""

    _fields: Tuple[str, ...] = ()

    def __init__(self, **data: Any):
        unknown = set(data) - set(self._fields)
        if unknown:
            raise ValueError(f"{type(self).__name__}: unknown fields {sorted(unknown)}")
        for f in self._fields:
            setattr(self, f, data.get(f))
        self._validate()

    def _validate(self) -> None:
        pass

    def model_dump(self) -> Dict[str, Any]:
        return {f: getattr(self, f) for f in self._fields}

    dict = model_dump

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.model_dump() == self.model_dump()  # type: ignore[attr-defined]

    def __repr__(self) -> str:
        body = " ".join(f"{f}={getattr(self, f)!r}" for f in self._fields if getattr(self, f) is not None)
        return f"{type(self).__name__}({body})"


def _upper_keys(raw: Dict[str, Any], fields: Tuple[str, ...]) -> Dict[str, Any]:
    """``{field: raw[FIELD]}`` for each of ``fields``: a header key is its field's name in
    capitals (None where the header lacks it)."""
    return {f: raw.get(f.upper()) for f in fields}


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float))


class ISFInput(_Model):
    """One INPUTS entry, keys lower-cased."""

    _fields = ("name", "type", "label", "default", "min", "max", "values", "identity", "labels")
    name: Optional[str]
    type: Optional[str]
    label: Optional[str]
    default: Any
    min: Any
    max: Any
    values: Optional[List[Any]]
    identity: Any
    labels: Optional[List[str]]

    def _validate(self) -> None:
        if self.type is not None and self.type not in VALID_INPUT_TYPES:
            raise ValueError(f"Invalid input type: {self.type}. Must be one of {VALID_INPUT_TYPES}")
        expected = self.type if self.type is not None else "float"
        if self.default is not None and expected in _COERCIBLE:
            try:
                coerce_to_isf_value(self.default, expected)
            except ValueError as e:
                raise ValueError(f"Invalid default value for type {expected}: {e}") from e
        for key in ("min", "max"):
            v = getattr(self, key)
            if v is None:
                continue
            if self.type in ("point2D", "color"):
                n = 2 if self.type == "point2D" else (3, 4)
                ok = isinstance(v, (list, tuple)) and (len(v) in n if isinstance(n, tuple) else len(v) == n)
                if not ok or not all(_is_number(x) for x in v):
                    raise ValueError(f"{key} for {self.type} must be a list or tuple of {n} numbers, got {v}")
            elif not _is_number(v):
                raise ValueError(f"{key} for type {self.type} must be a number, got {v}")


class ISFPass(_Model):
    """One PASSES entry (``float_buffer`` is the pass's FLOAT)."""

    _fields = (
        "target", "persistent", "float_buffer", "width", "height", "scaleX", "scaleY",
        "scaleToFit", "scaleToFill", "scaleToFitX", "scaleToFitY", "scaleToFillX",
        "scaleToFillY", "scaleToFitAspectRatio", "scaleToFillAspectRatio", "filter",
    )  # fmt: skip
    target: Optional[str]
    persistent: Optional[bool]
    float_buffer: Optional[bool]
    width: Any
    height: Any
    filter: Optional[str]


class ISFMetadata(_Model):
    """The header's fields (pyvvisf's names), plus ``credit``, ``categories`` and
    ``isf_version``."""

    _fields = (
        "name", "description", "author", "version", "license", "homepage", "category", "tags",
        "inputs", "passes", "imports", "width", "height", "aspect_ratio", "vertex_shader",
        "fragment_shader", "credit", "categories", "isf_version",
    )  # fmt: skip
    name: Optional[str]
    description: Optional[str]
    inputs: Optional[List[ISFInput]]
    passes: Optional[List[ISFPass]]
    imports: Optional[Dict[str, Any]]
    vertex_shader: Optional[str]

    def _validate(self) -> None:
        if self.inputs is not None:
            names = [i.name for i in self.inputs]
            if len(names) != len(set(names)):
                raise ValueError("Input names must be unique")
        if self.passes is not None:
            if not isinstance(self.passes, list):
                raise ValueError("PASSES must be a list of pass objects.")
            targets = set()
            for i, p in enumerate(self.passes):
                if not isinstance(p, ISFPass):
                    raise ValueError(f"Each pass must be an ISFPass object (got {type(p)} at index {i}).")
                if p.target is not None:
                    if not isinstance(p.target, str):
                        raise ValueError(f"PASSES[{i}]: TARGET must be a string if present.")
                    if p.target in targets:
                        raise ValueError(f"Duplicate TARGET name '{p.target}' in PASSES.")
                    targets.add(p.target)
                for dim in ("width", "height"):
                    v = getattr(p, dim)
                    if isinstance(v, bool) or (v is not None and not isinstance(v, (int, float, str))):
                        raise ValueError(f"PASSES[{i}]: {dim.upper()} must be a number or ISF expression string.")
                    if isinstance(v, (int, float)) and v <= 0:
                        raise ValueError(f"PASSES[{i}]: {dim.upper()} must be positive if specified.")
                for flag in ("persistent", "float_buffer"):
                    v = getattr(p, flag)
                    if v is not None and not isinstance(v, (bool, int)):
                        raise ValueError(f"PASSES[{i}]: {flag.upper()} must be a boolean if specified.")
                if p.filter is not None and not isinstance(p.filter, str):
                    raise ValueError(f"PASSES[{i}]: FILTER must be a string if specified.")


# ISFMetadata's fields that are not simply their header key in capitals.
_METADATA_OWN_KEYS = ("inputs", "passes", "imports", "categories", "isf_version")


class ISFParser:
    """Parser of ISF shader files (pyvvisf's ``ISFParser``)."""

    def parse_file(self, file_path: str) -> Tuple[str, ISFMetadata]:
        path = Path(file_path)
        if not path.exists():
            raise ISFParseError(f"Shader file not found: {file_path}")
        return self.parse_content(path.read_text(encoding="utf-8"))

    def parse_content(self, content: str) -> Tuple[str, ISFMetadata]:
        """``(glsl, metadata)``: the GLSL after the header, and the header's fields. The
        header is read by isfkit's own reader (the first ``/* */`` comment, its ``}`` and
        ``*/`` on any lines, comments and trailing commas allowed), not pyvvisf's pattern,
        which misses headers whose ``}`` and ``*/`` are on different lines."""
        try:
            header = _native.raw_header(content)
        except ParseError as e:
            raise self._json_error(content, e) from e
        if header is None:
            raise ISFParseError("No ISF JSON metadata block found in shader content.", json_block="")
        text, start, end = header
        glsl = content[: start - 2] + content[end + 2 :]
        return glsl, self._parse_metadata(json.loads(text))

    def _json_error(self, content: str, e: ParseError) -> ISFParseError:
        # The engine's diagnostic: its wording and its position in the user's file.
        diags = [d for d in e.diagnostics if d.line > 0]
        d = diags[0] if diags else None
        detail = d.message if d else str(e)
        line, column = (d.line, d.column) if d else (1, 1)
        start = content.find("/*")
        end = content.find("*/", start + 2)
        block = content[start + 2 : end] if start >= 0 and end >= 0 else ""
        return ISFParseError(
            f"Failed to parse ISF JSON metadata: {detail} (line {line}, column {column})",
            json_block=block,
            line_info={"line": line, "column": column},
            diagnostics=diags,
        )

    def _parse_metadata(self, raw: Any) -> ISFMetadata:
        try:
            if not isinstance(raw, dict):
                raise ValueError("the ISF header must be a JSON object")
            inputs = None
            if "INPUTS" in raw:
                inputs = []
                for d in raw["INPUTS"] or []:
                    if isinstance(d, dict):
                        inputs.append(ISFInput(**_upper_keys(d, ISFInput._fields)))
                    else:
                        inputs.append(ISFInput(name=d, type="float"))
            passes = None
            if "PASSES" in raw:
                passes = []
                for d in raw["PASSES"] or []:
                    if isinstance(d, dict):
                        fields = _upper_keys(d, ("target", "width", "height", "persistent", "filter"))
                        fields["float_buffer"] = d.get("FLOAT") or d.get("FLOAT_BUFFER")
                        passes.append(ISFPass(**{k: v for k, v in fields.items() if v is not None}))
                    else:
                        passes.append(ISFPass(target=d))
            imports = raw.get("IMPORTED")
            if isinstance(imports, list):
                as_dict: Dict[str, Any] = {}
                for item in imports:
                    if isinstance(item, dict) and item.get("NAME"):
                        as_dict[item["NAME"]] = item
                    elif isinstance(item, str):
                        as_dict[item] = {"NAME": item}
                imports = as_dict
            categories = raw.get("CATEGORIES")
            plain = tuple(f for f in ISFMetadata._fields if f not in _METADATA_OWN_KEYS)
            return ISFMetadata(
                **_upper_keys(raw, plain),
                inputs=inputs,
                passes=passes,
                imports=imports,
                categories=list(categories) if isinstance(categories, list) else None,
                isf_version=raw.get("ISFVSN"),
            )
        except Exception as e:
            raise ShaderCompilationError(f"Failed to compile shader due to invalid ISF metadata: {e}") from e

    def validate_inputs(self, metadata: ISFMetadata, input_values: Dict[str, Any]) -> Dict[str, ISFValue]:
        """The values of ``input_values`` that ``metadata`` declares, coerced to their ISF
        types (defaults for the others); values outside MIN/MAX and values that cannot be
        coerced raise ShaderCompilationError, as in pyvvisf."""
        validated: Dict[str, ISFValue] = {}
        for d in metadata.inputs or []:
            expected = d.type if d.type is not None else "float"
            if d.name in input_values:
                value = input_values[d.name]
                if expected not in _COERCIBLE:
                    validated[d.name] = value  # images and audio: the engine converts them
                    continue
                try:
                    v = coerce_to_isf_value(value, expected)
                except ValueError as e:
                    raise ShaderCompilationError(f"Invalid value for input '{d.name}': {e}") from e
                if isinstance(v, (ISFFloat, ISFInt)):
                    if _is_number(d.min) and v.value < d.min:
                        raise ShaderCompilationError(f"Value {v.value} is below minimum {d.min} for input '{d.name}'")
                    if _is_number(d.max) and v.value > d.max:
                        raise ShaderCompilationError(f"Value {v.value} is above maximum {d.max} for input '{d.name}'")
                validated[d.name] = v
            elif d.default is not None and expected in _COERCIBLE:
                validated[d.name] = coerce_to_isf_value(d.default, expected)
        return validated


__all__ = ["ISFParser", "ISFMetadata", "ISFInput", "ISFPass", "VALID_INPUT_TYPES"]
