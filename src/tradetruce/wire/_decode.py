"""The fast path for reading JSON: msgspec decodes into mirror structs, then the real classes.

The cattrs converter is the general reader and the only one that writes error reports. For JSON
this module first tries msgspec: it decodes the text into ``msgspec.Struct`` mirrors of the attrs
classes (generated from the attrs fields, strict, unknown keys forbidden), then builds the real
frozen attrs objects through their own constructors, so every validator runs. On any failure it
gives up and the caller reruns the cattrs path, which either succeeds with equal objects or builds
the full error report: the fast path never decides that a document is wrong.

The mirrors are at least as strict as the cattrs hooks (same key names, no coercion between text,
numbers and booleans, decimals as text only), so the fast path accepts no document that the
general path refuses; tests compare the two on generated and mutated documents.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import typing
from collections.abc import Iterator
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any, Final

import attrs
import msgspec

from tradetruce.values import _validate as _v
from tradetruce.values.codes import HSCode
from tradetruce.values.when import When
from tradetruce.values.when import _read as read_when
from tradetruce.wire._convert import (
    _DECIMAL_RE,
    FORMATS,
    field_type,
    resolve_field_types,
    wire_name,
)

__all__ = ["FAILED", "decode", "depth_of", "no_gc"]

#: What :func:`decode` returns when the document must go through the general path.
FAILED: Final = object()

_DecimalText = Annotated[str, msgspec.Meta(pattern=_DECIMAL_RE.pattern.join("^$"))]


# Values met during one decode, by text: a document repeats the same dates and codes many times,
# and sharing one immutable object per text saves both parsing and memory. Cleared after each
# decode, so it never outgrows one document.
_WHENS: dict[str, When] = {}
_CODES: dict[str, HSCode] = {}


def _when(text: str) -> When:
    """A time value the document has not named before (the generated code looks in _WHENS)."""
    found = _WHENS[text] = read_when(text)
    return found


def _hs_code(text: str) -> HSCode:
    found = _CODES.get(text)
    if found is None:
        found = _CODES[text] = HSCode.parse(text)
    return found


@contextlib.contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a whole document is built or written.

    Both allocate many objects that all survive (or are freed by reference counting), and each
    collection they trigger would traverse every object built so far: quadratic in effect.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_STRINGS: dict[str | None, str | None] = {}


def _holds_ids(a: attrs.Attribute[Any]) -> bool:
    val = a.validator
    found = getattr(val, "_validators", None) or (val,)
    return any(x in (_v.an_id, _v.an_optional_id, _v.ids) for x in found)


class _Plan:
    """A mirror struct type for one attrs class, and how to build the class from it."""

    def __init__(self, cls: type):
        self.cls = cls
        self.struct: Any = None
        self.build: Any = None


_PLANS: dict[type, _Plan] = {}


class _Code:
    """How generated code turns a decoded value into the model's: an expression template with
    ``{v}`` for the value, and the names it needs. Inlined into the builders, so a field costs
    no Python call beyond the ones the model itself needs."""

    def __init__(self, template: str, names: dict[str, Any] | None = None):
        self.template = template
        self.names = names or {}

    def of(self, value: str) -> str:
        return self.template.format(v=value)


def _name(obj: Any, names: dict[str, Any]) -> str:
    """A name for ``obj`` in generated code, added to ``names``."""
    key = f"n{id(obj):x}"
    names[key] = obj
    return key


def _mirror_type(tp: Any, depth: int = 0) -> tuple[Any, _Code | None]:
    """(msgspec type, code turning a decoded value into the model value, or None: as it is)."""
    args = typing.get_args(tp)
    if type(None) in args:
        rest = [a for a in args if a is not type(None)]
        inner, conv = _mirror_type(rest[0], depth)
        if conv is None:
            return inner | None, None
        return inner | None, _Code(f"(None if {{v}} is None else {conv.template})", conv.names)
    if typing.get_origin(tp) is tuple:
        inner, conv = _mirror_type(args[0], depth + 1)
        if conv is None:
            return tuple[inner, ...], None  # type: ignore[valid-type]
        x = f"x{depth}"
        item = conv.of(x).replace("{", "{{").replace("}", "}}")
        return (
            tuple[inner, ...],  # type: ignore[valid-type]
            _Code(f"tuple([{item} for {x} in {{v}}])", conv.names),
        )
    if tp is Decimal:
        names: dict[str, Any] = {}
        return _DecimalText, _Code(f"{_name(Decimal, names)}({{v}})", names)
    if tp is When:
        names = {}
        cache, parse = _name(_WHENS, names), _name(_when, names)
        # A When is never false: the lookup's result, or a parse on a miss.
        return str, _Code(f"({cache}.get({{v}}) or {parse}({{v}}))", names)
    if tp is HSCode:
        names = {}
        return str, _Code(f"{_name(_hs_code, names)}({{v}})", names)
    if tp in (str, int, bool):
        return tp, None
    if isinstance(tp, type) and issubclass(tp, Enum):
        return tp, None
    if isinstance(tp, type) and attrs.has(tp):
        plan = _plan(tp)
        names = {}
        fields = {a.name for a in attrs.fields(tp)}
        if "id" in fields or "history" in fields or "from_" in fields:
            # The plan's builder may not exist yet (a class can hold itself): read it per call.
            return plan.struct, _Code(f"{_name(plan, names)}.build({{v}})", names)
        return plan.struct, _Code(f"{_name(_shared_values(plan), names)}({{v}})", names)
    raise TypeError(f"no fast path for {tp!r}")


_VALUE_CACHES: list[dict[Any, Any]] = []


def _shared_values(plan: _Plan) -> Any:
    """A builder for a value class (a Rate, Terms, Link...) that builds each distinct wire value
    once per document and shares the immutable result, as for time values and HS codes."""
    cache: dict[Any, Any] = {}
    _VALUE_CACHES.append(cache)

    def build(s: Any) -> Any:
        found = cache.get(s)
        if found is None:
            found = cache[s] = plan.build(s)
        return found

    return build


def _plan(cls: type) -> _Plan:
    plan = _PLANS.get(cls)
    if plan is not None:
        return plan
    plan = _PLANS[cls] = _Plan(cls)
    try:
        _fill(plan)
    except BaseException:
        del _PLANS[cls]
        raise
    return plan


def _fill(plan: _Plan) -> None:
    cls = plan.cls
    resolve_field_types(cls)
    fields: list[Any] = []
    converters: list[tuple[str, str, _Code | None]] = []
    for a in attrs.fields(cls):
        if not a.init:
            continue
        tp = field_type(cls, a)
        mtype, conv = _mirror_type(tp)
        if conv is None and _holds_ids(a):
            # Ids are references: every mention of one id shares one string.
            names: dict[str, Any] = {}
            strings = _name(_STRINGS, names)
            if typing.get_origin(tp) is tuple:
                conv = _Code(f"tuple([{strings}.setdefault(t, t) for t in {{v}}])", names)
            else:
                conv = _Code(f"{strings}.setdefault({{v}}, {{v}})", names)
        name = wire_name(a.name)
        if a.default is attrs.NOTHING:
            if type(None) in typing.get_args(tp):
                fields.append((a.name, mtype, msgspec.field(default=None, name=name)))
            else:
                fields.append((a.name, mtype, msgspec.field(name=name)))
        else:
            default = a.default
            if isinstance(default, Decimal):
                default = str(default)
            fields.append((a.name, mtype, msgspec.field(default=default, name=name)))
        converters.append((a.name, a.alias or a.name, conv))
    # Required fields first: msgspec, like dataclasses, wants them before defaulted ones.
    fields.sort(key=lambda f: f[2].default is not msgspec.NODEFAULT)
    plan.struct = msgspec.defstruct(
        f"_{cls.__name__}Wire", fields, forbid_unknown_fields=True, frozen=True
    )
    plan.build = _builder(cls, converters)


def _builder(cls: type, converters: list[tuple[str, str, _Code | None]]) -> Any:
    """A function building ``cls`` from its mirror struct, as straight-line generated code."""
    namespace: dict[str, Any] = {"cls": cls}
    args = []
    for name, alias, conv in converters:
        if conv is None:
            args.append(f"{alias}=s.{name}")
        else:
            namespace.update(conv.names)
            args.append(f"{alias}={conv.of('s.' + name)}")
    source = f"def build(s):\n    return cls({', '.join(args)})\n"
    exec(compile(source, f"<tradetruce fast build {cls.__name__}>", "exec"), namespace)
    return namespace["build"]


_DECODERS: dict[type, Any] = {}


def _decoder(cls: type) -> Any:
    dec = _DECODERS.get(cls)
    if dec is None:
        plan = _plan(cls)
        root = msgspec.defstruct(
            f"_{cls.__name__}Document",
            [("format", str)],
            bases=(plan.struct,),
            forbid_unknown_fields=True,
            frozen=True,
            kw_only=True,
        )
        dec = _DECODERS[cls] = (msgspec.json.Decoder(root), plan)
    return dec


@functools.cache
def depth_of(cls: Any) -> int:
    """The deepest nesting of objects and arrays a valid ``cls`` document can have."""

    def walk(tp: Any, seen: frozenset[type]) -> int:
        args = typing.get_args(tp)
        if type(None) in args:
            return max(walk(a, seen) for a in args if a is not type(None))
        if typing.get_origin(tp) is tuple:
            return 1 + walk(args[0], seen)
        if isinstance(tp, type) and attrs.has(tp) and tp not in seen:
            resolve_field_types(tp)
            inner = [walk(a.type, seen | {tp}) for a in attrs.fields(tp) if a.init]
            return 1 + max(inner, default=0)
        return 0

    return walk(cls, frozenset())


def decode(text: str, cls: type) -> Any:
    """``cls`` read from JSON ``text``, or :data:`FAILED` (then use the general path)."""
    try:
        decoder, plan = _decoder(cls)
    except TypeError:
        return FAILED
    # Bulk decoding allocates many objects that all survive: the cyclic collector would
    # traverse them again and again for nothing.
    enabled = gc.isenabled()
    gc.disable()
    try:
        wire = decoder.decode(text)
        if wire.format not in FORMATS:
            return FAILED
        return plan.build(wire)
    except Exception:  # any failure: the general path decides and reports
        return FAILED
    finally:
        _WHENS.clear()
        _CODES.clear()
        _STRINGS.clear()
        for cache in _VALUE_CACHES:
            cache.clear()
        if enabled:
            gc.enable()
