"""The rate panel: every interval's figures are what the scenario's tariff stack says at every
instant of it, as known at every knowledge time it claims; and the daily view of it."""

from __future__ import annotations

import datetime as _dt
import itertools
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tradetruce as tt
from _engine_scenario import truce
from tradetruce.export.extras import require
from tradetruce.export.panel import explode_daily, rate_panel
from tradetruce.strategies import hs_codes, measures, rates, scenarios
from tradetruce.values.when import OPEN_END, OPEN_START

pa = require("pyarrow")

US_CN: dict[str, Any] = {"importers": "us", "origins": "cn"}
ONE_US = _dt.timedelta(microseconds=1)

PARTIES = (
    tt.Party(id="p0", name="State 0", kind=tt.PartyKind.STATE),
    tt.Party(id="p1", name="State 1", kind=tt.PartyKind.STATE),
    tt.Party(id="p2", name="State 2", kind=tt.PartyKind.STATE),
    tt.Party(id="p0-body", name="Body of 0", kind=tt.PartyKind.GOVERNMENT_BODY, parent="p0"),
    tt.Party(id="cu", name="Union", kind=tt.PartyKind.BLOC, customs_union=True),
    tt.Party(id="cu-member", name="Member", kind=tt.PartyKind.STATE, parent="cu"),
)


@st.composite
def tariff_scenarios(draw: st.DrawFn) -> tt.Scenario:
    """Small scenarios with up to three tariffs among four parties (one a body of another)."""
    base = draw(scenarios(parties=PARTIES, max_measures=2, max_deadlines=1, max_negotiations=1))
    sources = tuple(s.id for s in base.sources)
    drawn = draw(
        st.lists(
            measures(
                kind="tariff",
                status=st.sampled_from(("in_force", "in_force", "paused", "expired")),
                imposed_by=st.sampled_from(("p0", "p1", "p0-body", "cu")),
                sources=sources,
                max_history=4,
            ),
            max_size=3,
        )
    )
    tariffs = []
    for i, m in enumerate(drawn):
        # Mostly ad valorem rates, so that most tariffs are layers some of the time.
        history = list(m.history)
        for j, entry in enumerate(history):
            terms = entry.terms if entry.terms is not None else tt.Terms() if j == 0 else None
            if terms is not None and draw(st.integers(0, 3)):
                terms = attrs.evolve(terms, rate=draw(rates(ad_valorem=True)))
            history[j] = attrs.evolve(entry, terms=terms)
        tariffs.append(attrs.evolve(m, id=f"t{i}", links=(), history=tuple(history)))
    scenario = base.replace(*tariffs)
    return attrs.evolve(
        scenario,
        base_rates=draw(base_rates(sources)),
        stacking_rules=draw(stacking_rules(sources, len(tariffs))),
    )


def _some_time(draw: st.DrawFn) -> tt.When | None:
    day = draw(st.none() | st.dates(_dt.date(2024, 1, 1), _dt.date(2026, 12, 31)))
    return None if day is None else tt.When.parse(f"{day.isoformat()}[Europe/Paris]")


@st.composite
def base_rates(draw: st.DrawFn, sources: tuple[str, ...]) -> tuple[tt.BaseRate, ...]:
    """Up to two base rates of p0 or of the customs union, some with a start, an end or a
    recorded time of their own."""
    found = []
    for i in range(draw(st.integers(0, 2))):
        start, end = _some_time(draw), _some_time(draw)
        if start is not None and end is not None and end.lower <= start.upper:
            end = None
        found.append(
            tt.BaseRate(
                id=f"b{i}",
                importer=draw(st.sampled_from(("p0", "cu"))),
                product=draw(hs_codes()),
                rate=draw(rates(ad_valorem=True)),
                source=draw(st.sampled_from(sources)),
                start=start,
                end=end,
                recorded=_some_time(draw),
            )
        )
    return tuple(found)


