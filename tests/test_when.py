from __future__ import annotations

import contextlib
import copy
import datetime as dt
import itertools
import pickle
import zoneinfo

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tradetruce import Calendar, InvalidTimeError, Precision, Qualifier, TradeTruceError, When
from tradetruce import strategies as tts


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
        "../..[UTC]",
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
def test_read_values_are_the_values_the_checked_constructor_builds(w: When) -> None:
    # Reading builds values without running the constructor's checks again (it has made them).
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


def test_calendar_text_in_other_digits_is_written_in_ascii_digits() -> None:
    w = When.parse("\uff12\uff10\uff12\uff15-11[UTC]")  # fullwidth 2025
    assert str(w) == "2025-11[UTC]" == _text_of(w)


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
