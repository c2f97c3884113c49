"""Exported tables as files: Parquet, CSV, Arrow IPC, and the rate panel as a Parquet dataset.

Needs the ``arrow`` extra. Each function writes one table that the builders of
:mod:`tradetruce.export.tables` or :mod:`tradetruce.export.panel` made (any ``pyarrow.Table``
will do):

* :func:`write_parquet`: one Parquet file, the columns' types kept (what pandas, polars, DuckDB
  and Spark read fastest);
* :func:`write_csv`: a CSV file with a header, for a spreadsheet or any tool. Times are written
  in UTC with a ``Z``, decimals with their six places, and each list (``candidates``,
  ``targets``...) as a JSON array, so that a null item (``[null, "proposed"]``: it may not exist
  yet) keeps its meaning;
* :func:`write_arrow`: an Arrow IPC file (also called Feather v2), read without conversion by
  any Arrow library;
* :func:`write_panel_dataset`: a rate panel as a Hive-partitioned Parquet dataset
  (``importer=us/year=2025/part-0.parquet``), which DuckDB, polars and Spark read as one table and
  prune by importer and year.

A file that cannot be written raises :class:`WriteError`, naming the file and the reason.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from pathlib import Path
from typing import Any

from tradetruce.errors import TradeTruceError
from tradetruce.export import _arrow as ax
from tradetruce.export.extras import require
from tradetruce.values.when import to_us

__all__ = ["WriteError", "write_arrow", "write_csv", "write_panel_dataset", "write_parquet"]

PathLike = str | os.PathLike[str]


class WriteError(TradeTruceError, OSError):
    """A table could not be written.

    Attributes:
        path: the file or folder.
        reason: why, in words.
    """

    def __init__(self, path: PathLike, reason: str):
        self.path = os.fspath(path)
        self.reason = reason
        super().__init__(self.path, reason)

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def _failing(path: PathLike, error: Exception) -> WriteError:
    reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
    return WriteError(path, reason)


def write_parquet(table: Any, path: PathLike) -> None:
    """Write ``table`` to one Parquet file at ``path``."""
    pq = require("pyarrow.parquet")
    pa = require("pyarrow")
    try:
        pq.write_table(table, os.fspath(path))
    except (OSError, pa.ArrowException) as error:
        raise _failing(path, error) from None


def write_arrow(table: Any, path: PathLike) -> None:
    """Write ``table`` to an Arrow IPC file at ``path``."""
    pa = require("pyarrow")
    try:
        with pa.OSFile(os.fspath(path), "wb") as sink, pa.ipc.new_file(sink, table.schema) as w:
            w.write_table(table)
    except (OSError, pa.ArrowException) as error:
        raise _failing(path, error) from None


def write_csv(table: Any, path: PathLike) -> None:
    """Write ``table`` to a CSV file at ``path`` (UTF-8, a header line, lists as JSON)."""
    pa = require("pyarrow")
    csv = require("pyarrow.csv")
    flat = table
    for i, field in enumerate(table.schema):
        if pa.types.is_list(field.type):
            texts = [json.dumps(v) for v in table.column(i).to_pylist()]
            flat = flat.set_column(i, pa.field(field.name, pa.string()), pa.array(texts))
    try:
        csv.write_csv(flat, os.fspath(path))
    except (OSError, pa.ArrowException) as error:
        raise _failing(path, error) from None


def write_panel_dataset(panel: Any, directory: PathLike) -> None:
    """Write a rate panel (:func:`~tradetruce.export.panel.rate_panel`) to ``directory`` as a
    Parquet dataset partitioned by importer and year, ``importer=<id>/year=<yyyy>/``.

    An interval that runs into a new year (UTC) is split at the year's first instant, so that
    each year's files hold every interval of that year and a query on one year reads only its
    files; the figures are the same on both sides of the cut. The folder must be new or empty:
    a dataset written over another one would mix them.
    """
    pa = require("pyarrow")
    ds = require("pyarrow.dataset")
    target = Path(directory)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise WriteError(target, "exists and is not an empty folder; a dataset needs its own")
    table = split_years(panel)
    table = table.set_column(
        table.schema.get_field_index("importer"),
        "importer",
        table.column("importer").cast(pa.string()),
    )
    partitioning = ds.partitioning(
        pa.schema([("importer", pa.string()), ("year", pa.int16())]), flavor="hive"
    )
    try:
        ds.write_dataset(
            table,
            os.fspath(target),
            format="parquet",
            partitioning=partitioning,
            basename_template="part-{i}.parquet",
            existing_data_behavior="error",
        )
    except (OSError, pa.ArrowException) as error:
        raise _failing(target, error) from None


def split_years(panel: Any) -> Any:
    """``panel`` with each interval cut at every new year (UTC) it runs into, and a ``year``
    column (``int16``) naming the year of each piece."""
    pa = require("pyarrow")
    np = require("numpy")
    frm = panel.column("valid_from").cast(pa.int64()).to_numpy()
    to = panel.column("valid_to").cast(pa.int64()).to_numpy()
    if len(frm) == 0:
        return panel.append_column("year", pa.array([], pa.int16()))
    first_year = _year(int(frm.min()))
    last_year = _year(int(to.max()) - 1)
    years = np.arange(first_year, last_year + 1, dtype=np.int64)
    ends = [_year_start(int(y)) for y in years] + [_year_start(last_year + 1, int(to.max()))]
    edges = np.asarray(ends, dtype=np.int64)
    y0 = np.searchsorted(edges, frm, side="right") - 1
    y1 = np.searchsorted(edges, to, side="left") - 1
    counts = y1 - y0 + 1
    total = int(counts.sum())
    offsets = np.cumsum(counts) - counts
    row = np.repeat(np.arange(len(frm), dtype=np.int64), counts)
    piece = np.repeat(y0 - offsets, counts) + np.arange(total, dtype=np.int64)
    start = np.maximum(frm[row], edges[piece])
    end = np.minimum(to[row], edges[piece + 1])
    out = panel.take(pa.array(row, pa.int64()))
    for name, values in (("valid_from", start), ("valid_to", end)):
        i = out.schema.get_field_index(name)
        out = out.set_column(i, out.schema.field(i), pa.array(values, out.schema.field(i).type))
    return out.append_column("year", pa.array(years[piece], pa.int16()))


def _year(us: int) -> int:
    """The UTC year of an instant given in Arrow microseconds."""
    return (_dt.datetime(1970, 1, 1, tzinfo=_dt.UTC) + _dt.timedelta(microseconds=us)).year


def _year_start(year: int, beyond: int = 0) -> int:
    """The first instant of a UTC year in Arrow microseconds (``beyond`` past year 9999)."""
    if year > _dt.MAXYEAR:
        return beyond
    return to_us(_dt.datetime(year, 1, 1, tzinfo=_dt.UTC)) - ax.EPOCH_US
