"""Exported tables as JSON rows: one JSON object per row (JSON Lines), each value written by its
column's kind in :mod:`tradetruce.export.schema`, the one description of the tables.

Times are the UTC bounds of the table, written as ISO 8601 text with their offset
(``2025-11-01T04:00:00+00:00``); decimals as text, exactly as the table holds them (``"17.000000"``,
never a float); dates as ``YYYY-MM-DD``; ids and words as text; nulls as ``null``.
:func:`row_schema` gives the JSON Schema of a table's rows, from the same columns.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any, Final, TextIO

from tradetruce.export.schema import TABLES

__all__ = ["row_schema", "rows", "write_jsonl"]


def _timestamp(value: _dt.datetime) -> str:
    return value.isoformat()


def _decimal(value: Decimal) -> str:
    return str(value)


def _date(value: _dt.date) -> str:
    return value.isoformat()


def _same(value: Any) -> Any:
    return value


#: For each column kind: how a value is written, and the JSON Schema of a value.
_KINDS: Final[dict[str, tuple[Callable[[Any], Any], dict[str, Any]]]] = {
    "dictionary": (_same, {"type": "string"}),
    "string": (_same, {"type": "string"}),
    "timestamp": (_timestamp, {"type": "string", "format": "date-time"}),
    "decimal": (
        _decimal,
        {"type": "string", "pattern": r"^[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$"},
    ),
    "bool": (_same, {"type": "boolean"}),
    "int32": (_same, {"type": "integer", "minimum": -(2**31), "maximum": 2**31 - 1}),
    "int16": (_same, {"type": "integer", "minimum": -(2**15), "maximum": 2**15 - 1}),
    "date": (_date, {"type": "string", "format": "date"}),
    "list": (list, {"type": "array", "items": {"type": ["string", "null"]}}),
}


def rows(table: Any, name: str) -> Iterator[dict[str, Any]]:
    """The rows of the exported ``table`` (a ``pyarrow.Table`` of the table ``name``: entries,
    statuses, deadlines, scope, panel or daily) as JSON-ready dicts, in column order."""
    columns = TABLES[name]
    writers = [(c.name, _KINDS[c.kind][0]) for c in columns]
    for row in table.select([c.name for c in columns]).to_pylist():
        yield {key: None if row[key] is None else write(row[key]) for key, write in writers}


def write_jsonl(table: Any, name: str, out: TextIO) -> None:
    """Write the rows of ``table`` to ``out`` as JSON Lines: one compact object a line."""
    for row in rows(table, name):
        out.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n")


def row_schema(name: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one row of the table ``name``."""
    properties: dict[str, Any] = {}
    for c in TABLES[name]:
        value = dict(_KINDS[c.kind][1])
        properties[c.name] = {"anyOf": [value, {"type": "null"}]} if c.nullable else value
        properties[c.name]["description"] = c.meaning
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"a row of the {name} table",
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }
