"""The ``tradetruce`` command: output, JSON, exit codes, and errors without tracebacks."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

import tradetruce as tt
from tradetruce.cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, countdown, main, parse_duration

SEED_FILE = Path(__file__).resolve().parents[1] / "seeds" / "us-china-2025-10-26.toml"


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


def rows(text: str) -> dict[str, list[str]]:
    """Table rows by their first cell (cells are separated by two or more spaces)."""
    import re

    found: dict[str, list[str]] = {}
    for line in text.splitlines():
        cells = re.split(r"\s{2,}", line.strip())
        if len(cells) > 1:
            found.setdefault(cells[0], cells[1:])
    return found


# ------------------------------------------------------------------------------------ status
def test_bare_command_shows_the_default_scenario_at_its_report() -> None:
    code, text = run("--tz", "Asia/Tokyo")
    assert code == EXIT_OK
    assert text.startswith("US-China trade truce, October 2025\n")
    assert "at 2025-10-26[Asia/Kuala_Lumpur] (its last instant, 2025-10-26T23:59:59+08:00)" in text
    table = rows(text)
    assert table["us-100pct-tariff"][2:] == ["proposed", "100% from 2025-11-01[America/New_York]"]
    assert table["cn-rare-earth-controls"][2] == "scheduled"
    assert table["us-truce-suspended"][2] == "paused"
    assert table["us-cn-talks"][:2] == ["us, cn", "preliminary_consensus"]
    # Next deadlines, in order, with the due time in its zone, the reader's, and a countdown.
    ids = [i for i in table if i in {"framework-signing", "leaders-meeting", "truce-expiry"}]
    assert ids == ["framework-signing", "leaders-meeting", "truce-expiry"]
    assert table["truce-expiry"] == [
        "2025-11-10[America/New_York]",
        "2025-11-10 14:00 .. 2025-11-11 13:59 Asia/Tokyo",
        "in 14d 13h .. 15d 13h",
    ]
    assert text == run("status", "--tz", "Asia/Tokyo", "us-china-2025-10-26")[1]


def test_the_readers_zone_defaults_to_the_machines() -> None:
    # tests/conftest.py pins the process to Pacific/Chatham.
    _, text = run()
    assert "local time (Pacific/Chatham)" in text


def test_status_before_the_threat_was_dated_is_honestly_uncertain() -> None:
    code, text = run("status", "--at", "2025-10-20[America/New_York]", "--tz", "UTC")
    assert code == EXIT_OK
    assert rows(text)["us-100pct-tariff"][2] == "uncertain: (not yet) | proposed"


def test_status_at_an_exact_instant_names_it_once() -> None:
    code, text = run("status", "--at", "2025-11-10T00:01[America/New_York]", "--tz", "UTC")
    assert code == EXIT_OK
    assert "at 2025-11-10T00:01:00-05:00[America/New_York], everything recorded" in text
    assert "its last instant" not in text


def test_status_as_known_before_the_report_knows_nothing() -> None:
    code, text = run("--known-at", "2025-10-25T12:00:00Z", "--tz", "UTC")
    assert code == EXIT_OK
    assert "what was known at 2025-10-25T12:00:00+00:00[UTC]" in text
    assert rows(text)["us-100pct-tariff"][2] == "(not yet)"
    assert rows(text)["us-cn-talks"][1] == "(not yet)"
    assert "(none ahead)" in text  # no deadline had been reported either


def test_status_projected_past_november_1_puts_the_tariff_in_force() -> None:
    args = ("--at", "2025-11-02[America/New_York]", "--tz", "UTC")
    assert rows(run(*args)[1])["us-100pct-tariff"][2] == "proposed"  # recorded history only
    code, text = run(*args, "--project")
    assert code == EXIT_OK and "projected:" in text
    assert rows(text)["us-100pct-tariff"][2] == "in_force"
    assert rows(text)["truce-expiry"][0] == "2025-11-10[America/New_York]"


def test_status_json_is_machine_readable() -> None:
    code, text = run("status", "--json", "--tz", "UTC")
    assert code == EXIT_OK
    doc = json.loads(text)
    assert doc["at"] == "2025-10-26[Asia/Kuala_Lumpur]"
    assert doc["at_instant"] == "2025-10-26T15:59:59.999999+00:00"
    measures = {m["id"]: m for m in doc["measures"]}
    assert measures["us-100pct-tariff"]["status"] == "proposed"
    assert [d["id"] for d in doc["deadlines"]] == [
        "framework-signing",
        "leaders-meeting",
        "us-tariff-effective",
        "truce-expiry",
    ]
    assert doc["deadlines"][-1]["earliest"] == "2025-11-10T05:00:00+00:00"


# ---------------------------------------------------------------------- deadlines, timeline
def test_deadlines_within_a_window() -> None:
    code, text = run(
        "deadlines", "--from", "2025-11-02T12:00:00Z", "--within", "P10D", "--tz", "UTC"
    )
    assert code == EXIT_OK
    table = rows(text)
    assert "truce-expiry" in table and "leaders-meeting" in table
    assert "us-tariff-effective" not in table  # certainly over by then
    code, text = run("deadlines", "--from", "2025-11-02T12:00:00Z", "--within", "2d", "--json")
    assert [d["id"] for d in json.loads(text)["deadlines"]] == [
        "framework-signing",
        "leaders-meeting",
    ]


def test_countdowns_span_the_whole_due_value() -> None:
    start = tt.When.parse("2025-11-01T00:00:00+00:00[UTC]").upper
    assert countdown(start, tt.When.parse("2025-11-10[America/New_York]")) == "in 9d 5h .. 10d 5h"
    assert (
        countdown(start, tt.When.parse("2025-11-11/..[America/New_York]")) == "in 10d 5h or later"
    )
    assert countdown(start, tt.When.parse("2025-10-30T00:00:00+00:00[UTC]")) == "2d 0h ago"
    assert parse_duration("36h").in_hours() == 36


def test_timeline_lists_every_dated_event_in_order() -> None:
    code, text = run("timeline", "--json")
    assert code == EXIT_OK
    events = json.loads(text)["events"]
    assert len(events) == len(tt.load_seed().timeline())
    keys = [(e["earliest"], e["latest"]) for e in events]
    assert keys == sorted(keys)
    assert events[-1]["at"] == "2025-11-10[America/New_York]"
    code, text = run("timeline")
    assert code == EXIT_OK and "truce-expiry due" in text


# --------------------------------------------------------------------------------- validate
def test_validate_accepts_the_seed(tmp_path: Path) -> None:
    code, text = run("validate", str(SEED_FILE))
    assert code == EXIT_OK
    counts = "sources: 1, parties: 14, measures: 5, deadlines: 4, negotiations: 1"
    assert text == f"{SEED_FILE}: valid ({counts})\n"


def test_validate_reports_every_problem_with_its_line_and_exits_1(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text(SEED_FILE.read_text().replace('parent = "us"', 'parent = "usa"'))
    code, text = run("validate", str(SEED_FILE), str(broken))
    assert code == EXIT_INVALID
    assert f"{broken}: 3 problems found:" in text
    assert "$.parties[2].parent (line " in text and "[ustr]" in text
    code, text = run("validate", "--json", str(broken))
    (result,) = json.loads(text)
    assert result["valid"] is False
    assert [p["entity"] for p in result["problems"]] == ["ustr", "us-treasury", "us-eop"]
    assert all(isinstance(p["line"], int) for p in result["problems"])


def test_validate_a_missing_or_unreadable_file_exits_1(tmp_path: Path) -> None:
    code, text = run("validate", str(tmp_path / "missing.toml"))
    assert code == EXIT_INVALID and "missing.toml" in text
    garbage = tmp_path / "garbage.toml"
    garbage.write_bytes(b"\xff\xfe not toml [[[")
    code, text = run("validate", str(garbage))
    assert code == EXIT_INVALID and "problem" in text


# ----------------------------------------------------------------------------------- export
def test_export_json_and_toml_read_back_to_the_seed(tmp_path: Path) -> None:
    from tradetruce.wire import serialize

    seed = tt.load_seed()
    code, text = run("export", "--format", "json")
    assert code == EXIT_OK and serialize.from_json(text, tt.Scenario) == seed
    target = tmp_path / "out.toml"
    code, text = run("export", "--format", "toml", "-o", str(target))
    assert code == EXIT_OK and text == ""
    assert serialize.from_toml(target.read_text(), tt.Scenario) == seed


def test_export_schema_is_a_json_schema() -> None:
    code, text = run("export", "--format", "schema")
    assert code == EXIT_OK
    assert "2020-12" in json.loads(text)["$schema"]


def test_export_ics_is_an_icalendar_file_with_crlf_lines(tmp_path: Path) -> None:
    target = tmp_path / "deadlines.ics"
    code, _ = run("export", "--format", "ics", "-o", str(target))
    assert code == EXIT_OK
    data = target.read_bytes()
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.rstrip().endswith(b"END:VCALENDAR")
    assert data.count(b"BEGIN:VEVENT") == 4
    assert b"DTSTART;VALUE=DATE:20251110" in data


# ----------------------------------------------------------------------------- usage errors
@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["status", "--at", "2025-11-10"], "has no offset or zone"),
        (["status", "--at", "2025-13-01[UTC]"], "month must be in 1..12"),
        (["status", "--at", "2025-11-10[Mars/Olympus]"], "unknown time zone"),
        (["deadlines", "--within", "soon"], "DURATION 'soon'"),
        (["status", "no-such-scenario"], "neither a file nor a shipped scenario"),
        (["status", "--tz", "Nowhere/City"], "unknown time zone"),
        (["export", "--format", "xml"], "invalid choice"),
        (["frobnicate"], "neither a file nor a shipped scenario"),
        (["status", "--bogus"], "unrecognized arguments"),
    ],
)
def test_usage_errors_exit_2_with_a_message_and_no_traceback(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, text = run(*argv)
    err = capsys.readouterr().err
    assert code == EXIT_USAGE, err
    assert message in err and "Traceback" not in err and text == ""


def test_an_invalid_seed_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text(SEED_FILE.read_text().replace('kind = "tariff"', 'kind = "tarrif"'))
    code, _ = run("status", str(broken))
    err = capsys.readouterr().err
    assert code == EXIT_INVALID
    assert f"{broken}: 1 problem found" in err and "$.measures[0].kind (line " in err


def test_help_lists_the_commands_and_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("--help")[0] == EXIT_OK
    out = capsys.readouterr().out
    for word in ("status", "timeline", "deadlines", "validate", "export", "Exit codes"):
        assert word in out


# ------------------------------------------------------------------------------ subprocesses
def test_the_console_script_and_python_m_print_the_status() -> None:
    script = Path(sys.executable).with_name("tradetruce")
    commands = [[sys.executable, "-m", "tradetruce", "--tz", "UTC"]]
    if script.exists():
        commands.append([str(script), "--tz", "UTC"])
    outputs = []
    for command in commands:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
    assert outputs[0].startswith("US-China trade truce, October 2025")
    assert len(set(outputs)) == 1
    done = subprocess.run(
        [sys.executable, "-m", "tradetruce", "status", "--at", "nonsense"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == EXIT_USAGE and "Traceback" not in done.stderr
