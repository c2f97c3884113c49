"""The ``tradetruce`` command: output, JSON, exit codes, and errors without tracebacks."""

from __future__ import annotations

import datetime as _dt
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import attrs
import pendulum
import pytest

import tradetruce as tt
from tradetruce.cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, main
from tradetruce.cli._args import countdown, parse_duration, parse_time, window_length

SEED_FILE = Path(__file__).resolve().parents[1] / "seeds" / "us-china-2025-10-26.toml"


@pytest.fixture(autouse=True)
def _terminal_of_100_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    # The text output wraps to the terminal; pin it so the tests do not depend on the one
    # they happen to run in.
    monkeypatch.setenv("COLUMNS", "100")


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


def items(text: str) -> dict[str, list[str]]:
    """Each item of a text report by the id in its heading, with its detail lines."""
    found: dict[str, list[str]] = {}
    heading = ""
    for line in text.splitlines():
        if line.startswith("      "):
            found[heading].append(line.strip())
        elif line.startswith("    ") and heading:  # a heading's continuation line
            del found[heading]
            heading = f"{heading} {line.strip()}"
            found[heading] = []
        elif line.startswith("  ") and not line.startswith("   "):
            heading = line.strip()
            found[heading] = []
    by_id: dict[str, list[str]] = {}
    for heading, details in found.items():
        match = re.search(r"\(([\w-]+)\)$", heading)
        if match:
            by_id[match.group(1)] = [heading, *details]
    return by_id


# ------------------------------------------------------------------------------------ status
def test_bare_command_shows_the_default_scenario_as_of_its_latest_source() -> None:
    code, text = run("--tz", "Asia/Tokyo")
    assert code == EXIT_OK
    lines = text.splitlines()
    assert lines[0] == "US-China trade truce, October 2025"
    assert (
        lines[1] == "As of the latest source (2025-10-26[Asia/Kuala_Lumpur]); --at now for today."
    )
    assert "last moment, 2025-10-26 23:59:59 +08:00; countdowns run from then" in text
    found = items(text)
    assert found["us-100pct-tariff"] == [
        "Threatened US 100% tariff on Chinese goods (us-100pct-tariff)",
        "proposed; tariff, United States on China; 100% from 2025-11-01[America/New_York]",
    ]
    assert found["cn-rare-earth-controls"][1] == "scheduled; export control, China on all"
    assert found["us-truce-suspended"][1].startswith("paused (whole measure until 2025-11-10[")
    assert found["us-cn-talks"][1] == "preliminary consensus; between United States and China"
    assert found["us-cn-talks"][2].startswith("The deal's 8 terms: pause the threatened tariff;")
    # Next deadlines, in order, with the due time in its zone, the reader's, and a countdown.
    deadlines = text[text.index("Next deadlines") :]
    order = list(items(deadlines))
    assert order == ["framework-signing", "leaders-meeting", "us-tariff-effective", "truce-expiry"]
    assert found["truce-expiry"] == [
        "Truce expires (truce-expiry)",
        "due 2025-11-10[America/New_York], in 14d 13h .. 15d 13h",
        "your time: 2025-11-10 14:00 .. 2025-11-11 13:59 Asia/Tokyo",
    ]
    assert found["framework-signing"][1].endswith("(may already have passed)")
    assert text == run("status", "--tz", "Asia/Tokyo", "us-china-2025-10-26")[1]


def test_status_speaks_plainly() -> None:
    _, text = run("--tz", "UTC")
    jargon = ("its last instant", "everything recorded", "terms on the table", "purchase_")
    for words in (*jargon, "preliminary_consensus", "export_control"):
        assert words not in text, words


