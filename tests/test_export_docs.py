"""The analysts' docs tell the truth: the tables reference is generated from the schemas, and the
pictures the pages show can still be drawn."""

from __future__ import annotations

import importlib.util
import re
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


def _pictures_shown() -> set[str]:
    shown: set[str] = set()
    for page in DOCS.rglob("*.md"):
        shown |= set(re.findall(r"\(\.\./images/export/([\w.-]+)\)", page.read_text("utf-8")))
    return shown


def test_the_pictures_can_still_be_drawn_and_are_the_ones_the_pages_show(tmp_path: Path) -> None:
    drawn = {p.name for p in gen_export.draw_images(tmp_path)}
    shown = _pictures_shown()
    committed = {p.name for p in gen_export.IMAGES.iterdir()}
    assert drawn == shown == committed
    for name in drawn:
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name


def test_the_pictures_stay_small() -> None:
    for picture in gen_export.IMAGES.iterdir():
        assert picture.stat().st_size < 100_000, picture.name
