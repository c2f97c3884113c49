"""Past one machine: the rate panel's Parquet dataset, read and aggregated by Apache Spark.

The script is the one the analysts' how-to shows; it runs in a fresh process (Spark starts a
Java virtual machine), bound to the loopback interface, so the test talks to nothing but this
machine. It skips, saying why, where Java or pyspark is missing; .ci/run installs both. A
DuckDB query over the same files checks the figures without Spark.
"""

from __future__ import annotations

import importlib.util
import itertools
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import tradetruce as tt
from tradetruce.export import rate_panel, write_panel_dataset
from tradetruce.export.extras import require

DOCS = Path(__file__).resolve().parents[1] / "docs"
PAGE = DOCS / "how-to" / "analysts-tables.md"

_MISSING = [
    what
    for what, there in (
        ("a Java runtime (java on PATH)", shutil.which("java") is not None),
        ("pyspark", importlib.util.find_spec("pyspark") is not None),
    )
    if not there
]
needs_spark = pytest.mark.skipif(
    bool(_MISSING), reason=f"Spark needs {' and '.join(_MISSING)}: pip install pyspark"
)


def _blocks() -> list[Any]:
    """The page's code blocks, read by the docs' own reader."""
    spec = importlib.util.spec_from_file_location("_docs_doc_blocks", DOCS / "doc_blocks.py")
    assert spec is not None and spec.loader is not None
    doc_blocks = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = doc_blocks
    spec.loader.exec_module(doc_blocks)
    found: list[Any] = doc_blocks.blocks(PAGE)
    return found


@needs_spark
def test_spark_reads_the_panel_dataset_and_prints_what_the_page_shows(tmp_path: Path) -> None:
    blocks = _blocks()
    files = {b.title: b.text for b in blocks if b.title}
    (tmp_path / "tariffs.toml").write_text(files["tariffs.toml"], "utf-8")
    (tmp_path / "spark_panel.py").write_text(files["spark_panel.py"], "utf-8")
    shown = next(b.text for a, b in itertools.pairwise(blocks) if a.title == "spark_panel.py")
    scenario = tt.load_seed(tmp_path / "tariffs.toml")
    panel = rate_panel(
        scenario,
        importers="northland",
        origins=["southland", "eastland"],
        products=["7208", "8541", "0901"],
        start="2025-01-01[Europe/Oslo]",
        end="2026-01-01[Europe/Oslo]",
    )
    write_panel_dataset(panel, tmp_path / "panel")
    env = {**os.environ, "SPARK_LOCAL_IP": "127.0.0.1", "PYTHONWARNINGS": "ignore"}
    done = subprocess.run(
        [sys.executable, "spark_panel.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.splitlines() == shown.splitlines(), done.stdout


def test_spark_and_duckdb_agree_on_the_dataset(tmp_path: Path) -> None:
    """The same aggregation by DuckDB over the same files gives the page's figures (this one
    runs without Spark)."""
    duckdb = require("duckdb")
    blocks = _blocks()
    files = {b.title: b.text for b in blocks if b.title}
    (tmp_path / "tariffs.toml").write_text(files["tariffs.toml"], "utf-8")
    panel = rate_panel(
        tt.load_seed(tmp_path / "tariffs.toml"),
        importers="northland",
        origins=["southland", "eastland"],
        products=["7208", "8541", "0901"],
        start="2025-01-01[Europe/Oslo]",
        end="2026-01-01[Europe/Oslo]",
    )
    write_panel_dataset(panel, tmp_path / "panel")
    rows = duckdb.sql(
        f"""
        SELECT importer, year, origin, legal_basis, count(DISTINCT product),
               round(sum(low * (epoch_us(valid_to) - epoch_us(valid_from)))
                     / sum(epoch_us(valid_to) - epoch_us(valid_from)), 2),
               max(high)
        FROM read_parquet('{tmp_path}/panel/**/*.parquet', hive_partitioning = true)
        WHERE measure IS NOT NULL GROUP BY ALL ORDER BY ALL
        """
    ).fetchall()
    assert [(r[2], r[3], r[4], float(r[5])) for r in rows] == [
        ("eastland", "Safeguard Act s.4", 1, 24.93),
        ("southland", "Anti-dumping order AD-7", 1, 35.5),
        ("southland", "Emergency Powers Act", 3, 15.05),
        ("southland", "Safeguard Act s.4", 1, 24.93),
    ]
