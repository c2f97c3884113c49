"""History entries, the fold that turns them into a status, and the rules they must obey.

An entity's history is the source of truth: its status, terms and due time are derived from it.
Each entry says what moved (``from_`` -> ``to``), when it happened (``at``, valid time), when it
became known (``recorded``, default: the publication of its ``source``), on what evidence, and why.

Entries with the same ``at`` and the same ``from_`` are competing *claims* about one event. A
reading resolves them by a fixed rule: the strongest evidence wins (official text over a party's
claim over a press report over a projection); among equals, the later explicit ``recorded`` time
(an entry without one counts as recorded at its own valid time); among equals, the entry listed
later. The rule reads only the entries themselves, never their sources, so an entity's own
``status`` and a Scenario's views always pick the same winner. The losing claims stay in the
history and are reported as disagreements.

At an instant ``t``, an entry counts once its time has certainly come (``at.latest <= t``); while
``t`` lies inside an entry's time value the reading is *uncertain* and lists every candidate
status. With ``known_at=k`` only entries recorded by ``k`` (``recorded.latest <= k``) are used:
the bitemporal rule that keeps look-ahead out of a back-test.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Self, TypeVar

import attrs

from tradetruce.errors import IllegalTransitionError, InvalidValueError
from tradetruce.model.lifecycle import (
    DeadlineStatus,
    Lifecycle,
    MeasureStatus,
    NegotiationStatus,
)
from tradetruce.values import _validate as v
from tradetruce.values.terms import Terms
from tradetruce.values.when import When, to_us, utc

__all__ = [
    "DeadlineEntry",
    "Entry",
    "Evidence",
    "MeasureEntry",
    "NegotiationEntry",
    "Reading",
]

S = TypeVar("S", MeasureStatus, DeadlineStatus, NegotiationStatus)


class Evidence(StrEnum):
    """How strongly a history entry is established, strongest first."""

    OFFICIAL = "official"  #: the acting government's own text or notice
    CLAIMED = "claimed"  #: a named party says so (``claimed_by``)
    REPORTED = "reported"  #: a press or third-party report
    PROJECTED = "projected"  #: projected by tradetruce (a deadline's consequence, a what-if)

    @property
    def rank(self) -> int:
        """Higher wins when claims disagree."""
        return _RANK[self]


_RANK = {
    Evidence.OFFICIAL: 3,
    Evidence.CLAIMED: 2,
    Evidence.REPORTED: 1,
    Evidence.PROJECTED: 0,
}


@attrs.frozen(kw_only=True)
class Entry(Generic[S]):
    """One step of an entity's history (see the module docs).

    Attributes:
        from_: the status before (``None`` for the first entry). Serialized as ``from``.
        to: the status after; equal to ``from_`` for an amendment.
        at: when it happens or happened (valid time), as precisely as known.
        source: the id of the source that reports it.
        recorded: when it became known; ``None`` means "when its source was published".
        evidence: how strongly it is established.
        claimed_by: the party that claims it, required for ``Evidence.CLAIMED``.
        note: a short free-text note (no copied sentences from sources).
    """

    STATUS: ClassVar[type[StrEnum]]

    from_: S | None
    to: S
    at: When = attrs.field(validator=v.instance(When))
    source: str = attrs.field(validator=v.an_id)
    recorded: When | None = attrs.field(default=None, validator=v.instance(When, optional=True))
    evidence: Evidence = attrs.field(default=Evidence.REPORTED, validator=v.instance(Evidence))
    claimed_by: str | None = attrs.field(default=None, validator=v.an_optional_id)
    note: str = attrs.field(default="", validator=v.text)

    def __attrs_post_init__(self) -> None:
        kind = type(self).STATUS
        if type(self.to) is not kind or (self.from_ is not None and type(self.from_) is not kind):
            # Not the plain case: check each the general way, for the error.
            for name, value in (("to", self.to), ("from_", self.from_)):
                if value is None and name == "from_":
                    continue
                if not isinstance(value, kind):
                    raise InvalidValueError(
                        f"{name}: {value!r} is not a {kind.__name__}",
                        field=name,
                        value=value,
                        allowed=", ".join(m.value for m in kind),
                    )
        if (self.evidence is Evidence.CLAIMED) != (self.claimed_by is not None):
            raise InvalidValueError(
                "claimed_by names the claiming party exactly when evidence is 'claimed'",
                field="claimed_by",
                value=self.claimed_by,
                allowed="evidence='claimed' with claimed_by=<party id>, or neither",
            )

    @classmethod
    def record(
        cls,
        from_: S | None,
        to: S,
        *,
        at: When | _dt.datetime | str,
        source: str,
        recorded: When | _dt.datetime | str | None = None,
        evidence: Evidence = Evidence.REPORTED,
        claimed_by: str | None = None,
        note: str = "",
        **extra: Any,
    ) -> Self:
        """An entry with its times given in any form :meth:`When.coerce` accepts.

        ``extra`` carries the subclass's own fields (``terms`` for measures, ``due`` for
        deadlines). This is what the entities' ``propose``/``create``/``transition`` use.
        """
        return cls(
            from_=from_,
            to=to,
            at=When.coerce(at),
            source=source,
            recorded=None if recorded is None else When.coerce(recorded),
            evidence=evidence,
            claimed_by=claimed_by,
            note=note,
            **extra,
        )

    @property
    def is_amendment(self) -> bool:
        """True when the entry changes terms or due time but not the status."""
        return self.from_ == self.to

    def same_claim_slot(self, other: Entry[Any]) -> bool:
        """True when both entries speak of one event: same time value, same starting status."""
        x, y = self.at, other.at
        # Identity first (a document shares one object per distinct time text), then the
        # integer bounds, which settle most unequal pairs without comparing every field.
        if x is not y and (x.lo_us != y.lo_us or x.hi_us != y.hi_us or x != y):
            return False
        return self.from_ == other.from_

    def says_same(self, other: Entry[Any]) -> bool:
        """True when two claims agree on everything but their provenance."""
        return self.to == other.to and self._payload() == other._payload()

    def _payload(self) -> tuple[object, ...]:
        return ()


@attrs.frozen(kw_only=True)
class MeasureEntry(Entry[MeasureStatus]):
    """A step of a measure's history; ``terms``, when given, replace the measure's terms."""

    STATUS: ClassVar[type[StrEnum]] = MeasureStatus
    terms: Terms | None = attrs.field(default=None, validator=v.instance(Terms, optional=True))

    def _payload(self) -> tuple[object, ...]:
        return (self.terms,)


@attrs.frozen(kw_only=True)
class DeadlineEntry(Entry[DeadlineStatus]):
    """A step of a deadline's history; ``due`` sets the due time (first entry and extensions)."""

    STATUS: ClassVar[type[StrEnum]] = DeadlineStatus
    due: When | None = attrs.field(default=None, validator=v.instance(When, optional=True))

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        needs_due = self.from_ is None or self.to is DeadlineStatus.EXTENDED
        if needs_due and self.due is None:
            raise InvalidValueError(
                "a deadline's first entry and every extension give the due time",
                field="due",
                value=None,
                allowed="due=<a time value>",
            )
        if not needs_due and self.due is not None:
            raise InvalidValueError(
                f"only a first entry or an extension sets a due time, not a move to {self.to}",
                field="due",
                value=self.due,
                allowed="no due here (extend the deadline instead)",
            )

    def _payload(self) -> tuple[object, ...]:
        return (self.due,)


