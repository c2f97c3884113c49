"""The cattrs converter for the wire format: strict hooks for every value type and class."""

from __future__ import annotations

import datetime as _dt
import functools
import inspect
import re
import sys
import types
import typing
from decimal import Decimal
from enum import Enum
from typing import Any, Final

import attrs
import cattrs
from cattrs.errors import IterableValidationError, IterableValidationNote
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from tradetruce.errors import InvalidValueError
from tradetruce.values.codes import HSCode
from tradetruce.values.when import When

#: The format version this release writes.
FORMAT: Final = "tradetruce/1"
#: Every format version this release reads.
FORMATS: Final = frozenset({FORMAT})

DECIMAL_RULE: Final = (
    "a decimal number written as text, such as '25', '7.5' or '1E+2' (never a JSON or TOML number)"
)
_DECIMAL_RE: Final = re.compile(r"[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")


@attrs.frozen
class Limits:
    """Bounds on the documents :func:`tradetruce.from_json` and friends accept.

    Attributes:
        max_bytes: the largest document, in bytes (text is counted by characters, a lower
            bound), checked before parsing. Default 256 MiB: ten times a 100,000-measure scenario.
        max_depth: the deepest nesting of objects and arrays. The format itself needs 8; the
            default 32 leaves room and stops hostile documents before the parser recurses.
    """

    max_bytes: int = 256 * 1024 * 1024
    max_depth: int = 32


class ValueProblem(InvalidValueError):
    """A wire value that cannot be read, reported at the exact path where it sits."""

    def __init__(self, message: str, allowed: str = "", value: object = None):
        super().__init__(message, allowed=allowed, value=value)
        self.message = message


def wire_name(field: str) -> str:
    """The key a field is written under: the attrs name, with a trailing ``_`` dropped."""
    return field[:-1] if field.endswith("_") else field


def wire_fields(cls: type) -> list[str]:
    return [wire_name(a.name) for a in attrs.fields(cls) if a.init]


