"""Durations: parsing, writing, and shifting every kind of time value by them, calendar-aware
and never narrower than the value shifted."""

from __future__ import annotations

import pendulum
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import tradetruce as tt
from tradetruce import Duration, When
from tradetruce.strategies import durations, times


@pytest.mark.parametrize(
    ("duration", "when", "expected"),
    [
        ("P1Y", "2025-11-10[America/New_York]", "2026-11-10[America/New_York]"),
        ("P3Y", "2025-10-27/2025-11-02[Asia/Seoul]", "2028-10-27/2028-11-02[Asia/Seoul]"),
        ("P1M", "2025-01-31[UTC]", "2025-02-28[UTC]"),
        ("P1Y", "2024-02-29[UTC]", "2025-02-28[UTC]"),
        ("P1M", "2026-11~[Asia/Shanghai]", "2026-12~[Asia/Shanghai]"),
        ("P90D", "2025-11[Asia/Shanghai]", "2026-01-30/2026-02-28[Asia/Shanghai]"),
        ("P1M", "2025[UTC]", "2025-02-01/2026-01-31[UTC]"),
        ("P1D", "../2025-10-26[UTC]", "../2025-10-27[UTC]"),
        ("PT2H", "2025-11-10[UTC]", "2025-11-10/2025-11-11[UTC]"),
        # A day later across the spring DST change is the same wall-clock time.
        (
            "P1D",
            "2025-03-08T12:00:00-05:00[America/New_York]",
            "2025-03-09T12:00:00-04:00[America/New_York]",
        ),
        # Elapsed hours across it are elapsed time.
        (
            "PT24H",
            "2025-03-08T12:00:00-05:00[America/New_York]",
            "2025-03-09T13:00:00-04:00[America/New_York]",
        ),
    ],
)
def test_a_duration_shifts_a_time_value_in_its_own_zone(
    duration: str, when: str, expected: str
) -> None:
    assert str(Duration.parse(duration).after(When.parse(when))) == expected


@pytest.mark.parametrize("text", ["P1Y", "P1Y6M", "P2W", "P90D", "PT2H30M", "P1Y6M2W3DT4H5M"])
def test_a_duration_is_written_as_it_is_read(text: str) -> None:
    assert str(Duration.parse(text)) == text


@pytest.mark.parametrize("text", ["", "P", "PT", "P1YT", "1Y", "P-1D", "P1.5Y", "three years"])
def test_anything_but_an_iso_duration_is_refused_naming_the_forms(text: str) -> None:
    with pytest.raises(tt.InvalidValueError) as info:
        Duration.parse(text)
    assert "P90D" in info.value.allowed


def test_a_duration_of_nothing_or_of_negative_units_is_refused() -> None:
    with pytest.raises(tt.InvalidValueError, match="nothing"):
        Duration()
    with pytest.raises(tt.InvalidValueError):
        Duration(days=-1)


def _shift(t: pendulum.DateTime, zone: str, d: Duration) -> pendulum.DateTime:
    local = pendulum.instance(t).in_timezone(zone)
    return local.add(
        years=d.years, months=d.months, weeks=d.weeks, days=d.days, hours=d.hours, minutes=d.minutes
    )


@given(times(), durations())
def test_every_instant_a_value_may_be_lands_inside_the_shifted_value(w: When, d: Duration) -> None:
    assume(w.earliest.year < 2035 and w.latest.year < 2035)
    shifted = d.after(w)
    assert shifted.zone == w.zone
    for bound, open_end in (
        (w.earliest, w.is_range and w.start is None),
        (w.latest, w.is_range and w.end is None),
    ):
        if open_end:
            continue
        moved = _shift(bound, w.zone, d)
        assert shifted.earliest <= moved <= shifted.latest, (str(w), str(d), str(shifted), moved)


@given(times(exact=True), durations())
def test_an_exact_instant_shifts_to_an_exact_instant(w: When, d: Duration) -> None:
    assume(w.earliest.year < 2035)
    assert d.after(w).is_exact


@given(st.from_type(Duration))
def test_st_from_type_draws_durations_that_round_trip_as_text(d: Duration) -> None:
    assert Duration.parse(str(d)) == d
