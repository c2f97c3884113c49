"""Negotiations: talks between parties, their rounds, and the terms a deal would carry out."""

from __future__ import annotations

import datetime as _dt
import itertools
from enum import StrEnum
from typing import ClassVar, Final

import attrs

from tradetruce.errors import InvalidValueError
from tradetruce.model.correction import Correction
from tradetruce.model.entries import Evidence, NegotiationEntry
from tradetruce.model.lifecycle import NEGOTIATION, Lifecycle, NegotiationStatus, _status_name
from tradetruce.model.tracked import Tracked
from tradetruce.values import _validate as v
from tradetruce.values.suspension import Suspension
from tradetruce.values.terms import Quantity, Rate
from tradetruce.values.when import When

__all__ = ["Negotiation", "Round", "RoundKind", "Term"]


#: A round's number: 1, 2, 3... up to the largest whole number the wire format carries.
_positive: Final = v.WholeNumber(1)


class RoundKind(StrEnum):
    """What kind of meeting a round of talks is."""

    ROUND = "round"  #: a negotiating round between delegations
    LEADERS_MEETING = "leaders_meeting"  #: heads of state or government meet
    MINISTERIAL = "ministerial"  #: ministers or chief negotiators meet
    CALL = "call"  #: a call or video conference
    WORKING_LEVEL = "working_level"  #: officials below the negotiators' level

    @property
    def words(self) -> str:
        """The kind in words ("leaders' meeting")."""
        return (
            "leaders' meeting"
            if self is RoundKind.LEADERS_MEETING
            else self.value.replace("_", "-")
        )


@attrs.frozen(kw_only=True)
class Round:
    """One meeting of the talks: a numbered round, a leaders' meeting, a call...

    Rounds are listed in the order they happen. A number is optional (a leaders' meeting is
    seldom a numbered round); numbers that are given ascend along the list, and a round cannot
    start definitely before the round listed before it.

    Attributes:
        number: its number in the series of rounds, if it has one.
        kind: what kind of meeting it is (a round, a leaders' meeting, a call...).
        place: where it is held.
        start, end: when it starts and ends, as precisely as known.
        participants: the parties at the table, when not all of the negotiation's parties.
        outcome: what came of it, in a few words of your own.

    >>> Round(kind=RoundKind.LEADERS_MEETING, place="Busan").label
    "leaders' meeting"
    >>> Round(number=5, place="Kuala Lumpur").label
    'round 5'
    """

    number: int | None = attrs.field(default=None, validator=attrs.validators.optional(_positive))
    kind: RoundKind = attrs.field(default=RoundKind.ROUND, validator=v.instance(RoundKind))
    place: str | None = attrs.field(default=None, validator=v.optional_text)
    start: When | None = attrs.field(default=None, validator=v.instance(When, optional=True))
    end: When | None = attrs.field(default=None, validator=v.instance(When, optional=True))
    participants: tuple[str, ...] = attrs.field(default=(), validator=v.ids)
    outcome: str = attrs.field(default="", validator=v.text)

    def __attrs_post_init__(self) -> None:
        if (
            self.start is not None
            and self.end is not None
            and self.end.definitely_before(self.start)
        ):
            raise InvalidValueError(
                f"{self.label} ends ({self.end}) before it starts ({self.start})",
                field="end",
                value=self.end,
                allowed="an end that can fall after the start",
            )

    @property
    def label(self) -> str:
        """The round in words: its kind, and its number when it has one ("round 5")."""
        return self.kind.words + ("" if self.number is None else f" {self.number}")

    @property
    def when(self) -> When | None:
        """When it happens: its start, else its end, else None."""
        return self.start if self.start is not None else self.end


@attrs.frozen(kw_only=True)
class Term:
    """What a deal would do to one entity once signed.

    Attributes:
        entity: the measure, deadline or negotiation it acts on.
        to: the status it moves the entity to; ``None`` to change terms only.
        detail: in words ("pause", "delay by about a year", "extend the truce").
        effective, expires, rate, quantity: new terms for a measure (unset: unchanged).
        due: the new due time, for a deadline the term extends.
        suspension: a suspension for a measure: it pauses the measure with it (``to`` paused),
            or, for a measure already paused, replaces its suspension (an extension).
    """

    entity: str = attrs.field(validator=v.an_id)
    to: str | None = attrs.field(default=None)
    detail: str = attrs.field(default="", validator=v.text)
    effective: When | None = attrs.field(default=None, validator=v.instance(When, optional=True))
    expires: When | None = attrs.field(default=None, validator=v.instance(When, optional=True))
    rate: Rate | None = attrs.field(default=None, validator=v.instance(Rate, optional=True))
    quantity: Quantity | None = attrs.field(
        default=None, validator=v.instance(Quantity, optional=True)
    )
    due: When | None = attrs.field(default=None, validator=v.instance(When, optional=True))
    suspension: Suspension | None = attrs.field(
        default=None, validator=v.instance(Suspension, optional=True)
    )

    def __attrs_post_init__(self) -> None:
        if self.to is not None:
            _status_name(self, attrs.fields(Term).to, self.to)
        if self.to is None and not self.changes_terms and self.due is None and not self.suspends:
            raise InvalidValueError(
                f"term on {self.entity} neither moves it nor changes its terms",
                field="to",
                value=None,
                allowed="a target status, new terms, a suspension, or a new due time",
            )
        if self.suspends and self.to not in (None, "paused"):
            raise InvalidValueError(
                f"term on {self.entity} carries a suspension but moves it to {self.to}",
                field="suspension",
                value=self.suspension,
                allowed="a suspension with to='paused' (or no to: an extension)",
            )

    @property
    def suspends(self) -> bool:
        """True when the term carries a suspension."""
        return self.suspension is not None

    @property
    def changes_terms(self) -> bool:
        return any(x is not None for x in (self.effective, self.expires, self.rate, self.quantity))


