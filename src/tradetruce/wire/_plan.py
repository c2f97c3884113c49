"""The wire plan: one description of how each class goes on the wire.

For every field of an attrs class the plan says its wire key (``from_`` is written ``from``),
when it is left out, and its value kind (:mod:`tradetruce.wire._kinds`: the type, the pattern or
bounds that validate it). Everything else is derived from it: the cattrs hooks
(:mod:`~tradetruce.wire._convert`), the fast JSON reader (:mod:`~tradetruce.wire._decode`), the
writer (:mod:`~tradetruce.wire._encode`) and the JSON Schema (:mod:`~tradetruce.wire.schema`).

A plan is built on first use, once per class, under a lock (:func:`once`), and never changes:
field types are read from the class annotations without touching the attrs attributes, so two
threads reading their first documents at the same moment see one plan.
"""

from __future__ import annotations

import collections.abc
import enum
import inspect
import itertools
import linecache
import threading
import types
import typing
from collections.abc import Callable, Iterator
from typing import Any, Final, TypeVar

import attrs

from tradetruce.engine.changes import Change
from tradetruce.engine.recorded import RecordedChange
from tradetruce.engine.states import DeadlineState, MeasureState, NegotiationState
from tradetruce.engine.tariffs import Amount, TariffLayer, TariffStack
from tradetruce.engine.timeline import Event
from tradetruce.engine.upcoming import Upcoming
from tradetruce.engine.view import StateChange, View
from tradetruce.model.base_rate import BaseRate
from tradetruce.model.commitment import Commitment, Delivery, Target
from tradetruce.model.correction import Correction
from tradetruce.model.deadline import Consequence, Deadline
from tradetruce.model.entries import DeadlineEntry, MeasureEntry, NegotiationEntry
from tradetruce.model.legal_act import LegalAct
from tradetruce.model.lifecycle import LIFECYCLES, _status_name
from tradetruce.model.measure import Link, Measure
from tradetruce.model.negotiation import Negotiation, Round, Term
from tradetruce.model.party import EXTRA_JURISDICTIONS, Party, _iso_codes, _jurisdiction
from tradetruce.model.scenario import Scenario
from tradetruce.model.source import Source
from tradetruce.model.stacking import StackingRule
from tradetruce.values import _validate as v
from tradetruce.values.suspension import Suspension
from tradetruce.values.terms import Quantity, Rate, Terms
from tradetruce.wire._kinds import Keyed, Kind, Many, Nested, OneOf, Optional
from tradetruce.wire._scalars import ID, TEXT, integer, scalar

__all__ = [
    "ANSWERS",
    "DOCUMENT_TYPES",
    "FORMAT",
    "FORMATS",
    "Field",
    "Omit",
    "Plan",
    "PlanError",
    "generate",
    "kind_for_type",
    "many_of",
    "once",
    "plan_of",
    "reachable",
    "wire_key",
]

#: The format version this release writes.
FORMAT: Final = "tradetruce/2"
#: Every format version this release reads; older ones are upgraded on read
#: (:mod:`tradetruce.wire._upgrade`).
FORMATS: Final = frozenset({"tradetruce/1", FORMAT})

#: The classes that have a document of their own.
DOCUMENT_TYPES: Final = (
    Scenario,
    Source,
    Party,
    BaseRate,
    StackingRule,
    LegalAct,
    Measure,
    Deadline,
    Negotiation,
    MeasureEntry,
    DeadlineEntry,
    NegotiationEntry,
    Terms,
    Suspension,
    Rate,
    Quantity,
    Link,
    Consequence,
    Correction,
    Round,
    Term,
    Commitment,
    Target,
    Delivery,
)

