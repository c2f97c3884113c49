"""The fast writers: objects to wire dicts, and objects to JSON text.

The cattrs converter is the general writer; these give exactly what it gives (tests compare them)
and are what :func:`tradetruce.to_dict` and :func:`tradetruce.to_json` use. Every writer is derived
from one description of each class's wire fields (:func:`wire_fields`):

* :func:`unstructure` runs generated straight-line Python that builds the wire dicts;
* :func:`encode_json` runs generated Python that hands msgspec one struct per object, which
  msgspec writes as JSON in one compiled pass.
"""

from __future__ import annotations

import typing
from decimal import Decimal
from enum import Enum
from typing import Any, Final

import attrs
import msgspec

from tradetruce.values.codes import HSCode
from tradetruce.values.when import When
from tradetruce.wire._convert import FORMAT, field_type, resolve_field_types, wire_name
from tradetruce.wire._decode import no_gc

__all__ = ["encode_json", "unstructure", "wire_fields"]


# When a field is left out.
_OMIT_NEVER, _OMIT_NONE, _OMIT_EMPTY, _OMIT_IS, _OMIT_EQ = range(5)


@attrs.frozen
class WireField:
    """How one attrs field goes on the wire.

    Attributes:
        attr: the attribute name (``from_``).
        key: the wire key (``from``).
        omit: when it is left out: never, when None, when empty, when it is the default
            (an enumeration member), when it equals the default.
        default: the attrs default (None when there is none).
        tp: the type of the value (of each item, for a tuple).
        many: whether the field holds a tuple of such values.
    """

    attr: str
    key: str
    omit: int
    default: Any
    tp: Any
    many: bool


def wire_fields(cls: type) -> list[WireField]:
    """The wire fields of ``cls`` in the order they are written: fields without a default
    first, then the others, each in attrs order (the order cattrs' generated code writes them)."""
    resolve_field_types(cls)
    fields = [a for a in attrs.fields(cls) if a.init]
    fields.sort(key=lambda a: a.default is not attrs.NOTHING)
    out = []
    for a in fields:
        tp = field_type(cls, a)
        args = typing.get_args(tp)
        optional = type(None) in args
        if optional:
            tp = next(t for t in args if t is not type(None))
        many = typing.get_origin(tp) is tuple
        if many:
            tp = typing.get_args(tp)[0]
        default = a.default
        if default is attrs.NOTHING and not optional:
            omit, default = _OMIT_NEVER, None
        elif default is attrs.NOTHING or default is None:
            omit, default = _OMIT_NONE, None
        elif default == () or default == "":
            omit = _OMIT_EMPTY
        elif isinstance(default, Enum):
            omit = _OMIT_IS
        else:
            omit = _OMIT_EQ
        out.append(WireField(a.name, wire_name(a.name), omit, default, tp, many))
    return out


# ------------------------------------------------------------------------------- wire dicts
_ENCODERS: dict[type, Any] = {}
#: The classes whose writers are being generated.
_BUILDING: set[Any] = set()
#: A time value's text: ``When.__str__`` itself, which formats each value once and keeps the
#: text on it (a decoded document shares one When per distinct value).
_format_when: Final = When.__str__


def _value_encoder(tp: Any) -> Any:
    """A function writing a (non-None) value of type ``tp``, or None to write it as it is."""
    if tp is When:
        return _format_when
    if tp in (Decimal, HSCode):
        return str
    if tp in (str, int, bool):
        return None
    if isinstance(tp, type) and issubclass(tp, Enum):
        # A dict lookup: much cheaper than Enum's ``value`` descriptor.
        return {m: m.value for m in tp}.__getitem__
    if isinstance(tp, type) and attrs.has(tp):
        if tp in _BUILDING:  # a class holding itself: its writer is looked up per call
            return lambda o: _ENCODERS[tp](o)
        return _encoder(tp)
    raise TypeError(f"no fast writer for {tp!r}")


def _with_helpers(cls: type, helper_for: Any) -> list[tuple[WireField, Any]]:
    """Each wire field of ``cls`` with the helper that writes its values (``helper_for`` of its
    type). While they are made, ``cls`` is in :data:`_BUILDING`, so a class that holds itself
    gets a helper that finds its own writer when called."""
    _BUILDING.add(cls)
    try:
        return [(f, helper_for(f.tp)) for f in wire_fields(cls)]
    finally:
        _BUILDING.discard(cls)


def _omit_test(f: WireField, i: int, namespace: dict[str, Any]) -> str:
    """The generated test that ``v`` (the field's value) is written."""
    if f.omit == _OMIT_NONE:
        return "v is not None"
    if f.omit == _OMIT_EMPTY:
        return "v"
    namespace[f"default{i}"] = f.default
    return f"v is not default{i}" if f.omit == _OMIT_IS else f"v != default{i}"


