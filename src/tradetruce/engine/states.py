"""States: what one entity's history says at a view's moment.

A :class:`State` is a :class:`~tradetruce.Reading` of one entity's history (the fold of
:mod:`tradetruce.model.history`) with the entity's id, and for measures the terms, for deadlines
the due time, as they stood. :func:`state_from` makes one from a reading; views
(:mod:`tradetruce.engine.view`) hold them.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

import attrs

from tradetruce.model.deadline import entry_due, latest_due
from tradetruce.model.entries import (
    DeadlineEntry,
    Entry,
    Evidence,
    MeasureEntry,
    current_suspension,
)
from tradetruce.model.history import Reading
from tradetruce.model.lapse import Lapse
from tradetruce.model.lifecycle import DEADLINE, DeadlineStatus, MeasureStatus, NegotiationStatus
from tradetruce.model.measure import latest_terms
from tradetruce.values.suspension import Suspension
from tradetruce.values.terms import Terms
from tradetruce.values.when import When

__all__ = [
    "OPEN_DEADLINE",
    "AnyState",
    "DeadlineState",
    "MeasureState",
    "NegotiationState",
    "State",
    "state_from",
]

S = TypeVar("S", MeasureStatus, DeadlineStatus, NegotiationStatus)

#: Deadline statuses in which a deadline can still be met or missed: those its lifecycle does not
#: end in (as :attr:`tradetruce.Deadline.is_open` says).
OPEN_DEADLINE = frozenset(s for s in DeadlineStatus if not DEADLINE.is_terminal(s))


def status_text(status: object) -> str:
    """A status as shown: its value, or ``(not yet)`` for ``None``."""
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
        lapses: stated times that have come with nothing recorded about them (a suspension's
            end, an effective time, an expiry); each makes the state uncertain and says why
            (``str(lapse)``). See :mod:`tradetruce.model.lapse`.
        projected: True when a projected entry (evidence ``projected``) decides the state: the
            latest settled entry, or one that may or may not have happened.
    """

    id: str
    status: S | None
    certain: bool
    candidates: tuple[S | None, ...]
    entries: tuple[Entry[S], ...] = attrs.field(eq=False, repr=False)
    pending: tuple[Entry[S], ...] = attrs.field(eq=False, repr=False)
    disagreements: tuple[tuple[Entry[S], ...], ...] = attrs.field(eq=False, repr=False)
    lapses: tuple[Lapse, ...] = ()
    projected: bool = False

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
            return status_text(self.status)
        return "uncertain: " + " | ".join(status_text(c) for c in self.candidates)

    def is_disputed(self, entry: Entry[S]) -> bool:
        """True when ``entry`` (a winning claim of this state) has claims beside it that say
        something else."""
        return any(any(e is entry for e in group) for group in self.disagreements)

    def reasons(self) -> tuple[str, ...]:
        """Why the state is not certain, beyond entries whose time spans the moment: one line
        per lapse ("suspension ended 2025-11-10[America/New_York]; no extension or end
        recorded")."""
        return tuple(str(lapse) for lapse in self.lapses)

    def detail(self) -> str:
        """The kind-specific part of the rendering (terms, due time)."""
        return ""

    def __str__(self) -> str:
        parts = [f"{self.id}: {self.status_text()}"]
        if self.projected:
            parts.append("[projected]")
        if self.detail():
            parts.append(self.detail())
        parts.extend(f"[{reason}]" for reason in self.reasons())
        parts.extend(f"[disputed: {dispute}]" for dispute in self.disputes())
        return "  ".join(parts)

    def disputes(self) -> tuple[str, ...]:
        """One line per disagreement, each claim with its source and evidence: ``wh (claimed)
        says paused (...); mofcom (official) says paused``."""
        return tuple(
            "; ".join(f"{e.source} ({e.evidence}) says {_claim(e)}" for e in group)
            for group in self.disagreements
        )


