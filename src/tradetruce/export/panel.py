"""The statutory rate panel: product x origin x time, one row per layer and interval.

Tariff trackers publish the statutory rate on each product from each country, day by day, one
column per legal authority. :func:`rate_panel` gives the same facts as **intervals** instead of
days, with what a day-by-day table cannot say: how sure each figure is (``low``, ``high``,
``certain``, the ``evidence`` behind it, ``disputed`` claims) and what was known when
(``known_at``, ``known_until``), which is what a back-test needs.

How it is built. The figures are never worked out here: every one comes from
:meth:`Scenario.tariff_stack <tradetruce.Scenario.tariff_stack>`, called once per interval. The
intervals come from the *change points* of what the stack of a flow (importer, origin, product,
producer) may read, found by the stack's own rule (:func:`tradetruce.engine.tariffs.flow_inputs`):
the tariffs that may be its layers (imposed in the importer's territory, customs unions included,
with a scope that may reach the origin and the product, at any time), the base rates that cover
the product, and the stacking rules of the territory. Between two change points nothing the
stack reads changes, so one call at the interval's first instant answers for all of it. The
change points are every first and last instant of those tariffs' history entries (``at``), of
their terms' ``effective`` and ``expires`` times, of their suspensions' ``until`` and of the
times their errata give (:class:`~tradetruce.Correction`), and of the base rates' ``start`` and
``end``; with knowledge times, also the instants their entries and corrections, the base rates
and the stacking rules became known. A calendar value settles at its last
microsecond (the rule of :meth:`Scenario.at <tradetruce.Scenario.at>`), so an interval can end
one microsecond before a midnight. Neighbouring intervals that read the same are merged.
Products whose stacks read the same tariffs, scopes and base rates get the same figures, so each
such group is worked out once.

Each interval has a **total row** (``measure`` null: ``low`` and ``high`` are the stack's bounds,
:attr:`TariffStack.low <tradetruce.TariffStack.low>` and :attr:`TariffStack.high
<tradetruce.TariffStack.high>`) followed by one row per layer, each with the least and the most
it adds. The importer's base (MFN) rate (:class:`~tradetruce.BaseRate`) is a layer like the
others, its id in the ``measure`` column; a base rate the scenario does not record is not in it.

:func:`explode_daily` turns a panel into one row per calendar day, in a zone.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import itertools
import zoneinfo
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

from tradetruce.engine.tariffs import FlowInputs, TariffLayer, flow_inputs
from tradetruce.errors import InvalidValueError
from tradetruce.export import _arrow as ax
from tradetruce.export.extras import require
from tradetruce.export.schema import TABLES, arrow_schema
from tradetruce.model.base_rate import BaseRate
from tradetruce.model.history import correction_time, recorded_time
from tradetruce.model.stacking import StackingRule
from tradetruce.values.codes import HSCode
from tradetruce.values.when import When, from_us, to_us, utc
from tradetruce.values.zones import zone

if TYPE_CHECKING:
    from tradetruce.model.scenario import Scenario

__all__ = ["explode_daily", "rate_panel"]

Moment = _dt.datetime | When | str

_ZERO: Final = Decimal(0)


def rate_panel(
    scenario: Scenario,
    *,
    importers: str | Sequence[str],
    origins: str | Sequence[str],
    products: str | HSCode | Sequence[str | HSCode],
    start: Moment,
    end: Moment,
    known_at: Moment | None = None,
    vintages: bool = False,
    producers: str | Sequence[str] | None = None,
) -> Any:
    """The statutory tariff rates on imports into each importer from each origin of each
    product, from ``start`` up to ``end``, as intervals (see the module docs).

    Args:
        scenario: the scenario.
        importers: the importing parties' ids (one id, or several).
        origins: the exporting parties' ids.
        products: HS codes (``HSCode`` or text such as ``"8517"`` or ``"HS2022:120190"``).
        start: the panel's first instant (a calendar value: its first instant).
        end: the panel's end, exclusive (a calendar value: its first instant), so
            ``start="2025-01-01[UTC]", end="2027-01-01[UTC]"`` is two whole years.
        known_at: the panel as known then (a calendar value stands for its last instant); the
            default uses every entry.
        vintages: instead, every vintage: the panel as known after each recorded time of the
            flow's entries, and before the first (``known_at`` null). Each row holds for
            knowledge times from ``known_at`` until ``known_until``.
        producers: the producers' party ids, for measures that charge each producer its own
            rate (:class:`~tradetruce.ProducerRate`); the default asks about any producer (the
            ``producer`` column is null), so such a layer spans every rate it may charge.

    Returns:
        A ``pyarrow.Table`` with the columns of the *panel* table (the reference lists them),
        ordered by importer, origin and product as given, then knowledge time, then interval;
        each interval's total row comes before its layers.

    Raises:
        MissingExtraError: pyarrow is not installed.
        UnknownEntityError: an importer, origin or producer that is not a party of the
            scenario.
        InvalidValueError: a bad HS code or time, ``end`` not after ``start``, or both
            ``known_at`` and ``vintages``.
    """
    require("pyarrow")
    np = require("numpy")
    a, b = _first_instant(start, "start"), _first_instant(end, "end")
    if b <= a:
        raise InvalidValueError(
            f"rate_panel: end {from_us(b).isoformat()} is not after start {from_us(a).isoformat()}",
            field="end",
            value=end,
            allowed="an end after the start",
        )
    if vintages and known_at is not None:
        raise InvalidValueError(
            "rate_panel: give known_at or vintages=True, not both",
            field="known_at",
            value=known_at,
            allowed="known_at=<a time> for one knowledge time, vintages=True for every one",
        )
    k = None if known_at is None else to_us(utc(_moment(known_at, "known_at")))
    importer_ids = _unique(_ids(importers))
    origin_ids = _unique(_ids(origins))
    producer_ids: list[str | None] = [None] if producers is None else _unique(_ids(producers))
    codes = _unique([_code(p) for p in _many(products)])
    for party in (*importer_ids, *origin_ids, *producer_ids):
        if party is not None:
            scenario.party(party)  # raises UnknownEntityError for an id that names no party
    flows = _Flows(scenario, a, b, k, vintages)
    runs: list[Any] = []  # per (importer, origin, producer): the block of each product
    for importer in importer_ids:
        for origin in origin_ids:
            inputs = flow_inputs(scenario, importer, origin, codes)
            for producer in producer_ids:
                blocks: dict[tuple[bool, ...], int] = {}
                block_of = np.empty(len(codes), dtype=np.int64)
                for j, (code, reads) in enumerate(zip(codes, inputs, strict=True)):
                    block = blocks.get(reads.reach)
                    if block is None:
                        block = blocks[reads.reach] = flows.add(
                            importer, origin, producer, code, reads
                        )
                    block_of[j] = block
                runs.append(block_of)
    return flows.table(runs, codes)


# ------------------------------------------------------------------------------ arguments
def _many(value: Any) -> list[Any]:
    return [value] if isinstance(value, str | HSCode) else list(value)


def _ids(value: str | Sequence[str]) -> list[str]:
    return _many(value)


def _unique(values: list[Any]) -> list[Any]:
    return list(dict.fromkeys(values))


def _code(product: str | HSCode) -> HSCode:
    if isinstance(product, HSCode):
        return product
    if isinstance(product, str):
        return HSCode.parse(product)
    raise InvalidValueError(
        f"products: expected HS codes, not {type(product).__name__}",
        field="products",
        value=product,
        allowed="HSCode values or text such as '1201' or 'HS2022:1201'",
    )


def _moment(value: object, name: str) -> When | _dt.datetime:
    if isinstance(value, str):
        return When.parse(value)
    if isinstance(value, When | _dt.datetime):
        return value
    raise InvalidValueError(
        f"{name}: expected an aware datetime or a When, not {type(value).__name__}",
        field=name,
        value=value,
        allowed="pendulum.datetime(..., tz=...) or When.parse('2025-11-10[America/New_York]')",
    )


def _first_instant(value: object, name: str) -> int:
    """A range boundary in microseconds since 0001-01-01 UTC: a time value's first instant."""
    moment = _moment(value, name)
    return moment.lo_us if isinstance(moment, When) else to_us(utc(moment))


