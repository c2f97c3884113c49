"""Exported tables as files: read back with the libraries analysts use, the same facts."""

from __future__ import annotations

import csv
import datetime as _dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import tradetruce as tt
from _engine_scenario import truce
from tradetruce.export import entries_table, statuses_table
from tradetruce.export.extras import require
from tradetruce.export.files import (
    WriteError,
    split_years,
    write_arrow,
    write_csv,
    write_panel_dataset,
    write_parquet,
)
from tradetruce.export.panel import rate_panel

pa = require("pyarrow")
pq = require("pyarrow.parquet")
duckdb = require("duckdb")


def panel() -> Any:
    return rate_panel(
        truce(),
        importers=["us", "ustr"],
        origins=["cn", "kr"],
        products=["8517", "1201"],
        start="2019-01-01[UTC]",
        end="2027-01-01[UTC]",
    )


def test_parquet_keeps_every_value_and_type(tmp_path: Path) -> None:
    table = entries_table(truce())
    write_parquet(table, tmp_path / "entries.parquet")
    back = pq.read_table(tmp_path / "entries.parquet")
    assert back.schema == table.schema
    assert back.to_pylist() == table.to_pylist()


def test_an_arrow_file_reads_back_as_the_same_table(tmp_path: Path) -> None:
    table = panel()
    write_arrow(table, tmp_path / "panel.arrow")
    with pa.memory_map(str(tmp_path / "panel.arrow")) as source:
        back = pa.ipc.open_file(source).read_all()
    assert back.equals(table) and back.schema == table.schema


def test_csv_writes_utc_times_exact_decimals_and_lists_as_json(tmp_path: Path) -> None:
    inside = "2019-06-15T12:00:00-04:00[America/New_York]"  # us-301 may or may not be in force
    write_csv(statuses_table(truce(), inside), tmp_path / "statuses.csv")
    with open(tmp_path / "statuses.csv", newline="", encoding="utf-8") as f:
        rows = {r["entity"]: r for r in csv.DictReader(f)}
    s301 = rows["us-301"]
    assert json.loads(s301["candidates"]) == ["proposed", "in_force"]
    assert s301["status"] == "" and s301["certain"] == "false"
    assert s301["rate"] == "25.000000" and s301["valid_at"] == "2019-06-15 16:00:00.000000Z"
    # A null candidate (it may not exist yet) stays a null, not a word.
    assert json.loads(rows["us-100pct"]["candidates"]) == [None]


def test_duckdb_reads_the_csv_with_its_types(tmp_path: Path) -> None:
    write_csv(entries_table(truce()), tmp_path / "entries.csv")
    (found,) = duckdb.sql(
        f"SELECT max(rate), min(valid_lo) FROM read_csv('{tmp_path / 'entries.csv'}')"
    ).fetchall()
    assert Decimal(str(found[0])) == Decimal("100")
    assert found[1].year == 2019


def test_the_panel_dataset_is_partitioned_by_importer_and_utc_year(tmp_path: Path) -> None:
    write_panel_dataset(panel(), tmp_path / "panel")
    folders = sorted(
        p.relative_to(tmp_path / "panel").as_posix() for p in tmp_path.glob("panel/*/*")
    )
    assert folders[0] == "importer=us/year=2019" and folders[-1] == "importer=ustr/year=2026"
    assert len(folders) == 2 * 8


def test_the_dataset_holds_the_panel_cut_at_new_years_and_nothing_else(tmp_path: Path) -> None:
    table = panel()
    write_panel_dataset(table, tmp_path / "panel")
    pieces = duckdb.sql(
        f"SELECT * EXCLUDE (year) FROM read_parquet('{tmp_path}/panel/**/*.parquet', "
        "hive_partitioning = true)"
    ).to_arrow_table()

    # Glue the pieces back at the new years: the same intervals as the panel.
    def key(r: dict[str, Any]) -> tuple[Any, ...]:
        return (r["importer"], r["origin"], r["product"], r["measure"] or "", r["valid_from"])

    glued: list[dict[str, Any]] = []
    for r in sorted(pieces.to_pylist(), key=key):
        last = glued[-1] if glued else None
        same = last is not None and all(
            last[c] == r[c]
            for c in ("importer", "origin", "product", "measure", "low", "high", "certain")
        )
        start = r["valid_from"].astimezone(_dt.UTC)
        new_year = (start.month, start.day, start.hour, start.minute, start.second) == (
            1,
            1,
            0,
            0,
            0,
        )
        if same and new_year and last is not None and last["valid_to"] == r["valid_from"]:
            last["valid_to"] = r["valid_to"]
        else:
            glued.append(dict(r))
    original = sorted(table.to_pylist(), key=key)
    columns = ("importer", "origin", "product", "measure", "valid_from", "valid_to", "low", "high")
    assert [tuple(r[c] for c in columns) for r in glued] == [
        tuple(r[c] for c in columns) for r in original
    ]


def test_an_interval_over_a_new_year_is_cut_there_with_the_same_figures() -> None:
    pieces = split_years(panel().slice(0, 1)).to_pylist()
    assert [(p["valid_from"].year, p["valid_to"].year, p["year"]) for p in pieces] == [
        (2019, 2019, 2019)
    ]
    long = [r for r in panel().to_pylist() if r["valid_to"].year - r["valid_from"].year >= 2]
    cut = split_years(pa.Table.from_pylist(long[:1], schema=panel().schema)).to_pylist()
    assert len(cut) == long[0]["valid_to"].year - long[0]["valid_from"].year + 1
    assert {(c["low"], c["high"]) for c in cut} == {(long[0]["low"], long[0]["high"])}


def test_a_dataset_is_never_written_over_another(tmp_path: Path) -> None:
    write_panel_dataset(panel(), tmp_path / "panel")
    with pytest.raises(WriteError, match="not an empty folder") as caught:
        write_panel_dataset(panel(), tmp_path / "panel")
    assert isinstance(caught.value, tt.TradeTruceError) and isinstance(caught.value, OSError)


def test_a_file_that_cannot_be_written_is_a_write_error_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "folder" / "entries.parquet"
    table = entries_table(truce())
    for write in (write_parquet, write_arrow, write_csv):
        with pytest.raises(WriteError) as caught:
            write(table, missing)
        assert str(missing) in str(caught.value), write
