"""The fast path for reading JSON: msgspec decodes into mirror structs, then the real classes.

The cattrs converter is the general reader and the only one that writes error reports. For JSON
this module first tries msgspec: it decodes the text into ``msgspec.Struct`` mirrors of the
classes (derived from the wire plan: the same keys, unknown keys forbidden, no coercion between
text, numbers and booleans, decimals as text of the plan's pattern, whole numbers within the
plan's bounds), then builds the real frozen attrs objects through their own constructors, so
every validator runs. The mirrors are never more lenient than the general reader; tests compare
the two on generated and mutated documents. Any failure returns :data:`FAILED` and the caller
reads the document the general way, which either builds equal objects or reports every problem:
this path never decides that a document is wrong.

Builders are generated once per document class, as a function that makes a fresh set of
builders for each document: a document repeats the same time values, codes and ids many times,
and the builders of one document share one object per distinct text through memos that live and
die with that document's call. Nothing is shared between calls or threads.
"""

from __future__ import annotations

from typing import Any, Final

import msgspec

from tradetruce.wire._kinds import Scalar
from tradetruce.wire._plan import FORMAT, Field, Names, generate, once, plan_of, reachable

__all__ = ["FAILED", "build", "canonical", "decode", "depth_of", "read"]

#: What :func:`build` returns when the document must go through the general path.
FAILED: Final = object()


class NoFastPath(TypeError):
    """A class the fast reader does not read (one that holds itself)."""


class _Mirrors(Names):
    """The code generator of the builders of one document class and the classes it holds."""

    def __init__(self, building: frozenset[type] = frozenset()) -> None:
        super().__init__()
        self._classes: dict[type, str] = {}
        self.memos: dict[int, tuple[str, str, Scalar]] = {}
        self.building = building  # the classes whose mirrors are being made

    def struct(self, cls: type) -> Any:
        if cls in self.building:
            raise NoFastPath(f"{cls.__name__} holds itself: read it the general way")
        return once("mirror", cls, lambda: _mirror(cls, (), self.building))

    def function(self, cls: type) -> str:
        name = self._classes.get(cls)
        if name is None:
            name = self._classes[cls] = f"build_{cls.__name__}_{len(self._classes)}"
        return name

    def build_call(self, cls: type, expr: str) -> str:
        fn = self.function(cls)
        if plan_of(cls).shared:
            # Equal values of a document share one object: a value class compares by value.
            return f"(shared_{fn}.get({expr}) or {fn}({expr}))"
        return f"{fn}({expr})"

    def memo(self, kind: Scalar) -> tuple[str, str]:
        found = self.memos.get(id(kind))
        if found is None:
            n = len(self.memos)
            label = "".join(c if c.isalnum() else "_" for c in kind.label)
            found = self.memos[id(kind)] = (f"{label}_{n}", f"read_{label}_{n}", kind)
        return found[0], found[1]

    def argument(self, f: Field, value: str) -> str:
        return f"{f.alias}={f.kind.build(value, self)}"


# --------------------------------------------------------------------------------- mirrors
def _mirror(cls: type, head: tuple[tuple[str, Any, Any], ...], building: frozenset[type]) -> Any:
    """The msgspec struct mirroring ``cls`` on the wire (with ``head`` fields first)."""
    gen = _Mirrors(building | {cls})
    fields = [_mirror_field(f, gen) for f in plan_of(cls).fields]
    name = f"{cls.__name__}Document" if head else f"{cls.__name__}Wire"
    return msgspec.defstruct(
        name,
        [*head, *fields],
        kw_only=True,
        forbid_unknown_fields=True,
        frozen=True,  # hashable: equal values of a document are built once
        omit_defaults=True,  # written back, a mirror gives the text we write (see `canonical`)
        gc=False,  # no cycles: the collector need not track a document's mirrors
    )


def _mirror_field(f: Field, gen: _Mirrors) -> tuple[str, Any, Any]:
    tp = f.kind.mirror(gen)
    if f.required:
        return (f.name, tp, msgspec.field(name=f.key))
    if f.default is None:
        return (f.name, tp, msgspec.field(name=f.key, default=None))
    # The default as the mirror holds it: what the writer would write, decoded.
    return (f.name, tp, msgspec.field(name=f.key, default=msgspec.convert(f.wire_default, tp)))