# ---------------------------------------------------------------------------------- flows
Row = tuple[
    Any, ...
]  # (legal_basis, authority, instrument, low, high, certain, evidence, disputed)


class _Flows:
    """The blocks of rows of every group of flows that read the same, and the table they make."""

    def __init__(self, scenario: Scenario, a: int, b: int, k: int | None, vintages: bool):
        self.scenario = scenario
        self.published = scenario.published
        self.a, self.b, self.k, self.vintages = a, b, k, vintages
        self.columns: dict[str, list[Any]] = {c.name: [] for c in TABLES["panel"]}
        self.starts: list[int] = []
        self.lengths: list[int] = []

    def add(
        self,
        importer: str,
        origin: str,
        producer: str | None,
        product: HSCode,
        reads: FlowInputs,
    ) -> int:
        """Work out the rows of one flow (those of every product whose stacks read the same);
        returns the block's number."""
        before = len(self.columns["valid_from"])
        known = {recorded_time(e, self.published).hi_us for m in reads.measures for e in m.history}
        for m in reads.measures:
            for c in m.corrections:
                found = correction_time(c, m.history, self.published)
                if found is not None:
                    known.add(found.hi_us)
        facts: list[BaseRate | StackingRule] = [*reads.base_rates, *reads.rules]
        for fact in facts:
            recorded = fact.recorded or self.published.get(fact.source)
            if recorded is not None:
                known.add(recorded.hi_us)
        vintages: list[tuple[int | None, int | None, list[Any]]] = []
        for since, until, q in self._knowledge(sorted(known)):
            intervals = self._intervals(importer, origin, producer, product, reads, q)
            if vintages and vintages[-1][2] == intervals:  # nothing changed for this flow
                vintages[-1] = (vintages[-1][0], until, intervals)
            else:
                vintages.append((since, until, intervals))
        for since, until, intervals in vintages:
            for lo, hi, total, layers in intervals:
                for measure, rest in ((None, total), *layers):
                    self._row(importer, origin, producer, since, until, lo, hi, measure, rest)
        self.starts.append(before)
        self.lengths.append(len(self.columns["valid_from"]) - before)
        return len(self.starts) - 1

    def _knowledge(self, known: list[int]) -> list[tuple[int | None, int | None, int | None]]:
        """(known_at, known_until, the knowledge time to ask at) of each vintage to work out."""
        if self.vintages:
            bounds: list[int | None] = [None, *known, None]
            spans = list(itertools.pairwise(bounds))
            return [(s, u, known[0] - 1 if s is None and known else s) for s, u in spans]
        if self.k is None:
            return [(known[-1] if known else None, None, None)]
        i = bisect.bisect_right(known, self.k)
        since = known[i - 1] if i else None
        return [(since, known[i] if i < len(known) else None, self.k)]

    def _intervals(
        self,
        importer: str,
        origin: str,
        producer: str | None,
        product: HSCode,
        reads: FlowInputs,
        q: int | None,
    ) -> list[tuple[int, int, Row, list[tuple[str, Row]]]]:
        a, b = self.a, self.b
        points = {a, b}
        values: list[When | None] = []
        for m in reads.measures:
            for e in m.history:
                if q is not None and recorded_time(e, self.published).hi_us > q:
                    continue
                values.append(e.at)
                if e.terms is not None:
                    values += [e.terms.effective, e.terms.expires]
                if e.suspension is not None:
                    values.append(e.suspension.until)
            for c in m.corrections:  # an erratum's time, whether or not known by ``q``
                values.append(c.at)
        for base in reads.base_rates:
            values += [base.start, base.end]
        for w in values:
            if w is not None:
                points.update(p for p in (w.lo_us, w.hi_us) if a < p < b)
        cuts = sorted(points)
        known_at = None if q is None else from_us(q)
        merged: list[tuple[int, int, Row, list[tuple[str, Row]]]] = []
        for lo, hi in itertools.pairwise(cuts):
            t = from_us(lo)
            stack = self.scenario.tariff_stack(
                importer, origin, product, t, known_at=known_at, producer=producer
            )
            layers = [
                (layer.measure, self._layer(layer, t, known_at))
                for layer in (*stack.layers, *stack.uncertain)
            ]
            total = (
                None,
                None,
                None,
                stack.low,
                stack.high,
                not stack.uncertain,
                min((r[6] for _, r in layers), default=None, key=_rank),
                any(r[7] for _, r in layers),
            )
            if merged and merged[-1][2] == total and merged[-1][3] == layers:
                merged[-1] = (merged[-1][0], hi, total, layers)
            else:
                merged.append((lo, hi, total, layers))
        return merged

    def _layer(self, layer: TariffLayer, t: _dt.datetime, known_at: _dt.datetime | None) -> Row:
        authority = None if layer.authority is None else layer.authority.value
        if layer.base:  # a base rate: data with a source, not a measure with a history
            return (
                layer.legal_basis,
                authority,
                layer.instrument,
                layer.low,
                layer.high,
                layer.certain,
                None,
                False,
            )
        measure = self.scenario.measure(layer.measure)
        reading = measure.reading_at(t, known_at=known_at, published=self.published)
        # The entries the layer rests on: those since the measure last changed status, and any
        # whose time may or may not have come.
        settled = list(reading.entries)
        since = max((i for i, e in enumerate(settled) if not e.is_amendment), default=0)
        evidence = min(
            (e.evidence for e in (*settled[since:], *reading.pending)), key=lambda e: e.rank
        )
        return (
            layer.legal_basis,
            authority,
            layer.instrument,
            layer.low,
            layer.high,
            layer.certain,
            evidence.value,
            bool(reading.disagreements),
        )

    def _row(
        self,
        importer: str,
        origin: str,
        producer: str | None,
        since: int | None,
        until: int | None,
        lo: int,
        hi: int,
        measure: str | None,
        rest: Row,
    ) -> None:
        c = self.columns
        basis, authority, instrument, low, high, certain, evidence, disputed = rest
        for name, v in (
            ("importer", importer),
            ("origin", origin),
            ("product", ""),  # filled in per product by `table`
            ("producer", producer),
            ("known_at", None if since is None else since - ax.EPOCH_US),
            ("known_until", None if until is None else until - ax.EPOCH_US),
            ("valid_from", lo - ax.EPOCH_US),
            ("valid_to", hi - ax.EPOCH_US),
            ("measure", measure),
            ("legal_basis", basis),
            ("authority", authority),
            ("instrument", instrument),
            ("low", low),
            ("high", high),
            ("certain", certain),
            ("evidence", evidence),
            ("disputed", disputed),
        ):
            c[name].append(v)

    def table(self, runs: list[Any], codes: list[HSCode]) -> Any:
        """The panel: each product's block of rows, product after product, in order."""
        pa = require("pyarrow")
        np = require("numpy")
        blocks = ax.build("panel", self.columns)
        starts = np.asarray(self.starts, dtype=np.int64)
        lengths = np.asarray(self.lengths, dtype=np.int64)
        n_products = len(codes)
        order = np.concatenate(runs) if runs else np.empty(0, dtype=np.int64)
        counts = lengths[order]
        total = int(counts.sum())
        offsets = np.cumsum(counts) - counts
        rows = np.repeat(starts[order] - offsets, counts) + np.arange(total, dtype=np.int64)
        product = np.repeat(np.tile(np.arange(n_products, dtype=np.int32), len(runs)), counts)
        taken = blocks.take(pa.array(rows, pa.int64()))
        products = pa.DictionaryArray.from_arrays(
            pa.array(product, pa.int32()), pa.array([str(c) for c in codes], pa.string())
        )
        schema = arrow_schema("panel")
        where = schema.get_field_index("product")
        return taken.set_column(where, schema.field(where), products)


