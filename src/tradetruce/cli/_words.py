"""How the command line words and lays out what it shows: plain words, titles, wrapping."""

from __future__ import annotations

import datetime as _dt
import shutil
import textwrap
from collections.abc import Iterable, Sequence
from typing import TextIO

import pendulum

from tradetruce.engine.states import AnyState, MeasureState
from tradetruce.engine.upcoming import Upcoming
from tradetruce.model.entries import DeadlineEntry
from tradetruce.model.scenario import Scenario
from tradetruce.values.when import When


# ------------------------------------------------------------------------------- layout
def terminal_width() -> int:
    """The width to wrap text output to: the terminal's (``COLUMNS`` when set), at least 40."""
    return max(40, shutil.get_terminal_size((100, 24)).columns)


def wrap(text: str, width: int, indent: int = 0, *, hang: int = 0) -> str:
    """``text`` wrapped to ``width``, every line indented by ``indent`` and continuation lines
    by ``hang`` more; ids, time values and phrases glued by :func:`glue` are never split.

    >>> print(wrap("Threatened US 100% tariff on Chinese goods (us-100pct-tariff)", 40, 2))
      Threatened US 100% tariff on Chinese
      goods (us-100pct-tariff)
    """
    filled = textwrap.fill(
        text,
        width,
        initial_indent=" " * indent,
        subsequent_indent=" " * (indent + hang),
        break_long_words=False,
        break_on_hyphens=False,
    )
    return filled.replace(_GLUE, " ")


# textwrap breaks lines only at ASCII white space; a no-break space keeps a phrase whole and
# is turned back into a plain space once the lines are made.
_GLUE = "\u00a0"


def glue(phrase: str) -> str:
    """``phrase`` kept on one line by :func:`wrap` (``in 6d 23h``, ``2025-11-10 05:00 UTC``)."""
    return phrase.replace(" ", _GLUE)


class _Text:
    """Plain-text output wrapped to one width: headings, items and their details."""

    def __init__(self, out: TextIO, width: int):
        self.out, self.width = out, width

    def line(self, text: str = "") -> None:
        self.out.write((wrap(text, self.width) if text else "") + "\n")

    def item(self, heading: str, *details: str) -> None:
        self.out.write(wrap(heading, self.width, 2, hang=2) + "\n")
        for detail in details:
            if detail:
                self.out.write(wrap(detail, self.width, 6) + "\n")


# ------------------------------------------------------------------------------- wording
def _words(value: str) -> str:
    return value.replace("_", " ")


def _kind_words(kind: str) -> str:
    return "other measure" if kind == "other" else _words(kind)


def _moment(at: When) -> str:
    """What a calendar value is, as the subject of a sentence: ``That day``, ``That span``."""
    if at.is_range:
        return "That span"
    return f"That {at.precision.value}"


def _status_words(state: AnyState) -> str:
    """The status in plain words: ``in force``; ``not certain: not yet or proposed``; a measure
    paused in part says which part: ``paused (24 of 34 points)``."""
    if state.status is not None:
        if isinstance(state, MeasureState):
            return _words(state.status_text())
        return _words(state.status.value)
    if all(c is None for c in state.candidates):
        return "not yet on record"
    options = ["not yet" if c is None else _words(c.value) for c in state.candidates]
    listed = ", ".join(options[:-1]) + f" or {options[-1]}" if len(options) > 1 else options[0]
    return f"not certain: {listed}"


def _names(scenario: Scenario, ids: Iterable[str]) -> str:
    names = []
    for party_id in ids:
        party = next((p for p in scenario.parties if p.id == party_id), None)
        names.append(party.name if party is not None else party_id)
    if len(names) > 1:
        return ", ".join(names[:-1]) + f" and {names[-1]}"
    return names[0] if names else ""


def _at_lines(at: When, default: bool, known_at: When | None, option: str = "--at") -> list[str]:
    """The header lines that say which moment a report shows, and from which facts."""
    today = glue(f"{option} now")
    lines = [f"As of the latest source ({at}); {today} for today." if default else f"At {at}."]
    if not at.is_exact:
        last = pendulum.instance(at.upper).in_tz(at.zone).format("YYYY-MM-DD HH:mm:ss Z")
        lines.append(
            f"{_moment(at)} is read as its last moment, {glue(last)}; countdowns run from then."
        )
    if known_at is None:
        lines.append("Based on every source in the scenario.")
    else:
        lines.append(f"Based only on what was recorded by {known_at}; later reports are left out.")
    return lines


def _due_claim(entry: DeadlineEntry) -> str:
    """One claim about a due time, in words: ``mofcom (official) gives no due time``."""
    says = f"due {entry.due}" if entry.due is not None else "no due time"
    return f"{entry.source} ({entry.evidence.value}) gives {says}"


def _maybe(item: Upcoming, start: _dt.datetime, end: _dt.datetime | None) -> str:
    """Why a listed deadline is not certain, in words ('' when it is)."""
    if item.certain:
        return ""
    if item.disputed:
        return "(disputed)"
    if item.due.lower < start:
        return "(may already have passed)"
    if end is not None and item.due.upper > end:
        return "(may fall after the window)"
    return "(may not be open then)"


def _or(words: Sequence[str]) -> str:
    quoted = [repr(w) for w in words]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + f" or {quoted[-1]}"
