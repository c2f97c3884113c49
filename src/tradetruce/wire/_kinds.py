"""Value kinds: how each type of field value goes on the wire, described once.

The wire plan (:mod:`tradetruce.wire._plan`) gives every field a kind. A kind holds all that the
readers, the writers and the JSON Schema need to know about one type of value, so a new kind of
field is one new kind, and nothing else changes:

* ``reader``: the general (cattrs) reader's check of a wire value, which raises
  :class:`ValueProblem` (a problem at the value's path), and the model value it reads;
* ``mirror`` and ``build``: the msgspec type the fast JSON reader decodes the value into, and the
  generated code that turns the decoded value into the model's;
* ``out``: the generated code that turns a model value into what msgspec writes;
* ``unstructurer``: the same as a function, for cattrs converters;
* ``schema``: its JSON Schema.

Values written as one JSON string, number or boolean are :class:`Scalar` instances (data: the
scalars of the format are in :mod:`tradetruce.wire._scalars`); the three kinds made of other
kinds (:class:`Nested`, :class:`Many`, :class:`Optional`) are classes whose methods recurse.
"""

from __future__ import annotations

import abc
import datetime as _dt
import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from enum import Enum
from typing import Any, Protocol

import attrs

from tradetruce.errors import InvalidValueError

__all__ = [
    "Keyed",
    "Kind",
    "Many",
    "Nested",
    "OneOf",
    "Optional",
    "Scalar",
    "ValueProblem",
    "anchored",
    "kind_of",
]


class ValueProblem(InvalidValueError):
    """A wire value that cannot be read, reported at the exact path where it sits."""

    def __init__(self, message: str, allowed: str = "", value: object = None):
        super().__init__(message, allowed=allowed, value=value)
        self.message = message


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


def anchored(*patterns: re.Pattern[str] | str) -> str:
    """A JSON Schema pattern matching the whole text: the patterns in sequence, anchored."""
    return "^" + "".join(p.pattern if isinstance(p, re.Pattern) else p for p in patterns) + "$"


# ------------------------------------------------------------------------ what kinds need
class Code(Protocol):
    """What the code generators give the kinds: names for objects in generated code."""

    def const(self, obj: object) -> str:
        """A name under which generated code sees ``obj``."""
        ...

    def fresh(self) -> str:
        """A new local name (a loop variable)."""
        ...


class BuildCode(Code, Protocol):
    def struct(self, cls: type) -> Any:
        """The msgspec struct mirroring ``cls``."""
        ...

    def build_call(self, cls: type, expr: str) -> str:
        """Code building a ``cls`` from its mirror struct ``expr``."""
        ...

    def memo(self, kind: Scalar) -> tuple[str, str]:
        """Names of a per-document memo of ``kind``'s values and of its filling function."""
        ...


class WriteCode(Code, Protocol):
    def write_call(self, cls: type, expr: str) -> str:
        """Code turning the ``cls`` object ``expr`` into what msgspec writes."""
        ...


class ReadHooks(Protocol):
    def nested(self, cls: type) -> Callable[[object], Any]:
        """The reader of an object of ``cls``."""
        ...

    def items(
        self, read: Callable[[object], Any], value: list[Any] | tuple[Any, ...], kind: Many
    ) -> tuple[Any, ...]:
        """Read every item of an array, collecting the problems of each."""
        ...


class WriteHooks(Protocol):
    def nested(self, cls: type) -> Callable[[Any], Any]:
        """The writer of an object of ``cls``, as plain wire values."""
        ...


class Kind(abc.ABC):
    """How one type of value goes on the wire (see the module docs)."""

    allowed: str  # what is accepted, in words

    @abc.abstractmethod
    def reader(self, hooks: ReadHooks) -> Callable[[object], Any]:
        """The general reader: a wire value to the model value, or an exception to report."""

    @abc.abstractmethod
    def mirror(self, gen: BuildCode) -> Any:
        """The msgspec type the fast reader decodes a value into."""

    @abc.abstractmethod
    def build(self, expr: str, gen: BuildCode) -> str:
        """Code turning the decoded value ``expr`` into the model value."""

    @abc.abstractmethod
    def out(self, expr: str, gen: WriteCode) -> str:
        """Code turning the model value ``expr`` into what msgspec writes."""

    @abc.abstractmethod
    def unstructurer(self, hooks: WriteHooks) -> Callable[[Any], Any]:
        """A model value to its plain wire value (for cattrs, and for writing defaults)."""

    @abc.abstractmethod
    def schema(self, ref: Callable[[type], dict[str, Any]]) -> dict[str, Any]:
        """The JSON Schema of a value (``ref``: the schema of an object of a class)."""

    def classes(self) -> Iterable[type]:
        """The classes this kind holds objects of."""
        return ()

    def depth(self, nested: Callable[[type], int]) -> int:
        """How deep values of this kind nest arrays and objects (``nested``: of a class)."""
        return 0

    def present(self) -> Kind:
        """The kind of a value of this kind known not to be None."""
        return self


