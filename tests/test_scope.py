"""Scope: origins and products with exclusions, producer rates, exemptions, amended over time."""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from pathlib import Path

import attrs
import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from _engine_scenario import truce
from tradetruce import (
    Amount,
    Authority,
    BaseRate,
    Evidence,
    Exemption,
    ExemptionKind,
    HSCode,
    InvalidDataError,
    InvalidValueError,
    Measure,
    MeasureKind,
    MeasureStatus,
    Party,
    PartyKind,
    ProducerRate,
    Rate,
    Scenario,
    Scope,
    Source,
    SourceKind,
    StackingRule,
    Terms,
    UnknownEntityError,
    When,
    from_json,
    from_toml,
    to_json,
)
from tradetruce.model.history import recorded_time
from tradetruce.strategies import hs_codes, scenarios, times
from tradetruce.values.when import to_us

BEV = Path(__file__).parent / "data" / "scenarios" / "eu-bev-cvd.toml"
LINE = "8703.80.10"


def bev() -> Scenario:
    return from_toml(BEV.read_text("utf-8"), Scenario)


def paris(year: int, month: int, day: int, hour: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(year, month, day, hour, tz="Europe/Paris")


# ------------------------------------------------------------------ the EU's duties on Chinese BEVs
@pytest.mark.parametrize(
    ("producer", "total"),
    [
        ("byd", "27.0"),
        ("geely", "28.8"),
        ("saic", "45.3"),
        ("tesla-shanghai", "17.8"),
        ("nio", "30.7"),  # another cooperating producer: the group's rate
    ],
)
def test_each_producer_pays_its_definitive_rate_on_top_of_the_cars_duty(
    producer: str, total: str
) -> None:
    s = bev()
    stack = s.tariff_stack("eu", "cn", LINE, paris(2025, 3, 1), producer=producer)
    assert stack.layers and not stack.uncertain, str(stack)
    assert stack.low == stack.high == Decimal(total), str(stack)
    assert [x.measure for x in stack.layers] == ["eu-cars-duty", "eu-bev-cvd"]


def test_a_producer_the_regulation_does_not_name_pays_the_residual_rate() -> None:
    s = bev().replace(Party(id="maker", name="A maker not named", kind=PartyKind.COMPANY))
    stack = s.tariff_stack("eu", "cn", LINE, paris(2025, 3, 1), producer="maker")
    assert stack.low == stack.high == Decimal("45.3")


def test_a_french_importer_gets_the_same_answer_as_the_eu() -> None:
    s = bev()
    for producer in ("byd", "geely", "saic", "tesla-shanghai", "nio", None):
        into_eu = s.tariff_stack("eu", "cn", LINE, paris(2025, 3, 1), producer=producer)
        into_fr = s.tariff_stack("fr", "cn", LINE, paris(2025, 3, 1), producer=producer)
        assert (into_fr.layers, into_fr.uncertain) == (into_eu.layers, into_eu.uncertain)


def test_without_a_producer_the_stack_spans_every_rate_a_producer_may_pay() -> None:
    stack = bev().tariff_stack("eu", "cn", LINE, paris(2025, 3, 1))
    assert (stack.low, stack.high) == (Decimal("17.8"), Decimal("45.3"))
    (layer,) = stack.uncertain
    assert layer.measure == "eu-bev-cvd" and layer.note == "depends on the producer"
    # The residual rate is never stacked onto a named producer's own.
    assert bev().tariff_stack("eu", "cn", LINE, paris(2025, 3, 1), producer="byd").high == 27


def test_the_duty_does_not_reach_other_origins_or_other_products() -> None:
    s = bev().replace(Party(id="kr", name="Korea", kind=PartyKind.STATE, jurisdiction="KR"))
    assert s.tariff_stack("eu", "kr", LINE, paris(2025, 3, 1)).high == 10
    assert s.tariff_stack("eu", "cn", "8703.80.90", paris(2025, 3, 1)).high == 10
    assert s.tariff_stack("eu", "cn", "8704", paris(2025, 3, 1)).layers == ()


def test_a_rate_change_dated_by_a_whole_day_is_pending_all_that_day() -> None:
    s = bev()
    noon = s.tariff_stack("eu", "cn", LINE, paris(2024, 10, 30, 12), producer="byd")
    assert (noon.low, noon.high) == (Decimal("27.0"), Decimal("27.4")), str(noon)
    after = s.tariff_stack("eu", "cn", LINE, paris(2024, 10, 31, 12), producer="byd")
    assert after.low == after.high == Decimal("27.0")


def test_tesla_had_the_cooperating_groups_rate_before_its_own_was_set() -> None:
    s = bev()
    stack = s.tariff_stack("eu", "cn", LINE, paris(2024, 9, 1), producer="tesla-shanghai")
    assert stack.low == stack.high == Decimal("30.8")


def test_a_stack_as_known_before_the_definitive_rates_uses_the_provisional_scope() -> None:
    s = bev()
    at = paris(2025, 3, 1)
    known = paris(2024, 9, 1)
    assert s.tariff_stack("eu", "cn", LINE, at, known, producer="byd").high == Decimal("27.4")
    # Tesla's own rate was not yet recorded: it then belonged with the cooperating producers.
    then = s.tariff_stack("eu", "cn", LINE, at, known, producer="tesla-shanghai")
    assert then.high == Decimal("30.8")
    assert s.tariff_stack("eu", "cn", LINE, at, producer="tesla-shanghai").high == Decimal("17.8")


def test_a_producer_with_an_accepted_undertaking_is_exempt_once_it_applies() -> None:
    s = bev()
    before = s.tariff_stack("eu", "cn", LINE, paris(2026, 2, 1), producer="vw-anhui")
    assert before.low == before.high == Decimal("30.7")
    # Published on 10 February, in force that day or the next: uncertain until the 12th.
    during = s.tariff_stack("eu", "cn", LINE, paris(2026, 2, 11, 12), producer="vw-anhui")
    assert (during.low, during.high) == (Decimal("10"), Decimal("30.7"))
    after = s.tariff_stack("eu", "cn", LINE, paris(2026, 3, 1), producer="vw-anhui")
    assert after.low == after.high == Decimal("10")
    # Anyone else may now hold the undertaking or not: the CVD may not apply at all.
    unknown = s.tariff_stack("eu", "cn", LINE, paris(2026, 3, 1))
    assert (unknown.low, unknown.high) == (Decimal("10"), Decimal("45.3"))


def test_each_layer_names_its_authority_and_instrument_and_can_be_selected_by_it() -> None:
    stack = bev().tariff_stack("eu", "cn", LINE, paris(2025, 3, 1), producer="byd")
    assert [(x.authority, x.instrument) for x in stack.layers] == [
        (Authority.CUSTOMS_TARIFF, "Regulation (EU) 2023/2364"),
        (Authority.COUNTERVAILING, "Regulation (EU) 2024/2754"),
    ]
    assert [x.measure for x in stack.under(Authority.COUNTERVAILING)] == ["eu-bev-cvd"]
    assert stack.under(Authority.SECTION_301, Authority.IEEPA) == ()
    # Uncertain layers are selected too.
    unknown = bev().tariff_stack("eu", "cn", LINE, paris(2025, 3, 1))
    assert [x.measure for x in unknown.under(Authority.COUNTERVAILING)] == ["eu-bev-cvd"]


# -------------------------------------------------------------------------------- base rates
def test_the_base_rate_is_the_bottom_layer_and_names_its_instrument() -> None:
    stack = bev().tariff_stack("fr", "cn", LINE, paris(2025, 3, 1), producer="byd")
    base = stack.layers[0]
    assert (base.measure, base.base, base.rate) == ("eu-cars-duty", True, Rate.percent("10"))
    assert (base.authority, base.instrument) == (
        Authority.CUSTOMS_TARIFF,
        "Regulation (EU) 2023/2364",
    )
    assert [x.base for x in stack.layers] == [True, False]


def test_the_finest_base_rate_that_applies_wins() -> None:
    s = bev()
    line = BaseRate(
        id="bev-line",
        importer="eu",
        product=HSCode(LINE),
        rate=Rate.percent("5"),  # an illustrative rate, finer than the 8703 heading's
        source="cn-2024",
        end=When.parse("2025-01-01[Europe/Brussels]"),
    )
    s = attrs.evolve(s, base_rates=(*s.base_rates, line))
    before = s.tariff_stack("eu", "cn", LINE, paris(2024, 12, 1), producer="byd")
    assert before.layers[0].measure == "bev-line" and before.low == Decimal("22.0")
    # On the day it ends it may or may not have; after, the heading's rate is back.
    day = s.tariff_stack("eu", "cn", LINE, paris(2025, 1, 1, 12), producer="byd")
    assert (day.low, day.high) == (Decimal("17.0"), Decimal("22.0")), str(day)
    after = s.tariff_stack("eu", "cn", LINE, paris(2025, 3, 1), producer="byd")
    assert after.layers[0].measure == "eu-cars-duty" and after.low == Decimal("27.0")
    # Another product under the heading never had the line's rate.
    other = s.tariff_stack("eu", "cn", "8703.80.90", paris(2024, 12, 1))
    assert other.layers[0].measure == "eu-cars-duty"


def test_a_base_rate_starting_on_a_whole_day_is_uncertain_that_day() -> None:
    stack = bev().tariff_stack("eu", "cn", "8703.21", paris(2024, 1, 1, 12))
    (layer,) = stack.uncertain
    assert layer.base and (stack.low, stack.high) == (Decimal("0"), Decimal("10"))


def test_a_base_rate_counts_only_once_recorded() -> None:
    s = bev()
    at, known = paris(2024, 6, 1), paris(2023, 10, 1)
    assert s.tariff_stack("eu", "cn", "8703.21", at, known).layers == ()
    assert s.tariff_stack("eu", "cn", "8703.21", at).high == Decimal("10")
    assert s.as_known_at(known).base_rates == ()


def test_base_rates_round_trip_and_a_bad_reference_names_its_path() -> None:
    s = bev()
    assert from_json(to_json(s), Scenario) == s
    text = BEV.read_text("utf-8").replace('importer = "eu"\nproduct', 'importer = "eeu"\nproduct')
    with pytest.raises(InvalidDataError, match=r"\$\.base_rates\[0\]\.importer"):
        from_toml(text, Scenario)
    with pytest.raises(InvalidValueError, match="before start"):
        BaseRate(
            id="x",
            importer="eu",
            product=HSCode("8703"),
            rate=Rate.percent("10"),
            source="cn-2024",
            start=When.parse("2025-01-01[UTC]"),
            end=When.parse("2024-01-01[UTC]"),
        )


def test_a_producer_that_is_not_a_party_is_refused() -> None:
    with pytest.raises(UnknownEntityError):
        bev().tariff_stack("eu", "cn", LINE, paris(2025, 3, 1), producer="nobody")


def test_a_scope_that_names_an_unknown_party_is_refused_with_its_path() -> None:
    text = BEV.read_text("utf-8").replace('producer = "geely"', 'producer = "geeely"', 1)
    with pytest.raises(InvalidDataError) as caught:
        from_toml(text, Scenario)
    assert "$.measures[0].history[1].terms.scope.producers[1].producer" in str(caught.value)
    assert "geeely" in str(caught.value)


# ----------------------------------------------------------- origins and products left out, in time
def _us() -> Scenario:
    """A duty on every origin but two, and a duty with a product exclusion that is extended."""
    s = truce()
    parties = [
        Party(id=id, name=name, kind=PartyKind.STATE, jurisdiction=id.upper())
        for id, name in (("ca", "Canada"), ("mx", "Mexico"), ("jp", "Japan"))
    ]
    notices = [
        Source(id=id, title=title, kind=SourceKind.LEGAL_TEXT, published=When.parse(day))
        for id, title, day in (
            ("n-grant", "exclusions granted", "2024-05-31[America/New_York]"),
            ("n-extend", "exclusions extended", "2025-05-30[America/New_York]"),
        )
    ]
    everyone = Measure.propose(
        id="us-all-but-two",
        kind=MeasureKind.TARIFF,
        imposed_by="us",
        at="2025-03-01[America/New_York]",
        source="wh",
    ).transition(
        MeasureStatus.IN_FORCE,
        at="2025-04-05T00:01:00-04:00[America/New_York]",
        source="wh",
        terms=Terms(rate=Rate.percent("10"), scope=Scope(excluded_origins=("ca", "mx"))),
    )
    listed = Scope(origins=("cn",), products=(HSCode("84"),))
    excluded = attrs.evolve(listed, excluded_products=(HSCode("8414.51.00"),))
    duty = (
        Measure.propose(
            id="us-list-3",
            kind=MeasureKind.TARIFF,
            imposed_by="ustr",
            at="2018-07-01[America/New_York]",
            source="wh",
        )
        .transition(
            MeasureStatus.IN_FORCE,
            at="2018-09-24[America/New_York]",
            source="wh",
            terms=Terms(rate=Rate.percent("25"), scope=listed),
        )
        .amend(at="2024-06-01[America/New_York]", source="n-grant", scope=excluded)
        # Granted until 31 May 2025: the exclusion ends on 1 June, as the grant says...
        .amend(at="2025-06-01[America/New_York]", source="n-grant", scope=listed)
    )
    # ...until a later notice keeps it: another claim about the same change, recorded later.
    kept = attrs.evolve(
        duty.history[-1],
        source="n-extend",
        terms=attrs.evolve(duty.history[-1].terms or Terms(), scope=excluded),
        evidence=Evidence.OFFICIAL,
    )
    duty = attrs.evolve(duty, history=(*duty.history, kept))
    return s.replace(*parties, *notices, everyone, duty)


def test_an_excluded_origin_does_not_get_the_layer_and_every_other_origin_does() -> None:
    s = _us()
    at = pendulum.datetime(2025, 6, 15, tz="America/New_York")
    for origin, expected in (("ca", False), ("mx", False), ("jp", True), ("kr", True)):
        layers = [x.measure for x in s.tariff_stack("us", origin, "9401", at).layers]
        assert ("us-all-but-two" in layers) is expected, (origin, layers)


def test_an_excluded_product_does_not_pay_and_its_extension_counts_from_when_recorded() -> None:
    s = _us()
    at = pendulum.datetime(2025, 6, 15, tz="America/New_York")
    fan = "8414.51.00.90"

    def layer_ids(known_at: pendulum.DateTime | None) -> list[str]:
        stack = s.tariff_stack("us", "cn", fan, at, known_at)
        return [x.measure for x in (*stack.layers, *stack.uncertain)]

    assert "us-list-3" in [x.measure for x in s.tariff_stack("us", "cn", "8414.59", at).layers]
    # As known on 20 May 2025, the exclusion ended on 1 June; as known now, it was extended.
    assert "us-list-3" in layer_ids(pendulum.datetime(2025, 5, 20, tz="America/New_York"))
    assert "us-list-3" not in layer_ids(None)
    during = pendulum.datetime(2025, 3, 1, tz="America/New_York")
    assert "us-list-3" not in [x.measure for x in s.tariff_stack("us", "cn", fan, during).layers]


# ----------------------------------------------------------------------------------- amounts
def test_the_duty_in_money_for_a_customs_value_has_the_stacks_bounds() -> None:
    s = bev()
    byd = s.tariff_stack("eu", "cn", LINE, paris(2025, 3, 1), producer="byd")
    assert byd.amount("40000", "EUR") == Amount(
        currency="EUR", low=Decimal("10800.0"), high=Decimal("10800.0")
    )
    anyone = s.tariff_stack("eu", "cn", LINE, paris(2025, 3, 1))
    assert str(anyone.amount(40000, "EUR")) == "7120.0 to 18120.0 EUR"
    with pytest.raises(InvalidValueError, match="not a Decimal"):
        anyone.amount(40000.0, "EUR")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="non-negative"):
        anyone.amount("-1", "EUR")
    for loose in (" 40000 ", "40_000", "\u0664\u0660"):  # read as rates are: ASCII digits only
        with pytest.raises(InvalidValueError, match="not a finite decimal"):
            anyone.amount(loose, "EUR")


