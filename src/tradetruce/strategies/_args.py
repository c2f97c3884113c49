"""Checking the arguments of the strategy functions.

Every keyword argument takes a value or a strategy of values. A value is checked when the
strategy function is called, so a bad argument fails before any test runs; a strategy cannot
be checked before it is drawn from, so each value it gives is checked as it is drawn. Either
way the error is Hypothesis' :class:`~hypothesis.errors.InvalidArgument`, naming the argument.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from enum import Enum
from typing import Any, TypeVar, cast

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from tradetruce.errors import TradeTruceError
from tradetruce.model.deadline import Deadline
from tradetruce.model.entries import DeadlineEntry, MeasureEntry, NegotiationEntry
from tradetruce.model.lifecycle import (
    DEADLINE,
    LIFECYCLES,
    MEASURE,
    NEGOTIATION,
    DeadlineStatus,
    Lifecycle,
    MeasureStatus,
    NegotiationStatus,
)
from tradetruce.model.measure import Measure
from tradetruce.model.negotiation import Negotiation
from tradetruce.model.party import Party
from tradetruce.model.scenario import Scenario
from tradetruce.values import _validate

T = TypeVar("T")
AnyLifecycle = Lifecycle[MeasureStatus] | Lifecycle[DeadlineStatus] | Lifecycle[NegotiationStatus]


def checked(name: str, check: Callable[[Any], T], value: object) -> T:
    """``check(value)``, its complaint re-raised as InvalidArgument naming ``name``."""
    try:
        return check(value)
    except (InvalidArgument, TypeError, ValueError) as exc:  # tradetruce's errors included
        raise InvalidArgument(f"{name}={value!r}: {exc}") from None


def narrow(
    name: str, value: object, check: Callable[[Any], T], default: SearchStrategy[T]
) -> SearchStrategy[T]:
    """``default`` when ``value`` is None; a checked value as ``just``; a strategy, checked as
    it draws."""
    if value is None:
        return default
    if isinstance(value, SearchStrategy):
        return _checking(name, value, check)
    return st.just(checked(name, check, value))


@functools.lru_cache(maxsize=1024)
def _checking(
    name: str, values: SearchStrategy[Any], check: Callable[[Any], T]
) -> SearchStrategy[T]:
    return values.map(functools.partial(checked, name, check))


#: What an argument becomes: None (draw the default), a checked value, or a strategy whose
#: values are checked as they are drawn. Unlike :func:`narrow`'s ``just``, a value stays a value,
#: so a strategy built from it can be cached on it.
Spec = Any


def spec(name: str, value: object, check: Callable[[Any], Any]) -> Spec:
    if value is None:
        return None
    if isinstance(value, SearchStrategy):
        return _checking(name, value, check)
    return checked(name, check, value)


def drawn(draw: st.DrawFn, spec: Spec, default: SearchStrategy[T]) -> T:
    """The value a :func:`spec` stands for in one example."""
    if spec is None:
        return draw(default)
    if isinstance(spec, SearchStrategy):
        return cast("T", draw(spec))
    return cast("T", spec)


@functools.cache
def member(kind: type[Enum]) -> Callable[[Any], Any]:
    """A check that accepts a member of ``kind`` or its value (``"tariff"``)."""

    def check(value: object) -> Any:
        if isinstance(value, kind):
            return value
        for m in kind:
            if isinstance(value, str) and m.value == value:
                return m
        allowed = ", ".join(repr(m.value) for m in kind)
        raise InvalidArgument(f"{value!r} is not a {kind.__name__}; allowed: {allowed}")

    return check


def status_of(lifecycle: AnyLifecycle) -> Callable[[Any], Any]:
    """A check that accepts a status of ``lifecycle`` or its value (``"in_force"``)."""
    enum_check = member(lifecycle.status_type)

    def check(value: object) -> Any:
        status = enum_check(value)
        if status not in lifecycle.table:
            allowed = ", ".join(repr(m.value) for m in lifecycle.statuses)
            raise InvalidArgument(f"{value!r} is not a {lifecycle.name} status; allowed: {allowed}")
        return status

    return check


def an_id(value: object) -> str:
    _validate.check_id(value)
    assert isinstance(value, str)
    return value


@functools.cache
def optional(check: Callable[[Any], T]) -> Callable[[Any], T | None]:
    """``check``, letting None through (cached, so that strategies built on it can be)."""
    return lambda value: None if value is None else check(value)


def id_tuple(value: object) -> tuple[str, ...]:
    """Distinct ids, as a tuple."""
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise InvalidArgument(f"{value!r} is not a sequence of ids")
    for item in value:
        _validate.check_id(item)
    if len(set(value)) != len(value):
        raise InvalidArgument(f"{value!r} repeats an id")
    return tuple(value)


def nonempty_ids(value: object) -> tuple[str, ...]:
    ids = id_tuple(value)
    if not ids:
        raise InvalidArgument("needs at least one id")
    return ids


def two_or_more(value: object) -> tuple[str, ...]:
    ids = id_tuple(value)
    if len(ids) < 2:
        raise InvalidArgument("talks need at least two distinct parties")
    return ids


def size(name: str, value: object, *, low: int = 0) -> int:
    if type(value) is not int or value < low:
        raise InvalidArgument(f"{name}={value!r}: expected a whole number >= {low}")
    return value


def flag(name: str, value: object) -> bool:
    if type(value) is not bool:
        raise InvalidArgument(f"{name}={value!r}: expected True or False")
    return value


_LIFECYCLE_OF: Mapping[object, AnyLifecycle] = {
    Measure: MEASURE,
    Deadline: DEADLINE,
    Negotiation: NEGOTIATION,
    MeasureEntry: MEASURE,
    DeadlineEntry: DEADLINE,
    NegotiationEntry: NEGOTIATION,
    MeasureStatus: MEASURE,
    DeadlineStatus: DEADLINE,
    NegotiationStatus: NEGOTIATION,
}


def lifecycle(value: object) -> AnyLifecycle:
    """A lifecycle from itself, its name, an entity class, an entry class or a status enum."""
    if isinstance(value, Lifecycle):
        return value
    if isinstance(value, str) and value in LIFECYCLES:
        return LIFECYCLES[value]
    if isinstance(value, type) and value in _LIFECYCLE_OF:
        return _LIFECYCLE_OF[value]
    raise InvalidArgument(
        f"{value!r} is not a lifecycle; expected MEASURE, DEADLINE or NEGOTIATION, their names "
        "('measure', 'deadline', 'negotiation'), or Measure, Deadline or Negotiation"
    )


#: (id, lifecycle name) pairs, sorted: the entities a deadline or a deal may name.
Pool = tuple[tuple[str, str], ...]


def entity_pool(name: str, value: Mapping[str, Any] | None) -> Pool:
    """Sorted (id, lifecycle name) pairs from a mapping id -> lifecycle (or its name, or
    class)."""
    if value is None:
        value = {"m0": MEASURE, "m1": MEASURE, "d0": DEADLINE, "n0": NEGOTIATION}
    if not isinstance(value, Mapping):
        raise InvalidArgument(f"{name}={value!r}: expected a mapping id -> lifecycle")
    pool = {checked(name, an_id, k): checked(name, lifecycle, lc).name for k, lc in value.items()}
    return tuple(sorted(pool.items()))


def checked_pool(name: str, value: Mapping[str, Any] | None) -> Pool:
    """:func:`entity_pool`, refusing an empty one."""
    pool = entity_pool(name, value)
    if not pool:
        raise InvalidArgument(f"{name}={value!r}: expected a non-empty mapping id -> lifecycle")
    return pool


def party_tuple(value: object) -> tuple[Party, ...]:
    """Parties with distinct ids whose parents form a tree among them."""
    if not isinstance(value, Sequence) or not all(isinstance(p, Party) for p in value):
        raise InvalidArgument(f"{value!r} is not a sequence of Party objects")
    ids = [p.id for p in value]
    if not ids:
        raise InvalidArgument("needs at least one party")
    if len(set(ids)) != len(ids):
        raise InvalidArgument(f"party ids repeat: {ids}")
    try:  # the Scenario itself finds unknown parents and cycles, with its own message
        Scenario(parties=tuple(value))
    except TradeTruceError as exc:
        raise InvalidArgument(str(exc)) from None
    return tuple(value)