@attrs.frozen(eq=False)
class Scalar(Kind):
    """A value written as one JSON string, number or boolean.

    Attributes:
        label: what it is, in a word or two ("text", "id").
        allowed: what is accepted, in words.
        read: the general reader: a wire value to the model value, or a ValueProblem.
        mirror_type: the msgspec type the fast reader decodes it into (no coercion, so never
            more lenient than ``read``).
        decode: the fast reader's conversion of the decoded value (None: it is the model value).
        memo: whether the fast reader builds one model value per distinct wire value of a
            document (time values and codes repeat; ids are shared strings).
        encode: a model value to its wire value: the hooks' rule.
        native: msgspec writes the model value exactly as ``encode`` would, so the hooks leave
            the conversion to it.
        json_schema: the JSON Schema; a value may be a function giving it, called when a
            schema is made.
    """

    label: str
    allowed: str
    read: Callable[[object], Any]
    mirror_type: Any
    json_schema: dict[str, Any]
    encode: Callable[[Any], Any] = attrs.field(default=lambda v: v)
    native: bool = True
    decode: Callable[[Any], Any] | None = None
    memo: bool = False

    def refine(self, label: str, *, memo: bool | None = None, **schema: Any) -> Scalar:
        """The same kind of value with a narrower schema (an id is text of a pattern)."""
        return attrs.evolve(
            self,
            label=label,
            memo=self.memo if memo is None else memo,
            json_schema={**self.json_schema, **schema},
        )

    def reader(self, hooks: ReadHooks) -> Callable[[object], Any]:
        return self.read

    def mirror(self, gen: BuildCode) -> Any:
        return self.mirror_type

    def build(self, expr: str, gen: BuildCode) -> str:
        if self.memo:
            # Model values are never false (a When, an HSCode); a miss fills the memo.
            found, fill = gen.memo(self)
            return f"({found}.get({expr}) or {fill}({expr}))"
        if self.decode is None:
            return expr
        return f"{gen.const(self.decode)}({expr})"

    def out(self, expr: str, gen: WriteCode) -> str:
        return expr if self.native else f"{gen.const(self.encode)}({expr})"

    def unstructurer(self, hooks: WriteHooks) -> Callable[[Any], Any]:
        return self.encode

    def schema(self, ref: Callable[[type], dict[str, Any]]) -> dict[str, Any]:
        return {k: val() if callable(val) else val for k, val in self.json_schema.items()}


@attrs.frozen(eq=False)
class Nested(Kind):
    """An object of another class, written as a JSON object."""

    cls: type
    allowed: str

    def reader(self, hooks: ReadHooks) -> Callable[[object], Any]:
        return hooks.nested(self.cls)

    def mirror(self, gen: BuildCode) -> Any:
        return gen.struct(self.cls)

    def build(self, expr: str, gen: BuildCode) -> str:
        return gen.build_call(self.cls, expr)

    def out(self, expr: str, gen: WriteCode) -> str:
        return gen.write_call(self.cls, expr)

    def unstructurer(self, hooks: WriteHooks) -> Callable[[Any], Any]:
        return hooks.nested(self.cls)

    def schema(self, ref: Callable[[type], dict[str, Any]]) -> dict[str, Any]:
        return ref(self.cls)

    def classes(self) -> Iterable[type]:
        return (self.cls,)

    def depth(self, nested: Callable[[type], int]) -> int:
        return nested(self.cls)


