"""Projection: signing a deal carries out its terms; missed deadlines fire their consequences."""

from __future__ import annotations

import datetime as _dt

import attrs
import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from _engine_scenario import TRUCE_DUE, truce
from tradetruce import (
    Consequence,
    DeadlineStatus,
    Evidence,
    IllegalTransitionError,
    InvalidTimeError,
    InvalidValueError,
    Measure,
    MeasureKind,
    MeasureStatus,
    NegotiationStatus,
    Party,
    PartyKind,
    Rate,
    Scenario,
    Source,
    SourceKind,
    Term,
    TradeTruceError,
    UnknownEntityError,
    When,
)
from tradetruce.engine.project import PROJECTION_SOURCE
from tradetruce.strategies import scenarios, times

NY = "America/New_York"
SIGNING = "2025-10-30T11:00:00+09:00[Asia/Seoul]"


def ny(year: int, month: int, day: int) -> pendulum.DateTime:
    return pendulum.datetime(year, month, day, tz=NY)


# -------------------------------------------------------------------------------------- apply
def test_signing_carries_out_every_term_citing_the_signing() -> None:
    s = truce()
    snapshot = repr(s)
    signed = s.apply("kl-talks", to=NegotiationStatus.SIGNED, at=SIGNING, source="kl")
    assert repr(s) == snapshot, "the original scenario changed"
    assert signed.negotiation("kl-talks").status is NegotiationStatus.SIGNED
    threat = signed.measure("us-100pct")
    assert threat.status is MeasureStatus.WITHDRAWN
    last = threat.history[-1]
    assert (last.source, str(last.at)) == ("kl", SIGNING)
    assert last.note == "term 1 of kl-talks: drop the threatened 100% tariff"
    truce_deadline = signed.deadline("truce-expiry")
    assert truce_deadline.status is DeadlineStatus.EXTENDED
    assert str(truce_deadline.due) == "2026-11-10T00:01:00-05:00[America/New_York]"
    fentanyl = signed.measure("us-fentanyl")
    assert fentanyl.status is MeasureStatus.IN_FORCE and fentanyl.history[-1].is_amendment
    assert str(fentanyl.terms.rate) == "10%" and fentanyl.terms.legal_basis == "IEEPA"
    # The status after signing, in a view.
    after = signed.at(ny(2025, 11, 3)).measures["us-100pct"]
    assert after.status is MeasureStatus.WITHDRAWN


def test_moves_short_of_signing_carry_out_nothing() -> None:
    s = truce()
    collapsed = s.apply("kl-talks", to="collapsed", at=SIGNING, source="kl")
    assert collapsed.negotiation("kl-talks").status is NegotiationStatus.COLLAPSED
    assert collapsed.measures == s.measures and collapsed.deadlines == s.deadlines


def test_a_what_if_signing_can_cite_a_new_source() -> None:
    what_if = Source(id="what-if", title="Suppose it is signed", kind=SourceKind.OTHER)
    signed = truce().apply("kl-talks", to="signed", at=SIGNING, source=what_if)
    assert signed.source("what-if") == what_if
    entry = signed.measure("us-100pct").history[-1]
    # A source with no publication time: the signing is known when it happens.
    assert entry.source == "what-if" and entry.recorded == When.parse(SIGNING)
    # Citing the same source object again is fine; another one with its id is not.
    signed.apply("kl-talks", to="in_effect", at="2025-11-10[Asia/Seoul]", source=what_if)
    with pytest.raises(InvalidValueError, match="already exists"):
        truce().apply("kl-talks", to="signed", at=SIGNING, source=attrs.evolve(what_if, id="kl"))


def test_apply_refuses_what_the_lifecycle_forbids_naming_the_entity_and_move() -> None:
    with pytest.raises(IllegalTransitionError) as info:
        truce().apply("kl-talks", to="in_effect", at=SIGNING, source="kl")
    assert info.value.entity == "kl-talks"
    assert "preliminary_consensus to in_effect" in str(info.value)


def test_a_term_the_lifecycle_forbids_is_refused_naming_the_term() -> None:
    s = truce()
    talks = s.negotiation("kl-talks")
    bad = attrs.evolve(talks, terms=(Term(entity="us-301", to="scheduled", detail="reschedule"),))
    with pytest.raises(IllegalTransitionError) as info:
        s.replace(bad).apply("kl-talks", to="signed", at=SIGNING, source="kl")
    assert info.value.entity == "us-301"
    assert "in_force to scheduled" in str(info.value)
    assert "term 1 of kl-talks: reschedule" in str(info.value)


