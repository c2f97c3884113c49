"""Which optional package each export needs, and the error that names the extra to install.

Tables, files, queries and charts lean on well-kept libraries that tradetruce does not require:
pyarrow, pandas, polars, duckdb and matplotlib. Each is imported when a function that needs it is
called, never by ``import tradetruce`` or ``import tradetruce.export``; a missing one raises
:class:`MissingExtraError`, which says which extra brings it:

>>> str(MissingExtraError("arrow", "this", module="pyarrow"))
'this needs pyarrow, from the "arrow" extra: pip install "tradetruce[arrow]"'
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from types import ModuleType
from typing import Final

from tradetruce.errors import MissingExtraError

__all__ = ["EXTRAS", "MissingExtraError", "require"]

#: The module each extra brings -> the extra's name (``pip install "tradetruce[<extra>]"``).
EXTRAS: Final[Mapping[str, str]] = {
    "pyarrow": "arrow",
    "pandas": "pandas",
    "polars": "polars",
    "duckdb": "duckdb",
    "matplotlib": "plot",
}


def require(module: str) -> ModuleType:
    """Import ``module`` (one of :data:`EXTRAS`, or one of its submodules), or raise
    :class:`MissingExtraError` naming the extra to install."""
    try:
        return importlib.import_module(module)
    except ImportError:
        extra = EXTRAS.get(module.partition(".")[0], "analysis")
        raise MissingExtraError(extra, "this", module=module) from None
