"""Claims about one event, whatever zone or precision each is written in; disputed deadlines."""

from __future__ import annotations

import datetime as _dt
import json

import icalendar
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tradetruce as tt
from tradetruce import (
    Deadline,
    DeadlineEntry,
    DeadlineKind,
    DeadlineStatus,
    Evidence,
    IllegalTransitionError,
    InvalidValueError,
    Measure,
    MeasureEntry,
    MeasureKind,
    MeasureStatus,
    Party,
    PartyKind,
    Scenario,
    Source,
    SourceKind,
    Suspension,
    When,
)
from tradetruce.cli import main
from tradetruce.ical import deadlines_ics
from tradetruce.model.history import Claims
from tradetruce.strategies import ZONES, claims_about_one_event, disputed_deadlines

M = MeasureStatus
D = DeadlineStatus
NY_1201 = "2025-11-10T00:01:00-05:00[America/New_York]"
BEIJING_1301 = "2025-11-10T13:01:00+08:00[Asia/Shanghai]"


def proposed() -> Measure:
    return Measure.propose(
        id="m", kind=MeasureKind.TARIFF, imposed_by="us", at="2025-10-01[UTC]", source="wh"
    )


def claim(at: str, to: MeasureStatus = M.PAUSED, **kwargs: object) -> MeasureEntry:
    return MeasureEntry(from_=M.PROPOSED, to=to, at=When.parse(at), source="s", **kwargs)  # type: ignore[arg-type]


# ------------------------------------------------------------------------ one event, any zone
def test_one_instant_written_in_two_zones_is_one_event() -> None:
    m = (
        proposed()
        .with_entry(claim(NY_1201))
        .with_entry(claim(BEIJING_1301, evidence=Evidence.OFFICIAL))
    )
    reading = m.reading_at("2025-11-11[UTC]")
    assert reading.status is M.PAUSED and reading.disagreements == ()
    assert len(Claims.of(m.history).groups) == 2


def test_a_vaguer_report_that_contains_the_official_time_corroborates_it() -> None:
    # "For one year" first, in November, then the official text to the minute.
    m = (
        proposed()
        .with_entry(claim("2025-11[Asia/Shanghai]"))
        .with_entry(claim(NY_1201, evidence=Evidence.OFFICIAL))
    )
    claims = Claims.of(m.history)
    assert len(claims.groups) == 2 and claims.disputed == (False, False)
    # The event happens at its most precise claim's time.
    assert claims.times[1] == When.parse(NY_1201)
    assert m.status_at(When.parse(NY_1201)) is M.PAUSED
    assert m.reading_at("2025-11-05[UTC]").status is M.PROPOSED


def test_claims_at_one_instant_that_disagree_are_a_dispute() -> None:
    m = proposed().with_entry(claim(NY_1201)).with_entry(claim(BEIJING_1301, M.IN_FORCE))
    reading = m.reading_at("2025-11-11[UTC]")
    assert reading.status is M.IN_FORCE  # the later-listed claim, at equal evidence
    assert [[e.to for e in g] for g in reading.disagreements] == [[M.PAUSED, M.IN_FORCE]]


def test_a_vaguer_claim_that_says_something_else_is_another_event() -> None:
    with pytest.raises(IllegalTransitionError, match="moves from proposed"):
        proposed().with_entry(claim(NY_1201)).with_entry(claim("2025-11[UTC]", M.IN_FORCE))


def test_a_vaguer_end_next_to_the_official_one_is_no_dispute() -> None:
    official = claim(
        NY_1201,
        evidence=Evidence.OFFICIAL,
        suspension=Suspension(until=When.parse("2026-11-10T00:01:00-05:00[America/New_York]")),
    )
    for_a_year = claim(NY_1201, suspension=Suspension(until=When.parse("2026-11~[Asia/Shanghai]")))
    agreeing = proposed().with_entry(for_a_year).with_entry(official)
    reading = agreeing.reading_at("2025-12-01[UTC]")
    assert reading.disagreements == () and reading.entries[-1] is official
    # An end the official one does not fall in, or none at all, is a dispute.
    two_years = claim(NY_1201, suspension=Suspension(until=When.parse("2027-11~[UTC]")))
    for other in (two_years, claim(NY_1201)):
        disputed = proposed().with_entry(other).with_entry(official)
        assert len(disputed.reading_at("2025-12-01[UTC]").disagreements) == 1