#: The answers: what the engine says about a scenario, written as documents of their own and
#: never read back. Every field is written, None as null (a stable shape), followed by the
#: derived properties named here; their types come from the classes, so fields a class gains
#: flow through.
ANSWERS: Final[dict[type, tuple[str, ...]]] = {
    View: (),
    MeasureState: ("exists",),
    DeadlineState: ("exists",),
    NegotiationState: ("exists",),
    StateChange: (),
    Upcoming: (),
    Event: (),
    Change: ("at",),
    RecordedChange: ("at",),
    TariffStack: ("low", "high"),
    TariffLayer: (),
    Amount: (),
}

T = TypeVar("T")


class PlanError(TypeError):
    """A class (or one of its fields) that the wire format cannot describe."""


class Omit(enum.Enum):
    """When a writer leaves a field out."""

    NEVER = "never"  #: a required field
    NONE = "none"  #: when it is None
    IS = "is"  #: when it is its default (an enumeration member)
    EQ = "eq"  #: when it equals its default


@attrs.frozen
class Field:
    """How one attrs field goes on the wire.

    Attributes:
        name: the attrs name (``from_``).
        alias: the ``__init__`` argument (attrs' alias).
        key: the wire key (``from``).
        tp: the field's type, resolved and with the class's generic parameters filled in.
        kind: the kind of its value.
        omit: when writers leave it out.
        default: the attrs default; None for a field without one that may be None (left out on
            the wire, read back as None); ``attrs.NOTHING`` for a required field.
        read_none: a field without a default that may be None: a reader passes None for it when
            the key is missing.
        wire_default: the default as the writers write it (None when the default is None or
            there is none).
    """

    name: str
    alias: str
    key: str
    tp: Any
    kind: Kind
    omit: Omit
    default: Any
    read_none: bool
    wire_default: Any

    @property
    def required(self) -> bool:
        """Whether the key must be present."""
        return self.omit is Omit.NEVER


@attrs.frozen
class Plan:
    """How one class goes on the wire: its fields in the order writers write them (fields
    without a default first, then the others, each group in attrs order).

    Attributes:
        cls: the class.
        fields: its fields, in wire order.
        keys: the wire keys.
        shared: a value class (Rate, Terms...): equal objects are interchangeable, so a reader
            may build one object for equal wire values of a document.
    """

    cls: type
    fields: tuple[Field, ...]
    keys: frozenset[str]
    shared: bool

    def field(self, name: str) -> Field:
        """The field of attrs name ``name``."""
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @property
    def declared_keys(self) -> str:
        """The keys, in the order the class declares its fields (for messages)."""
        order = {a.name: i for i, a in enumerate(attrs.fields(self.cls))}
        return ", ".join(f.key for f in sorted(self.fields, key=lambda f: order[f.name]))

    @property
    def allowed(self) -> str:
        return f"an object with keys {self.declared_keys}"


# ------------------------------------------------------------------- built once, under a lock
_LOCK: Final = threading.RLock()
#: What has been made, by (what, class): plans, mirrors, generated readers and writers. Each is
#: immutable once made, and made once, under the lock.
_MADE: dict[tuple[str, type], Any] = {}
_NOT_MADE: Final = object()


def once(what: str, cls: type, make: Callable[[], T]) -> T:
    """``make()``, called once per ``(what, cls)`` in the process; every caller gets its result.

    The lock is reentrant: making a class's reader makes the plans of the classes it holds.
    """
    key = (what, cls)
    found = _MADE.get(key, _NOT_MADE)
    if found is _NOT_MADE:
        with _LOCK:
            found = _MADE.get(key, _NOT_MADE)
            if found is _NOT_MADE:
                found = _MADE[key] = make()
    result: T = found
    return result