@pytest.mark.parametrize("columns", [100, 60])
def test_status_wraps_to_the_terminal_width(columns: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    code, text = run("status", "--tz", "Pacific/Chatham")
    assert code == EXIT_OK
    too_wide = [line for line in text.splitlines() if len(line) > columns]
    assert too_wide == []
    flat = " ".join(text.split())
    # Nothing is lost by wrapping: titles, countdowns and local times are whole.
    assert "Trump-Xi meeting on the sidelines of the APEC summit, South Korea" in flat
    assert "in 14d 13h .. 15d 13h" in text
    assert "2025-11-10 18:45 .. 2025-11-11 18:44 Pacific/Chatham" in text


def test_the_readers_zone_defaults_to_the_machines() -> None:
    # tests/conftest.py pins the process to Pacific/Chatham.
    _, text = run()
    assert "Pacific/Chatham" in items(text)["truce-expiry"][2]


def test_status_before_the_threat_was_dated_is_honestly_uncertain() -> None:
    code, text = run("status", "--at", "2025-10-20[America/New_York]", "--tz", "UTC")
    assert code == EXIT_OK
    assert text.splitlines()[1] == "At 2025-10-20[America/New_York]."
    detail = items(text)["us-100pct-tariff"][1]
    assert detail.startswith("not certain: not yet or proposed;"), detail


def test_status_at_an_exact_instant_names_it_once() -> None:
    code, text = run("status", "--at", "2025-11-10T00:01[America/New_York]", "--tz", "UTC")
    assert code == EXIT_OK
    assert text.splitlines()[1:3] == [
        "At 2025-11-10T00:01:00-05:00[America/New_York].",
        "Based on every source in the scenario.",
    ]


def test_status_as_known_before_the_report_knows_nothing() -> None:
    code, text = run("--known-at", "2025-10-25T12:00:00Z", "--tz", "UTC")
    assert code == EXIT_OK
    assert "Based only on what was recorded by 2025-10-25T12:00:00+00:00[UTC]" in text
    assert items(text)["us-100pct-tariff"][1].startswith("not yet on record;")
    assert items(text)["us-cn-talks"][1].startswith("not yet on record;")
    assert "(none ahead)" in text  # no deadline had been reported either


def test_status_projected_past_november_1_puts_the_tariff_in_force() -> None:
    args = ("--at", "2025-11-02[America/New_York]", "--tz", "UTC")
    assert items(run(*args)[1])["us-100pct-tariff"][1].startswith("proposed;")
    code, text = run(*args, "--project")
    assert code == EXIT_OK and "Projected:" in text
    assert items(text)["us-100pct-tariff"][1].startswith("in force (projected);")
    assert items(text)["truce-expiry"][1].startswith("due 2025-11-10[America/New_York],")


def test_after_the_truce_ends_its_held_back_measures_are_possibly_back_with_the_reason(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    args = ("--at", "2025-11-11[America/New_York]", "--tz", "UTC")
    found = items(run(*args)[1])
    assert found["us-truce-suspended"][1:] == [
        "not certain: paused or in force; other measure, United States on China",
        "Why not certain: suspension ended 2025-11-10[America/New_York]; no extension or end "
        "recorded.",
    ]
    projected = items(run(*args, "--project")[1])
    assert projected["us-truce-suspended"][1].startswith("in force (projected);")
    doc = json.loads(run(*args, "--json")[1])
    held = next(m for m in doc["measures"] if m["id"] == "us-truce-suspended")
    assert held["certain"] is False and held["candidates"] == ["paused", "in_force"]
    assert held["projected"] is False and held["disputed"] is False
    (lapse,) = held["lapses"]
    assert lapse["kind"] == "suspension_end" and lapse["passed"] is True
    assert lapse["due"]["value"] == "2025-11-10[America/New_York]" and lapse["to"] == "in_force"
    assert held["suspension"]["until"]["value"] == "2025-11-10[America/New_York]"
    # As known on 29 October, projected: back, and marked so.
    known = ("--known-at", "2025-10-29[America/New_York]", "--project", "--json")
    doc = json.loads(run(*args, *known)[1])
    held = next(m for m in doc["measures"] if m["id"] == "us-truce-suspended")
    assert doc["projected"] is True and held["projected"] is True and held["status"] == "in_force"


def test_at_now_is_this_instant_in_utc() -> None:
    before = _dt.datetime.now(_dt.UTC).replace(microsecond=0)
    code, text = run("status", "--at", "now", "--json")
    after = _dt.datetime.now(_dt.UTC)
    assert code == EXIT_OK
    at = _dt.datetime.fromisoformat(json.loads(text)["at_instant"])
    assert before <= at <= after
    assert json.loads(text)["at"].endswith("[UTC]")


def test_at_today_is_todays_date_in_the_readers_zone_read_as_its_last_instant() -> None:
    days = {str(pendulum.now("Pacific/Kiritimati").date())}
    code, text = run("status", "--at", "today", "--tz", "Pacific/Kiritimati", "--json")
    days.add(str(pendulum.now("Pacific/Kiritimati").date()))  # in case midnight passed
    assert code == EXIT_OK
    doc = json.loads(text)
    assert doc["at"] in {f"{d}[Pacific/Kiritimati]" for d in days}
    assert doc["at_instant"].endswith("T09:59:59.999999+00:00")  # 23:59:59.999999 at +14:00
    assert parse_time("TODAY", "Asia/Tokyo").zone == "Asia/Tokyo"


def test_an_instant_with_an_offset_is_accepted_on_the_command_line() -> None:
    # A query only has to say when; files keep zone names, whose rules they need.
    code, text = run("status", "--at", "2025-11-02T10:00:00+01:00", "--tz", "UTC")
    assert code == EXIT_OK
    assert "At 2025-11-02T09:00:00+00:00[UTC]." in text


def test_status_json_carries_every_fact_the_text_shows_and_more() -> None:
    code, text = run("status", "--json", "--tz", "UTC")
    assert code == EXIT_OK
    doc = json.loads(text)
    assert doc["at"] == "2025-10-26[Asia/Kuala_Lumpur]"
    assert doc["at_instant"] == "2025-10-26T15:59:59.999999+00:00"
    assert doc["at_is_latest_source"] is True
    measures = {m["id"]: m for m in doc["measures"]}
    tariff = measures["us-100pct-tariff"]
    assert tariff["title"] == "Threatened US 100% tariff on Chinese goods"
    assert (tariff["kind"], tariff["imposed_by"], tariff["targets"]) == ("tariff", "us", ["cn"])
    assert tariff["status"] == "proposed" and tariff["status_text"] == "proposed"
    assert tariff["terms"]["rate"] == {
        "value": "100",
        "unit": "percent",
        "currency": None,
        "per": None,
        "high": None,
        "other": None,
        "combine": None,
        "floor": False,
    }
    assert tariff["terms"]["effective"] == {
        "value": "2025-11-01[America/New_York]",
        "earliest": "2025-11-01T04:00:00+00:00",
        "latest": "2025-11-02T03:59:59.999999+00:00",
    }
    assert measures["cn-rare-earth-controls"]["terms"]["effective"] is None
    (talks,) = doc["negotiations"]
    assert talks["title"] == "US-China trade talks" and talks["parties"] == ["us", "cn"]
    truce_term = next(t for t in talks["terms"] if t["entity"] == "truce-expiry")
    # An open end is null, never a made-up date.
    assert truce_term["due"] == {
        "value": "2025-11-11/..[America/New_York]",
        "earliest": "2025-11-11T05:00:00+00:00",
        "latest": None,
    }
    assert [d["id"] for d in doc["deadlines"]] == [
        "framework-signing",
        "leaders-meeting",
        "us-tariff-effective",
        "truce-expiry",
    ]
    expiry = doc["deadlines"][-1]
    assert expiry["earliest"] == "2025-11-10T05:00:00+00:00"
    assert (expiry["kind"], expiry["parties"]) == ("expiry", ["us", "cn"])
    # Every fact of the text is in the JSON.
    _, shown = run("status", "--tz", "UTC")
    for m in doc["measures"]:
        assert f"{m['title']} ({m['id']})" in shown and m["status_text"] in shown
    for d in doc["deadlines"]:
        assert d["title"] in shown and d["countdown"] in shown and d["local"] in shown


# ---------------------------------------------------------------------- deadlines, timeline
def test_deadlines_within_a_window() -> None:
    code, text = run(
        "deadlines", "--from", "2025-11-02T12:00:00Z", "--within", "P10D", "--tz", "UTC"
    )
    assert code == EXIT_OK
    found = items(text)
    assert "truce-expiry" in found and "leaders-meeting" in found
    assert "us-tariff-effective" not in found  # certainly over by then
    code, text = run("deadlines", "--from", "2025-11-02T12:00:00Z", "--within", "2d", "--json")
    assert [d["id"] for d in json.loads(text)["deadlines"]] == [
        "framework-signing",
        "leaders-meeting",
    ]


@pytest.mark.parametrize("within", ["1y", "P1Y", "12mo", "P12M"])
def test_a_window_of_a_year_is_a_calendar_year(within: str) -> None:
    code, text = run("deadlines", "--from", "2028-02-29T12:00:00Z", "--within", within, "--json")
    assert code == EXIT_OK
    assert json.loads(text)["to_instant"] == "2029-02-28T12:00:00+00:00"


def test_years_and_months_are_counted_in_the_zone_of_the_windows_start() -> None:
    start = tt.When.parse("2025-03-10T00:30:00+13:00[Pacific/Auckland]")
    length = window_length(start, parse_duration("1mo"))
    # To 10 April, 00:30 in Auckland: New Zealand's clocks went back an hour on 6 April.
    assert length == _dt.timedelta(days=31, hours=1)
    assert parse_duration("1y6mo2w3d4h5m").in_hours() == (365 + 180 + 17) * 24 + 4


@pytest.mark.parametrize("argv", [["--within", "-5d"], ["--within=-5d"], ["--within", "-P1Y"]])
def test_a_negative_window_is_refused_with_a_clear_message(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, text = run("deadlines", *argv)
    err = capsys.readouterr().err
    assert code == EXIT_USAGE and text == ""
    assert "a window cannot run backwards" in err and "Traceback" not in err


def _with_a_deadline_set_on_november_3(tmp_path: Path) -> Path:
    """The seed plus a deadline first reported on 3 November, due on 8 November."""
    seed = tt.load_seed()
    notice = tt.Source(
        id="notice-2025-11-03",
        title="A notice of consultations",
        kind=tt.SourceKind.OFFICIAL_STATEMENT,
        published=tt.When.parse("2025-11-03[UTC]"),
    )
    hearing = tt.Deadline.create(
        id="comment-deadline",
        title="Comments on the consultations due",
        kind=tt.DeadlineKind.REVIEW,
        due="2025-11-08[UTC]",
        at="2025-11-03[UTC]",
        source=notice.id,
    )
    scenario = attrs.evolve(
        seed, sources=(*seed.sources, notice), deadlines=(*seed.deadlines, hearing)
    )
    path = tmp_path / "with-comment-deadline.toml"
    path.write_text(tt.to_toml(scenario), "utf-8")
    return path


def test_deadlines_lists_one_set_during_the_window_unless_asked_for_the_start_only(
    tmp_path: Path,
) -> None:
    path = str(_with_a_deadline_set_on_november_3(tmp_path))
    window = ("deadlines", "--from", "2025-11-01[UTC]", "--within", "10d", "--tz", "UTC")
    code, text = run(*window, path)
    assert code == EXIT_OK
    found = items(text)
    assert found["comment-deadline"][1] == (
        "due 2025-11-08[UTC], in 6d 0h .. 7d 0h (set after the window opens)"
    )
    assert "truce-expiry" in found
    code, text = run(*window, "--scope", "at-start", "--json", path)
    ids = [d["id"] for d in json.loads(text)["deadlines"]]
    assert "comment-deadline" not in ids and "truce-expiry" in ids
    code, text = run(*window, "--json", path)
    listed = {d["id"]: d for d in json.loads(text)["deadlines"]}
    assert listed["comment-deadline"]["open_at_start"] is False
    assert listed["truce-expiry"]["open_at_start"] is True


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
    keys = [(e["earliest"] or "", e["latest"] or "9999") for e in events]
    assert keys == sorted(keys)
    assert events[-1]["at"] == "2025-11-10[America/New_York]"
    code, text = run("timeline")
    assert code == EXIT_OK and "truce-expiry due" in text
    assert text.startswith("US-China trade truce, October 2025: 22 dated events, in order\n")


def test_timeline_json_writes_an_open_start_as_null() -> None:
    _, text = run("timeline", "--json")
    first = json.loads(text)["events"][0]
    assert first["at"] == "../2025-10-26[Asia/Kuala_Lumpur]"
    assert first["earliest"] is None
    assert first["latest"] == "2025-10-26T15:59:59.999999+00:00"


def test_timeline_keeps_the_events_of_the_entities_asked_for() -> None:
    code, text = run("timeline", "--entity", "truce-expiry", "--entity", "us-cn-talks", "--json")
    assert code == EXIT_OK
    events = json.loads(text)["events"]
    assert {e["entity"] for e in events} == {"truce-expiry", "us-cn-talks"}
    every = json.loads(run("timeline", "--json")[1])["events"]
    assert len(events) == sum(e["entity"] in {"truce-expiry", "us-cn-talks"} for e in every)


def test_timeline_keeps_the_events_that_can_fall_between_from_and_to() -> None:
    code, text = run("timeline", "--from", "2025-11-01[UTC]", "--to", "2025-11-30[UTC]", "--json")
    assert code == EXIT_OK
    events = json.loads(text)["events"]
    # The November due times, and the meeting's week that runs into November 2 in Seoul.
    assert [e["at"] for e in events] == [
        "2025-10-27/2025-11-02[Asia/Seoul]",
        "2025-10-27/2025-11-02[Asia/Seoul]",
        "2025-11-01[America/New_York]",
        "2025-11-10[America/New_York]",
    ]
    _, text = run("timeline", "--from", "2025-11-01[UTC]", "--to", "2025-11-30[UTC]")
    assert text.startswith("US-China trade truce, October 2025: 4 of 22 dated events")


def test_timeline_shows_each_time_in_the_readers_zone_when_asked() -> None:
    code, text = run("timeline", "--entity", "truce-expiry", "--tz", "Asia/Tokyo")
    assert code == EXIT_OK
    assert (
        "2025-11-10[America/New_York]  "
        "(your time: 2025-11-10 14:00 .. 2025-11-11 13:59 Asia/Tokyo)" in text
    )
    assert "(your time: by 2025-10-26 " in run("timeline", "--tz", "UTC")[1]
    _, text = run("timeline", "--entity", "truce-expiry", "--tz", "UTC", "--json")
    assert json.loads(text)["events"][-1]["local"] == "2025-11-10 05:00 .. 2025-11-11 04:59 UTC"


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
    assert code == EXIT_INVALID and "missing.toml: no such file" in text
    garbage = tmp_path / "garbage.toml"
    garbage.write_bytes(b"\xff\xfe not toml [[[")
    code, text = run("validate", str(garbage))
    assert code == EXIT_INVALID and "problem" in text


# ------------------------------------------------------------------------- JSON scenarios
def test_what_export_json_writes_validate_status_and_load_seed_read(tmp_path: Path) -> None:
    target = tmp_path / "scenario.json"
    assert run("export", "--format", "json", "-o", str(target))[0] == EXIT_OK
    code, text = run("validate", str(target))
    assert code == EXIT_OK and text.startswith(f"{target}: valid (")
    assert run("status", "--tz", "UTC", str(target))[1] == run("status", "--tz", "UTC")[1]
    assert tt.load_seed(target) == tt.load_seed()
    # Without the suffix the leading brace says it is JSON.
    bare = tmp_path / "scenario"
    bare.write_bytes(target.read_bytes())
    assert tt.load_seed(bare) == tt.load_seed()


def test_a_broken_json_scenario_names_file_line_and_column(tmp_path: Path) -> None:
    target = tmp_path / "scenario.json"
    run("export", "--format", "json", "-o", str(target))
    text = target.read_text("utf-8")
    target.write_text(text.replace('"kind": "tariff"', '"kind": "tarrif"'), "utf-8")
    line = 1 + text[: text.index('"kind": "tariff"')].count("\n")
    code, out = run("validate", str(target))
    assert code == EXIT_INVALID
    assert f"{target}: 1 problem found:" in out
    assert f"$.measures[0].kind (line {line}, column 7) [us-100pct-tariff]" in out
    target.write_text(text[:-20], "utf-8")  # cut short: a syntax error
    with pytest.raises(tt.InvalidDataError) as info:
        tt.load_seed(target)
    assert info.value.file == str(target)
    assert info.value.problems[0].message.startswith("JSON syntax error")
    assert info.value.problems[0].line is not None


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


# ------------------------------------------------------------------------------ exit codes
@pytest.mark.parametrize(
    "command",
    [
        ["status"],
        ["timeline"],
        ["deadlines"],
        ["export", "--format", "json"],
        ["validate"],
    ],
)
@pytest.mark.parametrize("problem", ["missing", "a folder"])
def test_a_missing_or_unreadable_file_exits_1_from_every_command(
    command: list[str], problem: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "scenario.toml"
    if problem == "a folder":
        path.mkdir()
    code, text = run(*command, str(path))
    err = capsys.readouterr().err
    assert code == EXIT_INVALID, err
    reason = "no such file" if problem == "missing" else "Is a directory"
    assert f"{path}: {reason}" in text + err and "Traceback" not in err


# ----------------------------------------------------------------------------- usage errors
@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["status", "--at", "2025-11-10"], "has no offset or zone"),
        (["status", "--at", "2025-13-01[UTC]"], "month must be in 1..12"),
        (["status", "--at", "2025-11-10[Mars/Olympus]"], "unknown time zone"),
        (["status", "--at", "tomorrow"], "or now, today"),
        (["deadlines", "--within", "soon"], "DURATION 'soon'"),
        (["status", "no-such-scenario"], "neither a file nor a shipped scenario"),
        (
            ["status", "us-china-2025"],
            "did you mean 'us-china-2025-10-26' or 'us-china-2025-escalation'?",
        ),
        (["status", "--tz", "Nowhere/City"], "unknown time zone"),
        (["export", "--format", "xml"], "invalid choice"),
        (
            ["frobnicate"],
            "commands: status, timeline, deadlines, tariff, changes, validate, export",
        ),
        (["stauts"], "did you mean 'status'?"),
        (["timeline", "--entity", "truce-expiri"], "did you mean 'truce-expiry'?"),
        (["timeline", "--from", "2025-11-10[UTC]", "--to", "2025-11-01[UTC]"], "ends before"),
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


def test_an_unknown_first_word_names_the_commands_and_the_shipped_scenarios(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run("frobnicate")[0] == EXIT_USAGE
    err = capsys.readouterr().err
    assert err == (
        "tradetruce: error: 'frobnicate' is not a command, a file or a shipped scenario; "
        "commands: status, timeline, deadlines, tariff, changes, validate, export, plot; "
        f"shipped scenarios: {', '.join(tt.list_seeds())}\n"
    )
    assert all(name in err for name in ("us-china-2025-10-26", "eu-bev-cvd-and-china-brandy-ad"))


def test_an_invalid_seed_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text(SEED_FILE.read_text().replace('kind = "tariff"', 'kind = "tarrif"'))
    code, _ = run("status", str(broken))
    err = capsys.readouterr().err
    assert code == EXIT_INVALID
    assert f"{broken}: 1 problem found" in err and "$.measures[0].kind (line " in err


def test_help_lists_the_commands_exit_codes_and_time_rules(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run("--help")[0] == EXIT_OK
    out = " ".join(capsys.readouterr().out.split())
    for words in (
        "status",
        "timeline",
        "deadlines",
        "validate",
        "export",
        "1 invalid data, or a file that is missing or cannot be read",
        "2 usage error",
        "now (in UTC)",
        "today (in the reader's zone, so its last instant)",
        "a query only has to say when; files need a zone name",
        "1y",
    ):
        assert words in out, words
    assert run("status", "--help")[0] == EXIT_OK
    out = " ".join(capsys.readouterr().out.split())
    assert "as of the latest source's publication, not today (--at now for today)" in out


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


# ----------------------------------------------------------------------------------- tariff
BEV = str(Path(__file__).parent / "data" / "scenarios" / "eu-bev-cvd.toml")
BEV_FLOW = ("--importer", "fr", "--exporter", "cn", "--product", "8703.80.10")


def test_tariff_shows_the_layers_and_bounds_for_one_shipment() -> None:
    code, text = run("tariff", BEV, *BEV_FLOW, "--producer", "byd", "--at", "2025-03-01[UTC]")
    assert code == 0, text
    assert "fr tariffs on 8703.80.10 from cn at 2025-03-01T23:59:59.999999+00:00: 27.0%" in text
    assert "  + 17.0% (Regulation (EU) 2016/1037, Article 15) eu-bev-cvd" in text
    code, text = run("tariff", BEV, *BEV_FLOW, "--at", "2025-03-01[UTC]")
    assert ": 17.8% to 45.3%" in text and "? marks a layer" in text


def test_tariff_json_gives_bounds_and_layers_as_decimal_strings() -> None:
    argv = ("tariff", BEV, *BEV_FLOW, "--producer", "tesla-shanghai", "--json")
    code, out = run(*argv, "--at", "2025-03-01[UTC]", "--known-at", "2024-09-01[UTC]")
    doc = json.loads(out)
    assert code == 0 and (doc["low"], doc["high"]) == ("30.8", "30.8")
    assert doc["known_at"] == "2024-09-01[UTC]" and doc["producer"] == "tesla-shanghai"
    assert [x["measure"] for x in doc["layers"]] == ["eu-cars-duty", "eu-bev-cvd"]
    # The stack's own document: a Rate as documents write it (a percent is the default unit).
    assert doc["layers"][1]["rate"] == {"value": "20.8"}
    assert doc["uncertain"] == doc["per_unit"] == []


def test_tariff_refuses_an_unknown_party_or_a_bad_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("tariff", BEV, "--importer", "xx", "--exporter", "cn", "--product", "8703")[0] == 1
    assert "no party with id 'xx'" in capsys.readouterr().err
    assert run("tariff", BEV, "--importer", "eu", "--exporter", "cn", "--product", "87x")[0] == 1
    assert "HS code '87x'" in capsys.readouterr().err
    assert run("tariff", BEV, "--importer", "eu")[0] == 2


def test_tariff_gives_the_duty_in_money_for_a_value_and_refuses_a_value_alone() -> None:
    argv = ("tariff", BEV, *BEV_FLOW, "--producer", "byd", "--at", "2025-03-01[UTC]")
    code, text = run(*argv, "--value", "40000", "--currency", "EUR")
    assert code == 0 and "Duty on a customs value of 40000 EUR: 10800.0 EUR" in text
    code, out = run(*argv, "--value", "40000", "--currency", "EUR", "--json")
    assert json.loads(out)["amount"] == {
        "value": "40000",
        "quantity": None,
        "currency": "EUR",
        "low": "10800.0",
        "high": "10800.0",
    }
    assert run(*argv, "--value", "40000")[0] == 2