def kind_of(value: object) -> str:
    """A JSON-ish name of a value's type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, Enum):
        return f"the {type(value).__name__} member {value.name} (write its value)"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float | Decimal):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list | tuple):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, _dt.datetime | _dt.date | _dt.time):
        return "a TOML date/time (write it as a quoted string)"
    return type(value).__name__


def describe_type(tp: Any) -> str:
    """What a value of type ``tp`` looks like on the wire, in words."""
    if tp is None:
        return ""
    if tp is str:
        return "text"
    if tp is int:
        return "a whole number"
    if tp is bool:
        return "true or false"
    if tp is Decimal:
        return DECIMAL_RULE
    if tp is When:
        return "a time value such as 2025-11-01[America/New_York]"
    if tp is HSCode:
        return "an HS code as text, such as '1201' or 'HS2022:1201'"
    if isinstance(tp, type) and issubclass(tp, Enum):
        return "one of " + ", ".join(str(m.value) for m in tp)
    if isinstance(tp, type) and attrs.has(tp):
        return f"an object with keys {', '.join(wire_fields(tp))}"
    origin = typing.get_origin(tp)
    if origin is tuple:
        return f"an array of {describe_type(typing.get_args(tp)[0])}"
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    if args:
        return " or ".join(describe_type(a) for a in args) + " (or left out)"
    return str(tp)


# ---------------------------------------------------------------------------------- scalars
def _str(value: object, tp: Any) -> Any:
    if tp is not str:  # a StrEnum reaches this hook through cattrs' singledispatch on str
        return _enum(value, tp)
    if type(value) is not str:
        raise ValueProblem(f"expected text, not {kind_of(value)}", "text (in quotes)", value)
    return value


def _int(value: object, tp: Any) -> Any:
    if tp is bool:
        return _bool(value, tp)
    if tp is not int:
        return _enum(value, tp)
    if type(value) is not int:
        raise ValueProblem(f"expected a whole number, not {kind_of(value)}", "a whole number")
    return value


def _bool(value: object, _: Any) -> bool:
    if type(value) is not bool:
        raise ValueProblem(f"expected true or false, not {kind_of(value)}", "true or false")
    return value


def _decimal(value: object, _: Any) -> Decimal:
    if type(value) is not str:
        what = "a number" if isinstance(value, int | float) else kind_of(value)
        raise ValueProblem(f"expected a decimal string, not {what}", DECIMAL_RULE, value)
    if _DECIMAL_RE.fullmatch(value) is None:
        raise ValueProblem(f"{value!r} is not a decimal number", DECIMAL_RULE, value)
    return Decimal(value)


def _when(value: object, _: Any) -> When:
    if type(value) is not str:
        raise ValueProblem(
            f"expected a time value as text, not {kind_of(value)}",
            describe_type(When),
            value,
        )
    try:
        return When.parse(value)
    except InvalidValueError as exc:
        raise ValueProblem(str(exc.args[0]), exc.allowed, value) from None


def _hs_code(value: object, _: Any) -> HSCode:
    if type(value) is not str:
        raise ValueProblem(
            f"expected an HS code as text, not {kind_of(value)}", describe_type(HSCode), value
        )
    try:
        return HSCode.parse(value)
    except InvalidValueError as exc:
        raise ValueProblem(str(exc.args[0]), exc.allowed, value) from None


def _is_enum(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, Enum)


@functools.cache
def _members(tp: type[Enum]) -> dict[object, Enum]:
    return {m.value: m for m in tp}


def _enum_value(member: Enum) -> Any:
    return member.value


def _enum(value: object, tp: Any) -> Any:
    if not _is_enum(tp):
        raise ValueProblem(f"no reader for {tp!r}")
    if type(value) is not str:
        raise ValueProblem(f"expected text, not {kind_of(value)}", describe_type(tp), value)
    member = _members(tp).get(value)
    if member is None:
        raise ValueProblem(f"{value!r} is not a {tp.__name__}", describe_type(tp), value)
    return member


# --------------------------------------------------------------------------------- tuples
def _is_homogeneous_tuple(tp: Any) -> bool:
    args = typing.get_args(tp)
    return typing.get_origin(tp) is tuple and len(args) == 2 and args[1] is Ellipsis


def _tuple_hook_factory(converter: cattrs.Converter) -> Any:
    def factory(tp: Any) -> Any:
        item_type = typing.get_args(tp)[0]
        allowed = describe_type(tp)

        def structure(value: object, _: Any) -> tuple[Any, ...]:
            if type(value) is not list and type(value) is not tuple:
                raise ValueProblem(f"expected an array, not {kind_of(value)}", allowed, value)
            handler = converter.get_structure_hook(item_type)
            out = []
            errors: list[Exception] = []
            for i, item in enumerate(value):
                try:
                    out.append(handler(item, item_type))
                except Exception as exc:
                    note = IterableValidationNote(f"Structuring {tp} @ index {i}", i, item_type)
                    exc.add_note(note)
                    errors.append(exc)
            if errors:
                raise IterableValidationError(f"While structuring {tp!r}", errors, tp)
            return tuple(out)

        return structure

    return factory


# -------------------------------------------------------------------------------- classes
def _is_tradetruce_class(tp: Any) -> bool:
    return isinstance(tp, type) and attrs.has(tp) and tp.__module__.startswith("tradetruce")


def resolve_field_types(cls: type) -> None:
    """Evaluate string annotations of ``cls``'s attrs fields, and of those fields only.

    ``attrs.resolve_types`` evaluates every class annotation, including those attrs adds for
    cached properties, whose types may only be importable under ``TYPE_CHECKING``.
    """
    for a in attrs.fields(cls):
        if not isinstance(a.type, str):
            continue
        owner = next((k for k in cls.__mro__ if a.name in inspect.get_annotations(k)), cls)
        namespace = dict(vars(sys.modules[owner.__module__]))
        # What typing.get_type_hints does, for one annotation written in tradetruce's own source;
        # documents never reach this.
        object.__setattr__(a, "type", eval(a.type, namespace))


def _typevar_map(cls: type) -> dict[Any, Any]:
    mapping: dict[Any, Any] = {}
    for klass in reversed(cls.__mro__):
        for base in getattr(klass, "__orig_bases__", ()):
            origin = typing.get_origin(base)
            params = getattr(origin, "__parameters__", ())
            for param, arg in zip(params, typing.get_args(base), strict=False):
                if not isinstance(arg, typing.TypeVar):
                    mapping[param] = arg
    return mapping


def _substitute(tp: Any, mapping: dict[Any, Any]) -> Any:
    if isinstance(tp, typing.TypeVar):
        return mapping.get(tp, tp)
    args = typing.get_args(tp)
    if args and any(isinstance(a, typing.TypeVar) for a in args):
        new = tuple(mapping.get(a, a) for a in args)
        if typing.get_origin(tp) in (typing.Union, types.UnionType):
            return typing.Union[new]  # noqa: UP007 - built from a runtime tuple
    return tp


def field_type(cls: type, a: attrs.Attribute[Any]) -> Any:
    """The type of field ``a`` of ``cls``, with the class's generic parameters filled in."""
    return _substitute(a.type, _typevar_map(cls))


