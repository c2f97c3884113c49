"""Error reports: what the general reader raises, turned into problems at JSON paths.

The cattrs hooks (:mod:`tradetruce.wire._convert`) collect every failure of a document in a tree
of exceptions; :func:`report` walks it into :class:`~tradetruce.errors.Problem` values. Paths
come from structured data only: cattrs' notes (the field, the array index), the wire plan (the
field's key), an error's ``field`` and an :class:`~tradetruce.errors.IllegalTransitionError`'s
``index``; never from message text.

A hostile document can fail a million times. While one document is read, a :class:`Budget`
(held in a context variable, so each thread and each call has its own) bounds how many failing
array items and unknown keys are kept; the others are only counted (:class:`Truncated`), and the
report lists the first problems and says how many more there were.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from typing import Any, Final

import attrs
from cattrs.errors import ClassValidationError, IterableValidationError, IterableValidationNote

from tradetruce.errors import (
    IllegalTransitionError,
    InvalidDataError,
    InvalidValueError,
    Problem,
    TradeTruceError,
    did_you_mean,
)
from tradetruce.wire._kinds import ValueProblem
from tradetruce.wire._plan import PlanError, plan_of

__all__ = ["Truncated", "UnknownKeys", "budget", "count", "report", "unknown_keys"]


class Budget:
    """How many more failures the reader of one document keeps for its report."""

    def __init__(self, left: int):
        self.left = left
        self.spent = 0

    def take(self) -> bool:
        """Spend one unit: True while there is one to spend."""
        if self.left > 0:
            self.left -= 1
            self.spent += 1
            return True
        return False


_BUDGET: Final[ContextVar[Budget | None]] = ContextVar("tradetruce_wire_budget", default=None)


@contextlib.contextmanager
def budget() -> Iterator[None]:
    """Bound the failures kept while one document is read (outside, everything is kept: a
    converter made by :func:`tradetruce.make_converter` behaves as cattrs does)."""
    token = _BUDGET.set(Budget(InvalidDataError.MAX_PROBLEMS))
    try:
        yield
    finally:
        _BUDGET.reset(token)


def keep() -> bool:
    """Whether the failure at hand is kept for the report (else it is only counted)."""
    current = _BUDGET.get()
    return current is None or current.take()


def spent() -> int:
    """How many failures have been kept so far (a reader of an array compares the count before
    and after an item: an item holding kept failures is kept whole, whatever is left)."""
    current = _BUDGET.get()
    return 0 if current is None else current.spent


class Truncated(Exception):
    """Failures found and counted, but not kept."""

    def __init__(self, more: int):
        super().__init__(more)
        self.more = more


class UnknownKeys(Exception):
    """Keys that ``cls`` does not have."""

    def __init__(self, cls: type, keys: Iterable[object]):
        self.cls = cls
        self.keys = tuple(keys)
        super().__init__(cls, self.keys)


def unknown_keys(data: dict[Any, Any], known: frozenset[str], cls: type) -> list[Exception]:
    """The unknown keys of ``data``, as the failures to report (none when all are known)."""
    kept = []
    more = 0
    for key in data:
        if key not in known:
            if keep():
                kept.append(key)
            else:
                more += 1
    found: list[Exception] = [UnknownKeys(cls, kept)] if kept else []
    if more:
        found.append(Truncated(more))
    return found


def report(exc: BaseException, cls: type) -> InvalidDataError:
    """The error listing every problem in ``exc`` (a failure to read a ``cls``)."""
    problems: list[Problem] = []
    more = 0
    for found in _walk(exc, "$", cls):
        if isinstance(found, int):
            more += found
        elif len(problems) < InvalidDataError.MAX_PROBLEMS:
            problems.append(found)
        else:
            more += 1
    if not problems:
        problems.append(Problem("$", _describe(exc)))
    return InvalidDataError(problems, more=more)


def count(exc: BaseException) -> int:
    """How many problems ``exc`` holds (for a failure that is not kept)."""
    return sum(found if isinstance(found, int) else 1 for found in _walk(exc, "$", None))


def _walk(exc: BaseException, path: str, cls: Any) -> Iterator[Problem | int]:
    """The problems in ``exc`` at ``path``, and counts of those not kept. ``cls`` is the class
    whose fields an error's ``field`` may name (the class whose constructor raised it)."""
    if isinstance(exc, ClassValidationError):
        plan = plan_of(exc.cl)
        with_notes, others = exc.group_exceptions()
        for sub, note in with_notes:
            field = plan.field(note.name)
            where = f"{path}.{field.key}"
            if type(sub) is KeyError:  # cattrs' lookup of a key that is not there
                yield Problem(where, "required key is missing", field.kind.allowed)
            else:
                yield from _walk(sub, where, None)
        for sub in others:
            yield from _walk(sub, path, exc.cl)
    elif isinstance(exc, IterableValidationError):
        for sub in exc.exceptions:
            notes = [
                n for n in getattr(sub, "__notes__", ()) if isinstance(n, IterableValidationNote)
            ]
            yield from _walk(sub, f"{path}[{notes[0].index}]" if notes else path, None)
    elif isinstance(exc, Truncated):
        yield exc.more
    elif isinstance(exc, UnknownKeys):
        plan = plan_of(exc.cls)
        known = plan.declared_keys
        keys = [f.key for f in plan.fields]
        for key in exc.keys:
            yield Problem(
                f"{path}.{key}",
                f"unknown key {key!r}{did_you_mean(key, keys)}",
                f"the keys of {exc.cls.__name__}: {known}",
            )
    elif isinstance(exc, ValueProblem):
        yield Problem(path, exc.message, exc.allowed)
    elif isinstance(exc, InvalidDataError):
        for p in exc.problems:
            yield attrs.evolve(p, path=path + p.path[1:] if p.path.startswith("$") else p.path)
        if exc.more:
            yield exc.more
    elif isinstance(exc, IllegalTransitionError):
        where = path if exc.index is None else f"{path}.history[{exc.index}].{exc.field}"
        if exc.field == "from":
            allowed = "no from (a first entry)" if exc.source is None else f"from = {exc.source}"
        else:
            allowed = ", ".join(exc.allowed) or "none: a terminal status"
        yield Problem(where, str(exc), allowed, exc.entity)
    elif isinstance(exc, InvalidValueError):
        message = str(exc.args[0]) if exc.args else str(exc)
        yield Problem(_field_path(path, exc.field, cls), message, exc.allowed)
    elif isinstance(exc, TradeTruceError):
        yield Problem(path, str(exc))
    else:
        yield Problem(path, _describe(exc))


def _describe(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _field_path(path: str, field: str, cls: Any) -> str:
    """``path`` extended by the field an error names (``targets[2]``, ``history[1].at``),
    when its first part is a field of ``cls``."""
    if not field or cls is None:
        return path
    cut = min((i for i in (field.find("["), field.find(".")) if i >= 0), default=len(field))
    try:
        key = plan_of(cls).field(field[:cut]).key
    except (KeyError, PlanError):
        return path
    return f"{path}.{key}{field[cut:]}"
