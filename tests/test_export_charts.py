"""Charts: what they draw is what the scenario reads, and drawing them changes nothing global."""

from __future__ import annotations

import datetime as _dt
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

import tradetruce as tt
from _engine_scenario import truce
from tradetruce.export.charts import (
    DEADLINE_COLOURS,
    STATUS_COLOURS,
    rate_chart,
    save_chart,
    timeline_chart,
)
from tradetruce.export.extras import require
from tradetruce.export.files import WriteError
from tradetruce.export.panel import rate_panel
from tradetruce.strategies import scenarios

mdates = require("matplotlib.dates")
colors = require("matplotlib.colors")
MICROSECONDS = _dt.timedelta(microseconds=5)


def _when(x: float) -> _dt.datetime:
    found: _dt.datetime = mdates.num2date(x)
    return found.astimezone(_dt.UTC)


def bands(fig: Any) -> list[tuple[int, _dt.datetime, _dt.datetime, str, str | None]]:
    """Each band of a timeline: row, start, end, colour, hatch."""
    (ax,) = fig.axes
    found = []
    for patch in ax.patches:
        x, y = patch.get_xy()
        row = round(y + 0.35)
        colour = colors.to_hex(patch.get_facecolor())
        found.append(
            (row, _when(x), _when(x + patch.get_width()), colour, patch.get_hatch() or None)
        )
    return found


def test_every_status_has_a_colour() -> None:
    assert set(STATUS_COLOURS) == {s.value for s in tt.MeasureStatus}
    assert set(DEADLINE_COLOURS) == {s.value for s in tt.DeadlineStatus}


def test_an_uncertain_status_is_a_hatched_band_over_exactly_its_span() -> None:
    fig = timeline_chart(truce(), measures=["us-301"], deadlines=[])
    s301 = bands(fig)
    june = [b for b in s301 if b[4] == "////" and b[3] == STATUS_COLOURS["in_force"]]
    # To the microsecond, within what a float day number holds.
    (band,) = june
    first = _dt.datetime(2019, 6, 1, 4, tzinfo=_dt.UTC)
    last = _dt.datetime(2019, 7, 1, 3, 59, 59, 999999, tzinfo=_dt.UTC)
    assert abs(band[1] - first) < MICROSECONDS and abs(band[2] - last) < MICROSECONDS
    certain = [b[3] for b in s301 if b[4] is None]
    assert certain == [STATUS_COLOURS["proposed"], STATUS_COLOURS["in_force"]]


def test_a_paused_measure_is_drawn_as_a_suspension_and_its_deadline_as_a_marker() -> None:
    s = truce()
    fig = timeline_chart(s, measures=["us-24pct"], deadlines=["truce-expiry"])
    # Proposed on "2025-04-02" and paused on "2025-05-14" (New York): each day uncertain, then
    # certain.
    drawn = [(b[3], b[4]) for b in bands(fig)]
    proposed, paused = STATUS_COLOURS["proposed"], STATUS_COLOURS["paused"]
    assert drawn == [(proposed, "////"), (proposed, None), (paused, "////"), (paused, None)]
    (ax,) = fig.axes
    markers = [line for line in ax.lines if line.get_marker() == "D"]
    (due,) = markers
    xdata: Any = due.get_xdata()
    assert _when(xdata[0]) == s.deadline("truce-expiry").due.upper
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["us-24pct", "truce-expiry (due)"]


def test_projected_states_are_dotted() -> None:
    projected = truce().advance("2025-11-11[America/New_York]")
    fig = timeline_chart(projected, measures=["us-24pct"], deadlines=[])
    last = bands(fig)[-1]
    assert last[3] == STATUS_COLOURS["in_force"] and last[4] == "..."


def test_a_timeline_as_known_at_a_time_leaves_out_what_came_later() -> None:
    s = truce()
    k = "2025-10-15[UTC]"
    fig = timeline_chart(s, measures=["cn-controls"], deadlines=[], known_at=k)
    # The pause of 30 October was published on 1 and 5 November: as known on 15 October, the
    # controls are only proposed, to the end of the axis.
    assert {b[3] for b in bands(fig)} == {STATUS_COLOURS["proposed"]}
    (ax,) = fig.axes
    assert any(line.get_linestyle() == "--" for line in ax.lines)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(scenarios(max_measures=3, max_deadlines=2, max_negotiations=1))
