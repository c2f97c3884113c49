"""The time engine on the default seed: what was known when, signing, and a truce left to lapse."""

from __future__ import annotations

import pytest

import tradetruce as tt

W = tt.When.parse
M, D, N = tt.MeasureStatus, tt.DeadlineStatus, tt.NegotiationStatus
WHAT_IF = tt.Source(
    id="what-if-signing",
    title="Hypothesis: the presidents sign the framework in South Korea",
    kind=tt.SourceKind.OTHER,
)
SIGNED_AT = W("2025-10-30[Asia/Seoul]")


@pytest.fixture(scope="module")
def seed() -> tt.Scenario:
    return tt.load_seed()


@pytest.fixture(scope="module")
def signed(seed: tt.Scenario) -> tt.Scenario:
    return seed.apply("us-cn-talks", to=N.SIGNED, at=SIGNED_AT, source=WHAT_IF)


def test_on_october_20_the_threat_may_or_may_not_have_been_made(seed: tt.Scenario) -> None:
    state = seed.at(W("2025-10-20[America/New_York]")).measures["us-100pct-tariff"]
    assert state.status is None and not state.certain
    assert state.candidates == (None, M.PROPOSED)


def test_on_october_26_as_known_then_the_tariff_is_a_threat_of_100_percent(
    seed: tt.Scenario,
) -> None:
    t = W("2025-10-26[Asia/Kuala_Lumpur]")
    state = seed.at(t, known_at=t).measures["us-100pct-tariff"]
    assert state.status is M.PROPOSED
    assert state.terms is not None and state.terms.describe() == (
        "100% from 2025-11-01[America/New_York]"
    )
    # A day earlier nothing of it was on record: the report is the only source.
    before = seed.at(t, known_at=W("2025-10-25[Asia/Kuala_Lumpur]")).measures["us-100pct-tariff"]
    assert before.status is None and before.candidates == (None,)


def test_signing_the_framework_carries_out_its_terms(
    seed: tt.Scenario, signed: tt.Scenario
) -> None:
    nov2 = W("2025-11-02[America/New_York]")
    view = signed.at(nov2)
    assert view.negotiations["us-cn-talks"].status is N.SIGNED
    assert view.measures["us-100pct-tariff"].status is M.PAUSED
    assert view.measures["cn-soybean-purchases"].status is M.IN_FORCE
    rare_earths = view.measures["cn-rare-earth-controls"]
    assert rare_earths.status is M.SCHEDULED
    assert rare_earths.terms is not None
    assert str(rare_earths.terms.effective) == "2026-11~[Asia/Shanghai]"
    assert view.deadlines["us-tariff-effective"].status is D.CANCELLED
    assert view.deadlines["framework-signing"].status is D.MET
    truce = view.deadlines["truce-expiry"]
    assert truce.status is D.EXTENDED and str(truce.due) == "2025-11-11/..[America/New_York]"
    # Each carried-out term cites the signing.
    tariff = signed.measure("us-100pct-tariff")
    assert tariff.history[-1].source == WHAT_IF.id and tariff.history[-1].at == SIGNED_AT
    # The seed itself is unchanged.
    assert seed.at(nov2).measures["us-100pct-tariff"].status is M.PROPOSED
    changed = {c.entity for c in seed.at(nov2).diff(view)}
    assert {"us-100pct-tariff", "truce-expiry", "us-cn-talks", "us-truce-suspended"} <= changed
    # The held-back measures stay paused, now until further notice: an extension.
    held_back = view.measures["us-truce-suspended"]
    assert held_back.status is M.PAUSED
    assert held_back.suspension is not None and held_back.suspension.until is None
    extension = signed.measure("us-truce-suspended").history[-1]
    assert extension.is_amendment and extension.source == WHAT_IF.id


def test_after_signing_the_truce_outlives_november_10(signed: tt.Scenario) -> None:
    later = signed.advance(W("2025-11-30[America/New_York]"))
    view = later.at(W("2025-11-30[America/New_York]"))
    assert view.deadlines["truce-expiry"].status is D.EXTENDED  # no end date: never certainly due
    assert view.measures["us-truce-suspended"].status is M.PAUSED
    assert view.measures["us-100pct-tariff"].status is M.PAUSED


def test_if_nothing_is_signed_by_november_10_the_truce_lapses(seed: tt.Scenario) -> None:
    during = seed.advance(W("2025-11-10T12:00:00-05:00[America/New_York]"))
    assert during.deadline("truce-expiry").status is D.PENDING  # its day is not over yet
    assert during.measure("us-100pct-tariff").status is M.IN_FORCE  # 1 November has passed

    # Recorded only, the day after: the suspensions have ended, and nothing says what followed.
    nov11 = W("2025-11-11[America/New_York]")
    held_back = seed.at(nov11).measures["us-truce-suspended"]
    assert not held_back.certain and held_back.candidates == (M.PAUSED, M.IN_FORCE)
    assert held_back.reasons() == (
        "suspension ended 2025-11-10[America/New_York]; no extension or end recorded",
    )
    # Projected, they are back.
    after = seed.advance(nov11)
    view = after.at(nov11)
    assert view.deadlines["truce-expiry"].status is D.MISSED
    assert view.measures["us-truce-suspended"].status is M.IN_FORCE
    assert view.measures["cn-truce-suspended"].status is M.IN_FORCE
    assert view.measures["us-100pct-tariff"].status is M.IN_FORCE
    assert view.measures["us-truce-suspended"].projected
    fired = after.measure("us-truce-suspended").history[-1]
    assert fired.evidence is tt.Evidence.PROJECTED
    assert fired.at == W("2025-11-10[America/New_York]")  # exactly as precise as the suspension
    projection = seed.at(nov11, project=True)
    assert projection.projected and projection.diff(view) == ()
    # The talks themselves are left as they were.
    assert view.negotiations["us-cn-talks"].status is N.PRELIMINARY_CONSENSUS
