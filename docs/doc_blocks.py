"""Read the fenced code blocks of a docs page, so that every example can be run as a test.

How the examples on a page are run:

* ```` ```pycon ```` blocks are doctests (pytest's ``--doctest-glob=*.md``), one namespace per
  page, in a temporary directory holding the page's files (see ``docs/conftest.py``);
* a block with a ``title="name"`` (```` ```toml title="my-scenario.toml" ````) is a file the
  reader creates: it is written into that directory before the page's examples run;
* ```` ```console ```` blocks are shell sessions: each ``$ tradetruce ...`` line is run in that
  directory and its output compared with the lines under it (``...`` matches anything);
* ```` ```python ```` blocks run in order, in one namespace per page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_FENCE = re.compile(r"^(?P<indent> *)(?P<fence>```+|~~~+)(?P<info>[^\n`]*)$")
_TITLE = re.compile(r"""title=["']([^"']+)["']""")


@dataclass(frozen=True)
class Block:
    """One fenced code block of a page."""

    page: Path
    line: int  # 1-based line of the opening fence
    lang: str
    title: str | None
    text: str

    @property
    def where(self) -> str:
        return f"{self.page.name}:{self.line}"


def blocks(page: Path) -> list[Block]:
    """Every fenced block of ``page``, in order."""
    found: list[Block] = []
    lines = page.read_text("utf-8").splitlines()
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if m is None:
            i += 1
            continue
        indent, fence, info = len(m["indent"]), m["fence"], m["info"].strip()
        body: list[str] = []
        j = i + 1
        while j < len(lines) and lines[j].strip() != fence:
            line = lines[j]
            # Inside a list item the fence is indented: remove that much, and no more.
            body.append(line[indent:] if not line[:indent].strip() else line.lstrip())
            j += 1
        lang = info.split()[0] if info else ""
        title = _TITLE.search(info)
        found.append(Block(page, i + 1, lang, title[1] if title else None, "\n".join(body) + "\n"))
        i = j + 1
    return found


def files(page: Path) -> dict[str, str]:
    """The files a reader of ``page`` creates: name -> text, from blocks with a title."""
    return {b.title: b.text for b in blocks(page) if b.title is not None}


def write_files(page: Path, directory: Path) -> None:
    """Write the page's files into ``directory``."""
    for name, text in files(page).items():
        target = directory / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8")


@dataclass(frozen=True)
class Command:
    """One ``$ command`` of a console block and the output the page shows for it."""

    block: Block
    command: str
    output: str


def commands(block: Block) -> list[Command]:
    """The commands of a console block, each with the output shown under it."""
    found: list[Command] = []
    current: str | None = None
    output: list[str] = []
    for line in block.text.splitlines():
        if line.startswith("$ "):
            if current is not None:
                found.append(Command(block, current, "\n".join(output)))
            current, output = line[2:].strip(), []
        elif current is not None:
            output.append(line)
    if current is not None:
        found.append(Command(block, current, "\n".join(output)))
    return found
