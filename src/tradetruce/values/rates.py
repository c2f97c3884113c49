"""Tariff and fee rates: ad valorem (percent of value) or an amount of currency per unit."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

import attrs

from tradetruce.errors import InvalidValueError
from tradetruce.values import _validate as v

__all__ = ["Rate", "RateUnit"]


class RateUnit(StrEnum):
    """How a rate is expressed."""

    PERCENT = "percent"  #: ad valorem, percent of customs value
    SPECIFIC = "specific"  #: an amount of currency per unit of goods


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
