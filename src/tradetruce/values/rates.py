"""Tariff and fee rates: ad valorem (percent of value) or an amount of currency per unit, and
the forms built from them: a rate known only as a range, a compound of two parts, the greater or
the lesser of two rates, and an all-in floor.

>>> str(Rate.between("30.6", "39.0"))
'30.6% to 39.0%'
>>> str(Rate.compound(Rate.percent("10"), Rate.specific("1000", currency="EUR", per="vehicle")))
'10% + 1000 EUR per vehicle'
>>> str(Rate.greater_of(Rate.percent("25"), Rate.specific("1000", currency="EUR", per="vehicle")))
'25% or 1000 EUR per vehicle, whichever is greater'
>>> str(Rate.at_least("15"))
'15% all-in'
"""

from __future__ import annotations

import functools
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

import attrs

from tradetruce.errors import InvalidValueError
from tradetruce.values import _validate as v
from tradetruce.values.codes import HSCode

__all__ = ["Combine", "ProductRate", "Rate", "RatePart", "RateUnit"]


class RateUnit(StrEnum):
    """How a rate is expressed."""

    PERCENT = "percent"  #: ad valorem, percent of customs value
    SPECIFIC = "specific"  #: an amount of currency per unit of goods


class Combine(StrEnum):
    """How a rate's second part (:attr:`Rate.other`) joins its first."""

    PLUS = "plus"  #: both are charged: a compound rate (10% plus EUR 1,000 per vehicle)
    GREATER = "greater"  #: the greater of the two is charged ("whichever is greater")
    LESSER = "lesser"  #: the lesser of the two is charged ("whichever is lower")


def decimal_number(value: object, field: str) -> Decimal:
    """``value`` as a finite Decimal: a Decimal, an int, or text the wire's decimal rule takes
    (ASCII digits only); never a float or bool. :class:`InvalidValueError` names ``field``."""
    if isinstance(value, bool | float):
        raise InvalidValueError(
            f"{field}: {v.shown(value)} is a float or bool; floats drift",
            field=field,
            value=value,
            allowed="a Decimal, an int, or a decimal string such as '25' or '7.5'",
        )
    try:
        if isinstance(value, str) and v.DECIMAL_RE.fullmatch(value) is None:
            raise InvalidOperation(value)
        d = Decimal(value) if isinstance(value, int | str) else value
    except InvalidOperation:
        d = None
    if not isinstance(d, Decimal) or not d.is_finite():
        raise InvalidValueError(
            f"{field}: {v.shown(value)} is not a finite decimal number",
            field=field,
            value=value,
            allowed="a Decimal, an int, or a decimal string such as '25' or '7.5'",
        )
    return d


def _non_negative(_inst: object, attribute: attrs.Attribute[Any], value: Decimal) -> None:
    if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
        raise InvalidValueError(
            f"{attribute.name}: {v.shown(value)} must be a finite, non-negative Decimal",
            field=attribute.name,
            value=value,
            allowed="a Decimal >= 0 (build with Rate.percent('25') or Decimal('25'))",
        )


def _optional_non_negative(
    inst: object, attribute: attrs.Attribute[Any], value: Decimal | None
) -> None:
    if value is not None:
        _non_negative(inst, attribute, value)


#: Bounds of an amount: the least and the most.
Bounds = tuple[Decimal, Decimal]


def _check_unit(rate: RatePart | Rate) -> None:
    if rate.unit is RateUnit.PERCENT and (rate.currency or rate.per):
        raise InvalidValueError(
            "a percent rate has no currency or per-unit",
            field="unit",
            value=rate,
            allowed="unit=specific for an amount per unit",
        )
    if rate.unit is RateUnit.SPECIFIC and not (rate.currency and rate.per):
        raise InvalidValueError(
            "a specific rate needs a currency and a unit it is charged per",
            field="currency",
            value=rate,
            allowed="Rate.specific('50', currency='USD', per='net ton')",
        )
    if rate.high is not None and rate.high < rate.value:
        raise InvalidValueError(
            f"high: {rate.high} is below the rate's value {rate.value}",
            field="high",
            value=rate.high,
            allowed=f"the upper end of the range, at least {rate.value}",
        )


