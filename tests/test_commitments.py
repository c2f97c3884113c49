"""Purchase commitments: targets per period, reported deliveries, and fulfilment derived from
them at a valid time and as known at a recorded time."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tradetruce as tt
from tradetruce import Bound, Commitment, Delivery, Evidence, Fulfilment, Quantity, Target, When
from tradetruce.strategies import commitments, deliveries, times

SH = "Asia/Shanghai"


def tonnes(amount: str, bound: Bound = Bound.EXACTLY) -> Quantity:
    return Quantity.of(amount, "tonne", commodity="soybeans", bound=bound)


def soybeans(*delivered: Delivery) -> Commitment:
    """At least 12 million tonnes by the end of 2025, then at least 25 million tonnes in each
    of 2026, 2027 and 2028."""
    first = Target(
        period=When.parse(f"2025-10-30/2025-12-31[{SH}]"),
        quantity=tonnes("12000000", Bound.AT_LEAST),
    )
    later = tuple(
        Target(period=When.parse(f"{year}[{SH}]"), quantity=tonnes("25000000", Bound.AT_LEAST))
        for year in (2026, 2027, 2028)
    )
    return Commitment(targets=(first, *later), deliveries=delivered)


def delivery(at: str, amount: str, **kwargs: object) -> Delivery:
    return Delivery(at=When.parse(at), quantity=tonnes(amount), source="usda", **kwargs)  # type: ignore[arg-type]


def statuses(c: Commitment, t: str, **kwargs: object) -> list[str]:
    return [r.status.value for r in c.fulfilment(t, **kwargs)]  # type: ignore[arg-type]


def test_a_target_is_pending_while_its_period_runs_and_met_once_deliveries_reach_it() -> None:
    c = soybeans(delivery(f"2025-11-20[{SH}]", "4000000"), delivery(f"2025-12-10[{SH}]", "9000000"))
    assert statuses(c, f"2025-12-01[{SH}]") == ["pending"] * 4
    assert statuses(c, f"2025-12-11[{SH}]") == ["met", "pending", "pending", "pending"]
    first = c.fulfilment(f"2025-12-11[{SH}]")[0]
    assert (first.low, first.high) == (Decimal("13000000"), Decimal("13000000"))
    assert c.overall(f"2025-12-11[{SH}]") is Fulfilment.PENDING


def test_a_floor_not_reached_when_its_period_ends_is_missed_and_the_whole_commitment_with_it() -> (
    None
):
    c = soybeans(delivery(f"2025-11-20[{SH}]", "4000000"))
    assert statuses(c, f"2026-01-01T00:00:01+08:00[{SH}]")[0] == "missed"
    assert c.overall(f"2026-01-02[{SH}]") is Fulfilment.MISSED


def test_a_delivery_whose_vague_time_straddles_the_period_end_makes_the_target_uncertain() -> None:
    # "About the end of December": it may fall in 2025 or in 2026.
    c = soybeans(
        delivery(f"2025-11-20[{SH}]", "10000000"),
        delivery(f"2025-12-25/2026-01-05[{SH}]", "3000000"),
    )
    reading = c.fulfilment(f"2026-02-01[{SH}]")
    assert reading[0].status is Fulfilment.UNCERTAIN
    assert (reading[0].low, reading[0].high) == (Decimal("10000000"), Decimal("13000000"))
    assert reading[0].possible == (c.deliveries[1],)
    # The same delivery counts only possibly toward 2026 too: never twice for certain.
    assert reading[1].high - reading[1].low == Decimal("3000000")


def test_disputed_and_projected_deliveries_count_only_possibly() -> None:
    disputed = delivery(f"2025-11-20[{SH}]", "12000000", disputed_by="cn")
    projected = delivery(f"2025-11-21[{SH}]", "12000000", evidence=Evidence.PROJECTED)
    for d in (disputed, projected):
        reading = soybeans(d).fulfilment(f"2026-02-01[{SH}]")[0]
        assert reading.status is Fulfilment.UNCERTAIN, d
        assert (reading.low, reading.high) == (Decimal(0), Decimal("12000000"))
    claimed = delivery(f"2025-11-20[{SH}]", "12000000", evidence=Evidence.CLAIMED, claimed_by="us")
    assert soybeans(claimed).fulfilment(f"2026-02-01[{SH}]")[0].status is Fulfilment.MET


def test_a_ceiling_is_missed_as_soon_as_it_is_passed_and_met_only_when_its_period_ends() -> None:
    quota = Commitment(
        targets=(Target(period=When.parse(f"2026[{SH}]"), quantity=tonnes("100", Bound.AT_MOST)),),
        deliveries=(delivery(f"2026-03-01[{SH}]", "60"),),
    )
    assert quota.overall(f"2026-06-01[{SH}]") is Fulfilment.PENDING
    assert quota.overall(f"2027-01-02[{SH}]") is Fulfilment.MET
    # A second delivery in June passes the ceiling: missed at once, months before the end.
    passed = attrs.evolve(
        quota, deliveries=(*quota.deliveries, delivery(f"2026-06-01[{SH}]", "50"))
    )
    assert passed.overall(f"2026-06-02[{SH}]") is Fulfilment.MISSED
    assert quota.fulfilment(f"2026-06-02[{SH}]")[0].status is Fulfilment.PENDING


def test_an_exact_amount_is_met_only_by_exactly_that_amount() -> None:
    exact = Target(period=When.parse(f"2026[{SH}]"), quantity=tonnes("100"))
    for amounts, expected in (
        (("100",), "met"),
        (("40", "50"), "missed"),
        (("60", "50"), "missed"),
    ):
        c = Commitment(
            targets=(exact,),
            deliveries=tuple(delivery(f"2026-03-0{i + 1}[{SH}]", a) for i, a in enumerate(amounts)),
        )
        assert statuses(c, f"2027-01-02[{SH}]") == [expected], amounts


def test_only_deliveries_recorded_by_the_knowledge_time_count() -> None:
    late = delivery(f"2025-12-10[{SH}]", "9000000", recorded=When.parse(f"2026-01-20[{SH}]"))
    c = soybeans(delivery(f"2025-11-20[{SH}]", "4000000"), late)
    assert statuses(c, f"2026-02-01[{SH}]", known_at=f"2026-01-10[{SH}]")[0] == "missed"
    assert statuses(c, f"2026-02-01[{SH}]", known_at=f"2026-01-21[{SH}]")[0] == "met"
    assert statuses(c, f"2026-02-01[{SH}]")[0] == "met"


def _scenario(*delivered: Delivery) -> tt.Scenario:
    measure = tt.Measure.propose(
        id="cn-soy",
        kind=tt.MeasureKind.PURCHASE_COMMITMENT,
        imposed_by="cn",
        targets=("us",),
        at=f"2025-10-30[{SH}]",
        source="usda",
        commitment=soybeans(*delivered),
    )
    return tt.Scenario(
        sources=(
            tt.Source(id="usda", title="Export sales", published=When.parse(f"2026-01-15[{SH}]")),
        ),
        parties=(
            tt.Party(id="us", name="United States", kind=tt.PartyKind.STATE),
            tt.Party(id="cn", name="China", kind=tt.PartyKind.STATE),
        ),
        measures=(measure,),
    )


def test_a_scenario_reads_a_delivery_as_known_when_its_source_was_published() -> None:
    s = _scenario(delivery(f"2025-11-20[{SH}]", "12000000"))
    before = s.fulfilment("cn-soy", f"2026-01-10[{SH}]", known_at=f"2026-01-10[{SH}]")
    after = s.fulfilment("cn-soy", f"2026-01-10[{SH}]", known_at=f"2026-01-16[{SH}]")
    assert (before[0].status, after[0].status) == (Fulfilment.MISSED, Fulfilment.MET)


def test_a_delivery_citing_an_unknown_source_or_party_is_refused_with_its_path() -> None:
    bad = delivery(f"2025-11-20[{SH}]", "1", disputed_by="eu")
    with pytest.raises(tt.InvalidDataError) as info:
        _scenario(attrs.evolve(bad, source="nowhere"))
    paths = [p.path for p in info.value.problems]
    assert paths == [
        "$.measures[0].commitment.deliveries[0].source",
        "$.measures[0].commitment.deliveries[0].disputed_by",
    ], paths


def test_a_commitment_rides_only_on_a_purchase_commitment_in_one_unit_counted_once() -> None:
    measure = _scenario().measure("cn-soy")
    with pytest.raises(tt.InvalidValueError, match="a tariff carries no commitment"):
        attrs.evolve(measure, kind=tt.MeasureKind.TARIFF)
    with pytest.raises(tt.InvalidValueError, match="not in the commitment's unit"):
        soybeans(
            Delivery(at=When.parse(f"2025-11[{SH}]"), quantity=Quantity.of("1", "USD"), source="s")
        )
    with pytest.raises(tt.InvalidValueError, match="counted per year"):
        Target(
            period=When.parse(f"2026[{SH}]"),
            quantity=Quantity.of("1", "tonne", per=tt.Period.YEAR),
        )
    with pytest.raises(tt.InvalidValueError, match="at least one target"):
        Commitment(targets=())
    with pytest.raises(tt.InvalidValueError, match="claimed_by"):
        delivery(f"2025-11[{SH}]", "1", evidence=Evidence.CLAIMED)
    with_one = measure.with_delivery(delivery(f"2025-11-20[{SH}]", "5"))
    assert with_one.commitment is not None and len(with_one.commitment.deliveries) == 1


def test_a_commitment_round_trips_through_every_reader_and_its_bound_is_checked() -> None:
    s = _scenario(
        delivery(f"2025-11-20[{SH}]", "4000000", disputed_by="cn", note="contested tally"),
        delivery(f"2025-12[{SH}]", "9000000", evidence=Evidence.CLAIMED, claimed_by="us"),
    )
    assert tt.from_json(tt.to_json(s), tt.Scenario) == s
    assert tt.from_toml(tt.to_toml(s), tt.Scenario) == s
    doc = tt.to_dict(s)
    assert doc["measures"][0]["commitment"]["targets"][0]["quantity"]["bound"] == "at_least"
    doc["measures"][0]["commitment"]["targets"][0]["quantity"]["bound"] = "roughly"
    readers: list[Callable[[], object]] = [
        lambda: tt.from_dict(doc, tt.Scenario),
        lambda: tt.from_json(json.dumps(doc), tt.Scenario),
    ]
    for read in readers:
        with pytest.raises(tt.InvalidDataError) as info:
            read()
        found = [(p.path, p.allowed) for p in info.value.problems]
        assert any(
            path == "$.measures[0].commitment.targets[0].quantity.bound" and "at_least" in allowed
            for path, allowed in found
        ), found
    schema = tt.json_schema(tt.Scenario)["$defs"]
    assert schema["Quantity"]["properties"]["bound"]["enum"] == [b.value for b in Bound]
    assert {"Commitment", "Target", "Delivery"} <= set(schema)


# ---------------------------------------------------------------------------------- properties
@given(commitments(), times(), times(), times(), times())
def test_fulfilment_never_looks_ahead_and_a_met_floor_stays_met(
    c: Commitment, t1: When, t2: When, k1: When, k2: When
) -> None:
    # A time value stands for its last instant.
    (t1, t2), (k1, k2) = (sorted(pair, key=lambda w: w.hi_us) for pair in ((t1, t2), (k1, k2)))
    early = c.fulfilment(t1, known_at=k1)
    # As known at k1, the deliveries recorded later do not exist: the same reading as a
    # commitment that never had them.
    known = tuple(d for d in c.deliveries if (d.recorded or d.at).hi_us <= k1.hi_us)
    assert early == attrs.evolve(c, deliveries=known).fulfilment(t1, known_at=k1)
    late = c.fulfilment(t2, known_at=k2)
    for before, after in zip(early, late, strict=True):
        assert before.low <= before.high and after.low <= after.high
        assert before.low <= after.low, "what is certainly delivered never shrinks"
        if before.target.quantity.bound is Bound.AT_LEAST and before.status is Fulfilment.MET:
            assert after.status is Fulfilment.MET
        if before.target.quantity.bound is not Bound.AT_LEAST and (
            before.low > before.target.quantity.amount
        ):
            assert after.status is Fulfilment.MISSED, "a passed ceiling stays passed"


@given(commitments())
def test_knowing_everything_is_the_same_as_knowing_nothing_is_missing(c: Commitment) -> None:
    t = When.parse("2040-12-31[UTC]")
    assert c.fulfilment(t) == c.fulfilment(t, known_at=When.parse("2041-01-01[UTC]")) or any(
        (d.recorded or d.at).hi_us > When.parse("2041-01-01[UTC]").hi_us for d in c.deliveries
    )
    overall = c.overall(t)
    found = {r.status for r in c.fulfilment(t)}
    assert (overall is Fulfilment.MET) == (found == {Fulfilment.MET})
    assert (overall is Fulfilment.MISSED) == (Fulfilment.MISSED in found)


@given(
    st.builds(
        Commitment,
        targets=st.just(soybeans().targets),
        deliveries=st.lists(deliveries(), max_size=5).map(tuple),
    )
)
def test_a_measure_with_any_commitment_round_trips(c: Commitment) -> None:
    m = _scenario().measure("cn-soy")
    m = attrs.evolve(m, commitment=c)
    assert tt.from_json(tt.to_json(m), tt.Measure) == m
    assert tt.from_dict(tt.to_dict(m), tt.Measure) == m


@given(st.from_type(Commitment))
def test_st_from_type_draws_commitments(c: Commitment) -> None:
    assert c.targets and all(isinstance(t, Target) for t in c.targets)
