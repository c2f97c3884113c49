"""Reading the scenario a command names, and writing JSON and file errors."""

from __future__ import annotations

import argparse
import difflib
import errno
import json
import os
from pathlib import Path
from typing import TextIO

from tradetruce.cli._words import _or
from tradetruce.errors import UsageError
from tradetruce.model.scenario import Scenario
from tradetruce.seeds import list_seeds, load_seed

# ------------------------------------------------------------------------------- plumbing
#: The subcommands, in the order the help lists them.
_COMMANDS = ("status", "timeline", "deadlines", "tariff", "changes", "validate", "export", "plot")


def _looks_like_a_path(seed: str) -> bool:
    return os.sep in seed or "/" in seed or Path(seed).suffix.lower() in {".toml", ".json"}


def _load(args: argparse.Namespace) -> Scenario:
    """The scenario SEED names: a file that exists, else a shipped scenario's name.

    A SEED that looks like a path (a folder in it, or a .toml or .json suffix) and is missing is
    a missing file (exit 1); any other word that names nothing is a usage error (exit 2).
    """
    seed: str | None = args.seed
    if seed is None or Path(seed).exists() or seed in list_seeds():
        return load_seed(Path(seed) if seed is not None and Path(seed).exists() else seed)
    if _looks_like_a_path(seed):
        raise FileNotFoundError(errno.ENOENT, "no such file", seed)
    shipped = list(list_seeds())
    if getattr(args, "implicit", False):
        close = difflib.get_close_matches(seed, [*_COMMANDS, *shipped], n=3)
        hint = f"did you mean {_or(close)}? " if close else ""
        raise UsageError(
            f"{seed!r} is not a command, a file or a shipped scenario; {hint}"
            f"commands: {', '.join(_COMMANDS)}; shipped scenarios: {', '.join(shipped)}"
        )
    close = difflib.get_close_matches(seed, shipped, n=3)
    hint = f"did you mean {_or(close)}? " if close else ""
    raise UsageError(
        f"SEED {seed!r} is neither a file nor a shipped scenario; {hint}"
        f"shipped: {', '.join(shipped)}"
    )


def _write_json(doc: object, out: TextIO) -> None:
    out.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")


def _os_text(error: OSError) -> str:
    return error.strerror or str(error)
