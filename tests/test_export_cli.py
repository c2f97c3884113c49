"""The command line of the analysts' exports: ``tradetruce export --format parquet|csv|arrow``
and ``tradetruce plot``, their files read back, and their exit codes."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

import tradetruce as tt
from tradetruce.cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, main
from tradetruce.export import entries_table, rate_panel, statuses_table
from tradetruce.export.extras import require

pq = require("pyarrow.parquet")
pa = require("pyarrow")

PANEL = [
    "--table",
    "panel",
    "--importer",
    "us",
    "--origin",
    "cn",
    "--product",
    "8517",
    "--from",
    "2025-10-01[UTC]",
    "--to",
    "2025-12-01[UTC]",
]


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


def test_the_entries_table_as_parquet_is_the_library_s_table(tmp_path: Path) -> None:
    code, _ = run("export", "--format", "parquet", "-o", str(tmp_path / "entries.parquet"))
    assert code == EXIT_OK
    back = pq.read_table(tmp_path / "entries.parquet")
    assert back.equals(entries_table(tt.load_seed()))


def test_statuses_as_csv_on_standard_output_at_the_latest_source_by_default() -> None:
    code, out = run("export", "--format", "csv", "--table", "statuses")
    assert code == EXIT_OK
    lines = out.splitlines()
    assert lines[0].startswith('"valid_at","known_at","kind","entity","status"')
    assert len(lines) == 1 + len(statuses_table(tt.load_seed(), "2025-10-26[UTC]").to_pylist())
    # The seed's only source was published on 26 October in Kuala Lumpur: its last instant.
    assert lines[1].startswith("2025-10-26 15:59:59.999999Z,")


def test_the_panel_as_parquet_is_a_dataset_by_importer_and_year(tmp_path: Path) -> None:
    seed = tt.load_seed().advance("2025-11-11[America/New_York]")
    (tmp_path / "projected.json").write_text(tt.to_json(seed), "utf-8")
    code, out = run(
        "export",
        "--format",
        "parquet",
        *PANEL,
        "-o",
        str(tmp_path / "panel"),
        "--json",
        str(tmp_path / "projected.json"),
    )
    assert code == EXIT_OK, out
    report = json.loads(out)
    assert report["table"] == "panel" and report["rows"] > 0
    assert (tmp_path / "panel" / "importer=us" / "year=2025").is_dir()
    back = pq.read_table(tmp_path / "panel").to_pylist()
    assert max(r["high"] for r in back) == 100


def test_the_panel_day_by_day_as_an_arrow_file(tmp_path: Path) -> None:
    target = tmp_path / "daily.arrow"
    code, _ = run(
        "export", "--format", "arrow", *PANEL, "--daily", "America/New_York", "-o", str(target)
    )
    assert code == EXIT_OK
    with pa.memory_map(str(target)) as source:
        daily = pa.ipc.open_file(source).read_all()
    assert "day" in daily.column_names and daily.num_rows > 50


def test_a_vintage_panel_has_knowledge_spans(tmp_path: Path) -> None:
    code, _ = run("export", "--format", "parquet", *PANEL, "--vintages", "-o", str(tmp_path / "v"))
    assert code == EXIT_OK
    panel = rate_panel(
        tt.load_seed(),
        importers="us",
        origins="cn",
        products="8517",
        start="2025-10-01[UTC]",
        end="2025-12-01[UTC]",
        vintages=True,
    )
    assert pq.read_table(tmp_path / "v").num_rows >= panel.num_rows


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["export", "--format", "arrow"], "give -o FILE"),
        (["export", "--format", "csv", "--table", "panel"], "the rate panel needs --importer"),
        (["export", "--format", "json", "--table", "statuses"], "table options are for"),
        (["export", "--format", "csv", "--importer", "us"], "--importer is for --table panel"),
        (["export", "--format", "csv", *PANEL, "--daily", "Mars/Olympus"], "--daily"),
        (["export", "--format", "csv", *PANEL, "--at", "now"], "--at is for statuses"),
        (["plot", "--chart", "rate", "-o", "x.svg"], "the rate chart needs --importer"),
        (["plot", "-o", "x.jpg"], "FILE.svg or FILE.png"),
        (["plot", "-o", "x.svg", "--tz", "Mars/Olympus"], "--tz"),
        (["plot", "-o", "x.svg", "--product", "8517"], "are for the rate chart"),
    ],
)
def test_usage_errors_exit_2_and_say_what_to_do(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = run(*argv)
    assert code == EXIT_USAGE
    assert message in capsys.readouterr().err


def test_a_missing_extra_exits_1_naming_the_extra(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    code, _ = run("export", "--format", "parquet", "-o", str(tmp_path / "e.parquet"))
    assert code == EXIT_INVALID
    assert 'pip install "tradetruce[arrow]"' in capsys.readouterr().err


def test_the_timeline_and_the_rate_chart_from_the_command_line(tmp_path: Path) -> None:
    code, out = run("plot", "-o", str(tmp_path / "truce.svg"), "--json")
    assert code == EXIT_OK and json.loads(out)["chart"] == "timeline"
    assert (tmp_path / "truce.svg").read_text("utf-8").lstrip().startswith("<?xml")
    code, _ = run(
        "plot",
        "--chart",
        "rate",
        "--importer",
        "us",
        "--origin",
        "cn",
        "--product",
        "8517",
        "--from",
        "2025-10-01[UTC]",
        "--to",
        "2025-12-01[UTC]",
        "--tz",
        "America/New_York",
        "-o",
        str(tmp_path / "rate.png"),
    )
    assert code == EXIT_OK
    assert (tmp_path / "rate.png").read_bytes()[:4] == b"\x89PNG"


def test_a_folder_that_holds_a_dataset_already_is_not_written_over(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = str(tmp_path / "panel")
    assert run("export", "--format", "parquet", *PANEL, "-o", target)[0] == EXIT_OK
    assert run("export", "--format", "parquet", *PANEL, "-o", target)[0] == EXIT_INVALID
    assert "not an empty folder" in capsys.readouterr().err
