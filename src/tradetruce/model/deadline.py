"""Deadlines: dated triggers and obligations, and what happens when they pass."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import ClassVar

import attrs

from tradetruce.errors import InvalidValueError
from tradetruce.model.correction import Correction
from tradetruce.model.entries import DeadlineEntry, Evidence
from tradetruce.model.history import claim_groups, read, winner
from tradetruce.model.lifecycle import DEADLINE, DeadlineStatus, Lifecycle, _status_name
from tradetruce.model.relative import RelativeDue, unknown_due
from tradetruce.model.tracked import Tracked
from tradetruce.values import _validate as v
from tradetruce.values.when import When

__all__ = ["Consequence", "Deadline", "DeadlineKind"]


class DeadlineKind(StrEnum):
    EFFECTIVE_DATE = "effective_date"
    EXPIRY = "expiry"
    MEETING = "meeting"
    SIGNING_TARGET = "signing_target"
    REVIEW = "review"
    OTHER = "other"


@attrs.frozen
class Consequence:
    """What a deadline does if it passes unmet: move ``entity`` to status ``to``.

    ``to`` is a status name of the entity's own lifecycle (checked by the Scenario, which knows
    what kind of entity ``entity`` is).
    """

    entity: str = attrs.field(validator=v.an_id)
    to: str = attrs.field(validator=_status_name)
    note: str = attrs.field(default="", validator=v.text, kw_only=True)


@attrs.frozen(kw_only=True)
class Deadline(Tracked[DeadlineStatus, DeadlineEntry]):
    """A dated trigger or obligation: an effective date, an expiry, a meeting, a target.

    Its due time is derived from its history: the first entry sets it, each extension moves it.
    The sources may disagree about it: a creation or an extension may hold competing claims that
    give other due times, or none at all (a :class:`DeadlineEntry` with ``due=None``, allowed
    only as a claim beside a winning claim that gives one). The due time is the winning claim's;
    the views mark it disputed (:attr:`tradetruce.Upcoming.disputed`).

    >>> d = Deadline.create(
    ...     id="truce-expiry",
    ...     title="Truce expires",
    ...     kind=DeadlineKind.EXPIRY,
    ...     due="2025-11-10[America/New_York]",
    ...     at="2025-08-11[America/New_York]",
    ...     source="s",
    ... )
    >>> str(
    ...     d.extend(
    ...         due="2026-11-10[America/New_York]", at="2025-10-30[Asia/Seoul]", source="s"
    ...     ).due
    ... )
    '2026-11-10[America/New_York]'
    """

    LIFECYCLE: ClassVar[Lifecycle[DeadlineStatus]] = DEADLINE
    ENTRY: ClassVar[type[DeadlineEntry]] = DeadlineEntry

    id: str = attrs.field(validator=v.an_id)
    title: str = attrs.field(validator=v.nonempty_text)
    kind: DeadlineKind = attrs.field(validator=v.instance(DeadlineKind))
    parties: tuple[str, ...] = attrs.field(default=(), validator=v.ids)
    governs: tuple[str, ...] = attrs.field(default=(), validator=v.ids)
    consequences: tuple[Consequence, ...] = attrs.field(
        default=(), validator=v.tuple_of(Consequence)
    )
    history: tuple[DeadlineEntry, ...]
    #: Retractions and errata of entries of the history (:class:`~tradetruce.Correction`).
    corrections: tuple[Correction, ...] = attrs.field(default=(), validator=v.tuple_of(Correction))

    def __attrs_post_init__(self) -> None:
        self._check_history()
        index = 0
        for group in claim_groups(self.history):
            win = winner(group)
            if win.sets_due and not win.gives_due:
                lone = len(group) == 1
                raise InvalidValueError(
                    f"{self.id}: history[{index}] "
                    + (
                        "gives no due time, and a deadline's first entry and every extension "
                        "give one"
                        if lone
                        else f"to history[{index + len(group) - 1}]: the winning claim about "
                        "this event gives no due time"
                    ),
                    field=f"history[{index}].due",
                    value=None,
                    allowed="due=<a time value>; a claim without one only beside a stronger "
                    "claim that gives it",
                )
            index += len(group)
        if self.corrections:
            # An erratum never takes a due time away, but a retraction of the claim that
            # gives one may leave a claim without one winning.
            for group in claim_groups(self.corrected_history):
                win = winner(group)
                if win.sets_due and not win.gives_due:
                    raise InvalidValueError(
                        f"{self.id}: once corrected, the winning claim about the event at "
                        f"{win.at} gives no due time",
                        field="corrections",
                        value=self.corrections,
                        allowed="corrections that leave a due time on the first entry and on "
                        "every extension",
                    )

    @classmethod
    def create(
        cls,
        *,
        id: str,
        title: str,
        kind: DeadlineKind,
        due: When | _dt.datetime | str | None = None,
        at: When | _dt.datetime | str,
        source: str,
        due_after: RelativeDue | None = None,
        parties: tuple[str, ...] = (),
        governs: tuple[str, ...] = (),
        consequences: tuple[Consequence, ...] = (),
        evidence: Evidence = Evidence.REPORTED,
        claimed_by: str | None = None,
        recorded: When | _dt.datetime | str | None = None,
        note: str = "",
    ) -> Deadline:
        """A new pending deadline, set at ``at`` and due at ``due``, or ``due_after`` another
        entity's event (:class:`~tradetruce.RelativeDue`, resolved by a Scenario's views)."""
        entry = DeadlineEntry.record(
            None,
            DeadlineStatus.PENDING,
            at=at,
            source=source,
            recorded=recorded,
            evidence=evidence,
            claimed_by=claimed_by,
            note=note,
            due=None if due is None else When.coerce(due),
            due_after=due_after,
        )
        return cls(
            id=id,
            title=title,
            kind=kind,
            parties=parties,
            governs=governs,
            consequences=consequences,
            history=(entry,),
        )

    def transition(
        self,
        to: DeadlineStatus,
        *,
        at: When | _dt.datetime | str,
        source: str,
        due: When | _dt.datetime | str | None = None,
        evidence: Evidence = Evidence.REPORTED,
        claimed_by: str | None = None,
        recorded: When | _dt.datetime | str | None = None,
        note: str = "",
    ) -> Deadline:
        """A copy moved to ``to`` (met, missed, cancelled; extended needs ``due``)."""
        entry = DeadlineEntry.record(
            self.status,
            to,
            at=at,
            source=source,
            recorded=recorded,
            evidence=evidence,
            claimed_by=claimed_by,
            note=note,
            due=None if due is None else When.coerce(due),
        )
        return self._moved(entry)

    def extend(
        self,
        *,
        due: When | _dt.datetime | str,
        at: When | _dt.datetime | str,
        source: str,
        evidence: Evidence = Evidence.REPORTED,
        claimed_by: str | None = None,
        recorded: When | _dt.datetime | str | None = None,
        note: str = "",
    ) -> Deadline:
        """A copy extended to a new due time."""
        return self.transition(
            DeadlineStatus.EXTENDED,
            at=at,
            source=source,
            due=due,
            evidence=evidence,
            claimed_by=claimed_by,
            recorded=recorded,
            note=note,
        )

    @property
    def due(self) -> When:
        """The due time at the end of the history."""
        return latest_due(read(self.corrected_history).entries) or self.history[0].due  # type: ignore[return-value]

    def due_at(
        self,
        t: _dt.datetime | When | str,
        *,
        known_at: _dt.datetime | When | str | None = None,
        published: Mapping[str, When | None] | None = None,
    ) -> When | None:
        """The due time as it stood at ``t`` (``None`` before the deadline was set)."""
        reading = self.reading_at(t, known_at=known_at, published=published)
        return latest_due(reading.entries)

    @property
    def is_open(self) -> bool:
        """True while the deadline can still be met or missed."""
        return not self.LIFECYCLE.is_terminal(self.status)


def latest_due(entries: Sequence[DeadlineEntry]) -> When | None:
    """The due time as a reading's settled entries leave it: the last one set (``None``
    before the deadline was set; a view's :class:`~tradetruce.DeadlineState` shows the same).
    A due time counted from an event that nobody has resolved (:mod:`tradetruce.model.relative`)
    is unknown: ``../..`` in the zone of the entry that gives it."""
    for entry in reversed(entries):
        due = entry_due(entry)
        if due is not None:
            return due
    return None


def entry_due(entry: DeadlineEntry) -> When | None:
    """The due time one entry gives: its ``due``; for one counted from an event and not
    resolved, unknown (``../..``); ``None`` when it gives none."""
    if entry.due is not None:
        return entry.due
    if entry.due_after is not None:
        return unknown_due(entry.at.zone)
    return None