def test_every_band_shows_the_view_at_its_start(scenario: tt.Scenario) -> None:
    fig = timeline_chart(scenario)
    rows = {i: m.id for i, m in enumerate(scenario.measures)}
    for row, start, _, colour, hatch in bands(fig):
        state = scenario.at(start).measures[rows[row]]
        statuses = [c.value for c in state.candidates if c is not None]
        assert colour == STATUS_COLOURS[statuses[-1]]
        assert (hatch is not None and "////" in hatch) == (not state.certain)


def test_the_rate_chart_draws_the_panel_s_figures() -> None:
    s = truce()
    args: dict[str, Any] = {
        "importer": "us",
        "origin": "cn",
        "product": "8517",
        "start": "2019-01-01[UTC]",
        "end": "2026-01-01[UTC]",
    }
    fig = rate_chart(s, **args)
    (ax,) = fig.axes
    steps: dict[str, Any] = {str(p.get_label()): p for p in ax.patches}
    panel = rate_panel(
        s,
        importers="us",
        origins="cn",
        products="8517",
        start=args["start"],
        end=args["end"],
    )
    totals = [r for r in panel.to_pylist() if r["measure"] is None]
    low = list(steps["total, at least"].get_data().values)
    high = list(steps["total, at most"].get_data().values)
    assert low == [float(r["low"]) for r in totals]
    assert high == [float(r["high"]) for r in totals]
    assert "us-301 (Section 301)" in steps and "may or may not apply" in steps


def test_a_projected_layer_says_so_in_the_legend() -> None:
    projected = truce().advance("2025-11-11[America/New_York]")
    fig = rate_chart(
        projected,
        importer="us",
        origin="cn",
        product="8517",
        start="2025-11-01[UTC]",
        end="2025-12-01[UTC]",
    )
    labels = [p.get_label() for p in fig.axes[0].patches]
    assert "us-24pct (IEEPA) - projected" in labels


def test_charts_are_saved_as_svg_or_png_without_a_date(tmp_path: Path) -> None:
    fig = timeline_chart(tt.load_seed())
    save_chart(fig, tmp_path / "seed.svg")
    save_chart(fig, tmp_path / "seed.png")
    svg = (tmp_path / "seed.svg").read_text("utf-8")
    assert svg.lstrip().startswith("<?xml") and "<dc:date>" not in svg
    assert (tmp_path / "seed.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_chart_file_needs_a_known_suffix_and_a_writable_place(tmp_path: Path) -> None:
    fig = timeline_chart(tt.load_seed())
    with pytest.raises(tt.InvalidValueError, match=r"SVG or PNG, not \.jpg"):
        save_chart(fig, tmp_path / "seed.jpg")
    with pytest.raises(WriteError):
        save_chart(fig, tmp_path / "no" / "such" / "seed.png")


def test_drawing_changes_no_global_matplotlib_state(tmp_path: Path) -> None:
    # Raw values (dict.items): reading rcParams["backend"] would itself pick a backend, through
    # pyplot.
    code = (
        "import sys, matplotlib\n"
        "def state():\n"
        "    return dict(dict.items(matplotlib.rcParams))\n"
        "before = state()\n"
        "import tradetruce as tt\n"
        "from tradetruce.export.charts import timeline_chart, rate_chart, save_chart\n"
        "s = tt.load_seed()\n"
        "save_chart(timeline_chart(s), 'x.png')\n"
        "save_chart(rate_chart(s, importer='us', origin='cn', product='8517',\n"
        "           start='2025-10-01[UTC]', end='2025-12-01[UTC]'), 'x.svg')\n"
        "print(before == state(), 'matplotlib.pyplot' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert done.stdout.split() == ["True", "False"], done.stdout + done.stderr


def test_unknown_ids_and_zones_are_refused() -> None:
    with pytest.raises(tt.UnknownEntityError):
        timeline_chart(truce(), measures=["nope"])
    with pytest.raises(tt.InvalidTimeError):
        timeline_chart(truce(), zone_name="Mars/Olympus")