def _rank(evidence: str | None) -> int:
    """An evidence level's rank (:attr:`tradetruce.Evidence.rank`; -1 for none)."""
    from tradetruce import Evidence

    return -1 if evidence is None else Evidence(evidence).rank


# ----------------------------------------------------------------------------------- daily
def explode_daily(panel: Any, zone_name: str = "UTC") -> Any:
    """One row per calendar day (in ``zone_name``) for each row of ``panel`` that covers it.

    A day's figures cover every instant of it: ``low`` is the lowest and ``high`` the highest
    figure during the day (a layer that applies for part of the day only has ``low`` 0), and
    ``certain`` is true only when one certain figure held all day. So a rate that changed at
    noon shows as a range, not as either value. Days that the panel covers only in part (at its
    ends, when its range does not fall on ``zone_name``'s midnights) are left out.

    The daily table has a row per layer and day: a two-year panel has some 730 times as many
    rows as it has intervals, at about half a microsecond and 85 bytes each. For large panels,
    query the intervals instead (the analysts' how-to shows how, with DuckDB).

    Returns:
        A ``pyarrow.Table`` with the columns of the *daily* table (the reference lists them),
        ordered by flow and knowledge time as in the panel, then the total before the layers,
        then day.
    """
    pa = require("pyarrow")
    np = require("numpy")
    pc = require("pyarrow.compute")
    zone(zone_name)  # raises InvalidTimeError for a name that is not an IANA zone
    schema = arrow_schema("daily")
    if panel.num_rows == 0:
        return schema.empty_table()
    panel = panel.combine_chunks()
    keys = _row_keys(panel)
    # Each layer's intervals in order, within its flow and knowledge span, the total first:
    # exploded into days in that order, the rows come out as the daily table orders them.
    frm = panel.column("valid_from").cast(pa.int64()).to_numpy()
    ordered = np.lexsort((frm, keys["legal_basis"], keys["measure"], keys["block"]))
    panel = panel.take(pa.array(ordered, pa.int64()))
    keys = {k: v[ordered] for k, v in keys.items()}
    frm = frm[ordered]
    to = panel.column("valid_to").cast(pa.int64()).to_numpy()
    days, edges = _days(int(frm.min()), int(to.max()), zone_name)
    if not days:
        return schema.empty_table()
    epoch = _dt.date(1970, 1, 1)
    day_numbers = np.asarray([(d - epoch).days for d in days], dtype=np.int32)
    first = np.maximum(np.searchsorted(edges, frm, side="right") - 1, 0)
    last = np.minimum(np.searchsorted(edges, to, side="left") - 1, len(days) - 1)
    counts = np.maximum(last - first + 1, 0)
    total = int(counts.sum())
    offsets = np.cumsum(counts) - counts
    row = np.repeat(np.arange(panel.num_rows, dtype=np.int64), counts)
    day = np.repeat(first - offsets, counts) + np.arange(total, dtype=np.int64)
    length = edges[day + 1] - edges[day]
    overlap = np.minimum(to[row], edges[day + 1]) - np.maximum(frm[row], edges[day])
    whole = overlap == length
    # A row that covers the whole day: its figures held all day, and no other row of its layer
    # meets that day (a layer's intervals do not overlap). The rest come in runs of one layer
    # and one day (neighbouring intervals), each merged into one row.
    layer = keys["layer"][row]
    starts = ~whole
    starts[1:] &= (whole[:-1]) | (layer[1:] != layer[:-1]) | (day[1:] != day[:-1])
    keep = whole | starts
    runs = np.cumsum(starts) - 1  # the run of each partial row
    kept = np.flatnonzero(keep)
    daily = panel.take(pa.array(row[kept], pa.int64()))
    partial = ~whole[kept]
    if partial.any():
        merged = _merge_runs(panel, row[~whole], runs[~whole], overlap[~whole], length[~whole])
        mask = pa.array(partial)
        for name, values in merged.items():
            i = daily.schema.get_field_index(name)
            column = daily.column(i).combine_chunks()
            if name == "evidence":
                column = column.cast(pa.string())
            replaced = pc.replace_with_mask(column, mask, values.cast(column.type))
            if name == "evidence":
                replaced = replaced.dictionary_encode()
            daily = daily.set_column(i, daily.schema.field(i), replaced)
    daily = daily.append_column("day", pa.array(day_numbers[day[kept]], pa.date32()))
    return daily.select(schema.names).cast(schema)


