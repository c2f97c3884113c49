"""The terms of a measure that can change over time: rate, quantity, legal basis, dates."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Any

import attrs

from tradetruce.errors import InvalidValueError
from tradetruce.values import _validate as v
from tradetruce.values.authority import Authority
from tradetruce.values.rates import ProductRate, Rate, RateUnit, _non_negative, decimal_number
from tradetruce.values.scope import Scope
from tradetruce.values.when import When

__all__ = [
    "Bound",
    "Period",
    "Quantity",
    "Rate",
    "RateUnit",
    "Share",
    "Terms",
]  # Rate, RateUnit: from .rates


class Period(StrEnum):
    """The period a quantity is counted over."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    TOTAL = "total"  #: once, not per period


class Bound(StrEnum):
    """What a quantity's amount is: the amount itself, a floor or a ceiling."""

    EXACTLY = "exactly"  #: the amount stated (a quantity written without a bound)
    AT_LEAST = "at_least"  #: a floor: a purchase commitment of at least 12 million tonnes
    AT_MOST = "at_most"  #: a ceiling: a quota of at most 50,000 vehicles


@attrs.frozen
class Quantity:
    """An amount of something over a period: 12 million tonnes of soybeans per year; with a
    ``bound``, a floor or a ceiling: at least 25 million tonnes.

    >>> str(Quantity.of("12000000", "tonne", per=Period.YEAR, commodity="soybeans"))
    '12000000 tonne of soybeans per year'
    >>> str(Quantity.of("25000000", "tonne", bound=Bound.AT_LEAST))
    'at least 25000000 tonne'
    """

    amount: Decimal = attrs.field(validator=_non_negative)
    unit: str = attrs.field(validator=v.nonempty_text)
    per: Period = attrs.field(default=Period.TOTAL, validator=v.instance(Period))
    commodity: str | None = attrs.field(default=None, validator=v.optional_text)
    bound: Bound = attrs.field(default=Bound.EXACTLY, validator=v.instance(Bound))

    @classmethod
    def of(
        cls,
        amount: Decimal | int | str,
        unit: str,
        *,
        per: Period = Period.TOTAL,
        commodity: str | None = None,
        bound: Bound = Bound.EXACTLY,
    ) -> Quantity:
        return cls(decimal_number(amount, "amount"), unit, per, commodity, bound)

    def __str__(self) -> str:
        what = f" of {self.commodity}" if self.commodity else ""
        per = "" if self.per is Period.TOTAL else f" per {self.per.value}"
        bound = "" if self.bound is Bound.EXACTLY else self.bound.value.replace("_", " ") + " "
        return f"{bound}{self.amount} {self.unit}{what}{per}"

    def admits(self, total: Decimal) -> bool:
        """Whether ``total`` satisfies this quantity as a bound (at least, at most, exactly)."""
        if self.bound is Bound.AT_LEAST:
            return total >= self.amount
        if self.bound is Bound.AT_MOST:
            return total <= self.amount
        return total == self.amount


def _fraction(_inst: object, attribute: attrs.Attribute[Decimal], value: Decimal) -> None:
    if not isinstance(value, Decimal) or not value.is_finite() or not 0 <= value <= 1:
        raise InvalidValueError(
            f"{attribute.name}: {v.shown(value)} is not a fraction from 0 to 1",
            field=attribute.name,
            value=value,
            allowed="a Decimal from 0 to 1, such as Decimal('0.4') for 40% of the value",
        )


@attrs.frozen
class Share:
    """The share of a shipment's customs value a measure applies to: a Section 232 duty on the
    metal content, a reciprocal duty on the rest. A share known only as a range (``low`` to
    ``high``; :meth:`unknown` is 0 to 1) makes the layer a range. A share scales the ad valorem
    parts of a rate; a part charged per unit is charged in full.

    >>> str(Share.of("0.4", part="steel content"))
    '40% of the value (steel content)'
    >>> str(Share.unknown(part="non-metal content"))
    'an unknown share of the value (non-metal content)'

    Attributes:
        low: the least share, a fraction from 0 to 1.
        high: the most share, from ``low`` to 1.
        part: what the share is of, in words.
    """

    low: Decimal = attrs.field(validator=_fraction)
    high: Decimal = attrs.field(validator=_fraction)
    part: str | None = attrs.field(default=None, kw_only=True, validator=v.optional_text)

    def __attrs_post_init__(self) -> None:
        if self.high < self.low:
            raise InvalidValueError(
                f"high: {self.high} is below low {self.low}",
                field="high",
                value=self.high,
                allowed=f"a fraction from {self.low} to 1",
            )

    @classmethod
    def of(cls, fraction: Decimal | int | str, *, part: str | None = None) -> Share:
        """A known share: ``Share.of("0.4")`` is 40% of the value."""
        f = decimal_number(fraction, "low")
        return cls(f, f, part=part)

    @classmethod
    def between(
        cls, low: Decimal | int | str, high: Decimal | int | str, *, part: str | None = None
    ) -> Share:
        """A share known only as a range."""
        return cls(decimal_number(low, "low"), decimal_number(high, "high"), part=part)

    @classmethod
    def unknown(cls, *, part: str | None = None) -> Share:
        """A share not known at all: the layer adds from nothing to its full rate."""
        return cls(Decimal(0), Decimal(1), part=part)

    def __str__(self) -> str:
        what = f" ({self.part})" if self.part else ""
        if self.low == self.high:
            return f"{(self.low * 100).normalize():f}% of the value{what}"
        if self.low == 0 and self.high == 1:
            return f"an unknown share of the value{what}"
        lo, hi = ((x * 100).normalize() for x in (self.low, self.high))
        return f"{lo:f}% to {hi:f}% of the value{what}"


