"""Scenarios as Arrow tables: pinned schemas, the same facts back from the entries, and readings
that agree with the scenario's own views."""

from __future__ import annotations

import datetime as _dt
import subprocess
import sys
from decimal import Decimal
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tradetruce as tt
from _engine_scenario import truce
from tradetruce.export import (
    MissingExtraError,
    deadlines_table,
    entries_table,
    layers_table,
    scope_table,
    statuses_table,
    to_pandas,
    to_polars,
)
from tradetruce.export.extras import EXTRAS, require
from tradetruce.export.schema import TABLES, arrow_schema, markdown
from tradetruce.strategies import scenarios, times
from tradetruce.values.when import OPEN_END, OPEN_START
from tradetruce.wire._decode import decode

pa = require("pyarrow")

D = "dictionary<values=string, indices=int32, ordered=0>"
TS = "timestamp[us, tz=UTC]"
DEC = "decimal128(38, 6)"
LIST = "list<item: string>"
NULL, NOT_NULL = True, False

#: Every exported table's schema, as released: a change here is a change for every reader.
PINNED: dict[str, list[tuple[str, str, bool]]] = {
    "entries": [
        ("kind", D, NOT_NULL),
        ("entity", D, NOT_NULL),
        ("seq", "int32", NOT_NULL),
        ("from_status", D, NULL),
        ("to_status", D, NOT_NULL),
        ("valid_time", "string", NOT_NULL),
        ("valid_zone", D, NOT_NULL),
        ("valid_lo", TS, NULL),
        ("valid_hi", TS, NULL),
        ("recorded_time", "string", NOT_NULL),
        ("recorded_from", D, NOT_NULL),
        ("recorded_zone", D, NOT_NULL),
        ("recorded_lo", TS, NULL),
        ("recorded_hi", TS, NULL),
        ("source", D, NOT_NULL),
        ("evidence", D, NOT_NULL),
        ("claimed_by", D, NULL),
        ("note", "string", NOT_NULL),
        ("terms", "bool", NULL),
        ("rate", DEC, NULL),
        ("rate_unit", D, NULL),
        ("rate_currency", D, NULL),
        ("rate_per", "string", NULL),
        ("quantity", DEC, NULL),
        ("quantity_unit", "string", NULL),
        ("quantity_per", D, NULL),
        ("quantity_commodity", "string", NULL),
        ("quantity_bound", D, NULL),
        ("legal_basis", D, NULL),
        ("authority", D, NULL),
        ("instrument", "string", NULL),
        ("terms_scope", "string", NULL),
        ("effective", "string", NULL),
        ("effective_lo", TS, NULL),
        ("effective_hi", TS, NULL),
        ("expires", "string", NULL),
        ("expires_lo", TS, NULL),
        ("expires_hi", TS, NULL),
        ("due", "string", NULL),
        ("due_lo", TS, NULL),
        ("due_hi", TS, NULL),
        ("suspension", "bool", NULL),
        ("suspension_until", "string", NULL),
        ("suspension_until_lo", TS, NULL),
        ("suspension_until_hi", TS, NULL),
        ("suspension_portion", DEC, NULL),
        ("suspension_at_end", D, NULL),
        ("suspension_note", "string", NULL),
    ],
    "statuses": [
        ("valid_at", TS, NOT_NULL),
        ("known_at", TS, NULL),
        ("kind", D, NOT_NULL),
        ("entity", D, NOT_NULL),
        ("status", D, NULL),
        ("certain", "bool", NOT_NULL),
        ("candidates", LIST, NOT_NULL),
        ("disputed", "bool", NOT_NULL),
        ("evidence", D, NULL),
        ("source", D, NULL),
        ("rate", DEC, NULL),
        ("rate_unit", D, NULL),
        ("legal_basis", D, NULL),
        ("due", "string", NULL),
        ("due_lo", TS, NULL),
        ("due_hi", TS, NULL),
    ],
    "deadlines": [
        ("valid_at", TS, NULL),
        ("known_at", TS, NULL),
        ("deadline", D, NOT_NULL),
        ("title", "string", NOT_NULL),
        ("deadline_kind", D, NOT_NULL),
        ("due", "string", NULL),
        ("due_zone", D, NULL),
        ("due_lo", TS, NULL),
        ("due_hi", TS, NULL),
        ("status", D, NULL),
        ("certain", "bool", NOT_NULL),
        ("candidates", LIST, NOT_NULL),
        ("open", "bool", NOT_NULL),
        ("governs", LIST, NOT_NULL),
        ("parties", LIST, NOT_NULL),
    ],
    "scope": [
        ("measure", D, NOT_NULL),
        ("measure_kind", D, NOT_NULL),
        ("imposed_by", D, NOT_NULL),
        ("targets", LIST, NOT_NULL),
        ("product", D, NULL),
        ("hs_code", "string", NULL),
        ("hs_edition", D, NULL),
        ("hs_level", "int16", NULL),
        ("scope", "string", NOT_NULL),
    ],
    "layers": [
        ("importer", D, NOT_NULL),
        ("exporter", D, NOT_NULL),
        ("product", D, NOT_NULL),
        ("valid_at", TS, NOT_NULL),
        ("known_at", TS, NULL),
        ("measure", D, NOT_NULL),
        ("rate", DEC, NOT_NULL),
        ("legal_basis", D, NULL),
        ("certain", "bool", NOT_NULL),
    ],
    "panel": [
        ("importer", D, NOT_NULL),
        ("origin", D, NOT_NULL),
        ("product", D, NOT_NULL),
        ("producer", D, NULL),
        ("known_at", TS, NULL),
        ("known_until", TS, NULL),
        ("valid_from", TS, NOT_NULL),
        ("valid_to", TS, NOT_NULL),
        ("measure", D, NULL),
        ("legal_basis", D, NULL),
        ("authority", D, NULL),
        ("instrument", D, NULL),
        ("low", DEC, NOT_NULL),
        ("high", DEC, NOT_NULL),
        ("certain", "bool", NOT_NULL),
        ("evidence", D, NULL),
        ("disputed", "bool", NOT_NULL),
    ],
    "daily": [
        ("importer", D, NOT_NULL),
        ("origin", D, NOT_NULL),
        ("product", D, NOT_NULL),
        ("producer", D, NULL),
        ("known_at", TS, NULL),
        ("known_until", TS, NULL),
        ("day", "date32[day]", NOT_NULL),
        ("measure", D, NULL),
        ("legal_basis", D, NULL),
        ("authority", D, NULL),
        ("instrument", D, NULL),
        ("low", DEC, NOT_NULL),
        ("high", DEC, NOT_NULL),
        ("certain", "bool", NOT_NULL),
        ("evidence", D, NULL),
        ("disputed", "bool", NOT_NULL),
    ],
}


