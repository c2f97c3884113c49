"""Commitments: per-period targets, reported deliveries, and whether each target is met.

A purchase commitment is a :class:`~tradetruce.Measure` of kind ``purchase_commitment`` that
carries a :class:`Commitment`: its targets ("at least 12 million tonnes by the end of 2025, then
at least 25 million tonnes in each of 2026, 2027 and 2028") and the deliveries reported against
them, each with its source and evidence. Whether a target is met is never stored: it is derived
from the deliveries, at a valid time ``t`` and as known at ``known_at`` (only deliveries recorded
by then count), like every status in tradetruce.

Where the data cannot decide, the answer says so. A delivery counts for certain toward a target
when its time lies certainly inside the target's period and certainly before ``t``, and it is
neither projected nor disputed; a delivery that only possibly falls in the period (a vague time
across its edge), or that a party disputes, or that is projected, counts only as possibly
delivered. The delivered total is then a range, ``low`` to ``high``, and a target whose bound
that range straddles is ``uncertain``.

>>> from tradetruce.values.terms import Bound
>>> soy = Commitment(
...     targets=(
...         Target(
...             period=When.parse("2025-10-30/2025-12-31[Asia/Shanghai]"),
...             quantity=Quantity.of("12000000", "tonne", bound=Bound.AT_LEAST),
...         ),
...     ),
...     deliveries=(
...         Delivery(
...             at=When.parse("2025-11[Asia/Shanghai]"),
...             quantity=Quantity.of("4000000", "tonne"),
...             source="usda",
...         ),
...     ),
... )
>>> [r.status.value for r in soy.fulfilment("2025-12-01[Asia/Shanghai]")]
['pending']
>>> soy.overall("2026-01-15[Asia/Shanghai]").value
'missed'
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from decimal import Decimal
from enum import StrEnum

import attrs

from tradetruce.errors import InvalidValueError
from tradetruce.model.entries import Evidence, check_claim
from tradetruce.model.history import recorded_time
from tradetruce.values import _validate as v
from tradetruce.values.terms import Bound, Period, Quantity
from tradetruce.values.when import When, to_us, utc

__all__ = [
    "Commitment",
    "Delivery",
    "Fulfilment",
    "Target",
    "TargetReading",
]


class Fulfilment(StrEnum):
    """Where a commitment's target stands."""

    MET = "met"  #: the deliveries certainly satisfy it
    MISSED = "missed"  #: they certainly cannot (the period is over, or a ceiling is passed)
    PENDING = "pending"  #: not met yet, and its period is still running
    UNCERTAIN = "uncertain"  #: vague, disputed or projected deliveries decide it either way


def _per_total(inst: object, attribute: attrs.Attribute[Quantity], value: Quantity) -> None:
    v.instance(Quantity)(inst, attribute, value)
    if value.per is not Period.TOTAL:
        raise InvalidValueError(
            f"{attribute.name}: {value} is counted per {value.per.value}",
            field=attribute.name,
            value=value,
            allowed="a quantity counted once (per 'total'): the period says over what time",
        )


@attrs.frozen(kw_only=True)
class Target:
    """What must be delivered in one period.

    Attributes:
        period: the period, as a range or a calendar value ("2026[Asia/Shanghai]"); its
            bounds are the earliest start and the latest end.
        quantity: the amount, with its bound (usually ``at_least``), counted over the period.
    """

    period: When = attrs.field(validator=v.instance(When))
    quantity: Quantity = attrs.field(validator=_per_total)


@attrs.frozen(kw_only=True)
class Delivery:
    """A reported delivery (or purchase) toward a commitment, with its provenance.

    Attributes:
        at: when it was delivered, as precisely as known ("2025-11[Asia/Shanghai]").
        quantity: how much (counted once).
        source: the id of the source that reports it.
        evidence: how strongly it is established; a projected delivery only possibly counts.
        claimed_by: the party that claims it, required for ``claimed`` evidence.
        disputed_by: a party that disputes the report; a disputed delivery only possibly counts.
        recorded: when it became known; ``None`` means "when its source was published".
        note: a short note.
    """

    at: When = attrs.field(validator=v.instance(When))
    quantity: Quantity = attrs.field(validator=_per_total)
    source: str = attrs.field(validator=v.an_id)
    evidence: Evidence = attrs.field(default=Evidence.REPORTED, validator=v.instance(Evidence))
    claimed_by: str | None = attrs.field(default=None, validator=v.an_optional_id)
    disputed_by: str | None = attrs.field(default=None, validator=v.an_optional_id)
    recorded: When | None = attrs.field(default=None, validator=v.instance(When, optional=True))
    note: str = attrs.field(default="", validator=v.text)

    def __attrs_post_init__(self) -> None:
        check_claim(self.evidence, self.claimed_by)

    @property
    def firm(self) -> bool:
        """Whether it counts for certain where its time does: not projected, not disputed."""
        return self.evidence is not Evidence.PROJECTED and self.disputed_by is None


