"""The ``tradetruce`` command: a scenario's state, timeline and deadlines, validation, export.

Usage::

    tradetruce [status] [--at TIME] [--known-at TIME] [--project] [SEED]
    tradetruce timeline [SEED]
    tradetruce deadlines [--from TIME] [--within DURATION] [SEED]
    tradetruce validate FILE...
    tradetruce export --format json|toml|schema|ics [-o FILE] [SEED]

SEED is a scenario file or the name of a shipped scenario (default: the October 2025 US-China
truce). TIME is a tradetruce time value (``2025-11-02[America/New_York]``,
``2026-11~[Asia/Shanghai]``, ``2025-11-10T00:01:00-05:00[America/New_York]``) or an ISO 8601
instant with an offset (``2025-11-10T05:01:00Z``); a calendar day, month or range stands for its
*last* instant, so ``--at 2025-11-02[America/New_York]`` means the end of 2 November in New
York. Without ``--at`` the time is the last instant of the latest source's publication.
DURATION is ``30d``, ``2w``, ``12h`` or ISO 8601 (``P30D``, ``PT12H``).

Exit codes: 0 success; 1 invalid data (a scenario file with problems, an unreadable file, a move
its lifecycle forbids); 2 usage error (unknown option, bad TIME or DURATION, unknown scenario).
Add ``--json`` to any command for machine-readable output.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NoReturn, TextIO

import pendulum
from pendulum.tz import get_local_timezone

from tradetruce import __version__
from tradetruce.engine.states import AnyState
from tradetruce.engine.upcoming import Upcoming
from tradetruce.errors import InvalidDataError, InvalidValueError, TradeTruceError
from tradetruce.model.scenario import Scenario
from tradetruce.seeds import DEFAULT_SEED, list_seeds, load_seed
from tradetruce.values.terms import Terms
from tradetruce.values.when import When, parse_instant, zone

__all__ = ["EXIT_INVALID", "EXIT_OK", "EXIT_USAGE", "main"]

EXIT_OK = 0  #: success
EXIT_INVALID = 1  #: invalid data, or a file that cannot be read
EXIT_USAGE = 2  #: bad command line (argparse's own code for usage errors)


class UsageError(TradeTruceError, ValueError):
    """A command-line value that cannot be used (a bad TIME, DURATION or zone)."""


# ------------------------------------------------------------------------------- values
def parse_time(text: str) -> When:
    """A TIME argument: a When text form, or an ISO instant with an offset (kept in UTC).

    >>> str(parse_time("2025-11-02[America/New_York]"))
    '2025-11-02[America/New_York]'
    >>> str(parse_time("2025-11-10T05:01:00Z"))
    '2025-11-10T05:01:00+00:00[UTC]'
    """
    try:
        if "[" in text:
            return When.parse(text)
        instant = parse_instant(text)
        return When.exact(pendulum.instance(_dt.datetime.astimezone(instant, _dt.UTC), tz="UTC"))
    except InvalidValueError as error:
        raise UsageError(f"TIME {text!r}: {error}") from None


_SHORT = re.compile(r"(\d+)\s*(w|d|h|m)")
_ISO = re.compile(r"P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?")


def parse_duration(text: str) -> pendulum.Duration:
    """A DURATION argument: ``30d``, ``2w``, ``12h``, ``90m`` or ISO 8601 ``P30D``/``PT12H``.

    >>> parse_duration("2w").in_days(), parse_duration("P1DT12H").in_hours()
    (14, 36)
    """
    short = _SHORT.fullmatch(text.strip())
    if short:
        n, unit = int(short.group(1)), short.group(2)
        key = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes"}[unit]
        return pendulum.Duration(**{key: n})
    iso = _ISO.fullmatch(text.strip().upper())
    if iso and text.strip().upper() not in {"P", "PT"} and any(iso.groups()):
        w, d, h, m = (int(x) if x else 0 for x in iso.groups())
        return pendulum.Duration(weeks=w, days=d, hours=h, minutes=m)
    raise UsageError(f"DURATION {text!r}: not a duration (allowed: 30d, 2w, 12h, 90m, P30D, PT12H)")


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
    if due.latest.year >= 9999:
        return f"{_span(lower)} or later"
    if due.earliest.year <= 1:
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


def table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """An aligned plain-text table.

    >>> print(table(["id", "status"], [["a", "proposed"], ["bb", "paused"]]))
    id  status
    --  --------
    a   proposed
    bb  paused
    """
    body = [[str(c) for c in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in body]) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    out = [line(list(headers)), line(["-" * w for w in widths])]
    out += [line(r) for r in body]
    return "\n".join(out)


# ------------------------------------------------------------------------------- commands
def default_time(scenario: Scenario) -> When:
    """The publication of the scenario's latest source (a calendar value: its last instant)."""
    published = [s.published for s in scenario.sources if s.published is not None]
    if not published:
        raise UsageError("the scenario's sources carry no publication time: give --at TIME")
    return max(published, key=lambda w: (w.upper, w.lower))


