"""History entries: one step of an entity's history each, and how strongly it is established.

An entity's history is the source of truth: its status, terms and due time are derived from it
(:mod:`tradetruce.model.history` reads it). Each entry says what moved (``from_`` -> ``to``), when
it happened (``at``, valid time), when it became known (``recorded``, default: the publication of
its ``source``), on what evidence, and why. Entries that describe the same move at the same
time are competing *claims* about one event (:meth:`Entry.same_claim_slot` holds the rule).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from enum import StrEnum
from typing import Any, ClassVar, Generic, Self, TypeVar

import attrs

from tradetruce.errors import InvalidValueError
from tradetruce.model.lapse import MAY_LAPSE, Lapse, lapses
from tradetruce.model.lifecycle import DeadlineStatus, MeasureStatus, NegotiationStatus
from tradetruce.model.relative import RelativeDue
from tradetruce.values import _validate as v
from tradetruce.values.suspension import Suspension
from tradetruce.values.terms import Terms
from tradetruce.values.when import When

__all__ = [
    "DeadlineEntry",
    "Entry",
    "Evidence",
    "MeasureEntry",
    "NegotiationEntry",
    "check_claim",
    "consistent",
    "current_suspension",
    "latest_terms",
    "suspension_after",
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


def check_claim(evidence: Evidence, claimed_by: str | None) -> None:
    """The rule for every claim with evidence: ``claimed_by`` names the claiming party exactly
    when the evidence is ``claimed``."""
    if (evidence is Evidence.CLAIMED) != (claimed_by is not None):
        raise InvalidValueError(
            "claimed_by names the claiming party exactly when evidence is 'claimed'",
            field="claimed_by",
            value=claimed_by,
            allowed="evidence='claimed' with claimed_by=<party id>, or neither",
        )


def consistent(a: object, b: object) -> bool:
    """True when two values a claim sets do not contradict each other: equal; or time values one
    of which contains the other; or objects (terms, suspensions, rates) whose fields are
    consistent, notes aside (a note is a remark, not a claim)."""
    if a is b or a == b:
        return True
    if isinstance(a, When) and isinstance(b, When):
        return (a.lo_us <= b.lo_us and b.hi_us <= a.hi_us) or (
            b.lo_us <= a.lo_us and a.hi_us <= b.hi_us
        )
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(consistent(x, y) for x, y in zip(a, b, strict=True))
    kind = type(a)
    if kind is type(b) and attrs.has(kind):
        return all(
            consistent(getattr(a, f.name), getattr(b, f.name))
            for f in attrs.fields(kind)
            if f.name != "note"
        )
    return False


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
        id: a stable reference, unique within the entity's history, for a
            :class:`~tradetruce.Correction` to name; optional.
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
    id: str | None = attrs.field(default=None, validator=v.an_optional_id)

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
        check_claim(self.evidence, self.claimed_by)

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
        """True when both entries are claims about one event.

        The rule: both start from the same status, and either their time values have the same
        bounds (the same instant or span, whatever zone or form each is written in: 12:01 a.m.
        in New York and 13:01 in Beijing on the same day are one instant), or one time value
        contains the other and both say the same thing (:meth:`says_same`: same ``to``, and
        consistent terms, due time or suspension): a vaguer report ("in November")
        corroborates a precise one, it does not contradict it. Claims with the same bounds may
        disagree (a dispute); nested claims that disagree are different events.
        """
        if self.from_ != other.from_:
            return False
        x, y = self.at, other.at
        if x is y:
            return True
        xl, xh, yl, yh = x.lo_us, x.hi_us, y.lo_us, y.hi_us
        if xl == yl and xh == yh:
            return True
        nested = (xl <= yl and yh <= xh) or (yl <= xl and xh <= yh)
        return nested and self.says_same(other)

    @classmethod
    def lapses_at(cls, entries: Sequence[Entry[Any]], u: int) -> tuple[Lapse, ...]:
        """The lapses (:mod:`tradetruce.model.lapse`) of an entity whose settled winning entries
        are ``entries``, at ``u`` (microseconds); none but a measure's have any."""
        return ()

    def says_same(self, other: Entry[Any]) -> bool:
        """True when two claims agree on everything but their provenance: the same status after,
        and what else they set (terms, due time, suspension) consistent, where a time value
        that contains another is consistent with it ("until November 2026" and "until
        12:01 a.m. on 10 November 2026") and notes are not claims."""
        return self.to == other.to and consistent(self._payload(), other._payload())

    def _payload(self) -> tuple[object, ...]:
        return ()