def test_a_duty_per_unit_needs_a_quantity_and_its_own_currency() -> None:
    s = bev()
    per_vehicle = Measure.propose(
        id="per-vehicle",
        kind=MeasureKind.TARIFF,
        imposed_by="eu",
        at="2024-07-04[Europe/Brussels]",
        source="reg-2024-1866",
        targets=("cn",),
        rate=Rate.specific("1000", currency="EUR", per="vehicle"),  # illustrative
    ).transition(MeasureStatus.IN_FORCE, at="2024-10-30[Europe/Brussels]", source="reg-2024-2754")
    stack = s.replace(per_vehicle).tariff_stack("eu", "cn", LINE, paris(2025, 3, 1), producer="byd")
    assert stack.amount("40000", "EUR", quantity=2).low == Decimal("12800.0")
    with pytest.raises(InvalidValueError, match="needs a quantity"):
        stack.amount("40000", "EUR")
    with pytest.raises(InvalidValueError, match="no currency conversion"):
        stack.amount("40000", "USD", quantity=2)


# ---------------------------------------------------------------------------- stacking rules
def _stacked() -> Scenario:
    """US duties on Chinese goods in the shape of 2025 practice: a reciprocal IEEPA duty, an
    IEEPA fentanyl duty and a Section 232 duty on steel, and the rule that a good under the 232
    duty does not also pay the reciprocal one (rates illustrative)."""
    s = truce()
    notice = Source(
        id="rule-notice",
        title="stacking notice",
        kind=SourceKind.LEGAL_TEXT,
        published=When.parse("2025-04-01[America/New_York]"),
    )

    def duty(id: str, rate: str, authority: Authority, products: tuple[str, ...]) -> Measure:
        return Measure.propose(
            id=id,
            kind=MeasureKind.TARIFF,
            imposed_by="us",
            at="2025-03-01[America/New_York]",
            source="wh",
            targets=("cn",),
            products=tuple(HSCode(p) for p in products),
        ).transition(
            MeasureStatus.IN_FORCE,
            at="2025-04-05T00:01:00-04:00[America/New_York]",
            source="wh",
            terms=Terms(rate=Rate.percent(rate), authority=authority),
        )

    rule = StackingRule(
        id="232-over-reciprocal",
        importer="us",
        source="rule-notice",
        excluded=("us-reciprocal",),
        by_authorities=(Authority.SECTION_232,),
    )
    measures = [
        duty("us-reciprocal", "34", Authority.IEEPA, ()),
        duty("us-232-steel", "50", Authority.SECTION_232, ("72",)),
    ]
    return attrs.evolve(s.replace(notice, *measures), stacking_rules=(rule,))


