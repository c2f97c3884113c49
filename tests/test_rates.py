"""Rate forms (ranges, compound, greater-of and lesser-of, all-in floors) and shares of value: the
values themselves, their wire form, and what they make of a tariff stack and of a duty in money."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import attrs
import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from _engine_scenario import truce
from tradetruce import (
    Authority,
    BaseRate,
    Combine,
    HSCode,
    InvalidDataError,
    InvalidValueError,
    LegalAct,
    Measure,
    MeasureKind,
    MeasureStatus,
    ProductRate,
    Rate,
    RatePart,
    RateUnit,
    Scenario,
    Scope,
    Share,
    TariffStack,
    Terms,
    When,
    from_json,
    to_json,
    to_toml,
)
from tradetruce.cli import main
from tradetruce.engine.tariffs import flow_inputs
from tradetruce.strategies import rate_forms, shares

NY = "America/New_York"
AT = pendulum.datetime(2025, 9, 1, tz=NY)
EUR_CAR = Rate.specific("1000", currency="EUR", per="vehicle")
_SETTINGS = settings(
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large], deadline=None
)


def _tariff(
    id: str,
    rate: Rate,
    *,
    products: tuple[str, ...] = (),
    share: Share | None = None,
    authority: Authority | None = None,
    excluded: tuple[str, ...] = (),
) -> Measure:
    """A US tariff on Chinese goods, in force since 5 April 2025."""
    scope = None
    if excluded:
        scope = Scope(origins=("cn",), excluded_products=tuple(HSCode(p) for p in excluded))
    return Measure.propose(
        id=id,
        kind=MeasureKind.TARIFF,
        imposed_by="us",
        targets=("cn",),
        products=tuple(HSCode(p) for p in products),
        at="2025-03-01[America/New_York]",
        source="wh",
    ).transition(
        MeasureStatus.IN_FORCE,
        at="2025-04-05T00:01:00-04:00[America/New_York]",
        source="wh",
        terms=Terms(rate=rate, share=share, authority=authority, scope=scope),
    )


def _base(rate: str, product: str = "8703", id: str = "us-mfn") -> BaseRate:
    return BaseRate(
        id=id, importer="us", product=HSCode(product), rate=Rate.percent(rate), source="wh"
    )


def _only(*measures: Measure, bases: tuple[BaseRate, ...] = ()) -> Scenario:
    """The truce scenario's parties and sources with ``measures`` and ``bases`` only."""
    s = truce()
    return Scenario(
        title="rates", sources=s.sources, parties=s.parties, measures=measures, base_rates=bases
    )


def _stack(s: Scenario, product: str = "8703") -> TariffStack:
    return s.tariff_stack("us", "cn", product, AT)


# ------------------------------------------------------------------------------------ values
def test_each_form_reads_as_a_person_would_write_it() -> None:
    assert str(Rate.between("30.6", "39.0")) == "30.6% to 39.0%"
    assert str(Rate.compound(Rate.percent("10"), EUR_CAR)) == "10% + 1000 EUR per vehicle"
    assert str(Rate.greater_of(Rate.percent("25"), EUR_CAR)) == (
        "25% or 1000 EUR per vehicle, whichever is greater"
    )
    assert str(Rate.lesser_of(Rate.percent("25"), EUR_CAR)) == (
        "25% or 1000 EUR per vehicle, whichever is lesser"
    )
    assert str(Rate.at_least("15")) == "15% all-in"
    assert str(Rate.between("800", "1000", currency="EUR", per="vehicle")) == (
        "800 to 1000 EUR per vehicle"
    )
    assert repr(Rate.percent("7.5")) == (
        "Rate(value=Decimal('7.5'), unit=<RateUnit.PERCENT: 'percent'>, currency=None, per=None)"
    )
    assert "high=Decimal('39.0')" in repr(Rate.between("30.6", "39.0"))