@st.composite
def stacking_rules(draw: st.DrawFn, sources: tuple[str, ...], n: int) -> tuple[Any, ...]:
    """At most one rule of p0 or of the union: one tariff pre-empts another."""
    if n < 2 or not draw(st.booleans()):
        return ()
    excluded, by = draw(st.permutations([f"t{i}" for i in range(n)]))[:2]
    rule = tt.StackingRule(
        id="rule",
        importer=draw(st.sampled_from(("p0", "cu"))),
        source=draw(st.sampled_from(sources)),
        excluded=(excluded,),
        by=(by,),
        recorded=_some_time(draw),
    )
    return (rule,)


def _bounds(scenario: tt.Scenario) -> tuple[_dt.datetime, _dt.datetime]:
    found = []
    for m in scenario.measures:
        for e in m.history:
            values: list[tt.When | None] = [e.at]
            if e.terms is not None:
                values += [e.terms.effective, e.terms.expires]
            for w in values:
                if w is not None:
                    found += [w.lower] if w.earliest is not OPEN_START else []
                    found += [w.upper] if w.latest is not OPEN_END else []
    for b in scenario.base_rates:
        found += [w.lower for w in (b.start, b.end) if w is not None]
    if not found:
        return _dt.datetime(2020, 1, 1, tzinfo=_dt.UTC), _dt.datetime(2021, 1, 1, tzinfo=_dt.UTC)
    day = _dt.timedelta(days=1)
    return max(min(found) - day, _dt.datetime(1001, 1, 1, tzinfo=_dt.UTC)), max(found) + day


def _products(scenario: tt.Scenario, extra: tt.HSCode) -> list[tt.HSCode]:
    codes = [extra, *(b.product for b in scenario.base_rates)]
    for m in scenario.measures:
        for p in m.products:
            codes.append(p)
            if p.level < 10:
                codes.append(tt.HSCode(p.digits + "01", p.edition))
    return list(dict.fromkeys(codes))


def groups(panel: Any) -> Iterator[tuple[tuple[Any, ...], list[dict[str, Any]]]]:
    """The panel's rows by flow and knowledge span, in order."""
    current: tuple[Any, ...] | None = None
    rows: list[dict[str, Any]] = []
    for row in panel.to_pylist():
        key = (
            row["importer"],
            row["origin"],
            row["product"],
            row["known_at"],
            row["known_until"],
            row["producer"],
        )
        if key != current and rows:
            assert current is not None
            yield current, rows
            rows = []
        current = key
        rows.append(row)
    if rows:
        assert current is not None
        yield current, rows


def intervals(rows: list[dict[str, Any]]) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Each interval's total row and its layer rows."""
    found: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []
    for row in rows:
        if row["measure"] is None:
            found.append((row, []))
        else:
            assert found and found[-1][0]["valid_from"] == row["valid_from"], row
            found[-1][1].append(row)
    return found


def knowledge(key: tuple[Any, ...], asked: _dt.datetime | None) -> list[_dt.datetime | None]:
    """Knowledge times at which a row of this span must hold."""
    since, until = key[3], key[4]
    found: list[_dt.datetime | None] = [x for x in (since, until and until - ONE_US) if x]
    if asked is not None:
        found.append(asked)
    elif until is None:
        found.append(None)  # what is known now: everything
    return found or [None]