def test_a_section_232_layer_pre_empts_the_reciprocal_layer_and_the_stack_says_so() -> None:
    s = _stacked()
    at = pendulum.datetime(2025, 6, 1, tz="America/New_York")
    steel = s.tariff_stack("us", "cn", "7208", at)
    ids = [x.measure for x in steel.layers]
    assert "us-232-steel" in ids and "us-reciprocal" not in ids, str(steel)
    (gone,) = steel.excluded
    assert gone.measure == "us-reciprocal"
    assert gone.note == "pre-empted by us-232-steel (232-over-reciprocal)"
    assert (
        "  - 34% us-reciprocal [pre-empted by us-232-steel (232-over-reciprocal)] (excluded)"
        in (str(steel))
    )
    # Goods under no 232 duty pay the reciprocal one.
    phones = s.tariff_stack("us", "cn", "8517", at)
    assert "us-reciprocal" in [x.measure for x in phones.layers] and phones.excluded == ()
    # Fentanyl 20% + 232 50% on steel; fentanyl 20% + 301 25% + reciprocal 34% on phones.
    assert (steel.high, phones.high) == (Decimal("70"), Decimal("79"))


def test_a_layer_that_may_be_pre_empted_may_add_nothing() -> None:
    s = _stacked()
    cut = s.measure("us-232-steel").amend(
        at="2025-06[America/New_York]", source="wh", rate=Rate.percent("50"), expires=None
    )
    withdrawn = cut.transition(MeasureStatus.WITHDRAWN, at="2025-06[America/New_York]", source="wh")
    s = s.replace(withdrawn)
    at = pendulum.datetime(2025, 6, 15, tz="America/New_York")
    stack = s.tariff_stack("us", "cn", "7208", at)
    reciprocal = next(x for x in stack.uncertain if x.measure == "us-reciprocal")
    assert reciprocal.low == 0 and reciprocal.rate == Rate.percent("34")
    assert reciprocal.note.startswith("may be pre-empted by us-232-steel")


