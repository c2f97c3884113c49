"""Stacked tariffs: the layers in force on one flow of goods, and their total."""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal

import attrs
import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from _engine_scenario import TRUCE_DUE, truce
from tradetruce import (
    REMEDY_CHARGES,
    Charges,
    HSCode,
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
    TariffStack,
    Terms,
    UnknownEntityError,
    When,
)
from tradetruce.strategies import hs_codes, scenarios, times

NY = "America/New_York"


def ny(year: int, month: int, day: int) -> pendulum.DateTime:
    return pendulum.datetime(year, month, day, tz=NY)


def test_layers_under_different_legal_bases_add_up() -> None:
    stack = truce().tariff_stack("us", "cn", "8517", ny(2025, 11, 3))
    assert isinstance(stack, TariffStack)
    assert [(layer.measure, layer.rate.value, layer.legal_basis) for layer in stack.layers] == [
        ("us-fentanyl", Decimal("20"), "IEEPA"),
        ("us-301", Decimal("25"), "Section 301"),
    ]
    assert stack.total == Decimal("45") and stack.uncertain == ()
    assert str(stack).splitlines() == [
        "us tariffs on 8517 from cn at 2025-11-03T05:00:00+00:00: 45%",
        "  + 20% (IEEPA) us-fentanyl",
        "  + 25% (Section 301) us-301",
    ]


def test_a_sub_party_of_the_importer_counts_and_product_codes_must_cover() -> None:
    s = truce()
    # us-301 is imposed by USTR (a body of the US) and covers chapter 85 only.
    soybeans = s.tariff_stack("us", "cn", HSCode("120190"), ny(2025, 11, 3))
    assert [layer.measure for layer in soybeans.layers] == ["us-fentanyl"]
    assert s.tariff_stack("ustr", "cn", "8517", ny(2025, 11, 3)).total == Decimal("25")
    # Another origin, or the other direction: nothing.
    assert s.tariff_stack("us", "kr", "8517", ny(2025, 11, 3)).total == Decimal("0")
    assert s.tariff_stack("cn", "us", "8517", ny(2025, 11, 3)).layers == ()


def test_paused_and_proposed_tariffs_are_not_layers_until_they_are_in_force() -> None:
    s = truce()
    assert "us-24pct" not in [
        x.measure for x in s.tariff_stack("us", "cn", "8517", ny(2025, 11, 3)).layers
    ]
    back = s.advance(ny(2025, 11, 11))
    stack = back.tariff_stack("us", "cn", "8517", ny(2025, 11, 11))
    assert stack.total == Decimal("69")
    # Signing cuts the IEEPA layer to 10%.
    signed = s.apply("kl-talks", to="signed", at="2025-10-30[Asia/Seoul]", source="kl")
    assert signed.tariff_stack("us", "cn", "8517", ny(2025, 11, 3)).total == Decimal("35")


def test_a_layer_that_may_or_may_not_be_in_force_is_listed_apart() -> None:
    s = truce()
    inside = pendulum.datetime(2019, 6, 15, tz=NY)  # inside "2019-06": us-301 may be in force
    stack = s.tariff_stack("us", "cn", "8517", inside)
    assert [layer.measure for layer in stack.uncertain] == ["us-301"]
    assert stack.total == Decimal("0") and stack.highest == Decimal("25")
    assert "? 25% (Section 301) us-301 (may or may not apply)" in str(stack)


def test_effective_and_expiry_terms_bound_a_layer() -> None:
    s = truce()
    fentanyl = s.measure("us-fentanyl")
    ends = fentanyl.amend(
        at="2025-10-01[America/New_York]",
        source="early",
        recorded="2025-10-01[America/New_York]",
        expires=When.parse("2025-12[America/New_York]"),
    )
    s = s.replace(ends)
    assert s.tariff_stack("us", "cn", "8517", ny(2025, 11, 3)).total == Decimal("45")
    mid = s.tariff_stack("us", "cn", "8517", ny(2025, 12, 15))
    assert [layer.measure for layer in mid.uncertain] == ["us-fentanyl"]
    assert s.tariff_stack("us", "cn", "8517", ny(2026, 1, 2)).total == Decimal("25")