@attrs.frozen
class RatePart:
    """One part of a rate of two parts (:attr:`Rate.other`): ad valorem or specific, known
    exactly or as a range (``value`` to ``high``).

    >>> str(RatePart.of(Rate.specific("1000", currency="EUR", per="vehicle")))
    '1000 EUR per vehicle'
    """

    value: Decimal = attrs.field(validator=_non_negative)
    unit: RateUnit = attrs.field(default=RateUnit.PERCENT, validator=v.instance(RateUnit))
    currency: str | None = attrs.field(default=None, validator=v.optional_text)
    per: str | None = attrs.field(default=None, validator=v.optional_text)
    high: Decimal | None = attrs.field(default=None, kw_only=True, validator=_optional_non_negative)

    def __attrs_post_init__(self) -> None:
        _check_unit(self)

    @classmethod
    def of(cls, rate: Rate | RatePart) -> RatePart:
        """``rate`` as a part: a plain rate or a range, of one part and not a floor.

        Raises:
            InvalidValueError: ``rate`` has two parts or is a floor.
        """
        if isinstance(rate, RatePart):
            return rate
        if not isinstance(rate, Rate) or rate.other is not None or rate.floor:
            raise InvalidValueError(
                f"other: {rate} cannot be one part of a rate",
                field="other",
                value=rate,
                allowed="a plain rate or a range (Rate.percent, Rate.specific, Rate.between)",
            )
        return cls(rate.value, rate.unit, rate.currency, rate.per, high=rate.high)

    @property
    def top(self) -> Decimal:
        """The upper end of a range; ``value`` for a part known exactly."""
        return self.value if self.high is None else self.high

    def __str__(self) -> str:
        if self.unit is RateUnit.PERCENT:
            return f"{self.value}%" if self.high is None else f"{self.value}% to {self.high}%"
        amount = self.value if self.high is None else f"{self.value} to {self.high}"
        return f"{amount} {self.currency} per {self.per}"


