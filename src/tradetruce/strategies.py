"""Hypothesis strategies that generate valid tradetruce objects.

Needs the ``tradetruce[hypothesis]`` extra. Every strategy returns only objects that pass the
library's own validation.
"""

from __future__ import annotations

import datetime as _dt

import pendulum
from hypothesis import strategies as st

from tradetruce.codes import HSCode
from tradetruce.terms import Rate
from tradetruce.when import Calendar, Qualifier, When

__all__ = ["hs_codes", "rates", "times", "zones"]

#: Zones that exercise the hard cases: DST in both hemispheres, half- and quarter-hour offsets,
#: a zone that skips midnight, UTC, and the zones of the default scenario.
ZONES = (
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


def zones() -> st.SearchStrategy[str]:
    """IANA zone names, shrinking towards UTC."""
    return st.sampled_from(ZONES)


def _instants(zone: str) -> st.SearchStrategy[When]:
    tz = pendulum.timezone(zone)
    return st.datetimes(
        min_value=_dt.datetime(1990, 1, 1),
        max_value=_dt.datetime(2040, 12, 31),
        timezones=st.just(tz),
    ).map(When.exact)


def _calendars(min_year: int = 1990, max_year: int = 2040) -> st.SearchStrategy[Calendar]:
    def build(day: _dt.date, precision: int, qualifier: Qualifier) -> Calendar:
        if precision == 0:
            return Calendar(day.year, qualifier=qualifier)
        if precision == 1:
            return Calendar(day.year, day.month, qualifier=qualifier)
        return Calendar(day.year, day.month, day.day, qualifier)

    return st.builds(
        build,
        st.dates(_dt.date(min_year, 1, 1), _dt.date(max_year, 12, 31)),
        st.integers(0, 2).map(lambda i: 2 - i),  # shrink towards days
        st.sampled_from(list(Qualifier)),
    )


def times(*, zone: str | None = None, exact: bool | None = None) -> st.SearchStrategy[When]:
    """Time values across zones, precisions, qualifiers, ranges and DST edges.

    Args:
        zone: only this IANA zone.
        exact: True for exact instants only, False for calendar values and ranges only.
    """
    zone_st = st.just(zone) if zone is not None else zones()

    def for_zone(z: str) -> st.SearchStrategy[When]:
        exact_st = _instants(z)
        calendar = _calendars().map(lambda c: When(z, start=c))

        def ranged(a: Calendar | None, b: Calendar | None) -> When:
            if a is not None and b is not None and b.last_day() < a.first_day():
                a, b = b, a
            if a is not None and b is not None and b.last_day() < a.first_day():
                b = None
            if a is None and b is None:
                return When(z, start=Calendar(2025))
            return When.between(a, b, z)

        range_st = st.builds(ranged, st.none() | _calendars(), st.none() | _calendars())
        if exact is True:
            return exact_st
        if exact is False:
            return calendar | range_st
        return exact_st | calendar | range_st

    return zone_st.flatmap(for_zone)


def hs_codes() -> st.SearchStrategy[HSCode]:
    """HS codes of every level, with and without an edition (leading zeros included)."""
    return st.builds(
        HSCode,
        st.sampled_from([2, 4, 6, 8, 10]).flatmap(
            lambda n: st.text("0123456789", min_size=n, max_size=n)
        ),
        st.none() | st.sampled_from(["HS2017", "HS2022"]),
    )


def rates() -> st.SearchStrategy[Rate]:
    """Ad valorem and specific rates, as Decimals."""
    value = st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False)
    return st.one_of(
        value.map(Rate.percent),
        st.builds(
            lambda v, c, p: Rate.specific(v, currency=c, per=p),
            value,
            st.sampled_from(["USD", "CNY", "EUR"]),
            st.sampled_from(["tonne", "net ton", "unit"]),
        ),
    )
