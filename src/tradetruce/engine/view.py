"""Views: every measure, deadline and negotiation of a Scenario as it stood at one moment.

A :class:`View` is a consistent snapshot at an instant ``t``, as known at ``known_at``. It
follows the **bitemporal rule**: it uses exactly the history entries valid at or before ``t``
and recorded at or before ``known_at`` (an entry's recorded time is its own ``recorded``, else
its source's publication; see :func:`tradetruce.model.history.read`). A back-test that reads the
scenario at ``known_at=t`` therefore never sees a report published later: no look-ahead.

Each entity's state (:mod:`tradetruce.engine.states`) is the reading of its history by the one
fold of :mod:`tradetruce.model.history`, found through the scenario's time index
(:mod:`tradetruce.engine.timeindex`). :meth:`View.diff` lists what reads differently in two
views (:class:`StateChange`).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from tradetruce.engine.states import AnyState, DeadlineState, MeasureState, NegotiationState
from tradetruce.errors import InvalidValueError
from tradetruce.values.when import When, to_us, utc

if TYPE_CHECKING:
    from tradetruce.engine.timeindex import Index, Table

__all__ = ["StateChange", "View", "instant", "view"]


def instant(value: _dt.datetime | When | str, name: str = "t") -> _dt.datetime:
    """A query time as a UTC datetime; a calendar When (or its text) stands for its last instant."""
    if isinstance(value, str):
        value = When.parse(value)
    if not isinstance(value, _dt.datetime | When):
        raise InvalidValueError(
            f"{name}: expected an aware datetime or a When, not {type(value).__name__}",
            field=name,
            value=value,
            allowed="pendulum.datetime(..., tz=...) or When.parse('2025-11-10[America/New_York]')",
        )
    return utc(value)


St = TypeVar("St", MeasureState, DeadlineState, NegotiationState)


class _States(Mapping[str, St]):
    """Id -> state at one moment; each state is assembled on first access, and kept.

    A state looked up by id searches its entity's own events. Iterating counts how many of
    every entity's events have settled and started by the moment, all at once, when the table
    has arrays (a caller that iterates wants every state), and later lookups use the counts.
    """

    def __init__(self, table: Table, t: _dt.datetime, known_at: _dt.datetime | None):
        self._table = table
        self._t = t
        self._k = known_at
        self._counts: tuple[Any, Any] | None = None
        self._cache: dict[int, St] = {}

    def __getitem__(self, id: str) -> St:
        i = self._table.pos[id]
        state = self._cache.get(i)
        if state is None:
            counts = self._counts
            p = None if counts is None else (int(counts[0][i]), int(counts[1][i]))
            found: Any = self._table.state(i, self._t, self._k, p)
            state = self._cache[i] = found
        return state

    def __iter__(self) -> Iterator[str]:
        if self._counts is None and self._table.arrays:
            self._counts = self._table.counts(to_us(self._t))
        return iter(self._table.ids)

    def __len__(self) -> int:
        return len(self._table.ids)

    def __repr__(self) -> str:
        return f"<{len(self)} {self._table.kind} states>"


@attrs.frozen(kw_only=True, eq=False)
class View:
    """Every measure, deadline and negotiation as it stood at ``t``, as known at ``known_at``.

    Build one with :meth:`tradetruce.Scenario.at`. States are mappings from id to state; each
    state is folded on first access (the snapshot is fixed by ``t`` and ``known_at``, and the
    scenario never changes).

    Attributes:
        t: the moment, in UTC.
        known_at: only entries recorded by then count (``None``: everything in the scenario).
        measures: id -> :class:`MeasureState`.
        deadlines: id -> :class:`DeadlineState`.
        negotiations: id -> :class:`NegotiationState`.
        projected: True for a projection (``Scenario.at(..., project=True)``): what was
            scheduled has been carried out up to ``t``, as known at ``known_at``.
    """

    t: _dt.datetime
    known_at: _dt.datetime | None
    measures: Mapping[str, MeasureState]
    deadlines: Mapping[str, DeadlineState]
    negotiations: Mapping[str, NegotiationState]
    projected: bool = False

    def groups(self) -> Iterator[tuple[str, Mapping[str, AnyState]]]:
        """(kind, states) for measures, deadlines and negotiations."""
        yield "measure", self.measures
        yield "deadline", self.deadlines
        yield "negotiation", self.negotiations

    def __getitem__(self, id: str) -> AnyState:
        for _, states in self.groups():
            if id in states:
                return states[id]
        raise KeyError(id)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, View):
            return NotImplemented
        mine = (self.t, self.known_at, self.projected)
        return not self.diff(other) and mine == (other.t, other.known_at, other.projected)

    __hash__ = None  # type: ignore[assignment]

    def diff(self, other: View) -> tuple[StateChange, ...]:
        """What differs from this view to ``other``: status, candidates, terms, due, disputes.

        Entities in one view and not the other (another scenario) appear with ``None`` on the
        missing side.
        """
        changes: list[StateChange] = []
        for (kind, mine), (_, theirs) in zip(self.groups(), other.groups(), strict=True):
            for id in mine:
                a = mine[id]
                b = theirs.get(id)
                if b is None or _shown(a) != _shown(b):
                    changes.append(StateChange(entity=id, kind=kind, before=a, after=b))
            for id in theirs:
                if id not in mine:
                    changes.append(StateChange(entity=id, kind=kind, before=None, after=theirs[id]))
        return tuple(changes)

    def __str__(self) -> str:
        head = f"{'Projected view' if self.projected else 'View'} at {self.t.isoformat()}"
        if self.known_at is not None:
            head += f", as known at {self.known_at.isoformat()}"
        lines = [head]
        for kind, states in self.groups():
            if states:
                lines.append(f"{kind}s:")
                lines.extend(f"  {states[id]}" for id in states)
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        """The view as HTML tables, for notebooks (:mod:`tradetruce.export.html`)."""
        from tradetruce.export.html import view_html

        return view_html(self)


def _shown(state: AnyState) -> tuple[object, ...]:
    """What a person sees of a state: what :meth:`View.diff` compares."""
    claims = tuple(tuple((e.source, e.to, e._payload()) for e in g) for g in state.disagreements)
    shown = (state.status, state.candidates, state.detail(), claims)
    return (*shown, state.reasons(), state.projected)


@attrs.frozen(kw_only=True)
class StateChange:
    """One entity that reads differently in two views (``None``: absent from that view)."""

    entity: str
    kind: str
    before: AnyState | None
    after: AnyState | None

    def __str__(self) -> str:
        def side(s: AnyState | None) -> str:
            if s is None:
                return "(absent)"
            detail = s.detail()
            return s.status_text() + (f" [{detail}]" if detail else "")

        return f"{self.kind} {self.entity}: {side(self.before)} -> {side(self.after)}"


def view(
    index: Index, t: _dt.datetime, known_at: _dt.datetime | None, *, projected: bool = False
) -> View:
    """The view of ``index``'s scenario at ``t`` as known at ``known_at`` (UTC datetimes)."""
    return View(
        t=t,
        known_at=known_at,
        measures=_States(index.measures, t, known_at),
        deadlines=_States(index.deadlines, t, known_at),
        negotiations=_States(index.negotiations, t, known_at),
        projected=projected,
    )
