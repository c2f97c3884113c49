"""The ``tradetruce`` command: a scenario's state, timeline and deadlines, validation, export.

Usage::

    tradetruce [status] [--at TIME] [--known-at TIME] [--project] [--tz ZONE] [SEED]
    tradetruce timeline [--from TIME] [--to TIME] [--entity ID]... [--tz ZONE] [SEED]
    tradetruce deadlines [--from TIME] [--within DURATION] [--scope SCOPE] [--tz ZONE] [SEED]
    tradetruce tariff --importer ID --exporter ID --product HS [--producer ID] [--at TIME]
        [--known-at TIME] [--value AMOUNT --currency CODE [--quantity N]] [--tz ZONE] [SEED]
    tradetruce validate FILE...
    tradetruce export --format json|toml|schema|ics [-o FILE] [SEED]

SEED is a scenario file (TOML, or JSON as ``export --format json`` writes it) or the name of a
shipped scenario (default: the October 2025 US-China truce).

TIME is a tradetruce time value (``2025-11-02[America/New_York]``, ``2026-11~[Asia/Shanghai]``,
``2025-11-10T00:01:00-05:00[America/New_York]``), an ISO 8601 instant with an offset
(``2025-11-10T05:01:00Z``), ``now`` (this instant, in UTC) or ``today`` (today's date in the
reader's zone: ``--tz``, else this machine's). A calendar value (a day, a month, a range, and so
``today``) stands for its *last* instant: ``--at 2025-11-02[America/New_York]`` means the end of
2 November in New York. Without ``--at`` the time is the latest source's publication, not today.

A TIME may give an offset without a zone name, which a scenario file may not: a query only has
to say *when* (an offset fixes the instant), while a fact stored in a file must keep its zone's
rules, so that a day or a month in it can be told apart from the same day elsewhere and its
clock time survives a later change of the zone's offset.

DURATION is ``1y``, ``6mo``, ``2w``, ``30d``, ``12h``, ``90m`` (or a mix, ``1y6mo``) or ISO 8601
(``P1Y``, ``P6M``, ``P30D``, ``PT12H``). Years and months are calendar years and months in the
zone of the window's start (one year from 29 February ends on 28 February); a DURATION is never
negative.

Exit codes: 0 success; 1 invalid data (a scenario file with problems, a move its lifecycle
forbids) or a file that is missing or cannot be read or written; 2 usage error (an unknown
command, option or shipped scenario's name, a bad TIME, DURATION or ZONE). Add ``--json`` to any
command for machine-readable output.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import difflib
import errno
import json
import os
import re
import shutil
import sys
import textwrap
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn, TextIO

import attrs
import pendulum
from pendulum.tz import get_local_timezone

from tradetruce import __version__
from tradetruce.engine.states import AnyState, MeasureState
from tradetruce.engine.tariffs import TariffLayer
from tradetruce.engine.upcoming import Upcoming
from tradetruce.errors import InvalidDataError, InvalidValueError, TradeTruceError, UsageError
from tradetruce.model.entries import DeadlineEntry, Entry, MeasureEntry
from tradetruce.model.scenario import Scenario
from tradetruce.seeds import DEFAULT_SEED, list_seeds, load_seed
from tradetruce.values.suspension import Suspension
from tradetruce.values.terms import Quantity, Rate, Terms
from tradetruce.values.when import OPEN_END, OPEN_START, When, parse_instant
from tradetruce.values.zones import zone

__all__ = ["EXIT_INVALID", "EXIT_OK", "EXIT_USAGE", "main"]

EXIT_OK = 0  #: success
EXIT_INVALID = 1  #: invalid data, or a file that is missing or cannot be read or written
EXIT_USAGE = 2  #: bad command line (argparse's own code for usage errors)


# ------------------------------------------------------------------------------- values
def parse_time(text: str, reader_zone: str | None = None) -> When:
    """A TIME argument: a When text form, an ISO instant with an offset (kept in UTC), ``now``
    or ``today`` (in ``reader_zone``, default this machine's zone).

    >>> str(parse_time("2025-11-02[America/New_York]"))
    '2025-11-02[America/New_York]'
    >>> str(parse_time("2025-11-10T05:01:00Z"))
    '2025-11-10T05:01:00+00:00[UTC]'
    >>> parse_time("today", "Asia/Tokyo").precision, parse_time("now").zone
    (<Precision.DAY: 'day'>, 'UTC')
    """
    word = text.strip().lower()
    if word == "now":
        return When.exact(pendulum.now("UTC").replace(microsecond=0))
    if word == "today":
        name = local_zone(reader_zone)
        day = pendulum.now(name).date()
        return When.day(day.year, day.month, day.day, name)
    try:
        if "[" in text:
            return When.parse(text)
        instant = parse_instant(text)
        return When.exact(pendulum.instance(_dt.datetime.astimezone(instant, _dt.UTC), tz="UTC"))
    except InvalidValueError as error:
        raise UsageError(f"TIME {text!r}: {error}; or now, today") from None


_UNITS = ("years", "months", "weeks", "days", "hours", "minutes")
_SHORT = re.compile(r"(?:(\d+)y)?(?:(\d+)mo)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?")
_ISO = re.compile(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?")
_DURATION_FORMS = "1y, 6mo, 2w, 30d, 12h, 90m, a mix such as 1y6mo, or P1Y, P6M, P30D, PT12H"


def parse_duration(text: str) -> pendulum.Duration:
    """A DURATION argument: ``1y``, ``6mo``, ``2w``, ``30d``, ``12h``, ``90m``, or ISO 8601.

    >>> parse_duration("2w").in_days(), parse_duration("P1DT12H").in_hours()
    (14, 36)
    >>> parse_duration("1y6mo").years, parse_duration("P1Y6M").months
    (1, 6)
    """
    cleaned = text.strip().replace(" ", "")
    if cleaned.startswith("-"):
        raise UsageError(
            f"DURATION {text!r}: a window cannot run backwards; give its length "
            f"({cleaned[1:] or '30d'}) and move its start (--from) earlier instead"
        )
    for pattern, value in ((_SHORT, cleaned.lower()), (_ISO, cleaned.upper())):
        found = pattern.fullmatch(value)
        if found and any(found.groups()):
            amounts = {k: int(n) for k, n in zip(_UNITS, found.groups(), strict=True) if n}
            return pendulum.Duration(**amounts)
    raise UsageError(f"DURATION {text!r}: not a duration (allowed: {_DURATION_FORMS})")


def window_length(start: When, duration: pendulum.Duration) -> _dt.timedelta | None:
    """How long a window of ``duration`` from ``start`` (its last instant) runs: calendar years,
    months, weeks and days are counted in ``start``'s zone; ``None`` past the supported years.

    >>> leap = When.parse("2028-02-29T12:00:00+00:00[UTC]")
    >>> window_length(leap, parse_duration("1y")).days
    365
    >>> window_length(leap, parse_duration("P1M")).days
    29
    """
    base = pendulum.instance(start.upper).in_tz(start.zone)
    try:
        end = base.add(
            years=duration.years,
            months=duration.months,
            weeks=duration.weeks,
            days=duration.remaining_days,
            hours=duration.hours,
            minutes=duration.minutes,
        )
    except (ValueError, OverflowError):
        return None
    span = end - base
    return _dt.timedelta(days=span.days, seconds=span.seconds, microseconds=span.microseconds)


def local_zone(name: str | None = None) -> str:
    """The reader's zone: ``--tz`` if given, else the machine's (its IANA name)."""
    if name:
        try:
            zone(name)
        except InvalidValueError as error:
            raise UsageError(str(error)) from None
        return name
    found = get_local_timezone()  # not pendulum.local_timezone: also a submodule's name
    local = getattr(found, "name", None)
    return local if isinstance(local, str) else "UTC"


def countdown(start: _dt.datetime, due: When) -> str:
    """How long from ``start`` until ``due`` may come, and until it must have come.

    >>> t = When.parse("2025-10-26T12:00:00+08:00[Asia/Kuala_Lumpur]").upper
    >>> countdown(t, When.parse("2025-11-01[America/New_York]"))
    'in 6d 0h .. 7d 0h'
    """
    lower, upper = due.lower - start, due.upper - start
    if due.is_exact:
        return _span(lower)
    if due.latest is OPEN_END:
        return f"{_span(lower)} or later"
    if due.earliest is OPEN_START:
        return f"by {_span(upper).removeprefix('in ')}"
    if lower == upper:
        return _span(lower)
    second = _span(upper)
    if lower >= _dt.timedelta(0) or upper < _dt.timedelta(0):
        second = second.removeprefix("in ")
    return f"{_span(lower)} .. {second}"


def _span(delta: _dt.timedelta) -> str:
    past = delta < _dt.timedelta(0)
    seconds = int(abs(delta).total_seconds() + 0.5)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = [f"{days}d"] if days else []
    if hours or (days and not minutes):
        parts.append(f"{hours}h")
    if minutes and not days:
        parts.append(f"{minutes}m")
    text = " ".join(parts) or "0m"
    return f"{text} ago" if past else f"in {text}"


def local_time(due: When, name: str) -> str:
    """``due`` as the reader sees it in zone ``name``; an open end is said in words.

    >>> local_time(When.parse("../2025-10-26[Asia/Kuala_Lumpur]"), "UTC")
    'by 2025-10-26 15:59 UTC'
    >>> local_time(When.parse("2025-11-11/..[America/New_York]"), "UTC")
    '2025-11-11 05:00 UTC or later'
    """
    fmt = "YYYY-MM-DD HH:mm"
    if due.earliest is OPEN_START and due.latest is not OPEN_END:
        return f"by {pendulum.instance(due.upper).in_tz(name).format(fmt)} {name}"
    if due.latest is OPEN_END and due.earliest is not OPEN_START:
        return f"{pendulum.instance(due.lower).in_tz(name).format(fmt)} {name} or later"
    return due.in_zone(name)


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


# ------------------------------------------------------------------------------- JSON shapes
def _iso(value: _dt.datetime) -> str:
    return value.isoformat()


def when_json(value: When | None) -> dict[str, Any] | None:
    """A time value with its bounds in UTC; an open end is ``null``."""
    if value is None:
        return None
    return {
        "value": str(value),
        "earliest": None if value.earliest is OPEN_START else _iso(value.lower),
        "latest": None if value.latest is OPEN_END else _iso(value.upper),
    }


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _rate_json(rate: Rate | None) -> dict[str, Any] | None:
    if rate is None:
        return None
    return {
        "value": _decimal(rate.value),
        "unit": rate.unit.value,
        "currency": rate.currency,
        "per": rate.per,
    }


def _quantity_json(quantity: Quantity | None) -> dict[str, Any] | None:
    if quantity is None:
        return None
    return {
        "amount": _decimal(quantity.amount),
        "unit": quantity.unit,
        "per": quantity.per.value,
        "commodity": quantity.commodity,
    }


def _terms_json(terms: Terms | None) -> dict[str, Any] | None:
    if terms is None:
        return None
    return {
        "text": terms.describe(),
        "rate": _rate_json(terms.rate),
        "quantity": _quantity_json(terms.quantity),
        "legal_basis": terms.legal_basis,
        "effective": when_json(terms.effective),
        "expires": when_json(terms.expires),
    }


def _state_json(state: AnyState) -> dict[str, Any]:
    return {
        "status": None if state.status is None else state.status.value,
        "status_text": _status_words(state),
        "certain": state.certain,
        "candidates": [None if c is None else c.value for c in state.candidates],
        "projected": state.projected,
        "lapses": [
            {
                "kind": lapse.kind.value,
                "due": when_json(lapse.due),
                "to": lapse.to.value,
                "passed": lapse.passed,
                "text": str(lapse),
            }
            for lapse in state.lapses
        ],
        "disputed": bool(state.disagreements),
        "disputes": [_claims_json(group) for group in state.disagreements],
    }


def _claims_json(group: Iterable[Entry[Any]]) -> list[dict[str, Any]]:
    """Competing claims about one event: who says what."""
    found = []
    for e in group:
        claim: dict[str, Any] = {
            "source": e.source,
            "evidence": e.evidence.value,
            "claimed_by": e.claimed_by,
            "to": e.to.value,
        }
        if isinstance(e, MeasureEntry):
            claim["terms"] = _terms_json(e.terms)
            claim["suspension"] = _suspension_json(e.suspension, e.terms)
        if isinstance(e, DeadlineEntry) and e.sets_due:
            claim["due"] = when_json(e.due)
        found.append(claim)
    return found


def _suspension_json(suspension: Suspension | None, terms: Terms | None) -> dict[str, Any] | None:
    if suspension is None:
        return None
    rate = None if terms is None else terms.rate
    return {
        "text": suspension.describe(rate),
        "until": when_json(suspension.until),
        "portion": _rate_json(suspension.portion),
        "at_end": suspension.at_end.value,
    }


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


# ------------------------------------------------------------------------------- commands
def default_time(scenario: Scenario) -> When:
    """The publication of the scenario's latest source (a calendar value: its last instant)."""
    published = [s.published for s in scenario.sources if s.published is not None]
    if not published:
        raise UsageError("the scenario's sources carry no publication time: give --at TIME")
    return max(published, key=lambda w: (w.upper, w.lower))


def _deadline_rows(
    scenario: Scenario,
    items: Iterable[Upcoming],
    start: _dt.datetime,
    end: _dt.datetime | None,
    local: str,
    open_at_start: frozenset[str] | None = None,
) -> tuple[list[tuple[str, str, str]], list[dict[str, Any]]]:
    """Text items (heading, when, local time) and JSON objects for upcoming deadlines."""
    rows, data = [], []
    for item in items:
        deadline = scenario.deadline(item.deadline)
        due = item.due
        maybe = _maybe(item, start, end)
        later = open_at_start is not None and deadline.id not in open_at_start
        note = " (set after the window opens)" if later else ""
        when = f"due {due}, {glue(countdown(start, due))} {glue(maybe)}".rstrip() + glue(note)
        seen = f"your time: {glue(local_time(due, local))}"
        if item.disputed:
            seen += "; disputed: " + "; ".join(_due_claim(e) for e in item.claims)
        rows.append((f"{deadline.title} ({deadline.id})", when, seen))
        data.append(
            {
                "id": deadline.id,
                "title": deadline.title,
                "kind": deadline.kind.value,
                "parties": list(deadline.parties),
                "governs": list(deadline.governs),
                "due": str(due),
                "earliest": None if due.earliest is OPEN_START else _iso(due.lower),
                "latest": None if due.latest is OPEN_END else _iso(due.upper),
                "local": local_time(due, local),
                "countdown": countdown(start, due),
                "status": None if item.status is None else item.status.value,
                "certain": item.certain,
                "disputed": item.disputed,
                "claims": _claims_json(item.claims),
                "open_at_start": not later,
            }
        )
    return rows, data


def cmd_status(args: argparse.Namespace, out: TextIO) -> int:
    scenario = _load(args)
    local = local_zone(args.tz)
    at = parse_time(args.at, local) if args.at else default_time(scenario)
    known_at = parse_time(args.known_at, local) if args.known_at else None
    view = scenario.at(at, known_at=known_at, project=args.project)
    if args.project:
        scenario = scenario.advance(at, known_at=known_at)
    measures = list(view.measures.values())
    negotiations = list(view.negotiations.values())
    upcoming = list(scenario.upcoming_deadlines(at, known_at=known_at))
    due_rows, due_data = _deadline_rows(scenario, upcoming, at.upper, None, local)
    if args.json:
        doc = {
            "title": scenario.title,
            "at": str(at),
            "at_instant": _iso(at.upper),
            "at_is_latest_source": not args.at,
            "known_at": None if known_at is None else str(known_at),
            "projected": args.project,
            "local_zone": local,
            "measures": [_measure_json(scenario, s) for s in measures],
            "negotiations": [_negotiation_json(scenario, s) for s in negotiations],
            "deadlines": due_data,
        }
        _write_json(doc, out)
        return EXIT_OK
    text = _Text(out, terminal_width())
    text.line(scenario.title)
    for line in _at_lines(at, not args.at, known_at):
        text.line(line)
    if args.project:
        text.line(
            "Projected: what was scheduled by then, "
            + ("on every source" if known_at is None else f"as known at {known_at}")
            + ", has been carried out (suspensions that ended, effective times and expiries "
            "that came, deadlines passed unmet); projected states are marked."
        )
    text.line()
    text.line("Measures")
    for s in measures:
        m = scenario.measure(s.id)
        who = f"{_kind_words(m.kind.value)}, {_names(scenario, [m.imposed_by])}"
        who += f" on {_names(scenario, m.targets)}" if m.targets else " on all"
        terms = "" if s.terms is None else s.terms.describe()
        shown = _status_words(s)
        if s.status is not None and s.suspension is not None:
            rate = None if s.terms is None else s.terms.rate
            shown = f"paused ({s.suspension.describe(rate)})"
        shown += " (projected)" if s.projected else ""
        detail = f"{shown}; {who}" + (f"; {terms}" if terms and terms != "-" else "")
        why = [f"Why not certain: {reason}." for reason in s.reasons()]
        why += [f"Disputed: {dispute}." for dispute in s.disputes()]
        text.item(f"{m.title or m.id} ({m.id})", detail, *why)
    text.line()
    text.line("Negotiations")
    for ns in negotiations:
        n = scenario.negotiation(ns.id)
        detail = f"{_status_words(ns)}; between {_names(scenario, n.parties)}"
        deal = [t.detail or f"{t.entity} -> {t.to}" for t in n.terms]
        on_table = f"The deal's {len(deal)} terms: " + "; ".join(deal) + "." if deal else ""
        text.item(f"{n.title} ({n.id})", detail, on_table)
    text.line()
    text.line("Next deadlines")
    for heading, when, seen in due_rows:
        text.item(heading, when, seen)
    if not due_rows:
        text.line("  (none ahead)")
    return EXIT_OK


def _measure_json(scenario: Scenario, state: AnyState) -> dict[str, Any]:
    m = scenario.measure(state.id)
    terms = getattr(state, "terms", None)
    return {
        "id": m.id,
        "title": m.title,
        "kind": m.kind.value,
        "imposed_by": m.imposed_by,
        "targets": list(m.targets),
        "scope": m.scope,
        **_state_json(state),
        "terms": _terms_json(terms),
        "suspension": _suspension_json(getattr(state, "suspension", None), terms),
    }


def _negotiation_json(scenario: Scenario, state: AnyState) -> dict[str, Any]:
    n = scenario.negotiation(state.id)
    return {
        "id": n.id,
        "title": n.title,
        "parties": list(n.parties),
        **_state_json(state),
        "issues": list(n.issues),
        "terms": [
            {
                "entity": t.entity,
                "to": t.to,
                "detail": t.detail,
                "effective": when_json(t.effective),
                "expires": when_json(t.expires),
                "rate": _rate_json(t.rate),
                "quantity": _quantity_json(t.quantity),
                "due": when_json(t.due),
                "suspension": _suspension_json(t.suspension, None),
            }
            for t in n.terms
        ],
    }


def cmd_tariff(args: argparse.Namespace, out: TextIO) -> int:
    scenario = _load(args)
    local = local_zone(args.tz)
    at = parse_time(args.at, local) if args.at else default_time(scenario)
    known_at = parse_time(args.known_at, local) if args.known_at else None
    stack = scenario.tariff_stack(
        args.importer, args.exporter, args.product, at, known_at, producer=args.producer
    )
    if (args.value is None) != (args.currency is None):
        raise UsageError("--value and --currency go together (the customs value and its currency)")
    amount = None
    if args.value is not None:
        amount = stack.amount(args.value, args.currency, args.quantity)
    if args.json:
        doc = {
            "title": scenario.title,
            "importer": stack.importer,
            "exporter": stack.exporter,
            "product": str(stack.product),
            "producer": stack.producer,
            "at": str(at),
            "at_instant": _iso(stack.at),
            "at_is_latest_source": not args.at,
            "known_at": None if known_at is None else str(known_at),
            "low": _decimal(stack.low),
            "high": _decimal(stack.high),
            "layers": [_layer_json(x) for x in stack.layers],
            "uncertain": [_layer_json(x) for x in stack.uncertain],
            "per_unit": [_layer_json(x) for x in stack.per_unit],
            "excluded": [_layer_json(x) for x in stack.excluded],
            "amount": None
            if amount is None
            else {
                "value": args.value,
                "quantity": args.quantity,
                "currency": amount.currency,
                "low": _decimal(amount.low),
                "high": _decimal(amount.high),
            },
        }
        _write_json(doc, out)
        return EXIT_OK
    text = _Text(out, terminal_width())
    text.line(scenario.title)
    for line in _at_lines(at, not args.at, known_at):
        text.line(line)
    text.line()
    head, *layers = str(stack).splitlines()
    text.line(head)
    for layer in layers:  # "  + 10% (basis) id": continuation lines under the rate
        out.write(wrap(layer.lstrip(), text.width, 2, hang=4) + "\n")
    if amount is not None:
        units = f" and {args.quantity} units" if args.quantity is not None else ""
        text.line(f"Duty on a customs value of {args.value} {args.currency}{units}: {amount}")
    if stack.uncertain or not all(x.certain for x in stack.per_unit):
        text.line()
        text.line(
            "? marks a layer that may or may not apply, or may add more or less: the total is "
            "then a range from every such layer at its least to every one at its full rate."
        )
    if stack.per_unit:
        text.line("! marks a duty charged per unit, outside the percent total.")
    if stack.excluded:
        text.line("- marks a layer a stacking rule keeps off, outside the total.")
    return EXIT_OK


def _layer_json(layer: TariffLayer) -> dict[str, Any]:
    return {
        "measure": layer.measure,
        "base": layer.base,
        "rate": _rate_json(layer.rate),
        "legal_basis": layer.legal_basis,
        "authority": None if layer.authority is None else layer.authority.value,
        "instrument": layer.instrument,
        "certain": layer.certain,
        "low": _decimal(layer.low),
        "note": layer.note,
    }


def cmd_deadlines(args: argparse.Namespace, out: TextIO) -> int:
    scenario = _load(args)
    local = local_zone(args.tz)
    start = parse_time(args.start, local) if args.start else default_time(scenario)
    length = None
    if args.within:
        length = window_length(start, parse_duration(args.within))
    t0 = start.upper
    end = None if length is None else t0 + length
    items = list(scenario.upcoming_deadlines(start, within=length))
    open_at_start = frozenset(item.deadline for item in items)
    if args.scope == "whole-window":
        items += _set_during(scenario, t0, end, open_at_start)
        items.sort(key=lambda u: (u.due.lower, u.due.upper, u.deadline))
    rows, data = _deadline_rows(scenario, items, t0, end, local, open_at_start)
    if args.json:
        doc = {
            "from": str(start),
            "from_instant": _iso(t0),
            "within": args.within,
            "to_instant": None if end is None else _iso(end),
            "scope": args.scope,
            "local_zone": local,
            "deadlines": data,
        }
        _write_json(doc, out)
        return EXIT_OK
    text = _Text(out, terminal_width())
    text.line(scenario.title)
    for line in _at_lines(start, not args.start, None, "--from")[:-1]:
        text.line(line)
    if end is None:
        window = "Window: from then on, open-ended"
    else:
        last = pendulum.instance(end).in_tz(start.zone).format("YYYY-MM-DD HH:mm Z")
        window = f"Window: from then to {glue(last)}"
    if args.scope == "whole-window":
        window += f"; deadlines first set during it are included ({glue('--scope at-start')} "
        window += "leaves them out)."
    else:
        window += "; only the deadlines already open at its start."
    text.line(window)
    text.line()
    text.line("Deadlines")
    for heading, when, seen in rows:
        text.item(heading, when, seen)
    if not rows:
        text.line("  (none)")
    return EXIT_OK


def _set_during(
    scenario: Scenario, start: _dt.datetime, end: _dt.datetime | None, listed: frozenset[str]
) -> list[Upcoming]:
    """Deadlines first set after ``start`` that can fall due by ``end``: each is asked of the
    scenario from the first instant it may exist, with the window's own rule. One is certain
    when it is certainly set within the window and its whole due time lies inside it."""
    found: list[Upcoming] = []
    for deadline in scenario.deadlines:
        created = deadline.history[0].at
        first = created.lower
        if deadline.id in listed or first <= start or (end is not None and first > end):
            continue
        later = scenario.upcoming_deadlines(first, within=None if end is None else end - first)
        for item in later:
            if item.deadline == deadline.id:
                due = item.due
                inside = due.lower >= start and (end is None or due.upper <= end)
                set_inside = end is None or created.upper <= end
                found.append(attrs.evolve(item, certain=inside and set_inside))
    return found


def cmd_timeline(args: argparse.Namespace, out: TextIO) -> int:
    scenario = _load(args)
    local = local_zone(args.tz) if args.tz else None
    start = parse_time(args.start, local) if args.start else None
    stop = parse_time(args.stop, local) if args.stop else None
    if start is not None and stop is not None and stop.upper < start.lower:
        raise UsageError(f"--to {stop} ends before --from {start} begins")
    wanted = _entities(scenario, args.entity)
    events = [
        e
        for e in scenario.timeline()
        if (wanted is None or e.entity in wanted)
        and (start is None or e.at.upper >= start.lower)
        and (stop is None or e.at.lower <= stop.upper)
    ]
    if args.json:
        data = []
        for e in events:
            bounds = when_json(e.at)
            assert bounds is not None
            data.append(
                {
                    "at": str(e.at),
                    "earliest": bounds["earliest"],
                    "latest": bounds["latest"],
                    **({"local": local_time(e.at, local)} if local else {}),
                    "entity": e.entity,
                    "kind": e.kind.value,
                    "from": _status_value(e.from_),
                    "to": _status_value(e.to),
                    "source": e.source,
                    "evidence": None if e.evidence is None else e.evidence.value,
                    "text": e.text,
                }
            )
        doc = {
            "title": scenario.title,
            "from": None if start is None else str(start),
            "to": None if stop is None else str(stop),
            "entities": None if wanted is None else sorted(wanted),
            "local_zone": local,
            "events": data,
        }
        _write_json(doc, out)
        return EXIT_OK
    text = _Text(out, terminal_width())
    total = len(scenario.timeline())
    count = f"{len(events)} of {total}" if len(events) != total else str(total)
    text.line(f"{scenario.title}: {count} dated event{'' if total == 1 else 's'}, in order")
    previous: When | None = None
    for e in events:
        if e.at != previous:
            seen = "  " + glue(f"(your time: {local_time(e.at, local)})") if local else ""
            text.line(f"{e.at}{seen}")
            previous = e.at
        text.item(e.text)
    if not events:
        text.line("(no event matches)")
    return EXIT_OK


def _status_value(status: object) -> str | None:
    value = getattr(status, "value", status)
    return None if value is None else str(value)


def _entities(scenario: Scenario, ids: Sequence[str] | None) -> frozenset[str] | None:
    if not ids:
        return None
    known = [
        x.id
        for group in (scenario.measures, scenario.deadlines, scenario.negotiations)
        for x in group
    ]
    for wanted in ids:
        if wanted not in known:
            close = difflib.get_close_matches(wanted, known, n=3)
            hint = f"did you mean {_or(close)}?" if close else f"known: {', '.join(known)}"
            raise UsageError(
                f"--entity {wanted!r}: no measure, deadline or negotiation has that id; {hint}"
            )
    return frozenset(ids)


def _or(words: Sequence[str]) -> str:
    quoted = [repr(w) for w in words]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + f" or {quoted[-1]}"


def cmd_validate(args: argparse.Namespace, out: TextIO) -> int:
    results: list[dict[str, Any]] = []
    name: str
    for name in args.files:
        try:
            if not Path(name).exists():
                raise FileNotFoundError(errno.ENOENT, "no such file", name)
            scenario = load_seed(Path(name))
        except InvalidDataError as error:
            results.append({"file": name, "valid": False, "error": error})
        except OSError as error:
            results.append({"file": name, "valid": False, "error": f"{name}: {_os_text(error)}"})
        except TradeTruceError as error:
            results.append({"file": name, "valid": False, "error": f"{name}: {error}"})
        else:
            counts = {k: len(getattr(scenario, k)) for k in _COUNTED}
            results.append({"file": name, "valid": True, "counts": counts})
    if args.json:
        _write_json([_validation_json(r) for r in results], out)
    else:
        for r in results:
            if r["valid"]:
                summary = ", ".join(f"{k}: {n}" for k, n in r["counts"].items())
                out.write(f"{r['file']}: valid ({summary})\n")
            else:
                out.write(f"{r['error']}\n")
    return EXIT_OK if all(r["valid"] for r in results) else EXIT_INVALID


_COUNTED = ("sources", "parties", "measures", "deadlines", "negotiations")


def _validation_json(result: Mapping[str, Any]) -> dict[str, Any]:
    doc: dict[str, Any] = {"file": result["file"], "valid": result["valid"]}
    if result["valid"]:
        doc["counts"] = result["counts"]
        return doc
    error = result["error"]
    if isinstance(error, InvalidDataError):
        doc["problems"] = [
            {
                "path": p.path,
                "message": p.message,
                "allowed": p.allowed,
                "entity": p.entity,
                "line": p.line,
                "column": p.column,
            }
            for p in error.problems
        ]
    else:
        doc["problems"] = [{"path": "$", "message": str(error)}]
    return doc


def cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    from tradetruce.wire import serialize

    scenario = _load(args)
    if args.format == "json":
        text = serialize.to_json(scenario)
    elif args.format == "toml":
        text = serialize.to_toml(scenario)
    elif args.format == "schema":
        from tradetruce.wire.schema import json_schema

        text = json.dumps(json_schema(Scenario), indent=2)
    else:
        from tradetruce.ical import deadlines_ics

        text = deadlines_ics(scenario)
    if not text.endswith("\n"):
        text += "\n"
    if args.output:
        # newline="" keeps the CRLF line ends that iCalendar requires.
        with open(args.output, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        if args.json:
            _write_json({"format": args.format, "output": args.output}, out)
    else:
        out.write(text)
    return EXIT_OK


# ------------------------------------------------------------------------------- plumbing
def _looks_like_a_path(seed: str) -> bool:
    return os.sep in seed or "/" in seed or Path(seed).suffix.lower() in {".toml", ".json"}


def _load(args: argparse.Namespace) -> Scenario:
    """The scenario SEED names: a file that exists, else a shipped scenario's name.

    A SEED that looks like a path (a folder in it, or a .toml or .json suffix) and is missing is
    a missing file (exit 1); any other word that names nothing is a usage error (exit 2).
    """
    seed: str | None = args.seed
    if seed is None or Path(seed).exists() or seed in list_seeds():
        return load_seed(Path(seed) if seed is not None and Path(seed).exists() else seed)
    if _looks_like_a_path(seed):
        raise FileNotFoundError(errno.ENOENT, "no such file", seed)
    shipped = list(list_seeds())
    if getattr(args, "implicit", False):
        close = difflib.get_close_matches(seed, [*_COMMANDS, *shipped], n=3)
        hint = f"did you mean {_or(close)}? " if close else ""
        raise UsageError(
            f"{seed!r} is not a command, a file or a shipped scenario; {hint}"
            f"commands: {', '.join(_COMMANDS)}; shipped scenarios: {', '.join(shipped)}"
        )
    close = difflib.get_close_matches(seed, shipped, n=3)
    hint = f"did you mean {_or(close)}? " if close else ""
    raise UsageError(
        f"SEED {seed!r} is neither a file nor a shipped scenario; {hint}"
        f"shipped: {', '.join(shipped)}"
    )


def _write_json(doc: object, out: TextIO) -> None:
    out.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")


def _os_text(error: OSError) -> str:
    return error.strerror or str(error)


_COMMANDS = ("status", "timeline", "deadlines", "tariff", "validate", "export")
# Options that take a value which may start with "-" (a negative DURATION, an offset): argparse
# would read "--within -5d" as two options, so such a value is joined to its option first.
_VALUED = ("--at", "--known-at", "--from", "--to", "--within", "--tz")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


_TIME_HELP = (
    "TIME: a time value such as 2025-11-02[America/New_York] (a date, month or range stands "
    "for its last instant), an instant with an offset such as 2025-11-10T05:01:00Z (a query "
    "only has to say when; files need a zone name, whose rules they keep), now (in UTC), or "
    "today (in the reader's zone, so its last instant)."
)
_EPILOG = (
    "Exit codes: 0 success; 1 invalid data, or a file that is missing or cannot be read or "
    "written; 2 usage error (unknown command, option or scenario name; bad TIME, DURATION or "
    "ZONE). A SEED with a folder or a .toml or .json suffix in it is a file, any other word a "
    f"shipped scenario's name. {_TIME_HELP} DURATION: {_DURATION_FORMS} (calendar years and "
    "months; never negative)."
)


def build_parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument("--json", action="store_true", help="machine-readable JSON output")
    seeded = _Parser(add_help=False)
    seeded.add_argument(
        "seed",
        nargs="?",
        metavar="SEED",
        help="a scenario file (TOML or JSON) or a shipped scenario's name "
        f"(default: {DEFAULT_SEED})",
    )
    zoned = _Parser(add_help=False)
    zoned.add_argument("--tz", metavar="ZONE", help="the reader's zone (default: this machine's)")

    parser = _Parser(
        prog="tradetruce",
        description="Trade measures, deadlines and negotiations, with time handled honestly.",
        epilog=_EPILOG,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    status = sub.add_parser(
        "status",
        parents=[common, seeded, zoned],
        help="the state at a moment (default command)",
        description="Every measure and negotiation with its status, and the deadlines ahead "
        "with countdowns. Without --at: as of the latest source's publication, not today "
        "(--at now for today); countdowns run from that moment.",
    )
    status.add_argument(
        "--at", metavar="TIME", help="the moment (default: the latest source's publication)"
    )
    status.add_argument("--known-at", metavar="TIME", help="use only what was recorded by TIME")
    status.add_argument(
        "--project",
        action="store_true",
        help="a projection: first carry out what was scheduled by the time, as known at "
        "--known-at (suspensions that ended, effective times and expiries that came, deadlines "
        "passed unmet); projected states are marked",
    )
    status.set_defaults(run=cmd_status)

    timeline = sub.add_parser(
        "timeline",
        parents=[common, seeded],
        help="every dated event",
        description="Every dated event in order: history entries, due times and rounds.",
    )
    timeline.add_argument(
        "--from",
        dest="start",
        metavar="TIME",
        help="only events that can fall from TIME's start on",
    )
    timeline.add_argument(
        "--to", dest="stop", metavar="TIME", help="only events that can fall by TIME's end"
    )
    timeline.add_argument(
        "--entity",
        action="append",
        metavar="ID",
        help="only the events of this measure, deadline or negotiation (repeatable)",
    )
    timeline.add_argument(
        "--tz", metavar="ZONE", help="also show each time in this zone (the reader's)"
    )
    timeline.set_defaults(run=cmd_timeline)

    deadlines = sub.add_parser(
        "deadlines",
        parents=[common, seeded, zoned],
        help="deadlines ahead",
        description="The deadlines that can fall due in a window, each in its own zone and the "
        "reader's, with countdowns from the window's start.",
    )
    deadlines.add_argument(
        "--from",
        dest="start",
        metavar="TIME",
        help="the window's start (default: the latest source's publication; --from now for today)",
    )
    deadlines.add_argument(
        "--within", metavar="DURATION", help="the window's length (default: open-ended)"
    )
    deadlines.add_argument(
        "--scope",
        choices=["whole-window", "at-start"],
        default="whole-window",
        help="whole-window (default): every deadline that can fall due in the window, also one "
        "first set during it; at-start: only the deadlines already open at the window's start, "
        "as the scenario stood then",
    )
    deadlines.set_defaults(run=cmd_deadlines)

    tariff = sub.add_parser(
        "tariff",
        parents=[common, seeded, zoned],
        help="the duties on one flow of goods",
        description="The tariff layers on imports into an importer from an exporter of one "
        "product at a moment, by producer when given, with the low and high bounds of their "
        "total in percent of the value (specific duties listed apart). Without --at: as of the "
        "latest source's publication.",
    )
    tariff.add_argument("--importer", required=True, metavar="ID", help="the importing party")
    tariff.add_argument("--exporter", required=True, metavar="ID", help="the origin's party")
    tariff.add_argument(
        "--product", required=True, metavar="HS", help="an HS code such as 870380 or 8703.80.10"
    )
    tariff.add_argument(
        "--producer", metavar="ID", help="the producer's party (default: any producer)"
    )
    tariff.add_argument(
        "--at", metavar="TIME", help="the moment (default: the latest source's publication)"
    )
    tariff.add_argument("--known-at", metavar="TIME", help="use only what was recorded by TIME")
    tariff.add_argument(
        "--value", metavar="AMOUNT", help="the customs value, for the duty in money"
    )
    tariff.add_argument("--currency", metavar="CODE", help="the customs value's currency")
    tariff.add_argument(
        "--quantity", metavar="N", help="the number of units, for duties charged per unit"
    )
    tariff.set_defaults(run=cmd_tariff)

    validate = sub.add_parser(
        "validate",
        parents=[common],
        help="check scenario files",
        description="Check scenario files (TOML or JSON); every problem is listed with its "
        "file, line and field path. Exits 1 when any file is invalid, missing or unreadable.",
    )
    validate.add_argument("files", nargs="+", metavar="FILE", help="scenario files to check")
    validate.set_defaults(run=cmd_validate)

    export = sub.add_parser("export", parents=[common, seeded], help="write the scenario out")
    export.add_argument(
        "--format",
        required=True,
        choices=["json", "toml", "schema", "ics"],
        help="json or toml: the scenario (both read back); schema: its JSON Schema; ics: the "
        "deadlines as an iCalendar file",
    )
    export.add_argument("-o", "--output", metavar="FILE", help="default: standard output")
    export.set_defaults(run=cmd_export)
    return parser


def _join_dashed_values(argv: list[str], known: set[str]) -> list[str]:
    """``--within -5d`` as ``--within=-5d``, so a value starting with "-" reaches its option."""
    joined: list[str] = []
    i = 0
    while i < len(argv):
        word = argv[i]
        nxt = argv[i + 1] if i + 1 < len(argv) else None
        if word in _VALUED and nxt is not None and nxt.startswith("-") and nxt not in known:
            joined.append(f"{word}={nxt}")
            i += 2
        else:
            joined.append(word)
            i += 1
    return joined


def _option_strings(parser: argparse.ArgumentParser) -> set[str]:
    found: set[str] = set()
    for action in parser._actions:
        found.update(action.option_strings)
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found |= _option_strings(sub)
    return found


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None) -> int:
    """Run the command line; returns the exit code (see the module docs)."""
    stdout = out if out is not None else sys.stdout
    parser = build_parser()
    args_list = list(sys.argv[1:] if argv is None else argv)
    implicit = not args_list or args_list[0] not in {*_COMMANDS, "-h", "--help", "--version"}
    if implicit:
        args_list.insert(0, "status")  # the default command takes every status option
    args_list = _join_dashed_values(args_list, _option_strings(parser))
    try:
        args = parser.parse_args(args_list)
        args.implicit = implicit
        run: Callable[[argparse.Namespace, TextIO], int] = args.run
        return run(args, stdout)
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else EXIT_USAGE
    except UsageError as error:
        print(f"tradetruce: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except InvalidDataError as error:
        print(f"tradetruce: {error}", file=sys.stderr)
        return EXIT_INVALID
    except TradeTruceError as error:
        print(f"tradetruce: error: {error}", file=sys.stderr)
        return EXIT_INVALID
    except BrokenPipeError:
        # The reader stopped reading (``| head``): not an error; silence the final flush too.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - lives until the process ends
        return EXIT_OK
    except OSError as error:
        name = f"{error.filename}: " if error.filename else ""
        print(f"tradetruce: error: {name}{_os_text(error)}", file=sys.stderr)
        return EXIT_INVALID