@attrs.frozen(kw_only=True)
class MeasureEntry(Entry[MeasureStatus]):
    """A step of a measure's history.

    Attributes:
        terms: when given, they replace the measure's terms (later entries without terms keep
            them).
        suspension: only on an entry moving to ``paused`` (what is suspended, until when, what
            happens then; left out: the whole measure, until further notice), or on an
            amendment of a paused measure, where it replaces the current suspension: an
            extension.
    """

    STATUS: ClassVar[type[StrEnum]] = MeasureStatus
    terms: Terms | None = attrs.field(default=None, validator=v.instance(Terms, optional=True))
    suspension: Suspension | None = attrs.field(
        default=None, validator=v.instance(Suspension, optional=True)
    )

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        if self.suspension is not None and self.to is not MeasureStatus.PAUSED:
            raise InvalidValueError(
                f"a suspension rides on a move to paused (or an amendment of a paused measure), "
                f"not on a move to {self.to}",
                field="suspension",
                value=self.suspension,
                allowed="no suspension here, or to='paused'",
            )

    def _payload(self) -> tuple[object, ...]:
        return (self.terms, self.suspension)

    def details(self) -> tuple[str, ...]:
        """What the entry sets besides its status, in words: its terms
        (``100% from 2025-11-01[America/New_York]``) and its suspension (``suspends whole
        measure until 2026-11-10[America/New_York], then restored``)."""
        found = []
        if self.terms is not None:
            found.append(self.terms.describe())
        if self.suspension is not None:
            rate = None if self.terms is None else self.terms.rate
            found.append(f"suspends {self.suspension.describe(rate)}")
        return tuple(found)

    @classmethod
    def lapses_at(cls, entries: Sequence[Entry[Any]], u: int) -> tuple[Lapse, ...]:
        if not entries:
            return ()
        measure_entries: Sequence[MeasureEntry] = entries  # type: ignore[assignment]
        status = measure_entries[-1].to
        if status not in MAY_LAPSE:
            return ()
        suspension = current_suspension(measure_entries)
        if status is MeasureStatus.PAUSED and (suspension is None or suspension.until is None):
            return ()  # paused until further notice: nothing can come due
        return lapses(status, latest_terms(measure_entries), suspension, u)


def latest_terms(entries: Sequence[MeasureEntry]) -> Terms | None:
    """The terms as a reading's settled entries leave them: the last entry's that gives terms,
    empty Terms when none does, ``None`` before the first entry (a view's
    :class:`~tradetruce.MeasureState` shows the same)."""
    if not entries:
        return None
    for entry in reversed(entries):
        if entry.terms is not None:
            return entry.terms
    return Terms()


def suspension_after(entry: MeasureEntry, current: Suspension | None) -> Suspension | None:
    """The suspension in force once ``entry`` has happened, ``current`` the one before: the one
    the entry carries; the one before, for an amendment of a paused measure that carries none;
    none for a move to paused without one (whole, until further notice), or to another status.
    """
    if entry.to is not MeasureStatus.PAUSED:
        return None
    if entry.suspension is not None:
        return entry.suspension
    return current if entry.from_ is MeasureStatus.PAUSED else None


def current_suspension(entries: Sequence[MeasureEntry]) -> Suspension | None:
    """The suspension in force when a measure's settled entries leave it paused (each entry
    read by :func:`suspension_after`); ``None`` when it is not paused, or was paused without
    one (whole, until further notice)."""
    if not entries or entries[-1].to is not MeasureStatus.PAUSED:
        return None
    # Only the run of entries since the measure last moved to paused can set it.
    start = len(entries) - 1
    while start > 0 and entries[start].from_ is MeasureStatus.PAUSED:
        start -= 1
    current: Suspension | None = None
    for entry in entries[start:]:
        current = suspension_after(entry, current)
    return current


@attrs.frozen(kw_only=True)
class DeadlineEntry(Entry[DeadlineStatus]):
    """A step of a deadline's history; ``due`` sets the due time (first entry and extensions).

    Attributes:
        due: the due time it sets.
        due_after: instead of ``due``, a due time counted from another entity's event ("90 days
            after signing"); a Scenario resolves it as known at each view's ``known_at``. When
            both are given (an erratum that fixed the date), ``due`` is used.
    """

    STATUS: ClassVar[type[StrEnum]] = DeadlineStatus
    due: When | None = attrs.field(default=None, validator=v.instance(When, optional=True))
    due_after: RelativeDue | None = attrs.field(
        default=None, validator=v.instance(RelativeDue, optional=True)
    )

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        if not self.sets_due and self.due_after is not None:
            raise InvalidValueError(
                f"only a first entry or an extension sets a due time, not a move to {self.to}",
                field="due_after",
                value=self.due_after,
                allowed="no due_after here (extend the deadline instead)",
            )
        # A first entry or an extension without a due time is allowed only as a competing
        # claim that says there is none; the deadline checks that its group's winner gives one.
        if not self.sets_due and self.due is not None:
            raise InvalidValueError(
                f"only a first entry or an extension sets a due time, not a move to {self.to}",
                field="due",
                value=self.due,
                allowed="no due here (extend the deadline instead)",
            )

    @property
    def sets_due(self) -> bool:
        """True for a first entry and an extension: the entries that give the due time."""
        return self.from_ is None or self.to is DeadlineStatus.EXTENDED

    @property
    def gives_due(self) -> bool:
        """True when it gives a due time, a date or one counted from an event."""
        return self.due is not None or self.due_after is not None

    def _payload(self) -> tuple[object, ...]:
        return (self.due, self.due_after)


@attrs.frozen(kw_only=True)
class NegotiationEntry(Entry[NegotiationStatus]):
    """A step of a negotiation's history."""

    STATUS: ClassVar[type[StrEnum]] = NegotiationStatus