@given(claims_about_one_event())
def test_claims_about_one_event_are_one_event_across_zones_and_precisions(
    history: tuple[MeasureEntry, ...],
) -> None:
    m = Measure(id="m", kind=MeasureKind.TARIFF, imposed_by="p0", history=history)
    claims = Claims.of(m.history)
    assert len(claims.groups) == 2 and len(claims.groups[1]) == len(history) - 1
    # The event is at the exact instant every claim contains.
    assert claims.times[1].is_exact
    for e in claims.groups[1]:
        assert e.at.lo_us <= claims.times[1].lo_us <= claims.times[1].hi_us <= e.at.hi_us
    moves = {e.to for e in claims.groups[1]}
    assert claims.disputed[1] == (len(moves) > 1)


@given(claims_about_one_event(agree=True))
def test_claims_that_agree_never_show_as_a_dispute(history: tuple[MeasureEntry, ...]) -> None:
    m = Measure(id="m", kind=MeasureKind.TARIFF, imposed_by="p0", history=history)
    assert m.reading_at(history[1].at.upper + _dt.timedelta(days=400)).disagreements == ()


@given(claims_about_one_event(agree=False))
def test_claims_at_one_instant_that_disagree_always_show_as_a_dispute(
    history: tuple[MeasureEntry, ...],
) -> None:
    m = Measure(id="m", kind=MeasureKind.TARIFF, imposed_by="p0", history=history)
    reading = m.reading_at(history[1].at.upper + _dt.timedelta(days=400))
    assert len(reading.disagreements) == 1


@given(st.sampled_from(ZONES), st.sampled_from(ZONES), st.data())
def test_the_same_instant_in_any_two_zones_is_one_claim_slot(
    a: str, b: str, data: st.DataObject
) -> None:
    instant = data.draw(
        st.datetimes(min_value=_dt.datetime(1990, 1, 2), max_value=_dt.datetime(2040, 12, 30)).map(
            lambda d: d.replace(tzinfo=_dt.UTC)
        )
    )
    x = When.exact(pendulum.instance(instant).in_tz(a))
    y = When.exact(pendulum.instance(instant).in_tz(b))
    day = pendulum.instance(instant).in_tz(b).date()
    around = When.day(day.year, day.month, day.day, b)
    first = MeasureEntry(from_=M.PROPOSED, to=M.PAUSED, at=x, source="s")
    assert first.same_claim_slot(MeasureEntry(from_=M.PROPOSED, to=M.IN_FORCE, at=y, source="t"))
    assert first.same_claim_slot(MeasureEntry(from_=M.PROPOSED, to=M.PAUSED, at=around, source="t"))
    assert not first.same_claim_slot(
        MeasureEntry(from_=M.PROPOSED, to=M.IN_FORCE, at=around, source="t")
    )
    assert not first.same_claim_slot(MeasureEntry(from_=M.SCHEDULED, to=M.PAUSED, at=y, source="t"))


# --------------------------------------------------------------------------- disputed deadlines
def truce_claims() -> Deadline:
    """One side's summary gives the relief an end; the other side's notice gives none."""
    set_at = When.parse("2025-11-01[UTC]")
    return Deadline(
        id="relief-ends",
        title="Port-fee relief ends",
        kind=DeadlineKind.EXPIRY,
        history=(
            DeadlineEntry(
                from_=None,
                to=D.PENDING,
                at=set_at,
                source="fact-sheet",
                evidence=Evidence.CLAIMED,
                claimed_by="us",
                due=When.parse("2026-11-10[America/New_York]"),
            ),
            DeadlineEntry(from_=None, to=D.PENDING, at=set_at, source="mofcom"),
        ),
    )


def disputed_scenario() -> Scenario:
    return Scenario(
        title="Disputed relief",
        sources=(
            Source(
                id="fact-sheet",
                title="US fact sheet",
                kind=SourceKind.OFFICIAL_STATEMENT,
                published=When.parse("2025-11-01[America/New_York]"),
            ),
            Source(
                id="mofcom",
                title="Chinese notice",
                kind=SourceKind.LEGAL_TEXT,
                published=When.parse("2025-11-05[Asia/Shanghai]"),
            ),
        ),
        parties=(
            Party(id="us", name="United States", kind=PartyKind.STATE),
            Party(id="cn", name="China", kind=PartyKind.STATE),
        ),
        deadlines=(truce_claims(),),
    )


def test_a_claim_without_a_due_time_is_allowed_only_beside_one_that_gives_it() -> None:
    assert truce_claims().due == When.parse("2026-11-10[America/New_York]")
    lone = DeadlineEntry(from_=None, to=D.PENDING, at=When.parse("2025-11-01[UTC]"), source="s")
    with pytest.raises(InvalidValueError, match="gives no due time") as info:
        Deadline(id="d", title="t", kind=DeadlineKind.OTHER, history=(lone,))
    assert info.value.field == "history[0].due"
    stronger = DeadlineEntry(
        from_=None,
        to=D.PENDING,
        at=When.parse("2025-11-01[UTC]"),
        source="s",
        evidence=Evidence.OFFICIAL,
    )
    with pytest.raises(InvalidValueError, match="winning claim about this event gives no due"):
        Deadline(
            id="d", title="t", kind=DeadlineKind.OTHER, history=(*truce_claims().history, stronger)
        )


