"""The columns of every table tradetruce exports: name, Arrow type, nullability and meaning.

This is the one description of the tables: the builders in :mod:`tradetruce.export.tables` and
:mod:`tradetruce.export.panel` give exactly these schemas (a test pins each one, so that they
stay stable across releases), and the reference page of the tables is generated from it.

Types, the same in every table:

* times are ``timestamp[us, tz=UTC]``: the UTC bounds of a time value, to the microsecond. The
  value itself is in a text column beside them, in tradetruce's notation, with its IANA zone
  (``2025-11-01[America/New_York]``), so nothing vague is made precise on the way out. An open
  end of a range (``2025-11-11/..``) is null.
* numbers (rates, quantities) are ``decimal128(38, 6)``: up to 32 digits before the point and 6
  after, exact (never a float). A number that does not fit, more than 6 decimal places or 32
  integer digits, is refused with :class:`~tradetruce.InvalidValueError` naming the entity and
  the column, never rounded.
* ids, statuses, zones and other repeated words are ``dictionary<values=string, indices=int32>``
  (pandas reads them as categoricals, polars as ``Categorical``, DuckDB as ``VARCHAR``).

>>> [c.name for c in TABLES["scope"]][:3]
['measure', 'measure_kind', 'imposed_by']
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import attrs

__all__ = [
    "DECIMAL_PRECISION",
    "DECIMAL_SCALE",
    "KINDS",
    "TABLES",
    "Column",
    "arrow_schema",
    "arrow_type",
    "markdown",
]

#: Digits of every decimal column, in all (Arrow's widest 128-bit decimal)...
DECIMAL_PRECISION: Final = 38
#: ...and after the point: a millionth of a percentage point.
DECIMAL_SCALE: Final = 6

#: The kinds of column; :func:`arrow_type` gives the Arrow type of each.
KINDS: Final = (
    "dictionary",
    "string",
    "timestamp",
    "decimal",
    "bool",
    "int32",
    "int16",
    "date",
    "list",
)


@attrs.frozen
class Column:
    """One column of an exported table.

    Attributes:
        name: the column's name.
        kind: one of ``dictionary``, ``string``, ``timestamp``, ``decimal``, ``bool``,
            ``int32``, ``int16``, ``date``, ``list`` (a list of strings).
        nullable: whether it may hold nulls.
        meaning: what it holds, in words (the reference page shows it).
    """

    name: str
    kind: str = attrs.field(validator=attrs.validators.in_(KINDS))
    nullable: bool
    meaning: str

    @property
    def arrow_type(self) -> Any:
        """The ``pyarrow.DataType`` (needs the ``arrow`` extra)."""
        return arrow_type(self.kind)


def _columns(*rows: tuple[str, str, bool, str]) -> tuple[Column, ...]:
    return tuple(Column(*row) for row in rows)


_KNOWN = (
    "known_at",
    "timestamp",
    True,
    "the start of the span of knowledge times over which the row is what was on record: no "
    "entry that could change it was recorded between `known_at` and `known_until`; null: "
    "since before anything about the flow was recorded",
)
_KNOWN_UNTIL = (
    "known_until",
    "timestamp",
    True,
    "the end of that span (exclusive); null: it still holds, nothing later is on record",
)
_PANEL_TAIL = (
    (
        "measure",
        "dictionary",
        True,
        "the measure behind the layer, or the base rate's id on a base-rate layer; null on the "
        "total row",
    ),
    ("legal_basis", "dictionary", True, "the legal basis of the layer's terms, when known"),
    ("authority", "dictionary", True, "the legal authority of the layer (`Authority`), when known"),
    (
        "instrument",
        "dictionary",
        True,
        "the act that imposes the layer (an executive order, a Chapter 99 heading), when known",
    ),
    (
        "low",
        "decimal",
        False,
        "the lowest rate, in percent: the least the layer adds (its rate when certain; 0 when "
        "it may not apply; its rate less a suspended portion, or the lower of two rates); on "
        "the total row the stack's low bound (`TariffStack.low`)",
    ),
    (
        "high",
        "decimal",
        False,
        "the highest rate, in percent: the rate the layer has if it applies; on the total row "
        "the stack's high bound (`TariffStack.high`)",
    ),
    (
        "certain",
        "bool",
        False,
        "whether the layer certainly applies (on the total row: no layer is uncertain)",
    ),
    (
        "evidence",
        "dictionary",
        True,
        "the weakest evidence the layer rests on: that of the entries since the measure last "
        "changed status (`official`, `claimed`, `reported`, `projected`); on the total row the "
        "weakest of its layers, null without layers",
    ),
    (
        "disputed",
        "bool",
        False,
        "whether competing claims about the measure disagree (total row: about any layer)",
    ),
)

#: Every exported table's columns, in order.
TABLES: Final[Mapping[str, tuple[Column, ...]]] = {
    "entries": _columns(
        ("kind", "dictionary", False, "`measure`, `deadline` or `negotiation`"),
        ("entity", "dictionary", False, "the entity's id"),
        ("seq", "int32", False, "the entry's place in the entity's history, from 0"),
        ("from_status", "dictionary", True, "the status before; null for the first entry"),
        (
            "to_status",
            "dictionary",
            False,
            "the status after (equal to `from_status`: an amendment)",
        ),
        (
            "valid_time",
            "string",
            False,
            "when the entry happens (its `at`), as written (`2025-11-01[America/New_York]`)",
        ),
        ("valid_zone", "dictionary", False, "its IANA zone"),
        ("valid_lo", "timestamp", True, "its first instant, in UTC; null: open start"),
        ("valid_hi", "timestamp", True, "its last instant, in UTC; null: open end"),
        (
            "recorded_time",
            "string",
            False,
            "when the entry became known, as written: its own recorded time, else its source's "
            "publication, else its valid time (see `recorded_from`)",
        ),
        (
            "recorded_from",
            "dictionary",
            False,
            "where `recorded_time` comes from: `entry`, `source` or `valid_time`",
        ),
        ("recorded_zone", "dictionary", False, "the IANA zone of `recorded_time`"),
        ("recorded_lo", "timestamp", True, "its first instant, in UTC"),
        (
            "recorded_hi",
            "timestamp",
            True,
            "its last instant, in UTC: a view as known at `k` uses the entry once "
            "`recorded_hi <= k`",
        ),
        ("source", "dictionary", False, "the id of the source that reports the entry"),
        ("evidence", "dictionary", False, "`official`, `claimed`, `reported` or `projected`"),
        ("claimed_by", "dictionary", True, "the claiming party, for evidence `claimed`"),
        ("note", "string", False, "the entry's note (empty when none)"),
        (
            "terms",
            "bool",
            True,
            "measures: whether the entry gives terms (which then replace the measure's); null "
            "for deadlines and negotiations",
        ),
        ("rate", "decimal", True, "the rate the terms give"),
        ("rate_unit", "dictionary", True, "`percent` (ad valorem) or `specific`"),
        ("rate_currency", "dictionary", True, "a specific rate's currency"),
        ("rate_per", "string", True, "what a specific rate is charged per"),
        ("quantity", "decimal", True, "the quantity the terms give (a quota, a purchase)"),
        ("quantity_unit", "string", True, "its unit"),
        ("quantity_per", "dictionary", True, "the period it is counted over"),
        ("quantity_commodity", "string", True, "what it counts"),
        (
            "quantity_bound",
            "dictionary",
            True,
            "what its amount is: `exactly`, a floor (`at_least`) or a ceiling (`at_most`)",
        ),
        ("legal_basis", "dictionary", True, "the legal basis the terms name"),
        ("authority", "dictionary", True, "the kind of legal authority the terms name"),
        ("instrument", "string", True, "the instrument that imposes them (an order, a heading)"),
        (
            "terms_scope",
            "string",
            True,
            "the scope the terms write (origins, products, producer rates, exemptions), as JSON "
            "in the scenario format; null: none (the measure's targets and products)",
        ),
        ("effective", "string", True, "when the terms take effect, as written"),
        ("effective_lo", "timestamp", True, "its first instant, in UTC"),
        ("effective_hi", "timestamp", True, "its last instant, in UTC"),
        ("expires", "string", True, "when the terms lapse, as written"),
        ("expires_lo", "timestamp", True, "its first instant, in UTC"),
        ("expires_hi", "timestamp", True, "its last instant, in UTC"),
        ("due", "string", True, "deadlines: the due time the entry sets, as written"),
        ("due_lo", "timestamp", True, "its first instant, in UTC"),
        ("due_hi", "timestamp", True, "its last instant, in UTC"),
        (
            "suspension",
            "bool",
            True,
            "measures: whether the entry carries a suspension (a pause, or an extension of one); "
            "null for deadlines and negotiations",
        ),
        ("suspension_until", "string", True, "when it runs out, as written; null: until notice"),
        ("suspension_until_lo", "timestamp", True, "its first instant, in UTC"),
        ("suspension_until_hi", "timestamp", True, "its last instant, in UTC"),
        ("suspension_portion", "decimal", True, "the part of the rate suspended; null: all"),
        ("suspension_at_end", "dictionary", True, "`restore` or `expire`"),
        ("suspension_note", "string", True, "the suspension's note"),
    ),
    "statuses": _columns(
        ("valid_at", "timestamp", False, "the moment asked about, in UTC"),
        ("known_at", "timestamp", True, "only entries recorded by then; null: every entry"),
        ("kind", "dictionary", False, "`measure`, `deadline` or `negotiation`"),
        ("entity", "dictionary", False, "the entity's id"),
        (
            "status",
            "dictionary",
            True,
            "its status; null when uncertain or when it does not exist yet",
        ),
        (
            "certain",
            "bool",
            False,
            "false while an entry's time value spans the moment and could change the status",
        ),
        (
            "candidates",
            "list",
            False,
            "every status it may be in; a null item: it may not exist yet",
        ),
        ("disputed", "bool", False, "whether competing claims about one of its events disagree"),
        ("evidence", "dictionary", True, "the evidence of its latest settled entry"),
        ("source", "dictionary", True, "the source of its latest settled entry"),
        ("rate", "decimal", True, "measures: the rate of their terms then"),
        ("rate_unit", "dictionary", True, "`percent` or `specific`"),
        ("legal_basis", "dictionary", True, "measures: the legal basis of their terms then"),
        ("due", "string", True, "deadlines: the due time then, as written"),
        ("due_lo", "timestamp", True, "its first instant, in UTC"),
        ("due_hi", "timestamp", True, "its last instant, in UTC"),
    ),
    "deadlines": _columns(
        ("valid_at", "timestamp", True, "the moment asked about, in UTC; null: after every entry"),
        ("known_at", "timestamp", True, "only entries recorded by then; null: every entry"),
        ("deadline", "dictionary", False, "the deadline's id"),
        ("title", "string", False, "its title"),
        ("deadline_kind", "dictionary", False, "`effective_date`, `expiry`, `meeting`..."),
        ("due", "string", True, "the due time then, as written; null: not set yet"),
        ("due_zone", "dictionary", True, "its IANA zone"),
        ("due_lo", "timestamp", True, "its first instant, in UTC; null: open start"),
        ("due_hi", "timestamp", True, "its last instant, in UTC; null: open end"),
        ("status", "dictionary", True, "its status; null when uncertain or not yet set"),
        ("certain", "bool", False, "whether the status is certain"),
        ("candidates", "list", False, "every status it may be in; a null item: not yet set"),
        ("open", "bool", False, "whether it may still be pending or extended"),
        ("governs", "list", False, "the ids of the entities it governs"),
        ("parties", "list", False, "the ids of the parties it binds"),
    ),
    "scope": _columns(
        ("measure", "dictionary", False, "the measure's id"),
        ("measure_kind", "dictionary", False, "`tariff`, `export_control`..."),
        ("imposed_by", "dictionary", False, "the imposing party's id"),
        ("targets", "list", False, "the parties it is aimed at; empty: every origin"),
        (
            "product",
            "dictionary",
            True,
            "one HS code it covers (`HS2022:1201` or `1201`); null: every product",
        ),
        ("hs_code", "string", True, "the code's digits, leading zeros kept"),
        ("hs_edition", "dictionary", True, "the code's HS edition, when given"),
        ("hs_level", "int16", True, "2 chapter, 4 heading, 6 subheading, 8 or 10 national line"),
        ("scope", "string", False, "the measure's own words on its scope (empty when none)"),
    ),
    "layers": _columns(
        ("importer", "dictionary", False, "the importing party's id"),
        ("exporter", "dictionary", False, "the exporting party's id"),
        ("product", "dictionary", False, "the HS code asked about"),
        ("valid_at", "timestamp", False, "the moment, in UTC"),
        ("known_at", "timestamp", True, "only entries recorded by then; null: every entry"),
        ("measure", "dictionary", False, "the measure behind the layer"),
        ("rate", "decimal", False, "its ad valorem rate, in percent"),
        ("legal_basis", "dictionary", True, "its legal basis, when known"),
        ("certain", "bool", False, "false: it may or may not apply at that moment"),
    ),
    "panel": _columns(
        ("importer", "dictionary", False, "the importing party's id"),
        ("origin", "dictionary", False, "the exporting party's id"),
        ("product", "dictionary", False, "the HS code"),
        (
            "producer",
            "dictionary",
            True,
            "the producer's party id, when the panel was asked by producer (null: any producer)",
        ),
        _KNOWN,
        _KNOWN_UNTIL,
        ("valid_from", "timestamp", False, "the interval's first instant, in UTC"),
        ("valid_to", "timestamp", False, "the interval's end, in UTC (exclusive)"),
        *_PANEL_TAIL,
    ),
    "daily": _columns(
        ("importer", "dictionary", False, "the importing party's id"),
        ("origin", "dictionary", False, "the exporting party's id"),
        ("product", "dictionary", False, "the HS code"),
        (
            "producer",
            "dictionary",
            True,
            "the producer's party id, when the panel was asked by producer (null: any producer)",
        ),
        _KNOWN,
        _KNOWN_UNTIL,
        ("day", "date", False, "the calendar day, in the zone `explode_daily` was given"),
        *_PANEL_TAIL[:4],
        (
            "low",
            "decimal",
            False,
            "the lowest rate at any instant of the day (0 for a layer that does not apply all day)",
        ),
        ("high", "decimal", False, "the highest rate at any instant of the day"),
        (
            "certain",
            "bool",
            False,
            "whether one certain figure held the whole day (false when the figure changed "
            "during the day)",
        ),
        *_PANEL_TAIL[7:],
    ),
}


def arrow_schema(table: str) -> Any:
    """The ``pyarrow.Schema`` of an exported table (``entries``, ``statuses``, ``deadlines``,
    ``scope``, ``layers``, ``panel`` or ``daily``)."""
    from tradetruce.export.extras import require

    pa = require("pyarrow")
    return pa.schema([pa.field(c.name, c.arrow_type, nullable=c.nullable) for c in TABLES[table]])


def arrow_type(kind: str) -> Any:
    """The ``pyarrow.DataType`` of a column kind (see :class:`Column`)."""
    from tradetruce.export.extras import require

    pa = require("pyarrow")
    types = {
        "dictionary": pa.dictionary(pa.int32(), pa.string()),
        "string": pa.string(),
        "timestamp": pa.timestamp("us", tz="UTC"),
        "decimal": pa.decimal128(DECIMAL_PRECISION, DECIMAL_SCALE),
        "bool": pa.bool_(),
        "int32": pa.int32(),
        "int16": pa.int16(),
        "date": pa.date32(),
        "list": pa.list_(pa.string()),
    }
    return types[kind]


def markdown(table: str) -> str:
    """The reference table of an exported table's columns, in Markdown (needs the ``arrow``
    extra, which names the types)."""
    rows = ["| column | Arrow type | null | meaning |", "| --- | --- | --- | --- |"]
    for c in TABLES[table]:
        null = "yes" if c.nullable else "no"
        rows.append(f"| `{c.name}` | `{c.arrow_type}` | {null} | {c.meaning} |")
    return "\n".join(rows) + "\n"
