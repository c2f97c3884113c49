"""Times of day known only roughly ("about 10:00 Beijing time"): text, bounds, claims, wire."""

from __future__ import annotations

import datetime as _dt
import json

import pendulum
import pytest
from hypothesis import given

import tradetruce as tt
from tradetruce import Qualifier, When
from tradetruce.strategies import rough_times
from tradetruce.values.when import TIME_OF_DAY_MARGIN, parse_instant

W = When.parse


def test_about_ten_in_beijing_spans_an_hour_either_side() -> None:
    about = W("2025-10-30T10:00~[Asia/Shanghai]")
    assert str(about) == "2025-10-30T10:00:00+08:00~[Asia/Shanghai]"
    assert about.qualifier is Qualifier.APPROXIMATE
    assert (about.earliest.hour, about.latest.hour) == (9, 11)
    assert about.latest - about.earliest == 2 * TIME_OF_DAY_MARGIN
    assert about.is_approximate and not about.is_exact
    assert W(str(about)) == about


def test_every_qualifier_widens_a_time_of_day_and_an_offset_may_be_given() -> None:
    for mark, qualifier in (("~", Qualifier.APPROXIMATE), ("?", Qualifier.UNCERTAIN)):
        w = W(f"2025-10-30T10:00:00+08:00{mark}[Asia/Shanghai]")
        assert w.qualifier is qualifier
        assert w.upper - w.lower == _dt.timedelta(hours=2)
    both = W("2025-10-30T10:00%[Asia/Shanghai]")
    assert both.qualifier is Qualifier.APPROXIMATE_UNCERTAIN


@pytest.mark.parametrize(
    "text",
    [
        "2025-10-30T10:00~~[Asia/Shanghai]",
        "2025-10-30~T10:00[Asia/Shanghai]",
        "2025-10-30T10:00+09:00~[Asia/Shanghai]",  # the wrong offset, qualified or not
    ],
)
def test_malformed_rough_times_are_refused(text: str) -> None:
    with pytest.raises(tt.InvalidTimeError):
        W(text)


def test_a_calendar_value_takes_its_qualifier_in_its_calendar_not_beside_it() -> None:
    with pytest.raises(tt.InvalidTimeError):
        When("UTC", start=tt.Calendar(2025, 10, 30), qualifier=Qualifier.APPROXIMATE)


def test_a_rough_time_is_not_an_instant_where_an_instant_is_required() -> None:
    with pytest.raises(tt.InvalidTimeError):
        parse_instant("2025-10-30T10:00~[Asia/Shanghai]")


def test_an_exact_report_and_an_about_report_of_the_same_moment_are_one_claim() -> None:
    proposed = tt.MeasureEntry(
        from_=None, to=tt.MeasureStatus.PROPOSED, at=W("2025-10-01[UTC]"), source="s"
    )

    def entry(at: str) -> tt.MeasureEntry:
        return tt.MeasureEntry(
            from_=tt.MeasureStatus.PROPOSED,
            to=tt.MeasureStatus.IN_FORCE,
            at=W(at),
            source="s",
        )

    rough, exact = (
        entry("2025-10-30T10:00~[Asia/Shanghai]"),
        entry("2025-10-30T10:20:00+08:00[Asia/Shanghai]"),
    )
    assert rough.same_claim_slot(exact)
    m = tt.Measure(
        id="m", kind=tt.MeasureKind.TARIFF, imposed_by="us", history=(proposed, rough, exact)
    )
    reading = m.reading_at("2025-10-30T10:30:00+08:00[Asia/Shanghai]")
    assert reading.status is tt.MeasureStatus.IN_FORCE, "happens at the precise claim's time"
    # Known only roughly, the move is uncertain for the whole hour either side.
    alone = tt.Measure(
        id="m", kind=tt.MeasureKind.TARIFF, imposed_by="us", history=(proposed, rough)
    )
    assert alone.status_at("2025-10-30T09:30:00+08:00[Asia/Shanghai]") is None
    assert alone.status_at("2025-10-30T11:00:01+08:00[Asia/Shanghai]") is tt.MeasureStatus.IN_FORCE
    assert alone.status_at("2025-10-30T08:59:59+08:00[Asia/Shanghai]") is tt.MeasureStatus.PROPOSED


def test_a_duration_after_a_rough_time_stays_rough() -> None:
    later = tt.Duration(days=90).after(W("2025-10-30T10:00~[Asia/Shanghai]"))
    assert later == W("2026-01-28T10:00~[Asia/Shanghai]")


def test_rough_times_go_through_the_wire_format_and_its_schema() -> None:
    import jsonschema

    entry = tt.MeasureEntry(
        from_=None,
        to=tt.MeasureStatus.PROPOSED,
        at=W("2025-10-30T10:00~[Asia/Shanghai]"),
        source="s",
    )
    text = tt.to_json(entry)
    assert '"at": "2025-10-30T10:00:00+08:00~[Asia/Shanghai]"' in text
    assert tt.from_json(text, tt.MeasureEntry) == entry
    jsonschema.validate(json.loads(text), tt.json_schema(tt.MeasureEntry))


@given(rough_times())
def test_a_rough_time_contains_its_instant_and_spans_the_margin_either_side(w: When) -> None:
    assert w.instant is not None
    exact = When.exact(w.instant)
    assert w.lower == exact.lower - TIME_OF_DAY_MARGIN
    assert w.upper == exact.upper + TIME_OF_DAY_MARGIN
    assert W(str(w)) == w
    assert w.earliest <= pendulum.instance(w.instant) <= w.latest


def test_a_rough_due_time_is_a_tentative_two_hour_event_in_the_calendar() -> None:
    import icalendar

    from tradetruce.ical import deadlines_ics

    d = tt.Deadline.create(
        id="meeting",
        title="Leaders meet",
        kind=tt.DeadlineKind.MEETING,
        due="2025-10-30T10:00~[Asia/Shanghai]",
        at="2025-10-20[UTC]",
        source="s",
    )
    source = tt.Source(id="s", title="Report", published=W("2025-10-20[UTC]"))
    s = tt.Scenario(sources=(source,), deadlines=(d,))
    [event] = icalendar.Calendar.from_ical(deadlines_ics(s)).walk("VEVENT")
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert (start.hour, end.hour) == (9, 11), (start, end)
    assert str(event["STATUS"]) == "TENTATIVE"
