"""Notebook views: a Scenario, a View and a TariffStack as small HTML tables.

Jupyter and other notebooks show an object's ``_repr_html_``; :class:`~tradetruce.Scenario`,
:class:`~tradetruce.View` and :class:`~tradetruce.TariffStack` hand theirs to these functions.
Every piece of text is escaped with :func:`html.escape` (ids, titles and notes come from files
that anyone may write), and nothing here needs an optional package.

>>> import tradetruce as tt
>>> text = scenario_html(tt.load_seed())
>>> text.startswith("<div class=\\"tradetruce\\">"), "us-100pct-tariff" in text
(True, True)
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tradetruce.engine.tariffs import TariffStack
    from tradetruce.engine.view import View
    from tradetruce.model.scenario import Scenario

__all__ = ["scenario_html", "stack_html", "view_html"]

_STYLE = (
    "<style>.tradetruce table{border-collapse:collapse;margin:0.3em 0 0.8em}"
    ".tradetruce th,.tradetruce td{padding:0.15em 0.6em;text-align:left;vertical-align:top}"
    ".tradetruce th{border-bottom:1px solid #999}"
    ".tradetruce .uncertain{font-style:italic}"
    ".tradetruce .note{color:#666}</style>"
)


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _table(caption: str, head: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """An HTML table; ``rows`` are cells already escaped (or built from escaped parts)."""
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    if not body:
        return ""
    header = "".join(f"<th>{_e(h)}</th>" for h in head)
    return f"<table><caption>{_e(caption)}</caption><tr>{header}</tr>{body}</table>"


def _wrap(title: str, *parts: str) -> str:
    return f'<div class="tradetruce">{_STYLE}<strong>{_e(title)}</strong>{"".join(parts)}</div>'


def scenario_html(scenario: Scenario) -> str:
    """The scenario's measures, deadlines and negotiations as they stand after every entry."""
    counts = ", ".join(
        f"{len(group)} {name}"
        for name, group in (
            ("sources", scenario.sources),
            ("parties", scenario.parties),
            ("measures", scenario.measures),
            ("deadlines", scenario.deadlines),
            ("negotiations", scenario.negotiations),
        )
    )
    measures = _table(
        "measures",
        ("id", "kind", "by", "on", "status", "terms"),
        (
            (
                f"<code>{_e(m.id)}</code>",
                _e(m.kind.value),
                _e(m.imposed_by),
                _e(", ".join(m.targets) or "every origin"),
                _e(m.status.value),
                _e(m.terms.describe()),
            )
            for m in scenario.measures
        ),
    )
    deadlines = _table(
        "deadlines",
        ("id", "title", "due", "status"),
        (
            (f"<code>{_e(d.id)}</code>", _e(d.title), _e(d.due), _e(d.status.value))
            for d in scenario.deadlines
        ),
    )
    negotiations = _table(
        "negotiations",
        ("id", "title", "status"),
        (
            (f"<code>{_e(n.id)}</code>", _e(n.title), _e(n.status.value))
            for n in scenario.negotiations
        ),
    )
    about = f'<div class="note">{_e(counts)}</div>'
    return _wrap(scenario.title or "Scenario", about, measures, deadlines, negotiations)


def _state_rows(states: Mapping[str, Any]) -> Iterable[Sequence[str]]:
    for id in states:
        state = states[id]
        status = _e(state.status_text())
        if not state.certain:
            status = f'<span class="uncertain">{status}</span>'
        disputes = " / ".join(state.disputes())
        yield (f"<code>{_e(id)}</code>", status, _e(state.detail()), _e(disputes))


def view_html(view: View) -> str:
    """Every entity's state at the view's moment, uncertain ones in italics, with disputes."""
    title = f"View at {view.t.isoformat()}"
    if view.known_at is not None:
        title += f", as known at {view.known_at.isoformat()}"
    head = ("id", "status", "detail", "disputed claims")
    parts = [
        _table(caption, head, _state_rows(states))
        for caption, states in (
            ("measures", view.measures),
            ("deadlines", view.deadlines),
            ("negotiations", view.negotiations),
        )
    ]
    return _wrap(title, *parts)


def stack_html(stack: TariffStack) -> str:
    """The layers of a tariff stack, the certain total and the highest total."""
    title = (
        f"{stack.importer} tariffs on {stack.product} from {stack.exporter} "
        f"at {stack.at.isoformat()}"
    )
    if stack.known_at is not None:
        title += f", as known at {stack.known_at.isoformat()}"
    rows = [
        (
            f"<code>{_e(layer.measure)}</code>",
            _e(layer.rate),
            _e(layer.legal_basis or ""),
            "yes" if layer.certain else '<span class="uncertain">may or may not apply</span>',
        )
        for layer in (*stack.layers, *stack.uncertain)
    ]
    layers = _table("layers", ("measure", "rate", "legal basis", "applies"), rows)
    totals = (
        f"<div>total: <strong>{_e(stack.low)}%</strong>"
        + (
            f"; up to {_e(stack.high)}% if every uncertain layer applies in full"
            if stack.uncertain
            else ""
        )
        + "</div>"
    )
    return _wrap(title, layers or '<div class="note">no layer</div>', totals)