def _encoder(cls: type) -> Any:
    """A function writing ``cls`` as wire dicts, generated as straight-line code: None and
    default values left out, ``from_`` written ``from`` (see :func:`wire_fields`)."""
    enc = _ENCODERS.get(cls)
    if enc is not None:
        return enc
    namespace: dict[str, Any] = {}
    always: list[str] = []
    maybe: list[str] = []
    for i, (f, helper) in enumerate(_with_helpers(cls, _value_encoder)):
        if f.many:
            expr = "list({v})" if helper is None else f"[h{i}(x) for x in {{v}}]"
        else:
            expr = "{v}" if helper is None else f"h{i}({{v}})"
        if helper is not None:
            namespace[f"h{i}"] = helper
        if f.omit == _OMIT_NEVER:
            if maybe:  # keep the order: after a left-out field, write in sequence
                maybe.append(f"    d[{f.key!r}] = {expr.format(v='o.' + f.attr)}")
            else:
                always.append(f"{f.key!r}: {expr.format(v='o.' + f.attr)}")
            continue
        maybe += [
            f"    v = o.{f.attr}",
            f"    if {_omit_test(f, i, namespace)}:",
            f"        d[{f.key!r}] = {expr.format(v='v')}",
        ]
    lines = ["def encode(o):", f"    d = {{{', '.join(always)}}}", *maybe, "    return d"]
    source = "\n".join(lines) + "\n"
    exec(compile(source, f"<tradetruce fast write {cls.__name__}>", "exec"), namespace)
    enc = _ENCODERS[cls] = namespace["encode"]
    return enc


def unstructure(obj: Any) -> dict[str, Any]:
    """``obj`` as wire dicts, lists and strings (the same as the cattrs converter gives)."""
    # Writing in Python allocates a dict per object: the collector is paused (see no_gc).
    with no_gc():
        result: dict[str, Any] = _encoder(type(obj))(obj)
    return result


# ------------------------------------------------------------------------- JSON, in Python
_WRITERS: dict[type, Any] = {}
_FORMAT_PREFIX: Final = msgspec.json.encode({"format": FORMAT})[:-1] + b","


def _struct_value(tp: Any) -> Any:
    """A function making a value msgspec can write as-is, or None when it already can."""
    if tp is When:
        return _format_when
    if tp is HSCode:
        return str
    if tp in (str, int, bool, Decimal) or (isinstance(tp, type) and issubclass(tp, Enum)):
        return None
    if isinstance(tp, type) and attrs.has(tp):
        if tp in _BUILDING:  # a class holding itself: its writer is looked up per call
            return lambda o: _WRITERS[tp](o)
        return _writer(tp)
    raise TypeError(f"no fast writer for {tp!r}")


def _writer(cls: type) -> Any:
    """A function turning ``cls`` into a msgspec struct that msgspec writes in the wire format.

    The struct's fields follow the wire order and carry the attrs defaults, so msgspec itself
    leaves out defaults and None (``omit_defaults``), writes enums by value and Decimals as
    text. Only time values, HS codes and nested objects need Python: the generated code
    converts those.
    """
    writer = _WRITERS.get(cls)
    if writer is not None:
        return writer
    namespace: dict[str, Any] = {}
    spec: list[Any] = []
    args: list[str] = []
    for i, (f, helper) in enumerate(_with_helpers(cls, _struct_value)):
        value = f"o.{f.attr}"
        if f.many:
            expr = value if helper is None else f"[h{i}(x) for x in {value}]"
        else:
            expr = value if helper is None else f"h{i}({value})"
            if helper is not None and f.omit == _OMIT_NONE:
                expr = f"(None if {value} is None else {expr})"
        if f.omit == _OMIT_EQ:
            # msgspec leaves out a default by identity; an equal value is left out here.
            namespace[f"default{i}"] = f.default
            expr = f"(UNSET if {value} == default{i} else {expr})"
        if helper is not None:
            namespace[f"h{i}"] = helper
        if f.omit == _OMIT_NEVER:
            spec.append((f.attr, object, msgspec.field(name=f.key)))
        elif f.many and helper is not None:  # written as a list
            spec.append((f.attr, object, msgspec.field(default_factory=list, name=f.key)))
        else:
            spec.append((f.attr, object, msgspec.field(default=f.default, name=f.key)))
        args.append(f"{f.attr}={expr}")
    namespace["UNSET"] = msgspec.UNSET
    namespace["S"] = msgspec.defstruct(
        f"_{cls.__name__}Out", spec, omit_defaults=True, frozen=True, kw_only=True
    )
    source = f"def write(o):\n    return S({', '.join(args)})\n"
    exec(compile(source, f"<tradetruce fast struct {cls.__name__}>", "exec"), namespace)
    writer = _WRITERS[cls] = namespace["write"]
    return writer


def _encode_in_python(obj: Any) -> bytes:
    with no_gc():  # a struct per object, as above
        body = msgspec.json.encode(_writer(type(obj))(obj))
    return _FORMAT_PREFIX + body[1:] if body != b"{}" else _FORMAT_PREFIX[:-1] + b"}"


def encode_json(obj: Any, *, indent: int | None) -> str:
    """The JSON document of ``obj`` (``format`` first), as msgspec writes the wire dicts."""
    raw = _encode_in_python(obj)
    if indent is not None:
        raw = msgspec.json.format(raw, indent=indent)
    return raw.decode("utf-8")
