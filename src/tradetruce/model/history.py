"""How a history is read: the one fold that turns history entries into a status at a moment.

An entity's history (:mod:`tradetruce.model.entries`) is the source of truth, and this module
holds the only implementation of how it is read. Entities (``status_at``, ``reading_at``,
``terms_at``, ``due_at``) and a Scenario's views (:mod:`tradetruce.engine.timeindex`) all build
their readings with :meth:`Claims.reading`; the time index only finds faster how many events
have happened, never what follows from that.

Entries that describe the same move at the same time are competing *claims* about one event
(:meth:`~tradetruce.Entry.same_claim_slot` holds the rule: same starting status, and the same
instant or span whatever zone it is written in, or a vaguer time that contains a precise one and
says the same thing). A reading resolves them by a fixed rule: the strongest evidence wins
(official text over a party's claim over a press report over a projection); among equals, the
later explicit ``recorded`` time (an entry without one counts as recorded at its own valid time);
among equals, the entry listed later. The rule reads only the entries themselves, never their
sources, so an entity's own ``status`` and a Scenario's views always pick the same winner. The
losing claims stay in the history and are reported as disagreements when they say something
else; a vaguer claim that corroborates a precise one is no disagreement. An event happens at the
time of its most precise claim.

At an instant ``t``, an event counts once its time has certainly come (``latest <= t``); while
``t`` lies inside an event's time value the reading is *uncertain* and lists every candidate
status. With ``known_at=k`` only entries recorded by ``k`` (``recorded.latest <= k``) are used:
the bitemporal rule that keeps look-ahead out of a back-test. Last, a stated time that has come
with nothing recorded about it (a suspension's end, a scheduled measure's effective time, a
measure's own expiry) makes the reading uncertain too: the rule of :mod:`tradetruce.model.lapse`.

Corrections (:class:`~tradetruce.Correction`) are read here too, before the events are
resolved (:func:`corrected`): as known at ``k``, every correction known by ``k`` applies, in
the order they are listed, to the entries known by ``k``; a retracted entry drops out, an
erratum replaces the entry's ``at`` (or ``due``). Whether an entry is known by ``k`` is decided
on the entry as first recorded, so correcting its valid time never changes when it became known.
"""

from __future__ import annotations

import bisect
import datetime as _dt
from collections.abc import Mapping, Sequence
from typing import Any, Generic, Protocol, TypeVar

import attrs

from tradetruce.model.correction import Correction
from tradetruce.model.entries import Entry, S
from tradetruce.model.lapse import Lapse
from tradetruce.values.when import When, to_us

__all__ = [
    "Claims",
    "Reading",
    "claim_groups",
    "corrected",
    "correction_time",
    "event_time",
    "read",
    "recorded_time",
    "winner",
]

E = TypeVar("E", bound=Entry[Any])


@attrs.frozen
class Reading(Generic[S, E]):
    """What a history says at one moment, as far as it was known.

    Attributes:
        status: the status when the history determines one; ``None`` before the first entry or
            when uncertain.
        certain: False while an entry's time value spans the moment and could change the status.
        candidates: every status the entity may be in (``None``: it may not exist yet).
        entries: the winning entry of each settled event, oldest first.
        pending: entries whose time value spans the moment (their time may or may not have come).
        disagreements: groups of claims about one event that say different things.
        lapses: stated times that have come with nothing recorded about them (a suspension's
            end, an effective time, an expiry), each adding the status it leads to as a
            candidate (:mod:`tradetruce.model.lapse`).
    """

    status: S | None
    certain: bool
    candidates: tuple[S | None, ...]
    entries: tuple[E, ...]
    pending: tuple[E, ...]
    disagreements: tuple[tuple[E, ...], ...]
    lapses: tuple[Lapse, ...] = ()

    @property
    def last(self) -> E | None:
        """The latest settled winning entry."""
        return self.entries[-1] if self.entries else None


class Recordable(Protocol):
    """What :func:`recorded_time` reads: a history entry, or a reported delivery."""

    @property
    def at(self) -> When: ...
    @property
    def source(self) -> str: ...
    @property
    def recorded(self) -> When | None: ...