class Names:
    """The names generated code sees: each object it needs, under a name a traceback reader can
    follow (``Measure``, ``When_parse``, ``RateUnit_PERCENT``), and fresh local names."""

    def __init__(self) -> None:
        self.names: dict[str, Any] = {}
        self._by_id: dict[int, str] = {}
        self._fresh = 0

    def const(self, obj: object) -> str:
        name = self._by_id.get(id(obj))
        if name is None:
            if isinstance(obj, enum.Enum):
                base = f"{type(obj).__name__}_{obj.name}"
            else:
                base = getattr(obj, "__qualname__", None) or f"default_{type(obj).__name__}"
            base = "".join(c if c.isalnum() else "_" for c in base)
            name = base
            while name in self.names:
                name = f"{base}_{len(self.names)}"
            self._by_id[id(obj)] = name
            self.names[name] = obj
        return name

    def fresh(self) -> str:
        self._fresh += 1
        return f"x{self._fresh}"


_SERIAL: Final = itertools.count(1)


def generate(source: str, what: str, cls: type, names: dict[str, Any]) -> dict[str, Any]:
    """Run generated ``source`` in ``names`` and return them, registering the source with
    :mod:`linecache` under a unique file name, so that tracebacks through it show the code."""
    fname = f"<tradetruce wire {what} {cls.__module__}.{cls.__qualname__}-{next(_SERIAL)}>"
    linecache.cache[fname] = (len(source), None, source.splitlines(True), fname)
    exec(compile(source, fname, "exec"), names)
    return names


# --------------------------------------------------------------------------------- planning
def wire_key(name: str) -> str:
    """The key a field is written under: its attrs name, a trailing ``_`` dropped (``from_``
    is written ``from``)."""
    return name.removesuffix("_")


def plan_of(cls: type) -> Plan:
    """The wire plan of ``cls`` (an attrs class), built on first use.

    Raises:
        PlanError: a class, or a field, that the wire format cannot describe.
    """
    if not (isinstance(cls, type) and attrs.has(cls)):
        raise PlanError(f"{cls!r} is not an attrs class")
    return once("plan", cls, lambda: _make_plan(cls))


def _make_plan(cls: type) -> Plan:
    types_ = _field_types(cls)
    if cls in ANSWERS:
        return _answer_plan(cls, types_)
    fields = [_field(cls, a, types_[a.name]) for a in attrs.fields(cls) if a.init]
    fields.sort(key=lambda f: not (f.required or f.read_none))  # stable: attrs order kept
    return Plan(
        cls,
        tuple(fields),
        frozenset(f.key for f in fields),
        shared=cls.__module__.startswith("tradetruce.values."),
    )


def _answer_plan(cls: type, types_: dict[str, Any]) -> Plan:
    """An answer's plan: every attrs field, then its derived properties, all always written."""
    fields = []
    for a in attrs.fields(cls):
        kind = _value_kind(cls, a.name, types_[a.name], a)
        fields.append(_always(a.name, a.alias or a.name, types_[a.name], kind))
    for name in ANSWERS[cls]:
        tp = typing.get_type_hints(getattr(cls, name).fget)["return"]
        fields.append(_always(name, name, tp, _value_kind(cls, name, tp, None)))
    return Plan(cls, tuple(fields), frozenset(f.key for f in fields), shared=False)


def _always(name: str, alias: str, tp: Any, kind: Kind) -> Field:
    return Field(name, alias, wire_key(name), tp, kind, Omit.NEVER, attrs.NOTHING, False, None)


def _value_kind(cls: type, name: str, tp: Any, a: attrs.Attribute[Any] | None) -> Kind:
    where = f"{cls.__name__}.{name}"
    args = typing.get_args(tp) if typing.get_origin(tp) in _UNIONS else ()
    optional = type(None) in args
    value_type = tp
    if optional:
        rest = tuple(t for t in args if t is not type(None))
        value_type = rest[0] if len(rest) == 1 else typing.Union[rest]  # noqa: UP007
    rule = None if a is None else _rule_kind(a, value_type)
    kind = rule or kind_for_type(value_type, where)
    if isinstance(kind, OneOf | Keyed) and cls not in ANSWERS:
        raise PlanError(f"{where}: {tp!r} is a value only answers hold, never read")
    return Optional(kind) if optional else kind


_UNIONS: Final = (typing.Union, types.UnionType)


