"""Lapses: a stated end or start that has come with nothing recorded about it.

A measure's history can say when something is *due* to happen without saying that it happened: a
suspension ``until`` 10 November, a scheduled measure ``effective`` 1 November, a tariff that
``expires`` at the end of the year. When that time has come and the history records nothing
after it (no extension, no entry into force, no expiry), the measure may still stand where it
stood or may have moved on; the data cannot decide. This module holds the rule, and the history
fold (:mod:`tradetruce.model.history`) applies it to every reading:

> After folding, a measure whose settled status is ``paused`` with a current suspension whose
> ``until`` has begun, ``scheduled`` with an ``effective`` time that has begun, or ``in_force``
> (or, for a trade remedy, ``definitive`` or ``interim_review``: :data:`EXPIRES_FROM`) with an
> ``expires`` time that has begun, carries a :class:`Lapse`; its reading is then not certain,
> and lists the status the lapse leads to as a candidate.

"Begun" means the time value's earliest instant has come (``lo_us <= t``); a lapse is
``passed`` once its latest instant has. A lapse leads on: a suspension that ends with the
measure restored uncovers the measure's own expiry, if that has begun too, so one reading may
carry a chain of lapses. :meth:`tradetruce.Scenario.advance` (and ``Scenario.at(...,
project=True)``) turns passed lapses into projected history entries.
"""

from __future__ import annotations

from enum import StrEnum

import attrs

from tradetruce.model.lifecycle import MeasureStatus
from tradetruce.values.suspension import Suspension, SuspensionEnd
from tradetruce.values.terms import Terms
from tradetruce.values.when import When

__all__ = ["EXPIRES_FROM", "MAY_LAPSE", "Lapse", "LapseKind", "lapses"]

#: The statuses in which a measure's own ``expires`` time ends it when it comes with nothing
#: recorded: a measure in force, and a trade remedy's definitive duties (also under an interim
#: review). Not an expiry review: while one runs, the duties stay in force past their expiry.
EXPIRES_FROM: frozenset[MeasureStatus] = frozenset(
    {MeasureStatus.IN_FORCE, MeasureStatus.DEFINITIVE, MeasureStatus.INTERIM_REVIEW}
)
#: The statuses a stated time can move a measure out of by itself.
MAY_LAPSE: frozenset[MeasureStatus] = EXPIRES_FROM | {MeasureStatus.PAUSED, MeasureStatus.SCHEDULED}


class LapseKind(StrEnum):
    """What came due."""

    SUSPENSION_END = "suspension_end"  #: a suspension's ``until``
    EFFECTIVE = "effective"  #: a scheduled measure's ``effective`` time
    EXPIRY = "expiry"  #: a measure's own ``expires`` time


#: For each kind: what a passed lapse says, what one in progress says, and what is not recorded.
_WHAT = {
    LapseKind.SUSPENSION_END: (
        "suspension ended",
        "suspension may have ended",
        "no extension or end recorded",
    ),
    LapseKind.EFFECTIVE: (
        "effective time came",
        "effective time may have come",
        "no entry into force recorded",
    ),
    LapseKind.EXPIRY: ("expiry came", "expiry may have come", "no expiry or extension recorded"),
}


@attrs.frozen(kw_only=True)
class Lapse:
    """A stated end or start that has begun with nothing recorded about it (see the module docs).

    Attributes:
        kind: what came due.
        due: the time value it was due at, as the history gives it.
        to: the status it leads to: ``in_force`` (a suspension that restores, an effective
            time) or ``expired`` (a suspension that lapses into expiry, an expiry).
        passed: True when ``due`` has certainly passed (its latest instant has come); False
            while the moment lies inside ``due``.
    """

    kind: LapseKind
    due: When
    to: MeasureStatus
    passed: bool

    def __str__(self) -> str:
        done, maybe, missing = _WHAT[self.kind]
        said = f"{done} {self.due}" if self.passed else f"{maybe} ({self.due})"
        return f"{said}; {missing}"


def lapses(
    status: MeasureStatus | None, terms: Terms | None, suspension: Suspension | None, u: int
) -> tuple[Lapse, ...]:
    """The lapses of a measure whose settled status is ``status``, with ``terms`` and current
    ``suspension``, at ``u`` (microseconds, see :attr:`When.lo_us`); ``()`` when none."""
    found: list[Lapse] = []
    current = status
    while current is not None:
        kind, due, to = _due(current, terms, suspension)
        if kind is None or due is None or to is None or due.lo_us > u:
            break
        found.append(Lapse(kind=kind, due=due, to=to, passed=due.hi_us <= u))
        current = to
    return tuple(found)


def _due(
    status: MeasureStatus, terms: Terms | None, suspension: Suspension | None
) -> tuple[LapseKind | None, When | None, MeasureStatus | None]:
    """What may move a measure out of ``status`` by itself: its kind, time and the status after."""
    if status is MeasureStatus.PAUSED and suspension is not None:
        restore = suspension.at_end is SuspensionEnd.RESTORE
        to = MeasureStatus.IN_FORCE if restore else MeasureStatus.EXPIRED
        return LapseKind.SUSPENSION_END, suspension.until, to
    if status is MeasureStatus.SCHEDULED and terms is not None:
        return LapseKind.EFFECTIVE, terms.effective, MeasureStatus.IN_FORCE
    if status in EXPIRES_FROM and terms is not None:
        return LapseKind.EXPIRY, terms.expires, MeasureStatus.EXPIRED
    return None, None, None