def test_a_plain_rate_is_ad_valorem_and_the_other_forms_are_not() -> None:
    assert Rate.percent("25").is_ad_valorem
    for rate in (
        Rate.between("1", "2"),
        Rate.compound(Rate.percent("10"), EUR_CAR),
        Rate.at_least("15"),
        EUR_CAR,
    ):
        assert not rate.is_ad_valorem, rate


def test_the_greater_of_a_percent_and_a_per_unit_rate_is_not_decided_in_percent() -> None:
    greater = Rate.greater_of(Rate.percent("25"), EUR_CAR)
    assert not greater.decided
    assert greater.percent_bounds() == (Decimal(25), Decimal(25)) and greater.unit_bounds() == (
        Decimal(0),
        Decimal(1000),
    )
    lesser = Rate.lesser_of(Rate.percent("25"), EUR_CAR)
    assert lesser.percent_bounds() == (Decimal(0), Decimal(25)) and lesser.unit_bounds() == (
        Decimal(0),
        Decimal(1000),
    )
    both = Rate.compound(Rate.percent("10"), EUR_CAR)
    assert (
        both.decided
        and both.percent_bounds() == (Decimal(10), Decimal(10))
        and both.unit_bounds() == (Decimal(1000), Decimal(1000))
    )
    # For a value and a quantity, each form charges what it says.
    assert greater.charge(Decimal(2000), Decimal(1)) == (Decimal(1000), Decimal(1000))
    assert greater.charge(Decimal(10000), Decimal(1)) == (Decimal(2500), Decimal(2500))
    assert lesser.charge(Decimal(10000), Decimal(1)) == (Decimal(1000), Decimal(1000))
    assert both.charge(Decimal(10000), Decimal(2)) == (Decimal(3000), Decimal(3000))


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: Rate(Decimal(25), high=Decimal(20)), "high"),
        (lambda: Rate(Decimal(25), other=RatePart(Decimal(1))), "combine"),
        (lambda: Rate(Decimal(25), other=Rate.percent("1")), "other"),  # type: ignore[arg-type]
        (lambda: Rate(Decimal(25), combine=Combine.PLUS), "other"),
        (
            lambda: Rate.compound(
                Rate.percent("1"), Rate.compound(Rate.percent("1"), Rate.percent("2"))
            ),
            "other",
        ),
        (lambda: Rate(Decimal(1000), RateUnit.SPECIFIC, "EUR", "car", floor=True), "floor"),
        (lambda: Rate.between("1", "x"), "high"),
        (lambda: Share.of("1.5"), "low"),
        (lambda: Share.between("0.5", "0.4"), "high"),
    ],
)
def test_a_bad_form_is_refused_naming_its_field(build: object, field: str) -> None:
    with pytest.raises(InvalidValueError) as caught:
        build()  # type: ignore[operator]
    assert caught.value.field == field, caught.value


def test_a_bad_form_on_the_wire_is_refused_with_its_path() -> None:
    doc = '{"format": "tradetruce/2", "rate": {"value": "25", "high": "20"}}'
    with pytest.raises(InvalidDataError, match=r"\$\.rate\.high"):
        from_json(doc, Terms)
    doc = '{"format": "tradetruce/2", "share": {"low": "0.2", "high": "2"}}'
    with pytest.raises(InvalidDataError, match=r"\$\.share\.high"):
        from_json(doc, Terms)


@_SETTINGS
@given(rate_forms(), st.none() | shares())
def test_every_form_and_share_round_trips_through_the_wire_format(
    rate: Rate, share: Share | None
) -> None:
    terms = Terms(rate=rate, share=share)
    assert from_json(to_json(terms), Terms) == terms


@_SETTINGS
@given(rate_forms())
def test_a_rates_bounds_never_cross(rate: Rate) -> None:
    lo, hi = rate.percent_bounds()
    assert 0 <= lo <= hi, rate
    lo, hi = rate.unit_bounds()
    assert 0 <= lo <= hi, rate