@attrs.frozen(eq=False)
class Many(Kind):
    """A tuple, written as a JSON array."""

    item: Kind
    unique: bool = False

    @property
    def allowed(self) -> str:  # type: ignore[override]
        return f"an array of {self.item.allowed}"

    def reader(self, hooks: ReadHooks) -> Callable[[object], Any]:
        read = self.item.reader(hooks)

        def read_many(value: object) -> tuple[Any, ...]:
            if type(value) is not list and type(value) is not tuple:
                raise ValueProblem(f"expected an array, not {kind_of(value)}", self.allowed, value)
            return hooks.items(read, value, self)

        return read_many

    def mirror(self, gen: BuildCode) -> Any:
        return tuple[self.item.mirror(gen), ...]  # type: ignore[misc]

    def build(self, expr: str, gen: BuildCode) -> str:
        name = gen.fresh()
        item = self.item.build(name, gen)
        return expr if item == name else f"tuple([{item} for {name} in {expr}])"

    def out(self, expr: str, gen: WriteCode) -> str:
        name = gen.fresh()
        item = self.item.out(name, gen)
        return expr if item == name else f"[{item} for {name} in {expr}]"

    def unstructurer(self, hooks: WriteHooks) -> Callable[[Any], Any]:
        write = self.item.unstructurer(hooks)
        return lambda value: [write(v) for v in value]

    def schema(self, ref: Callable[[type], dict[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "array", "items": self.item.schema(ref)}
        if self.unique:
            out["uniqueItems"] = True
        return out

    def classes(self) -> Iterable[type]:
        return self.item.classes()

    def depth(self, nested: Callable[[type], int]) -> int:
        return 1 + self.item.depth(nested)


@attrs.frozen(eq=False)
class Optional(Kind):
    """A value or None (JSON null, or a key left out)."""

    inner: Kind

    @property
    def allowed(self) -> str:  # type: ignore[override]
        return f"{self.inner.allowed} (or left out)"

    def reader(self, hooks: ReadHooks) -> Callable[[object], Any]:
        read = self.inner.reader(hooks)
        return lambda value: None if value is None else read(value)

    def mirror(self, gen: BuildCode) -> Any:
        return self.inner.mirror(gen) | None

    def build(self, expr: str, gen: BuildCode) -> str:
        inner = self.inner.build(expr, gen)
        return expr if inner == expr else f"(None if {expr} is None else {inner})"

    def out(self, expr: str, gen: WriteCode) -> str:
        inner = self.inner.out(expr, gen)
        return expr if inner == expr else f"(None if {expr} is None else {inner})"

    def unstructurer(self, hooks: WriteHooks) -> Callable[[Any], Any]:
        write = self.inner.unstructurer(hooks)
        return lambda value: None if value is None else write(value)

    def schema(self, ref: Callable[[type], dict[str, Any]]) -> dict[str, Any]:
        return {"anyOf": [self.inner.schema(ref), {"type": "null"}]}

    def classes(self) -> Iterable[type]:
        return self.inner.classes()

    def depth(self, nested: Callable[[type], int]) -> int:
        return self.inner.depth(nested)

    def present(self) -> Kind:
        return self.inner


# Two kinds only answers hold (views, tariff stacks, changes:
# :data:`tradetruce.wire._plan.ANSWERS`), which are written and never read: their readers refuse.
class _WrittenOnly(Kind):
    def reader(self, hooks: ReadHooks) -> Callable[[object], Any]:
        raise TypeError(f"{self.allowed} is written in answers and never read")

    def mirror(self, gen: BuildCode) -> Any:
        raise TypeError(f"{self.allowed} is written in answers and never read")

    def build(self, expr: str, gen: BuildCode) -> str:
        raise TypeError(f"{self.allowed} is written in answers and never read")


@attrs.frozen(eq=False)
class Keyed(_WrittenOnly):
    """A mapping from id to value (a view's states), written as a JSON object by id."""

    item: Kind

    @property
    def allowed(self) -> str:  # type: ignore[override]
        return f"an object whose values are {self.item.allowed}"

    def out(self, expr: str, gen: WriteCode) -> str:
        key, value = gen.fresh(), gen.fresh()
        return f"{{{key}: {self.item.out(value, gen)} for {key}, {value} in {expr}.items()}}"

    def unstructurer(self, hooks: WriteHooks) -> Callable[[Any], Any]:
        write = self.item.unstructurer(hooks)
        return lambda value: {k: write(v) for k, v in value.items()}

    def schema(self, ref: Callable[[type], dict[str, Any]]) -> dict[str, Any]:
        return {"type": "object", "additionalProperties": self.item.schema(ref)}

    def classes(self) -> Iterable[type]:
        return self.item.classes()

    def depth(self, nested: Callable[[type], int]) -> int:
        return 1 + self.item.depth(nested)


def _not_one_of(value: object) -> Any:
    raise InvalidValueError(
        f"a {type(value).__name__} cannot be written here", value=value, allowed="an answer's own"
    )


@attrs.frozen(eq=False)
class OneOf(_WrittenOnly):
    """An object of one of several classes (a state of any kind, an entry of any entity),
    written as that class's object."""

    options: tuple[type, ...]

    @property
    def allowed(self) -> str:  # type: ignore[override]
        return "an object of " + " or ".join(c.__name__ for c in self.options)

    def out(self, expr: str, gen: WriteCode) -> str:
        code = f"{gen.const(_not_one_of)}({expr})"
        for cls in reversed(self.options):
            test = f"isinstance({expr}, {gen.const(cls)})"
            code = f"{gen.write_call(cls, expr)} if {test} else {code}"
        return f"({code})"

    def unstructurer(self, hooks: WriteHooks) -> Callable[[Any], Any]:
        writers = [(cls, hooks.nested(cls)) for cls in self.options]

        def write(value: Any) -> Any:
            for cls, w in writers:
                if isinstance(value, cls):
                    return w(value)
            return _not_one_of(value)

        return write

    def schema(self, ref: Callable[[type], dict[str, Any]]) -> dict[str, Any]:
        return {"anyOf": [ref(cls) for cls in self.options]}

    def classes(self) -> Iterable[type]:
        return self.options

    def depth(self, nested: Callable[[type], int]) -> int:
        return max(nested(cls) for cls in self.options)