def _optional_required(cls: type) -> tuple[str, ...]:
    """Fields without a default that accept None: left out on the wire, read back as None."""
    resolve_field_types(cls)
    out = []
    for a in attrs.fields(cls):
        if a.default is attrs.NOTHING and a.init and type(None) in typing.get_args(a.type):
            out.append(wire_name(a.name))
    return tuple(out)


def _renames(cls: type) -> dict[str, Any]:
    return {
        a.name: override(rename=wire_name(a.name))
        for a in attrs.fields(cls)
        if a.name.endswith("_")
    }


def _structure_factory(converter: cattrs.Converter) -> Any:
    def factory(cls: type) -> Any:
        resolve_field_types(cls)
        fn: Any = make_dict_structure_fn(
            cls,
            converter,
            _cattrs_forbid_extra_keys=True,
            _cattrs_detailed_validation=True,
            **_renames(cls),
        )
        missing_as_none = _optional_required(cls)
        allowed = describe_type(cls)

        def structure(data: object, _: Any) -> Any:
            if type(data) is not dict:
                raise ValueProblem(f"expected an object, not {kind_of(data)}", allowed, data)
            for key in missing_as_none:
                if key not in data:
                    data = {key: None, **data}
            return fn(data, cls)

        return structure

    return factory


def _unstructure_factory(converter: cattrs.Converter) -> Any:
    def factory(cls: type) -> Any:
        resolve_field_types(cls)
        # Enums by value, as plain str: registered per class, since cattrs would otherwise
        # dispatch a StrEnum to its str hook and pass the member through.
        for a in attrs.fields(cls):
            ftype = field_type(cls, a)
            for tp in (ftype, *typing.get_args(ftype)):
                if _is_enum(tp):
                    converter.register_unstructure_hook(tp, _enum_value)
        fn: Any = make_dict_unstructure_fn(
            cls, converter, _cattrs_omit_if_default=True, **_renames(cls)
        )
        drop_none = _optional_required(cls)
        if not drop_none:
            return fn

        def unstructure(obj: Any) -> dict[str, Any]:
            d: dict[str, Any] = fn(obj)
            for key in drop_none:
                if d.get(key, 0) is None:
                    del d[key]
            return d

        return unstructure

    return factory


def configure_converter(converter: cattrs.Converter) -> None:
    """Configure ``converter`` for the tradetruce wire format (in the style of cattrs.preconf).

    * ``When`` and ``HSCode`` are written as their text form, ``Decimal`` as a decimal string,
      enums by value, tuples as lists; ``from_`` is written ``from``;
    * fields that are None or equal to their default are left out, and read back as such;
    * reading is strict: no coercion between text, numbers and booleans, unknown keys refused,
      and cattrs' detailed validation gives the path of every problem.
    """
    # cattrs dispatches these by class, subclasses included: the hooks send a StrEnum or a bool
    # on to the right reader.
    converter.register_structure_hook(str, _str)
    converter.register_structure_hook(int, _int)
    converter.register_structure_hook(bool, _bool)
    converter.register_structure_hook(Enum, _enum)
    converter.register_structure_hook(Decimal, _decimal)
    converter.register_unstructure_hook(Decimal, str)
    converter.register_structure_hook(When, _when)
    converter.register_unstructure_hook(When, str)
    converter.register_structure_hook(HSCode, _hs_code)
    converter.register_unstructure_hook(HSCode, str)
    converter.register_unstructure_hook(Enum, _enum_value)
    converter.register_structure_hook_factory(_is_homogeneous_tuple, _tuple_hook_factory(converter))
    converter.register_unstructure_hook_factory(
        _is_homogeneous_tuple, lambda tp: _list_unstructure(converter, tp)
    )
    converter.register_structure_hook_factory(_is_tradetruce_class, _structure_factory(converter))
    converter.register_unstructure_hook_factory(
        _is_tradetruce_class, _unstructure_factory(converter)
    )


def _list_unstructure(converter: cattrs.Converter, tp: Any) -> Any:
    item_type = typing.get_args(tp)[0]
    handler = converter.get_unstructure_hook(item_type)
    return lambda value: [handler(v) for v in value]


def make_converter() -> cattrs.Converter:
    """A new cattrs converter configured for the tradetruce wire format."""
    converter = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    configure_converter(converter)
    return converter
