"""Upcoming deadlines: the open deadlines whose due time can fall in a window.

:meth:`tradetruce.Scenario.upcoming_deadlines` answers from the due times kept in the scenario's
time index (:mod:`tradetruce.engine.timeindex`) and the deadlines' states at the window's start.
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING

import attrs

from tradetruce.engine.states import DeadlineState
from tradetruce.errors import InvalidValueError
from tradetruce.model.deadline import entry_due
from tradetruce.model.entries import DeadlineEntry
from tradetruce.model.lifecycle import DeadlineStatus
from tradetruce.values.when import When

if TYPE_CHECKING:
    from tradetruce.engine.timeindex import Index

__all__ = ["Upcoming", "upcoming", "window_end"]


@attrs.frozen(kw_only=True)
class Upcoming:
    """An open deadline whose due time can fall in a query's window.

    Attributes:
        deadline: its id.
        title: its title.
        due: its due time as it stood at the window's start, in its own zone; while the entry
            that creates or extends it may or may not have happened, the due time it sets. A
            due time counted from an event not known yet is ``../..``: it may fall in any
            window, and is never certain.
        status: its status then (``None`` if uncertain).
        certain: True when it is certainly open with this due time, the due time's whole span
            lies inside the window, and no source disputes it.
        disputed: True when the claims about the event that set this due time disagree: a
            source gives another due time, or none at all (then ``certain`` is False).
        claims: when disputed, every claim about that event (the winning one among them).
    """

    deadline: str
    title: str
    due: When
    status: DeadlineStatus | None
    certain: bool
    disputed: bool = False
    claims: tuple[DeadlineEntry, ...] = attrs.field(default=(), eq=False, repr=False)

    def __str__(self) -> str:
        maybe = "" if self.certain else " (possibly)"
        if self.disputed:
            maybe += " (disputed)"
        return f"{self.due}  {self.deadline}: {self.title}{maybe}"


def upcoming(
    index: Index, start: _dt.datetime, end: _dt.datetime | None, known_at: _dt.datetime | None
) -> tuple[Upcoming, ...]:
    """The open deadlines whose due time can fall in ``[start, end]`` (``end=None``: open), as
    :meth:`tradetruce.Scenario.upcoming_deadlines` describes."""
    found: list[Upcoming] = []
    seen: set[int] = set()
    for i in index.dues.overlapping(start, end):
        if i in seen:
            continue
        seen.add(i)
        state = index.deadlines.state(i, start, known_at)
        assert isinstance(state, DeadlineState)
        if not state.is_open:
            continue
        due = next(
            (
                d
                for d in state.possible_dues
                if d.upper >= start and (end is None or d.lower <= end)
            ),
            None,
        )
        if due is None:
            continue
        deadline = index.deadlines.entities[i]
        inside = due.lower >= start and (end is None or due.upper <= end)
        inside = inside and due is state.due
        setter = next(
            (
                e
                for e in (*reversed(state.entries), *state.pending)
                if isinstance(e, DeadlineEntry) and entry_due(e) == due
            ),
            None,
        )
        claims = next((g for g in state.disagreements if any(e is setter for e in g)), ())
        disputed = bool(claims)
        found.append(
            Upcoming(
                deadline=deadline.id,
                title=deadline.title,
                due=due,
                status=state.status,
                certain=state.certain and inside and not disputed,
                disputed=disputed,
                claims=claims,  # type: ignore[arg-type]
            )
        )
    found.sort(key=lambda u: (u.due.lower, u.due.upper, u.deadline))
    return tuple(found)


def window_end(start: _dt.datetime, within: object) -> _dt.datetime | None:
    """``start + within`` for a timedelta (pendulum.Duration is one); ``None`` stays open."""
    if within is None:
        return None
    if not isinstance(within, _dt.timedelta) or within < _dt.timedelta(0):
        raise InvalidValueError(
            f"within: {within!r} is not a non-negative duration",
            field="within",
            value=within,
            allowed="pendulum.duration(days=30), a datetime.timedelta, or None for no end",
        )
    try:
        return start + within
    except OverflowError:
        return None
