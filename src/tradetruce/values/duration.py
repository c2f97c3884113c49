"""Durations: "for three years", "one year from the effective date", "90 days after signing".

A :class:`Duration` is a calendar-aware length of time, written as an ISO 8601 duration
(``P3Y``, ``P1Y6M``, ``P90D``, ``PT2H``). :meth:`Duration.after` shifts a time value by it in the
value's own zone, through pendulum: a year after 10 November is 10 November, whatever the leap
days; a month after 31 January is the last day of February (the day is clamped); days are
calendar days, so a day after a DST change is the same wall-clock time.

A calendar value stays as precise as it was when the duration is in whole units of its precision
(a month after "2026-11~" is "2026-12~"). Otherwise the result is the range of days the shifted
value can fall on, taken from its bounds, so a vague value stays exactly as vague (90 days after
"November 2025" is 30 January to 28 February 2026), never narrower. An exact instant shifted
onto a wall-clock time its zone skips (a DST gap) moves forward by the gap, as pendulum does.

>>> str(Duration.parse("P1Y").after(When.parse("2025-11-10[America/New_York]")))
'2026-11-10[America/New_York]'
>>> str(Duration.parse("P90D").after(When.parse("2025-11[Asia/Shanghai]")))
'2026-01-30/2026-02-28[Asia/Shanghai]'
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any, Final

import attrs
import pendulum

from tradetruce.errors import InvalidValueError
from tradetruce.values import _validate as v
from tradetruce.values.calendar import Calendar, Precision
from tradetruce.values.when import When

__all__ = ["Duration"]

_FORM: Final = re.compile(
    r"P(?:([0-9]{1,4})Y)?(?:([0-9]{1,5})M)?(?:([0-9]{1,6})W)?(?:([0-9]{1,7})D)?"
    r"(?:T(?:([0-9]{1,8})H)?(?:([0-9]{1,9})M)?)?"
)
_FIELDS: Final = ("years", "months", "weeks", "days", "hours", "minutes")
_count: Final = v.WholeNumber(0, 10**9)


@attrs.frozen
class Duration:
    """A calendar-aware length of time: years, months, weeks, days, hours and minutes.

    Attributes:
        years, months, weeks, days: calendar units, added in the value's own zone.
        hours, minutes: elapsed time.
    """

    years: int = attrs.field(default=0, validator=_count)
    months: int = attrs.field(default=0, validator=_count)
    weeks: int = attrs.field(default=0, validator=_count)
    days: int = attrs.field(default=0, validator=_count)
    hours: int = attrs.field(default=0, validator=_count)
    minutes: int = attrs.field(default=0, validator=_count)

    def __attrs_post_init__(self) -> None:
        if not any(getattr(self, f) for f in _FIELDS):
            raise InvalidValueError(
                "a duration of nothing",
                field="years",
                value=0,
                allowed="at least one unit above zero (P1Y, P90D, PT2H)",
            )

    @classmethod
    def parse(cls, text: str) -> Duration:
        """An ISO 8601 duration: ``P3Y``, ``P1Y6M``, ``P2W``, ``P90D``, ``PT2H30M``.

        Raises:
            InvalidValueError: anything else, with the forms allowed.
        """
        found = _FORM.fullmatch(text) if isinstance(text, str) else None
        if found is None or text in ("P", "PT") or text.endswith("T"):
            raise InvalidValueError(
                f"{text!r} is not a duration",
                field="duration",
                value=text,
                allowed="an ISO 8601 duration such as P3Y, P1Y6M, P2W, P90D or PT2H30M",
            )
        return cls(*(int(g) if g else 0 for g in found.groups()))

    def __str__(self) -> str:
        date = "".join(
            f"{n}{u}"
            for n, u in zip((self.years, self.months, self.weeks, self.days), "YMWD", strict=True)
            if n
        )
        time = "".join(f"{n}{u}" for n, u in ((self.hours, "H"), (self.minutes, "M")) if n)
        return "P" + date + (f"T{time}" if time else "")

    @property
    def _calendar(self) -> dict[str, int]:
        return {"years": self.years, "months": self.months, "weeks": self.weeks, "days": self.days}

    def _finest(self) -> Precision:
        """The finest precision a calendar value can keep when shifted by this duration."""
        if self.hours or self.minutes:
            return Precision.INSTANT
        if self.weeks or self.days:
            return Precision.DAY
        if self.months:
            return Precision.MONTH
        return Precision.YEAR

    def after(self, when: When) -> When:
        """``when`` shifted by this duration, in its own zone (see the module docs)."""
        if when.instant is not None:
            shifted = when.instant.add(**self._calendar, hours=self.hours, minutes=self.minutes)
            return When.exact(shifted, qualifier=when.qualifier)
        ends = (when.start, when.end) if when.is_range else (when.start,)
        if all(c is None or _keeps(c.precision, self._finest()) for c in ends):
            moved = tuple(None if c is None else self._shift(c) for c in ends)
            if when.is_range:
                return When.between(moved[0], moved[1], when.zone)
            assert moved[0] is not None
            return When(when.zone, start=moved[0])
        return self._days_between(when)

    def _shift(self, c: Calendar) -> Calendar:
        if c.precision is Precision.DAY:
            assert c.month is not None and c.day is not None
            d = pendulum.Date(c.year, c.month, c.day).add(**self._calendar)
            return Calendar(d.year, d.month, d.day, c.qualifier)
        if c.precision is Precision.MONTH:
            assert c.month is not None
            index = c.year * 12 + c.month - 1 + self.years * 12 + self.months
            return Calendar(index // 12, index % 12 + 1, None, c.qualifier)
        return Calendar(c.year + self.years, None, None, c.qualifier)

    def _days_between(self, when: When) -> When:
        zone = when.zone
        lo = None if when.is_range and when.start is None else self._local_day(when.earliest, zone)
        hi = None if when.is_range and when.end is None else self._local_day(when.latest, zone)
        return When.between(
            None if lo is None else Calendar(lo.year, lo.month, lo.day),
            None if hi is None else Calendar(hi.year, hi.month, hi.day),
            zone,
        )

    def _local_day(self, t: Any, zone: str) -> _dt.date:
        local = pendulum.instance(t).in_timezone(zone)
        shifted = local.add(**self._calendar, hours=self.hours, minutes=self.minutes)
        day: _dt.date = shifted.date()
        return day


def _keeps(precision: Precision, finest: Precision) -> bool:
    order = (Precision.YEAR, Precision.MONTH, Precision.DAY, Precision.INSTANT)
    return order.index(precision) >= order.index(finest) and finest is not Precision.INSTANT