def _status_text(state: AnyState) -> str:
    return state.status_text()


def _terms_text(terms: Terms | None) -> str:
    return "-" if terms is None else terms.describe()


def _state_json(state: AnyState) -> dict[str, Any]:
    return {
        "id": state.id,
        "status": None if state.status is None else state.status.value,
        "certain": state.certain,
        "candidates": [None if c is None else c.value for c in state.candidates],
    }


def _due_rows(
    scenario: Scenario, items: Iterable[Upcoming], start: _dt.datetime, local: str
) -> tuple[list[list[str]], list[dict[str, Any]]]:
    rows, data = [], []
    for item in items:
        deadline = scenario.deadline(item.deadline)
        due = item.due
        maybe = "" if item.certain else " (possibly)"
        rows.append([deadline.id, str(due), due.in_zone(local), countdown(start, due) + maybe])
        data.append(
            {
                "id": deadline.id,
                "title": deadline.title,
                "kind": deadline.kind.value,
                "due": str(due),
                "earliest": due.lower.isoformat(),
                "latest": due.upper.isoformat(),
                "countdown": countdown(start, due),
                "status": None if item.status is None else item.status.value,
                "certain": item.certain,
            }
        )
    return rows, data


def cmd_status(args: argparse.Namespace, out: TextIO) -> int:
    scenario = _load(args.seed)
    at = parse_time(args.at) if args.at else default_time(scenario)
    known_at = parse_time(args.known_at) if args.known_at else None
    local = local_zone(args.tz)
    if args.project:
        scenario = scenario.advance(at)
    view = scenario.at(at, known_at=known_at)
    measures = list(view.measures.values())
    negotiations = list(view.negotiations.values())
    upcoming = list(scenario.upcoming_deadlines(at, known_at=known_at))
    due_rows, due_data = _due_rows(scenario, upcoming, at.upper, local)
    if args.json:
        doc = {
            "title": scenario.title,
            "at": str(at),
            "at_instant": at.upper.isoformat(),
            "known_at": None if known_at is None else str(known_at),
            "projected": args.project,
            "local_zone": local,
            "measures": [{**_state_json(s), "terms": _terms_text(s.terms)} for s in measures],
            "negotiations": [_state_json(ns) for ns in negotiations],
            "deadlines": due_data,
        }
        _write_json(doc, out)
        return EXIT_OK
    known = "everything recorded" if known_at is None else f"what was known at {known_at}"
    out.write(f"{scenario.title}\n")
    if at.is_exact:
        out.write(f"at {at}, {known}\n")
    else:
        last = at.latest.isoformat(timespec="seconds")
        out.write(f"at {at} (its last instant, {last}), {known}\n")
    if args.project:
        out.write("projected: deadlines passed unmet by then have fired their consequences\n")
    out.write("\n")
    out.write("Measures\n")
    measure_rows = []
    for s in measures:
        m = scenario.measure(s.id)
        measure_rows.append(
            [
                s.id,
                m.kind.value,
                f"{m.imposed_by} -> {', '.join(m.targets) or 'all'}",
                _status_text(s),
                _terms_text(s.terms),
            ]
        )
    out.write(table(["id", "kind", "by -> on", "status", "terms"], measure_rows) + "\n\n")
    out.write("Negotiations\n")
    neg_rows = []
    for ns in negotiations:
        n = scenario.negotiation(ns.id)
        neg_rows.append([ns.id, ", ".join(n.parties), _status_text(ns), len(n.terms)])
    out.write(table(["id", "parties", "status", "terms on the table"], neg_rows) + "\n\n")
    out.write("Next deadlines\n")
    if due_rows:
        headers = ["id", "due (in its own zone)", f"local time ({local})", "countdown"]
        out.write(table(headers, due_rows) + "\n")
    else:
        out.write("(none ahead)\n")
    return EXIT_OK