def shape(schema: Any) -> list[tuple[str, str, bool]]:
    return [(f.name, str(f.type), f.nullable) for f in schema]


# ------------------------------------------------------------------------------- schemas
@pytest.mark.parametrize("name", sorted(PINNED))
def test_each_table_keeps_the_schema_it_was_released_with(name: str) -> None:
    assert shape(arrow_schema(name)) == PINNED[name]


def test_every_table_is_pinned() -> None:
    assert set(TABLES) == set(PINNED)


def test_the_builders_give_exactly_the_pinned_schemas() -> None:
    s = truce()
    t = pendulum.datetime(2025, 11, 3, tz="America/New_York")
    stack = s.tariff_stack("us", "cn", "8517", t)
    built = {
        "entries": entries_table(s),
        "statuses": statuses_table(s, t),
        "deadlines": deadlines_table(s),
        "scope": scope_table(s),
        "layers": layers_table(stack),
    }
    for name, table in built.items():
        assert shape(table.schema) == PINNED[name], name
        assert table.num_rows > 0, name


def test_the_reference_table_lists_every_column_with_its_arrow_type() -> None:
    text = markdown("panel")
    for column, type_, _ in PINNED["panel"]:
        assert f"| `{column}` | `{type_}` |" in text, column


# ---------------------------------------------------------------------------- round trip
def _when(text: str | None) -> tt.When | None:
    return None if text is None else tt.When.parse(text)