@attrs.frozen(kw_only=True)
class Negotiation(Tracked[NegotiationStatus, NegotiationEntry]):
    """Talks between parties, with rounds, topics, the terms on the table, and a history.

    >>> n = Negotiation.schedule(
    ...     id="talks",
    ...     title="Trade talks",
    ...     parties=("us", "cn"),
    ...     at="2025-10[Asia/Kuala_Lumpur]",
    ...     source="s",
    ... )
    >>> n.transition(
    ...     NegotiationStatus.IN_TALKS, at="2025-10-25[Asia/Kuala_Lumpur]", source="s"
    ... ).status
    <NegotiationStatus.IN_TALKS: 'in_talks'>
    """

    LIFECYCLE: ClassVar[Lifecycle[NegotiationStatus]] = NEGOTIATION
    ENTRY: ClassVar[type[NegotiationEntry]] = NegotiationEntry

    id: str = attrs.field(validator=v.an_id)
    title: str = attrs.field(validator=v.nonempty_text)
    parties: tuple[str, ...] = attrs.field(validator=v.ids)
    participants: tuple[str, ...] = attrs.field(default=(), validator=v.ids)
    rounds: tuple[Round, ...] = attrs.field(default=(), validator=v.tuple_of(Round))
    measures: tuple[str, ...] = attrs.field(default=(), validator=v.ids)
    issues: tuple[str, ...] = attrs.field(default=(), validator=v.texts)
    terms: tuple[Term, ...] = attrs.field(default=(), validator=v.tuple_of(Term))
    history: tuple[NegotiationEntry, ...]
    #: Retractions and errata of entries of the history (:class:`~tradetruce.Correction`).
    corrections: tuple[Correction, ...] = attrs.field(default=(), validator=v.tuple_of(Correction))

    def __attrs_post_init__(self) -> None:
        if len(self.parties) < 2:
            raise InvalidValueError(
                f"{self.id}: talks need at least two parties",
                field="parties",
                value=self.parties,
                allowed="two or more party ids",
            )
        self._check_round_order()
        self._check_history()

    def _check_round_order(self) -> None:
        numbers = [r.number for r in self.rounds if r.number is not None]
        for before, after in itertools.pairwise(numbers):
            if after <= before:
                raise InvalidValueError(
                    f"{self.id}: round {after} follows round {before}; "
                    "round numbers must be distinct and ascending",
                    field="rounds",
                    value=(before, after),
                    allowed="rounds in ascending order of number",
                )
        timed = [(r, r.when) for r in self.rounds if r.when is not None]
        for (earlier, at_earlier), (later, at_later) in itertools.pairwise(timed):
            if at_later.definitely_before(at_earlier):
                raise InvalidValueError(
                    f"{self.id}: the {later.label} ({at_later}) is listed after the "
                    f"{earlier.label} ({at_earlier}) but happens before it",
                    field="rounds",
                    value=(str(at_earlier), str(at_later)),
                    allowed="rounds listed in the order they happen",
                )

    @classmethod
    def schedule(
        cls,
        *,
        id: str,
        title: str,
        parties: tuple[str, ...],
        at: When | _dt.datetime | str,
        source: str,
        participants: tuple[str, ...] = (),
        rounds: tuple[Round, ...] = (),
        measures: tuple[str, ...] = (),
        issues: tuple[str, ...] = (),
        terms: tuple[Term, ...] = (),
        evidence: Evidence = Evidence.REPORTED,
        claimed_by: str | None = None,
        recorded: When | _dt.datetime | str | None = None,
        note: str = "",
    ) -> Negotiation:
        """New talks in status ``scheduled``."""
        entry = NegotiationEntry.record(
            None,
            NegotiationStatus.SCHEDULED,
            at=at,
            source=source,
            recorded=recorded,
            evidence=evidence,
            claimed_by=claimed_by,
            note=note,
        )
        return cls(
            id=id,
            title=title,
            parties=parties,
            participants=participants,
            rounds=rounds,
            measures=measures,
            issues=issues,
            terms=terms,
            history=(entry,),
        )

    def transition(
        self,
        to: NegotiationStatus,
        *,
        at: When | _dt.datetime | str,
        source: str,
        evidence: Evidence = Evidence.REPORTED,
        claimed_by: str | None = None,
        recorded: When | _dt.datetime | str | None = None,
        note: str = "",
    ) -> Negotiation:
        """A copy moved to ``to``. Use :meth:`tradetruce.Scenario.apply` to also carry out the
        terms of a signed deal."""
        entry = NegotiationEntry.record(
            self.status,
            to,
            at=at,
            source=source,
            recorded=recorded,
            evidence=evidence,
            claimed_by=claimed_by,
            note=note,
        )
        return self._moved(entry)