@attrs.frozen
class TargetReading:
    """A target at a moment, as known at a moment.

    Attributes:
        target: the target read.
        status: where it stands.
        low: what was certainly delivered toward it by then.
        high: what was possibly delivered toward it by then.
        counted: the deliveries that certainly count; ``possible``: those that only may.
    """

    target: Target
    status: Fulfilment
    low: Decimal
    high: Decimal
    counted: tuple[Delivery, ...]
    possible: tuple[Delivery, ...]


@attrs.frozen(kw_only=True)
class Commitment:
    """A commitment's targets and the deliveries reported against them.

    Every target and delivery is in one unit of one commodity, so totals never mix tonnes with
    dollars. Fulfilment is derived (:meth:`fulfilment`, :meth:`overall`).

    Attributes:
        targets: the targets, one per period.
        deliveries: the deliveries reported so far.
    """

    targets: tuple[Target, ...] = attrs.field(validator=v.tuple_of(Target))
    deliveries: tuple[Delivery, ...] = attrs.field(default=(), validator=v.tuple_of(Delivery))

    def __attrs_post_init__(self) -> None:
        if not self.targets:
            raise InvalidValueError(
                "a commitment needs at least one target",
                field="targets",
                value=self.targets,
                allowed="one or more targets",
            )
        first = self.targets[0].quantity
        named = (
            ("targets", [t.quantity for t in self.targets]),
            ("deliveries", [d.quantity for d in self.deliveries]),
        )
        for name, quantities in named:
            for i, q in enumerate(quantities):
                if (q.unit, q.commodity) != (first.unit, first.commodity):
                    raise InvalidValueError(
                        f"{name}[{i}]: {q} is not in the commitment's unit ({_what(first)})",
                        field=name,
                        value=q,
                        allowed=f"quantities in {_what(first)}",
                    )

    def fulfilment(
        self,
        t: _dt.datetime | When | str,
        *,
        known_at: _dt.datetime | When | str | None = None,
        published: Mapping[str, When | None] | None = None,
    ) -> tuple[TargetReading, ...]:
        """Each target at ``t`` as known at ``known_at`` (``None``: everything recorded).

        ``t`` and ``known_at`` take an aware datetime, a When, or a When's text form; a calendar
        value stands for its last instant. ``published`` maps source ids to publication times,
        the default recorded time of a delivery (a Scenario passes its own).
        """
        now = to_us(_instant(t))
        known = [
            d
            for d in self.deliveries
            if known_at is None or recorded_time(d, published).hi_us <= to_us(_instant(known_at))
        ]
        return tuple(_read(target, known, now) for target in self.targets)

    def overall(
        self,
        t: _dt.datetime | When | str,
        *,
        known_at: _dt.datetime | When | str | None = None,
        published: Mapping[str, When | None] | None = None,
    ) -> Fulfilment:
        """The commitment as a whole: missed if any target is missed, met if all are met,
        else uncertain if any target is, else pending."""
        found = {r.status for r in self.fulfilment(t, known_at=known_at, published=published)}
        for status in (Fulfilment.MISSED, Fulfilment.UNCERTAIN, Fulfilment.PENDING):
            if status in found:
                return status
        return Fulfilment.MET


def _what(q: Quantity) -> str:
    return q.unit + (f" of {q.commodity}" if q.commodity else "")


def _instant(value: _dt.datetime | When | str) -> _dt.datetime:
    return utc(When.coerce(value) if isinstance(value, str) else value)


def _read(target: Target, deliveries: list[Delivery], now: int) -> TargetReading:
    lo, hi = target.period.lo_us, target.period.hi_us
    counted: list[Delivery] = []
    possible: list[Delivery] = []
    for d in deliveries:
        if d.at.lo_us >= hi or d.at.hi_us <= lo or d.at.lo_us > now:
            continue  # certainly outside the period, or certainly not yet delivered
        certain = d.firm and d.at.lo_us >= lo and d.at.hi_us <= hi and d.at.hi_us <= now
        (counted if certain else possible).append(d)
    low = sum((d.quantity.amount for d in counted), Decimal(0))
    high = low + sum((d.quantity.amount for d in possible), Decimal(0))
    q = target.quantity
    over = now >= hi
    surely, maybe = q.admits(low), q.admits(high)
    if q.bound is Bound.AT_LEAST:
        # More can only be added: met once the certain total reaches the floor.
        if surely:
            status = Fulfilment.MET
        elif maybe:
            status = Fulfilment.UNCERTAIN
        else:
            status = Fulfilment.MISSED if over else Fulfilment.PENDING
    else:
        # A ceiling (or an exact amount) is settled only when the period is over, unless it is
        # certainly passed already.
        exceeded = low > q.amount
        if exceeded:
            status = Fulfilment.MISSED
        elif not over:
            status = Fulfilment.UNCERTAIN if high > q.amount else Fulfilment.PENDING
        elif low == high:
            status = Fulfilment.MET if surely else Fulfilment.MISSED
        elif q.bound is Bound.AT_MOST:
            status = Fulfilment.MET if maybe else Fulfilment.UNCERTAIN
        else:
            status = Fulfilment.MISSED if high < q.amount else Fulfilment.UNCERTAIN
    return TargetReading(target, status, low, high, tuple(counted), tuple(possible))
