from __future__ import annotations

import contextlib
import copy
import datetime as dt
import itertools
import pickle
import zoneinfo
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from _hostile import ANYTHING
from tradetruce import Calendar, InvalidTimeError, Precision, Qualifier, TradeTruceError, When
from tradetruce import strategies as tts
from tradetruce.values.when import _read as when_text_reader
from tradetruce.values.when import parse_instant


@given(tts.times())
def test_text_form_round_trips(w: When) -> None:
    assert When.parse(str(w)) == w, str(w)


@given(tts.times())
def test_earliest_is_never_after_latest(w: When) -> None:
    assert w.lower <= w.upper, (str(w), w.earliest, w.latest)


@given(tts.times(), tts.times())
def test_order_agrees_with_bounds(a: When, b: When) -> None:
    if a.definitely_before(b):
        assert a < b
        assert a.possibly_before(b)
        assert not b.possibly_before(a)
    if a.upper < b.lower:
        assert a.definitely_before(b)
    assert (a < b) == (a.sort_key < b.sort_key)


@given(st.lists(tts.times(), min_size=2, max_size=8))
def test_sorting_orders_by_earliest_then_latest(values: list[When]) -> None:
    ordered = sorted(values)
    for x, y in itertools.pairwise(ordered):
        assert (x.lower, x.upper) <= (y.lower, y.upper)


@given(tts.times(exact=True))
def test_exact_values_keep_their_zone_name_and_offset(w: When) -> None:
    text = str(w)
    assert text.endswith(f"[{w.zone}]")
    assert w.instant is not None
    assert When.parse(text).instant.utcoffset() == w.instant.utcoffset()  # type: ignore[union-attr]


def test_instant_keeps_iana_zone_not_fixed_offset() -> None:
    w = When.parse("2025-11-01T00:01:00-04:00[America/New_York]")
    assert w.zone == "America/New_York"
    assert w.instant is not None
    assert w.instant.tzinfo.name == "America/New_York"  # type: ignore[union-attr]
    assert str(w) == "2025-11-01T00:01:00-04:00[America/New_York]"


def test_offset_picks_the_right_side_of_a_repeated_hour() -> None:
    first = When.parse("2025-11-02T01:30:00-04:00[America/New_York]")
    second = When.parse("2025-11-02T01:30:00-05:00[America/New_York]")
    assert first.instant is not None and second.instant is not None
    assert (second.instant - first.instant).total_seconds() == 3600
    assert first.definitely_before(second)


def test_repeated_wall_time_without_offset_is_refused_with_both_choices() -> None:
    with pytest.raises(InvalidTimeError) as info:
        When.parse("2025-11-02T01:30[America/New_York]")
    assert "-04:00" in str(info.value)
    assert "-05:00" in str(info.value)


def test_wall_time_in_a_dst_gap_is_refused() -> None:
    with pytest.raises(InvalidTimeError, match="gap"):
        When.parse("2025-03-09T02:30[America/New_York]")


def test_offset_that_contradicts_the_zone_is_refused() -> None:
    with pytest.raises(InvalidTimeError, match="does not match"):
        When.parse("2025-11-01T00:01:00-03:00[America/New_York]")


def test_unambiguous_wall_time_may_omit_the_offset() -> None:
    assert str(When.parse("2025-11-10T00:01[America/New_York]")) == (
        "2025-11-10T00:01:00-05:00[America/New_York]"
    )


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(InvalidTimeError, match="naive"):
        When.exact(dt.datetime(2025, 11, 1))


def test_fixed_offsets_are_refused() -> None:
    with pytest.raises(InvalidTimeError, match="fixed offset"):
        When.exact(dt.datetime(2025, 11, 1, tzinfo=dt.timezone(dt.timedelta(hours=8))))