def _rate(row: dict[str, Any]) -> tt.Rate | None:
    if row["rate"] is None:
        return None
    return tt.Rate(
        row["rate"], tt.RateUnit(row["rate_unit"]), row["rate_currency"], row["rate_per"]
    )


def _quantity(row: dict[str, Any]) -> tt.Quantity | None:
    if row["quantity"] is None:
        return None
    per = tt.Period(row["quantity_per"])
    bound = tt.Bound(row["quantity_bound"])
    return tt.Quantity(row["quantity"], row["quantity_unit"], per, row["quantity_commodity"], bound)


_ENTRY = {
    "measure": (tt.MeasureEntry, tt.MeasureStatus),
    "deadline": (tt.DeadlineEntry, tt.DeadlineStatus),
    "negotiation": (tt.NegotiationEntry, tt.NegotiationStatus),
}


def rebuilt_histories(table: Any) -> dict[str, tuple[tt.Entry[Any], ...]]:
    """Each entity's history, built again from the entries table alone."""
    histories: dict[str, list[tt.Entry[Any]]] = {}
    for row in table.to_pylist():
        entry_type, status = _ENTRY[row["kind"]]
        extra: dict[str, Any] = {}
        if row["kind"] == "measure" and row["terms"]:
            extra["terms"] = tt.Terms(
                rate=_rate(row),
                quantity=_quantity(row),
                legal_basis=row["legal_basis"],
                effective=_when(row["effective"]),
                expires=_when(row["expires"]),
                scope=None if row["terms_scope"] is None else decode(row["terms_scope"], tt.Scope),
                authority=None if row["authority"] is None else tt.Authority(row["authority"]),
                instrument=row["instrument"],
            )
        if row["kind"] == "measure" and row["suspension"]:
            portion = row["suspension_portion"]
            extra["suspension"] = tt.Suspension(
                until=_when(row["suspension_until"]),
                # Only ad valorem portions: generated and shipped suspensions are of percent rates.
                portion=None if portion is None else tt.Rate.percent(portion),
                at_end=tt.SuspensionEnd(row["suspension_at_end"]),
                note=row["suspension_note"],
            )
        if row["kind"] == "deadline":
            extra["due"] = _when(row["due"])
        entry = entry_type(
            from_=None if row["from_status"] is None else status(row["from_status"]),
            to=status(row["to_status"]),
            at=tt.When.parse(row["valid_time"]),
            source=row["source"],
            recorded=tt.When.parse(row["recorded_time"])
            if row["recorded_from"] == "entry"
            else None,
            evidence=tt.Evidence(row["evidence"]),
            claimed_by=row["claimed_by"],
            note=row["note"],
            **extra,
        )
        history = histories.setdefault(row["entity"], [])
        assert row["seq"] == len(history), row
        history.append(entry)
    return {k: tuple(v) for k, v in histories.items()}


def _histories(scenario: tt.Scenario) -> dict[str, tuple[tt.Entry[Any], ...]]:
    return {e.id: e.history for e in scenario.entities()}


def test_the_entries_table_of_the_seed_gives_back_every_entry() -> None:
    seed = tt.load_seed()
    assert rebuilt_histories(entries_table(seed)) == _histories(seed)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(scenarios(max_measures=4, max_deadlines=2, max_negotiations=2))
def test_the_entries_table_gives_back_the_same_histories(scenario: tt.Scenario) -> None:
    table = entries_table(scenario)
    assert rebuilt_histories(table) == _histories(scenario)
    assert table.num_rows == sum(len(e.history) for e in scenario.entities())