def check_panel(
    scenario: tt.Scenario,
    panel: Any,
    start: _dt.datetime,
    end: _dt.datetime,
    asked: _dt.datetime | None = None,
) -> None:
    """Every interval tiles the range and reads as the tariff stack does at its first, middle
    and last instant, at every knowledge time it claims to hold for."""
    assert panel.num_rows > 0
    for key, rows in groups(panel):
        importer, origin, product, producer = (*key[:3], key[5])
        spans = intervals(rows)
        assert spans[0][0]["valid_from"] == start and spans[-1][0]["valid_to"] == end, key
        for (a, _), (b, _) in itertools.pairwise(spans):
            assert a["valid_to"] == b["valid_from"], key
        for total, layers in spans:
            lo, hi = total["valid_from"], total["valid_to"]
            for t in {lo, lo + (hi - lo) / 2, hi - ONE_US}:
                for k in knowledge(key, asked):
                    stack = scenario.tariff_stack(
                        importer, origin, product, t, known_at=k, producer=producer
                    )
                    figures = (total["low"], total["high"], total["certain"])
                    assert figures == (stack.total, stack.highest, not stack.uncertain), (
                        key,
                        t,
                        k,
                        str(stack),
                    )
                    expected = [
                        (x.measure, x.low, x.rate.value, x.certain)
                        for x in (*stack.layers, *stack.uncertain)
                    ]
                    got = [(r["measure"], r["low"], r["high"], r["certain"]) for r in layers]
                    assert got == expected, (key, t, k)


_SETTINGS = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@_SETTINGS
@given(tariff_scenarios(), hs_codes())
def test_every_interval_reads_as_the_tariff_stack_at_every_instant_of_it(
    scenario: tt.Scenario, product: tt.HSCode
) -> None:
    start, end = _bounds(scenario)
    panel = rate_panel(
        scenario,
        importers=["p0", "p0-body", "p1", "cu-member"],
        origins=["p0", "p1", "p2"],
        products=_products(scenario, product),
        start=start,
        end=end,
    )
    check_panel(scenario, panel, start, end)


@_SETTINGS
@given(tariff_scenarios(), hs_codes(), st.data())
def test_a_panel_as_known_at_a_time_reads_as_the_stack_as_known_then(
    scenario: tt.Scenario, product: tt.HSCode, data: st.DataObject
) -> None:
    start, end = _bounds(scenario)
    recorded = sorted(
        e.upper
        for e in (tt.When.coerce(r) for r in entries_recorded(scenario))
        if e.latest is not OPEN_END
    )
    k = data.draw(st.sampled_from([*recorded, start]))
    k += data.draw(st.sampled_from([-ONE_US, _dt.timedelta(0), ONE_US]))
    panel = rate_panel(
        scenario,
        importers=["p0", "cu-member"],
        origins=["p1", "p2"],
        products=_products(scenario, product),
        start=start,
        end=end,
        known_at=k,
        producers=["p1", "p2"],
    )
    check_panel(scenario, panel, start, end, asked=k)
    for key, _ in groups(panel):
        since, until = key[3], key[4]
        assert (since is None or since <= k) and (until is None or k < until), (key, k)


def entries_recorded(scenario: tt.Scenario) -> list[tt.When]:
    published = scenario.published
    facts: list[tt.BaseRate | tt.StackingRule] = [*scenario.base_rates, *scenario.stacking_rules]
    return [
        e.recorded or published.get(e.source) or e.at for m in scenario.measures for e in m.history
    ] + [w for w in (f.recorded or published.get(f.source) for f in facts) if w is not None]


@_SETTINGS
@given(tariff_scenarios(), hs_codes())
def test_each_vintage_reads_as_the_stack_as_known_in_its_span(
    scenario: tt.Scenario, product: tt.HSCode
) -> None:
    start, end = _bounds(scenario)
    panel = rate_panel(
        scenario,
        importers=["p0", "p1", "cu-member"],
        origins=["p1", "p2"],
        products=_products(scenario, product),
        start=start,
        end=end,
        vintages=True,
    )
    check_panel(scenario, panel, start, end)
    # The spans of each flow follow one another, from the first record to the last.
    spans: dict[tuple[Any, ...], list[tuple[Any, Any]]] = {}
    for key, _ in groups(panel):
        spans.setdefault((*key[:3], key[5]), []).append(key[3:5])
    for flow, chain in spans.items():
        assert chain[0][0] is None and chain[-1][1] is None, flow
        for (_, until), (since, _) in itertools.pairwise(chain):
            assert until == since, flow