def test_stdlib_zoneinfo_and_utc_are_accepted() -> None:
    a = When.exact(dt.datetime(2025, 11, 1, 12, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai")))
    assert a.zone == "Asia/Shanghai"
    assert When.exact(dt.datetime(2025, 11, 1, tzinfo=dt.UTC)).zone == "UTC"


def test_text_without_zone_is_refused() -> None:
    with pytest.raises(InvalidTimeError, match="Zone"):
        When.parse("2025-11-01")


@pytest.mark.parametrize(
    "bad",
    [
        "2025-11-01[Mars/Olympus]",
        "2025-11-01[+08:00]",
        "2025-13[UTC]",
        "2025-02-30[UTC]",
        "25-11-01[UTC]",
        "2025-11-03/2025-11-01[UTC]",
        "2025-11-01T25:00[UTC]",
        "0999-12-31T23:00:00+00:00[UTC]",
        "9999-06-01T00:00:00+00:00[UTC]",
        "",
    ],
)
def test_bad_text_raises_only_invalid_time_error(bad: str) -> None:
    with pytest.raises(InvalidTimeError):
        When.parse(bad)


@given(st.text(max_size=40))
def test_any_text_parses_or_raises_a_tradetruce_error(text: str) -> None:
    with contextlib.suppress(TradeTruceError):
        When.parse(text)


def test_non_text_is_refused_with_a_tradetruce_error() -> None:
    with pytest.raises(InvalidTimeError):
        When.parse(20251101)  # type: ignore[arg-type]


def test_calendar_day_spans_the_local_day_across_dst() -> None:
    fall_back = When.parse("2025-11-02[America/New_York]")
    assert (fall_back.latest - fall_back.earliest).total_seconds() == 25 * 3600 - 1e-6
    spring = When.parse("2025-03-09[America/New_York]")
    assert (spring.latest - spring.earliest).total_seconds() == 23 * 3600 - 1e-6


def test_day_whose_midnight_is_skipped_starts_at_the_transition() -> None:
    w = When.parse("2024-09-08[America/Santiago]")
    assert str(w.earliest) == "2024-09-08 01:00:00-03:00"


@given(tts.times())
def test_utc_bounds_are_the_zoned_bounds(w: When) -> None:
    assert w.lower == w.earliest.astimezone(dt.UTC), (str(w), w.lower, w.earliest)
    assert w.upper == w.latest.astimezone(dt.UTC), (str(w), w.upper, w.latest)
    assert w.lower.tzinfo is dt.UTC and w.upper.tzinfo is dt.UTC


# Zones whose clocks have jumped at midnight, so that some local day starts later than 00:00.
_MIDNIGHT_DST_DAYS = [
    ("America/Santiago", dt.date(2024, 9, 8)),
    ("America/Santiago", dt.date(2025, 4, 5)),
    ("America/Havana", dt.date(2025, 3, 9)),
    ("America/Havana", dt.date(2025, 11, 2)),
    ("America/Sao_Paulo", dt.date(2018, 11, 4)),
    ("America/Sao_Paulo", dt.date(2019, 2, 16)),
    ("Asia/Beirut", dt.date(2025, 3, 30)),
    ("Asia/Tehran", dt.date(2022, 3, 22)),
    ("America/New_York", dt.date(2025, 11, 2)),
    ("America/New_York", dt.date(2025, 3, 9)),
]


@pytest.mark.parametrize(("name", "day"), _MIDNIGHT_DST_DAYS)
def test_utc_bounds_match_the_zoned_bounds_around_dst_changes(name: str, day: dt.date) -> None:
    for delta in (-1, 0, 1):
        d = day + dt.timedelta(days=delta)
        for text in (f"{d.isoformat()}[{name}]", f"{d.isoformat()[:7]}~[{name}]"):
            w = When.parse(text)
            assert w.lower == w.earliest.astimezone(dt.UTC), text
            assert w.upper == w.latest.astimezone(dt.UTC), text


@given(tts.times(exact=True))
def test_parsed_instant_keeps_the_fold_and_offset(w: When) -> None:
    back = When.parse(str(w))
    assert back.instant is not None and w.instant is not None
    assert back.instant.utcoffset() == w.instant.utcoffset(), str(w)
    assert back.lower == w.lower, str(w)
    # fold 1 only where it matters: the second pass through a repeated wall time
    repeated = back.instant.replace(fold=0).utcoffset() != back.instant.utcoffset()
    assert back.instant.fold == int(repeated), str(w)


@pytest.mark.parametrize(("offset", "fold"), [("-04:00", 0), ("-05:00", 1)])
def test_repeated_hour_gets_the_fold_of_its_offset(offset: str, fold: int) -> None:
    w = When.parse(f"2025-11-02T01:30:00{offset}[America/New_York]")
    assert w.instant is not None
    assert w.instant.fold == fold
    assert str(w) == f"2025-11-02T01:30:00{offset}[America/New_York]"


def _text_of(w: When) -> str:
    if w.instant is not None:
        return f"{w.instant.isoformat()}[{w.zone}]"
    if w.is_range:
        a = ".." if w.start is None else str(w.start)
        b = ".." if w.end is None else str(w.end)
        return f"{a}/{b}[{w.zone}]"
    return f"{w.start}[{w.zone}]"


@given(tts.times())
def test_kept_text_is_the_text_of_the_parts(w: When) -> None:
    assert str(w) == _text_of(w)
    back = When.parse(str(w))
    assert str(back) == _text_of(back) == str(w)


@given(tts.times())
def test_read_values_are_the_values_the_constructor_builds_from_their_parts(w: When) -> None:
    read = When.parse(str(w))
    built = When(read.zone, read.instant, read.start, read.end, read.is_range)
    assert read == built
    assert (read.lo_us, read.hi_us) == (built.lo_us, built.hi_us) == (w.lo_us, w.hi_us)
    assert (read.zone, read.instant, read.start, read.end, read.is_range) == (
        built.zone,
        built.instant,
        built.start,
        built.end,
        built.is_range,
    )


def test_calendar_text_in_other_digits_is_refused_as_instants_and_decimals_are() -> None:
    with pytest.raises(InvalidTimeError, match="not a calendar value"):
        When.parse("\uff12\uff10\uff12\uff15-11[UTC]")  # fullwidth 2025


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("2025-11-01T00:01-04:00", "2025-11-01T00:01:00-04:00"),
        ("2025-11-01T04:01:00Z", "2025-11-01T04:01:00+00:00"),
        ("2025-11-01T04:01:00-00:00", "2025-11-01T04:01:00+00:00"),
        ("2025-11-01T04:01:00.000000+00:00", "2025-11-01T04:01:00+00:00"),
        ("2025-11-01T04:01:00.5+00:00", "2025-11-01T04:01:00.500000+00:00"),
        ("2025-11-01T04:01:00.000500+00:00", "2025-11-01T04:01:00.000500+00:00"),
        ("2025-11-01T04:01:00+00:00", "2025-11-01T04:01:00+00:00"),
    ],
)
def test_instants_are_written_in_one_form_whatever_form_they_were_read_in(
    text: str, written: str
) -> None:
    zone = "America/New_York" if text.endswith("-04:00") else "UTC"
    w = When.parse(f"{text}[{zone}]")
    assert str(w) == f"{written}[{zone}]" == _text_of(w)


