"""Time values: zones, calendar values, instants and ranges.

Instants come from Hypothesis' own ``datetimes`` strategy, which now and then aims at the
instants around a zone's clock changes (a repeated or skipped hour) and shrinks towards
midnight, 1 January 2000; calendar days come from ``dates``, which shrinks to the same day.
"""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Sequence
from typing import Any, Final

import pendulum
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from tradetruce.errors import InvalidTimeError
from tradetruce.strategies import _args
from tradetruce.values.calendar import MAX_YEAR, MIN_YEAR, Calendar, Precision, Qualifier
from tradetruce.values.when import When
from tradetruce.values.zones import known_zones

#: Zones that exercise the hard cases: DST in both hemispheres, half- and quarter-hour offsets,
#: a zone that skips midnight, UTC, and the zones of the default scenario. UTC comes first, so
#: failing examples shrink to it.
ZONES: Final = (
    "UTC",
    "America/New_York",
    "Asia/Shanghai",
    "Asia/Seoul",
    "Asia/Kuala_Lumpur",
    "Europe/Brussels",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
    "America/Santiago",
    "Pacific/Chatham",
)
#: Every zone a time value may carry (:func:`tradetruce.values.zones.known_zones`: the IANA
#: zones the machine knows, less ``localtime`` and ``Factory``), UTC first.
ALL_ZONES: Final = ("UTC", *sorted(known_zones() - {"UTC"}))
#: The years drawn unless asked otherwise: from the start of the Unix clock to the end of the
#: century, past 2038 (where 32-bit clocks end and zone rules are extrapolated). Values shrink
#: towards 2000.
YEARS: Final = (1970, 2099)
#: Every year a time value may name (``tradetruce.values.when.MIN_YEAR`` to ``MAX_YEAR``).
ALL_YEARS: Final = (MIN_YEAR, MAX_YEAR)


def zones() -> SearchStrategy[str]:
    """IANA zone names from :data:`ZONES`, shrinking towards UTC."""
    return _ZONES


_ZONES: Final = st.sampled_from(ZONES)


def _zone_name(value: object) -> str:
    if not isinstance(value, str):
        raise InvalidArgument(f"{value!r} is not an IANA zone name")
    When(value, start=Calendar(2000))  # raises InvalidTimeError for an unknown zone
    return value


def _zone_strategy(value: object) -> SearchStrategy[str]:
    """``times(zone=...)``: a name, a sequence of names (shrinking to the first), a strategy."""
    if value is None:
        return _ZONES
    if isinstance(value, Sequence) and not isinstance(value, str):
        if not value:
            raise InvalidArgument("zone=(): expected at least one IANA zone name")
        for name in value:
            _args.checked("zone", _zone_name, name)
        return st.sampled_from(tuple(value))
    return _args.narrow("zone", value, _zone_name, _ZONES)


def _years(value: object) -> tuple[int, int]:
    if (
        not isinstance(value, tuple | list)
        or len(value) != 2
        or not all(type(y) is int for y in value)
    ):
        raise InvalidArgument(f"years={value!r}: expected (first, last), two whole years")
    first, last = value
    if not MIN_YEAR <= first <= last <= MAX_YEAR:
        raise InvalidArgument(
            f"years={value!r}: expected {MIN_YEAR} <= first <= last <= {MAX_YEAR}"
        )
    return first, last


@functools.cache
def _dates(years: tuple[int, int]) -> SearchStrategy[_dt.date]:
    return st.dates(_dt.date(years[0], 1, 1), _dt.date(years[1], 12, 31))


def calendars(
    *, precision: Precision | None = None, years: tuple[int, int] = YEARS
) -> SearchStrategy[Calendar]:
    """Calendar years, months and days with every EDTF qualifier, shrinking to exact days.

    Args:
        precision: only this precision (``Precision.DAY``, ``MONTH`` or ``YEAR``).
        years: the first and last year to draw from (default :data:`YEARS`; every year a
            value may name is :data:`ALL_YEARS`).
    """
    return _calendars(_level(precision), _years(years))


_LEVELS: Final = (Precision.DAY, Precision.MONTH, Precision.YEAR)


def _level(precision: object) -> Precision | None:
    if precision is not None and precision not in _LEVELS:
        raise InvalidArgument(f"precision={precision!r}: expected DAY, MONTH or YEAR")
    return precision  # type: ignore[return-value]


@functools.cache
def _calendars(level: Precision | None, years: tuple[int, int]) -> SearchStrategy[Calendar]:
    levels = st.just(level) if level is not None else st.sampled_from(_LEVELS)
    return st.builds(_calendar, _dates(years), levels, st.sampled_from(list(Qualifier)))


def _calendar(day: _dt.date, precision: Precision, qualifier: Qualifier) -> Calendar:
    if precision is Precision.YEAR:
        return Calendar(day.year, qualifier=qualifier)
    if precision is Precision.MONTH:
        return Calendar(day.year, day.month, qualifier=qualifier)
    return Calendar(day.year, day.month, day.day, qualifier)


# ------------------------------------------------------------------------------------ times()
#: The forms ``times()`` draws, simplest first: one calendar value, an instant, a range.
_CALENDAR, _INSTANT, _RANGE = "calendar", "instant", "range"
#: The ends of a range, the closed one first.
_BOTH, _OPEN_START, _OPEN_END = "both", "open start", "open end"


