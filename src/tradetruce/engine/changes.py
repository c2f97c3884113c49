"""Changes: the transitions and amendments whose valid time can fall between two instants.

:meth:`tradetruce.Scenario.changes` answers from the winning history entries kept in the
scenario's time index (:mod:`tradetruce.engine.timeindex`); competing claims about one event give
one change, marked ``disputed`` when they disagree.
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Any

import attrs

from tradetruce.engine.states import status_text
from tradetruce.errors import InvalidValueError
from tradetruce.model.entries import DeadlineEntry, Entry, MeasureEntry
from tradetruce.values.when import When

if TYPE_CHECKING:
    from tradetruce.engine.timeindex import Index

__all__ = ["Change", "changes", "check_interval"]


@attrs.frozen(kw_only=True)
class Change:
    """A transition or amendment of one entity (see :meth:`tradetruce.Scenario.changes`).

    Attributes:
        entity: the entity's id.
        kind: ``measure``, ``deadline`` or ``negotiation``.
        from_: the status before (``None`` for a first entry).
        to: the status after (equal to ``from_`` for an amendment).
        entry: the history entry (the winning claim, when claims compete).
        disputed: True when competing claims about this event disagree.
    """

    entity: str
    kind: str
    from_: Any
    to: Any
    entry: Entry[Any]
    disputed: bool = False
    time: When | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def at(self) -> When:
        """When the event happens: its most precise claim's time (the winning entry's own
        time, unless a more precise claim about the same event gives a narrower one)."""
        return self.entry.at if self.time is None else self.time

    @property
    def is_amendment(self) -> bool:
        return self.entry.is_amendment

    def __str__(self) -> str:
        move = "amended" if self.is_amendment else f"{status_text(self.from_)} -> {self.to}"
        text = f"{self.at}  {self.kind} {self.entity}: {move}"
        if isinstance(self.entry, MeasureEntry) and self.entry.details():
            text += f" ({'; '.join(self.entry.details())})"
        if isinstance(self.entry, DeadlineEntry) and self.entry.due is not None:
            text += f" (due {self.entry.due})"
        text += f"  [{self.entry.source}, {self.entry.evidence}]"
        if self.disputed:
            text += " [disputed]"
        if self.entry.note:
            text += f"  {self.entry.note}"
        return text


def changes(index: Index, t1: _dt.datetime, t2: _dt.datetime) -> tuple[Change, ...]:
    """The winning entries whose valid time can fall in ``(t1, t2]``, as
    :meth:`tradetruce.Scenario.changes` describes."""
    tables = index.tables()
    result = []
    for ti, i, j in index.entries.overlapping(t1, t2, open_left=True):
        entity = tables[ti].entities[i]
        claims = tables[ti].claims(i)
        entry = claims.winners[j]
        result.append(
            Change(
                entity=entity.id,
                kind=tables[ti].kind,
                from_=entry.from_,
                to=entry.to,
                entry=entry,
                disputed=claims.disputed[j],
                time=claims.times[j],
            )
        )
    return tuple(result)


def check_interval(t1: _dt.datetime, t2: _dt.datetime) -> None:
    if t2 < t1:
        raise InvalidValueError(
            f"changes: t2 {t2.isoformat()} is before t1 {t1.isoformat()}",
            field="t2",
            value=t2,
            allowed="t2 at or after t1",
        )