@pytest.mark.parametrize("offset", ["-04:00", "-05:00"])
def test_kept_text_keeps_the_offset_of_each_side_of_a_repeated_hour(offset: str) -> None:
    instant = When.parse(f"2025-11-02T01:30:00{offset}[America/New_York]").instant
    assert instant is not None
    fresh = When.exact(instant)
    assert str(fresh) == f"2025-11-02T01:30:00{offset}[America/New_York]" == _text_of(fresh)


def test_approximate_values_widen_by_one_unit_each_side() -> None:
    w = When.parse("2026-11~[Asia/Shanghai]")
    assert w.is_approximate
    assert w.precision is Precision.MONTH
    assert w.earliest == pendulum.datetime(2026, 10, 1, tz="Asia/Shanghai")
    assert w.latest == pendulum.datetime(2026, 12, 31, 23, 59, 59, 999999, tz="Asia/Shanghai")


def test_ranges_and_open_ends() -> None:
    week = When.parse("2025-10-27/2025-11-02[Asia/Seoul]")
    assert week.is_range and week.is_approximate and not week.is_exact
    assert week.earliest == pendulum.datetime(2025, 10, 27, tz="Asia/Seoul")
    before = When.parse("../2025-10-26[Asia/Kuala_Lumpur]")
    assert before.start is None
    assert before.possibly_before(week)
    assert not before.definitely_before(When.parse("2025-10-26[Asia/Kuala_Lumpur]"))
    assert str(before) == "../2025-10-26[Asia/Kuala_Lumpur]"


