"""Histories: legal, chronological sequences of entries, single entries, and readings.

A history is drawn move by move: each step is one draw among the moves the lifecycle allows
that can still reach the status asked for, nearest first, with "stop here" first once it is
reached, so that failing examples shrink to the shortest legal history. Times move forward by
whole days from a start instant, and each entry's time value is drawn as a shape (a day, an
instant, a month...) around its instant, so it always contains it and the history stays in
order.
"""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Mapping, Sequence
from typing import Any, Final

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from tradetruce.model.entries import (
    DeadlineEntry,
    Entry,
    Evidence,
    MeasureEntry,
    NegotiationEntry,
)
from tradetruce.model.history import Reading, read
from tradetruce.model.lifecycle import (
    DEADLINE,
    LIFECYCLES,
    MEASURE,
    NEGOTIATION,
    DeadlineStatus,
    MeasureStatus,
)
from tradetruce.strategies import _args, _choices, _duty, _shapes, _text, _times, _values
from tradetruce.strategies._suspensions import suspension_from
from tradetruce.values.when import When

_ENTRY_OF: Final[Mapping[str, type[Entry[Any]]]] = {
    "measure": MeasureEntry,
    "remedy": MeasureEntry,
    "deadline": DeadlineEntry,
    "negotiation": NegotiationEntry,
}
#: Stands for "the history ends here" among the next moves.
STOP: Final = "stop"


# ------------------------------------------------------------------------------------- paths
@functools.cache
def _distances(name: str, target: Any) -> Mapping[Any, int]:
    """Status -> the fewest moves that reach ``target`` (unreachable statuses left out)."""
    table = LIFECYCLES[name].table
    dist = {target: 0}
    frontier = [target]
    while frontier:
        nxt = []
        for status in frontier:
            for source, targets in table.items():
                if status in targets and source not in dist:
                    dist[source] = dist[status] + 1
                    nxt.append(source)
        frontier = nxt
    return dist


@functools.cache
def _moves(name: str, status: Any) -> frozenset[Any]:
    """Legal next statuses; a measure may also move to its own status (an amendment)."""
    lifecycle = LIFECYCLES[name]
    moves = set(lifecycle.table[status])
    if lifecycle.status_type is MeasureStatus and not lifecycle.is_terminal(status):
        moves.add(status)
    return frozenset(moves)


@functools.cache
def _next(name: str, current: Any, target: Any, budget: int) -> SearchStrategy[Any]:
    """The next move: a legal one from which ``target`` is still in reach with ``budget``
    moves, nearest the target first; once ``current`` is the target, :data:`STOP` first and
    half the time (listed once per move, so that one draw gives the even odds)."""
    dist = _distances(name, target)
    order = list(LIFECYCLES[name].status_type)
    options = sorted(
        (s for s in _moves(name, current) if dist.get(s, budget) < budget),
        key=lambda s: (dist[s], order.index(s)),
    )
    if current == target:
        options = [STOP] * len(options) + options
    return st.sampled_from(options) if options else st.just(STOP)


# ------------------------------------------------------------------------------- provenance
@functools.lru_cache(maxsize=256)
def _claim_kinds(parties: tuple[str, ...]) -> SearchStrategy[Evidence]:
    evidence = (Evidence.REPORTED, Evidence.OFFICIAL, Evidence.PROJECTED)
    return st.sampled_from((*evidence, Evidence.CLAIMED) if parties else evidence)


#: The rarer parts of an entry, in one draw: evidence other than "reported" about one entry in
#: two, a zone other than the history's one in four, an explicit recorded time one in five, a
#: note one in four, a rival claim one in ten, new terms on a measure's move one in two, a
#: suspension on a measure's move to paused one in three.
_EXTRAS: Final = _choices.features(
    evidence=2, zone=4, recorded=5, note=4, rival=10, terms=2, suspension=3
)
#: The same for a rival claim, which always draws its evidence and has no rival of its own.
_RIVAL_EXTRAS: Final = _choices.features(recorded=5, note=4, terms=2)
#: An explicit recorded time: up to 30 days before or after the event.
_RECORDED: Final = _shapes.later(-30, 30)


@functools.lru_cache(maxsize=256)
def _pick(options: tuple[str, ...]) -> SearchStrategy[str]:
    return st.sampled_from(options) if options else st.nothing()


# ---------------------------------------------------------------------------------- history
def histories(
    kind: object,
    *,
    status: Any = None,
    sources: Sequence[str] = ("s0",),
    parties: Sequence[str] = ("p0", "p1"),
    max_size: int = 5,
    claims: bool = True,
) -> SearchStrategy[tuple[Any, ...]]:
    """Legal, chronological histories: tuples of entries ready to be an entity's ``history``.

    Every move is allowed by the lifecycle, times never go backwards, a deadline's first entry
    and extensions carry a due time, and a measure's amendments carry terms. Now and then an
    event has a rival claim (same time and move, other source or evidence).

    Args:
        kind: the lifecycle (``MEASURE``), its name (``"measure"``) or the entity class.
        status: the status the history ends in (a value or a strategy); default: any.
        sources: the source ids entries cite.
        parties: the party ids that may make claims (empty: no claimed evidence).
        max_size: the most moves, counting the first entry (raised when ``status`` needs more).
        claims: False for histories without rival claims.

    >>> from hypothesis import find
    >>> [e.to.value for e in find(histories("deadline", status="met"), lambda h: True)]
    ['pending', 'met']
    """
    lifecycle = _args.lifecycle(kind)
    source_ids = _args.checked("sources", _args.nonempty_ids, sources)
    party_ids = _args.checked("parties", _args.id_tuple, parties)
    size = _args.size("max_size", max_size, low=1)
    with_claims = _args.flag("claims", claims)
    check = _args.status_of(lifecycle)
    if isinstance(status, SearchStrategy):
        targets = _args.narrow("status", status, check, st.nothing())
        return targets.flatmap(
            lambda s: _histories(lifecycle.name, s, source_ids, party_ids, size, with_claims)
        )
    target = None if status is None else _args.checked("status", check, status)
    return _histories(lifecycle.name, target, source_ids, party_ids, size, with_claims)


