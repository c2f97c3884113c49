"""Pictures of a scenario: a timeline of its measures and deadlines, and a rate over time.

Needs the ``plot`` extra (matplotlib); the rate chart also the ``arrow`` extra. Each function
returns a ``matplotlib.figure.Figure`` drawn on matplotlib's Agg canvas, made directly rather than
through ``pyplot``: nothing global changes (no backend switch, no style, no open-figure registry),
so a chart can be drawn in a server, a test or a notebook alike. Save one with
:func:`save_chart` (SVG or PNG, from the file's suffix), or let a notebook show it.

* :func:`timeline_chart`: each measure a band over time, coloured by its status, hatched where
  the status is uncertain (a time value that spans the moment: both candidates are possible), a
  paused measure drawn as a suspension; each deadline a row of markers at every due time it has
  had, a vague due time as a span.
* :func:`rate_chart`: the statutory rate on one product from one origin over time, from the
  :func:`~tradetruce.export.panel.rate_panel`: the layers certainly in force stacked, and a
  hatched band up to the highest figure where layers may or may not apply.

Every figure the charts show comes from the scenario's own readings
(:meth:`Scenario.at <tradetruce.Scenario.at>` and the rate panel): a status is read at each
change point of a measure's history, never interpolated.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import os
import zoneinfo
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

from tradetruce.export.extras import require
from tradetruce.values.when import OPEN_END, OPEN_START, When, from_us, to_us, utc
from tradetruce.values.zones import zone

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from tradetruce.model.scenario import Scenario

__all__ = ["DEADLINE_COLOURS", "STATUS_COLOURS", "rate_chart", "save_chart", "timeline_chart"]

Moment = _dt.datetime | When | str

#: The colour of each measure status (Okabe and Ito's palette, readable with colour blindness).
STATUS_COLOURS: Final[Mapping[str, str]] = {
    "proposed": "#9ecae1",
    "scheduled": "#56b4e9",
    "in_force": "#d55e00",
    "paused": "#e69f00",
    # Trade remedies: an investigation like a proposal, a duty secured by guarantees in yellow
    # (it may or may not be collected), duties charged like a measure in force.
    "initiated": "#9ecae1",
    "investigation_extended": "#9ecae1",
    "provisional_secured": "#f0e442",
    "provisional_collected": "#d55e00",
    "definitive": "#d55e00",
    "interim_review": "#d55e00",
    "expiry_review": "#d55e00",
    "terminated": "#999999",
    "withdrawn": "#999999",
    "expired": "#cccccc",
}
#: The colour of each deadline status.
DEADLINE_COLOURS: Final[Mapping[str, str]] = {
    "pending": "#0072b2",
    "extended": "#0072b2",
    "met": "#009e73",
    "missed": "#cc79a7",
    "cancelled": "#999999",
}
_LABELS: Final = {"paused": "paused (suspended)", "in_force": "in force"}
_OPEN_LO: Final = to_us(OPEN_START)
_OPEN_HI: Final = to_us(OPEN_END)


# ----------------------------------------------------------------------------------- helpers
def _figure(width: float, height: float) -> Figure:
    """A figure on its own Agg canvas: no pyplot, no global backend."""
    require("matplotlib")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _num(us: int) -> float:
    """Microseconds since 0001-01-01 UTC as a matplotlib date number."""
    return float(require("matplotlib.dates").date2num(from_us(us)))


def _first(value: Moment, name: str) -> int:
    """A range boundary: the first instant of a time value (or the datetime itself)."""
    if isinstance(value, str):
        value = When.parse(value)
    if isinstance(value, When):
        return value.lo_us
    return to_us(utc(value))


def _time_axis(ax: Any, zone_name: str) -> None:
    dates = require("matplotlib.dates")
    tz = zoneinfo.ZoneInfo(zone_name)
    locator = dates.AutoDateLocator(tz=tz, minticks=4, maxticks=9)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(dates.ConciseDateFormatter(locator, tz=tz))
    ax.set_xlabel(f"time ({zone_name})")


def _finite(*values: int) -> list[int]:
    return [v for v in values if v not in (_OPEN_LO, _OPEN_HI)]


# ---------------------------------------------------------------------------------- timeline
def timeline_chart(
    scenario: Scenario,
    *,
    start: Moment | None = None,
    end: Moment | None = None,
    known_at: Moment | None = None,
    measures: Sequence[str] | None = None,
    deadlines: Sequence[str] | None = None,
    zone_name: str = "UTC",
    title: str | None = None,
) -> Figure:
    """A timeline of the scenario's measures and deadlines.

    Args:
        scenario: the scenario.
        start: where the time axis starts (default: a little before the earliest dated event
            shown).
        end: where it ends (default: a little after the latest one).
        known_at: draw the scenario as known then (a calendar value stands for its last
            instant); a vertical line marks it.
        measures: the measures to show, by id (default: all, in scenario order).
        deadlines: the deadlines to show, by id (default: all).
        zone_name: the zone in which the time axis is labelled.
        title: the chart's title (default: the scenario's).

    Raises:
        MissingExtraError: matplotlib is not installed.
        UnknownEntityError: an id that names no measure or deadline.
        InvalidTimeError: an unknown zone.
    """
    zone(zone_name)
    shown_measures = (
        [scenario.measure(i) for i in measures] if measures is not None else list(scenario.measures)
    )
    shown_deadlines = (
        [scenario.deadline(i) for i in deadlines]
        if deadlines is not None
        else list(scenario.deadlines)
    )
    k = (
        None
        if known_at is None
        else utc(When.parse(known_at) if isinstance(known_at, str) else known_at)
    )
    visible = _visible(scenario, k)

    points: dict[str, list[int]] = {}
    for m in shown_measures:
        points[m.id] = sorted(
            {b for e in m.history if visible(e) for b in _finite(e.at.lo_us, e.at.hi_us)}
        )
    dues = {d.id: _dues(d, visible) for d in shown_deadlines}
    every = [p for ps in points.values() for p in ps]
    every += [b for ds in dues.values() for w, _ in ds for b in _finite(w.lo_us, w.hi_us)]
    if k is not None:
        every.append(to_us(k))
    lo = _first(start, "start") if start is not None else min(every, default=None)
    hi = _first(end, "end") if end is not None else max(every, default=None)
    if lo is None or hi is None:
        lo = to_us(_dt.datetime(2025, 1, 1, tzinfo=_dt.UTC))
        hi = lo + 1
    pad = max((hi - lo) // 20, 86_400_000_000)
    if start is None:
        lo -= pad
    if end is None:
        hi += pad

    rows = len(shown_measures) + len(shown_deadlines)
    fig = _figure(9.0, 1.6 + 0.42 * max(rows, 1))
    ax = fig.add_subplot()
    views: dict[int, Any] = {}

    def state(measure_id: str, t: int) -> Any:
        view = views.get(t)
        if view is None:
            view = views[t] = scenario.at(from_us(t), known_at=k)
        return view.measures[measure_id]

    from matplotlib.patches import Patch, Rectangle

    labels: list[str] = []
    y = 0
    for m in shown_measures:
        cuts = [lo, *(p for p in points[m.id] if lo < p < hi), hi]
        for a, b in itertools.pairwise(cuts):
            s = state(m.id, a)
            if s.certain and s.status is None:
                continue  # not yet on record
            statuses = [c.value for c in s.candidates if c is not None]
            colour = STATUS_COLOURS[statuses[-1]]
            rests_on = [e for e in (s.last, *s.pending) if e is not None]
            projected = any(e.evidence.value == "projected" for e in rests_on)
            hatch = "////" if not s.certain else None
            if projected:
                hatch = (hatch or "") + "..."
            x0, x1 = _num(a), _num(b)
            ax.add_patch(
                Rectangle(
                    (x0, y - 0.35),
                    x1 - x0,
                    0.7,
                    facecolor=colour,
                    edgecolor="#444444" if hatch else colour,
                    hatch=hatch,
                    alpha=1.0 if s.certain else 0.55,
                    linewidth=0.6,
                )
            )
        labels.append(m.id)
        y += 1
    deadline_statuses: list[str] = []
    for d in shown_deadlines:
        status = visible_status(scenario, d, k) or "pending"
        colour = DEADLINE_COLOURS[status]
        if dues[d.id]:
            deadline_statuses.append(status)
        history = dues[d.id]
        for i, (w, _) in enumerate(history):
            current = i == len(history) - 1
            a = max(w.lo_us, lo) if w.lo_us != _OPEN_LO else lo
            b = min(w.hi_us, hi) if w.hi_us != _OPEN_HI else hi
            if b < lo or a > hi:
                continue
            face = colour if current else "white"
            if a == b:
                ax.plot(
                    [_num(a)], [y], marker="D", markersize=7, color=colour, markerfacecolor=face
                )
            else:
                ax.plot([_num(a), _num(b)], [y, y], color=colour, linewidth=2.5, alpha=0.8)
                for end_us, is_open in ((a, w.lo_us == _OPEN_LO), (b, w.hi_us == _OPEN_HI)):
                    if not is_open:
                        ax.plot(
                            [_num(end_us)],
                            [y],
                            marker="|",
                            markersize=10,
                            color=colour,
                            markerfacecolor=face,
                        )
                mid = _num((a + b) // 2)
                ax.plot([mid], [y], marker="D", markersize=7, color=colour, markerfacecolor=face)
            if current and a == b:  # an exact due time: a line through every band above
                ax.axvline(_num(a), color=colour, linewidth=0.6, linestyle=":", alpha=0.7)
        labels.append(f"{d.id} (due)")
        y += 1
    if k is not None:
        ax.axvline(_num(to_us(k)), color="black", linewidth=1.2, linestyle="--")
        ax.annotate(
            "known at",
            (_num(to_us(k)), -0.6),
            xytext=(3, 0),
            textcoords="offset points",
            fontsize=8,
        )

    ax.set_xlim(_num(lo), _num(hi))
    ax.set_ylim(max(y, 1) - 0.4, -0.8)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    ax.grid(axis="x", linewidth=0.4, alpha=0.5)
    _time_axis(ax, zone_name)
    ax.set_title(title if title is not None else scenario.title, fontsize=10, loc="left")
    handles: list[Any] = [
        Patch(facecolor=STATUS_COLOURS[s], label=_LABELS.get(s, s.replace("_", " ")))
        for s in STATUS_COLOURS
    ]
    handles.append(Patch(facecolor="white", edgecolor="#444444", hatch="////", label="uncertain"))
    handles.append(Patch(facecolor="white", edgecolor="#444444", hatch="...", label="projected"))
    from matplotlib.lines import Line2D

    for status in dict.fromkeys(deadline_statuses):
        handles.append(
            Line2D(
                [],
                [],
                marker="D",
                color=DEADLINE_COLOURS[status],
                linestyle="",
                label=f"due, {status}",
            )
        )
    fig.legend(handles=handles, loc="outside lower center", ncols=4, fontsize=8, frameon=False)
    return fig


def _visible(scenario: Scenario, k: _dt.datetime | None) -> Any:
    """Whether an entry was on record at ``k`` (everything, without ``k``)."""
    from tradetruce.model.history import recorded_time

    if k is None:
        return lambda entry: True
    limit = to_us(k)
    published = scenario.published
    return lambda entry: recorded_time(entry, published).hi_us <= limit


def _dues(deadline: Any, visible: Any) -> list[tuple[When, Any]]:
    """Every due time the deadline has had (as far as was on record), oldest first."""
    found: list[tuple[When, Any]] = []
    for entry in deadline.history:
        if entry.due is not None and visible(entry) and all(w != entry.due for w, _ in found):
            found.append((entry.due, entry))
    return found


def visible_status(scenario: Scenario, deadline: Any, k: _dt.datetime | None) -> str | None:
    """The deadline's status after every entry on record at ``k``."""
    reading = deadline.reading_at(None, known_at=k, published=scenario.published)
    return None if reading.status is None else str(reading.status.value)