def _us(t: _dt.datetime | None) -> _dt.datetime | None:
    return None if t is None else t.astimezone(_dt.UTC)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(scenarios(max_measures=4, max_deadlines=2, max_negotiations=2))
def test_time_bounds_are_the_utc_bounds_of_the_values_and_an_open_end_is_null(
    scenario: tt.Scenario,
) -> None:
    rows = entries_table(scenario).to_pylist()
    entries = [e for entity in scenario.entities() for e in entity.history]
    published = scenario.published
    for row, entry in zip(rows, entries, strict=True):
        at = entry.at
        assert row["valid_time"] == str(at) and row["valid_zone"] == at.zone
        lo = None if at.earliest is OPEN_START else at.lower
        hi = None if at.latest is OPEN_END else at.upper
        assert (_us(row["valid_lo"]), _us(row["valid_hi"])) == (lo, hi), row
        known = entry.recorded or published.get(entry.source) or entry.at
        assert row["recorded_time"] == str(known)
        assert _us(row["recorded_hi"]) == (None if known.latest is OPEN_END else known.upper)


def test_recorded_from_says_where_the_recorded_time_comes_from() -> None:
    rows = {(r["entity"], r["seq"]): r for r in entries_table(truce()).to_pylist()}
    # us-fentanyl gives its own recorded times; us-100pct takes its source's publication.
    assert rows["us-fentanyl", 1]["recorded_from"] == "entry"
    assert rows["us-fentanyl", 1]["recorded_time"] == "2025-03-04[America/New_York]"
    assert rows["us-100pct", 0]["recorded_from"] == "source"
    assert rows["us-100pct", 0]["recorded_time"] == "2025-10-10[America/New_York]"


def test_a_history_entry_outside_a_scenario_is_known_at_its_valid_time() -> None:
    lone = tt.Source(id="lone", title="No date")
    s = tt.Scenario(
        sources=(lone,),
        parties=(tt.Party(id="us", name="US", kind=tt.PartyKind.STATE),),
        measures=(
            tt.Measure.propose(
                id="m",
                kind=tt.MeasureKind.TARIFF,
                imposed_by="us",
                at="2025-01-02[UTC]",
                source="lone",
                recorded="2025-01-03[UTC]",
            ),
        ),
    )
    (row,) = entries_table(s).to_pylist()
    assert (row["recorded_from"], row["recorded_time"]) == ("entry", "2025-01-03[UTC]")


def test_competing_claims_are_all_rows_of_the_entries_table() -> None:
    rows = [r for r in entries_table(truce()).to_pylist() if r["entity"] == "cn-controls"]
    claims = [(r["source"], r["evidence"], r["claimed_by"]) for r in rows if r["seq"] > 0]
    assert claims == [("wh", "claimed", "us"), ("mofcom", "official", None)]


# ------------------------------------------------------------------------------- decimals
def test_a_rate_with_more_decimal_places_than_the_table_holds_is_refused_by_name() -> None:
    s = truce()
    fine = s.measure("us-fentanyl").amend(
        at="2025-10-20[America/New_York]", source="early", rate=tt.Rate.percent("12.1234567")
    )
    with pytest.raises(tt.InvalidValueError) as caught:
        entries_table(s.replace(fine))
    message = str(caught.value)
    assert "measure us-fentanyl history[2]" in message and "rate 12.1234567" in message
    assert "6 after" in message


def test_a_number_too_large_for_the_table_is_refused_not_rounded() -> None:
    s = truce()
    huge = s.measure("us-fentanyl").amend(
        at="2025-10-20[America/New_York]", source="early", rate=tt.Rate.percent("1e32")
    )
    with pytest.raises(tt.InvalidValueError, match="does not fit"):
        entries_table(s.replace(huge))


def test_rates_keep_their_exact_value() -> None:
    rates = [r["rate"] for r in entries_table(truce()).to_pylist() if r["rate"] is not None]
    assert Decimal("20") in rates and all(isinstance(r, Decimal) for r in rates)


