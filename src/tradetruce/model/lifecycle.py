"""Lifecycles as data: statuses, transition tables, their checks and their diagrams.

Each table maps a status to the statuses it may move to. Tables are checked when this module is
imported (exactly one initial status, terminal statuses have no exits, every status reachable), so
a broken table cannot ship. Diagrams in the docs are generated from the same tables.

>>> MEASURE.allowed_transitions(MeasureStatus.PROPOSED) == {
...     MeasureStatus.SCHEDULED,
...     MeasureStatus.IN_FORCE,
...     MeasureStatus.PAUSED,
...     MeasureStatus.WITHDRAWN,
... }
True
>>> MEASURE.is_terminal(MeasureStatus.EXPIRED)
True

Trade remedies (anti-dumping, countervailing and safeguard measures) move through their own
table, :data:`REMEDY`, over statuses of the same :class:`MeasureStatus` enumeration; what each of
its statuses means for duties is data too (:data:`REMEDY_CHARGES`):

>>> REMEDY.allowed_transitions(MeasureStatus.PROVISIONAL_SECURED) == {
...     MeasureStatus.PROVISIONAL_COLLECTED,
...     MeasureStatus.DEFINITIVE,
...     MeasureStatus.TERMINATED,
... }
True
>>> REMEDY_CHARGES[MeasureStatus.PROVISIONAL_SECURED]
<Charges.SECURED: 'secured'>
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, Generic, TypeVar

import attrs

from tradetruce.errors import InvalidValueError, LifecycleDefinitionError
from tradetruce.values._validate import shown

__all__ = [
    "DEADLINE",
    "LIFECYCLES",
    "MEASURE",
    "NEGOTIATION",
    "REMEDY",
    "REMEDY_CHARGES",
    "Charges",
    "DeadlineStatus",
    "Lifecycle",
    "MeasureStatus",
    "NegotiationStatus",
]


class MeasureStatus(StrEnum):
    """Where a unilateral trade measure stands."""

    PROPOSED = "proposed"  #: announced or threatened, not yet scheduled
    SCHEDULED = "scheduled"  #: adopted, with an effective time still ahead
    IN_FORCE = "in_force"
    PAUSED = "paused"  #: suspended, for a time or until further notice
    # From here to terminated: the statuses of trade remedies (the REMEDY table), which end in
    # withdrawn or expired like any measure.
    INITIATED = "initiated"  #: a trade-remedy investigation opened
    #: the investigation's time limit extended, no provisional measures yet
    INVESTIGATION_EXTENDED = "investigation_extended"
    #: provisional duties secured by guarantees or deposits: collected only if definitive duties
    #: follow and say so
    PROVISIONAL_SECURED = "provisional_secured"
    PROVISIONAL_COLLECTED = "provisional_collected"  #: provisional duties collected as duties
    DEFINITIVE = "definitive"  #: definitive duties imposed
    INTERIM_REVIEW = "interim_review"  #: definitive duties under an interim review
    #: definitive duties kept in force while an expiry review runs
    EXPIRY_REVIEW = "expiry_review"
    TERMINATED = "terminated"  #: investigation closed without definitive measures
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


class DeadlineStatus(StrEnum):
    """Where a deadline stands."""

    PENDING = "pending"
    EXTENDED = "extended"  #: pending again, with a new due time
    MET = "met"
    MISSED = "missed"
    CANCELLED = "cancelled"


class NegotiationStatus(StrEnum):
    """Where talks stand."""

    SCHEDULED = "scheduled"
    IN_TALKS = "in_talks"
    PRELIMINARY_CONSENSUS = "preliminary_consensus"
    #: agreed in substance (a framework, a deal announced), not yet signed: no terms carried out
    FRAMEWORK_AGREED = "framework_agreed"
    SIGNED = "signed"
    IN_EFFECT = "in_effect"
    SUSPENDED = "suspended"
    COLLAPSED = "collapsed"
    TERMINATED = "terminated"


class Charges(StrEnum):
    """What a trade remedy in a status charges on goods it reaches."""

    YES = "yes"  #: a duty, collected
    #: secured by a guarantee or deposit: collected only if definitive duties follow
    SECURED = "secured"
    NO = "no"  #: nothing


S = TypeVar("S", MeasureStatus, DeadlineStatus, NegotiationStatus)


@attrs.frozen
class Lifecycle(Generic[S]):
    """A transition table over a status enumeration.

    Attributes:
        name: what the lifecycle is of ("measure").
        status_type: the enumeration its statuses are members of.
        initial: the status every history starts in.
        table: status -> the statuses it may move to. Its rows are the lifecycle's statuses: all
            of ``status_type``, or some of them when two tables share an enumeration (the
            measure and remedy tables share :class:`MeasureStatus`).
    """

    name: str
    status_type: type[S]
    initial: S
    table: Mapping[S, frozenset[S]]

    def __attrs_post_init__(self) -> None:
        members = set(self.table)
        targets = {t for ts in self.table.values() for t in ts}
        named = {self.initial} | targets
        if not named <= members or not members <= set(self.status_type):
            missing = sorted(str(m) for m in named - members)
            raise LifecycleDefinitionError(f"{self.name}: no row for {missing}")
        entry_points = members - targets
        if entry_points != {self.initial}:
            raise LifecycleDefinitionError(
                f"{self.name}: exactly one status may be unreachable by a move (the initial one); "
                f"found {sorted(str(s) for s in entry_points)}"
            )
        seen, frontier = {self.initial}, [self.initial]
        while frontier:
            for nxt in self.table[frontier.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    frontier.append(nxt)
        if seen != members:
            unreachable = sorted(str(s) for s in members - seen)
            raise LifecycleDefinitionError(f"{self.name}: unreachable statuses {unreachable}")
        if not self.terminal:
            raise LifecycleDefinitionError(f"{self.name}: no terminal status")

    @property
    def statuses(self) -> tuple[S, ...]:
        """The lifecycle's statuses, in the order of their enumeration."""
        return tuple(s for s in self.status_type if s in self.table)

    @property
    def terminal(self) -> frozenset[S]:
        """Statuses with no way out."""
        return frozenset(s for s, ts in self.table.items() if not ts)

    def allowed_transitions(self, status: S | None) -> frozenset[S]:
        """The statuses ``status`` may move to; from ``None`` (no history yet), the initial one."""
        if status is None:
            return frozenset({self.initial})
        return self.table[status]

    def can(self, source: S | None, target: S) -> bool:
        """Whether moving from ``source`` to ``target`` is allowed."""
        if source is None:
            return target == self.initial
        return target in self.table[source]

    def is_terminal(self, status: S) -> bool:
        return not self.table[status]

    def parse(self, text: object) -> S:
        """The status named ``text``, or ``ValueError`` naming the allowed values."""
        for member in self.statuses:
            if member.value == text:
                return member
        allowed = ", ".join(m.value for m in self.statuses)
        raise ValueError(f"{text!r} is not a {self.name} status; allowed: {allowed}")

    def mermaid(self) -> str:
        """A Mermaid state diagram generated from the table.

        >>> print(DEADLINE.mermaid().splitlines()[0])
        stateDiagram-v2
        """
        lines = ["stateDiagram-v2", f"    [*] --> {self.initial.value}"]
        for status in self.statuses:
            for target in sorted(self.table[status], key=list(self.status_type).index):
                lines.append(f"    {status.value} --> {target.value}")
            if not self.table[status]:
                lines.append(f"    {status.value} --> [*]")
        return "\n".join(lines)