def test_a_term_already_carried_out_is_skipped() -> None:
    s = truce()
    threat = s.measure("us-100pct").transition(
        MeasureStatus.WITHDRAWN, at="2025-10-28[America/New_York]", source="kl"
    )
    signed = s.replace(threat).apply("kl-talks", to="signed", at=SIGNING, source="kl")
    assert signed.measure("us-100pct") == threat


def test_bad_arguments_give_tradetruce_errors() -> None:
    s = truce()
    with pytest.raises(UnknownEntityError):
        s.apply("nothing", to="signed", at=SIGNING, source="kl")
    with pytest.raises(UnknownEntityError):
        s.apply("kl-talks", to="signed", at=SIGNING, source="nowhere")
    with pytest.raises(InvalidValueError, match="not a negotiation status"):
        s.apply("kl-talks", to="in_force", at=SIGNING, source="kl")
    with pytest.raises(InvalidValueError):
        s.apply("kl-talks", to="signed", at=SIGNING, source=42)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------ advance
def test_if_nothing_is_signed_the_truce_expires_and_the_paused_tariff_returns() -> None:
    s = truce()
    snapshot = repr(s)
    projected = s.advance(ny(2025, 11, 11))
    assert repr(s) == snapshot
    deadline = projected.deadline("truce-expiry")
    assert deadline.status is DeadlineStatus.MISSED
    tariff = projected.measure("us-24pct")
    assert tariff.status is MeasureStatus.IN_FORCE
    for entry in (deadline.history[-1], tariff.history[-1]):
        assert entry.source == PROJECTION_SOURCE.id
        assert entry.evidence is Evidence.PROJECTED
        assert str(entry.at) == TRUCE_DUE and entry.recorded == entry.at
    assert "consequence of truce-expiry passing unmet" in tariff.history[-1].note
    source = projected.source(PROJECTION_SOURCE.id)
    assert source.kind is SourceKind.PROJECTION and source.published is None
    # The view one minute after the due time sees the tariff back in force.
    minute_after = pendulum.datetime(2025, 11, 10, 0, 2, tz=NY)
    assert projected.at(minute_after).measures["us-24pct"].status is MeasureStatus.IN_FORCE


def test_advance_before_the_due_time_changes_nothing() -> None:
    s = truce()
    assert s.advance(pendulum.datetime(2025, 11, 10, 0, 0, tz=NY)) is s


def test_a_signed_extension_keeps_the_truce_alive() -> None:
    signed = truce().apply("kl-talks", to="signed", at=SIGNING, source="kl")
    projected = signed.advance(ny(2025, 11, 11))
    assert projected.deadline("truce-expiry").status is DeadlineStatus.EXTENDED
    assert projected.measure("us-24pct").status is MeasureStatus.PAUSED
    later = signed.advance(ny(2026, 11, 11))
    assert later.deadline("truce-expiry").status is DeadlineStatus.MISSED
    assert str(later.measure("us-24pct").history[-1].at) == (
        "2026-11-10T00:01:00-05:00[America/New_York]"
    )


def test_an_approximate_due_time_fires_only_once_it_has_certainly_passed() -> None:
    s = truce()
    assert s.advance(ny(2026, 1, 15)).deadline("review").status is DeadlineStatus.PENDING
    fired = s.advance(pendulum.datetime(2026, 2, 1, tz="UTC")).deadline("review")
    assert fired.status is DeadlineStatus.MISSED
    assert str(fired.history[-1].at) == "2025-12~[UTC]"


def _with_consequence(s: Scenario, *consequences: Consequence) -> Scenario:
    return s.replace(attrs.evolve(s.deadline("truce-expiry"), consequences=consequences))


def test_a_consequence_already_carried_out_is_skipped() -> None:
    s = _with_consequence(truce(), Consequence("us-fentanyl", "in_force"))
    projected = s.advance(ny(2025, 11, 11))
    assert projected.measure("us-fentanyl") == s.measure("us-fentanyl")
    assert projected.deadline("truce-expiry").status is DeadlineStatus.MISSED


