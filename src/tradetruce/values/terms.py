"""The terms of a measure that can change over time: rate, quantity, legal basis, dates."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

import attrs

from tradetruce.errors import InvalidValueError
from tradetruce.values import _validate as v
from tradetruce.values.authority import Authority
from tradetruce.values.rates import Rate, RateUnit, _decimal, _non_negative
from tradetruce.values.scope import Scope
from tradetruce.values.when import When

__all__ = [
    "Bound",
    "Period",
    "Quantity",
    "Rate",
    "RateUnit",
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
        authority: the kind of legal authority it rests on (selectable, unlike ``legal_basis``).
        instrument: the act that imposes it: an executive order's number, a Federal Register
            citation, a Chapter 99 heading, an Official Journal or CELEX number, a ministry's
            announcement number.
        scope: the origins, products and producers it reaches, with exclusions, producer rates
            and exemptions (``None``: the measure's ``targets`` and ``products``).
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
