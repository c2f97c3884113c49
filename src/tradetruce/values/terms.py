"""The terms of a measure that can change over time: rate, quantity, legal basis, dates."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

import attrs

from tradetruce.errors import InvalidValueError
from tradetruce.values import _validate as v
from tradetruce.values.when import When

__all__ = ["Bound", "Period", "Quantity", "Rate", "RateUnit", "Terms"]


class RateUnit(StrEnum):
    """How a rate is expressed."""

    PERCENT = "percent"  #: ad valorem, percent of customs value
    SPECIFIC = "specific"  #: an amount of currency per unit of goods


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


def _decimal(value: object, field: str) -> Decimal:
    if isinstance(value, bool | float):
        raise InvalidValueError(
            f"{field}: {v.shown(value)} is a float or bool; floats drift",
            field=field,
            value=value,
            allowed="a Decimal, an int, or a decimal string such as '25' or '7.5'",
        )
    try:
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


@attrs.frozen
class Rate:
    """A tariff or fee rate. ``value`` is a Decimal, never a float.

    >>> Rate.percent("7.5")
    Rate(value=Decimal('7.5'), unit=<RateUnit.PERCENT: 'percent'>, currency=None, per=None)
    >>> str(Rate.specific("50", currency="USD", per="net ton"))
    '50 USD per net ton'
    """

    value: Decimal = attrs.field(validator=_non_negative)
    unit: RateUnit = attrs.field(default=RateUnit.PERCENT, validator=v.instance(RateUnit))
    currency: str | None = attrs.field(default=None, validator=v.optional_text)
    per: str | None = attrs.field(default=None, validator=v.optional_text)

    def __attrs_post_init__(self) -> None:
        if self.unit is RateUnit.PERCENT and (self.currency or self.per):
            raise InvalidValueError(
                "a percent rate has no currency or per-unit",
                field="unit",
                value=self,
                allowed="unit=specific for an amount per unit",
            )
        if self.unit is RateUnit.SPECIFIC and not (self.currency and self.per):
            raise InvalidValueError(
                "a specific rate needs a currency and a unit it is charged per",
                field="currency",
                value=self,
                allowed="Rate.specific('50', currency='USD', per='net ton')",
            )

    @classmethod
    def percent(cls, value: Decimal | int | str) -> Rate:
        """An ad valorem rate in percent."""
        return cls(_decimal(value, "value"))

    @classmethod
    def specific(cls, value: Decimal | int | str, *, currency: str, per: str) -> Rate:
        """An amount of ``currency`` per ``per`` (a unit of goods or of vessel size)."""
        return cls(_decimal(value, "value"), RateUnit.SPECIFIC, currency, per)

    @property
    def is_ad_valorem(self) -> bool:
        return self.unit is RateUnit.PERCENT

    def __str__(self) -> str:
        if self.unit is RateUnit.PERCENT:
            return f"{self.value}%"
        return f"{self.value} {self.currency} per {self.per}"


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
        return cls(_decimal(amount, "amount"), unit, per, commodity, bound)

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


@attrs.frozen
class Terms:
    """What a measure does at some point of its history; entries replace terms whole.

    Attributes:
        rate: the tariff or fee rate, if any.
        quantity: a quota or purchase amount, if any.
        legal_basis: the instrument it rests on ("Section 301", "IEEPA").
        effective: when it takes (or took) effect, as precisely as known.
        expires: when it lapses, as precisely as known.
    """

    rate: Rate | None = attrs.field(default=None, validator=v.instance(Rate, optional=True))
    quantity: Quantity | None = attrs.field(
        default=None, validator=v.instance(Quantity, optional=True)
    )
    legal_basis: str | None = attrs.field(default=None, validator=v.optional_text)
    effective: When | None = attrs.field(default=None, validator=v.instance(When, optional=True))
    expires: When | None = attrs.field(default=None, validator=v.instance(When, optional=True))

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
        if self.legal_basis:
            parts.append(f"({self.legal_basis})")
        if self.effective is not None:
            parts.append(f"from {self.effective}")
        if self.expires is not None:
            parts.append(f"until {self.expires}")
        return " ".join(parts) or "-"