# ------------------------------------------------------------------------------- examples
def ny(year: int, month: int, day: int) -> pendulum.DateTime:
    return pendulum.datetime(year, month, day, tz="America/New_York")


def test_the_total_row_comes_first_and_sums_the_certain_layers() -> None:
    panel = rate_panel(
        truce(), **US_CN, products="8517", start="2025-10-01[UTC]", end="2025-12-01[UTC]"
    )
    rows = panel.to_pylist()
    assert [(r["measure"], r["low"], r["legal_basis"]) for r in rows] == [
        (None, Decimal("45"), None),
        ("us-fentanyl", Decimal("20"), "IEEPA"),
        ("us-301", Decimal("25"), "Section 301"),
    ]
    assert all(r["authority"] is None and r["instrument"] is None for r in rows)
    assert rows[0]["valid_from"] == _dt.datetime(2025, 10, 1, tzinfo=_dt.UTC)
    assert rows[0]["valid_to"] == _dt.datetime(2025, 12, 1, tzinfo=_dt.UTC)


def test_an_uncertain_layer_has_a_low_of_zero_and_the_total_a_range() -> None:
    panel = rate_panel(
        truce(), **US_CN, products="8517", start="2019-05-01[UTC]", end="2019-08-01[UTC]"
    )
    june = [r for r in panel.to_pylist() if r["valid_from"].month == 6]
    total, layer = june
    assert (total["low"], total["high"], total["certain"]) == (0, 25, False)
    assert (layer["measure"], layer["low"], layer["high"], layer["certain"]) == (
        "us-301",
        0,
        25,
        False,
    )
    # "2019-06[America/New_York]" may be any instant of June in New York: the layer is
    # uncertain from its first instant to its last microsecond.
    assert total["valid_from"] == _dt.datetime(2019, 6, 1, 4, tzinfo=_dt.UTC)
    assert total["valid_to"] == _dt.datetime(2019, 7, 1, 3, 59, 59, 999999, tzinfo=_dt.UTC)


def test_projected_layers_say_so() -> None:
    projected = truce().advance(ny(2025, 11, 11))
    panel = rate_panel(
        projected, **US_CN, products="8517", start="2025-11-01[UTC]", end="2025-12-01[UTC]"
    )
    last = [r for r in panel.to_pylist() if r["valid_to"].month == 12]
    assert [(r["measure"], r["evidence"]) for r in last] == [
        (None, "projected"),
        ("us-fentanyl", "reported"),
        ("us-301", "reported"),
        ("us-24pct", "projected"),
    ]
    assert last[0]["low"] == 69


def test_disputed_claims_about_a_layer_are_flagged() -> None:
    s = truce()
    fentanyl = s.measure("us-fentanyl")
    rival = attrs.evolve(fentanyl.history[-1], source="kl", evidence=tt.Evidence.OFFICIAL)
    rival = attrs.evolve(rival, to=tt.MeasureStatus.PAUSED)
    s = s.replace(fentanyl.with_entry(rival))
    rows = rate_panel(
        s, **US_CN, products="1201", start="2025-03-01[UTC]", end="2025-04-01[UTC]"
    ).to_pylist()
    # The official notice says paused, so no layer; its claim and the report's disagree,
    # but a measure that is not a layer has no row to flag.
    assert [r["low"] for r in rows] == [0]


def test_products_covered_by_the_same_measures_read_the_same() -> None:
    panel = rate_panel(
        truce(),
        **US_CN,
        products=["8517", "8501", "1201"],
        start="2025-01-01[UTC]",
        end="2026-01-01[UTC]",
    )
    by_product: dict[str, list[tuple[Any, ...]]] = {}
    for r in panel.to_pylist():
        by_product.setdefault(r["product"], []).append(
            (r["valid_from"], r["measure"], r["low"], r["high"])
        )
    assert by_product["8517"] == by_product["8501"] != by_product["1201"]
    assert list(by_product) == ["8517", "8501", "1201"]


