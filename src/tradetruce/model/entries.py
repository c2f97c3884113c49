"""History entries: one step of an entity's history each, and how strongly it is established.

An entity's history is the source of truth: its status, terms and due time are derived from it
(:mod:`tradetruce.model.history` reads it). Each entry says what moved (``from_`` -> ``to``), when
it happened (``at``, valid time), when it became known (``recorded``, default: the publication of
its ``source``), on what evidence, and why. Entries with the same ``at`` and the same ``from_``
are competing *claims* about one event (:meth:`Entry.same_claim_slot`).
"""

from __future__ import annotations

import datetime as _dt
from enum import StrEnum
from typing import Any, ClassVar, Generic, Self, TypeVar

import attrs

from tradetruce.errors import InvalidValueError
from tradetruce.model.lifecycle import DeadlineStatus, MeasureStatus, NegotiationStatus
from tradetruce.values import _validate as v
from tradetruce.values.terms import Terms
from tradetruce.values.when import When

__all__ = [
    "DeadlineEntry",
    "Entry",
    "Evidence",
    "MeasureEntry",
    "NegotiationEntry",
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