def test_same_day_in_different_zones_is_possibly_but_not_definitely_before() -> None:
    beijing = When.parse("2025-11-10[Asia/Shanghai]")
    new_york = When.parse("2025-11-10[America/New_York]")
    assert beijing.possibly_before(new_york)
    assert new_york.possibly_before(beijing)
    assert not beijing.definitely_before(new_york)
    assert beijing < new_york


def test_twelve_oh_one_eastern_is_thirteen_oh_one_in_beijing() -> None:
    eastern = When.parse("2025-11-10T00:01[America/New_York]")
    assert eastern.in_zone("Asia/Shanghai") == "2025-11-10 13:01 Asia/Shanghai"


def test_calendar_rejects_impossible_values() -> None:
    with pytest.raises(InvalidTimeError):
        Calendar(2025, 2, 29)
    with pytest.raises(InvalidTimeError):
        Calendar(2025, None, 3)
    with pytest.raises(InvalidTimeError, match="day is out of range"):
        Calendar(2025, 1, 0)  # day 0 is not "no day"
    with pytest.raises(InvalidTimeError):
        When.parse("2025-01-00[UTC]")
    assert str(Calendar(2026, 11, qualifier=Qualifier.APPROXIMATE)) == "2026-11~"


def test_errors_are_value_errors_too() -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - the builtin is the point of this test
        When.parse("nonsense")


def _first_instant(day: dt.date, name: str) -> dt.datetime:
    # pendulum moves a wall time in a gap forward: the day's real first instant.
    return _plain_utc(pendulum.datetime(day.year, day.month, day.day, tz=name))


def _plain_utc(t: dt.datetime) -> dt.datetime:
    u = t.astimezone(dt.UTC)
    return dt.datetime(*u.timetuple()[:6], u.microsecond, tzinfo=dt.UTC)


@given(tts.times())
def test_utc_bounds_follow_the_calendar_in_the_zone(w: When) -> None:
    if w.instant is not None:
        want = (_plain_utc(w.instant),) * 2
    else:
        first = None if w.start is None else w.start.first_day()
        last = w.end if w.is_range else w.start
        last_day = None if last is None else last.last_day()
        want = (
            dt.datetime(1, 1, 2, tzinfo=dt.UTC) if first is None else _first_instant(first, w.zone),
            dt.datetime.max.replace(tzinfo=dt.UTC)
            if last_day is None or last_day == dt.date.max
            else _first_instant(last_day + dt.timedelta(days=1), w.zone)
            - dt.timedelta(microseconds=1),
        )
    assert (w.lower, w.upper) == want, str(w)
    assert (w.lo_us, w.hi_us) == tuple(
        (b - dt.datetime(1, 1, 1, tzinfo=dt.UTC)) // dt.timedelta(microseconds=1) for b in want
    )


@pytest.mark.parametrize(
    "parts",
    [
        {"start": "2025"},
        {"start": Calendar(2025), "end": "2026", "is_range": True},
        {"start": None, "end": (2026, 1), "is_range": True},
    ],
)
def test_calendar_parts_of_the_wrong_type_are_refused(parts: dict[str, object]) -> None:
    with pytest.raises(InvalidTimeError, match="must be a Calendar"):
        When("UTC", **parts)  # type: ignore[arg-type]


@given(tts.calendars())
def test_last_day_of_an_exact_value_is_the_end_of_its_period(c: Calendar) -> None:
    exact = attrs.evolve(c, qualifier=Qualifier.EXACT)
    assert exact.last_day() == exact._last_day_shifted(), str(exact)
    assert c.last_day() == c._last_day_shifted(), str(c)


@pytest.mark.parametrize(
    "text", ["2011-12-30[Pacific/Apia]", "2011-12-30/2011-12-30[Pacific/Apia]"]
)
def test_a_day_the_zone_skipped_is_refused(text: str) -> None:
    # Samoa moved across the date line: 29 December 2011 was followed by 31 December.
    with pytest.raises(InvalidTimeError, match="skipped those days"):
        When.parse(text)
    around = When.parse("2011-12-29/2011-12-31[Pacific/Apia]")
    assert around.hi_us - around.lo_us + 1 == 2 * 24 * 3600 * 1_000_000


