"""Point-in-time views, changes between two instants, and the timeline of a Scenario.

A :class:`View` is a consistent snapshot of every measure, deadline and negotiation at an instant
``t``, as known at ``known_at``. It follows the **bitemporal rule**: it uses exactly the history
entries valid at or before ``t`` and recorded at or before ``known_at`` (an entry's recorded time
is its own ``recorded``, else its source's publication; see
:func:`tradetruce.model.history.read`). A back-test that reads the scenario at ``known_at=t``
therefore never sees a report published later: no look-ahead.

Each entity's state is the reading of its history by the one fold,
:meth:`tradetruce.model.history.Claims.reading`: a status when the history determines one,
``None`` with every candidate while ``t`` lies inside an approximate or ranged time value, the
terms (measures) or due time (deadlines) as they stood, and the groups of competing claims that
disagree (resolved by :func:`tradetruce.model.history.winner`).

Queries are answered from an :class:`Index` that each Scenario builds once, on first use
(scenarios are immutable, so a new Scenario simply gets a new index).
"""

from __future__ import annotations

import bisect
import datetime as _dt
import functools
import gc
import operator
from collections.abc import Iterator, Mapping, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Final, Generic, TypeVar

import attrs

from tradetruce.errors import InvalidValueError
from tradetruce.model.deadline import latest_due
from tradetruce.model.entries import DeadlineEntry, Entry, Evidence, MeasureEntry
from tradetruce.model.history import Claims, Reading, read, recorded_time
from tradetruce.model.lifecycle import DeadlineStatus, MeasureStatus, NegotiationStatus
from tradetruce.model.measure import latest_terms
from tradetruce.values.terms import Terms
from tradetruce.values.when import When, to_us, utc

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from tradetruce.model.scenario import Entity, Scenario

__all__ = [
    "Change",
    "DeadlineState",
    "Event",
    "EventKind",
    "Index",
    "MeasureState",
    "NegotiationState",
    "State",
    "StateChange",
    "Upcoming",
    "View",
]

S = TypeVar("S", MeasureStatus, DeadlineStatus, NegotiationStatus)

#: Deadline statuses in which a deadline can still be met or missed.
OPEN_DEADLINE = frozenset({DeadlineStatus.PENDING, DeadlineStatus.EXTENDED})


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


# --------------------------------------------------------------------------------------- states
def _status_text(status: object) -> str:
    return "(not yet)" if status is None else str(status)


@attrs.frozen(kw_only=True)
class State(Generic[S]):
    """What one entity's history says at a view's moment.

    Attributes:
        id: the entity's id.
        status: its status, or ``None`` when uncertain or when it does not exist yet.
        certain: False while an entry's time value spans the moment and could change the status.
        candidates: every status it may be in; ``None`` among them means "may not exist yet".
        entries: the winning entry of each settled event, oldest first.
        pending: entries whose time value spans the moment.
        disagreements: groups of competing claims about one event that say different things;
            the winning claim follows the rule official > claimed > reported > projected, then
            the later explicit ``recorded`` time, then the entry listed later.
    """

    id: str
    status: S | None
    certain: bool
    candidates: tuple[S | None, ...]
    entries: tuple[Entry[S], ...] = attrs.field(eq=False, repr=False)
    pending: tuple[Entry[S], ...] = attrs.field(eq=False, repr=False)
    disagreements: tuple[tuple[Entry[S], ...], ...] = attrs.field(eq=False, repr=False)

    @property
    def exists(self) -> bool:
        """True once the entity's first entry has certainly happened."""
        return None not in self.candidates

    @property
    def last(self) -> Entry[S] | None:
        """The latest settled winning entry."""
        return self.entries[-1] if self.entries else None

    def status_text(self) -> str:
        """``in_force``, ``(not yet)``, or ``uncertain: proposed | in_force``."""
        if self.certain:
            return _status_text(self.status)
        return "uncertain: " + " | ".join(_status_text(c) for c in self.candidates)

    def detail(self) -> str:
        """The kind-specific part of the rendering (terms, due time)."""
        return ""

    def __str__(self) -> str:
        parts = [f"{self.id}: {self.status_text()}"]
        if self.detail():
            parts.append(self.detail())
        for group in self.disagreements:
            claims = "; ".join(f"{e.source} ({e.evidence}) says {_claim(e)}" for e in group)
            parts.append(f"[disputed: {claims}]")
        return "  ".join(parts)