def test_specific_rates_are_not_ad_valorem_layers() -> None:
    s = truce()
    fee = Measure.propose(
        id="fee",
        kind=MeasureKind.TARIFF,
        imposed_by="us",
        targets=("cn",),
        rate=Rate.specific("50", currency="USD", per="tonne"),
        at="2025-01-01[America/New_York]",
        source="early",
    ).transition(MeasureStatus.IN_FORCE, at="2025-01-02[America/New_York]", source="early")
    stack = s.replace(fee).tariff_stack("us", "cn", "8517", ny(2025, 11, 3))
    assert "fee" not in [layer.measure for layer in stack.layers + stack.uncertain]


def test_each_scenario_groups_its_own_tariffs_once_and_a_changed_one_regroups() -> None:
    s = truce()
    assert s.tariff_stack("us", "cn", "8517", ny(2025, 11, 3)).total == Decimal("45")
    assert s._tariffs is s._tariffs  # grouped once per scenario object
    extra = Measure.propose(
        id="us-extra",
        kind=MeasureKind.TARIFF,
        imposed_by="us",
        targets=("cn",),
        rate=Rate.percent("10"),
        at="2025-01-01[America/New_York]",
        source="early",
    ).transition(MeasureStatus.IN_FORCE, at="2025-01-02[America/New_York]", source="early")
    changed = s.replace(extra)
    assert changed.tariff_stack("us", "cn", "8517", ny(2025, 11, 3)).total == Decimal("55")
    assert s.tariff_stack("us", "cn", "8517", ny(2025, 11, 3)).total == Decimal("45")


def test_known_at_shows_the_stack_as_it_was_known() -> None:
    s = truce()
    known = ny(2025, 2, 15)
    # The IEEPA tariff came into force on 4 March; on 15 February only the proposal was known.
    assert s.tariff_stack("us", "cn", "8517", ny(2025, 11, 3), known_at=known).total == 25


def test_bad_arguments_give_tradetruce_errors() -> None:
    s = truce()
    with pytest.raises(UnknownEntityError):
        s.tariff_stack("xx", "cn", "8517", ny(2025, 11, 3))
    with pytest.raises(UnknownEntityError):
        s.tariff_stack("us", "xx", "8517", ny(2025, 11, 3))
    with pytest.raises(InvalidValueError):
        s.tariff_stack("us", "cn", "85x", ny(2025, 11, 3))
    with pytest.raises(InvalidValueError):
        s.tariff_stack("us", "cn", 8517, ny(2025, 11, 3))  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError):
        s.tariff_stack("us", "cn", "8517", _dt.datetime(2025, 11, 3))


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large], deadline=None)
@given(
    scenarios(max_parties=3, max_sources=2, max_measures=4, max_history=3),
    hs_codes(),
    times(),
    st.data(),
)
def test_the_bounds_hold_every_layer_at_its_least_and_at_its_rate(
    scenario: Scenario, product: HSCode, at: When, data: st.DataObject
) -> None:
    importer = data.draw(st.sampled_from(scenario.parties)).id
    exporter = data.draw(st.sampled_from(scenario.parties)).id
    stack = scenario.tariff_stack(importer, exporter, product, at)
    certain = sum((layer.rate.value for layer in stack.layers), Decimal(0))
    assert stack.low == certain + sum((layer.low for layer in stack.uncertain), Decimal(0))
    assert stack.high == certain + sum((x.rate.value for x in stack.uncertain), Decimal(0))
    assert stack.total == stack.low <= stack.high == stack.highest
    view = scenario.at(at)
    applying = {MeasureStatus.IN_FORCE, MeasureStatus.PAUSED} | {
        status for status, charges in REMEDY_CHARGES.items() if charges is not Charges.NO
    }
    for layer in stack.layers:
        state = view.measures[layer.measure]
        measure = scenario.measure(layer.measure)
        scoped = any(e.terms is not None and e.terms.scope for e in measure.history)
        assert state.status in applying and (scoped or measure.covers(product))
        imposers = scenario.lineage(measure.imposed_by)
        unions = {p.id for p in scenario.lineage(importer)[1:] if p.customs_union}
        assert importer in [p.id for p in imposers] or unions & {p.id for p in imposers}
        assert layer.low == layer.rate.value
    for layer in stack.uncertain:
        assert applying & set(view.measures[layer.measure].candidates)
        assert layer.low <= layer.rate.value
    assert attrs.evolve(stack, uncertain=()).highest == certain


