"""The writer: objects to msgspec structs that msgspec writes as wire JSON in one compiled pass.

For each class, generated straight-line code (derived from the wire plan) turns an object into a
struct whose fields are the wire keys in wire order. Fields to leave out (None, or equal to the
default) are set to ``msgspec.UNSET``, which msgspec never writes; enums and decimals are
written by msgspec itself, time values and HS codes as their text. Every writer starts here:
:func:`encode` gives the JSON bytes, which ``to_json`` indents, ``to_dict`` reads back into dicts
and ``to_toml`` writes as TOML. The structs are not tracked by the garbage collector (they hold
no cycles), so writing a large scenario allocates little that the collector must traverse.
"""

from __future__ import annotations

import functools
from typing import Any, Final

import msgspec

from tradetruce.errors import InvalidValueError
from tradetruce.wire._plan import (
    ANSWERS,
    FORMAT,
    Field,
    Names,
    Omit,
    generate,
    once,
    plan_of,
    reachable,
)

__all__ = ["encode"]

_PREFIX: Final = msgspec.json.encode({"format": FORMAT})[:-1]
UNSET: Final[Any] = msgspec.UNSET
_NO_DEFAULT: Final[Any] = msgspec.NODEFAULT


class _Writers(Names):
    """The code generator of the writers of one class and of every class it holds."""

    def __init__(self) -> None:
        super().__init__()
        self.names["UNSET"] = UNSET
        self._classes: dict[type, str] = {}

    def write_call(self, cls: type, expr: str) -> str:
        return f"{self.function(cls)}({expr})"

    def function(self, cls: type) -> str:
        """The name of the writer of ``cls`` in the generated code."""
        name = self._classes.get(cls)
        if name is None:
            name = self._classes[cls] = f"write_{cls.__name__}_{len(self._classes)}"
        return name

    def field(self, f: Field) -> str:
        """The argument writing field ``f`` of ``o`` into its struct (UNSET: left out)."""
        if f.omit is Omit.NEVER:
            return f"{f.name}={f.kind.out('o.' + f.name, self)}"
        if f.omit is Omit.NONE:
            test, out = "is None", f.kind.present().out("v", self)
        else:
            test = ("is " if f.omit is Omit.IS else "== ") + self.const(f.default)
            out = f.kind.out("v", self)
        return f"{f.name}=(UNSET if (v := o.{f.name}) {test} else {out})"


def _struct(cls: type) -> Any:
    """The struct ``cls`` objects are written through: the wire keys, in wire order."""
    plan = plan_of(cls)
    fields = [
        (f.name, object, msgspec.field(name=f.key, default=_NO_DEFAULT if f.required else UNSET))
        for f in plan.fields
    ]
    return msgspec.defstruct(f"{cls.__name__}Out", fields, kw_only=True, gc=False)


def _writer(cls: type) -> Any:
    """The function turning a ``cls`` object into its struct (generated once per class)."""
    gen = _Writers()
    lines = []
    for plan in reachable(cls):
        struct = gen.const(once("out", plan.cls, functools.partial(_struct, plan.cls)))
        lines += [
            f"def {gen.function(plan.cls)}(o):",
            f"    return {struct}(",
            *(f"        {gen.field(f)}," for f in plan.fields),
            "    )",
            "",
        ]
    return generate("\n".join(lines), "writer", cls, gen.names)[gen.function(cls)]


def _prefix(cls: type) -> bytes:
    """What a document of ``cls`` starts with: its format, and for an answer its class."""
    if cls in ANSWERS:
        return msgspec.json.encode({"format": FORMAT, "answer": cls.__name__})[:-1]
    return _PREFIX


def encode(obj: object, cls: type) -> bytes:
    """The JSON document of ``obj`` (an instance of ``cls``), ``format`` first (and for an
    answer, ``answer``: its class name).

    Raises:
        InvalidValueError: text that UTF-8 cannot write, a number out of range, or a value the
            format has no way to write.
    """
    write = once("writer", cls, lambda: _writer(cls))
    try:
        body = msgspec.json.encode(write(obj))
    except InvalidValueError:
        raise
    except UnicodeEncodeError as exc:
        raise InvalidValueError(
            f"cannot write {type(obj).__name__}: text holds a lone surrogate "
            f"(U+{ord(exc.object[exc.start]):04X}), which UTF-8 cannot write",
            value=obj,
            allowed="text that UTF-8 can write (no lone surrogates)",
        ) from None
    except (msgspec.EncodeError, TypeError, ValueError) as exc:
        raise InvalidValueError(
            f"cannot write {type(obj).__name__}: {exc}",
            value=obj,
            allowed="objects built by tradetruce, whose values the format can write",
        ) from None
    prefix = once("prefix", cls, lambda: _prefix(cls))
    return prefix + (b"}" if body == b"{}" else b"," + body[1:])