def _claim(entry: Entry[Any]) -> str:
    if isinstance(entry, MeasureEntry) and entry.terms is not None:
        return f"{entry.to} {entry.terms.describe()}"
    if isinstance(entry, DeadlineEntry) and entry.due is not None:
        return f"{entry.to} due {entry.due}"
    return str(entry.to)


@attrs.frozen(kw_only=True)
class MeasureState(State[MeasureStatus]):
    """A measure at a view's moment; ``terms`` as they stood (``None`` before its first entry)."""

    terms: Terms | None = None

    def detail(self) -> str:
        text = "" if self.terms is None else self.terms.describe()
        return "" if text == "-" else text


@attrs.frozen(kw_only=True)
class DeadlineState(State[DeadlineStatus]):
    """A deadline at a view's moment; ``due`` as it stood (``None`` before it was set)."""

    due: When | None = None

    @property
    def is_open(self) -> bool:
        """True when the deadline may still be pending or extended."""
        return any(c in OPEN_DEADLINE for c in self.candidates)

    @property
    def possible_dues(self) -> tuple[When, ...]:
        """The due time as it stood, then each one that a pending entry may have set (a
        deadline whose creation or extension may or may not have happened yet)."""
        dues = [] if self.due is None else [self.due]
        for e in self.pending:
            due = getattr(e, "due", None)
            if due is not None and due not in dues:
                dues.append(due)
        return tuple(dues)

    def detail(self) -> str:
        return "" if self.due is None else f"due {self.due}"


@attrs.frozen(kw_only=True)
class NegotiationState(State[NegotiationStatus]):
    """A negotiation at a view's moment."""


AnyState = MeasureState | DeadlineState | NegotiationState


def _state_from(kind: str, id: str, reading: Reading[Any, Any]) -> AnyState:
    common: dict[str, Any] = {
        "id": id,
        "status": reading.status,
        "certain": reading.certain,
        "candidates": reading.candidates,
        "entries": reading.entries,
        "pending": reading.pending,
        "disagreements": reading.disagreements,
    }
    if kind == "measure":
        return MeasureState(terms=latest_terms(reading.entries), **common)
    if kind == "deadline":
        return DeadlineState(due=latest_due(reading.entries), **common)
    return NegotiationState(**common)


# ---------------------------------------------------------------------------------------- index
_LO: Final = operator.attrgetter("at.lo_us")
_HI: Final = operator.attrgetter("at.hi_us")


def _running(
    values: npt.NDArray[np.int64], owner: npt.NDArray[np.int64], ufunc: Any, *, backwards: bool
) -> npt.NDArray[np.int64]:
    """``ufunc`` (``np.maximum`` or ``np.minimum``) accumulated over ``values`` within each run of
    equal ``owner`` (owners ascending): a prefix maximum, or with ``backwards`` a suffix minimum.

    Values already in order within every owner are returned as they are (the common case).
    Otherwise they are replaced by their ranks, offset by owner so that no run can reach into
    the next, and accumulated in one pass.
    """
    import numpy as np

    if len(values) < 2 or not np.any((values[1:] < values[:-1]) & (owner[1:] == owner[:-1])):
        return values
    distinct, rank = np.unique(values, return_inverse=True)
    band = owner * len(distinct)
    key = band + rank
    key = ufunc.accumulate(key[::-1])[::-1] if backwards else ufunc.accumulate(key)
    found: npt.NDArray[np.int64] = distinct[key - band]
    return found