def test_a_stacking_rule_counts_only_once_recorded_and_names_what_it_refers_to() -> None:
    s = _stacked()
    late = attrs.evolve(s.stacking_rules[0], recorded=When.parse("2025-12-01[UTC]"))
    s = attrs.evolve(s, stacking_rules=(late,))
    at = pendulum.datetime(2025, 6, 1, tz="America/New_York")
    known = pendulum.datetime(2025, 11, 15, tz="UTC")  # the duties known, the rule not yet
    before = s.tariff_stack("us", "cn", "7208", at, known)
    assert before.excluded == () and "us-reciprocal" in [x.measure for x in before.layers]
    assert s.tariff_stack("us", "cn", "7208", at).excluded != ()
    assert s.as_known_at(known).stacking_rules == ()
    assert from_json(to_json(s), Scenario) == s
    bad = attrs.evolve(s.stacking_rules[0], excluded=("us-nothing",))
    with pytest.raises(InvalidDataError, match=r"\$\.stacking_rules\[0\]\.excluded\[0\]"):
        attrs.evolve(s, stacking_rules=(bad,))
    with pytest.raises(InvalidValueError, match="which layers exclude them"):
        StackingRule(id="r", importer="us", source="wh", excluded=("us-reciprocal",))


# ------------------------------------------------------------------------------- values and wire
def test_a_scope_round_trips_through_the_wire_format() -> None:
    terms = bev().measure("eu-bev-cvd").history[-1].terms
    assert terms is not None and terms.scope is not None
    assert from_json(to_json(terms), Terms) == terms
    assert terms.scope.exemptions == (
        Exemption(
            holder="vw-anhui",
            kind=ExemptionKind.UNDERTAKING,
            note="one model, at or above the minimum import price, within the annual quota",
        ),
    )


