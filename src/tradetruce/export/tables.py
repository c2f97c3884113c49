"""A scenario as Arrow tables, and from them pandas and polars DataFrames.

Needs the ``arrow`` extra (``pip install "tradetruce[arrow]"``); :func:`to_pandas` and
:func:`to_polars` also need ``pandas`` or ``polars``.

* :func:`entries_table`: every history entry of every measure, deadline and negotiation, one row
  each: the source of truth, written out whole (a test rebuilds the same entries from it);
* :func:`statuses_table`: every entity's reading at one or more moments, as known at a time;
* :func:`deadlines_table`: every deadline with its due time's bounds and its status;
* :func:`scope_table`: the products (HS codes) each measure covers;
* :func:`layers_table`: the layers of tariff stacks.

The columns and their types are listed in :data:`tradetruce.export.schema.TABLES`; the reference
page *Exported tables* shows them. Each table keeps vague times vague: the text of the time
value (with its zone) beside its UTC bounds.

>>> import tradetruce as tt
>>> entries = entries_table(tt.load_seed())
>>> entries.num_rows, entries.column("valid_time")[0].as_py()
(17, '2025-09-26/2025-10-25[America/New_York]')
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from tradetruce.export import _arrow as ax
from tradetruce.export.extras import require
from tradetruce.export.schema import TABLES
from tradetruce.model.history import recorded_time
from tradetruce.values.codes import HSCode
from tradetruce.values.scope import Scope
from tradetruce.values.when import OPEN_END, When

if TYPE_CHECKING:
    from tradetruce.engine.tariffs import TariffStack
    from tradetruce.model.scenario import Scenario

__all__ = [
    "deadlines_table",
    "entries_table",
    "layers_table",
    "scope_table",
    "statuses_table",
    "to_pandas",
    "to_polars",
]

Moment = _dt.datetime | When | str


def _empty(name: str) -> dict[str, list[Any]]:
    return {c.name: [] for c in TABLES[name]}


# ---------------------------------------------------------------------------------- entries
def entries_table(scenario: Scenario) -> Any:
    """Every history entry of the scenario, one row each (measures, deadlines, negotiations, in
    scenario order, each history in order); returns a ``pyarrow.Table``.

    Competing claims are all there: the table is the history, not a reading of it. Times are the
    text of each time value with its zone and its UTC bounds; ``recorded_time`` is when the
    entry became known, from its own ``recorded`` time, else its source's publication
    (``recorded_from`` says which).

    Raises:
        MissingExtraError: pyarrow is not installed.
        InvalidValueError: a rate or quantity that does not fit ``decimal128(38, 6)``.
    """
    kinds: list[str] = []
    ids: list[str] = []
    seqs: list[int] = []
    entries: list[Any] = []
    for kind, group in (
        ("measure", scenario.measures),
        ("deadline", scenario.deadlines),
        ("negotiation", scenario.negotiations),
    ):
        for entity in group:
            history = entity.history
            n = len(history)
            kinds += [kind] * n
            ids += [entity.id] * n
            seqs.extend(range(n))
            entries.extend(history)
    published = scenario.published
    known = [recorded_time(e, published) for e in entries]
    known_from = [
        "entry"
        if e.recorded is not None
        else "source"
        if k is published.get(e.source)
        else "valid_time"
        for e, k in zip(entries, known, strict=True)
    ]
    # Statuses and evidence are StrEnums: Arrow reads them as the strings they are.
    cols: dict[str, Any] = {
        "kind": kinds,
        "entity": ids,
        "seq": seqs,
        "from_status": [e.from_ for e in entries],
        "to_status": [e.to for e in entries],
        **ax.when_columns("valid", [e.at for e in entries], text="valid_time"),
        **ax.when_columns("recorded", known, text="recorded_time"),
        "recorded_from": known_from,
        "source": [e.source for e in entries],
        "evidence": [e.evidence for e in entries],
        "claimed_by": [e.claimed_by for e in entries],
        "note": [e.note for e in entries],
    }
    n = len(entries)
    terms = [getattr(e, "terms", None) for e in entries]
    cols["terms"] = [
        (t is not None) if kind == "measure" else None for t, kind in zip(terms, kinds, strict=True)
    ]
    given = [(i, t) for i, t in enumerate(terms) if t is not None]
    for name in (
        "rate",
        "rate_unit",
        "rate_currency",
        "rate_per",
        "quantity",
        "quantity_unit",
        "quantity_per",
        "quantity_commodity",
        "quantity_bound",
        "legal_basis",
        "authority",
        "instrument",
        "terms_scope",
    ):
        cols[name] = [None] * n
    effective: list[When | None] = [None] * n
    expires: list[When | None] = [None] * n
    for i, t in given:
        rate, quantity = t.rate, t.quantity
        if rate is not None:
            cols["rate"][i] = rate.value
            cols["rate_unit"][i] = rate.unit
            cols["rate_currency"][i] = rate.currency
            cols["rate_per"][i] = rate.per
        if quantity is not None:
            cols["quantity"][i] = quantity.amount
            cols["quantity_unit"][i] = quantity.unit
            cols["quantity_per"][i] = quantity.per
            cols["quantity_commodity"][i] = quantity.commodity
            cols["quantity_bound"][i] = quantity.bound
        cols["legal_basis"][i] = t.legal_basis
        cols["authority"][i] = t.authority
        cols["instrument"][i] = t.instrument
        if t.scope is not None:
            cols["terms_scope"][i] = _scope_json(t.scope)
        effective[i] = t.effective
        expires[i] = t.expires
    cols.update(ax.when_columns("effective", effective))
    cols.update(ax.when_columns("expires", expires))
    cols.update(ax.when_columns("due", [getattr(e, "due", None) for e in entries]))
    held = [getattr(e, "suspension", None) for e in entries]
    cols["suspension"] = [
        (s is not None) if kind == "measure" else None for s, kind in zip(held, kinds, strict=True)
    ]
    until = [None if s is None else s.until for s in held]
    cols.update(ax.when_columns("suspension_until", until))
    cols["suspension_portion"] = [
        None if s is None or s.portion is None else s.portion.value for s in held
    ]
    cols["suspension_at_end"] = [None if s is None else s.at_end for s in held]
    cols["suspension_note"] = [None if s is None else s.note for s in held]

    def where(i: int) -> str:
        return f"{kinds[i]} {ids[i]} history[{seqs[i]}]"

    return ax.build("entries", cols, where)


def _scope_json(scope: Scope) -> str:
    """A scope as the scenario format writes it (JSON, with the format's version)."""
    from tradetruce.wire._encode import encode

    return encode(scope, Scope).decode()


# --------------------------------------------------------------------------------- statuses
def statuses_table(
    scenario: Scenario,
    at: Moment | Sequence[Moment],
    *,
    known_at: Moment | None = None,
) -> Any:
    """Every measure, deadline and negotiation as it stood at ``at`` (one moment, or several:
    one block of rows per moment, in the order given), as known at ``known_at``.

    Each row is the state of :meth:`Scenario.at <tradetruce.Scenario.at>`: the status when the
    history determines one, else ``null`` with every candidate; a calendar value stands for its
    last instant. Returns a ``pyarrow.Table``.
    """
    moments: Sequence[Moment] = [at] if isinstance(at, str | When | _dt.datetime) else list(at)
    cols = _empty("statuses")
    for moment in moments:
        view = scenario.at(moment, known_at=known_at)
        t, k = ax.stamp(view.t), ax.stamp(view.known_at)
        for kind, states in (
            ("measure", view.measures),
            ("deadline", view.deadlines),
            ("negotiation", view.negotiations),
        ):
            for id in states:
                state: Any = states[id]
                last = state.last
                terms = getattr(state, "terms", None)
                rate = None if terms is None else terms.rate
                due = getattr(state, "due", None)
                row = {
                    "valid_at": t,
                    "known_at": k,
                    "kind": kind,
                    "entity": id,
                    "status": ax.value(state.status),
                    "certain": state.certain,
                    "candidates": [ax.value(c) for c in state.candidates],
                    "disputed": bool(state.disagreements),
                    "evidence": None if last is None else last.evidence.value,
                    "source": None if last is None else last.source,
                    "rate": None if rate is None else rate.value,
                    "rate_unit": None if rate is None else rate.unit.value,
                    "legal_basis": None if terms is None else terms.legal_basis,
                    "due": ax.text(due),
                    "due_lo": ax.lo(due),
                    "due_hi": ax.hi(due),
                }
                for name, v in row.items():
                    cols[name].append(v)
    return ax.build("statuses", cols)


# -------------------------------------------------------------------------------- deadlines
def deadlines_table(
    scenario: Scenario, at: Moment | None = None, *, known_at: Moment | None = None
) -> Any:
    """Every deadline with its due time and status at ``at`` as known at ``known_at``.

    ``at=None`` reads every history to its end (the latest word on each deadline; the ``at``
    column is then null). The due time is the one it had then, in its own zone, with its UTC
    bounds: a vague due time (``2025-10-27/2025-11-02[Asia/Seoul]``) keeps its whole span.
    Returns a ``pyarrow.Table``.
    """
    view = scenario.at(OPEN_END if at is None else at, known_at=known_at)
    t = None if at is None else ax.stamp(view.t)
    k = ax.stamp(view.known_at)
    cols = _empty("deadlines")
    for d in scenario.deadlines:
        state = view.deadlines[d.id]
        due = state.due
        row = {
            "valid_at": t,
            "known_at": k,
            "deadline": d.id,
            "title": d.title,
            "deadline_kind": d.kind.value,
            "due": ax.text(due),
            "due_zone": None if due is None else due.zone,
            "due_lo": ax.lo(due),
            "due_hi": ax.hi(due),
            "status": ax.value(state.status),
            "certain": state.certain,
            "candidates": [ax.value(c) for c in state.candidates],
            "open": state.is_open,
            "governs": list(d.governs),
            "parties": list(d.parties),
        }
        for name, v in row.items():
            cols[name].append(v)
    return ax.build("deadlines", cols)


# ------------------------------------------------------------------------------------ scope
def scope_table(scenario: Scenario) -> Any:
    """The products each measure covers: one row per measure and HS code, in scenario order.

    A measure that names no product covers every product: it has one row, with ``product``
    null. Returns a ``pyarrow.Table``.
    """
    cols = _empty("scope")
    for m in scenario.measures:
        products: Sequence[HSCode | None] = m.products or (None,)
        for code in products:
            row = {
                "measure": m.id,
                "measure_kind": m.kind.value,
                "imposed_by": m.imposed_by,
                "targets": list(m.targets),
                "product": None if code is None else str(code),
                "hs_code": None if code is None else code.code,
                "hs_edition": None if code is None else code.edition,
                "hs_level": None if code is None else code.level,
                "scope": m.scope,
            }
            for name, v in row.items():
                cols[name].append(v)
    return ax.build("scope", cols)


# ----------------------------------------------------------------------------------- layers
def layers_table(stacks: TariffStack | Iterable[TariffStack]) -> Any:
    """The layers of one or more tariff stacks (:meth:`Scenario.tariff_stack
    <tradetruce.Scenario.tariff_stack>`), certain ones first in each stack, then the uncertain.

    A stack without layers has no rows. Returns a ``pyarrow.Table``.
    """
    from tradetruce.engine.tariffs import TariffStack

    group = [stacks] if isinstance(stacks, TariffStack) else list(stacks)
    cols = _empty("layers")
    for stack in group:
        for layer in (*stack.layers, *stack.uncertain):
            row = {
                "importer": stack.importer,
                "exporter": stack.exporter,
                "product": str(stack.product),
                "valid_at": ax.stamp(stack.at),
                "known_at": ax.stamp(stack.known_at),
                "measure": layer.measure,
                "rate": layer.high,
                "legal_basis": layer.legal_basis,
                "certain": layer.certain,
            }
            for name, v in row.items():
                cols[name].append(v)
    return ax.build("layers", cols)


# ------------------------------------------------------------------------------- dataframes
def to_pandas(table: Any) -> Any:
    """A ``pyarrow.Table`` as a pandas DataFrame (needs the ``pandas`` extra).

    Timestamps become ``datetime64[us, UTC]`` (an open end stays ``NaT``: nothing is widened to
    nanoseconds, whose range ends in 2262), ids and statuses categoricals, decimals
    ``decimal.Decimal`` objects, lists Python lists.
    """
    require("pandas")
    return table.to_pandas(coerce_temporal_nanoseconds=False)


def to_polars(table: Any) -> Any:
    """A ``pyarrow.Table`` as a polars DataFrame (needs the ``polars`` extra): timestamps
    ``Datetime(us, UTC)``, ids and statuses ``Categorical``, decimals ``Decimal(38, 6)``."""
    pl = require("polars")
    return pl.from_arrow(table)