def test_knowledge_spans_follow_the_records() -> None:
    panel = rate_panel(
        truce(),
        **US_CN,
        products="1201",
        start="2025-01-01[UTC]",
        end="2026-01-01[UTC]",
        vintages=True,
    )
    rows = [r for r in panel.to_pylist() if r["measure"] is None]  # the totals
    spans = [(r["known_at"], r["known_until"], r["low"]) for r in rows]
    # Before the IEEPA tariff's move into force was recorded (4 March, New York), nothing
    # applied to soybeans; from then on 20% does, from 4 March 00:01 New York time.
    march_5 = _dt.datetime(2025, 3, 5, 4, 59, 59, 999999, tzinfo=_dt.UTC)
    assert spans[0] == (None, march_5, 0)
    assert spans[1:] == [(march_5, None, 0), (march_5, None, 20)]


def test_a_back_test_never_sees_what_was_recorded_later() -> None:
    k = ny(2025, 2, 15)
    panel = rate_panel(
        truce(),
        **US_CN,
        products="1201",
        start="2025-01-01[UTC]",
        end="2026-01-01[UTC]",
        known_at=k,
    )
    assert {r["low"] for r in panel.to_pylist()} == {0}


def test_an_empty_flow_still_has_its_total_of_zero() -> None:
    rows = rate_panel(
        truce(),
        importers="us",
        origins="kr",
        products="8517",
        start="2025-01-01[UTC]",
        end="2026-01-01[UTC]",
    ).to_pylist()
    assert [(r["measure"], r["low"], r["high"], r["known_at"]) for r in rows] == [
        (None, 0, 0, None)
    ]


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ({"importers": "xx"}, tt.UnknownEntityError),
        ({"origins": ["cn", "xx"]}, tt.UnknownEntityError),
        ({"products": "85x"}, tt.InvalidValueError),
        ({"products": [8517]}, tt.InvalidValueError),
        ({"end": "2024-01-01[UTC]"}, tt.InvalidValueError),
        ({"known_at": "2025-01-01[UTC]", "vintages": True}, tt.InvalidValueError),
        ({"start": _dt.datetime(2025, 1, 1)}, tt.InvalidTimeError),
        ({"start": 2025}, tt.InvalidValueError),
    ],
)
def test_bad_arguments_are_refused_with_tradetruce_errors(
    arguments: dict[str, Any], error: type[Exception]
) -> None:
    given_ = {**US_CN, "products": "8517", "start": "2025-01-01[UTC]", "end": "2026-01-01[UTC]"}
    with pytest.raises(error):
        rate_panel(truce(), **{**given_, **arguments})


# ----------------------------------------------------------------------------------- daily
def test_each_day_has_the_figures_of_the_whole_day() -> None:
    panel = rate_panel(
        truce(), **US_CN, products="8517", start="2025-03-01[UTC]", end="2025-04-01[UTC]"
    )
    daily = explode_daily(panel, "America/New_York").to_pylist()
    totals = {r["day"]: r for r in daily if r["measure"] is None}
    # The IEEPA tariff came into force at 00:01 on 4 March, New York time: that day went from
    # 25% to 45%.
    march = _dt.date(2025, 3, 3), _dt.date(2025, 3, 4), _dt.date(2025, 3, 5)
    assert [(totals[d]["low"], totals[d]["high"], totals[d]["certain"]) for d in march] == [
        (25, 25, True),
        (25, 45, False),
        (45, 45, True),
    ]
    layer = {r["day"]: r for r in daily if r["measure"] == "us-fentanyl"}
    assert (layer[march[1]]["low"], layer[march[1]]["high"]) == (0, 20)
    # The panel runs from midnight UTC, 19:00 on 28 February in New York, to 20:00 on
    # 31 March there: only the whole New York days in between are listed.
    assert (min(totals), max(totals)) == (_dt.date(2025, 3, 1), _dt.date(2025, 3, 30))