# ------------------------------------------------------------------------ suspensions and lapses
def _with_truce_tariff(**suspension: object) -> Scenario:
    """The made-up truce with its 24% tariff suspended as given, from 14 May 2025."""
    s = truce()
    proposed = s.measure("us-24pct").history[0]
    tariff = Measure(
        id="us-24pct",
        kind=MeasureKind.TARIFF,
        imposed_by="us",
        targets=("cn",),
        history=(proposed,),
    ).transition(
        MeasureStatus.IN_FORCE,
        at="2025-04-09T00:01:00-04:00[America/New_York]",
        source="early",
        recorded="2025-04-09[America/New_York]",
        terms=attrs.evolve(proposed.terms or Terms(), rate=Rate.percent("34")),
    )
    tariff = tariff.suspend(
        at="2025-05-14T00:01:00-04:00[America/New_York]",
        source="early",
        recorded="2025-05-14[America/New_York]",
        **suspension,  # type: ignore[arg-type]
    )
    return s.replace(tariff)


def test_a_partly_suspended_layer_applies_its_rate_less_the_portion() -> None:
    s = _with_truce_tariff(portion=Rate.percent("24"), until=When.parse(TRUCE_DUE))
    stack = s.tariff_stack("us", "cn", "8517", ny(2025, 11, 3))
    layer = next(x for x in stack.layers if x.measure == "us-24pct")
    assert layer.rate == Rate.percent("10") and layer.certain
    assert layer.note == "24 of 34 points suspended"
    assert "  + 10% (IEEPA) us-24pct [24 of 34 points suspended]" in str(stack)
    assert stack.total == Decimal("55")
    state = s.at(ny(2025, 11, 3)).measures["us-24pct"]
    assert state.status_text() == "paused (24 of 34 points)"


def test_after_a_suspension_ends_the_layer_may_be_back_at_its_full_rate() -> None:
    s = _with_truce_tariff(portion=Rate.percent("24"), until=When.parse(TRUCE_DUE))
    stack = s.tariff_stack("us", "cn", "8517", ny(2025, 11, 11))
    layer = next(x for x in stack.uncertain if x.measure == "us-24pct")
    # Paused in part, it adds 10 points; restored, all 34.
    assert (layer.low, layer.rate.value) == (Decimal("10"), Decimal("34"))
    assert (stack.low, stack.high) == (Decimal("55"), Decimal("79"))
    assert "? 34% (IEEPA) us-24pct (adds 10% at least)" in str(stack)
    assert str(stack).splitlines()[0].endswith(": 55% to 79%")


def test_a_restored_layer_counts_and_only_its_own_expiry_ends_it() -> None:
    s = _with_truce_tariff(until=When.parse(TRUCE_DUE))
    restored = s.advance(ny(2025, 11, 11))
    assert restored.measure("us-24pct").status is MeasureStatus.IN_FORCE
    stack = restored.tariff_stack("us", "cn", "8517", ny(2025, 11, 11))
    assert [x.measure for x in stack.layers] == ["us-fentanyl", "us-301", "us-24pct"]
    assert stack.total == Decimal("79")


def test_an_uncertain_layer_carries_the_rate_the_entry_that_may_have_happened_sets() -> None:
    s = truce()
    cut = s.measure("us-fentanyl").amend(
        at="2025-11[America/New_York]",
        source="wh",
        rate=Rate.percent("10"),
    )
    s = s.replace(cut)
    stack = s.tariff_stack("us", "cn", "8517", ny(2025, 11, 15))
    layer = next(x for x in stack.uncertain if x.measure == "us-fentanyl")
    # In force either way: 20% until the cut, 10% after; November spans the moment.
    assert layer.rate == Rate.percent("20") and layer.low == Decimal("10")
    raised = s.replace(
        s.measure("us-fentanyl").amend(
            at="2025-11[America/New_York]", source="wh", rate=Rate.percent("30")
        )
    )
    layer = next(
        x
        for x in raised.tariff_stack("us", "cn", "8517", ny(2025, 11, 15)).uncertain
        if x.measure == "us-fentanyl"
    )
    assert layer.rate == Rate.percent("30") and layer.low == Decimal("20")