class _Table:
    """The histories of one kind of entity (measures, deadlines or negotiations), folded once.

    Every entity's history is reduced to its *events* (claim groups: competing claims about one
    move count once), stored for the whole table in flat integer arrays, entity after entity
    (entity ``i`` owns events ``offsets[i]`` to ``offsets[i + 1]``), in microseconds since
    0001-01-01 UTC (:attr:`When.lo_us`):

    * ``settle``: when each event has certainly happened (a suffix minimum of the events'
      latest instants: listing order is itself a fact, see ``history._split``);
    * ``start``: when each may have happened (a prefix maximum of their earliest instants).

    At ``t``, the events of entity ``i`` with ``settle <= t`` have settled and those with
    ``start <= t`` may have started; both are counted for every entity at once, in a few
    array operations (:meth:`positions`): they only find faster what
    :meth:`Claims.counts` finds for one entity. The claim groups themselves, their winners and
    disputes (:class:`Claims`) are gathered when a state is first assembled, and the state is
    the reading :meth:`Claims.reading` gives.
    """

    def __init__(self, kind: str, entities: Sequence[Any], published: Mapping[str, When | None]):
        import numpy as np

        self.kind = kind
        self.published = published
        self.entities = entities
        self.ids = [e.id for e in entities]
        self.pos = {id: i for i, id in enumerate(self.ids)}
        self._claims: dict[int, Claims[Any]] = {}
        self._known: dict[int, int] = {}

        histories = [e.history for e in entities]
        n = len(histories)
        entries = [e for h in histories for e in h]
        m = len(entries)
        lengths = np.fromiter(map(len, histories), np.int64, n)
        owner = np.repeat(np.arange(n, dtype=np.int64), lengths)
        lo = np.fromiter(map(_LO, entries), np.int64, m)
        hi = np.fromiter(map(_HI, entries), np.int64, m)
        # Competing claims about the event before (same time value, same move) join its group.
        # Equal bounds and owner narrow the search; the slot itself is compared in Python.
        if m > 1:
            same = np.zeros(m, dtype=bool)
            same[1:] = (owner[1:] == owner[:-1]) & (lo[1:] == lo[:-1]) & (hi[1:] == hi[:-1])
            for j in np.flatnonzero(same).tolist():
                same[j] = entries[j - 1].same_claim_slot(entries[j])
            if same.any():
                keep = ~same
                owner, lo, hi = owner[keep], lo[keep], hi[keep]
        offsets = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(owner, minlength=n), out=offsets[1:])
        self.offsets = offsets
        self.settle = _running(hi, owner, np.minimum, backwards=True)
        self.start = _running(lo, owner, np.maximum, backwards=False)

    def known(self, i: int) -> int:
        """When the last of entity ``i``'s entries became known (microseconds, see
        :attr:`When.hi_us`); only a view as known at some time asks, so it is found on first
        use."""
        found = self._known.get(i)
        if found is None:
            published = self.published
            found = self._known[i] = max(
                recorded_time(e, published).hi_us for e in self.entities[i].history
            )
        return found

    def claims(self, i: int) -> Claims[Any]:
        """The events of entity ``i``'s history: claim groups, winners, disputes, times."""
        found = self._claims.get(i)
        if found is None:
            found = self._claims[i] = Claims.of(self.entities[i].history)
        return found

    def positions(self, t: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """How many of every entity's events have settled by ``t`` (microseconds), and how many
        may have started: the whole snapshot, counted for all entities in one pass over the
        arrays."""
        import numpy as np

        first = self.offsets[:-1]
        if not len(first):
            return first, first
        settled = np.add.reduceat(self.settle <= t, first, dtype=np.int64)
        started = np.add.reduceat(self.start <= t, first, dtype=np.int64)
        return settled, np.maximum(settled, started)

    def state(
        self,
        i: int,
        t: _dt.datetime,
        k: _dt.datetime | None,
        p: tuple[int, int] | None = None,
    ) -> AnyState:
        """Entity ``i`` at ``t`` as known at ``k`` (``p``: its settled and started counts, if
        already found)."""
        entity = self.entities[i]
        if k is not None and self.known(i) > to_us(k):
            # Some entries were not yet known at k: fold the filtered history.
            return _state_from(self.kind, entity.id, read(entity.history, t, k, self.published))
        claims = self.claims(i)
        settled, started = claims.counts(to_us(t)) if p is None else p
        return _state_from(self.kind, entity.id, claims.reading(settled, started))


#: Width classes of the interval index, doubling from an hour: a query scans the lowers in
#: [a - widest, b] of each class, so at most about half of what it scans falls outside.
_CAPS = (_dt.timedelta(0), *(_dt.timedelta(hours=2**k) for k in range(18)))

P = TypeVar("P")


class _Intervals(Generic[P]):
    """Closed intervals [lower, upper] with payloads, grouped by width for overlap queries.

    Payloads are returned in the order of their sort keys.
    """

    def __init__(self, items: Sequence[tuple[_dt.datetime, _dt.datetime, tuple[Any, ...], P]]):
        classes: list[list[tuple[_dt.datetime, _dt.datetime, tuple[Any, ...], P]]] = [
            [] for _ in range(len(_CAPS) + 1)
        ]
        for item in items:
            classes[bisect.bisect_left(_CAPS, item[1] - item[0])].append(item)
        self._classes: list[tuple[_dt.timedelta, list[_dt.datetime], list[tuple[Any, ...]]]] = []
        for group in classes:
            if group:
                group.sort(key=lambda it: it[0])
                widest = max(it[1] - it[0] for it in group)
                self._classes.append((widest, [it[0] for it in group], group))

    def overlapping(
        self, a: _dt.datetime, b: _dt.datetime | None, *, open_left: bool = False
    ) -> list[P]:
        """Payloads whose interval meets [a, b]; ``(a, b]`` with ``open_left``; ``b=None``: open."""
        found: list[tuple[tuple[Any, ...], P]] = []
        for widest, lowers, group in self._classes:
            try:
                lo = bisect.bisect_left(lowers, a - widest)
            except OverflowError:
                lo = 0
            hi = len(lowers) if b is None else bisect.bisect_right(lowers, b)
            for j in range(lo, hi):
                _, upper, key, payload = group[j]
                if upper > a or (upper == a and not open_left):
                    found.append((key, payload))
        found.sort(key=lambda kp: kp[0])
        return [p for _, p in found]


class Index:
    """What a Scenario builds once, on first use, to answer time queries quickly.

    It folds every history once (claim groups, winners, settle times), and keeps interval
    indexes of deadline due times and of history entries. Scenarios are immutable, so the index
    never needs invalidating: a changed scenario is a new object with a new index.
    """

    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        published = scenario.published
        # The build allocates lists and dicts it keeps and frees almost nothing: on a large
        # scenario the cyclic collector would rescan the whole heap for nothing.
        collecting = gc.isenabled()
        gc.disable()
        try:
            self.measures = _Table("measure", scenario.measures, published)
            self.deadlines = _Table("deadline", scenario.deadlines, published)
            self.negotiations = _Table("negotiation", scenario.negotiations, published)
        finally:
            if collecting:
                gc.enable()

    def tables(self) -> tuple[_Table, _Table, _Table]:
        return (self.measures, self.deadlines, self.negotiations)

    @functools.cached_property
    def dues(self) -> _Intervals[int]:
        """Every due time a deadline has had or been claimed to have, by deadline position."""
        items = []
        w: Any
        for i, deadline in enumerate(self.deadlines.entities):
            # Every claim, not only the winners: a view as known at some time may follow a
            # claim that loses once everything is known.
            for w in deadline.history:
                if w.due is not None:
                    lo, hi = w.due.lower, w.due.upper
                    items.append((lo, hi, (lo, hi, str(w.due), i), i))
        return _Intervals(items)

    @functools.cached_property
    def entries(self) -> _Intervals[tuple[int, int, int]]:
        """Every winning history entry, as (table, entity position, group number)."""
        items = []
        for ti, table in enumerate(self.tables()):
            for i in range(len(table.entities)):
                for j, w in enumerate(table.claims(i).winners):
                    lo, hi = w.at.lower, w.at.upper
                    items.append((lo, hi, (lo, hi, ti, i, j), (ti, i, j)))
        return _Intervals(items)

    @functools.cached_property
    def tariffs(self) -> Mapping[str, tuple[Any, ...]]:
        """Tariff measures by the party that imposes them."""
        from tradetruce.engine.tariffs import tariffs_by_imposer  # tariffs builds on views

        return tariffs_by_imposer(self.scenario)

    def view(self, t: _dt.datetime, known_at: _dt.datetime | None) -> View:
        return View(
            t=t,
            known_at=known_at,
            measures=_States(self.measures, t, known_at),
            deadlines=_States(self.deadlines, t, known_at),
            negotiations=_States(self.negotiations, t, known_at),
        )

    def upcoming(
        self, start: _dt.datetime, end: _dt.datetime | None, known_at: _dt.datetime | None
    ) -> tuple[Upcoming, ...]:
        found: list[Upcoming] = []
        seen: set[int] = set()
        for i in self.dues.overlapping(start, end):
            if i in seen:
                continue
            seen.add(i)
            state = self.deadlines.state(i, start, known_at)
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
            deadline = self.deadlines.entities[i]
            inside = due.lower >= start and (end is None or due.upper <= end)
            inside = inside and due is state.due
            found.append(
                Upcoming(
                    deadline=deadline.id,
                    title=deadline.title,
                    due=due,
                    status=state.status,
                    certain=state.certain and inside,
                )
            )
        found.sort(key=lambda u: (u.due.lower, u.due.upper, u.deadline))
        return tuple(found)

    def changes(self, t1: _dt.datetime, t2: _dt.datetime) -> tuple[Change, ...]:
        tables = self.tables()
        result = []
        for ti, i, j in self.entries.overlapping(t1, t2, open_left=True):
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
                )
            )
        return tuple(result)

    @functools.cached_property
    def timeline(self) -> tuple[Event, ...]:
        events: list[tuple[tuple[Any, ...], Event]] = []
        for ti, table in enumerate(self.tables()):
            for i, entity in enumerate(table.entities):
                events.extend(_events(entity, table.kind, (ti, i)))
        events.sort(key=lambda ke: ke[0])
        return tuple(e for _, e in events)