def times(
    *,
    zone: str | Sequence[str] | SearchStrategy[str] | None = None,
    exact: bool | None = None,
    precision: Precision | str | SearchStrategy[Precision] | None = None,
    years: tuple[int, int] = YEARS,
) -> SearchStrategy[When]:
    """Time values across zones, precisions, qualifiers, ranges and clock changes.

    Exact instants come from Hypothesis' ``datetimes``, which now and then aims at the hours
    around a zone's clock change. A calendar day that a zone skipped (Pacific/Apia jumped
    over 30 December 2011) names no instant, so its month is drawn instead. Shrinks towards a
    calendar day in UTC, 1 January 2000.

    Args:
        zone: only this IANA zone; a sequence of zones to choose from (shrinking to the
            first), such as :data:`ALL_ZONES`; or a strategy of zone names. Default
            :data:`ZONES`.
        exact: True for exact instants only, False for calendar values and ranges only.
        precision: only values of this precision (``INSTANT`` means exact instants); ranges
            are left out when a calendar precision is asked for.
        years: the first and last year to draw from. Default :data:`YEARS` (1970 to 2099);
            :data:`ALL_YEARS` is every year a time value may name (1000 to 9998), where
            most zones had offsets in seconds (local mean time) before their first standard
            time.

    >>> from hypothesis import find
    >>> str(find(times(), lambda w: True))
    '2000-01-01[UTC]'
    >>> find(times(zone=ALL_ZONES, years=ALL_YEARS), lambda w: w.lower.year < 1500).zone
    'UTC'
    """
    if exact is not None:
        _args.flag("exact", exact)
    span = _years(years)
    zone_st = _zone_strategy(zone)
    precision_st: SearchStrategy[Precision | None] = _args.narrow(
        "precision", precision, _args.member(Precision), _NO_PRECISION
    )
    if precision is not None and not isinstance(precision, SearchStrategy):
        level = _args.checked("precision", _args.member(Precision), precision)
        if exact is True and level is not Precision.INSTANT:
            raise InvalidArgument(f"exact=True contradicts precision={precision!r}")
        if exact is False and level is Precision.INSTANT:
            raise InvalidArgument("exact=False contradicts precision=INSTANT")
    return _cached_times(zone_st, precision_st, exact, span)


@functools.lru_cache(maxsize=256)
def _cached_times(
    zones: SearchStrategy[str],
    precisions: SearchStrategy[Precision | None],
    exact: bool | None,
    years: tuple[int, int],
) -> SearchStrategy[When]:
    return _times(zones, precisions, exact, years)


def _forms(level: Precision | None, exact: bool | None) -> tuple[str, ...]:
    if level is Precision.INSTANT or exact is True:
        return (_INSTANT,)
    if level is not None:
        return (_CALENDAR,)
    if exact is False:
        return (_CALENDAR, _RANGE)
    return (_CALENDAR, _INSTANT, _RANGE)


_NO_PRECISION: Final[SearchStrategy[Precision | None]] = st.none()


@st.composite
def _times(
    draw: st.DrawFn,
    zones: SearchStrategy[str],
    precisions: SearchStrategy[Precision | None],
    exact: bool | None,
    years: tuple[int, int],
) -> When:
    zone = draw(zones)
    level = draw(precisions)
    form = draw(_pick(_forms(level, exact)))
    if form == _INSTANT:
        wall = draw(_wall_times(zone, years))
        return When.exact(wall)
    if form == _CALENDAR:
        return in_zone(zone, draw(_calendars(level, years)))
    ends = draw(_pick((_BOTH, _OPEN_START, _OPEN_END)))
    calendar = _calendars(None, years)
    start = None if ends == _OPEN_START else draw(calendar)
    end = None if ends == _OPEN_END else draw(calendar)
    return in_zone(zone, start, end, is_range=True)


@functools.cache
def _wall_times(zone: str, years: tuple[int, int]) -> SearchStrategy[_dt.datetime]:
    return st.datetimes(
        _dt.datetime(years[0], 1, 1),
        _dt.datetime(years[1], 12, 31, 23, 59, 59, 999999),
        timezones=st.just(tz(zone)),
    )


@functools.cache
def _pick(options: tuple[Any, ...]) -> SearchStrategy[Any]:
    return st.sampled_from(options)


@functools.cache
def tz(zone: str) -> pendulum.Timezone:
    return pendulum.timezone(zone)


def in_zone(
    zone: str, start: Calendar | None, end: Calendar | None = None, *, is_range: bool = False
) -> When:
    """The calendar value or range in ``zone``; its ends in order, and widened to their months
    where the zone skipped every day they name (such a value names no instant)."""
    if start is not None and end is not None and end.last_day() < start.first_day():
        start, end = end, start
    try:
        return When(zone, start=start, end=end, is_range=is_range)
    except InvalidTimeError:
        start, end = _month_of(start), _month_of(end)
        return When(zone, start=start, end=end, is_range=is_range)


def _month_of(c: Calendar | None) -> Calendar | None:
    if c is None or c.month is None:
        return c
    return Calendar(c.year, c.month, qualifier=c.qualifier)