# ------------------------------------------------------------------------------ customs unions
def _union(*, customs_union: bool = True) -> Scenario:
    """A union with one tariff (or a bloc without one), a member, and a body of the union."""
    s = truce()
    parties = (
        Party(id="eu", name="European Union", kind=PartyKind.BLOC, customs_union=customs_union),
        Party(id="fr", name="France", kind=PartyKind.STATE, jurisdiction="FR", parent="eu"),
        Party(id="eu-com", name="Commission", kind=PartyKind.GOVERNMENT_BODY, parent="eu"),
    )
    duties = [
        ("eu-mfn", "eu", (), "8703", "10"),
        ("eu-cvd", "eu-com", ("cn",), "8703.80", "17.0"),
    ]
    measures = [
        Measure.propose(
            id=id,
            kind=MeasureKind.TARIFF,
            imposed_by=imposer,
            at="2024-07-04[Europe/Brussels]",
            source="wh",
            targets=targets,
            products=(HSCode(code),),
            rate=Rate.percent(rate),
        ).transition(MeasureStatus.IN_FORCE, at="2024-10-30[Europe/Brussels]", source="wh")
        for id, imposer, targets, code, rate in duties
    ]
    return s.replace(*parties, *measures)


def test_a_member_of_a_customs_union_imports_under_the_unions_tariff() -> None:
    s = _union()
    at = pendulum.datetime(2025, 3, 1, tz="Europe/Paris")
    into_eu = s.tariff_stack("eu", "cn", "87038010", at)
    into_fr = s.tariff_stack("fr", "cn", "87038010", at)
    assert [x.measure for x in into_eu.layers] == ["eu-mfn", "eu-cvd"]
    assert into_fr.layers == into_eu.layers and into_fr.total == Decimal("27.0")
    # The union's own duty on every origin applies to the member too; the 870380 one does not
    # cover another subheading.
    assert [x.measure for x in s.tariff_stack("fr", "kr", "870340", at).layers] == ["eu-mfn"]


def test_a_union_measure_on_an_entity_list_reaches_listed_firms_imported_into_a_member() -> None:
    s = _union()
    firms = (
        Party(id="byd", name="BYD", kind=PartyKind.COMPANY, parent="cn"),
        Party(id="byd-sub", name="BYD Sub", kind=PartyKind.COMPANY, parent="byd"),
        Party(id="saic", name="SAIC", kind=PartyKind.COMPANY, parent="cn"),
        Party(id="listed", name="Entity list", kind=PartyKind.GROUP, members=("byd",)),
    )
    on_list = Measure.propose(
        id="eu-listed",
        kind=MeasureKind.TARIFF,
        imposed_by="eu-com",
        at="2024-07-04[Europe/Brussels]",
        source="wh",
        targets=("listed",),
        products=(HSCode("8703"),),
        rate=Rate.percent("20"),
    ).transition(MeasureStatus.IN_FORCE, at="2024-10-30[Europe/Brussels]", source="wh")
    # A scope whose producer rate names the list: each listed firm pays the list's rate.
    scope = Scope(
        origins=("cn",),
        producers=(ProducerRate(producer="listed", rate=Rate.percent("5")),),
        residual=Rate.percent("30"),
    )
    by_producer = Measure.propose(
        id="eu-by-producer",
        kind=MeasureKind.TARIFF,
        imposed_by="eu",
        at="2024-07-04[Europe/Brussels]",
        source="wh",
    ).transition(
        MeasureStatus.IN_FORCE,
        at="2024-10-30[Europe/Brussels]",
        source="wh",
        terms=Terms(rate=Rate.percent("30"), scope=scope),
    )
    s = s.replace(*firms, on_list, by_producer)
    at = pendulum.datetime(2025, 3, 1, tz="Europe/Paris")
    listed = s.tariff_stack("fr", "byd-sub", "87038010", at, producer="byd-sub")
    assert [x.measure for x in listed.layers] == ["eu-mfn", "eu-cvd", "eu-listed", "eu-by-producer"]
    assert listed.total == Decimal("52.0")  # 10 + 17.0 + 20 + 5
    other = s.tariff_stack("fr", "saic", "87038010", at, producer="saic")
    assert [x.measure for x in other.layers] == ["eu-mfn", "eu-cvd", "eu-by-producer"]
    assert other.total == Decimal("57.0")  # 10 + 17.0 + 30
    # Into a party outside the union, none of the union's layers apply.
    assert s.tariff_stack("cn", "byd", "87038010", at).layers == ()


