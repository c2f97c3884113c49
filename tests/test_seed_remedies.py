"""The shipped trade-remedy scenario: the EU's duties on Chinese BEVs, China's on EU brandy."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest

import tradetruce as tt
from tradetruce import Charges, MeasureStatus, Scenario
from tradetruce.cli import main

NAME = "eu-bev-cvd-and-china-brandy-ad"
CAR = "8703.80.10"
BRANDY = "2208.20"
M = MeasureStatus


@pytest.fixture(scope="module")
def seed() -> Scenario:
    return tt.load_seed(NAME)


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


def test_the_scenario_is_shipped_listed_and_loads_by_name(seed: Scenario) -> None:
    assert NAME in tt.list_seeds()
    assert {m.id for m in seed.measures} == {"eu-bev-cvd", "cn-brandy-ad"}
    assert all(m.lifecycle is tt.REMEDY for m in seed.measures)


def test_both_cases_went_from_an_investigation_to_definitive_duties(seed: Scenario) -> None:
    bev, brandy = seed.measure("eu-bev-cvd"), seed.measure("cn-brandy-ad")
    assert [e.to for e in bev.history if not e.is_amendment] == [
        M.INITIATED,
        M.PROVISIONAL_SECURED,
        M.DEFINITIVE,
        M.INTERIM_REVIEW,
        M.DEFINITIVE,
    ]
    assert bev.status is brandy.status is M.DEFINITIVE
    assert bev.status_at("2024-01-01[Europe/Brussels]") is M.INITIATED
    assert brandy.status_at("2024-12-01[Asia/Shanghai]") is M.PROVISIONAL_SECURED
    assert tt.REMEDY_CHARGES[M.PROVISIONAL_SECURED] is Charges.SECURED


@pytest.mark.parametrize(
    ("producer", "total"),
    [("byd", "27.0"), ("geely", "28.8"), ("saic", "45.3"), ("tesla-shanghai", "17.8")],
)
def test_each_car_maker_pays_its_definitive_rate_on_top_of_the_base_rate(
    seed: Scenario, producer: str, total: str
) -> None:
    stack = seed.tariff_stack("fr", "cn", CAR, "2025-03-01[Europe/Brussels]", producer=producer)
    assert stack.low == stack.high == Decimal(total), str(stack)
    assert [x.measure for x in stack.layers] == ["eu-cars-duty", "eu-bev-cvd"]


def test_an_investigation_charges_nothing(seed: Scenario) -> None:
    stack = seed.tariff_stack("fr", "cn", CAR, "2024-06-20[Europe/Brussels]", producer="byd")
    assert stack.low == stack.high == Decimal(10), str(stack)


def test_provisional_duties_secured_by_guarantees_may_or_may_not_be_collected(
    seed: Scenario,
) -> None:
    day = "2024-08-01[Europe/Brussels]"
    stack = seed.tariff_stack("fr", "cn", CAR, day, day, producer="byd")
    (layer,) = stack.uncertain
    assert (layer.low, layer.rate.value) == (Decimal(0), Decimal("17.4"))
    assert "collected only if definitive duties follow" in layer.note
    assert (stack.low, stack.high) == (Decimal(10), Decimal("27.4"))


def test_the_accepted_undertaking_exempts_its_model_from_the_day_it_applies(
    seed: Scenario,
) -> None:
    def total(day: str) -> tuple[Decimal, Decimal]:
        s = seed.tariff_stack("fr", "cn", CAR, day, producer="vw-anhui-tavascan")
        return s.low, s.high

    assert total("2026-02-01[Europe/Brussels]") == (Decimal("30.7"), Decimal("30.7"))
    assert total("2026-03-01[Europe/Brussels]") == (Decimal(10), Decimal(10))
    # Volkswagen (Anhui)'s other imports still pay the cooperating producers' rate.
    other = seed.tariff_stack("fr", "cn", CAR, "2026-03-01[Europe/Brussels]", producer="vw-anhui")
    assert other.high == Decimal("30.7")


def test_brandy_deposits_then_duties_with_undertakings(seed: Scenario) -> None:
    deposit = seed.tariff_stack("cn", "fr", BRANDY, "2024-12-01[Asia/Shanghai]", producer="martell")
    (layer,) = deposit.uncertain
    assert (layer.low, layer.rate.value) == (Decimal(0), Decimal("30.6"))
    after = "2025-08-01[Asia/Shanghai]"
    for holder in ("martell", "hennessy", "remy-martin"):
        assert seed.tariff_stack("cn", "fr", BRANDY, after, producer=holder).high == 0
    others = seed.tariff_stack("cn", "fr", BRANDY, after, producer="brandy-cooperating")
    assert others.low == others.high == Decimal("32.2")
    terms = seed.measure("cn-brandy-ad").terms
    assert terms.scope is not None
    assert [e.holder for e in terms.scope.exemptions] == ["martell", "hennessy", "remy-martin"]


def test_the_official_rate_outranks_the_reported_one(seed: Scenario) -> None:
    day = "2024-12-01[Asia/Shanghai]"
    stack = seed.tariff_stack("cn", "fr", BRANDY, day, producer="brandy-cooperating")
    assert stack.high == Decimal("34.8")


def test_the_investigation_time_limit_was_extended_twice_then_met(seed: Scenario) -> None:
    d = seed.deadline("brandy-final-ruling")
    assert d.status is tt.DeadlineStatus.MET
    assert str(d.due_at("2025-05-01[Asia/Shanghai]")) == "2025-07-05[Asia/Shanghai]"


def test_each_source_is_cited_and_dated(seed: Scenario) -> None:
    cited = {e.source for m in seed.measures for e in m.history}
    assert cited <= {s.id for s in seed.sources}
    assert all(s.published is not None and s.title for s in seed.sources)


@pytest.mark.parametrize(
    "argv",
    [
        ("status", NAME, "--tz", "UTC"),
        ("timeline", NAME, "--tz", "UTC"),
        ("deadlines", NAME, "--tz", "UTC"),
        (
            "tariff",
            NAME,
            "--tz",
            "UTC",
            "--importer",
            "fr",
            "--exporter",
            "cn",
            "--product",
            CAR,
            "--producer",
            "byd",
            "--at",
            "2025-03-01[Europe/Brussels]",
        ),
    ],
    ids=lambda a: a[0],
)
def test_the_cli_answers_on_the_scenario(argv: tuple[str, ...]) -> None:
    code, text = run(*argv)
    assert code == 0, text
    assert "EU countervailing duties on Chinese BEVs" in text
    if argv[0] == "tariff":
        assert ": 27.0%" in text, text


def test_after_five_years_with_no_expiry_review_recorded_the_duties_may_have_expired(
    seed: Scenario,
) -> None:
    before = seed.tariff_stack(
        "eu", "cn", "8703.80.10", "2029-10-01[Europe/Brussels]", producer="byd"
    )
    after = seed.tariff_stack(
        "eu", "cn", "8703.80.10", "2029-12-01[Europe/Brussels]", producer="byd"
    )
    assert (before.low, before.high) == (Decimal("27.0"), Decimal("27.0"))
    assert (after.low, after.high) == (Decimal("10"), Decimal("27.0"))
    state = seed.at("2030-08-01[Asia/Shanghai]").measures["cn-brandy-ad"]
    assert not state.certain and MeasureStatus.EXPIRED in state.candidates
