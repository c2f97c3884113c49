"""Each script in examples/ runs as a user would run it, and prints what it promises."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def run_example(name: str, *args: str, cwd: Path) -> str:
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / name), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return done.stdout


def test_every_example_is_covered_here() -> None:
    names = {p.name for p in EXAMPLES.glob("*.py")}
    assert names == {
        "in_force_on_november_2.py",
        "sign_the_framework.py",
        "deadlines_to_calendar.py",
    }


def test_in_force_on_november_2(tmp_path: Path) -> None:
    out = run_example("in_force_on_november_2.py", cwd=tmp_path)
    recorded, projected = out.split("projected (what was scheduled carried out")
    assert "us-100pct-tariff         proposed" in recorded
    assert "us-100pct-tariff         in_force   100% from 2025-11-01[America/New_York]" in projected
    assert "us-truce-suspended       paused" in projected  # the truce runs to 10 November
    assert out.rstrip().endswith("In force: us-100pct-tariff")


def test_sign_the_framework(tmp_path: Path) -> None:
    out = run_example("sign_the_framework.py", cwd=tmp_path)
    assert (
        "measure us-100pct-tariff: proposed [100% from 2025-11-01[America/New_York]] -> paused"
        in out
    )
    assert "-> scheduled [from 2026-11~[Asia/Shanghai]]" in out
    assert "negotiation us-cn-talks: preliminary_consensus -> signed" in out
    assert "-> extended [due 2025-11-11/..[America/New_York]]" in out
    # The truce's held-back measures stay paused, now until further notice.
    assert (
        "measure us-truce-suspended: paused [suspended: whole measure until "
        "2025-11-10[America/New_York], then restored] -> paused [suspended: whole measure until "
        "further notice]" in out
    )
    assert out.rstrip().endswith(
        "Truce deadline on 30 November: extended (due 2025-11-11/..[America/New_York])"
    )


def test_deadlines_to_calendar(tmp_path: Path) -> None:
    icalendar = pytest.importorskip("icalendar")
    out = run_example("deadlines_to_calendar.py", "truce.ics", cwd=tmp_path)
    assert out.startswith("Wrote 4 deadlines to truce.ics:")
    assert "2025-11-10[America/New_York]         Truce expires" in out
    data = (tmp_path / "truce.ics").read_bytes()
    assert b"\r\n" in data
    calendar = icalendar.Calendar.from_ical(data)
    # Each UID is <deadline id>.<scenario key>@tradetruce (see tradetruce.ical).
    events = {str(e["UID"]).split(".")[0]: e for e in calendar.walk("VEVENT")}
    assert set(events) == {
        "leaders-meeting",
        "framework-signing",
        "us-tariff-effective",
        "truce-expiry",
    }
    meeting = events["leaders-meeting"]
    # "Later this week" spans 27 October to 2 November (DTEND is exclusive).
    assert str(meeting.decoded("DTSTART")) == "2025-10-27"
    assert str(meeting.decoded("DTEND")) == "2025-11-03"
    run_example("deadlines_to_calendar.py", cwd=tmp_path)
    assert (tmp_path / "us-china-deadlines.ics").exists()