def test_a_range_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(InvalidTimeError, match="ends before it starts"):
        When.parse("2025-11-02/2025-11-01[UTC]")


def test_a_restored_value_works_out_its_bounds_again() -> None:
    w = When.parse("2025-10-27/2025-11-02[Asia/Seoul]")
    for back in (pickle.loads(pickle.dumps(w)), copy.deepcopy(w)):
        assert (back.lo_us, back.hi_us, back.lower) == (w.lo_us, w.hi_us, w.lower)


# ------------------------------------------------------- every zone, every supported year

ZONES = sorted(zoneinfo.available_timezones() | {"UTC"})
#: Instants whose wall time is in the supported years in every zone (offsets stay within a day).
_FIRST_UTC = dt.datetime(1000, 1, 2, tzinfo=dt.UTC)
_LAST_UTC = dt.datetime(9998, 12, 30, 23, 59, 59, 999999, tzinfo=dt.UTC)


@st.composite
def instants_anywhere(draw: st.DrawFn) -> When:
    """An exact value at any microsecond of the supported years, in any IANA zone."""
    name = draw(st.sampled_from(ZONES))
    moment = draw(
        st.datetimes(
            min_value=_FIRST_UTC.replace(tzinfo=None), max_value=_LAST_UTC.replace(tzinfo=None)
        )
    )
    return When.exact(moment.replace(tzinfo=dt.UTC).astimezone(zoneinfo.ZoneInfo(name)))


def _same_value(back: When, w: When) -> None:
    assert back == w, (str(back), str(w))
    assert back.instant is not None and w.instant is not None
    assert (back.lo_us, back.instant.fold, back.instant.utcoffset()) == (
        w.lo_us,
        w.instant.fold,
        w.instant.utcoffset(),
    ), str(w)
    assert str(back) == str(w)


@given(instants_anywhere())
def test_an_instant_anywhere_and_at_any_time_round_trips_through_its_text(w: When) -> None:
    _same_value(When.parse(str(w)), w)


@given(st.sampled_from(ZONES), st.integers(1000, 9998), st.integers(1, 12), st.integers(1, 28))
def test_a_calendar_day_anywhere_and_in_any_year_round_trips_through_its_text(
    name: str, year: int, month: int, day: int
) -> None:
    try:
        w = When.day(year, month, day, name)
    except InvalidTimeError as error:  # only a day the zone skipped (Samoa, 2011-12-30)
        problem = str(error)
    else:
        back = When.parse(str(w))
        assert (back, back.lo_us, back.hi_us, str(back)) == (w, w.lo_us, w.hi_us, str(w))
        return
    assert "skipped" in problem, problem


def _clock_changes(name: str, year: int) -> list[dt.datetime]:
    """The UTC instants in ``year`` at which the zone's offset changed (to the second)."""
    tz = zoneinfo.ZoneInfo(name)
    start = dt.datetime(year, 1, 1, tzinfo=dt.UTC)
    days = [start + dt.timedelta(days=n) for n in range(0, 366, 3)]
    changes = []
    for a, b in itertools.pairwise(days):
        if a.astimezone(tz).utcoffset() == b.astimezone(tz).utcoffset():
            continue
        lo, hi = a, b  # the offset changes after lo, at or before hi
        while hi - lo > dt.timedelta(seconds=1):
            mid = lo + (hi - lo) / 2
            mid = mid.replace(microsecond=0)
            if mid.astimezone(tz).utcoffset() == lo.astimezone(tz).utcoffset():
                lo = mid
            else:
                hi = mid
        changes.append(hi)
    return changes


@given(
    st.sampled_from(ZONES),
    st.one_of(st.integers(1840, 2040), st.integers(1000, 9997)),
    st.data(),
)
def test_instants_around_a_clock_change_round_trip_through_their_text(
    name: str, year: int, data: st.DataObject
) -> None:
    changes = _clock_changes(name, year) or [dt.datetime(year, 7, 1, tzinfo=dt.UTC)]
    change = data.draw(st.sampled_from(changes))
    delta = data.draw(st.sampled_from([-3600, -1800, -1, 0, 1, 1800, 3600]))
    moment = change + dt.timedelta(seconds=delta)
    w = When.exact(moment.astimezone(zoneinfo.ZoneInfo(name)))
    _same_value(When.parse(str(w)), w)


