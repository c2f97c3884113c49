"""Suspensions, lapses (a stated end or start that has come with nothing recorded), and projection
as known at a date."""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tradetruce import (
    Deadline,
    DeadlineKind,
    Evidence,
    IllegalTransitionError,
    InvalidDataError,
    InvalidValueError,
    LapseKind,
    Measure,
    MeasureEntry,
    MeasureKind,
    MeasureStatus,
    Negotiation,
    Party,
    PartyKind,
    Rate,
    Scenario,
    Source,
    SourceKind,
    Suspension,
    SuspensionEnd,
    Term,
    When,
)
from tradetruce.engine.project import PROJECTION_SOURCE
from tradetruce.model.entries import current_suspension
from tradetruce.model.history import recorded_time
from tradetruce.strategies import scenarios, suspended_measures, suspensions, times
from tradetruce.values.when import to_us

M = MeasureStatus
NY = "America/New_York"
#: 12:01 a.m. Eastern on 10 November: when the one-year suspensions of late 2025 began and end.
START = "2025-11-10T00:01:00-05:00[America/New_York]"
END = "2026-11-10T00:01:00-05:00[America/New_York]"


def W(text: str) -> When:
    return When.parse(text)


def tariff(rate: str = "34") -> Measure:
    """A tariff in force since April 2025."""
    return Measure.propose(
        id="us-reciprocal",
        kind=MeasureKind.TARIFF,
        imposed_by="us",
        targets=("cn",),
        rate=Rate.percent(rate),
        legal_basis="IEEPA",
        at="2025-04-02[America/New_York]",
        source="eo",
    ).transition(M.IN_FORCE, at="2025-04-09T00:01:00-04:00[America/New_York]", source="eo")


def suspended(**kwargs: Any) -> Measure:
    """The tariff, 24 of its 34 points suspended for one year from 10 November 2025."""
    options: dict[str, Any] = {"portion": Rate.percent("24"), "until": END}
    options.update(kwargs)
    return tariff().suspend(at=START, source="eo-nov", **options)


# ---------------------------------------------------------------------------- the value itself
def test_a_suspension_says_what_part_until_when_and_what_follows() -> None:
    m = suspended()
    s = m.suspension
    assert s == Suspension(until=W(END), portion=Rate.percent("24"))
    assert s.at_end is SuspensionEnd.RESTORE and not s.is_whole
    assert s.describe(m.terms.rate) == f"24 of 34 points until {END}, then restored"
    assert s.kept(Rate.percent("34")) == Rate.percent("10")
    whole = tariff().suspend(at=START, source="eo-nov")
    assert whole.suspension is None  # the whole measure, until further notice
    assert whole.status is M.PAUSED


def test_a_portion_must_be_part_of_the_rate_in_its_unit() -> None:
    with pytest.raises(InvalidValueError, match="above the rate") as info:
        tariff().suspend(at=START, source="s", portion=Rate.percent("40"))
    assert info.value.field == "history[2].suspension.portion"
    with pytest.raises(InvalidValueError, match="another unit"):
        tariff().suspend(
            at=START, source="s", portion=Rate.specific("5", currency="USD", per="tonne")
        )
    no_rate = Measure.propose(id="m", kind=MeasureKind.OTHER, imposed_by="us", at=START, source="s")
    with pytest.raises(InvalidValueError, match="no rate"):
        no_rate.suspend(at=END, source="s", portion=Rate.percent("1"))


def test_a_rate_cut_while_paused_cannot_leave_less_than_the_portion() -> None:
    with pytest.raises(InvalidValueError, match="above the rate") as info:
        suspended().amend(at="2026-01-05[America/New_York]", source="s", rate=Rate.percent("20"))
    assert info.value.field == "history[3].terms.rate"


def test_only_a_move_to_paused_or_an_amendment_of_a_paused_measure_carries_a_suspension() -> None:
    with pytest.raises(InvalidValueError, match="rides on a move to paused") as info:
        MeasureEntry(
            from_=M.PROPOSED, to=M.IN_FORCE, at=W(START), source="s", suspension=Suspension()
        )
    assert info.value.field == "suspension"


