"""Resolving due times counted from another entity's event (:mod:`tradetruce.model.relative`).

A deadline entry with ``due_after`` (and no ``due``) gets its due time here, for a view as
known at ``k``: the first event of the named entity's history that moves it to the named status,
read by the one fold (its corrections applied, only what was recorded by ``k``), at the time the
fold gives that event, shifted by the duration. While no such event is known the entry is left
as it is, and its due time reads as unknown (``../..``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs

from tradetruce.model.deadline import Deadline
from tradetruce.model.entries import DeadlineEntry
from tradetruce.model.history import Claims, corrected
from tradetruce.values.when import When

__all__ = ["has_relative", "resolved_history"]


def has_relative(deadline: object) -> bool:
    """True for a deadline with an entry whose due time is counted from an event."""
    return isinstance(deadline, Deadline) and any(
        e.due is None and e.due_after is not None for e in deadline.history
    )


def resolved_history(
    deadline: Deadline,
    lookup: Callable[[str], Any],
    known_at: int | None,
    published: Mapping[str, When | None],
) -> tuple[DeadlineEntry, ...]:
    """``deadline``'s history with every due time counted from an event resolved as known at
    ``known_at`` (microseconds; ``None``: everything), where that event is known; ``lookup``
    finds an entity by id (``None`` when there is none)."""
    out: list[DeadlineEntry] = []
    for entry in deadline.history:
        rel = entry.due_after
        if entry.due is None and rel is not None:
            event = event_time(lookup(rel.entity), rel.to, known_at, published)
            if event is not None:
                entry = attrs.evolve(entry, due=rel.resolve(event))
        out.append(entry)
    return tuple(out)


def event_time(
    entity: Any, status: str, known_at: int | None, published: Mapping[str, When | None]
) -> When | None:
    """When ``entity`` first moved to ``status``, as known at ``known_at``; ``None`` when no
    such event is known (or there is no such entity)."""
    if entity is None or not hasattr(entity, "history"):
        return None
    history = corrected(entity.history, entity.corrections, known_at, published)
    claims = Claims.of(history)
    for win, time in zip(claims.winners, claims.times, strict=True):
        if win.to == status and win.from_ != win.to:
            return time
    return None