def test_a_consequence_the_lifecycle_forbids_names_deadline_entity_and_move() -> None:
    s = _with_consequence(truce(), Consequence("us-100pct", "expired"))
    with pytest.raises(IllegalTransitionError) as info:
        s.advance(ny(2025, 11, 11))
    assert info.value.entity == "us-100pct"
    assert "proposed to expired" in str(info.value)
    assert "consequence of truce-expiry" in str(info.value)


def test_a_consequence_never_rewrites_history_recorded_after_the_deadline() -> None:
    s = truce()
    later = s.measure("us-24pct").transition(
        MeasureStatus.WITHDRAWN, at="2025-12-01[America/New_York]", source="mofcom"
    )
    s = s.replace(later)
    projected = s.advance(ny(2025, 12, 2))
    assert projected.deadline("truce-expiry").status is DeadlineStatus.MISSED
    assert projected.measure("us-24pct") == later


# --------------------------------------------------------------------------------- properties
SMALL = scenarios(
    max_parties=3, max_sources=2, max_measures=3, max_deadlines=3, max_negotiations=2, max_history=3
)
SLOW_DATA = settings(
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large], deadline=None
)


def _outcome(thunk: object) -> object:
    """A scenario, or the kind of refusal and who it names."""
    try:
        return thunk()  # type: ignore[operator]
    except IllegalTransitionError as exc:
        return ("refused", exc.entity, str(exc.source), str(exc.target))


def _instants() -> st.SearchStrategy[_dt.datetime]:
    return times().map(lambda w: w.upper)


@SLOW_DATA
@given(SMALL, _instants())
def test_advance_is_idempotent(scenario: Scenario, t: _dt.datetime) -> None:
    once = _outcome(lambda: scenario.advance(t))
    if isinstance(once, Scenario):
        assert once.advance(t) == once


@SLOW_DATA
@given(SMALL, _instants(), _instants())
def test_advance_is_monotone(scenario: Scenario, a: _dt.datetime, b: _dt.datetime) -> None:
    t1, t2 = sorted((a, b))
    snapshot = repr(scenario)
    direct = _outcome(lambda: scenario.advance(t2))
    first = _outcome(lambda: scenario.advance(t1))
    stepwise = first if not isinstance(first, Scenario) else _outcome(lambda: first.advance(t2))
    assert stepwise == direct
    assert repr(scenario) == snapshot


@SLOW_DATA
@given(SMALL, st.data())
def test_applying_terms_never_builds_an_illegal_history(
    scenario: Scenario, data: st.DataObject
) -> None:
    if not scenario.negotiations:
        return
    talks = data.draw(st.sampled_from(scenario.negotiations))
    to = data.draw(st.sampled_from(list(NegotiationStatus)))
    at = data.draw(times())
    source = data.draw(st.sampled_from(scenario.sources))
    snapshot = repr(scenario)
    try:
        result = scenario.apply(talks.id, to=to, at=at, source=source.id)
    except TradeTruceError:
        # Refused: a move the lifecycle forbids, or an entry out of chronological order.
        assert repr(scenario) == snapshot
        return
    assert repr(scenario) == snapshot
    # Building the Scenario checked every history; check it again, from its parts.
    rebuilt = Scenario(**{f.name: getattr(result, f.name) for f in attrs.fields(Scenario)})
    assert rebuilt == result
    assert result.negotiation(talks.id).status is to
    if to is NegotiationStatus.SIGNED:
        last = {term.entity: term.to for term in talks.terms if term.to is not None}
        for entity, status in last.items():
            if entity != talks.id:
                assert result.entity(entity).status == status


def test_advancing_to_the_end_of_time_past_an_open_ended_amendment_is_refused_not_an_overflow() -> (
    None
):
    w = When.parse
    m = (
        Measure.propose(
            id="m",
            kind=MeasureKind.TARIFF,
            imposed_by="us",
            at="2025-01-01[Europe/Brussels]",
            source="s",
            rate=Rate.percent("10"),
        )
        .transition(MeasureStatus.IN_FORCE, at="2025-02-01[Europe/Brussels]", source="s")
        .amend(
            at=w("2025-11/..[Europe/Brussels]"),
            source="s",
            expires=w("2025-11/..[Europe/Brussels]"),
        )
    )
    s = Scenario(
        sources=(Source(id="s", title="Report", published=w("2025-01-01[UTC]")),),
        parties=(Party(id="us", name="US", kind=PartyKind.STATE),),
        measures=(m,),
    )
    end = _dt.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=_dt.UTC)
    with pytest.raises(InvalidTimeError, match="has no end"):
        s.advance(end)
