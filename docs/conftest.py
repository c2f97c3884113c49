"""Run each page's doctests where a reader would: in a fresh directory holding the page's files.

A page that shows a file the reader creates (```` ```toml title="my-scenario.toml" ````) gets that
file written into a temporary directory, and its ```` ```pycon ```` examples run there.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from docs.doc_blocks import write_files

# The docs' examples must not depend on the machine's zone either (see tests/conftest.py).
os.environ["TZ"] = "Pacific/Chatham"
time.tzset()


@pytest.fixture(autouse=True)
def _page_directory(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = Path(str(request.node.path))
    if page.suffix == ".md":
        write_files(page, tmp_path)
        monkeypatch.chdir(tmp_path)