def test_an_extension_replaces_the_suspension_with_its_own_provenance() -> None:
    m = suspended().extend_suspension(
        until="2027-11-10[America/New_York]",
        at="2026-10-30[America/New_York]",
        source="joint-statement",
        evidence=Evidence.OFFICIAL,
    )
    entry = m.history[-1]
    assert entry.is_amendment and entry.source == "joint-statement"
    assert m.suspension == Suspension(
        until=W("2027-11-10[America/New_York]"), portion=Rate.percent("24")
    )
    # As it stood before the extension, the old end holds.
    assert m.suspension_at("2026-10-01[America/New_York]") == suspended().suspension
    with pytest.raises(IllegalTransitionError, match="only a paused measure"):
        tariff().extend_suspension(until=END, at=START, source="s")


def test_an_amendment_without_a_suspension_keeps_the_current_one() -> None:
    m = suspended().amend(at="2026-01-05[America/New_York]", source="s", legal_basis="IEEPA EO")
    assert m.suspension == suspended().suspension


# ------------------------------------------------------------------------------------ lapses
def test_after_a_suspension_ends_with_nothing_recorded_the_reading_is_not_certain() -> None:
    m = suspended()
    before = m.reading_at("2026-11-09[America/New_York]")
    assert before.status is M.PAUSED and before.lapses == ()
    after = m.reading_at("2026-11-11[America/New_York]")
    assert after.status is None and not after.certain
    assert after.candidates == (M.PAUSED, M.IN_FORCE)
    (lapse,) = after.lapses
    assert lapse.kind is LapseKind.SUSPENSION_END and lapse.passed and lapse.to is M.IN_FORCE
    assert str(lapse) == f"suspension ended {END}; no extension or end recorded"


def test_inside_a_vague_end_the_suspension_may_have_ended() -> None:
    m = tariff().suspend(at=START, source="s", until="2026-11~[Asia/Shanghai]")
    reading = m.reading_at("2026-10-15[Asia/Shanghai]")
    (lapse,) = reading.lapses
    assert not lapse.passed and not reading.certain
    assert str(lapse) == (
        "suspension may have ended (2026-11~[Asia/Shanghai]); no extension or end recorded"
    )
    assert m.reading_at("2026-09-15[Asia/Shanghai]").status is M.PAUSED


def test_a_suspension_that_lapses_into_expiry_says_so() -> None:
    m = suspended(at_end=SuspensionEnd.EXPIRE)
    assert m.reading_at("2026-12-01[UTC]").candidates == (M.PAUSED, M.EXPIRED)


def test_a_recorded_extension_or_end_settles_the_question() -> None:
    extended = suspended().extend_suspension(
        until="2027-11-10[America/New_York]", at="2026-11-04[America/New_York]", source="s"
    )
    assert extended.status_at("2026-11-11[America/New_York]") is M.PAUSED
    restored = suspended().transition(M.IN_FORCE, at=END, source="s")
    assert restored.status_at("2026-11-11[America/New_York]") is M.IN_FORCE


def test_as_known_before_the_extension_the_end_is_still_in_question() -> None:
    extended = suspended().extend_suspension(
        until="2027-11-10[America/New_York]",
        at="2026-11-04[America/New_York]",
        source="s",
        recorded="2026-11-20[America/New_York]",
    )
    t = W("2026-11-15[America/New_York]")
    assert extended.reading_at(t).status is M.PAUSED
    as_known = extended.reading_at(t, known_at=t)
    assert not as_known.certain and as_known.lapses[0].kind is LapseKind.SUSPENSION_END


def test_a_scheduled_measure_past_its_effective_time_may_be_in_force() -> None:
    m = Measure.propose(
        id="m",
        kind=MeasureKind.EXPORT_CONTROL,
        imposed_by="cn",
        effective="2026-11~[Asia/Shanghai]",
        at="2025-10-09[Asia/Shanghai]",
        source="s",
    ).transition(M.SCHEDULED, at="2025-10-10[Asia/Shanghai]", source="s")
    reading = m.reading_at("2027-01-15[Asia/Shanghai]")
    assert reading.candidates == (M.SCHEDULED, M.IN_FORCE)
    assert str(reading.lapses[0]) == (
        "effective time came 2026-11~[Asia/Shanghai]; no entry into force recorded"
    )


