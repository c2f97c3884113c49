"""Analysts' data: a scenario as tables, a statutory rate panel, files, queries and pictures.

Everything here reads a :class:`~tradetruce.Scenario` through its public API and writes it out
for the tools analysts use: Apache Arrow tables (and from them pandas and polars DataFrames),
Parquet, CSV and Arrow IPC files that DuckDB and Apache Spark query, and matplotlib charts.
Each optional package is imported only when a function that needs it is called (see
:mod:`tradetruce.export.extras`), so ``import tradetruce.export`` costs next to nothing.
"""

from tradetruce.export.extras import MissingExtraError
from tradetruce.export.tables import (
    deadlines_table,
    entries_table,
    layers_table,
    scope_table,
    statuses_table,
    to_pandas,
    to_polars,
)

__all__ = [
    "MissingExtraError",
    "deadlines_table",
    "entries_table",
    "layers_table",
    "scope_table",
    "statuses_table",
    "to_pandas",
    "to_polars",
]