@pytest.mark.parametrize(
    ("name", "moment", "text"),
    [
        (
            "Africa/Monrovia",
            dt.datetime(1970, 1, 1),
            "1970-01-01T00:00:00-00:44:30[Africa/Monrovia]",
        ),
        (
            "America/New_York",
            dt.datetime(1880, 6, 1, 12),
            "1880-06-01T12:00:00-04:56:02[America/New_York]",
        ),
        (
            "Europe/Amsterdam",
            dt.datetime(1930, 1, 1),
            "1930-01-01T00:00:00+00:19:32[Europe/Amsterdam]",
        ),
    ],
)
def test_an_offset_with_seconds_is_written_and_read_back(
    name: str, moment: dt.datetime, text: str
) -> None:
    w = When.exact(moment.replace(tzinfo=zoneinfo.ZoneInfo(name)))
    assert str(w) == text
    _same_value(When.parse(text), w)
    assert When.parse(text.replace(":00-", ":00.000000-").replace(":00+", ":00.000000+")) == w


def test_an_offset_with_seconds_that_the_zone_never_had_is_refused() -> None:
    with pytest.raises(InvalidTimeError, match="does not match"):
        When.parse("1970-01-01T00:00:00-00:44:31[Africa/Monrovia]")


def test_a_wall_time_with_offset_seconds_left_out_is_read_in_the_zone() -> None:
    w = When.parse("1970-01-01T00:00[Africa/Monrovia]")
    assert str(w) == "1970-01-01T00:00:00-00:44:30[Africa/Monrovia]"


@pytest.mark.parametrize(
    ("text", "fold"),
    [
        ("1880-11-07T01:30:00-04:56:02[America/New_York]", 0),
        ("1883-11-18T12:02:00-04:56:02[America/New_York]", 0),
        ("1883-11-18T12:02:00-05:00[America/New_York]", 1),
        ("9998-11-01T01:30:00-04:00[America/New_York]", 0),  # daylight time's last hour
        ("9998-11-01T01:30:00-05:00[America/New_York]", 1),  # and the same hour again
    ],
)
def test_repeated_wall_times_in_new_york_keep_their_side_from_1883_to_9998(
    text: str, fold: int
) -> None:
    # On 18 November 1883 New York's clocks went back 3 min 58 s at 12:03:58 local mean time, to
    # 12:00 Eastern Standard Time: the wall times from 12:00:00 to 12:03:57 happened twice. The
    # zone's rules of today repeat 01:00 to 01:59 on the first Sunday of November, to 9998.
    w = When.parse(text)
    assert w.instant is not None and w.instant.fold == fold
    assert str(w) == text
    _same_value(When.exact(w.instant), w)


def test_the_two_sides_of_a_repeated_wall_time_with_offset_seconds_are_apart_by_the_jump() -> None:
    first = When.parse("1883-11-18T12:02:00-04:56:02[America/New_York]")
    second = When.parse("1883-11-18T12:02:00-05:00[America/New_York]")
    assert second.lo_us - first.lo_us == (3 * 60 + 58) * 1_000_000
    assert first.definitely_before(second)


def _filled_slots(w: When) -> dict[str, object]:
    filled = {}
    for name in vars(When)["__slots__"]:
        if name == "__weakref__":
            continue
        try:
            filled[name] = When.__dict__[name].__get__(w, When)
        except AttributeError:
            continue
    return filled


@given(tts.times())
def test_a_value_read_from_text_holds_exactly_what_its_constructor_sets(w: When) -> None:
    # One way to build a When: the reader calls the constructor, and sets nothing else.
    read = when_text_reader(str(w))
    built = When(read.zone, read.instant, read.start, read.end, read.is_range)
    assert _filled_slots(read) == _filled_slots(built), str(w)


# ------------------------------------------------------- hostile parts and text: one error type


@pytest.mark.parametrize(
    ("parts", "field"),
    [((True,), "year"), ((2025, True), "month"), ((2025, 1, True), "day"), ((2025.0,), "year")],
)
def test_calendar_parts_are_whole_numbers_not_booleans_or_floats(
    parts: tuple[Any, ...], field: str
) -> None:
    with pytest.raises(InvalidTimeError, match=field):
        Calendar(*parts)