def test_a_restored_measure_past_its_own_expiry_may_have_expired_too() -> None:
    m = tariff().amend(
        at="2025-06-01[America/New_York]", source="s", expires=W("2026-06-30[America/New_York]")
    )
    m = m.suspend(at=START, source="s", until=END)
    reading = m.reading_at("2026-12-01[America/New_York]")
    assert [lapse.kind for lapse in reading.lapses] == [LapseKind.SUSPENSION_END, LapseKind.EXPIRY]
    assert reading.candidates == (M.PAUSED, M.IN_FORCE, M.EXPIRED)


# ---------------------------------------------------------------------------------- scenarios
def parties() -> tuple[Party, ...]:
    return (
        Party(id="us", name="United States", kind=PartyKind.STATE),
        Party(id="cn", name="China", kind=PartyKind.STATE),
    )


def sources() -> tuple[Source, ...]:
    return tuple(
        Source(id=id, title=id, kind=SourceKind.OFFICIAL_STATEMENT, published=W(day))
        for id, day in (
            ("eo", "2025-04-02[America/New_York]"),
            ("eo-nov", "2025-11-04[America/New_York]"),
            ("notice", "2026-11-05[America/New_York]"),
        )
    )


def scenario(*measures: Measure, deadlines: tuple[Deadline, ...] = ()) -> Scenario:
    return Scenario(sources=sources(), parties=parties(), measures=measures, deadlines=deadlines)


def test_projection_restores_what_has_certainly_come_back() -> None:
    s = scenario(suspended())
    nov11 = W("2026-11-11[America/New_York]")
    back = s.advance(nov11)
    entry = back.measure("us-reciprocal").history[-1]
    assert (entry.from_, entry.to, entry.at) == (M.PAUSED, M.IN_FORCE, W(END))
    assert entry.source == PROJECTION_SOURCE.id and entry.evidence is Evidence.PROJECTED
    assert entry.recorded == entry.at
    assert entry.note == f"suspension ended {END}; no extension or end recorded"
    state = back.at(nov11).measures["us-reciprocal"]
    assert state.status is M.IN_FORCE and state.projected and state.lapses == ()
    # Not before the end has certainly come; twice changes nothing.
    assert s.advance(W("2026-11-10T00:00:59-05:00[America/New_York]")) is s
    assert back.advance(nov11) == back


def test_projection_fires_lapses_in_order_until_nothing_more_falls_due() -> None:
    m = tariff().amend(
        at="2025-06-01[America/New_York]", source="eo", expires=W("2026-12-31[America/New_York]")
    )
    s = scenario(m.suspend(at=START, source="eo-nov", until=END))
    done = s.advance(W("2027-01-02[UTC]")).measure("us-reciprocal")
    assert [(e.from_, e.to) for e in done.history[-2:]] == [
        (M.PAUSED, M.IN_FORCE),
        (M.IN_FORCE, M.EXPIRED),
    ]
    assert done.history[-1].at == W("2026-12-31[America/New_York]")


def test_a_lapse_due_before_the_last_recorded_event_happens_after_it() -> None:
    # The suspension ended in November; a rate change recorded in December, still paused.
    m = suspended().amend(
        at="2026-12-01[America/New_York]", source="notice", rate=Rate.percent("30")
    )
    fired = scenario(m).advance(W("2026-12-05[UTC]")).measure("us-reciprocal").history[-1]
    # Its own time would be certainly before the amendment, and at the amendment's time it would
    # be a claim about it: it goes at the amendment day's last instant.
    assert fired.to is M.IN_FORCE
    assert str(fired.at) == "2026-12-01T23:59:59.999999-05:00[America/New_York]"