def test_a_scope_refuses_a_producer_named_twice_and_an_origin_both_in_and_out() -> None:
    twice = (
        ProducerRate(producer="byd", rate=Rate.percent("17")),
        ProducerRate(producer="byd", rate=Rate.percent("18")),
    )
    with pytest.raises(InvalidValueError, match="producers"):
        Scope(producers=twice)
    with pytest.raises(InvalidValueError, match="excluded_origins"):
        Scope(origins=("cn",), excluded_origins=("cn",))


def test_a_suspended_portion_must_be_part_of_each_producers_rate() -> None:
    scope = Scope(producers=(ProducerRate(producer="byd", rate=Rate.percent("5")),))
    m = Measure.propose(
        id="m", kind=MeasureKind.TARIFF, imposed_by="us", at="2025-01-01[UTC]", source="wh"
    ).transition(
        MeasureStatus.IN_FORCE,
        at="2025-01-02[UTC]",
        source="wh",
        terms=Terms(rate=Rate.percent("20"), scope=scope),
    )
    with pytest.raises(InvalidValueError, match="above the rate"):
        m.suspend(at="2025-02-01[UTC]", source="wh", portion=Rate.percent("10"))


# ------------------------------------------------------------------------------------ properties
_SETTINGS = settings(
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large], deadline=None
)