def _row_keys(panel: Any) -> dict[str, Any]:
    """Per panel row: its block (one flow's rows as known over one knowledge span, numbered in
    order), the dictionary indices of its layer's columns (-1 for null), and its layer (one
    number per block and layer)."""
    pa = require("pyarrow")
    np = require("numpy")

    def index(name: str) -> Any:
        column = panel.column(name).combine_chunks()
        found = column.indices.fill_null(-1).to_numpy(zero_copy_only=False)
        return found.astype(np.int64)

    def stamps(name: str) -> Any:
        column = panel.column(name).cast(pa.int64())
        return column.fill_null(np.iinfo(np.int64).min).to_numpy()

    flow = [
        index("importer"),
        index("origin"),
        index("product"),
        index("producer"),
        stamps("known_at"),
        stamps("known_until"),
    ]
    parts = ("measure", "legal_basis", "authority", "instrument")
    found = {name: index(name) for name in parts}
    changed = np.zeros(panel.num_rows, dtype=bool)
    changed[0] = True
    for values in flow:
        changed[1:] |= values[1:] != values[:-1]
    block = np.cumsum(changed)
    combined = np.stack([block, *(found[p] for p in parts)], axis=1)
    _, layer = np.unique(combined, axis=0, return_inverse=True)
    return {"block": block, "layer": layer.reshape(-1), **found}


