"""The public surface is exactly what ``__all__`` lists (the idea of Hypothesis' _check_exports),
whether a name is imported with the package or, like the serializers, on first use."""

from __future__ import annotations

import json
import subprocess
import sys
import types

import pytest

import tradetruce
from tradetruce import from_json, to_json
from tradetruce.wire import schema, serialize


def test_all_lists_every_public_name_and_only_those() -> None:
    public = {
        name
        for name in dir(tradetruce)
        if not name.startswith("_") and not isinstance(getattr(tradetruce, name), types.ModuleType)
    }
    assert set(tradetruce.__all__) - {"__version__"} == public


def test_all_is_sorted_and_every_name_resolves() -> None:
    names = [n for n in tradetruce.__all__ if n != "__version__"]
    assert names == sorted(names, key=lambda n: (not n.isupper(), n))
    for name in tradetruce.__all__:
        assert getattr(tradetruce, name) is not None


def test_a_star_import_binds_every_name_in_all() -> None:
    namespace: dict[str, object] = {}
    exec("from tradetruce import *", namespace)
    assert set(namespace) - {"__builtins__"} == set(tradetruce.__all__)


def test_the_lazily_loaded_names_are_the_objects_the_wire_package_defines() -> None:
    assert to_json is serialize.to_json
    assert tradetruce.from_json is from_json is serialize.from_json
    assert tradetruce.json_schema is schema.json_schema
    assert tradetruce.FORMAT == serialize.FORMAT
    rate = tradetruce.Rate.percent("7.5")
    text: str = tradetruce.to_json(rate, indent=None)  # typed for mypy, not as `object`
    assert tradetruce.from_json(text, tradetruce.Rate) == rate


def test_dir_lists_the_lazily_loaded_names_before_they_are_loaded() -> None:
    code = (
        "import json, sys, tradetruce\n"
        "names = dir(tradetruce)\n"
        "print(json.dumps([names, 'tradetruce.wire.serialize' in sys.modules]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    names, loaded = json.loads(done.stdout)
    assert not loaded
    assert {"to_json", "from_toml", "json_schema", "Limits", "FORMAT"} <= set(names)
    assert names == sorted(names)


def test_an_unknown_name_is_an_attribute_error_that_names_it() -> None:
    with pytest.raises(AttributeError, match="'tradetruce' has no attribute 'to_jsn'"):
        getattr(tradetruce, "to_jsn")  # noqa: B009 (the name is wrong on purpose)
    assert not hasattr(tradetruce, "from_yaml")


def test_every_error_is_a_tradetruce_error() -> None:
    errors = [
        v for v in vars(tradetruce).values() if isinstance(v, type) and issubclass(v, Exception)
    ]
    assert errors
    for err in errors:
        assert issubclass(err, tradetruce.TradeTruceError), err