# -------------------------------------------------------------------------------------- rate
def rate_chart(
    scenario: Scenario,
    *,
    importer: str,
    origin: str,
    product: str,
    start: Moment,
    end: Moment,
    known_at: Moment | None = None,
    zone_name: str = "UTC",
    title: str | None = None,
) -> Figure:
    """The statutory tariff rate on ``product`` from ``origin`` into ``importer`` over time.

    The layers certainly in force are stacked, one colour each (labelled with their legal
    basis, and *projected* when a layer rests on a projection); where a layer may or may not
    apply, a hatched band runs from the certain total up to the highest figure. A dashed line
    marks ``known_at`` when it falls in the range. The figures are the
    :func:`~tradetruce.export.panel.rate_panel`'s, hence :meth:`Scenario.tariff_stack
    <tradetruce.Scenario.tariff_stack>`'s.

    Raises:
        MissingExtraError: matplotlib or pyarrow is not installed.
    """
    from tradetruce.export.panel import rate_panel

    zone(zone_name)
    panel = rate_panel(
        scenario,
        importers=importer,
        origins=origin,
        products=product,
        start=start,
        end=end,
        known_at=known_at,
    )
    rows = panel.to_pylist()
    totals = [r for r in rows if r["measure"] is None]
    edges_us = [to_us(r["valid_from"]) for r in totals] + [to_us(totals[-1]["valid_to"])]
    edges = [_num(u) for u in edges_us]
    low = [float(r["low"]) for r in totals]
    high = [float(r["high"]) for r in totals]
    index = {r["valid_from"]: i for i, r in enumerate(totals)}
    layers: dict[str, list[float]] = {}
    names: dict[str, str] = {}
    for r in rows:
        if r["measure"] is None:
            continue
        values = layers.setdefault(r["measure"], [0.0] * len(totals))
        values[index[r["valid_from"]]] = float(r["low"])
        basis = f" ({r['legal_basis']})" if r["legal_basis"] else ""
        mark = " - projected" if r["evidence"] == "projected" else ""
        if r["measure"] not in names or mark:
            names[r["measure"]] = f"{r['measure']}{basis}{mark}"

    fig = _figure(9.0, 4.2)
    ax = fig.add_subplot()
    palette = ("#0072b2", "#d55e00", "#009e73", "#e69f00", "#cc79a7", "#56b4e9", "#f0e442")
    base = [0.0] * len(totals)
    for i, (measure, values) in enumerate(layers.items()):
        top = [b + v for b, v in zip(base, values, strict=True)]
        projected = names[measure].endswith("projected")
        ax.stairs(
            top,
            edges,
            baseline=base,
            fill=True,
            facecolor=palette[i % len(palette)],
            alpha=0.85,
            hatch=".." if projected else None,
            label=names[measure],
        )
        base = top
    if any(h > lo_ for h, lo_ in zip(high, low, strict=True)):
        ax.stairs(
            high,
            edges,
            baseline=low,
            fill=True,
            facecolor="none",
            edgecolor="#555555",
            hatch="////",
            linewidth=0,
            label="may or may not apply",
        )
    ax.stairs(low, edges, color="black", linewidth=1.4, label="total, at least")
    ax.stairs(high, edges, color="black", linewidth=0.8, linestyle="--", label="total, at most")
    if known_at is not None:
        k = to_us(utc(When.parse(known_at) if isinstance(known_at, str) else known_at))
        if edges_us[0] <= k <= edges_us[-1]:
            ax.axvline(_num(k), color="black", linewidth=1.0, linestyle=":")
    ax.set_xlim(edges[0], edges[-1])
    ax.set_ylim(0, max([*high, 1.0]) * 1.15)
    ax.set_ylabel("ad valorem rate (%)")
    ax.grid(linewidth=0.4, alpha=0.5)
    _time_axis(ax, zone_name)
    heading = title if title is not None else f"{importer} tariffs on {product} from {origin}"
    ax.set_title(heading, fontsize=10, loc="left")
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    return fig


# -------------------------------------------------------------------------------------- save
_FORMATS: Final = {".svg": "svg", ".png": "png"}


def save_chart(fig: Figure, path: str | os.PathLike[str]) -> None:
    """Write a chart to ``path``, as SVG or PNG according to its suffix.

    The file carries no creation date, so the same chart gives the same file with the same
    matplotlib.

    Raises:
        InvalidValueError: a suffix other than ``.svg`` or ``.png``.
        WriteError: the file could not be written.
    """
    from tradetruce.errors import InvalidValueError
    from tradetruce.export.files import WriteError

    suffix = os.path.splitext(os.fspath(path))[1].lower()
    kind = _FORMATS.get(suffix)
    if kind is None:
        raise InvalidValueError(
            f"{os.fspath(path)}: a chart is written as SVG or PNG, not {suffix or 'no suffix'}",
            field="path",
            value=os.fspath(path),
            allowed="a file name ending in .svg or .png",
        )
    metadata = {"Date": None} if kind == "svg" else {"Software": None}
    try:
        fig.savefig(os.fspath(path), format=kind, metadata=metadata)
    except OSError as error:
        raise WriteError(path, error.strerror or str(error)) from None