# ------------------------------------------------------------------------------- readings
def _state_row(row: dict[str, Any], state: Any) -> None:
    assert row["status"] == (None if state.status is None else state.status.value), row
    assert row["certain"] is state.certain
    assert row["candidates"] == [None if c is None else c.value for c in state.candidates]
    assert row["disputed"] is bool(state.disagreements)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(scenarios(max_measures=4, max_deadlines=2, max_negotiations=2), times(), st.booleans())
def test_statuses_are_the_scenario_s_view(scenario: tt.Scenario, at: tt.When, known: bool) -> None:
    known_at = at if known else None
    rows = statuses_table(scenario, at, known_at=known_at).to_pylist()
    view = scenario.at(at, known_at=known_at)
    assert len(rows) == sum(1 for _ in scenario.entities())
    for row in rows:
        _state_row(row, view[row["entity"]])
        assert _us(row["valid_at"]) == view.t and _us(row["known_at"]) == view.known_at


def test_statuses_at_several_moments_are_blocks_in_the_order_given() -> None:
    s = truce()
    moments = ["2025-10-01[UTC]", "2025-11-03[UTC]"]
    table = statuses_table(s, moments)
    n = sum(1 for _ in s.entities())
    assert table.num_rows == 2 * n
    rows = table.to_pylist()
    assert {r["valid_at"].date() for r in rows[:n]} == {_dt.date(2025, 10, 1)}
    tariff = [r for r in rows if r["entity"] == "us-100pct"]
    assert [(r["status"], r["candidates"]) for r in tariff] == [
        (None, [None]),
        ("proposed", ["proposed"]),
    ]


def test_an_uncertain_status_is_null_with_every_candidate() -> None:
    inside = pendulum.datetime(2019, 6, 15, tz="America/New_York")  # inside "2019-06"
    rows = statuses_table(truce(), inside).to_pylist()
    (row,) = [r for r in rows if r["entity"] == "us-301"]
    assert (row["status"], row["certain"], row["candidates"]) == (
        None,
        False,
        ["proposed", "in_force"],
    )


def test_deadlines_read_to_the_end_give_each_deadline_s_own_status_and_due() -> None:
    s = truce().advance("2025-11-11[America/New_York]")
    rows = deadlines_table(s).to_pylist()
    for row, d in zip(rows, s.deadlines, strict=True):
        assert row["valid_at"] is None
        assert (row["deadline"], row["status"], row["due"]) == (d.id, d.status.value, str(d.due))
    assert [r["open"] for r in rows] == [d.is_open for d in s.deadlines]


def test_a_vague_due_time_keeps_its_whole_span() -> None:
    rows = {r["deadline"]: r for r in deadlines_table(tt.load_seed()).to_pylist()}
    meeting = rows["leaders-meeting"]
    assert meeting["due"] == "2025-10-27/2025-11-02[Asia/Seoul]"
    assert meeting["due_lo"] == _dt.datetime(2025, 10, 26, 15, tzinfo=_dt.UTC)
    assert meeting["due_hi"] == _dt.datetime(2025, 11, 2, 14, 59, 59, 999999, tzinfo=_dt.UTC)


def test_deadlines_at_a_moment_as_known_then() -> None:
    s = truce()
    rows = deadlines_table(s, "2025-10-01[UTC]", known_at="2025-10-01[UTC]").to_pylist()
    review = next(r for r in rows if r["deadline"] == "review")
    assert review["status"] is None and review["candidates"] == [None]  # not yet on record
    assert review["due"] is None


def test_the_scope_table_has_a_row_per_product_and_a_null_product_for_every_product() -> None:
    rows = scope_table(truce()).to_pylist()
    s301 = [r for r in rows if r["measure"] == "us-301"]
    assert [(r["product"], r["hs_code"], r["hs_level"]) for r in s301] == [("85", "85", 2)]
    fentanyl = [r for r in rows if r["measure"] == "us-fentanyl"]
    assert [(r["product"], r["targets"]) for r in fentanyl] == [(None, ["cn"])]
    assert len(rows) == sum(max(1, len(m.products)) for m in truce().measures)


