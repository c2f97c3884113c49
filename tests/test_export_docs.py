"""The analysts' docs tell the truth: the tables reference is generated from the schemas, and the
pictures the pages show can still be drawn."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from tradetruce.export.schema import TABLES

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"_docs_{name}", DOCS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


gen_export = _load("gen_export")


def test_the_tables_reference_is_current() -> None:
    assert not gen_export.stale(), "run `python docs/gen_export.py`"


def test_the_tables_reference_has_a_section_per_table() -> None:
    page = gen_export.TABLES_PAGE.read_text("utf-8")
    for name in TABLES:
        assert f"\n## `{name}`\n" in page, name