# ------------------------------------------------------------------------------------ stacks
def test_a_rate_known_only_as_a_range_is_never_one_certain_figure() -> None:
    # MOFCOM's preliminary margins on EU brandy: 30.6% (Martell) to 39.0% (Hennessy).
    s = _only(_tariff("ad-brandy", Rate.between("30.6", "39.0")))
    stack = _stack(s)
    assert stack.layers == () and [x.measure for x in stack.uncertain] == ["ad-brandy"]
    assert (stack.low, stack.high) == (Decimal("30.6"), Decimal("39.0"))
    assert "? 30.6% to 39.0% ad-brandy (adds 30.6% at least)" in str(stack)
    assert str(stack.amount("10000", "USD")) == "3060.0 to 3900.0 USD"


def test_a_compound_rate_adds_its_percent_part_and_charges_its_per_unit_part() -> None:
    s = _only(_tariff("compound", Rate.compound(Rate.percent("10"), EUR_CAR)))
    stack = _stack(s)
    (layer,) = stack.layers
    assert (stack.low, stack.high, layer.certain) == (Decimal(10), Decimal(10), True)
    assert layer.note == "plus 1000 EUR per vehicle, outside the percent total"
    assert stack.amount("40000", "EUR", quantity=2) == attrs.evolve(
        stack.amount("40000", "EUR", quantity=2), low=Decimal(6000), high=Decimal(6000)
    )
    with pytest.raises(InvalidValueError, match="needs a quantity"):
        stack.amount("40000", "EUR")
    with pytest.raises(InvalidValueError, match="no currency conversion"):
        stack.amount("40000", "USD", quantity=1)


def test_the_greater_of_two_rates_is_a_range_until_the_value_and_quantity_decide() -> None:
    # "25% or EUR 1,000 per vehicle, whichever is greater".
    s = _only(_tariff("greater", Rate.greater_of(Rate.percent("25"), EUR_CAR)))
    stack = _stack(s)
    (layer,) = stack.uncertain
    assert not layer.certain and (layer.low, layer.high) == (Decimal(25), Decimal(25))
    assert "whichever is greater: decided by the value and quantity" in layer.note
    cheap = stack.amount("2000", "EUR", quantity=1)
    dear = stack.amount("10000", "EUR", quantity=1)
    assert (cheap.low, cheap.high) == (Decimal(1000), Decimal(1000))
    assert (dear.low, dear.high) == (Decimal(2500), Decimal(2500))


def test_an_all_in_floor_adds_what_the_base_rate_leaves_to_reach_it() -> None:
    # "15% all-in, or the MFN rate if higher": cars at 2.5% MFN pay 12.5 more; a line whose MFN
    # is 20% pays nothing more.
    floor = _tariff("reciprocal", Rate.at_least("15"), authority=Authority.IEEPA)
    cars = _stack(_only(floor, bases=(_base("2.5"),)))
    assert [(x.measure, x.low, x.high) for x in cars.layers] == [
        ("us-mfn", Decimal("2.5"), Decimal("2.5")),
        ("reciprocal", Decimal("12.5"), Decimal("12.5")),
    ]
    assert cars.low == cars.high == 15
    assert "all-in floor over the base rate of 2.5%" in cars.layers[1].note
    high_mfn = _stack(_only(floor, bases=(_base("20"),)))
    assert high_mfn.low == high_mfn.high == 20
    no_base = _stack(_only(floor))
    assert no_base.low == no_base.high == 15


def test_a_floor_over_an_uncertain_base_rate_has_honest_bounds() -> None:
    floor = _tariff("reciprocal", Rate.at_least("15"))
    # Two base rates of the same fineness that differ: the base is 2.5% or 20%.
    bases = (_base("2.5", id="mfn-a"), _base("20", id="mfn-b"))
    stack = _stack(_only(floor, bases=bases))
    reciprocal = next(x for x in stack.uncertain if x.measure == "reciprocal")
    assert (reciprocal.low, reciprocal.high, reciprocal.certain) == (
        Decimal(0),
        Decimal("12.5"),
        False,
    )
    # The truth is 15% (base 2.5%) or 20% (base 20%): both lie within the bounds.
    assert stack.low <= 15 and stack.high >= 20