def test_hs_codes_keep_leading_zeros_and_their_edition() -> None:
    s = truce()
    meat = s.measure("us-fentanyl")
    s = s.replace(attrs.evolve(meat, products=(tt.HSCode("0201", "HS2022"),)))
    rows = [r for r in scope_table(s).to_pylist() if r["measure"] == "us-fentanyl"]
    assert [(r["product"], r["hs_code"], r["hs_edition"]) for r in rows] == [
        ("HS2022:0201", "0201", "HS2022")
    ]


def test_layers_are_the_stacks_layers_certain_first() -> None:
    s = truce()
    inside = pendulum.datetime(2019, 6, 15, tz="America/New_York")
    later = pendulum.datetime(2025, 11, 3, tz="America/New_York")
    stacks = [s.tariff_stack("us", "cn", "8517", t) for t in (inside, later)]
    rows = layers_table(stacks).to_pylist()
    assert [(r["measure"], r["rate"], r["certain"]) for r in rows] == [
        ("us-301", Decimal("25"), False),
        ("us-fentanyl", Decimal("20"), True),
        ("us-301", Decimal("25"), True),
    ]
    assert rows[0]["valid_at"] == stacks[0].at and rows[0]["product"] == "8517"


# ----------------------------------------------------------------------------- dataframes
def test_pandas_gets_utc_microsecond_times_categories_and_exact_decimals() -> None:
    frame = to_pandas(entries_table(tt.load_seed()))
    assert str(frame["valid_lo"].dtype) == "datetime64[us, UTC]"
    assert str(frame["entity"].dtype) == "category"
    assert frame["rate"].dropna().iloc[0] == Decimal("100")
    # An open start (the seed's "../2025-10-26") is NaT, not a made-up date.
    assert frame["valid_lo"].isna().any()


def test_pandas_keeps_instants_beyond_the_nanosecond_range() -> None:
    s = truce()
    far = s.measure("us-fentanyl").amend(
        at="2025-10-20[America/New_York]", source="early", expires=tt.When.parse("2400-01-01[UTC]")
    )
    frame = to_pandas(entries_table(s.replace(far)))
    assert frame["expires_lo"].max().year == 2400


def test_polars_gets_typed_columns() -> None:
    pl = require("polars")
    frame = to_polars(statuses_table(truce(), "2025-11-03[UTC]"))
    assert frame.schema["valid_at"] == pl.Datetime("us", "UTC")
    assert frame.schema["entity"] == pl.Categorical
    assert isinstance(frame.schema["rate"], pl.Decimal)


# -------------------------------------------------------------------------------- extras
def test_a_missing_extra_is_named_with_the_command_that_installs_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # as if pyarrow were not installed
    with pytest.raises(MissingExtraError) as caught:
        entries_table(truce())
    assert isinstance(caught.value, tt.TradeTruceError) and isinstance(caught.value, ImportError)
    assert (caught.value.module, caught.value.extra) == ("pyarrow", "arrow")
    assert 'pip install "tradetruce[arrow]"' in str(caught.value)


@pytest.mark.parametrize("module", sorted(EXTRAS))
def test_every_optional_package_names_its_extra(
    module: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(MissingExtraError, match=rf"tradetruce\[{EXTRAS[module]}\]"):
        require(module)


def test_importing_tradetruce_and_its_export_package_loads_no_optional_package() -> None:
    code = (
        "import sys, tradetruce, tradetruce.export\n"
        "import tradetruce.export.schema, tradetruce.export.tables, tradetruce.export.panel\n"
        "import tradetruce.export.files, tradetruce.export.charts, tradetruce.export.html\n"
        f"print(sorted(m for m in {sorted(EXTRAS)!r} if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "[]", done.stdout


def test_arrow_types_are_the_ones_the_reference_names() -> None:
    assert str(pa.timestamp("us", tz="UTC")) == TS