def test_days_follow_the_zone_across_a_daylight_saving_change() -> None:
    s = truce()
    fentanyl = s.measure("us-fentanyl").amend(
        at="2025-03-09T00:00:00-05:00[America/New_York]",
        source="early",
        recorded="2025-03-09[America/New_York]",
        rate=tt.Rate.percent("30"),
    )
    panel = rate_panel(
        s.replace(fentanyl),
        **US_CN,
        products="1201",
        start="2025-03-06T05:00:00+00:00[UTC]",
        end="2025-03-12T04:00:00+00:00[UTC]",
    )
    daily = [r for r in explode_daily(panel, "America/New_York").to_pylist() if not r["measure"]]
    # 9 March had 23 hours in New York; the cut at its midnight falls between two whole days.
    assert [(r["day"].day, r["low"], r["certain"]) for r in daily] == [
        (6, 20, True),
        (7, 20, True),
        (8, 20, True),
        (9, 30, True),
        (10, 30, True),
        (11, 30, True),
    ]


def test_the_daily_table_keeps_the_panel_s_order_and_schema() -> None:
    panel = rate_panel(
        truce(),
        importers="us",
        origins=["cn", "kr"],
        products=["8517", "1201"],
        start="2025-01-01[UTC]",
        end="2025-01-04[UTC]",
        vintages=True,
    )
    daily = explode_daily(panel)
    flows = [(r["origin"], r["product"]) for r in daily.to_pylist()]
    assert list(dict.fromkeys(flows)) == [
        ("cn", "8517"),
        ("cn", "1201"),
        ("kr", "8517"),
        ("kr", "1201"),
    ]
    assert daily.schema == tt_schema("daily")
    assert explode_daily(panel.slice(0, 0)).num_rows == 0


def tt_schema(name: str) -> Any:
    from tradetruce.export.schema import arrow_schema

    return arrow_schema(name)


def test_an_unknown_zone_for_the_days_is_refused() -> None:
    panel = rate_panel(
        truce(), **US_CN, products="8517", start="2025-01-01[UTC]", end="2025-01-04[UTC]"
    )
    with pytest.raises(tt.InvalidTimeError):
        explode_daily(panel, "Mars/Olympus")


# ------------------------------------------------------------- scope, unions, base rates
def test_a_panel_by_producer_reads_each_producer_s_rate_and_the_union_s_base_rate() -> None:
    from pathlib import Path

    bev = Path(__file__).parent / "data" / "scenarios" / "eu-bev-cvd.toml"
    scenario = tt.from_toml(bev.read_text("utf-8"), tt.Scenario)
    paris = "Europe/Paris"
    panel = rate_panel(
        scenario,
        importers=["eu", "fr"],
        origins="cn",
        products="8703.80.10",
        start=f"2025-03-01[{paris}]",
        end=f"2025-03-02[{paris}]",
        producers=["byd", "saic"],
    )
    totals = {
        (r["importer"], r["producer"]): r["low"] for r in panel.to_pylist() if r["measure"] is None
    }
    # The 10% cars duty is a base rate of the EU; France imports under it.
    assert totals == {
        ("eu", "byd"): Decimal("27.0"),
        ("eu", "saic"): Decimal("45.3"),
        ("fr", "byd"): Decimal("27.0"),
        ("fr", "saic"): Decimal("45.3"),
    }
    layers = {(r["measure"], r["authority"], r["instrument"]) for r in panel.to_pylist()}
    stack = scenario.tariff_stack("eu", "cn", "8703.80.10", pendulum.datetime(2025, 3, 1, tz=paris))
    expected = {
        (x.measure, None if x.authority is None else x.authority.value, x.instrument)
        for x in (*stack.layers, *stack.uncertain)
    }
    assert layers - {(None, None, None)} == expected
    assert any(r["authority"] is not None for r in panel.to_pylist())