def _field(cls: type, a: attrs.Attribute[Any], tp: Any) -> Field:
    kind = _value_kind(cls, a.name, tp, a)
    optional = isinstance(kind, Optional)
    default = a.default
    read_none = False
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        raise PlanError(f"{cls.__name__}.{a.name}: a default factory has no wire form")
    if default is attrs.NOTHING:
        omit = Omit.NONE if optional else Omit.NEVER
        read_none = optional
        default = None if optional else default
    elif default is None:
        omit = Omit.NONE
    elif isinstance(default, enum.Enum):
        omit = Omit.IS
    else:
        omit = Omit.EQ
    key = wire_key(a.name)
    wire_default = None
    if omit in (Omit.IS, Omit.EQ):
        wire_default = kind.unstructurer(_NoObjects(f"{cls.__name__}.{a.name}"))(default)
    return Field(a.name, a.alias or a.name, key, tp, kind, omit, default, read_none, wire_default)


class _NoObjects:
    """Writes defaults: a default that is an object of a model class has no wire form."""

    def __init__(self, where: str):
        self.where = where

    def nested(self, cls: type) -> Callable[[Any], Any]:
        def refuse(_: Any) -> Any:
            raise PlanError(f"{self.where}: a default {cls.__name__} object has no wire form")

        return refuse


def kind_for_type(tp: Any, where: str = "") -> Kind:
    """The kind of a value of type ``tp`` (no narrower rule of a field applied)."""
    found = scalar(tp)
    if found is not None:
        return found
    item = many_of(tp)
    if item is not None:
        return Many(kind_for_type(item, where))
    if isinstance(tp, type) and attrs.has(tp):
        keys = ", ".join(wire_key(a.name) for a in attrs.fields(tp) if a.init)
        return Nested(tp, f"an object with keys {keys}")
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in _UNIONS:  # answers only: a state of any kind, an entry of any entity
        rest = tuple(arg for arg in args if arg is not type(None))
        if len(rest) < len(args):
            return Optional(kind_for_type(typing.Union[rest], where))  # noqa: UP007
        return _one_of([kind_for_type(arg, where) for arg in args], tp, where)
    if origin is collections.abc.Mapping and args[0] is str:  # answers only: states by id
        return Keyed(kind_for_type(args[1], where))
    if isinstance(origin, type) and attrs.has(origin):  # a generic class with its parameters
        return _one_of([kind_for_type(c, where) for c in _concrete(origin, args)], tp, where)
    raise PlanError(f"{where or 'a value'}: the format has no way to write {tp!r}")


def _one_of(kinds: list[Kind], tp: Any, where: str) -> Kind:
    options: list[type] = []
    for kind in kinds:
        if not isinstance(kind, Nested | OneOf):
            raise PlanError(f"{where or 'a value'}: {tp!r} is a union the format cannot write")
        options.extend(kind.classes())
    if not options:
        raise PlanError(f"{where or 'a value'}: no class of {tp!r} has a wire form")
    if len(options) == 1:
        return kind_for_type(options[0], where)
    return OneOf(tuple(options))


def _concrete(origin: type, args: tuple[Any, ...]) -> list[type]:
    """The subclasses of the generic ``origin`` with every parameter fixed, as ``args`` fixes
    them (``Any``: every one): ``Entry[MeasureStatus]`` is a MeasureEntry."""
    found: list[type] = []
    todo: list[type] = list(origin.__subclasses__())
    while todo:
        sub = todo.pop(0)
        todo.extend(sub.__subclasses__())
        if getattr(sub, "__parameters__", ()) or sub in found:
            continue
        mapping = _typevar_map(sub)
        fixed = tuple(mapping.get(p) for p in getattr(origin, "__parameters__", ()))
        if all(a is Any for a in args) or fixed == args:
            found.append(sub)
    return found


def many_of(tp: Any) -> Any:
    """The item type of a homogeneous tuple type (``tuple[X, ...]``), or None."""
    args = typing.get_args(tp)
    if typing.get_origin(tp) is tuple and len(args) == 2 and args[1] is Ellipsis:
        return args[0]
    return None


