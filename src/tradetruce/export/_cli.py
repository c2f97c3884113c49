"""The command line of the analysts' exports: table formats for ``tradetruce export``, and
``tradetruce plot``.

``tradetruce.cli`` calls :func:`extend` while it builds its parser, handing over the pieces of
the command line this module uses (reading SEED, reading TIME, the default moment), so that
this module never imports the CLI back.
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from tradetruce.errors import InvalidValueError, UsageError

__all__ = ["FORMATS", "TABLES", "extend"]

#: The table formats ``tradetruce export`` gains.
FORMATS = ("parquet", "csv", "arrow", "jsonl")
#: The tables it can write.
TABLES = ("entries", "statuses", "deadlines", "scope", "panel")


class _Kit:
    """What this module needs from the command line it extends."""

    def __init__(
        self,
        load: Callable[[argparse.Namespace], Any],
        parse_time: Callable[[str, str | None], Any],
        default_time: Callable[[Any], Any],
    ):
        self.load, self.parse_time, self.default_time = load, parse_time, default_time

    def time(self, text: str | None) -> Any:
        return None if text is None else self.parse_time(text, None)

    @staticmethod
    def usage(message: str) -> UsageError:
        return UsageError(message)

    @staticmethod
    def zone(name: str | None, option: str) -> str:
        """A ZONE argument (default UTC), or a usage error."""
        from tradetruce.values.zones import zone

        if name is None:
            return "UTC"
        try:
            zone(name)
        except InvalidValueError as error:
            raise UsageError(f"{option} {name!r}: {error}") from None
        return name


def extend(
    commands: Any,
    export: argparse.ArgumentParser,
    parents: Sequence[argparse.ArgumentParser],
    *,
    load: Callable[[argparse.Namespace], Any],
    parse_time: Callable[[str, str | None], Any],
    default_time: Callable[[Any], Any],
) -> None:
    """Add ``parquet``, ``csv`` and ``arrow`` to ``tradetruce export --format``, with the options
    that choose a table, and the ``tradetruce plot`` command.

    Args:
        commands: the CLI's subparsers (``add_subparsers``'s result).
        export: the ``export`` command's parser.
        parents: the parsers whose options every scenario command shares (``--json``, SEED).
        load: reads the scenario that a command's SEED names.
        parse_time: reads a TIME argument.
        default_time: the default moment of a scenario (its latest source's publication).
    """
    kit = _Kit(load, parse_time, default_time)
    _extend_export(export, kit)
    _add_plot(commands, parents, kit)


# ------------------------------------------------------------------------------------ export
def _extend_export(export: argparse.ArgumentParser, kit: _Kit) -> None:
    fmt = next(a for a in export._actions if a.dest == "format")
    fmt.choices = [*(fmt.choices or ()), *FORMATS]
    fmt.help = (
        f"{fmt.help}; parquet, csv, arrow or jsonl: a table of the scenario (--table), as a "
        "Parquet file (the panel: a Parquet dataset folder, partitioned by importer and year), "
        "a CSV file, an Arrow IPC file or JSON Lines (one JSON object a row, typed by column: "
        "times as UTC ISO 8601 text, decimals as text)"
    )
    tables = export.add_argument_group("tables (with --format parquet, csv, arrow or jsonl)")
    tables.add_argument(
        "--table",
        choices=TABLES,
        default="entries",
        help="which table (default: entries): every history entry; every entity's status at "
        "--at; every deadline; the products each measure covers; the statutory rate panel",
    )
    tables.add_argument(
        "--at",
        metavar="TIME",
        help="statuses and deadlines at TIME (statuses default: the "
        "latest source's publication; deadlines: after every entry)",
    )
    tables.add_argument("--known-at", metavar="TIME", help="use only what was recorded by TIME")
    panel = export.add_argument_group("the rate panel (--table panel)")
    panel.add_argument("--importer", action="append", metavar="ID", help="an importing party")
    panel.add_argument("--origin", action="append", metavar="ID", help="an exporting party")
    panel.add_argument("--product", action="append", metavar="CODE", help="an HS code")
    panel.add_argument(
        "--producer",
        action="append",
        metavar="ID",
        help="a producer, for measures with producer rates (default: any producer)",
    )
    panel.add_argument("--from", dest="start", metavar="TIME", help="the panel's first instant")
    panel.add_argument("--to", dest="stop", metavar="TIME", help="the panel's end (exclusive)")
    panel.add_argument(
        "--vintages", action="store_true", help="every vintage: what was known at each record"
    )
    panel.add_argument(
        "--daily", metavar="ZONE", help="one row per calendar day in ZONE instead of intervals"
    )
    before = export.get_default("run")

    def run(args: argparse.Namespace, out: TextIO) -> int:
        if args.format in FORMATS:
            return _export_table(args, out, kit)
        _refuse_table_options(args, kit)
        result: int = before(args, out)
        return result

    export.set_defaults(run=run)


_TABLE_OPTIONS = ("at", "known_at", "importer", "origin", "product", "start", "stop", "daily")


def _refuse_table_options(args: argparse.Namespace, kit: _Kit) -> None:
    given = [name for name in _TABLE_OPTIONS if getattr(args, name, None)]
    if given or args.vintages or args.table != "entries":
        raise kit.usage(
            f"--format {args.format} writes the whole scenario; table options are for "
            f"--format {', '.join(FORMATS)}"
        )


def _export_table(args: argparse.Namespace, out: TextIO, kit: _Kit) -> int:
    from tradetruce.export import files, panel, tables

    scenario = kit.load(args)
    known_at = kit.time(args.known_at)
    if args.table != "panel":
        wrong = [
            o
            for o in ("importer", "origin", "product", "start", "stop", "daily")
            if getattr(args, o)
        ]
        if wrong or args.vintages:
            raise kit.usage(f"--{(wrong or ['vintages'])[0]} is for --table panel")
    if args.table == "entries":
        table = tables.entries_table(scenario)
    elif args.table == "statuses":
        at = kit.time(args.at) or kit.default_time(scenario)
        table = tables.statuses_table(scenario, at, known_at=known_at)
    elif args.table == "deadlines":
        table = tables.deadlines_table(scenario, kit.time(args.at), known_at=known_at)
    elif args.table == "scope":
        table = tables.scope_table(scenario)
    else:
        _require_flow(args, kit, "the rate panel")
        if args.at:
            raise kit.usage("--at is for statuses and deadlines; the panel runs --from ... --to")
        table = panel.rate_panel(
            scenario,
            importers=args.importer,
            origins=args.origin,
            products=args.product,
            start=kit.time(args.start),
            end=kit.time(args.stop),
            known_at=known_at,
            vintages=args.vintages,
            producers=args.producer,
        )
        if args.daily:
            table = panel.explode_daily(table, kit.zone(args.daily, "--daily"))
    output: str | None = args.output
    if args.format == "jsonl":
        return _jsonl(args, out, table, output)
    if output is None and args.format != "csv":
        raise kit.usage(f"--format {args.format} writes a binary file: give -o FILE")
    if args.format == "parquet" and args.table == "panel" and not args.daily:
        files.write_panel_dataset(table, output or "")
    elif args.format == "parquet":
        files.write_parquet(table, output or "")
    elif args.format == "arrow":
        files.write_arrow(table, output or "")
    elif output is not None:
        files.write_csv(table, output)
    else:
        _csv_to(out, table)
        return 0
    if args.json:
        report = {"format": args.format, "table": args.table, "output": output}
        out.write(json.dumps({**report, "rows": table.num_rows}, indent=2) + "\n")
    return 0


def _jsonl(args: argparse.Namespace, out: TextIO, table: Any, output: str | None) -> int:
    """Write ``table`` as JSON Lines, to ``output`` or standard output."""
    from tradetruce.export._rows import write_jsonl

    name = "daily" if args.table == "panel" and args.daily else args.table
    if output is None:
        write_jsonl(table, name, out)
        return 0
    with open(output, "w", encoding="utf-8", newline="\n") as f:
        write_jsonl(table, name, f)
    if args.json:
        report = {"format": args.format, "table": args.table, "output": output}
        out.write(json.dumps({**report, "rows": table.num_rows}, indent=2) + "\n")
    return 0


def _csv_to(out: TextIO, table: Any) -> None:
    """Write ``table`` as CSV to a text stream (standard output)."""
    import tempfile

    from tradetruce.export.files import write_csv

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "table.csv"
        write_csv(table, path)
        with open(path, encoding="utf-8", newline="") as f:
            for line in f:
                out.write(line)


# -------------------------------------------------------------------------------------- plot
def _add_plot(commands: Any, parents: Sequence[argparse.ArgumentParser], kit: _Kit) -> None:
    plot = commands.add_parser(
        "plot",
        parents=list(parents),
        help="draw a timeline or a rate over time",
        description="Draw the scenario as a picture, SVG or PNG by the suffix of -o FILE. "
        "timeline: each measure a band coloured by status (hatched where uncertain, dotted "
        "where projected), each deadline's due times. rate: the statutory tariff rate on one "
        "product from one origin over time, certain layers stacked by legal basis, a hatched "
        "band up to the highest figure.",
    )
    plot.add_argument(
        "--chart",
        choices=("timeline", "rate"),
        default="timeline",
        help="which picture (default: timeline)",
    )
    plot.add_argument("-o", "--output", metavar="FILE", required=True, help="FILE.svg or FILE.png")
    plot.add_argument("--from", dest="start", metavar="TIME", help="where the time axis starts")
    plot.add_argument("--to", dest="stop", metavar="TIME", help="where it ends")
    plot.add_argument("--known-at", metavar="TIME", help="use only what was recorded by TIME")
    plot.add_argument(
        "--measure", action="append", metavar="ID", help="timeline: show this measure (repeatable)"
    )
    plot.add_argument("--importer", metavar="ID", help="rate: the importing party")
    plot.add_argument("--origin", metavar="ID", help="rate: the exporting party")
    plot.add_argument("--product", metavar="CODE", help="rate: the HS code")
    plot.add_argument("--tz", metavar="ZONE", help="label the time axis in ZONE (default: UTC)")

    def run(args: argparse.Namespace, out: TextIO) -> int:
        return _plot(args, out, kit)

    plot.set_defaults(run=run)


def _plot(args: argparse.Namespace, out: TextIO, kit: _Kit) -> int:
    from tradetruce.export import charts

    if not str(args.output).lower().endswith((".svg", ".png")):
        raise kit.usage(f"-o {args.output}: a chart is written as FILE.svg or FILE.png")
    scenario = kit.load(args)
    zone_name = kit.zone(args.tz, "--tz")
    known_at = kit.time(args.known_at)
    if args.chart == "timeline":
        if args.importer or args.origin or args.product:
            raise kit.usage("--importer, --origin and --product are for the rate chart")
        fig = charts.timeline_chart(
            scenario,
            start=kit.time(args.start),
            end=kit.time(args.stop),
            known_at=known_at,
            measures=args.measure,
            zone_name=zone_name,
        )
    else:
        _require_flow(args, kit, "the rate chart")
        if args.measure:
            raise kit.usage("--measure is for the timeline")
        fig = charts.rate_chart(
            scenario,
            importer=args.importer,
            origin=args.origin,
            product=args.product,
            start=kit.time(args.start),
            end=kit.time(args.stop),
            known_at=known_at,
            zone_name=zone_name,
        )
    charts.save_chart(fig, args.output)
    if args.json:
        out.write(json.dumps({"chart": args.chart, "output": os.fspath(args.output)}, indent=2))
        out.write("\n")
    return 0


def _require_flow(args: argparse.Namespace, kit: _Kit, what: str) -> None:
    """Refuse, as a usage error, a rate panel or chart asked for without its flow and range."""
    given = (
        ("importer", args.importer),
        ("origin", args.origin),
        ("product", args.product),
        ("from", args.start),
        ("to", args.stop),
    )
    missing = [f"--{option}" for option, value in given if not value]
    if missing:
        raise kit.usage(f"{what} needs {', '.join(missing)}")