def test_a_share_of_the_value_scales_what_a_layer_adds_and_an_unknown_share_is_a_range() -> None:
    known = _stack(_only(_tariff("232", Rate.percent("50"), share=Share.of("0.4"))))
    (layer,) = known.layers
    assert (layer.low, layer.high, layer.certain) == (Decimal(20), Decimal(20), True)
    assert str(layer).startswith("50% on 40% of the value 232")
    unknown = _stack(_only(_tariff("232", Rate.percent("50"), share=Share.unknown())))
    (layer,) = unknown.uncertain
    assert (layer.low, layer.high) == (Decimal(0), Decimal(50))


def _us_derivative() -> Scenario:
    """A Section 232 steel derivative (a refrigerator, heading 8418) from China, steel content
    40% of its value: 50% on the steel content, the reciprocal duty on the rest, the fentanyl
    duty on all of it (China's fentanyl duty is not scaled), and the reciprocal duty in full on
    goods that are not derivatives."""
    steel = Share.of("0.4", part="steel content")
    rest = Share.of("0.6", part="non-metal content")
    return _only(
        _tariff("us-232-derivatives", Rate.percent("50"), products=("8418",), share=steel),
        _tariff("us-reciprocal", Rate.percent("10"), excluded=("8418",)),
        _tariff("us-reciprocal-non-metal", Rate.percent("10"), products=("8418",), share=rest),
        _tariff("us-fentanyl", Rate.percent("10")),
    )


def test_a_section_232_derivative_pays_on_its_metal_and_the_reciprocal_on_the_rest() -> None:
    s = _us_derivative()
    fridge = s.tariff_stack("us", "cn", "8418.10", AT)
    assert [(x.measure, x.low) for x in fridge.layers] == [
        ("us-232-derivatives", Decimal(20)),
        ("us-reciprocal-non-metal", Decimal(6)),
        ("us-fentanyl", Decimal(10)),
    ]
    assert fridge.low == fridge.high == 36 and fridge.uncertain == ()
    assert fridge.amount("1000", "USD").low == 360
    phone = s.tariff_stack("us", "cn", "8517", AT)
    assert phone.low == phone.high == 20


# --------------------------------------------------------------------------------- properties
def _pick(lo: Decimal, hi: Decimal, at: int) -> Decimal:
    """A point of ``[lo, hi]``: its ends and its middle."""
    return (lo, (lo + hi) / 2, hi)[at]


def _concrete(rate: Rate, share: Decimal, value: Decimal, quantity: Decimal, at: int) -> Decimal:
    """What ``rate`` charges when each range in it takes one of its values, written out apart
    from the library's arithmetic."""
    charged = []
    for part in rate.parts:
        r = _pick(part.value, part.top, at)
        if part.unit is RateUnit.PERCENT:
            charged.append(value * share * r / 100)
        else:
            charged.append(quantity * r)
    if len(charged) == 1:
        return charged[0]
    if rate.combine is Combine.PLUS:
        return charged[0] + charged[1]
    return max(charged) if rate.combine is Combine.GREATER else min(charged)


