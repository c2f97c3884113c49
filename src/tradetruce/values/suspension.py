"""A suspension: what part of a measure is held back, until when, and what happens at the end.

A truce rarely withdraws a measure. It *suspends* it, or part of it ("24 of the 34 points"), for a
time ("for one year", "until 10 November") or until further notice, and says what happens when
that time runs out: the measure comes back (``restore``) or it lapses for good (``expire``).
A :class:`Suspension` holds exactly that. It rides on the history entry that pauses a measure
(:attr:`tradetruce.MeasureEntry.suspension`); an amendment of a paused measure that carries a new
one is an *extension*. A measure's own end is a separate thing: :attr:`tradetruce.Terms.expires`.

>>> from tradetruce import Rate, When
>>> s = Suspension(until=When.parse("2026-11-10[America/New_York]"), portion=Rate.percent("24"))
>>> s.describe(Rate.percent("34"))
'24 of 34 points until 2026-11-10[America/New_York], then restored'
>>> Suspension().describe()
'whole measure until further notice'
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

import attrs

from tradetruce.values import _validate as v
from tradetruce.values.terms import Rate, RateUnit
from tradetruce.values.when import When

__all__ = ["Suspension", "SuspensionEnd"]


class SuspensionEnd(StrEnum):
    """What happens to a suspended measure when its suspension runs out."""

    RESTORE = "restore"  #: the measure applies again (in force)
    EXPIRE = "expire"  #: the measure lapses for good (expired)


@attrs.frozen(kw_only=True)
class Suspension:
    """A measure held back, in whole or in part, for a time or until further notice.

    Attributes:
        until: when the suspension runs out, as precisely as the source says (an instant, a day,
            ``2026-11~``); ``None``: until further notice.
        portion: the part of the measure's rate that is suspended, in the rate's own unit and
            not above it (checked against the measure's terms); ``None``: the whole measure.
            A measure paused with a portion still applies the rest (its rate minus the portion).
        at_end: what happens when ``until`` comes with no extension recorded: ``restore``
            (default) or ``expire``.
        note: a short free-text note ("as the joint statement says").
    """

    until: When | None = attrs.field(default=None, validator=v.instance(When, optional=True))
    portion: Rate | None = attrs.field(default=None, validator=v.instance(Rate, optional=True))
    at_end: SuspensionEnd = attrs.field(
        default=SuspensionEnd.RESTORE, validator=v.instance(SuspensionEnd)
    )
    note: str = attrs.field(default="", validator=v.text)

    @property
    def is_whole(self) -> bool:
        """True when the whole measure is suspended."""
        return self.portion is None

    def problem_with(self, rate: Rate | None) -> str:
        """Why ``portion`` cannot be part of ``rate`` ('' when it can, or when nothing is
        suspended in part)."""
        portion = self.portion
        if portion is None:
            return ""
        if rate is None:
            return f"a portion ({portion}) of a measure that has no rate"
        if (portion.unit, portion.currency, portion.per) != (rate.unit, rate.currency, rate.per):
            return f"a portion ({portion}) in another unit than the rate ({rate})"
        if portion.value > rate.value:
            return f"a portion ({portion}) above the rate ({rate})"
        return ""

    def kept(self, rate: Rate) -> Rate:
        """What still applies of ``rate`` while this suspension holds (zero when whole)."""
        if self.portion is None:
            return attrs.evolve(rate, value=Decimal(0))
        return attrs.evolve(rate, value=rate.value - self.portion.value)

    def part(self, rate: Rate | None = None) -> str:
        """What is suspended, in words: ``whole measure``, ``24 of 34 points``."""
        if self.portion is None:
            return "whole measure"
        if rate is None:
            return f"{self.portion} of its rate"
        if rate.unit is RateUnit.PERCENT:
            return f"{self.portion.value} of {rate.value} points"
        return f"{self.portion.value} of {rate}"

    def describe(self, rate: Rate | None = None) -> str:
        """A short human summary of the suspension (``rate``: the measure's, for a portion)."""
        if self.until is None:
            return f"{self.part(rate)} until further notice"
        end = "restored" if self.at_end is SuspensionEnd.RESTORE else "expires"
        return f"{self.part(rate)} until {self.until}, then {end}"
