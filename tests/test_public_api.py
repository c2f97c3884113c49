"""The public surface is exactly what ``__all__`` lists (the idea of Hypothesis' _check_exports)."""

from __future__ import annotations

import types

import tradetruce


def test_all_lists_every_public_name_and_only_those() -> None:
    public = {
        name
        for name, value in vars(tradetruce).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert set(tradetruce.__all__) - {"__version__"} == public


def test_all_is_sorted_and_every_name_resolves() -> None:
    names = [n for n in tradetruce.__all__ if n != "__version__"]
    assert names == sorted(names, key=lambda n: (not n.isupper(), n))
    for name in tradetruce.__all__:
        assert getattr(tradetruce, name) is not None


def test_every_error_is_a_tradetruce_error() -> None:
    errors = [
        v for v in vars(tradetruce).values() if isinstance(v, type) and issubclass(v, Exception)
    ]
    assert errors
    for err in errors:
        assert issubclass(err, tradetruce.TradeTruceError), err