def _merge_runs(panel: Any, rows: Any, runs: Any, overlaps: Any, lengths: Any) -> dict[str, Any]:
    """The figures of each run of rows of one layer on one day: the lowest (0 unless the run
    covers the whole day), the highest, certain only when one certain figure held all day, the
    weakest evidence, any dispute; as Arrow arrays, one value per run."""
    pa = require("pyarrow")
    from tradetruce import Evidence

    names = {e.rank: e.value for e in Evidence}
    values = (
        panel.take(pa.array(rows, pa.int64()))
        .select(["low", "high", "certain", "evidence", "disputed"])
        .to_pylist()
    )
    members: dict[int, list[int]] = {}
    for i, run in enumerate(runs.tolist()):
        members.setdefault(run, []).append(i)
    low, high, certain, evidence, disputed = [], [], [], [], []
    for run in sorted(members):
        found = [values[i] for i in members[run]]
        covered = sum(int(overlaps[i]) for i in members[run]) == int(lengths[members[run][0]])
        figures = {v["low"] for v in found} | {v["high"] for v in found}
        low.append(min(v["low"] for v in found) if covered else _ZERO)
        high.append(max(v["high"] for v in found))
        certain.append(covered and len(figures) == 1 and all(v["certain"] for v in found))
        evidence.append(names.get(min(_rank(v["evidence"]) for v in found)))
        disputed.append(any(v["disputed"] for v in found))
    daily = arrow_schema("daily")
    return {
        "low": pa.array(low, daily.field("low").type),
        "high": pa.array(high, daily.field("high").type),
        "certain": pa.array(certain, pa.bool_()),
        "evidence": pa.array(evidence, pa.string()),
        "disputed": pa.array(disputed, pa.bool_()),
    }


def _days(lo: int, hi: int, name: str) -> tuple[list[_dt.date], Any]:
    """The days of zone ``name`` wholly inside ``[lo, hi)`` (Arrow microseconds), and the
    instants where they begin, with the end of the last one."""
    np = require("numpy")
    tz = zoneinfo.ZoneInfo(name)
    first = from_us(lo + ax.EPOCH_US).astimezone(tz).date()
    days: list[_dt.date] = []
    edges: list[int] = []
    day = first
    while True:
        start = to_us(_dt.datetime(day.year, day.month, day.day, tzinfo=tz)) - ax.EPOCH_US
        if start > hi:
            break
        if start >= lo:
            days.append(day)
            edges.append(start)
        day += _dt.timedelta(days=1)
    if len(edges) < 2:
        return [], np.empty(0, dtype=np.int64)
    return days[:-1], np.asarray(edges, dtype=np.int64)