@functools.lru_cache(maxsize=1024)
def _histories(
    name: str,
    status: Any,
    sources: tuple[str, ...],
    parties: tuple[str, ...],
    max_size: int,
    claims: bool,
) -> SearchStrategy[tuple[Any, ...]]:
    statuses = st.just(status) if status is not None else st.sampled_from(_statuses(name))
    return _history(name, statuses, sources, parties, max_size, claims)


@functools.cache
def _statuses(name: str) -> tuple[Any, ...]:
    return LIFECYCLES[name].statuses


_GAP: Final = st.integers(1, 90)
_EXTENDED: Final = DeadlineStatus.EXTENDED
#: A deadline's due time: a day to about a year after it is set.
_DUE: Final = _shapes.later(1, 400)


@st.composite
def _history(
    draw: st.DrawFn,
    name: str,
    statuses: SearchStrategy[Any],
    sources: tuple[str, ...],
    parties: tuple[str, ...],
    max_size: int,
    claims: bool,
) -> tuple[Any, ...]:
    lifecycle = LIFECYCLES[name]
    target = draw(statuses)
    budget = max(max_size - 1, _distances(name, target)[lifecycle.initial])
    entry_type = _ENTRY_OF[name]
    zone = draw(_times.zones())
    instant = draw(_shapes.starts)
    history: list[Entry[Any]] = []
    previous: Any = None
    status: Any = lifecycle.initial

    def claim(extras: frozenset[str], at: When, here: str) -> Entry[Any]:
        """One claim about the event: its source, evidence, extras and payload."""
        evidence = draw(_claim_kinds(parties)) if "evidence" in extras else Evidence.REPORTED
        extra: dict[str, Any] = {}
        if entry_type is MeasureEntry and (previous in (None, status) or "terms" in extras):
            terms = draw(_values.plans).after(instant, here)
            extra["terms"] = _duty.with_extras(draw, terms, parties)
        if entry_type is MeasureEntry and status is MeasureStatus.PAUSED and "suspension" in extras:
            extra["suspension"] = draw(suspension_from(instant, None, here))
        if entry_type is DeadlineEntry and (previous is None or status is _EXTENDED):
            extra["due"] = draw(_DUE).after(instant, here)[1]
        recorded = None
        if "recorded" in extras:
            recorded = draw(_RECORDED).after(instant, here)[1]
        return entry_type(
            from_=previous,
            to=status,
            at=at,
            source=sources[0] if len(sources) == 1 else draw(_pick(sources)),
            recorded=recorded,
            evidence=evidence,
            claimed_by=draw(_pick(parties)) if evidence is Evidence.CLAIMED else None,
            note=draw(_text.texts) if "note" in extras else "",
            **extra,
        )

    while True:
        if history:
            instant += _dt.timedelta(days=draw(_GAP))
        shape = draw(_shapes.shapes)
        extras = draw(_EXTRAS)
        here = draw(_times.zones()) if "zone" in extras else zone
        at = shape.around(instant, here)
        if history and (at.lo_us, at.hi_us) == (history[-1].at.lo_us, history[-1].at.hi_us):
            # Two events with one span (in any zone) would be one claim slot: the instant sets
            # them apart.
            at = _shapes.EXACT.around(instant, here)
        history.append(claim(extras, at, here))
        if claims and "rival" in extras:
            # A rival claim about the same event: same time, same move, other provenance.
            history.append(claim(draw(_RIVAL_EXTRAS) | {"evidence"}, at, here))
        previous = status
        status = draw(_next(name, status, target, budget))
        budget -= 1
        if status == STOP:
            return tuple(history)


# ------------------------------------------------------------------------- entries, readings
def _kinds(kind: object) -> SearchStrategy[str]:
    if kind is None:
        return _ALL_KINDS
    return st.just(_args.lifecycle(kind).name)


_ALL_KINDS: Final = st.sampled_from((MEASURE.name, DEADLINE.name, NEGOTIATION.name))


def entries(kind: object = None, *, sources: Sequence[str] = ("s0",)) -> SearchStrategy[Entry[Any]]:
    """Single history entries (any legal move), of one lifecycle or of any.

    Args:
        kind: the lifecycle, its name, or the entity or entry class; default: any of the three.
        sources: the source ids entries cite.
    """
    source_ids = _args.checked("sources", _args.nonempty_ids, sources)
    return _entries(_kinds(kind), source_ids)


@st.composite
def _entries(draw: st.DrawFn, kinds: SearchStrategy[str], sources: tuple[str, ...]) -> Entry[Any]:
    history = draw(_histories(draw(kinds), None, sources, ("p0",), 4, False))
    entry: Entry[Any] = history[draw(_index(len(history)))]
    return entry


@functools.cache
def _index(n: int) -> SearchStrategy[int]:
    return st.integers(0, n - 1)


def readings(kind: object = None) -> SearchStrategy[Reading[Any, Any]]:
    """What a history says at some moment (:class:`tradetruce.Reading`), claims included."""
    return _readings(_kinds(kind))


@st.composite
def _readings(draw: st.DrawFn, kinds: SearchStrategy[str]) -> Reading[Any, Any]:
    history = draw(_histories(draw(kinds), None, ("s0",), ("p0",), 4, True))
    return read(history, draw(_times.times()).upper)