def test_as_known_at_a_date_the_projection_uses_only_what_was_known() -> None:
    # Recorded on 5 November 2026 (published then): an extension dated 4 November.
    extended = suspended().extend_suspension(
        until="2027-11-10[America/New_York]", at="2026-11-04[America/New_York]", source="notice"
    )
    s = scenario(extended)
    t = W("2026-11-09[America/New_York]")
    oct29 = W("2026-10-29[America/New_York]")
    # "As known on 29 October, what did we expect to be in force on 9 November?" Paused, still.
    assert s.at(t, known_at=oct29, project=True).measures["us-reciprocal"].status is M.PAUSED
    # And on 11 November, as known on 29 October: back, projected, recorded as of 29 October.
    nov11 = W("2026-11-11[America/New_York]")
    view = s.at(nov11, known_at=oct29, project=True)
    state = view.measures["us-reciprocal"]
    assert view.projected and state.status is M.IN_FORCE and state.projected
    advanced = s.advance(nov11, known_at=oct29)
    assert advanced.measure("us-reciprocal").history[-1].recorded == oct29
    # With everything known, the extension holds.
    assert s.at(nov11, project=True).measures["us-reciprocal"].status is M.PAUSED


def test_as_known_at_leaves_out_what_was_not_known_and_every_reference_to_it() -> None:
    later = Measure.propose(
        id="cn-retaliation",
        kind=MeasureKind.TARIFF,
        imposed_by="cn",
        targets=("us",),
        at="2026-11-05[Asia/Shanghai]",
        source="notice",
    )
    truce = Deadline.create(
        id="truce",
        title="Truce ends",
        kind=DeadlineKind.EXPIRY,
        due=END,
        at=START,
        source="eo-nov",
        governs=("us-reciprocal", "cn-retaliation"),
    )
    s = scenario(suspended(), later, deadlines=(truce,))
    then = s.as_known_at(W("2026-01-01[UTC]"))
    assert [m.id for m in then.measures] == ["us-reciprocal"]
    assert then.deadline("truce").governs == ("us-reciprocal",)
    assert s.as_known_at(W("2027-01-01[UTC]")) is s


def test_a_deal_term_extends_a_suspension_when_signed() -> None:
    talks = Negotiation.schedule(
        id="talks",
        title="Talks",
        parties=("us", "cn"),
        at="2026-10-01[UTC]",
        source="eo-nov",
        terms=(
            Term(
                entity="us-reciprocal",
                detail="one more year",
                suspension=Suspension(
                    until=W("2027-11-10[America/New_York]"), portion=Rate.percent("24")
                ),
            ),
        ),
    )
    s = Scenario(
        sources=sources(), parties=parties(), measures=(suspended(),), negotiations=(talks,)
    )
    signed = s.apply("talks", to="in_talks", at="2026-10-20[UTC]", source="notice").apply(
        "talks", to="signed", at="2026-10-30[UTC]", source="notice"
    )
    m = signed.measure("us-reciprocal")
    assert m.history[-1].is_amendment and m.status is M.PAUSED
    assert m.suspension is not None and m.suspension.until == W("2027-11-10[America/New_York]")
    # A term that suspends a measure that is not paused, without moving it there, is refused.
    other = attrs.evolve(talks, terms=(Term(entity="us-reciprocal", suspension=Suspension()),))
    s = Scenario(sources=sources(), parties=parties(), measures=(tariff(),), negotiations=(other,))
    with pytest.raises(IllegalTransitionError, match="not paused"):
        s.apply("talks", to="in_talks", at="2026-10-20[UTC]", source="notice").apply(
            "talks", to="signed", at="2026-10-30[UTC]", source="notice"
        )
    with pytest.raises(InvalidValueError, match="moves it to in_force"):
        Term(entity="m", to="in_force", suspension=Suspension())


def test_a_term_suspending_a_deadline_is_a_scenario_problem() -> None:
    truce = Deadline.create(
        id="truce", title="Truce", kind=DeadlineKind.EXPIRY, due=END, at=START, source="eo-nov"
    )
    talks = Negotiation.schedule(
        id="talks",
        title="Talks",
        parties=("us", "cn"),
        at="2026-10-01[UTC]",
        source="eo-nov",
        terms=(Term(entity="truce", suspension=Suspension()),),
    )
    with pytest.raises(InvalidDataError, match=r"terms\[0\].suspension"):
        Scenario(sources=sources(), parties=parties(), deadlines=(truce,), negotiations=(talks,))