def _with_tariff(scenario: Scenario, data: st.DataObject) -> Scenario:
    """``scenario`` with one more tariff in force, whose scope (written in its terms, and
    amended once) names some of the scenario's parties, with exclusions and producer rates."""
    ids = [p.id for p in scenario.parties]
    some = st.lists(st.sampled_from(ids), unique=True, max_size=2).map(tuple)
    percent = st.integers(0, 500).map(lambda n: Rate.percent(Decimal(n) / 10))

    def scope() -> Scope:
        origins = data.draw(some)
        producers = data.draw(some)
        return Scope(
            origins=origins,
            excluded_origins=tuple(x for x in data.draw(some) if x not in origins),
            products=tuple(data.draw(st.lists(hs_codes(), max_size=2))),
            excluded_products=tuple(data.draw(st.lists(hs_codes(), max_size=1))),
            producers=tuple(ProducerRate(producer=x, rate=data.draw(percent)) for x in producers),
            residual=data.draw(st.none() | percent),
            exemptions=tuple(Exemption(holder=x) for x in data.draw(some) if x not in producers),
        )

    start = data.draw(
        st.datetimes(_dt.datetime(2000, 1, 1), _dt.datetime(2030, 1, 1), timezones=st.just(_dt.UTC))
    )
    day = _dt.timedelta(days=1)
    tariff = Measure.propose(
        id="tariff-with-scope",
        kind=MeasureKind.TARIFF,
        imposed_by=data.draw(st.sampled_from(ids)),
        at=start,
        source=scenario.sources[0].id,
        recorded=start,
    ).transition(
        MeasureStatus.IN_FORCE,
        at=start + day,
        source=scenario.sources[0].id,
        recorded=start + day,
        terms=Terms(rate=data.draw(percent), scope=scope()),
    )
    tariff = tariff.amend(
        at=start + 30 * day, source=scenario.sources[0].id, recorded=start + 20 * day, scope=scope()
    )
    scoped = [e.terms.scope for e in tariff.history if e.terms is not None and e.terms.scope]
    chapters = sorted({c.digits[:2] for x in scoped for c in x.products}) or ["01"]
    base = BaseRate(
        id="base",
        importer=tariff.imposed_by,
        product=HSCode(data.draw(st.sampled_from(chapters))),
        rate=data.draw(percent),
        source=scenario.sources[0].id,
        start=When.coerce(start + 10 * day),
        recorded=When.coerce(start + 40 * day),  # known well after it starts
    )
    # Any layer resting on an authority keeps the new tariff off, when the rule is drawn.
    rule = StackingRule(
        id="rule",
        importer=tariff.imposed_by,
        source=scenario.sources[0].id,
        excluded=(tariff.id,),
        by_authorities=tuple(Authority),
        recorded=When.coerce(start + 40 * day),
    )
    rules = (rule,) if data.draw(st.booleans()) else ()
    return attrs.evolve(scenario.replace(tariff), base_rates=(base,), stacking_rules=rules)


