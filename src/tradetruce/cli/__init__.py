"""The ``tradetruce`` command: a scenario's state, timeline and deadlines, validation, export.

Usage::

    tradetruce [status] [--at TIME] [--known-at TIME] [--project] [--tz ZONE] [SEED]
    tradetruce timeline [--from TIME] [--to TIME] [--entity ID]... [--tz ZONE] [SEED]
    tradetruce deadlines [--from TIME] [--within DURATION] [--scope SCOPE] [--tz ZONE] [SEED]
    tradetruce tariff --importer ID --exporter ID --product HS [--producer ID] [--at TIME]
        [--known-at TIME] [--value AMOUNT --currency CODE [--quantity N]] [--tz ZONE] [SEED]
    tradetruce changes --recorded-from TIME --recorded-to TIME [SEED]
    tradetruce validate FILE...
    tradetruce export --format json|toml|schema|ics [-o FILE] [SEED]
    tradetruce export --format parquet|csv|arrow [--table TABLE] [-o FILE] [SEED]
    tradetruce plot [--chart timeline|rate] -o FILE [SEED]

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
import os
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn, TextIO

from tradetruce import __version__
from tradetruce.cli._args import _DURATION_FORMS, EXIT_INVALID, EXIT_OK, EXIT_USAGE, parse_time
from tradetruce.cli._commands import (
    cmd_changes,
    cmd_deadlines,
    cmd_export,
    cmd_status,
    cmd_tariff,
    cmd_timeline,
    cmd_validate,
    default_time,
)
from tradetruce.cli._files import _COMMANDS, _load, _os_text
from tradetruce.errors import InvalidDataError, TradeTruceError, UsageError
from tradetruce.seeds import DEFAULT_SEED, list_seeds

__all__ = ["EXIT_INVALID", "EXIT_OK", "EXIT_USAGE", "main"]


# Options that take a value which may start with "-" (a negative DURATION, an offset): argparse
# would read "--within -5d" as two options, so such a value is joined to its option first.
_VALUED = (
    "--at",
    "--known-at",
    "--from",
    "--to",
    "--within",
    "--tz",
    "--recorded-from",
    "--recorded-to",
)


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
        epilog=f"{_EPILOG} Shipped scenarios: {', '.join(list_seeds())}.",
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
        description="Every dated event in order: history entries, due times and rounds. With "
        "--json: each event is the Event answer document that tradetruce.to_json writes "
        "(without its format and answer keys), with its time's UTC bounds (earliest, latest; "
        "an open end null), local time with --tz, and the entry's from, to, source and "
        "evidence added.",
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
        "latest source's publication. With --json: the TariffStack answer document that "
        "tradetruce.to_json writes (see Answers in the format's documentation), with at and "
        "known_at as given, and title, at_instant, at_is_latest_source and amount added.",
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

    changes = sub.add_parser(
        "changes",
        parents=[common, seeded],
        help="what became known between two times",
        description="Every history entry and reported delivery recorded after --recorded-from "
        "and by --recorded-to (each TIME standing for its last instant), in order of recorded "
        "time: what a monitor polling the scenario learns in that window. An entry without a "
        "recorded time is known when its source was published. With --json: each change is "
        "the RecordedChange answer document that tradetruce.to_json writes (without its format "
        "and answer keys), with the line the text shows as text.",
    )
    changes.add_argument(
        "--recorded-from", required=True, metavar="TIME", help="known after this time"
    )
    changes.add_argument("--recorded-to", required=True, metavar="TIME", help="known by this time")
    changes.set_defaults(run=cmd_changes)

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
    # Analysts' tables (export --format parquet|csv|arrow) and `plot`, from tradetruce.export.
    from tradetruce.export import _cli as analysts

    analysts.extend(
        sub, export, [common, seeded], load=_load, parse_time=parse_time, default_time=default_time
    )
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