def _table(rows: Mapping[S, tuple[S, ...]]) -> Mapping[S, frozenset[S]]:
    return {status: frozenset(targets) for status, targets in rows.items()}


_M = MeasureStatus
MEASURE: Lifecycle[MeasureStatus] = Lifecycle(
    "measure",
    MeasureStatus,
    _M.PROPOSED,
    _table(
        {
            _M.PROPOSED: (_M.SCHEDULED, _M.IN_FORCE, _M.PAUSED, _M.WITHDRAWN),
            _M.SCHEDULED: (_M.IN_FORCE, _M.PAUSED, _M.WITHDRAWN),
            _M.IN_FORCE: (_M.PAUSED, _M.WITHDRAWN, _M.EXPIRED),
            _M.PAUSED: (_M.SCHEDULED, _M.IN_FORCE, _M.WITHDRAWN, _M.EXPIRED),
            _M.WITHDRAWN: (),
            _M.EXPIRED: (),
        }
    ),
)

_D = DeadlineStatus
DEADLINE: Lifecycle[DeadlineStatus] = Lifecycle(
    "deadline",
    DeadlineStatus,
    _D.PENDING,
    _table(
        {
            _D.PENDING: (_D.MET, _D.MISSED, _D.EXTENDED, _D.CANCELLED),
            # A second extension moves extended -> extended with a new due time.
            _D.EXTENDED: (_D.MET, _D.MISSED, _D.EXTENDED, _D.CANCELLED),
            _D.MET: (),
            _D.MISSED: (),
            _D.CANCELLED: (),
        }
    ),
)