def test_a_layer_a_stacking_rule_pre_empts_is_not_in_the_panel() -> None:
    def tariff(id: str, rate: str) -> tt.Measure:
        proposed = tt.Measure.propose(
            id=id,
            kind=tt.MeasureKind.TARIFF,
            imposed_by="us",
            targets=("cn",),
            products=(tt.HSCode.parse("7208"),),
            title=id,
            at="2025-01-01[America/New_York]",
            source="wh",
            rate=tt.Rate.percent(rate),
        )
        return proposed.transition(
            tt.MeasureStatus.IN_FORCE, at="2025-02-01[America/New_York]", source="wh"
        )

    rule = tt.StackingRule(
        id="no-reciprocal-on-232",
        importer="us",
        source="wh",
        excluded=("reciprocal",),
        by=("s232",),
    )
    scenario = truce().replace(tariff("s232", "25"), tariff("reciprocal", "10"))
    ask: dict[str, Any] = {
        "importers": "us",
        "origins": "cn",
        "products": "7208.10",
        "start": "2025-03-01[UTC]",
        "end": "2025-03-02[UTC]",
    }
    before = [r["measure"] for r in rate_panel(scenario, **ask).to_pylist()]
    after = [
        r["measure"]
        for r in rate_panel(attrs.evolve(scenario, stacking_rules=(rule,)), **ask).to_pylist()
    ]
    assert "reciprocal" in before and "s232" in before
    assert "s232" in after and "reciprocal" not in after


def test_an_erratum_moves_the_panel_s_interval_from_when_it_was_recorded() -> None:
    w = tt.When.parse
    entries = (
        tt.MeasureEntry(
            from_=None,
            to=tt.MeasureStatus.PROPOSED,
            at=w("2025-10-20[UTC]"),
            source="s",
            recorded=w("2025-10-20[UTC]"),
            terms=tt.Terms(tt.Rate.percent("20")),
        ),
        tt.MeasureEntry(
            from_=tt.MeasureStatus.PROPOSED,
            to=tt.MeasureStatus.IN_FORCE,
            at=w("2025-11-01[UTC]"),
            source="s",
            recorded=w("2025-11-01[UTC]"),
            id="in-force",
        ),
    )
    erratum = tt.Correction(
        kind=tt.CorrectionKind.ERRATUM,
        entry="in-force",
        source="s",
        recorded=w("2025-11-06[UTC]"),
        at=w("2025-11-10[UTC]"),
    )
    m = tt.Measure(
        id="m",
        kind=tt.MeasureKind.TARIFF,
        imposed_by="us",
        targets=("cn",),
        history=entries,
        corrections=(erratum,),
    )
    scenario = tt.Scenario(
        sources=(tt.Source(id="s", title="Report"),),
        parties=(
            tt.Party(id="us", name="US", kind=tt.PartyKind.STATE),
            tt.Party(id="cn", name="China", kind=tt.PartyKind.STATE),
        ),
        measures=(m,),
    )
    start = _dt.datetime(2025, 10, 25, tzinfo=_dt.UTC)
    end = _dt.datetime(2025, 11, 20, tzinfo=_dt.UTC)
    panel = rate_panel(
        scenario, importers="us", origins="cn", products="1201", start=start, end=end, vintages=True
    )
    check_panel(scenario, panel, start, end)
    certain_from: dict[Any, Any] = {}
    for row in panel.to_pylist():
        if row["measure"] is None and row["certain"] and row["low"] == Decimal(20):
            certain_from.setdefault(row["known_at"], row["valid_from"])
    # A whole day settles at its last microsecond (the rule of Scenario.at).
    last = _dt.datetime(2025, 11, 1, 23, 59, 59, 999999, tzinfo=_dt.UTC)
    day = _dt.timedelta(days=1)
    assert certain_from == {
        last: last,  # as known from 1 November: in force from the end of 1 November
        last + 5 * day: last + 9 * day,  # from 6 November: from the end of 10 November
    }