def _events(entity: Entity, kind: str, order: tuple[int, int]) -> Iterator[tuple[Any, Event]]:
    history: tuple[Entry[Any], ...] = entity.history
    for n, entry in enumerate(history):
        verb = "amended" if entry.is_amendment else f"{_status_text(entry.from_)} -> {entry.to}"
        text = f"{kind} {entity.id} {verb} ({entry.source}, {entry.evidence})"
        if isinstance(entry, MeasureEntry) and entry.terms is not None:
            text += f": {entry.terms.describe()}"
        if entry.note:
            text += f" - {entry.note}"
        yield (
            (*entry.at.sort_key, 0, *order, n),
            Event(at=entry.at, entity=entity.id, kind=EventKind.ENTRY, text=text, entry=entry),
        )
        if isinstance(entry, DeadlineEntry) and entry.due is not None:
            title = getattr(entity, "title", "")
            yield (
                (*entry.due.sort_key, 1, *order, n),
                Event(
                    at=entry.due,
                    entity=entity.id,
                    kind=EventKind.DUE,
                    text=f"deadline {entity.id} due ({title}; set by {entry.source})",
                    entry=entry,
                ),
            )
    for r in getattr(entity, "rounds", ()):
        place = f" in {r.place}" if r.place else ""
        for what, at in ((EventKind.ROUND_START, r.start), (EventKind.ROUND_END, r.end)):
            if at is None:
                continue
            verb = "starts" if what is EventKind.ROUND_START else "ends"
            yield (
                (*at.sort_key, 2, *order, r.number),
                Event(
                    at=at,
                    entity=entity.id,
                    kind=what,
                    text=f"negotiation {entity.id} round {r.number}{place} {verb}",
                ),
            )