# The model's validators, and the narrower kind of value each one checks. Readers leave the
# check itself to the model (the class's own validator runs when the object is built); the kind
# carries the rule to the JSON Schema and lets the fast reader share repeated ids.
def _rules() -> dict[Any, Kind]:
    nonblank = TEXT.refine("text", pattern=r"\S")
    statuses = TEXT.refine(
        "status", enum=sorted({m.value for lc in LIFECYCLES.values() for m in lc.status_type})
    )
    return {
        v.an_id: ID,
        v.an_optional_id: ID,
        v.ids: Many(ID, unique=True),
        v.nonempty_text: nonblank,
        v.optional_text: nonblank,
        v.texts: Many(nonblank),
        _status_name: statuses,
        # The list of countries loads a database: read when a schema asks for it.
        _jurisdiction: TEXT.refine(
            "jurisdiction", enum=lambda: sorted(EXTRA_JURISDICTIONS | _iso_codes())
        ),
    }


def _rule_kind(a: attrs.Attribute[Any], value_type: Any) -> Kind | None:
    validators = _validators(a)
    if value_type is Any and a.name in ("from_", "to"):
        # An answer's change of any entity's status (None: before the entity existed).
        return Optional(once("rules", Plan, _rules)[_status_name])
    if not validators and not (a.name == "to" and value_type is str):
        return None
    rules = once("rules", Plan, _rules)
    for val in validators:
        if isinstance(val, v.WholeNumber):  # its bounds are data: the model's own
            return integer(val.minimum, val.maximum)
        if val in rules:
            return rules[val]
    if a.name == "to" and value_type is str:
        # A deal term's target status: checked by the class once built (which lifecycle applies
        # depends on the entity it names), and described as a status here.
        return rules[_status_name]
    return None


def _validators(a: attrs.Attribute[Any]) -> list[Any]:
    val = a.validator
    if val is None:
        return []
    inner = getattr(val, "_validators", None)
    found = list(inner) if inner is not None else [val]
    # attrs' optional(...) wraps the rule of the value it allows besides None.
    return [getattr(x, "validator", x) for x in found]


# ------------------------------------------------------------------------------ field types
def _field_types(cls: type) -> dict[str, Any]:
    """The type of every attrs field of ``cls``, evaluated from the class annotations (the
    attrs attributes are left as they are) and with the class's generic parameters filled in.

    Only the fields' own annotations are evaluated: a class may also annotate cached
    properties with types importable only under ``TYPE_CHECKING``.
    """
    names = {a.name for a in attrs.fields(cls)}
    hints: dict[str, Any] = {}
    for klass in reversed(cls.__mro__):
        own = {k: t for k, t in inspect.get_annotations(klass).items() if k in names}
        if own:
            # A stand-in class holding only those annotations, in the module that wrote them.
            probe = type(
                klass.__name__, (), {"__annotations__": own, "__module__": klass.__module__}
            )
            hints.update(typing.get_type_hints(probe))
    mapping = _typevar_map(cls)
    return {name: _substitute(tp, mapping) for name, tp in hints.items()}


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
    params = () if isinstance(tp, type) else getattr(tp, "__parameters__", ())
    if params and any(p in mapping for p in params):
        # Filled in at any depth: tuple[Entry[S], ...] and S | None alike.
        return tp[tuple(mapping.get(p, p) for p in params)]
    return tp


def reachable(cls: type) -> Iterator[Plan]:
    """The plans of ``cls`` and of every class its fields hold, each once, ``cls`` first."""
    seen: set[type] = set()
    todo = [cls]
    while todo:
        klass = todo.pop()
        if klass in seen:
            continue
        seen.add(klass)
        plan = plan_of(klass)
        yield plan
        for f in plan.fields:
            todo.extend(reversed(list(f.kind.classes())))
