"""The commands: status, deadlines, timeline, tariff, changes, validate, export."""

from __future__ import annotations

import argparse
import datetime as _dt
import difflib
import errno
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

import attrs
import pendulum

from tradetruce.cli._args import (
    EXIT_INVALID,
    EXIT_OK,
    countdown,
    local_time,
    local_zone,
    parse_duration,
    parse_time,
    window_length,
)
from tradetruce.cli._files import _load, _os_text, _write_json
from tradetruce.cli._json import (
    _claims_json,
    _decimal,
    _iso,
    _quantity_json,
    _rate_json,
    _state_json,
    _suspension_json,
    _terms_json,
    when_json,
)
from tradetruce.cli._words import (
    _at_lines,
    _due_claim,
    _kind_words,
    _maybe,
    _names,
    _or,
    _status_words,
    _Text,
    glue,
    terminal_width,
    wrap,
)
from tradetruce.engine.states import AnyState
from tradetruce.engine.tariffs import TariffLayer
from tradetruce.engine.upcoming import Upcoming
from tradetruce.errors import InvalidDataError, TradeTruceError, UsageError
from tradetruce.model.scenario import Scenario
from tradetruce.seeds import load_seed
from tradetruce.values.rates import Rate
from tradetruce.values.when import OPEN_END, OPEN_START, When


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
    share = layer.share
    return {
        "measure": layer.measure,
        "base": layer.base,
        "rate": _rate_form_json(layer.rate),
        "rate_text": str(layer.rate),
        "legal_basis": layer.legal_basis,
        "authority": None if layer.authority is None else layer.authority.value,
        "instrument": layer.instrument,
        "act": layer.act,
        "certain": layer.certain,
        "low": _decimal(layer.low),
        "high": _decimal(layer.high),
        "share": None
        if share is None
        else {"low": _decimal(share.low), "high": _decimal(share.high), "part": share.part},
        "note": layer.note,
    }


def _rate_form_json(rate: Rate) -> dict[str, Any] | None:
    """A layer's rate with its form: a range's upper end, a second part, a floor (only the
    keys a rate of that form has, so a plain rate reads as before)."""
    found = _rate_json(rate)
    assert found is not None
    if rate.high is not None:
        found["high"] = _decimal(rate.high)
    if rate.other is not None and rate.combine is not None:
        other = rate.other
        found["other"] = {
            "value": _decimal(other.value),
            "unit": other.unit.value,
            "currency": other.currency,
            "per": other.per,
            "high": None if other.high is None else _decimal(other.high),
        }
        found["combine"] = rate.combine.value
    if rate.floor:
        found["floor"] = True
    return found


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
                certain = inside and set_inside and not item.disputed
                found.append(attrs.evolve(item, certain=certain))
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


def cmd_changes(args: argparse.Namespace, out: TextIO) -> int:
    scenario = _load(args)
    k1 = parse_time(args.recorded_from)
    k2 = parse_time(args.recorded_to)
    if k2.hi_us < k1.hi_us:
        raise UsageError(f"--recorded-to {k2} ends before --recorded-from {k1}")
    found = scenario.changes_recorded(k1, k2)
    if args.json:
        doc = {
            "title": scenario.title,
            "recorded_from": str(k1),
            "recorded_to": str(k2),
            "changes": [
                {
                    "recorded": str(c.recorded),
                    "entity": c.entity,
                    "kind": c.kind,
                    "at": str(c.at),
                    "source": c.entry.source,
                    "evidence": c.entry.evidence.value,
                    "text": str(c),
                }
                for c in found
            ],
        }
        _write_json(doc, out)
        return EXIT_OK
    out.write(f"{scenario.title}: recorded after {k1}, by {k2}: {len(found)}\n")
    for c in found:
        out.write(f"  {c}\n")
    return EXIT_OK


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