@attrs.frozen(repr=False)
class Rate:
    """A tariff or fee rate. ``value`` is a Decimal, never a float.

    A plain rate is ad valorem (percent of the customs value) or specific (an amount of
    ``currency`` per ``per``). Besides, a rate may be known only as a range (``value`` to
    ``high``: a ministry announces 30.6% to 39.0%), have a second part joined as
    :class:`Combine` says (a compound rate, the greater or the lesser of two), or be an all-in
    floor (``floor``: "15% all-in, or the MFN rate if higher": the layer adds what the base rate
    leaves to reach it, never less than nothing).

    >>> Rate.percent("7.5")
    Rate(value=Decimal('7.5'), unit=<RateUnit.PERCENT: 'percent'>, currency=None, per=None)
    >>> str(Rate.specific("50", currency="USD", per="net ton"))
    '50 USD per net ton'

    Attributes:
        value: the rate (the lower end, for a range).
        unit: percent or specific.
        currency: for a specific rate, the currency it is charged in.
        per: for a specific rate, the unit of goods it is charged per.
        high: the upper end of a rate known only as a range (``None``: known exactly).
        other: a second part, known exactly or as a range (``None``: the rate is one part).
        combine: how ``other`` joins the first part; set exactly when ``other`` is.
        floor: an all-in floor over the base rate (a percent rate of one part only).
    """

    value: Decimal = attrs.field(validator=_non_negative)
    unit: RateUnit = attrs.field(default=RateUnit.PERCENT, validator=v.instance(RateUnit))
    currency: str | None = attrs.field(default=None, validator=v.optional_text)
    per: str | None = attrs.field(default=None, validator=v.optional_text)
    high: Decimal | None = attrs.field(default=None, kw_only=True, validator=_optional_non_negative)
    other: RatePart | None = attrs.field(
        default=None, kw_only=True, validator=v.instance(RatePart, optional=True)
    )
    combine: Combine | None = attrs.field(
        default=None, kw_only=True, validator=v.instance(Combine, optional=True)
    )
    floor: bool = attrs.field(default=False, kw_only=True, validator=v.instance(bool))

    def __attrs_post_init__(self) -> None:
        _check_unit(self)
        if (self.other is None) != (self.combine is None):
            raise InvalidValueError(
                "a second part and how it combines go together",
                field="combine" if self.combine is None else "other",
                value=self,
                allowed="both other and combine (plus, greater, lesser), or neither",
            )
        if self.floor and (self.unit is not RateUnit.PERCENT or self.other is not None):
            raise InvalidValueError(
                "floor: an all-in floor is a percent rate of one part",
                field="floor",
                value=self,
                allowed="Rate.at_least('15') (or with high=... for a range)",
            )

    @classmethod
    def percent(cls, value: Decimal | int | str) -> Rate:
        """An ad valorem rate in percent."""
        return cls(decimal_number(value, "value"))

    @classmethod
    def specific(cls, value: Decimal | int | str, *, currency: str, per: str) -> Rate:
        """An amount of ``currency`` per ``per`` (a unit of goods or of vessel size)."""
        return cls(decimal_number(value, "value"), RateUnit.SPECIFIC, currency, per)

    @classmethod
    def between(
        cls,
        low: Decimal | int | str,
        high: Decimal | int | str,
        *,
        currency: str | None = None,
        per: str | None = None,
    ) -> Rate:
        """A rate known only as a range, ad valorem (or specific, given ``currency`` and
        ``per``): its layer adds at least ``low`` and at most ``high``, never one figure."""
        unit = RateUnit.PERCENT if currency is None and per is None else RateUnit.SPECIFIC
        return cls(
            decimal_number(low, "value"), unit, currency, per, high=decimal_number(high, "high")
        )

    @classmethod
    def compound(cls, first: Rate, second: Rate | RatePart) -> Rate:
        """Both parts charged: an ad valorem part plus a specific part per unit."""
        return attrs.evolve(first, other=RatePart.of(second), combine=Combine.PLUS)

    @classmethod
    def greater_of(cls, first: Rate, second: Rate | RatePart) -> Rate:
        """The greater of two rates ("25% or EUR 1,000 per unit, whichever is greater")."""
        return attrs.evolve(first, other=RatePart.of(second), combine=Combine.GREATER)

    @classmethod
    def lesser_of(cls, first: Rate, second: Rate | RatePart) -> Rate:
        """The lesser of two rates ("whichever is lower")."""
        return attrs.evolve(first, other=RatePart.of(second), combine=Combine.LESSER)

    @classmethod
    def at_least(cls, value: Decimal | int | str) -> Rate:
        """An all-in floor in percent: the layer adds what the base rate leaves to reach
        ``value``, and nothing when the base rate is higher."""
        return cls(decimal_number(value, "value"), floor=True)

    @property
    def is_ad_valorem(self) -> bool:
        """True for a plain percent rate (one part, known exactly, not a floor)."""
        return self.unit is RateUnit.PERCENT and self.is_plain

    @property
    def is_plain(self) -> bool:
        """True for a rate of one part, known exactly, not a floor."""
        return self.high is None and self.other is None and not self.floor

    @functools.cached_property
    def parts(self) -> tuple[RatePart, ...]:
        """The rate's parts, each known exactly or as a range: one, or two for a combined
        rate."""
        first = RatePart(self.value, self.unit, self.currency, self.per, high=self.high)
        return (first,) if self.other is None else (first, self.other)

    @property
    def has_percent(self) -> bool:
        """True when some part is ad valorem."""
        other = self.other
        return self.unit is RateUnit.PERCENT or (
            other is not None and other.unit is RateUnit.PERCENT
        )

    @property
    def has_specific(self) -> bool:
        """True when some part is charged per unit."""
        other = self.other
        return self.unit is RateUnit.SPECIFIC or (
            other is not None and other.unit is RateUnit.SPECIFIC
        )

    @property
    def decided(self) -> bool:
        """False when what the rate charges depends on the shipment beyond its value alone, in
        percent terms: the greater or the lesser of an ad valorem and a specific part."""
        return self.combine in (None, Combine.PLUS) or not (self.has_percent and self.has_specific)

    @property
    def top(self) -> Decimal:
        """The upper end of a range; ``value`` for a rate known exactly."""
        return self.value if self.high is None else self.high

    def percent_bounds(self) -> Bounds:
        """The least and the most the rate charges in percent of the value, counting only its
        ad valorem parts (specific parts are outside a percent total; see :meth:`unit_bounds`).
        The two bounds add up: a shipment of value ``V`` and ``Q`` units pays at least
        ``V * low% + Q * unit low`` and at most ``V * high% + Q * unit high``.

        The greater of an ad valorem and a specific part charges at least the ad valorem part
        (and nothing sure per unit); the lesser of them may charge nothing in either.
        """
        return self._bounds(RateUnit.PERCENT)

    def unit_bounds(self) -> Bounds:
        """The least and the most the rate charges per unit, counting only its specific parts
        (as :meth:`percent_bounds` does for the ad valorem ones)."""
        return self._bounds(RateUnit.SPECIFIC)

    def _bounds(self, unit: RateUnit) -> Bounds:
        zero = Decimal(0)
        if self.other is None:  # one part: the common case, without building parts
            return (self.value, self.top) if self.unit is unit else (zero, zero)
        parts = [(p.value, p.top) if p.unit is unit else None for p in self.parts]
        if len(parts) == 1:
            return parts[0] or (zero, zero)
        a, b = parts
        if a is None and b is None:
            return zero, zero
        if a is None or b is None:
            # One part in this unit. Percent and per-unit bounds add up: a compound charges
            # each part; the greater of two charges at least its ad valorem part (counted in
            # percent, so not again per unit); the lesser of two may charge either part.
            lo, hi = a or b  # type: ignore[misc]
            sure = self.combine is Combine.PLUS or (
                self.combine is Combine.GREATER and unit is RateUnit.PERCENT
            )
            return (lo if sure else zero, hi)
        if self.combine is Combine.PLUS:
            return a[0] + b[0], a[1] + b[1]
        pick = max if self.combine is Combine.GREATER else min
        return pick(a[0], b[0]), pick(a[1], b[1])

    def charge(self, value: Decimal, quantity: Decimal | None) -> Bounds:
        """The least and the most the rate charges on a customs ``value`` (and ``quantity``
        units, when some part is specific), unrounded. A floor charges its own rate here; the
        stack takes the base rate off.

        Raises:
            InvalidValueError: a part is specific and ``quantity`` is None.
        """
        found: list[Bounds] = []
        for p in self.parts:
            if p.unit is RateUnit.PERCENT:
                found.append((value * p.value / 100, value * p.top / 100))
                continue
            if quantity is None:
                raise InvalidValueError(
                    f"{self} charges {p}: the amount needs a quantity",
                    field="quantity",
                    value=None,
                    allowed=f"the number of units ({p.per})",
                )
            found.append((quantity * p.value, quantity * p.top))
        if len(found) == 1:
            return found[0]
        (a_lo, a_hi), (b_lo, b_hi) = found
        if self.combine is Combine.PLUS:
            return a_lo + b_lo, a_hi + b_hi
        pick = max if self.combine is Combine.GREATER else min
        return pick(a_lo, b_lo), pick(a_hi, b_hi)

    def __repr__(self) -> str:
        shown = [f"{a.name}={getattr(self, a.name)!r}" for a in attrs.fields(Rate)[:4]]
        shown += [
            f"{a.name}={getattr(self, a.name)!r}"
            for a in attrs.fields(Rate)[4:]
            if getattr(self, a.name) != a.default
        ]
        return f"Rate({', '.join(shown)})"

    def __str__(self) -> str:
        first = str(self.parts[0])
        if self.floor:
            first += " all-in"
        if self.other is None or self.combine is None:
            return first
        second = str(self.other)
        if self.combine is Combine.PLUS:
            return f"{first} + {second}"
        return f"{first} or {second}, whichever is {self.combine.value}"


@attrs.frozen
class ProductRate:
    """A rate of one product heading inside a measure's rate schedule
    (:attr:`Terms.schedule <tradetruce.Terms.schedule>`): Section 301 list 1 at 25% and list
    4A at 7.5% in one measure. Of the headings that cover a product, the finest wins.

    >>> str(ProductRate(HSCode("8517"), Rate.percent("7.5")))
    '8517: 7.5%'
    """

    product: HSCode = attrs.field(validator=v.instance(HSCode))
    rate: Rate = attrs.field(validator=v.instance(Rate))

    def __str__(self) -> str:
        return f"{self.product}: {self.rate}"


def scheduled(schedule: tuple[ProductRate, ...], product: HSCode) -> Rate | None:
    """The rate of the finest heading of ``schedule`` that covers ``product`` (``None``: no
    heading covers it)."""
    covering = [p for p in schedule if p.product.covers(product)]
    if not covering:
        return None
    return max(covering, key=lambda p: p.product.level).rate