def recorded_time(entry: Recordable, published: Mapping[str, When | None] | None) -> When:
    """When an entry (or a reported delivery) became known: its own ``recorded``, else its
    source's publication, else its own valid time (an entity read outside a scenario does not
    know its sources)."""
    if entry.recorded is not None:
        return entry.recorded
    if published is not None:
        when = published.get(entry.source)
        if when is not None:
            return when
    return entry.at


def correction_time(
    correction: Correction,
    history: Sequence[Entry[Any]],
    published: Mapping[str, When | None] | None,
) -> When | None:
    """When a correction became known: its own ``recorded``, else its source's publication,
    else when the entry it corrects became known (``None`` when ``history`` has no entry of
    that id)."""
    if correction.recorded is not None:
        return correction.recorded
    if published is not None:
        when = published.get(correction.source)
        if when is not None:
            return when
    for entry in history:
        if entry.id == correction.entry:
            return recorded_time(entry, published)
    return None


def corrected(
    history: Sequence[E],
    corrections: Sequence[Correction],
    known_at: int | None = None,
    published: Mapping[str, When | None] | None = None,
) -> Sequence[E]:
    """``history`` as known at ``known_at`` (microseconds, see :attr:`When.hi_us`; ``None``:
    everything): the entries recorded by then, with the corrections known by then applied in
    the order they are listed. A retracted entry is left out, an erratum replaces the fields it
    gives (:meth:`Correction.changes`); a later erratum of the same entry overrides an earlier
    one, and nothing brings back a retracted entry. Whether an entry is known is decided on the
    entry as first recorded. Corrections naming no entry of ``history`` are ignored here (an
    entity refuses them when it is built)."""
    out: list[E | None] = list(history)
    if known_at is not None:
        for i, e in enumerate(history):
            if recorded_time(e, published).hi_us > known_at:
                out[i] = None
    if corrections:
        where = {e.id: i for i, e in enumerate(history) if e.id is not None}
        for c in corrections:
            at = where.get(c.entry)
            if at is None:
                continue
            entry = out[at]
            if entry is None:
                continue
            if known_at is not None:
                when = correction_time(c, history, published)
                if when is None or when.hi_us > known_at:
                    continue
            out[at] = None if c.retracts else attrs.evolve(entry, **c.changes())  # type: ignore[arg-type]
    return [e for e in out if e is not None]


def claim_groups(history: Sequence[E]) -> list[list[E]]:
    """Split a chronological history into groups of claims about one event.

    An entry joins the group before it when it is a claim about the same event as that group's
    most precise claim (:meth:`~tradetruce.Entry.same_claim_slot`); every claim of a group
    therefore contains the group's event time (:func:`event_time`).
    """
    groups: list[list[E]] = []
    tight: E | None = None
    for entry in history:
        if tight is not None and tight.same_claim_slot(entry):
            groups[-1].append(entry)
            if entry.at.hi_us - entry.at.lo_us < tight.at.hi_us - tight.at.lo_us:
                tight = entry
        else:
            groups.append([entry])
            tight = entry
    return groups


def event_time(group: Sequence[E]) -> When:
    """When the event a claim group describes happens: its most precise claim's time value
    (the first of the narrowest)."""
    if len(group) == 1:
        return group[0].at
    return min((e.at for e in group), key=lambda w: w.hi_us - w.lo_us)


def winner(group: Sequence[E]) -> E:
    """The claim that a reading follows (see the module docs)."""
    if len(group) == 1:
        return group[0]
    best = max(
        range(len(group)),
        key=lambda i: (group[i].evidence.rank, recorded_time(group[i], None).hi_us, i),
    )
    return group[best]


