"""Building Arrow columns from tradetruce values: the helpers every exported table shares."""

from __future__ import annotations

import datetime as _dt
import decimal
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, Final

from tradetruce.errors import InvalidValueError
from tradetruce.export.extras import require
from tradetruce.export.schema import DECIMAL_PRECISION, DECIMAL_SCALE, TABLES, arrow_schema
from tradetruce.values.when import OPEN_END, OPEN_START, When, to_us

#: Microseconds from 0001-01-01 UTC (the origin of :attr:`When.lo_us`) to the Unix epoch
#: (Arrow's).
EPOCH_US: Final = to_us(_dt.datetime(1970, 1, 1, tzinfo=_dt.UTC))
_OPEN_LO: Final = to_us(OPEN_START)
_OPEN_HI: Final = to_us(OPEN_END)


def lo(w: When | None) -> int | None:
    """A time value's first instant as Arrow microseconds; ``None`` for none or an open start."""
    if w is None:
        return None
    u = w.lo_us
    return None if u == _OPEN_LO else u - EPOCH_US


def hi(w: When | None) -> int | None:
    """A time value's last instant as Arrow microseconds; ``None`` for none or an open end."""
    if w is None:
        return None
    u = w.hi_us
    return None if u == _OPEN_HI else u - EPOCH_US


def when_columns(
    prefix: str, values: Sequence[When | None], *, text: str | None = None
) -> dict[str, Any]:
    """The columns of a time value: its text (``<prefix>`` or ``text``), ``<prefix>_zone``,
    and its UTC bounds ``<prefix>_lo`` and ``<prefix>_hi`` as Arrow arrays (null for no value
    and for an open end)."""
    pa = require("pyarrow")
    np = require("numpy")
    n = len(values)
    absent = np.fromiter((w is None for w in values), bool, n)
    present = [w for w in values if w is not None]
    lo_us = np.zeros(n, dtype=np.int64)
    hi_us = np.zeros(n, dtype=np.int64)
    lo_us[~absent] = np.fromiter((w.lo_us for w in present), np.int64, len(present))
    hi_us[~absent] = np.fromiter((w.hi_us for w in present), np.int64, len(present))
    kind = pa.timestamp("us", tz="UTC")
    return {
        text or prefix: [None if w is None else str(w) for w in values],
        f"{prefix}_zone": [None if w is None else w.zone for w in values],
        f"{prefix}_lo": pa.array(lo_us - EPOCH_US, kind, mask=absent | (lo_us == _OPEN_LO)),
        f"{prefix}_hi": pa.array(hi_us - EPOCH_US, kind, mask=absent | (hi_us == _OPEN_HI)),
    }


def stamp(t: _dt.datetime | None) -> int | None:
    """An aware datetime as Arrow microseconds."""
    return None if t is None else to_us(t) - EPOCH_US


def text(w: When | None) -> str | None:
    return None if w is None else str(w)


def value(x: object) -> str | None:
    """An enum's value (or any object's text); ``None`` stays ``None``."""
    if x is None:
        return None
    v = getattr(x, "value", x)
    return str(v)


def build(
    name: str, columns: dict[str, list[Any]], where: Callable[[int], str] | None = None
) -> Any:
    """The ``pyarrow.Table`` ``name`` (see :data:`~tradetruce.export.schema.TABLES`) from one
    Python list per column; ``where(i)`` names row ``i`` in the error for a number that does
    not fit its decimal column."""
    pa = require("pyarrow")
    schema = arrow_schema(name)
    arrays = []
    for column, field in zip(TABLES[name], schema, strict=True):
        values = columns[column.name]
        if isinstance(values, pa.Array):
            arrays.append(values)
        elif column.kind == "dictionary":
            arrays.append(pa.array(values, pa.string()).dictionary_encode())
        elif column.kind == "decimal":
            arrays.append(_decimals(values, field.type, column.name, where))
        else:
            arrays.append(pa.array(values, field.type))
    return pa.Table.from_arrays(arrays, schema=schema)


_LIMIT: Final = Decimal(10) ** (DECIMAL_PRECISION - DECIMAL_SCALE)
_STEP: Final = Decimal(1).scaleb(-DECIMAL_SCALE)


def fits(d: Decimal) -> bool:
    """True when ``d`` is exactly a ``decimal128(38, 6)`` value."""
    with decimal.localcontext(prec=2 * DECIMAL_PRECISION):
        return abs(d) < _LIMIT and d.quantize(_STEP) == d


def _decimals(
    values: Sequence[Decimal | None],
    type_: Any,
    column: str,
    where: Callable[[int], str] | None,
) -> Any:
    pa = require("pyarrow")
    try:
        return pa.array(values, type_)
    except (pa.ArrowInvalid, decimal.InvalidOperation) as error:
        problem = str(error)
    # Find the value at fault, and say where it is: never rounded, never cut.
    i, bad = next(
        ((i, d) for i, d in enumerate(values) if d is not None and not fits(d)), (None, problem)
    )
    place = f"{where(i)}: " if where is not None and i is not None else ""
    raise InvalidValueError(
        f"{place}{column} {bad} does not fit the exported decimal "
        f"decimal128({DECIMAL_PRECISION}, {DECIMAL_SCALE})",
        field=column,
        value=bad,
        allowed=f"at most {DECIMAL_PRECISION - DECIMAL_SCALE} digits before the point and "
        f"{DECIMAL_SCALE} after",
    )