def _schedule(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value == ():
        return
    if not isinstance(value, tuple) or not all(isinstance(p, ProductRate) for p in value):
        raise InvalidValueError(
            f"schedule: {v.shown(value)} is not a tuple of ProductRate",
            field="schedule",
            value=value,
            allowed="a tuple of ProductRate(product=HSCode(...), rate=Rate...)",
        )
    seen: set[tuple[str, ...]] = set()
    for i, p in enumerate(value):
        key = (p.product.digits,)
        if key in seen:
            raise InvalidValueError(
                f"schedule[{i}]: heading {p.product} is named twice",
                field=f"schedule[{i}].product",
                value=p.product,
                allowed="each heading once",
            )
        seen.add(key)


@attrs.frozen
class Terms:
    """What a measure does at some point of its history; entries replace terms whole.

    Attributes:
        rate: the tariff or fee rate, if any.
        quantity: a quota or purchase amount, if any.
        legal_basis: the instrument it rests on ("Section 301", "IEEPA").
        effective: when it takes (or took) effect, as precisely as known.
        expires: when it lapses, as precisely as known.
        authority: the kind of legal authority it rests on (selectable, unlike ``legal_basis``).
        instrument: the act that imposes it: an executive order's number, a Federal Register
            citation, a Chapter 99 heading, an Official Journal or CELEX number, a ministry's
            announcement number.
        scope: the origins, products and producers it reaches, with exclusions, producer rates
            and exemptions (``None``: the measure's ``targets`` and ``products``).
        share: the share of the customs value its rate applies to (``None``: all of it).
        schedule: rates by product heading inside the one measure; of the headings that cover
            a product, the finest wins, and a product none covers pays ``rate`` (nothing when
            ``rate`` is ``None``). Each heading is named once.
        act: the id of the scenario's :class:`~tradetruce.LegalAct` it rests on, when one act
            groups several measures.
    """

    rate: Rate | None = attrs.field(default=None, validator=v.instance(Rate, optional=True))
    quantity: Quantity | None = attrs.field(
        default=None, validator=v.instance(Quantity, optional=True)
    )
    legal_basis: str | None = attrs.field(default=None, validator=v.optional_text)
    effective: When | None = attrs.field(default=None, validator=v.instance(When, optional=True))
    expires: When | None = attrs.field(default=None, validator=v.instance(When, optional=True))
    scope: Scope | None = attrs.field(
        default=None, kw_only=True, validator=v.instance(Scope, optional=True)
    )
    authority: Authority | None = attrs.field(
        default=None, kw_only=True, validator=v.instance(Authority, optional=True)
    )
    instrument: str | None = attrs.field(default=None, kw_only=True, validator=v.optional_text)
    share: Share | None = attrs.field(
        default=None, kw_only=True, validator=v.instance(Share, optional=True)
    )
    schedule: tuple[ProductRate, ...] = attrs.field(default=(), kw_only=True, validator=_schedule)
    act: str | None = attrs.field(default=None, kw_only=True, validator=v.an_optional_id)

    def __attrs_post_init__(self) -> None:
        if (
            self.effective is not None
            and self.expires is not None
            and self.expires.definitely_before(self.effective)
        ):
            raise InvalidValueError(
                f"expires {self.expires} is before effective {self.effective}",
                field="expires",
                value=self.expires,
                allowed="an expiry that can fall after the effective time",
            )

    def describe(self) -> str:
        """A short human summary, e.g. ``100% (IEEPA) from 2025-11-01[America/New_York]``."""
        parts = []
        if self.rate is not None:
            parts.append(str(self.rate))
        if self.quantity is not None:
            parts.append(str(self.quantity))
        if self.share is not None:
            parts.append(f"on {self.share}")
        if self.legal_basis:
            parts.append(f"({self.legal_basis})")
        if self.effective is not None:
            parts.append(f"from {self.effective}")
        if self.expires is not None:
            parts.append(f"until {self.expires}")
        return " ".join(parts) or "-"