_N = NegotiationStatus
NEGOTIATION: Lifecycle[NegotiationStatus] = Lifecycle(
    "negotiation",
    NegotiationStatus,
    _N.SCHEDULED,
    _table(
        {
            _N.SCHEDULED: (_N.IN_TALKS, _N.SUSPENDED, _N.COLLAPSED),
            _N.IN_TALKS: (
                _N.PRELIMINARY_CONSENSUS,
                _N.FRAMEWORK_AGREED,
                _N.SIGNED,
                _N.SUSPENDED,
                _N.COLLAPSED,
            ),
            # Consensus can fall back to talks when one capital does not approve it.
            _N.PRELIMINARY_CONSENSUS: (
                _N.IN_TALKS,
                _N.FRAMEWORK_AGREED,
                _N.SIGNED,
                _N.SUSPENDED,
                _N.COLLAPSED,
            ),
            # Agreed, not signed: the text can still be reopened, signed or abandoned.
            _N.FRAMEWORK_AGREED: (_N.IN_TALKS, _N.SIGNED, _N.SUSPENDED, _N.COLLAPSED),
            _N.SUSPENDED: (_N.IN_TALKS, _N.COLLAPSED),
            # Talks go on after a deal: further rounds (an extension, a framework, a leaders'
            # meeting) belong to the same negotiation. Going back to talks undoes nothing the
            # deal already carried out: the measures' own histories hold that.
            _N.SIGNED: (_N.IN_EFFECT, _N.IN_TALKS, _N.TERMINATED),
            _N.IN_EFFECT: (_N.IN_TALKS, _N.TERMINATED),
            _N.COLLAPSED: (),
            _N.TERMINATED: (),
        }
    ),
)

REMEDY: Lifecycle[MeasureStatus] = Lifecycle(
    "remedy",
    MeasureStatus,
    _M.INITIATED,
    _table(
        {
            # A second extension moves investigation_extended -> investigation_extended. An
            # extension while provisional duties run is an amendment (or a deadline's
            # extension): the duties do not stop.
            _M.INITIATED: (
                _M.INVESTIGATION_EXTENDED,
                _M.PROVISIONAL_SECURED,
                _M.PROVISIONAL_COLLECTED,
                _M.DEFINITIVE,
                _M.TERMINATED,
            ),
            _M.INVESTIGATION_EXTENDED: (
                _M.INVESTIGATION_EXTENDED,
                _M.PROVISIONAL_SECURED,
                _M.PROVISIONAL_COLLECTED,
                _M.DEFINITIVE,
                _M.TERMINATED,
            ),
            _M.PROVISIONAL_SECURED: (_M.PROVISIONAL_COLLECTED, _M.DEFINITIVE, _M.TERMINATED),
            _M.PROVISIONAL_COLLECTED: (_M.DEFINITIVE, _M.TERMINATED),
            # Undertakings and changes of rates are amendments of the definitive terms.
            _M.DEFINITIVE: (_M.INTERIM_REVIEW, _M.EXPIRY_REVIEW, _M.WITHDRAWN, _M.EXPIRED),
            _M.INTERIM_REVIEW: (_M.DEFINITIVE, _M.WITHDRAWN, _M.EXPIRED),
            # An expiry review keeps the duties in force while it runs; it ends in definitive
            # duties kept for a further period, or in expiry.
            _M.EXPIRY_REVIEW: (_M.DEFINITIVE, _M.EXPIRED),
            _M.TERMINATED: (),
            _M.WITHDRAWN: (),
            _M.EXPIRED: (),
        }
    ),
)

#: What a trade remedy in each of its statuses charges: a certain layer of the tariff stack
#: (``yes``), a layer that may or may not be collected (``secured``), or nothing (``no``).
REMEDY_CHARGES: Mapping[MeasureStatus, Charges] = {
    _M.INITIATED: Charges.NO,
    _M.INVESTIGATION_EXTENDED: Charges.NO,
    _M.PROVISIONAL_SECURED: Charges.SECURED,
    _M.PROVISIONAL_COLLECTED: Charges.YES,
    _M.DEFINITIVE: Charges.YES,
    _M.INTERIM_REVIEW: Charges.YES,
    _M.EXPIRY_REVIEW: Charges.YES,
    _M.TERMINATED: Charges.NO,
    _M.WITHDRAWN: Charges.NO,
    _M.EXPIRED: Charges.NO,
}
if set(REMEDY_CHARGES) != set(REMEDY.table):
    raise LifecycleDefinitionError("remedy: REMEDY_CHARGES needs exactly one row per status")

#: Every lifecycle, by the name of what it governs.
LIFECYCLES: Mapping[
    str, Lifecycle[MeasureStatus] | Lifecycle[DeadlineStatus] | Lifecycle[NegotiationStatus]
] = {
    "measure": MEASURE,
    "remedy": REMEDY,
    "deadline": DEADLINE,
    "negotiation": NEGOTIATION,
}


_ALL_STATUSES = frozenset(m.value for lc in LIFECYCLES.values() for m in lc.status_type)


def _status_name(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if type(value) is not str or value not in _ALL_STATUSES:
        raise InvalidValueError(
            f"{attribute.name}: {shown(value)} is not a status of any lifecycle",
            field=attribute.name,
            value=value,
            allowed=", ".join(sorted(_ALL_STATUSES)),
        )