def cmd_deadlines(args: argparse.Namespace, out: TextIO) -> int:
    scenario = _load(args.seed)
    start = parse_time(args.start) if args.start else default_time(scenario)
    within = parse_duration(args.within) if args.within else None
    local = local_zone(args.tz)
    items = list(scenario.upcoming_deadlines(start, within=within))
    rows, data = _due_rows(scenario, items, start.upper, local)
    if args.json:
        _write_json({"from": str(start), "within": args.within, "deadlines": data}, out)
        return EXIT_OK
    span = f" within {args.within}" if args.within else ""
    out.write(f"Deadlines from {start}{span}\n")
    headers = ["id", "due (in its own zone)", f"local time ({local})", "countdown"]
    out.write((table(headers, rows) if rows else "(none)") + "\n")
    for item in items:
        out.write(f"  {item.deadline}: {item.title}\n")
    return EXIT_OK


def cmd_timeline(args: argparse.Namespace, out: TextIO) -> int:
    scenario = _load(args.seed)
    events = scenario.timeline()
    if args.json:
        data = [
            {
                "at": str(e.at),
                "earliest": e.at.lower.isoformat(),
                "latest": e.at.upper.isoformat(),
                "entity": e.entity,
                "kind": e.kind.value,
                "text": e.text,
            }
            for e in events
        ]
        _write_json({"title": scenario.title, "events": data}, out)
        return EXIT_OK
    out.write(f"{scenario.title}: {len(events)} dated events, in order\n")
    rows = [[str(e.at), e.kind.value, e.text] for e in events]
    out.write(table(["at", "kind", "event"], rows) + "\n")
    return EXIT_OK


def cmd_validate(args: argparse.Namespace, out: TextIO) -> int:
    results: list[dict[str, Any]] = []
    name: str
    for name in args.files:
        try:
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

    scenario = _load(args.seed)
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
def _load(seed: str | None) -> Scenario:
    if seed is not None and not Path(seed).exists() and seed not in list_seeds():
        raise UsageError(
            f"SEED {seed!r} is neither a file nor a shipped scenario "
            f"(shipped: {', '.join(list_seeds())})"
        )
    return load_seed(seed)


def _write_json(doc: object, out: TextIO) -> None:
    out.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")


def _os_text(error: OSError) -> str:
    return error.strerror or str(error)


_COMMANDS = ("status", "timeline", "deadlines", "validate", "export")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument("--json", action="store_true", help="machine-readable JSON output")
    seeded = _Parser(add_help=False)
    seeded.add_argument(
        "seed",
        nargs="?",
        metavar="SEED",
        help=f"a scenario file or a shipped scenario's name (default: {DEFAULT_SEED})",
    )
    zoned = _Parser(add_help=False)
    zoned.add_argument("--tz", metavar="ZONE", help="the reader's zone (default: this machine's)")

    parser = _Parser(
        prog="tradetruce",
        description="Trade measures, deadlines and negotiations, with time handled honestly.",
        epilog="Exit codes: 0 success, 1 invalid data or unreadable file, 2 usage error. "
        "TIME: 2025-11-02[America/New_York] (a calendar value means its last instant) or an "
        "ISO instant with an offset, 2025-11-10T05:01:00Z.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    status = sub.add_parser(
        "status", parents=[common, seeded, zoned], help="the state at a moment (default command)"
    )
    status.add_argument("--at", metavar="TIME", help="default: the latest source's publication")
    status.add_argument("--known-at", metavar="TIME", help="use only what was recorded by TIME")
    status.add_argument(
        "--project",
        action="store_true",
        help="first fire the consequences of deadlines passed unmet by the time (what-if)",
    )
    status.set_defaults(run=cmd_status)

    timeline = sub.add_parser("timeline", parents=[common, seeded], help="every dated event")
    timeline.set_defaults(run=cmd_timeline)

    deadlines = sub.add_parser("deadlines", parents=[common, seeded, zoned], help="deadlines ahead")
    deadlines.add_argument("--from", dest="start", metavar="TIME", help="default: as status")
    deadlines.add_argument("--within", metavar="DURATION", help="30d, 2w, 12h, P30D...")
    deadlines.set_defaults(run=cmd_deadlines)

    validate = sub.add_parser("validate", parents=[common], help="check scenario files")
    validate.add_argument("files", nargs="+", metavar="FILE")
    validate.set_defaults(run=cmd_validate)

    export = sub.add_parser("export", parents=[common, seeded], help="write the scenario out")
    export.add_argument("--format", required=True, choices=["json", "toml", "schema", "ics"])
    export.add_argument("-o", "--output", metavar="FILE", help="default: standard output")
    export.set_defaults(run=cmd_export)
    return parser


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None) -> int:
    """Run the command line; returns the exit code (see the module docs)."""
    stdout = out if out is not None else sys.stdout
    parser = build_parser()
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or args_list[0] not in {*_COMMANDS, "-h", "--help", "--version"}:
        args_list.insert(0, "status")  # the default command takes every status option
    try:
        args = parser.parse_args(args_list)
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
