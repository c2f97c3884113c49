"""Calendar values: a year, month or day (EDTF level 1), exact or qualified, without a zone.

A :class:`Calendar` names days; a :class:`~tradetruce.When` places them in a zone. A qualified
value (``~`` approximate, ``?`` uncertain, ``%`` both) widens by one unit of its own precision on
each side: ``2026-11~`` may mean any day from 1 October to 31 December 2026.

>>> c = Calendar.parse("2026-11~")
>>> c.precision, str(c.first_day()), str(c.last_day())
(<Precision.MONTH: 'month'>, '2026-10-01', '2026-12-31')
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from enum import StrEnum
from typing import Final

import attrs

from tradetruce.errors import InvalidTimeError
from tradetruce.values._validate import shown

__all__ = ["MAX_YEAR", "MIN_YEAR", "Calendar", "Precision", "Qualifier"]

#: The years a time value may name; the margins keep every zone's local days representable.
MIN_YEAR: Final = 1000
MAX_YEAR: Final = 9998


class Precision(StrEnum):
    """How finely a time value is known."""

    YEAR = "year"
    MONTH = "month"
    DAY = "day"
    INSTANT = "instant"


class Qualifier(StrEnum):
    """EDTF level-1 qualifiers of a calendar value."""

    EXACT = ""
    APPROXIMATE = "~"
    UNCERTAIN = "?"
    APPROXIMATE_UNCERTAIN = "%"


_QUALIFIER_TEXT: Final = {q: q.value for q in Qualifier}


# The memo of this module is a functools cache of a pure function of immutable text: thread-safe,
# bounded, holding immutable results, so no caller can observe it and none needs emptying.

_LAST_DAY: Final = _dt.date(9999, 12, 31)
_ONE_DAY: Final = _dt.timedelta(days=1)


@attrs.frozen(order=False)
class Calendar:
    """A calendar year, month or day (EDTF level 1), without a zone of its own.

    Args:
        year: from MIN_YEAR (1000) to MAX_YEAR (9998).
        month: 1 to 12, or ``None`` for a whole year.
        day: a valid day of ``month``, or ``None`` for a whole month.
        qualifier: approximate, uncertain, both, or exact.
    """

    year: int
    month: int | None = None
    day: int | None = None
    qualifier: Qualifier = Qualifier.EXACT

    def __attrs_post_init__(self) -> None:
        problem = _calendar_problem(self.year, self.month, self.day, self.qualifier)
        if problem:
            raise InvalidTimeError(
                f"invalid calendar value: {problem}",
                value=(self.year, self.month, self.day),
                allowed=f"a real year ({MIN_YEAR}-{MAX_YEAR}), month (1-12) and day",
            )

    @property
    def precision(self) -> Precision:
        if self.month is None:
            return Precision.YEAR
        return Precision.MONTH if self.day is None else Precision.DAY

    def first_day(self) -> _dt.date:
        """The first day this value may mean, widened by its qualifier."""
        start = _dt.date(self.year, self.month or 1, self.day or 1)
        if self.qualifier is Qualifier.EXACT:
            return start
        return _shift(start, self.precision, -1, clamp=_dt.date(1, 1, 1))

    def last_day(self) -> _dt.date:
        """The last day this value may mean, widened by its qualifier."""
        if self.qualifier is Qualifier.EXACT:  # the common case, without date arithmetic
            if self.day is not None:
                return _dt.date(self.year, self.month or 1, self.day)
            if self.month is not None:
                return _dt.date(self.year, self.month, _DAYS_IN[self.month][_leap(self.year)])
            return _dt.date(self.year, 12, 31)
        return self._last_day_shifted()

    def _last_day_shifted(self) -> _dt.date:
        first = _dt.date(self.year, self.month or 1, self.day or 1)
        periods = 1 if self.qualifier is Qualifier.EXACT else 2
        after = _shift(first, self.precision, periods, clamp=_dt.date(9999, 12, 31))
        return after - _dt.timedelta(days=1) if after < _dt.date(9999, 12, 31) else after

    def __str__(self) -> str:
        # A dict lookup rather than Enum's ``value`` descriptor, which costs more than the rest.
        q = _QUALIFIER_TEXT[self.qualifier]
        if self.month is None:
            return f"{self.year:04d}{q}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}{q}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}{q}"

    @functools.cached_property
    def _days(self) -> tuple[_dt.date, _dt.date | None]:
        # The first day and the day after the last (None at the end of the calendar), kept:
        # one Calendar is shared by every time value of a document that names it.
        last = self.last_day()
        return self.first_day(), None if last >= _LAST_DAY else last + _ONE_DAY

    @classmethod
    def parse(cls, text: str) -> Calendar:
        """Read an EDTF level-1 date: ``2025``, ``2025-11``, ``2025-11-01``, each with ``~?%``."""
        if cls is Calendar and type(text) is str:
            return _parse_calendar(text)  # shared: a Calendar is immutable
        return _read_calendar(cls, text)


def _calendar_problem(year: object, month: object, day: object, qualifier: object) -> str:
    """What is wrong with these calendar parts, or ``""``: whole numbers (never a bool or a
    float) naming a real year, month and day."""
    if type(year) is not int or not MIN_YEAR <= year <= MAX_YEAR:
        return f"year must be a whole number from {MIN_YEAR} to {MAX_YEAR}, not {shown(year)}"
    if month is None:
        if day is not None:
            return "a day needs a month"
    elif type(month) is not int or not 1 <= month <= 12:
        return f"month must be in 1..12, not {shown(month)}"
    elif day is not None:
        last = _DAYS_IN[month][_leap(year)]
        if type(day) is not int or not 1 <= day <= last:
            return f"day is out of range for month {year:04d}-{month:02d}: {shown(day)} (1..{last})"
    if not isinstance(qualifier, Qualifier):
        return f"qualifier must be a Qualifier, not {shown(qualifier)}"
    return ""


def _read_calendar(cls: type[Calendar], text: str) -> Calendar:
    m = _CALENDAR_RE.fullmatch(text) if type(text) is str else None
    if m is None:
        raise InvalidTimeError(
            f"not a calendar value: {shown(text)}",
            value=text,
            allowed="YYYY, YYYY-MM or YYYY-MM-DD, optionally followed by ~, ? or %",
        )
    year, month, day, q = m.groups()
    return cls(
        int(year),
        int(month) if month else None,
        int(day) if day else None,
        _QUALIFIER_OF[q],
    )


@functools.lru_cache(maxsize=1 << 12)  # about 1.3 MB when full
def _parse_calendar(text: str) -> Calendar:
    # Documents name the same days again and again, in many zones and ranges: the same
    # immutable Calendar serves them all.
    return _read_calendar(Calendar, text)


_QUALIFIER_OF: Final = {q.value: q for q in Qualifier}


#: Days in each month (index 1-12), in a common year and in a leap year.
_DAYS_IN: Final = (
    (0, 0),
    *((d, 29 if d == 28 else d) for d in (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)),
)


def _leap(year: int) -> int:
    return 1 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 0


_CALENDAR_RE: Final = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?([~?%]?)")


def _shift(d: _dt.date, precision: Precision, n: int, *, clamp: _dt.date | None = None) -> _dt.date:
    """Move a first-of-period date by ``n`` periods, clamping at the ends of the calendar."""
    try:
        if precision is Precision.DAY:
            return d + _dt.timedelta(days=n)
        if precision is Precision.MONTH:
            months = d.year * 12 + d.month - 1 + n
            return _dt.date(months // 12, months % 12 + 1, 1)
        return _dt.date(d.year + n, 1, 1)
    except (ValueError, OverflowError):
        if clamp is None:
            raise
        return clamp