def test_a_disputed_due_time_is_listed_as_disputed_not_certain() -> None:
    s = disputed_scenario()
    (item,) = s.upcoming_deadlines("2025-11-06[UTC]")
    assert item.disputed and not item.certain
    assert [e.source for e in item.claims] == ["fact-sheet", "mofcom"]
    assert str(item).endswith("Port-fee relief ends (possibly) (disputed)")
    # As known before the notice, nobody disputed it.
    (early,) = s.upcoming_deadlines("2025-11-02[UTC]", known_at="2025-11-02[UTC]")
    assert early.certain and not early.disputed


def test_the_command_line_and_its_json_mark_a_disputed_deadline(tmp_path: object) -> None:
    from pathlib import Path

    import tradetruce as tt

    path = Path(str(tmp_path)) / "disputed.json"
    path.write_text(tt.to_json(disputed_scenario()), "utf-8")
    out = _run("deadlines", "--from", "2025-11-06[UTC]", "--tz", "UTC", str(path))
    assert "(disputed)" in out
    assert (
        "disputed: fact-sheet (claimed) gives due 2026-11-10[America/New_York]; mofcom "
        "(reported) gives no due time" in " ".join(out.split())
    )
    doc = json.loads(_run("deadlines", "--from", "2025-11-06[UTC]", "--json", str(path)))
    (row,) = doc["deadlines"]
    assert row["disputed"] is True and row["certain"] is False
    assert [c["due"] for c in row["claims"]] == [
        {
            "value": "2026-11-10[America/New_York]",
            "earliest": "2026-11-10T05:00:00+00:00",
            "latest": "2026-11-11T04:59:59.999999+00:00",
        },
        None,
    ]


def test_the_calendar_marks_a_disputed_deadline_tentative() -> None:
    calendar = icalendar.Calendar.from_ical(deadlines_ics(disputed_scenario()))
    (event,) = calendar.walk("VEVENT")
    assert str(event["STATUS"]) == "TENTATIVE"
    assert "Disputed due time: fact-sheet (claimed) gives due 2026-11-10[America/New_York]" in str(
        event["DESCRIPTION"]
    )


@given(disputed_deadlines(id="d0"))
def test_a_disputed_deadline_is_never_listed_as_certain(deadline: Deadline) -> None:
    s = Scenario(
        sources=(
            Source(id="s0", title="a", published=When.parse("1990-01-01[UTC]")),
            Source(id="s1", title="b", published=When.parse("1990-01-01[UTC]")),
        ),
        deadlines=(deadline,),
    )
    # From the first moment the disputed event may have happened (it may be open-ended).
    start = deadline.history[-1].at.lower
    items = s.upcoming_deadlines(start)
    if items:
        (item,) = items
        assert item.disputed and not item.certain
    calendar = icalendar.Calendar.from_ical(deadlines_ics(s))
    (event,) = calendar.walk("VEVENT")
    assert str(event["STATUS"]) == "TENTATIVE"


def _run(*args: str) -> str:
    import io

    out = io.StringIO()
    code = main(list(args), out=out)
    assert code == 0, out.getvalue()
    return out.getvalue()


def test_rival_claims_about_an_extension_and_a_meeting_are_read_in_either_order() -> None:
    # One claim says the deadline was extended (with a new due time), a stronger one says it
    # was met: the winner gives no due time and needs none, whichever claim is listed first.
    first = tt.DeadlineEntry.record(
        None,
        tt.DeadlineStatus.PENDING,
        at="2025-10-01[UTC]",
        source="s0",
        due=tt.When.parse("2025-11-10[UTC]"),
    )
    extended = tt.DeadlineEntry.record(
        tt.DeadlineStatus.PENDING,
        tt.DeadlineStatus.EXTENDED,
        at="2025-11-09[UTC]",
        source="s0",
        due=tt.When.parse("2026-11-10[UTC]"),
    )
    met = tt.DeadlineEntry.record(
        tt.DeadlineStatus.PENDING,
        tt.DeadlineStatus.MET,
        at="2025-11-09[UTC]",
        source="s1",
        evidence=tt.Evidence.OFFICIAL,
    )
    for rivals in ((extended, met), (met, extended)):
        deadline = tt.Deadline(
            id="d0", title="Truce", kind=tt.DeadlineKind.EXPIRY, history=(first, *rivals)
        )
        assert deadline.status is tt.DeadlineStatus.MET
        assert deadline.due == tt.When.parse("2025-11-10[UTC]")
