"""Corrections (retractions and errata, alone or on an entity whose history they correct), and
due times counted from another entity's event."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

import attrs
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from tradetruce.errors import IllegalTransitionError, InvalidValueError
from tradetruce.model.correction import Correction, CorrectionKind
from tradetruce.model.deadline import Deadline
from tradetruce.model.lifecycle import LIFECYCLES
from tradetruce.model.measure import Measure
from tradetruce.model.negotiation import Negotiation
from tradetruce.model.relative import RelativeDue
from tradetruce.strategies import _text
from tradetruce.strategies._durations import durations
from tradetruce.strategies._times import times
from tradetruce.values.when import When

__all__ = ["corrected", "corrections", "relative_dues"]

T = TypeVar("T", Measure, Deadline, Negotiation)


def corrections(
    *, entry: str | None = None, sources: Sequence[str] = ("s0",)
) -> SearchStrategy[Correction]:
    """Corrections on their own: retractions, and errata of an entry's ``at`` (and, now and
    then, of its ``due``), naming the entry ``entry`` (default: ids like ``e0``).

    A correction on its own is not checked against any history: build an entity with it (or
    use :func:`corrected`) for that.
    """
    names = st.just(entry) if entry is not None else _text.ids("e")
    return _corrections(names, st.sampled_from(tuple(sources)))


@st.composite
def _corrections(
    draw: st.DrawFn, names: SearchStrategy[str], sources: SearchStrategy[str]
) -> Correction:
    kind = draw(st.sampled_from(CorrectionKind))
    at: When | None = None
    due: When | None = None
    if kind is CorrectionKind.ERRATUM:
        at = draw(times())
        due = draw(st.none() | times())
    return Correction(
        kind=kind,
        entry=draw(names),
        source=draw(sources),
        recorded=draw(st.none() | times()),
        at=at,
        due=due,
        note=draw(_text.notes),
    )


def corrected(entities: SearchStrategy[T], *, max_corrections: int = 3) -> SearchStrategy[T]:
    """Entities drawn from ``entities`` with an id on every history entry (``e0``, ``e1``...)
    and up to ``max_corrections`` corrections, each recorded at an explicit time: retractions
    of an entry, and errata that move an entry's time to its own or a neighbour's. A drawn
    correction after which the history would not be legal is left out, so every entity drawn
    builds (a retraction of the last event survives most often).

    >>> from hypothesis import given
    >>> from tradetruce.strategies import deadlines
    >>> @given(corrected(deadlines()))
    ... def test_reads(deadline):
    ...     assert deadline.status in deadline.allowed_transitions() | {deadline.status}
    >>> test_reads()
    """
    return _corrected(entities, max_corrections)


@st.composite
def _corrected(draw: st.DrawFn, entities: SearchStrategy[T], most: int) -> T:
    entity = draw(entities)
    history = tuple(attrs.evolve(e, id=f"e{i}") for i, e in enumerate(entity.history))
    base: Any = attrs.evolve(entity, history=history, corrections=())
    found: list[Correction] = []
    for _ in range(draw(st.integers(0, most))):
        target = draw(st.integers(0, len(history) - 1))
        entry = history[target]
        recorded = draw(times())
        if draw(st.booleans()):
            fix = Correction(
                kind=CorrectionKind.RETRACTION,
                entry=entry.id or "",
                source=entry.source,
                recorded=recorded,
            )
        else:
            fix = Correction(
                kind=CorrectionKind.ERRATUM,
                entry=entry.id or "",
                source=entry.source,
                recorded=recorded,
                at=draw(_between(history, target)),
            )
        try:
            base = attrs.evolve(base, corrections=(*found, fix))
        except (InvalidValueError, IllegalTransitionError):
            continue  # not a legal correction of this history: drawn, and left out
        found.append(fix)
    result: T = base
    return result


def _between(history: Sequence[Any], i: int) -> SearchStrategy[When]:
    """A day in the zone of entry ``i`` between its neighbours' times (or its own time)."""
    own: When = history[i].at
    return st.sampled_from(
        tuple(
            w
            for w in (own, *(history[j].at for j in (i - 1, i + 1) if 0 <= j < len(history)))
            if w is not None
        )
    )


def relative_dues(
    *, entity: str | None = None, lifecycle: str = "negotiation"
) -> SearchStrategy[RelativeDue]:
    """Due times counted from an event: ``after`` the first time ``entity`` (default: ids like
    ``n0``) moves to a status of the lifecycle named ``lifecycle`` (``negotiation``,
    ``measure`` or ``deadline``)."""
    names = st.just(entity) if entity is not None else _text.ids("n")
    statuses = st.sampled_from(tuple(m.value for m in LIFECYCLES[lifecycle].statuses))
    return st.builds(RelativeDue, names, statuses, durations())