# ----------------------------------------------------------------------------------------- view
St = TypeVar("St", MeasureState, DeadlineState, NegotiationState)


class _States(Mapping[str, St]):
    """Id -> state at one moment.

    Built with how many of every entity's events have settled and started by the moment (one pass:
    which of its entries have settled and which are pending is then fixed); each state object
    is assembled from that on first access, and kept.
    """

    def __init__(self, table: _Table, t: _dt.datetime, known_at: _dt.datetime | None):
        self._table = table
        self._t = t
        self._k = known_at
        self._settled, self._started = table.positions(to_us(t))
        self._cache: dict[int, St] = {}

    def __getitem__(self, id: str) -> St:
        i = self._table.pos[id]
        state = self._cache.get(i)
        if state is None:
            p = (int(self._settled[i]), int(self._started[i]))
            found: Any = self._table.state(i, self._t, self._k, p)
            state = self._cache[i] = found
        return state

    def __iter__(self) -> Iterator[str]:
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
    """

    t: _dt.datetime
    known_at: _dt.datetime | None
    measures: Mapping[str, MeasureState]
    deadlines: Mapping[str, DeadlineState]
    negotiations: Mapping[str, NegotiationState]

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
        return not self.diff(other) and (self.t, self.known_at) == (other.t, other.known_at)

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
        head = f"View at {self.t.isoformat()}"
        if self.known_at is not None:
            head += f", as known at {self.known_at.isoformat()}"
        lines = [head]
        for kind, states in self.groups():
            if states:
                lines.append(f"{kind}s:")
                lines.extend(f"  {states[id]}" for id in states)
        return "\n".join(lines)


def _shown(state: AnyState) -> tuple[object, ...]:
    """What a person sees of a state: what :meth:`View.diff` compares."""
    claims = tuple(tuple((e.source, e.to, e._payload()) for e in g) for g in state.disagreements)
    return (state.status, state.candidates, state.detail(), claims)


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


# ------------------------------------------------------------------------------ query results
@attrs.frozen(kw_only=True)
class Upcoming:
    """An open deadline whose due time can fall in a query's window.

    Attributes:
        deadline: its id.
        title: its title.
        due: its due time as it stood at the window's start, in its own zone; while the entry
            that creates or extends it may or may not have happened, the due time it sets.
        status: its status then (``None`` if uncertain).
        certain: True when it is certainly open with this due time, and the due time's whole
            span lies inside the window.
    """

    deadline: str
    title: str
    due: When
    status: DeadlineStatus | None
    certain: bool

    def __str__(self) -> str:
        maybe = "" if self.certain else " (possibly)"
        return f"{self.due}  {self.deadline}: {self.title}{maybe}"


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

    @property
    def at(self) -> When:
        return self.entry.at

    @property
    def is_amendment(self) -> bool:
        return self.entry.is_amendment

    def __str__(self) -> str:
        move = "amended" if self.is_amendment else f"{_status_text(self.from_)} -> {self.to}"
        text = f"{self.at}  {self.kind} {self.entity}: {move}"
        if isinstance(self.entry, MeasureEntry) and self.entry.terms is not None:
            text += f" ({self.entry.terms.describe()})"
        if isinstance(self.entry, DeadlineEntry) and self.entry.due is not None:
            text += f" (due {self.entry.due})"
        text += f"  [{self.entry.source}, {self.entry.evidence}]"
        if self.disputed:
            text += " [disputed]"
        if self.entry.note:
            text += f"  {self.entry.note}"
        return text


class EventKind(StrEnum):
    """What a timeline event is."""

    ENTRY = "entry"  #: a history entry (a transition, an amendment, a competing claim)
    DUE = "due"  #: a deadline's due time (as first set, or as extended)
    ROUND_START = "round_start"
    ROUND_END = "round_end"


@attrs.frozen(kw_only=True)
class Event:
    """One dated event of a scenario (see :meth:`tradetruce.Scenario.timeline`)."""

    at: When
    entity: str
    kind: EventKind
    text: str
    entry: Entry[Any] | None = None

    @property
    def source(self) -> str | None:
        """The source of the entry behind the event (``None`` for a round)."""
        return None if self.entry is None else self.entry.source

    @property
    def from_(self) -> Any:
        """For an entry: the status before; ``None`` otherwise."""
        return None if self.kind is not EventKind.ENTRY or self.entry is None else self.entry.from_

    @property
    def to(self) -> Any:
        """For an entry: the status after; ``None`` for due times and rounds."""
        return None if self.kind is not EventKind.ENTRY or self.entry is None else self.entry.to

    @property
    def evidence(self) -> Evidence | None:
        """The evidence of the entry behind the event (``None`` for a round)."""
        return None if self.entry is None else self.entry.evidence

    @property
    def claimed_by(self) -> str | None:
        return None if self.entry is None else self.entry.claimed_by

    def __str__(self) -> str:
        return f"{self.at}  {self.text}"


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


def check_interval(t1: _dt.datetime, t2: _dt.datetime) -> None:
    if t2 < t1:
        raise InvalidValueError(
            f"changes: t2 {t2.isoformat()} is before t1 {t1.isoformat()}",
            field="t2",
            value=t2,
            allowed="t2 at or after t1",
        )