def _document(cls: type) -> msgspec.json.Decoder[Any]:
    """The decoder of a ``cls`` document: the ``format`` key, then the fields of ``cls``."""
    struct = _mirror(cls, (("format", str, msgspec.field(name="format")),), frozenset())
    return msgspec.json.Decoder(struct)


# -------------------------------------------------------------------------------- builders
def _factory(cls: type) -> Any:
    """Generate the function that makes, for one document, the builders of ``cls`` and of the
    classes it holds, with the memos they share."""
    gen = _Mirrors()
    body: list[str] = []
    for plan in reachable(cls):
        fn = gen.function(plan.cls)
        call = [
            f"{gen.const(plan.cls)}(",
            *(f"            {gen.argument(f, f's.{f.name}')}," for f in plan.fields),
            "        )",
        ]
        if plan.shared:
            # Equal values of a document share one object (see `build_call`).
            body += [
                f"    shared_{fn} = {{}}",
                f"    def {fn}(s):",
                f"        made = shared_{fn}[s] = {call[0]}",
                *call[1:],
                "        return made",
            ]
        else:
            body += [f"    def {fn}(s):", f"        return {call[0]}", *call[1:]]
    memos = []
    for found, fill, kind in gen.memos.values():
        value = "t" if kind.decode is None else f"{gen.const(kind.decode)}(t)"
        memos += [
            f"    {found} = {{}}",
            f"    def {fill}(t):",
            f"        made = {found}[t] = {value}",
            "        return made",
        ]
    source = "\n".join(["def builders():", *memos, *body, f"    return {gen.function(cls)}", ""])
    return generate(source, "reader", cls, gen.names)["builders"]


def _reader(cls: type) -> tuple[msgspec.json.Decoder[Any], Any] | None:
    """The decoder of ``cls`` documents and the factory of their builders; None for a class
    the fast path does not read."""

    def make() -> tuple[msgspec.json.Decoder[Any], Any] | None:
        try:
            return _document(cls), _factory(cls)
        except NoFastPath:
            return None

    return once("document", cls, make)


def decode(text: str | bytes, cls: type) -> Any:
    """The ``cls`` object the fast path alone reads from a JSON document, or :data:`FAILED`
    (then the general path decides). A document that is not exactly what the writer writes of
    it, whitespace aside, is left to the general path too: it may repeat a key."""
    try:
        raw = text.encode() if isinstance(text, str) else text
    except UnicodeEncodeError:
        return FAILED
    wire = read(raw, cls)
    if wire is FAILED or not canonical(wire, raw):
        return FAILED
    return build(wire, cls)


def read(raw: bytes, cls: type) -> Any:
    """The mirror of a ``cls`` document, or :data:`FAILED` (then use the general path)."""
    reader = _reader(cls)
    if reader is None:
        return FAILED
    try:
        wire = reader[0].decode(raw)
    except (msgspec.DecodeError, RecursionError):  # not this shape: the general path reports
        return FAILED
    # An older version is upgraded on the general path (tradetruce.wire._upgrade).
    return wire if wire.format == FORMAT else FAILED


def canonical(wire: Any, raw: bytes) -> bool:
    """Whether ``raw`` is exactly what the writer makes of ``wire``, whitespace aside.

    msgspec keeps the last of repeated keys; a document whose compact form is the writer's
    text has no repeated key. Anything else (keys in another order, defaults written out,
    escaped characters, repeated keys) asks the caller to check the document the slow way.
    """
    return msgspec.json.encode(wire) == msgspec.json.format(raw, indent=-1)


def build(wire: Any, cls: type) -> Any:
    """The ``cls`` object built from its mirror, or :data:`FAILED` (then use the general path)."""
    reader = _reader(cls)
    if reader is None:
        return FAILED
    try:
        return reader[1]()(wire)
    except Exception:  # any failure: the general path reads it again, and reports it
        return FAILED


#: The depth of a class that holds itself: no limit lets the fast path read it.
_UNBOUNDED: Final = 1 << 30


def depth_of(cls: type) -> int:
    """The deepest nesting of objects and arrays a valid ``cls`` document can have."""
    return once("depth", cls, lambda: _depth(cls, frozenset()))


def _depth(cls: type, seen: frozenset[type]) -> int:
    if cls in seen:
        return _UNBOUNDED

    def nested(inner: type) -> int:
        return _depth(inner, seen | {cls})

    return 1 + max((f.kind.depth(nested) for f in plan_of(cls).fields), default=0)
