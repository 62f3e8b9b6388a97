"""pyvvisf 0.9's value types (``pyvvisf.types``) and its coercion of Python values.

``coerce_to_isf_value(value, expected_type)`` follows pyvvisf: a tuple/list of 3 or 4 numbers
is a color (clamped to 0..1, alpha 1 when omitted), of 2 a point; ``float``/``long``/``bool``
take anything ``float()``/``int()``/``bool()`` take (``True`` for a long is 1, ``0`` for a bool
is False). The renderer then hands the coerced value to the engine's own conversion.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, ClassVar, List, Tuple, Union


@dataclass
class ISFValue:
    """Base class of the ISF values."""


def _clamp01(v: Any) -> float:
    return max(0.0, min(1.0, float(v)))


def _seq(value: Any) -> Any:
    # numpy arrays and the like count as sequences too.
    if hasattr(value, "tolist") and not isinstance(value, (tuple, list)):
        value = value.tolist()
    return value


@dataclass
class ISFColor(ISFValue):
    """RGBA color; channels are clamped to 0..1."""

    r: float
    g: float
    b: float
    a: float = 1.0

    def __post_init__(self) -> None:
        self.r, self.g, self.b, self.a = (_clamp01(c) for c in (self.r, self.g, self.b, self.a))

    def to_tuple(self) -> Tuple[float, float, float, float]:
        return (self.r, self.g, self.b, self.a)

    def to_list(self) -> List[float]:
        return [self.r, self.g, self.b, self.a]

    @classmethod
    def from_rgb(cls, r: float, g: float, b: float, a: float = 1.0) -> "ISFColor":
        return cls(r, g, b, a)

    @classmethod
    def from_tuple(cls, color_tuple: Any) -> "ISFColor":
        if len(color_tuple) not in (3, 4):
            raise ValueError(f"Color tuple must have 3 or 4 values, got {len(color_tuple)}")
        return cls(*color_tuple)


@dataclass
class ISFPoint2D(ISFValue):
    """2D point."""

    x: float
    y: float

    def __post_init__(self) -> None:
        self.x, self.y = float(self.x), float(self.y)

    def to_tuple(self) -> Tuple[float, float]:
        return (self.x, self.y)

    def to_list(self) -> List[float]:
        return [self.x, self.y]

    @classmethod
    def from_tuple(cls, point_tuple: Any) -> "ISFPoint2D":
        if len(point_tuple) != 2:
            raise ValueError(f"Point tuple must have 2 values, got {len(point_tuple)}")
        return cls(point_tuple[0], point_tuple[1])


@dataclass
class _Number(ISFValue):
    """A number, kept as its class's ``_cast`` of what it was given; float() and int() read it."""

    value: Any
    _cast: ClassVar[Callable[[Any], Any]] = float

    def __post_init__(self) -> None:
        self.value = type(self)._cast(self.value)

    def __float__(self) -> float:
        return float(self.value)

    def __int__(self) -> int:
        return int(self.value)


@dataclass
class ISFFloat(_Number):
    value: float
    _cast = float


@dataclass
class ISFInt(_Number):
    value: int
    _cast = int


@dataclass
class ISFBool(ISFValue):
    value: bool

    def __post_init__(self) -> None:
        self.value = bool(self.value)

    def __bool__(self) -> bool:
        return self.value


# pyvvisf's aliases
ISFColorVal = ISFColor
ISFPoint2DVal = ISFPoint2D
ISFFloatVal = ISFFloat
ISFLongVal = ISFInt
ISFBoolVal = ISFBool

ISFValueType = Union[ISFColor, ISFPoint2D, ISFFloat, ISFInt, ISFBool, float, int, bool, Tuple[float, ...], List[float]]

_ALLOWED = "Primitives like int, float, bool, list, or tuple are allowed and will be coerced to the appropriate ISF type if possible."


def coerce_to_isf_value(value: Any, expected_type: str = "auto") -> ISFValue:
    """A Python value as an ISF value of ``expected_type`` (``"auto"``: from the value's
    shape). Raises ValueError (with pyvvisf's wording) when it cannot."""
    if isinstance(value, ISFValue):
        return value
    value = _seq(value)
    is_seq = isinstance(value, (tuple, list))
    if expected_type == "auto":
        if is_seq:
            if len(value) == 2:
                return ISFPoint2D.from_tuple(value)
            if len(value) in (3, 4):
                return ISFColor.from_tuple(value)
            raise ValueError(f"Cannot auto-coerce {len(value)}-element sequence (got {value!r}). {_ALLOWED}")
        if isinstance(value, bool):
            return ISFBool(value)
        if isinstance(value, int):
            return ISFInt(value)
        if isinstance(value, float):
            return ISFFloat(value)
        raise ValueError(f"Cannot auto-coerce value of type {type(value)} (got {value!r}). {_ALLOWED}")
    if expected_type == "color":
        if is_seq:
            return ISFColor.from_tuple(value)
        raise ValueError(
            f"Cannot coerce value of type {type(value)} (got {value!r}) to color. "
            "Primitives like list or tuple of 3 or 4 floats are allowed."
        )
    if expected_type == "point2D":
        if is_seq:
            return ISFPoint2D.from_tuple(value)
        raise ValueError(
            f"Cannot coerce value of type {type(value)} (got {value!r}) to point2D. "
            "Primitives like list or tuple of 2 floats are allowed."
        )
    try:
        if expected_type == "float":
            return ISFFloat(value)
        if expected_type == "long":
            return ISFInt(value)
    except TypeError as e:  # float(None), int([1]) ...: pyvvisf lets these escape as TypeError
        raise ValueError(f"Cannot coerce value of type {type(value)} (got {value!r}) to {expected_type}: {e}") from None
    if expected_type in ("bool", "event"):
        return ISFBool(value)
    raise ValueError(f"Unknown expected type: {expected_type}")


def plain_value(value: Any) -> Any:
    """An ISF value as the plain Python value the engine takes (others unchanged)."""
    if isinstance(value, (ISFColor, ISFPoint2D)):
        return value.to_tuple()
    if isinstance(value, (ISFFloat, ISFInt, ISFBool)):
        return value.value
    return value


__all__ = [
    "ISFValue",
    "ISFColor",
    "ISFPoint2D",
    "ISFFloat",
    "ISFInt",
    "ISFBool",
    "ISFColorVal",
    "ISFPoint2DVal",
    "ISFFloatVal",
    "ISFLongVal",
    "ISFBoolVal",
    "ISFValueType",
    "coerce_to_isf_value",
]