def test_a_bloc_that_is_not_a_customs_union_does_not_lend_its_tariffs_to_its_members() -> None:
    s = _union(customs_union=False)
    at = pendulum.datetime(2025, 3, 1, tz="Europe/Paris")
    assert s.tariff_stack("fr", "cn", "870380", at).layers == ()
    # A body of the union imposes for the union, never for its members' members.
    assert s.tariff_stack("eu-com", "cn", "870380", at).total == Decimal("17.0")


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large], deadline=None)
@given(
    scenarios(max_parties=4, max_sources=2, max_measures=4, max_history=3),
    hs_codes(),
    times(),
    st.data(),
)
def test_a_member_of_a_customs_union_gets_every_layer_the_union_imposes(
    scenario: Scenario, product: HSCode, at: When, data: st.DataObject
) -> None:
    members = [p for p in scenario.parties if p.parent is not None]
    if not members:
        return
    member = data.draw(st.sampled_from(members))
    union = attrs.evolve(scenario.party(member.parent or ""), customs_union=True)
    s = scenario.replace(union)
    exporter = data.draw(st.sampled_from(scenario.parties)).id
    own = s.tariff_stack(union.id, exporter, product, at)
    theirs = s.tariff_stack(member.id, exporter, product, at)
    union_ids = {p.id for p in s.lineage(union.id)}
    for stack_layer in (*own.layers, *own.uncertain):
        imposer = s.measure(stack_layer.measure).imposed_by
        if union.id in {p.id for p in s.lineage(imposer)} or imposer in union_ids:
            assert stack_layer in (*theirs.layers, *theirs.uncertain)


def test_chapter_99_headings_and_dotted_national_lines_are_product_codes() -> None:
    s = _union()
    at = pendulum.datetime(2025, 3, 1, tz="Europe/Paris")
    # The CVD names 8703.80; a shipment declared under the CN line 8703 80 10 is covered.
    assert "eu-cvd" in [x.measure for x in s.tariff_stack("eu", "cn", "8703.80.10", at).layers]
    heading = HSCode.parse("HS2022:9903.01.24")
    assert (heading.code, heading.digits, heading.level) == ("9903.01.24", "99030124", 8)
    assert str(heading) == "HS2022:9903.01.24" and heading == HSCode("99030124", "HS2022")
    assert HSCode("99").covers(heading) and heading.covers(HSCode("9903012400"))
    with pytest.raises(InvalidValueError, match=r"9903\.01\.24"):
        HSCode("99.03")


def test_a_specific_duty_is_listed_per_unit_and_left_out_of_the_percent_total() -> None:
    s = _union()
    per_vehicle = Measure.propose(
        id="eu-per-vehicle",
        kind=MeasureKind.TARIFF,
        imposed_by="eu",
        at="2024-07-04[Europe/Brussels]",
        source="wh",
        targets=("cn",),
        rate=Rate.specific("1000", currency="EUR", per="vehicle"),
    ).transition(MeasureStatus.IN_FORCE, at="2024-10-30[Europe/Brussels]", source="wh")
    s = s.replace(per_vehicle)
    stack = s.tariff_stack("fr", "cn", "870380", pendulum.datetime(2025, 3, 1, tz="Europe/Paris"))
    assert (stack.low, stack.high) == (Decimal("27.0"), Decimal("27.0"))
    (layer,) = stack.per_unit
    assert layer.measure == "eu-per-vehicle" and layer.certain
    assert layer.rate == Rate.specific("1000", currency="EUR", per="vehicle")
    assert str(stack).splitlines()[-1] == (
        "  ! 1000 EUR per vehicle eu-per-vehicle (per unit, not in the percent total)"
    )
    # On the day it takes effect it may or may not apply yet.
    noon = pendulum.datetime(2024, 10, 30, 12, tz="Europe/Brussels")
    (pending,) = s.tariff_stack("eu", "cn", "870380", noon).per_unit
    assert not pending.certain and pending.low == 0