@attrs.frozen(eq=False)
class Claims(Generic[E]):
    """A history's events, resolved once: what its reading at any moment is built from.

    An *event* is a claim group (competing claims about one move count once). The order of a
    history is itself a fact: an event cannot precede one listed before it, nor follow one listed
    after it. So an event has certainly happened once any later-listed event has (``settle``),
    and may have happened only once every earlier-listed event may have (``start``). Both are in
    whole microseconds since 0001-01-01 UTC (:attr:`When.lo_us`) and never decrease along the
    history, so counting the events that have happened by an instant is a binary search.

    Attributes:
        groups: the claim groups, oldest first.
        winners: the claim a reading follows in each group (:func:`winner`).
        disputed: for each group, whether its claims say different things.
        times: for each group, when its event happens (:func:`event_time`).
        settle: for each event, when it has certainly happened: the earliest latest instant of
            it and of every event listed after it.
        start: for each event, when it may have happened: the latest earliest instant of it and
            of every event listed before it.
    """

    groups: tuple[tuple[E, ...], ...]
    winners: tuple[E, ...]
    disputed: tuple[bool, ...]
    times: tuple[When, ...]
    settle: tuple[int, ...]
    start: tuple[int, ...]

    @classmethod
    def of(cls, history: Sequence[E]) -> Claims[E]:
        """The events of a chronological history."""
        groups = tuple(tuple(g) for g in claim_groups(history))
        if len(groups) == len(history):  # no competing claims: the common case
            wins: tuple[E, ...] = tuple(history)
            disputed: tuple[bool, ...] = (False,) * len(wins)
            times = tuple(e.at for e in history)
        else:
            wins = tuple(winner(g) for g in groups)
            disputed = tuple(
                len(g) > 1 and any(not w.says_same(e) for e in g)
                for g, w in zip(groups, wins, strict=True)
            )
            times = tuple(event_time(g) for g in groups)
        settle = [w.hi_us for w in times]
        for i in range(len(settle) - 2, -1, -1):
            if settle[i] > settle[i + 1]:
                settle[i] = settle[i + 1]
        start = [w.lo_us for w in times]
        for i in range(1, len(start)):
            if start[i] < start[i - 1]:
                start[i] = start[i - 1]
        return cls(groups, wins, disputed, times, tuple(settle), tuple(start))

    def counts(self, u: int) -> tuple[int, int]:
        """How many events have certainly happened by ``u`` (microseconds, see
        :attr:`When.lo_us`), and how many may have (never fewer)."""
        settled = bisect.bisect_right(self.settle, u)
        return settled, max(settled, bisect.bisect_right(self.start, u))

    def reading(self, settled: int, started: int, u: int | None = None) -> Reading[Any, E]:
        """The reading when the first ``settled`` events have certainly happened and the first
        ``started`` may have (the ones between are pending), at ``u`` (microseconds; ``None``:
        at the end of the history, where no stated time is asked about).

        This is the rule for status, candidates, certainty and disagreements: the status is
        the last settled winner's; every pending winner adds its status as a candidate; at
        ``u``, every lapse of the settled entries (:mod:`tradetruce.model.lapse`) adds the
        status it leads to; the reading is certain when only one candidate remains; every
        disputed event that may have happened is a disagreement.
        """
        entries = self.winners[:settled]
        pending = self.winners[settled:started]
        status = entries[-1].to if entries else None
        candidates: list[Any] = [status]
        for e in pending:
            if e.to not in candidates:
                candidates.append(e.to)
        lapses: tuple[Lapse, ...] = ()
        if entries and u is not None:
            lapses = type(entries[-1]).lapses_at(entries, u)
            for lapse in lapses:
                if lapse.to not in candidates:
                    candidates.append(lapse.to)
        certain = len(candidates) == 1
        disputed = self.disputed
        disagreements: tuple[tuple[E, ...], ...] = ()
        if True in disputed:
            disagreements = tuple(self.groups[j] for j in range(started) if disputed[j])
        return Reading(
            status if certain else None,
            certain,
            tuple(candidates),
            entries,
            pending,
            disagreements,
            lapses,
        )


def read(
    history: Sequence[E],
    t: _dt.datetime | None = None,
    known_at: _dt.datetime | None = None,
    published: Mapping[str, When | None] | None = None,
    corrections: Sequence[Correction] = (),
) -> Reading[Any, E]:
    """Fold a history at ``t`` (``None``: its end) as known at ``known_at`` (``None``: all).

    ``t`` and ``known_at`` must be UTC datetimes (see :func:`tradetruce.values.when.utc`).
    ``published`` maps source ids to publication times, the default recorded time of the
    entries citing them. ``corrections`` are the entity's own, applied as known at
    ``known_at`` (:func:`corrected`).
    """
    visible: Sequence[E] = history
    if known_at is not None or corrections:
        visible = corrected(history, corrections, _us(known_at), published)
    claims = Claims.of(visible)
    if t is None:
        return claims.reading(len(claims.groups), len(claims.groups))
    u = to_us(t)
    return claims.reading(*claims.counts(u), u)


def _us(t: _dt.datetime | None) -> int | None:
    return None if t is None else to_us(t)
