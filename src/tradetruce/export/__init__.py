"""Analysts' data: a scenario as tables, a statutory rate panel, files, queries and pictures.

Everything here reads a :class:`~tradetruce.Scenario` through its public API and writes it out
for the tools analysts use: Apache Arrow tables (and from them pandas and polars DataFrames),
Parquet, CSV and Arrow IPC files that DuckDB and Apache Spark query, and matplotlib charts.
Each optional package is imported only when a function that needs it is called (see
:mod:`tradetruce.export.extras`), so ``import tradetruce.export`` costs next to nothing.
"""

from tradetruce.export.charts import rate_chart, save_chart, timeline_chart
from tradetruce.export.extras import MissingExtraError
from tradetruce.export.files import (
    WriteError,
    write_arrow,
    write_csv,
    write_panel_dataset,
    write_parquet,
)
from tradetruce.export.panel import explode_daily, rate_panel
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
    "WriteError",
    "deadlines_table",
    "entries_table",
    "explode_daily",
    "layers_table",
    "rate_chart",
    "rate_panel",
    "save_chart",
    "scope_table",
    "statuses_table",
    "timeline_chart",
    "to_pandas",
    "to_polars",
    "write_arrow",
    "write_csv",
    "write_panel_dataset",
    "write_parquet",
]