def test_a_projection_marks_the_view_and_the_states_it_decides() -> None:
    s = scenario(suspended())
    view = s.at("2026-11-11[America/New_York]", project=True)
    assert view.projected and str(view).startswith("Projected view at ")
    assert view.measures["us-reciprocal"].projected
    assert view != s.at("2026-11-11[America/New_York]")


# ---------------------------------------------------------------------------------- properties
SLOW = settings(
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large], deadline=None
)
CAST = (
    Party(id="p0", name="P0", kind=PartyKind.STATE),
    Party(id="p1", name="P1", kind=PartyKind.STATE),
)


@st.composite
def scenarios_with_suspensions(draw: st.DrawFn) -> Scenario:
    """Small scenarios (whose moves to paused now and then carry suspensions) with one or two
    tariffs suspended and extended on top."""
    base = draw(
        scenarios(parties=CAST, max_sources=2, max_measures=3, max_deadlines=2, max_history=3)
    )
    extra = draw(st.lists(suspended_measures(id=st.sampled_from(["ms0", "ms1"])), max_size=2))
    return base.replace(*{m.id: m for m in extra}.values())


def _instants() -> st.SearchStrategy[_dt.datetime]:
    return times().map(lambda w: w.upper)


@SLOW
@given(scenarios_with_suspensions(), _instants(), st.none() | _instants())
def test_no_view_after_a_suspensions_end_is_certainly_suspended_without_an_extension(
    s: Scenario, t: _dt.datetime, k: _dt.datetime | None
) -> None:
    view = s.at(t, known_at=k)
    u = to_us(t)
    for m in s.measures:
        state = view.measures[m.id]
        current = current_suspension(state.entries)  # type: ignore[arg-type]
        if current is not None and current.until is not None and current.until.lo_us <= u:
            assert not (state.certain and state.status is M.PAUSED), (m.id, state)
            assert state.lapses and M.PAUSED in state.candidates
        # The entity's own reading says the same as the scenario's view.
        reading = m.reading_at(t, known_at=k, published=s.published)
        assert (reading.status, reading.candidates, reading.lapses) == (
            state.status,
            state.candidates,
            state.lapses,
        )
        assert state.certain == (len(state.candidates) == 1)


@SLOW
@given(scenarios_with_suspensions(), _instants(), st.none() | _instants())
def test_a_projected_view_is_the_advanced_scenarios_view_with_no_passed_lapse_left(
    s: Scenario, t: _dt.datetime, k: _dt.datetime | None
) -> None:
    try:
        advanced = s.advance(t, known_at=k)
    except IllegalTransitionError:
        return  # a deadline's consequence its lifecycle forbids: refused, nothing projected
    projected = s.at(t, known_at=k, project=True)
    plain = advanced.at(t, known_at=k)
    assert projected.projected and projected.diff(plain) == ()
    u = to_us(t)
    for m in advanced.measures:
        state = projected.measures[m.id]
        settled = not state.pending and all(e.at.hi_us <= u for e in m.history)
        if settled and state.lapses:
            # What is left may still come: the first lapse of a chain has not certainly passed
            # (a later one, an expiry after a restore that may not have happened, may have).
            assert not state.lapses[0].passed, (m.id, state)


@SLOW
@given(scenarios_with_suspensions(), _instants(), _instants())
def test_a_scenario_as_known_at_a_date_reads_as_the_scenario_known_then(
    s: Scenario, t: _dt.datetime, k: _dt.datetime
) -> None:
    then = s.as_known_at(k)
    ku = to_us(k)
    published = s.published
    for entity in s.entities():
        known = [e for e in entity.history if _recorded(e, published) <= ku]
        if not known:
            assert entity.id not in then
            continue
        if entity.id in then and len(then.entity(entity.id).history) == len(known):
            assert then.at(t)[entity.id].candidates == s.at(t, known_at=k)[entity.id].candidates


def _recorded(entry: Any, published: Any) -> int:
    return recorded_time(entry, published).hi_us


@given(suspensions(rate=Rate.percent("34")))
def test_every_generated_suspension_fits_the_rate_it_was_drawn_for(s: Suspension) -> None:
    assert s.problem_with(Rate.percent("34")) == ""
    assert Decimal(0) <= s.kept(Rate.percent("34")).value <= Decimal(34)