def _claim(entry: Entry[Any]) -> str:
    if isinstance(entry, MeasureEntry):
        text = str(entry.to)
        if entry.suspension is not None:
            rate = None if entry.terms is None else entry.terms.rate
            text += f" ({entry.suspension.describe(rate)})"
        if entry.terms is not None:
            text += f" {entry.terms.describe()}"
        return text
    if isinstance(entry, DeadlineEntry):
        if entry.due is not None:
            return f"{entry.to} due {entry.due}"
        if entry.sets_due:
            return f"{entry.to}, no due time given"
    return str(entry.to)


@attrs.frozen(kw_only=True)
class MeasureState(State[MeasureStatus]):
    """A measure at a view's moment.

    Attributes:
        terms: its terms as they stood (``None`` before its first entry).
        suspension: while it is paused, the suspension as it stood (``None``: not paused, or
            paused as a whole until further notice).
    """

    terms: Terms | None = None
    suspension: Suspension | None = None

    def status_text(self) -> str:
        """As :meth:`State.status_text`; a measure paused in part says which part:
        ``paused (24 of 34 points)``."""
        text = super().status_text()
        s = self.suspension
        if s is not None and s.portion is not None and MeasureStatus.PAUSED in self.candidates:
            rate = None if self.terms is None else self.terms.rate
            text = text.replace("paused", f"paused ({s.part(rate)})", 1)
        return text

    def detail(self) -> str:
        text = "" if self.terms is None else self.terms.describe()
        parts = [] if text == "-" else [text]
        if self.suspension is not None:
            rate = None if self.terms is None else self.terms.rate
            parts.append(f"suspended: {self.suspension.describe(rate)}")
        return "; ".join(parts)


@attrs.frozen(kw_only=True)
class DeadlineState(State[DeadlineStatus]):
    """A deadline at a view's moment; ``due`` as it stood (``None`` before it was set)."""

    due: When | None = None

    @property
    def is_open(self) -> bool:
        """True when the deadline may still be pending or extended."""
        return any(c in OPEN_DEADLINE for c in self.candidates)

    @property
    def due_disputed(self) -> bool:
        """True when the claims about the event that set :attr:`due` disagree (one source gives
        another due time, or none)."""
        dues = (e for e in reversed(self.entries) if getattr(e, "due", None) is not None)
        setter = next(dues, None)
        return setter is not None and self.is_disputed(setter)

    @property
    def possible_dues(self) -> tuple[When, ...]:
        """The due time as it stood, then each one that a pending entry may have set (a
        deadline whose creation or extension may or may not have happened yet)."""
        dues = [] if self.due is None else [self.due]
        for e in self.pending:
            due = entry_due(e) if isinstance(e, DeadlineEntry) else None
            if due is not None and due not in dues:
                dues.append(due)
        return tuple(dues)

    def detail(self) -> str:
        return "" if self.due is None else f"due {self.due}"


@attrs.frozen(kw_only=True)
class NegotiationState(State[NegotiationStatus]):
    """A negotiation at a view's moment."""


AnyState = MeasureState | DeadlineState | NegotiationState


def state_from(kind: str, id: str, reading: Reading[Any, Any]) -> AnyState:
    """The state of entity ``id`` (a ``measure``, ``deadline`` or ``negotiation``) that a reading
    of its history gives; terms and due time as the entities' own ``terms_at`` and ``due_at``
    give them."""
    last = reading.entries[-1:]
    common: dict[str, Any] = {
        "id": id,
        "status": reading.status,
        "certain": reading.certain,
        "candidates": reading.candidates,
        "entries": reading.entries,
        "pending": reading.pending,
        "disagreements": reading.disagreements,
        "lapses": reading.lapses,
        "projected": any(e.evidence is Evidence.PROJECTED for e in (*last, *reading.pending)),
    }
    if kind == "measure":
        return MeasureState(
            terms=latest_terms(reading.entries),
            suspension=current_suspension(reading.entries),
            **common,
        )
    if kind == "deadline":
        return DeadlineState(due=latest_due(reading.entries), **common)
    return NegotiationState(**common)