@given(
    year=ANYTHING,
    month=st.one_of(st.none(), st.integers(), ANYTHING),
    day=st.one_of(st.none(), st.integers(), ANYTHING),
    qualifier=st.one_of(st.sampled_from(Qualifier), ANYTHING),
)
def test_calendar_raises_only_invalid_time_error_whatever_its_parts(
    year: Any, month: Any, day: Any, qualifier: Any
) -> None:
    with contextlib.suppress(InvalidTimeError):
        Calendar(year, month, day, qualifier)


@given(
    zone=st.one_of(st.sampled_from(["UTC", "Asia/Shanghai"]), ANYTHING),
    instant=st.one_of(st.none(), ANYTHING),
    start=st.one_of(st.none(), st.just(Calendar(2025)), ANYTHING),
    end=st.one_of(st.none(), st.just(Calendar(2026)), ANYTHING),
    is_range=st.one_of(st.booleans(), ANYTHING),
)
def test_when_raises_only_invalid_time_error_whatever_its_parts(
    zone: Any, instant: Any, start: Any, end: Any, is_range: Any
) -> None:
    with contextlib.suppress(InvalidTimeError):
        When(zone, instant, start, end, is_range)


def test_a_range_flag_that_is_not_a_bool_is_refused() -> None:
    with pytest.raises(InvalidTimeError, match="is_range"):
        When("UTC", start=Calendar(2025), is_range=[1])  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [["UTC"], {"UTC": 1}, b"UTC", 1])
def test_a_zone_of_the_wrong_type_is_refused(bad: Any) -> None:
    with pytest.raises(InvalidTimeError, match="zone"):
        When(bad, start=Calendar(2025))


def test_a_when_outside_the_years_is_refused_not_overflowed() -> None:
    for text in (
        "9999-12-31T23:59:59-12:00[Pacific/Kiritimati]",
        "0001-01-01T00:00:00+14:00[Pacific/Kiritimati]",
        "9999-12-31T23:59:59[Etc/GMT+12]",
        "0001-01-01T00:00:00[Etc/GMT-14]",
    ):
        with pytest.raises(InvalidTimeError, match="supported years"):
            When.parse(text)


@pytest.mark.parametrize(
    "text", ["0001-01-01T00:00:00+23:59", "9999-12-31T23:59:59-23:59", "0999-12-31T23:00:00Z"]
)
def test_an_instant_outside_the_years_is_refused_not_overflowed(text: str) -> None:
    with pytest.raises(InvalidTimeError, match="supported years"):
        parse_instant(text)


def test_an_instant_at_the_edges_of_the_years_is_read() -> None:
    first = parse_instant("1000-01-01T00:00:00+14:00")
    last = parse_instant("9998-12-31T23:59:59.999999-12:00")
    assert (first.year, last.year) == (1000, 9998)


_EDGE_ZONES = ["UTC", "America/New_York", "Pacific/Kiritimati", "Etc/GMT+12", "Africa/Monrovia"]
TIME_SHAPED = st.builds(
    "{}[{}]".format,
    st.one_of(
        st.from_regex(
            r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,7})?)?"
            r"(Z|[+-][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,7})?)?)?\Z"
        ),
        st.from_regex(r"\A([0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?[~?%]?|\.\.)(/([0-9]{4}|\.\.))?\Z"),
        st.text("0123456789-T:+.Z~?%/", max_size=32),
    ),
    st.sampled_from(_EDGE_ZONES),
)


@given(TIME_SHAPED)
def test_time_shaped_text_is_read_or_refused_with_invalid_time_error(text: str) -> None:
    try:
        w = When.parse(text)
    except InvalidTimeError:
        return
    assert When.parse(str(w)) == w, (text, str(w))


def test_a_misspelt_zone_is_refused_with_the_zone_it_may_mean() -> None:
    with pytest.raises(InvalidTimeError, match=r"did you mean 'Europe/Oslo'\?"):
        When.parse("2025-01-01[Europe/Olso]")
    with pytest.raises(InvalidTimeError) as far:
        When.parse("2025-01-01[Nowhere/Atall]")
    assert "did you mean" not in str(far.value)
