"""Which optional package each export needs, and the error that names the extra to install.

Tables, files, queries and charts lean on well-kept libraries that tradetruce does not require:
pyarrow, pandas, polars, duckdb and matplotlib. Each is imported when a function that needs it is
called, never by ``import tradetruce`` or ``import tradetruce.export``; a missing one raises
:class:`MissingExtraError`, which says which extra brings it:

>>> str(MissingExtraError("pyarrow"))
'this needs pyarrow, from the "arrow" extra: pip install "tradetruce[arrow]"'
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from types import ModuleType
from typing import Final

from tradetruce.errors import TradeTruceError

__all__ = ["EXTRAS", "MissingExtraError", "require"]

#: The module each extra brings -> the extra's name (``pip install "tradetruce[<extra>]"``).
EXTRAS: Final[Mapping[str, str]] = {
    "pyarrow": "arrow",
    "pandas": "pandas",
    "polars": "polars",
    "duckdb": "duckdb",
    "matplotlib": "plot",
}


class MissingExtraError(TradeTruceError, ImportError):
    """An optional package that an export needs is not installed.

    Attributes:
        module: the package that is missing (``pyarrow``).
        extra: the tradetruce extra that brings it (``arrow``).
    """

    def __init__(self, module: str):
        self.module = module
        self.extra = EXTRAS.get(module.partition(".")[0], "all")
        super().__init__(module)

    def __str__(self) -> str:
        return (
            f'this needs {self.module}, from the "{self.extra}" extra: '
            f'pip install "tradetruce[{self.extra}]"'
        )


def require(module: str) -> ModuleType:
    """Import ``module`` (one of :data:`EXTRAS`, or one of its submodules), or raise
    :class:`MissingExtraError` naming the extra to install."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtraError(module) from None