def _flow(scenario: Scenario, data: st.DataObject) -> tuple[str, str, HSCode, _dt.datetime]:
    """An importer, an exporter, a product and a moment where a tariff is likely to apply: the
    imposer of a tariff, one of its targets (or any party), one of its products, just after
    one of its entries that puts it in force (or any entry)."""
    ids = [p.id for p in scenario.parties]
    tariffs = [m for m in scenario.measures if m.kind is MeasureKind.TARIFF]
    if not tariffs:
        moment = data.draw(times()).upper
        pair = data.draw(st.sampled_from(ids)), data.draw(st.sampled_from(ids))
        return (*pair, data.draw(hs_codes()), moment)
    m = data.draw(st.sampled_from(tariffs))
    scoped = [e.terms.scope for e in m.history if e.terms is not None and e.terms.scope]
    named = [o for x in scoped for o in (*x.origins, *x.excluded_origins)]
    exporter = data.draw(st.sampled_from(named or list(m.targets) or ids))
    codes = [*m.products, *(c for x in scoped for c in (*x.products, *x.excluded_products))]
    product = data.draw(st.sampled_from(codes) if codes else hs_codes())
    applying = (MeasureStatus.IN_FORCE, MeasureStatus.PAUSED)
    entries = [e for e in m.history if e.to in applying] or list(m.history)
    entry = data.draw(st.sampled_from(entries))
    later = _dt.timedelta(days=data.draw(st.integers(0, 90)))
    base = entry.at.upper if entry.at.upper.year < 9000 else entry.at.lower  # open ranges
    return m.imposed_by, exporter, product, base + later