@_SETTINGS
@given(
    rate=rate_forms(floors=False),
    share=st.none() | shares(),
    value=st.integers(0, 10**6).map(Decimal),
    quantity=st.integers(0, 100).map(Decimal),
    at=st.integers(0, 2),
)
def test_the_amount_bounds_contain_every_concrete_case_and_a_range_never_reads_certain(
    rate: Rate, share: Share | None, value: Decimal, quantity: Decimal, at: int
) -> None:
    specific = [p for p in rate.parts if p.unit is RateUnit.SPECIFIC]
    currency = specific[0].currency if specific else "USD"
    if any(p.currency != currency for p in specific):
        return  # two currencies: no amount without a conversion, which is not made
    assert currency is not None
    stack = _stack(_only(_tariff("m", rate, share=share)))
    assert stack.low <= stack.high
    every = (*stack.layers, *stack.uncertain, *stack.per_unit)
    ranged = any(p.high not in (None, p.value) for p in rate.parts)
    unknown_share = share is not None and share.low != share.high
    if ranged or unknown_share or not rate.decided:
        # A range, an unknown share or an undecided form is never one certain figure...
        assert every and not all(x.certain for x in every), stack
    amount = stack.amount(value, currency, quantity=quantity)
    assert amount.low <= amount.high
    fraction = Decimal(1) if share is None else _pick(share.low, share.high, at)
    # ...and what the shipment pays in each concrete case lies within the amount's bounds.
    truth = _concrete(rate, fraction, value, quantity, at)
    assert amount.low <= truth <= amount.high, (stack, amount, truth)


@_SETTINGS
@given(floor=st.integers(0, 400), base=st.integers(0, 400), other=st.integers(0, 400))
def test_a_floor_and_the_base_rate_total_the_greater_of_the_two(
    floor: int, base: int, other: int
) -> None:
    f, b, o = (Decimal(n) / 10 for n in (floor, base, other))
    s = _only(_tariff("floor", Rate.at_least(f)), bases=(_base(str(b)),))
    stack = _stack(s)
    assert stack.low == stack.high == max(f, b)
    # With a base of two candidates, the bounds contain both totals.
    two = _stack(
        _only(_tariff("floor", Rate.at_least(f)), bases=(_base(str(b)), _base(str(o), id="b2")))
    )
    assert two.low <= min(max(f, b), max(f, o)) and max(max(f, b), max(f, o)) <= two.high


def test_when_the_base_rate_is_recorded_after_the_moment_asked_about_the_floor_is_whole() -> None:
    late = attrs.evolve(_base("2.5"), recorded=When.parse("2027-01-01[America/New_York]"))
    s = _only(_tariff("floor", Rate.at_least("15")), bases=(late,))
    as_then = s.tariff_stack("us", "cn", "8703", AT, known_at="2026-06-01[America/New_York]")
    assert [x.measure for x in as_then.layers] == ["floor"]
    assert as_then.low == as_then.high == 15
    assert _stack(s).low == _stack(s).high == 15


# ----------------------------------------------------------------------------- command line
def test_the_tariff_command_shows_each_form_in_text_and_in_json(tmp_path: Path) -> None:
    s = _us_derivative().replace(
        _tariff("ad-range", Rate.between("30.6", "39.0"), products=("8418",)),
        _tariff("greater", Rate.greater_of(Rate.percent("25"), EUR_CAR), products=("8418",)),
    )
    path = tmp_path / "rates.toml"
    path.write_text(to_toml(s), "utf-8")
    flow = ("tariff", str(path), "--importer", "us", "--exporter", "cn", "--product", "8418")
    out = io.StringIO()
    assert main([*flow, "--at", "2025-09-01[UTC]"], out=out) == 0
    text = out.getvalue()
    assert "+ 50% on 40% of the value (steel content) us-232-derivatives" in text, text
    assert "? 30.6% to 39.0% ad-range (adds 30.6% at least)" in text, text
    assert "? 25% or 1000 EUR per vehicle, whichever is greater greater" in text, text
    out = io.StringIO()
    args = [*flow, "--at", "2025-09-01[UTC]", "--json", "--value", "1000", "--currency", "EUR"]
    assert main([*args, "--quantity", "1"], out=out) == 0
    doc = json.loads(out.getvalue())
    layers = {x["measure"]: x for x in doc["layers"] + doc["uncertain"]}
    assert layers["us-232-derivatives"]["share"] == {
        "low": "0.4",
        "high": "0.4",
        "part": "steel content",
    }
    assert (layers["us-232-derivatives"]["low"], layers["us-232-derivatives"]["high"]) == (
        "20.0",
        "20.0",
    )
    assert layers["ad-range"]["rate"]["high"] == "39.0"
    assert (layers["ad-range"]["low"], layers["ad-range"]["high"]) == ("30.6", "39.0")
    assert layers["greater"]["rate"]["combine"] == "greater"
    assert layers["greater"]["rate"]["other"]["per"] == "vehicle"
    # 20% + 6% + 10% + 30.6 to 39.0% of 1000, and the greater of 250 and 1000 for one vehicle.
    assert (doc["amount"]["low"], doc["amount"]["high"]) == ("1666.0", "1750.0")