@attrs.frozen(kw_only=True)
class NegotiationEntry(Entry[NegotiationStatus]):
    """A step of a negotiation's history."""

    STATUS: ClassVar[type[StrEnum]] = NegotiationStatus


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
    """

    status: S | None
    certain: bool
    candidates: tuple[S | None, ...]
    entries: tuple[E, ...]
    pending: tuple[E, ...]
    disagreements: tuple[tuple[E, ...], ...]

    @property
    def last(self) -> E | None:
        """The latest settled winning entry."""
        return self.entries[-1] if self.entries else None


def recorded_time(entry: Entry[Any], published: Mapping[str, When | None] | None) -> When:
    """When an entry became known: its own ``recorded``, else its source's publication, else
    its own valid time (an entity read outside a scenario does not know its sources)."""
    if entry.recorded is not None:
        return entry.recorded
    if published is not None:
        when = published.get(entry.source)
        if when is not None:
            return when
    return entry.at


def claim_groups(history: Sequence[E]) -> list[list[E]]:
    """Split a chronological history into groups of claims about one event."""
    groups: list[list[E]] = []
    for entry in history:
        if groups and groups[-1][0].same_claim_slot(entry):
            groups[-1].append(entry)
        else:
            groups.append([entry])
    return groups


def winner(group: Sequence[E]) -> E:
    """The claim that a reading follows (see the module docs)."""
    if len(group) == 1:
        return group[0]
    best = max(
        range(len(group)),
        key=lambda i: (group[i].evidence.rank, recorded_time(group[i], None).hi_us, i),
    )
    return group[best]


def read(
    history: Sequence[E],
    t: _dt.datetime | None = None,
    known_at: _dt.datetime | None = None,
    published: Mapping[str, When | None] | None = None,
) -> Reading[Any, E]:
    """Fold a history at ``t`` (``None``: its end) as known at ``known_at`` (``None``: all).

    ``t`` and ``known_at`` must be UTC datetimes (see :func:`tradetruce.values.when.utc`).
    """
    visible: Sequence[E] = history
    if known_at is not None:
        k = to_us(known_at)
        visible = [e for e in history if recorded_time(e, published).hi_us <= k]
    groups = claim_groups(visible)
    settled: list[E] = []
    pending: list[E] = []
    disagreements: list[tuple[E, ...]] = []
    if t is None:
        n_settled, n_started = len(groups), len(groups)
    else:
        n_settled, n_started = _split(groups, t)
    for i, group in enumerate(groups[:n_started]):
        win = winner(group)
        if len(group) > 1 and any(not win.says_same(e) for e in group):
            disagreements.append(tuple(group))
        (settled if i < n_settled else pending).append(win)
    status = settled[-1].to if settled else None
    candidates: list[Any] = [status]
    for e in pending:
        if e.to not in candidates:
            candidates.append(e.to)
    certain = len(candidates) == 1
    return Reading(
        status if certain else None,
        certain,
        tuple(candidates),
        tuple(settled),
        tuple(pending),
        tuple(disagreements),
    )


def _split(groups: Sequence[Sequence[E]], t: _dt.datetime) -> tuple[int, int]:
    """How many groups have certainly happened by ``t``, and how many may have.

    The order of a history is itself a fact: an event cannot precede one listed before it, nor
    follow one listed after it. So an event has certainly happened once any later-listed event
    has (bounds tighten along the sequence), and may have happened only once every earlier-listed
    event may have.
    """
    n = len(groups)
    settled = 0
    floor = None
    u = to_us(t)
    for i in range(n - 1, -1, -1):
        if groups[i][0].at.hi_us <= u:
            settled = i + 1
            break
    started = settled
    for i in range(n):
        earliest = groups[i][0].at.lo_us
        floor = earliest if floor is None or earliest > floor else floor
        if floor > u:
            break
        started = max(started, i + 1)
    return settled, started


def check_history(
    entity: str,
    lifecycle: Lifecycle[Any],
    history: object,
    entry_type: type[Entry[Any]],
    *,
    amendable: bool,
) -> None:
    """Raise unless ``history`` is a legal, chronological history for ``lifecycle``."""
    if type(history) is not tuple or not history:
        raise InvalidValueError(
            f"{entity}: history must be a non-empty tuple of {entry_type.__name__}",
            field="history",
            value=history,
            allowed=f"a tuple starting with a move to {lifecycle.initial}",
        )
    floor: tuple[When, int] | None = None
    for i, entry in enumerate(history):
        if not isinstance(entry, entry_type):
            raise InvalidValueError(
                f"{entity}: history[{i}] is a {type(entry).__name__}, not a {entry_type.__name__}",
                field=f"history[{i}]",
                value=entry,
                allowed=entry_type.__name__,
            )
        if floor is not None and entry.at.hi_us < floor[0].lo_us:
            raise InvalidValueError(
                f"{entity}: history[{i}] at {entry.at} is certainly before history[{floor[1]}] "
                f"at {floor[0]}, which is listed earlier",
                field=f"history[{i}].at",
                value=entry.at,
                allowed="entries in the order they happened: no entry certainly before an "
                "earlier-listed one",
            )
        if floor is None or entry.at.lo_us > floor[0].lo_us:
            floor = (entry.at, i)
    # The claim groups of `claim_groups`, walked by index: entries [first, index) form the
    # current group, and the status after a group is its winner's.
    current: Any = None
    first = 0
    for index, entry in enumerate(history):
        if index and not history[first].same_claim_slot(entry):
            current = winner(history[first:index]).to
            first = index
        if entry.from_ != current:
            raise IllegalTransitionError(
                entity,
                current,
                entry.to,
                lifecycle.allowed_transitions(current),
                reason=f"history[{index}] says it moves from {entry.from_ or '(nothing)'}, "
                f"but the status then is {current or '(nothing)'}",
                index=index,
            )
        legal = lifecycle.can(current, entry.to) or (
            amendable
            and entry.is_amendment
            and current is not None
            and not lifecycle.is_terminal(current)
        )
        if not legal:
            raise IllegalTransitionError(
                entity,
                current,
                entry.to,
                lifecycle.allowed_transitions(current),
                reason=f"history[{index}]",
                index=index,
            )


class Tracked(Generic[S, E]):
    """What every entity with a lifecycle shares: derived status, readings, transitions."""

    __slots__ = ()
    LIFECYCLE: ClassVar[Lifecycle[Any]]
    ENTRY: ClassVar[type[Entry[Any]]]
    AMENDABLE: ClassVar[bool] = False

    if TYPE_CHECKING:
        id: str
        history: tuple[E, ...]

    def _check_history(self) -> None:
        check_history(self.id, self.LIFECYCLE, self.history, self.ENTRY, amendable=self.AMENDABLE)

    @property
    def status(self) -> S:
        """The status at the end of the history, with every entry known."""
        last = self.history[-1]
        start = len(self.history) - 1
        while start and self.history[start - 1].same_claim_slot(last):
            start -= 1
        result: S = winner(self.history[start:]).to
        return result

    def allowed_transitions(self) -> frozenset[S]:
        """The statuses this entity may move to now."""
        allowed: frozenset[S] = self.LIFECYCLE.allowed_transitions(self.status)
        return allowed

    def reading_at(
        self,
        t: _dt.datetime | When | str | None = None,
        *,
        known_at: _dt.datetime | When | str | None = None,
        published: Mapping[str, When | None] | None = None,
    ) -> Reading[S, E]:
        """The full reading of the history at ``t`` as known at ``known_at``.

        ``t`` and ``known_at`` take an aware datetime, a When, or a When's text form; a calendar
        value stands for its last instant.
        ``published`` maps source ids to publication times (a Scenario passes its own).
        """
        return read(self.history, _instant(t), _instant(known_at), published)

    def status_at(
        self,
        t: _dt.datetime | When | str,
        *,
        known_at: _dt.datetime | When | str | None = None,
        published: Mapping[str, When | None] | None = None,
    ) -> S | None:
        """The status at ``t`` (as known at ``known_at``), or ``None`` when the history does not
        determine one: before the first entry, or while an entry's time value spans ``t``
        (:meth:`reading_at` lists the candidates)."""
        return self.reading_at(t, known_at=known_at, published=published).status

    def with_entry(self, entry: E) -> Self:
        """A copy with ``entry`` appended; the whole history is checked again.

        This is how a competing claim about the last event is added (same ``at`` and ``from_``).
        """
        return attrs.evolve(self, history=(*self.history, entry))  # type: ignore[misc]

    def _moved(self, entry: E) -> Self:
        status = self.status
        legal = self.LIFECYCLE.can(status, entry.to) or (
            self.AMENDABLE and entry.is_amendment and not self.LIFECYCLE.is_terminal(status)
        )
        if not legal:
            raise IllegalTransitionError(
                self.id, status, entry.to, self.LIFECYCLE.allowed_transitions(status)
            )
        return self.with_entry(entry)


def _instant(value: _dt.datetime | When | str | None) -> _dt.datetime | None:
    return None if value is None else utc(When.coerce(value) if isinstance(value, str) else value)