def _excluding(scenario: Scenario, origin: str | None, product: HSCode | None) -> Scenario:
    """``scenario`` with every scope written in every tariff's terms leaving out ``origin`` and
    ``product`` (terms without a scope get their measure's targets and products, plus the
    exclusion)."""
    changed = []
    for m in scenario.measures:
        history = []
        for entry in m.history:
            if entry.terms is not None:
                scope = entry.terms.scope or Scope(origins=m.targets, products=m.products)
                if origin is not None:
                    scope = attrs.evolve(
                        scope,
                        origins=tuple(o for o in scope.origins if o != origin),
                        excluded_origins=tuple(dict.fromkeys((*scope.excluded_origins, origin))),
                    )
                if product is not None:
                    scope = attrs.evolve(
                        scope, excluded_products=(*scope.excluded_products, product)
                    )
                entry = attrs.evolve(entry, terms=attrs.evolve(entry.terms, scope=scope))
            history.append(entry)
        changed.append(attrs.evolve(m, history=tuple(history)))
    return scenario.replace(*changed)


@_SETTINGS
@given(
    scenarios(max_parties=4, max_sources=2, max_measures=4, max_history=4),
    st.data(),
)
def test_an_excluded_origin_or_product_never_gets_the_layer(
    scenario: Scenario, data: st.DataObject
) -> None:
    scenario = _with_tariff(scenario, data)
    ids = [p.id for p in scenario.parties]
    importer, exporter, product, at = _flow(scenario, data)
    producer = data.draw(st.none() | st.sampled_from(ids))
    # The origin left out may be the exporter or a party above it.
    left_out = data.draw(st.sampled_from([p.id for p in scenario.lineage(exporter)]))
    for origin, code in ((left_out, None), (None, HSCode(product.digits[:2]))):
        s = _excluding(scenario, origin, code)
        stack = s.tariff_stack(importer, exporter, product, at, producer=producer)
        # Only the base rate is left: it is not a measure, and no measure's scope reaches it.
        assert [x for x in (*stack.layers, *stack.uncertain) if not x.base] == [], str(stack)


@_SETTINGS
@given(
    scenarios(max_parties=4, max_sources=2, max_measures=4, max_history=4),
    st.data(),
)
def test_the_bounds_hold_and_a_stack_as_known_at_k_uses_only_scope_recorded_by_k(
    scenario: Scenario, data: st.DataObject
) -> None:
    scenario = _with_tariff(scenario, data)
    ids = [p.id for p in scenario.parties]
    importer, exporter, product, at = _flow(scenario, data)
    producer = data.draw(st.none() | st.sampled_from(ids))
    k = at + _dt.timedelta(days=data.draw(st.integers(-60, 60)))
    stack = scenario.tariff_stack(importer, exporter, product, at, k, producer=producer)
    assert stack.low <= stack.high
    for layer in stack.uncertain:
        assert layer.low <= layer.rate.value
    # An excluded layer counts for nothing; a certain layer that pre-empts it is in the stack.
    for layer in stack.excluded:
        assert layer.measure not in [x.measure for x in (*stack.layers, *stack.uncertain)]
    # Rewrite the scope of every entry recorded after k to leave the goods out: as known at k,
    # nothing changes.
    late = {
        (m.id, i)
        for m in scenario.measures
        for i, e in enumerate(m.history)
        if recorded_time(e, scenario.published).hi_us > to_us(k)
    }
    rewritten = []
    for m in scenario.measures:
        history = tuple(
            attrs.evolve(
                e,
                terms=attrs.evolve(e.terms, scope=Scope(excluded_products=(product,))),
            )
            if (m.id, i) in late and e.terms is not None
            else e
            for i, e in enumerate(m.history)
        )
        rewritten.append(attrs.evolve(m, history=history))
    # Likewise a base rate recorded after k: its rate cannot count.
    bases = tuple(
        attrs.evolve(b, rate=Rate.percent(b.rate.value + 1))
        if b.recorded is not None and to_us(b.recorded.upper) > to_us(k)
        else b
        for b in scenario.base_rates
    )
    again = attrs.evolve(scenario.replace(*rewritten), base_rates=bases).tariff_stack(
        importer, exporter, product, at, k, producer=producer
    )
    assert (again.layers, again.uncertain) == (stack.layers, stack.uncertain)