# ------------------------------------------------------------------------ writing the terms
def test_propose_takes_the_terms_scope_authority_instrument_and_share() -> None:
    scope = Scope(origins=("cn",), products=(HSCode("8418"),))
    m = Measure.propose(
        id="us-232-derivatives",
        kind=MeasureKind.TARIFF,
        imposed_by="us",
        at="2025-08-18[America/New_York]",
        source="wh",
        scope="steel derivatives",
        rate=Rate.percent("50"),
        terms_scope=scope,
        authority=Authority.SECTION_232,
        instrument="9903.81.89",
        share=Share.of("0.4"),
    )
    assert m.scope == "steel derivatives"
    assert m.terms == Terms(
        rate=Rate.percent("50"),
        scope=scope,
        authority=Authority.SECTION_232,
        instrument="9903.81.89",
        share=Share.of("0.4"),
    )
    cut = m.amend(at="2025-09-01[America/New_York]", source="wh", share=Share.of("0.3"))
    assert cut.terms.share == Share.of("0.3") and cut.terms.instrument == "9903.81.89"
    assert cut.amend(at="2025-09-02[America/New_York]", source="wh", share=None).terms.share is None


# ---------------------------------------------------------------------------- rate schedules
def _section_301() -> Measure:
    """Section 301 duties in one measure: 25% on list 1 headings, 7.5% on list 4A ones, a
    finer heading under a list 1 chapter at 7.5%, nothing on products neither list names."""
    schedule = (
        ProductRate(HSCode("84"), Rate.percent("25")),
        ProductRate(HSCode("8517"), Rate.percent("7.5")),
        ProductRate(HSCode("8471.30"), Rate.percent("7.5")),
    )
    return Measure.propose(
        id="us-301",
        kind=MeasureKind.TARIFF,
        imposed_by="us",
        targets=("cn",),
        at="2018-07-01[America/New_York]",
        source="wh",
        schedule=schedule,
        authority=Authority.SECTION_301,
    ).transition(MeasureStatus.IN_FORCE, at="2019-09-01[America/New_York]", source="wh")


def test_the_finest_heading_of_a_rate_schedule_that_covers_the_product_wins() -> None:
    s = _only(_section_301())
    rates = {p: _stack(s, p).low for p in ("8418.10", "8517.13", "8471.30.01", "9503")}
    assert rates == {
        "8418.10": Decimal(25),
        "8517.13": Decimal("7.5"),
        "8471.30.01": Decimal("7.5"),
        "9503": Decimal(0),
    }
    assert [x.measure for x in _stack(s, "9503").layers] == []


def test_a_rate_schedule_is_amended_through_history_and_known_from_when_recorded() -> None:
    m = _section_301()
    raised = (*m.terms.schedule[:1], ProductRate(HSCode("8517"), Rate.percent("25")))
    m = m.amend(
        at="2025-06-01[America/New_York]",
        source="wh",
        schedule=raised,
        recorded="2026-01-05[America/New_York]",  # recorded well after it took effect
    )
    s = _only(m)
    assert _stack(s, "8517.13").low == 25
    as_then = s.tariff_stack("us", "cn", "8517.13", AT, known_at="2025-12-01[UTC]")
    assert as_then.low == Decimal("7.5")
    # An amended schedule replaces the old one whole: 8471.30 now falls under chapter 84.
    assert _stack(s, "8471.30").low == 25


def test_a_rate_schedule_names_each_heading_once_and_round_trips() -> None:
    with pytest.raises(InvalidValueError, match="named twice"):
        Terms(schedule=(ProductRate(HSCode("84"), Rate.percent("1")),) * 2)
    terms = _section_301().terms
    assert from_json(to_json(terms), Terms) == terms


def test_products_under_different_headings_of_a_schedule_are_cut_apart_in_a_panel() -> None:
    s = _only(_section_301())
    codes = [HSCode("8418"), HSCode("8419"), HSCode("8517")]
    same, also, other = flow_inputs(s, "us", "cn", codes)
    assert same.reach == also.reach and same.reach != other.reach


# -------------------------------------------------------------------------------- legal acts
def _acts() -> Scenario:
    """One executive order creating two measures, and a measure under another act."""
    act = LegalAct(
        id="eo-14257",
        source="wh",
        title="Regulating imports with a reciprocal tariff",
        authority=Authority.IEEPA,
        instrument="EO 14257",
        link="https://www.federalregister.gov/d/2025-06063",
    )
    base = _only(
        _tariff("baseline", Rate.percent("10")),
        _tariff("uplift", Rate.percent("24")),
        _tariff("us-301", Rate.percent("25"), authority=Authority.SECTION_301),
    )
    measures = tuple(
        m.amend(at="2025-04-06[America/New_York]", source="wh", act="eo-14257")
        if m.id != "us-301"
        else m
        for m in base.measures
    )
    return attrs.evolve(base, measures=measures, legal_acts=(act,))


def test_a_legal_act_groups_its_measures_and_layers_are_selected_by_act(tmp_path: Path) -> None:
    s = _acts()
    stack = _stack(s, "8517")
    assert [x.measure for x in stack.under_act("eo-14257")] == ["baseline", "uplift"]
    assert {x.measure: x.act for x in stack.layers} == {
        "baseline": "eo-14257",
        "uplift": "eo-14257",
        "us-301": None,
    }
    assert stack.under_act("other") == ()
    path = tmp_path / "acts.json"
    path.write_text(to_json(s), "utf-8")
    out = io.StringIO()
    argv = ["tariff", str(path), "--importer", "us", "--exporter", "cn", "--product", "8517"]
    assert main([*argv, "--at", "2025-09-01[UTC]", "--json"], out=out) == 0
    found = {x["measure"]: x["act"] for x in json.loads(out.getvalue())["layers"]}
    assert found == {"baseline": "eo-14257", "uplift": "eo-14257", "us-301": None}
    assert str(s.legal_acts[0]) == "EO 14257 (ieepa): Regulating imports with a reciprocal tariff"
    assert from_json(to_json(s), Scenario) == s


def test_a_measure_naming_an_unknown_act_is_refused_with_its_path() -> None:
    s = _acts()
    wrong = s.measures[0].amend(at="2025-05-01[America/New_York]", source="wh", act="eo-1457")
    with pytest.raises(InvalidDataError) as caught:
        s.replace(wrong)
    (problem,) = caught.value.problems
    assert problem.path == "$.measures[0].history[3].terms.act", problem
    assert "eo-14257" in problem.message, problem  # did you mean
    with pytest.raises(InvalidDataError, match=r"\$\.legal_acts\[1\]\.id"):
        attrs.evolve(s, legal_acts=s.legal_acts * 2)
    with pytest.raises(InvalidDataError, match=r"\$\.legal_acts\[0\]\.source"):
        attrs.evolve(s, legal_acts=(attrs.evolve(s.legal_acts[0], source="nowhere"),))
