"""Shipped scenarios: find them, load them, and say exactly where a broken one is broken.

The scenario files live in the repository's ``seeds/`` folder, the one place they are edited. A
wheel carries that folder as the package data ``tradetruce/_seeds``; a source checkout (or an
editable install) reads ``seeds/`` directly.

A scenario file of your own may be TOML or JSON (as ``tradetruce export --format json`` writes
it): a file whose name ends in ``.json``, or whose text starts with ``{``, is read as JSON (no
TOML document can start with ``{``); any other file as TOML. Either way every problem names the
file, and the line and column where it can be found.

>>> "us-china-2025-10-26" in list_seeds()
True
>>> load_seed().measure("us-100pct-tariff").terms.describe()
'100% from 2025-11-01[America/New_York]'
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Final

import attrs

from tradetruce.errors import InvalidDataError, InvalidValueError, Problem
from tradetruce.model.scenario import Scenario

__all__ = ["DEFAULT_SEED", "list_seeds", "load_seed", "locate", "seed_path"]

#: The name of the scenario :func:`load_seed` loads when given nothing.
DEFAULT_SEED: Final = "us-china-2025-10-26"
_SUFFIX: Final = ".toml"


def _seed_dirs() -> Iterator[Traversable]:
    # The packaged copy first (a wheel install); then the repository's seeds/ (a checkout).
    packaged = resources.files("tradetruce").joinpath("_seeds")
    if packaged.is_dir():
        yield packaged
    checkout = Path(__file__).resolve().parents[2] / "seeds"
    if checkout.is_dir():
        yield checkout


def _seed_files() -> dict[str, Traversable]:
    found: dict[str, Traversable] = {}
    for folder in _seed_dirs():
        for item in folder.iterdir():
            if item.name.endswith(_SUFFIX) and item.is_file():
                found.setdefault(item.name[: -len(_SUFFIX)], item)
    return found


def list_seeds() -> tuple[str, ...]:
    """The names of the shipped scenarios, the default first, then alphabetically.

    >>> list_seeds()[0]
    'us-china-2025-10-26'
    """
    names = sorted(_seed_files())
    return tuple(sorted(names, key=lambda n: n != DEFAULT_SEED))


def seed_path(name: str) -> Traversable:
    """The file of the shipped scenario called ``name`` (see :func:`list_seeds`)."""
    files = _seed_files()
    if name not in files:
        raise InvalidValueError(
            f"no shipped scenario named {name!r}",
            field="seed",
            value=name,
            allowed=", ".join(list_seeds()) or "(none shipped)",
        )
    return files[name]


def load_seed(path: str | os.PathLike[str] | None = None) -> Scenario:
    """Load a scenario file, fully validated.

    Args:
        path: a TOML or JSON scenario file, or the name of a shipped scenario
            (:func:`list_seeds`); ``None`` loads the default, the October 2025 US-China truce.

    Raises:
        InvalidDataError: listing every problem at once, each with the file, its line where it
            can be found, the entity id, the field path and what is allowed.
        InvalidValueError: ``path`` is neither a file nor a shipped scenario's name.
        OSError: the file exists but cannot be read.
    """
    if path is None:
        source: Traversable = seed_path(DEFAULT_SEED)
        label = f"{DEFAULT_SEED}{_SUFFIX}"
    else:
        file = Path(path)
        if not file.exists() and isinstance(path, str) and path in _seed_files():
            source, label = seed_path(path), f"{path}{_SUFFIX}"
        elif not file.exists():
            raise InvalidValueError(
                f"no file {str(path)!r}, and no shipped scenario of that name",
                field="path",
                value=str(path),
                allowed="a path to a TOML or JSON scenario file, or one of: "
                + ", ".join(list_seeds()),
            )
        else:
            source, label = file, str(path)
    return loads(source.read_bytes(), file=label)


def loads(data: bytes | str, *, file: str = "") -> Scenario:
    """Read a scenario from TOML or JSON text; errors name ``file`` and, where possible, lines.

    The text is JSON when ``file`` ends in ``.json`` or the text starts with ``{``, else TOML.

    >>> loads('{"format": "tradetruce/2", "title": 7}', file="mine.json")
    Traceback (most recent call last):
    ...
    tradetruce.errors.InvalidDataError: mine.json: 1 problem found:
      - $.title (line 1, column 28): expected text, not a number...
    """
    from tradetruce.wire.serialize import from_json, from_toml

    is_json = _is_json(data, file)
    try:
        result: Scenario = (from_json if is_json else from_toml)(data, Scenario)
    except InvalidDataError as error:
        text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
        raise _located(error, text, file, is_json=is_json) from None
    return result


def _is_json(data: bytes | str, file: str) -> bool:
    if file.lower().endswith(".json"):
        return True
    head = data[:256]
    start = head.decode("utf-8", "replace") if isinstance(head, bytes) else head
    return start.lstrip("\ufeff \t\r\n").startswith("{")


# ----------------------------------------------------------------------------- error locations
_PATH_PART: Final = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")
_HEADER: Final = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\s\"-]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY: Final = re.compile(r"^\s*([A-Za-z0-9_\"-][A-Za-z0-9_.\"\s-]*?)\s*=")


def _path_parts(path: str) -> list[str | int]:
    """``$.measures[3].history[1].at`` -> ``["measures", 3, "history", 1, "at"]``."""
    parts: list[str | int] = []
    for name, index in _PATH_PART.findall(path.removeprefix("$")):
        parts.append(int(index) if index else name)
    # ``from_`` is written ``from`` in files.
    return ["from" if p == "from_" else p for p in parts]


def _resolve(current: list[str | int], names: list[str]) -> list[str | int]:
    """The full path of a dotted table name, taking array indexes from the current table."""
    result: list[str | int] = []
    i = 0
    for name in names:
        result.append(name)
        if i < len(current) and current[i] == name:
            i += 1
            if i < len(current) and isinstance(current[i], int):
                result.append(current[i])
                i += 1
        else:
            i = len(current)
    return result


def locate(text: str, path: str) -> int | None:
    """The 1-based line of ``text`` (a TOML document) that holds the JSON path ``path``.

    The innermost table or key on the way to ``path`` is found: a problem with
    ``$.measures[1].history[0].at`` points at that entry's ``at =`` line, and a problem with a
    missing key points at the header of the table that lacks it.

    >>> locate('[[measures]]\\nid = "a"\\n[[measures]]\\nid = "b"\\n', "$.measures[1].id")
    4
    """
    want = _path_parts(path)
    table: list[str | int] = []
    counts: dict[tuple[str | int, ...], int] = {}
    best: tuple[int, int | None] = (-1, None)
    in_string = False
    for number, line in enumerate(text.splitlines(), 1):
        if in_string:
            in_string = line.count('"""') % 2 == 0
            continue
        here: list[str | int] | None = None
        header = _HEADER.match(line)
        key = _KEY.match(line)
        if header:
            names = [n.strip().strip('"') for n in header.group(2).split(".")]
            parent = _resolve(table, names[:-1])
            if header.group(1) == "[[":
                slot = (*parent, names[-1])
                counts[slot] = counts.get(slot, -1) + 1
                table = [*parent, names[-1], counts[slot]]
            else:
                table = [*parent, names[-1]]
            here = table
        elif key:
            here = [*table, *(k.strip().strip('"') for k in key.group(1).split("."))]
            in_string = line.count('"""') % 2 == 1
        if here is not None and here == want[: len(here)] and len(here) > best[0]:
            best = (len(here), number)
    return best[1]


_JSON_TOKEN: Final = re.compile(r'"(?:[^"\\\n]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+')


def _locate_json(text: str, path: str) -> tuple[int, int] | None:
    """The 1-based line and column of ``text`` (a JSON document) that hold ``path``.

    As :func:`locate` for TOML: the innermost key or array item on the way to ``path`` is found,
    so a missing key points at the object that lacks it.

    >>> _locate_json('{"measures": [\\n  {"id": "a"},\\n  {"id": 7}\\n]}', "$.measures[1].id")
    (3, 4)
    """
    want = _path_parts(path)
    # One frame per open object or array: [is_object, current key or index, expecting a key].
    stack: list[list[Any]] = []
    best: tuple[int, tuple[int, int] | None] = (-1, None)
    line, line_start, last = 1, 0, 0
    for match in _JSON_TOKEN.finditer(text):
        token, at = match.group(), match.start()
        newlines = text.count("\n", last, at)
        if newlines:
            line += newlines
            line_start = text.rindex("\n", last, at) + 1
        last = at
        top = stack[-1] if stack else None
        here: list[Any] | None = None
        if top is not None and top[0] and top[2] and token.startswith('"'):
            try:
                top[1] = json.loads(token)
            except ValueError:
                return best[1]
            top[2] = False
            here = [frame[1] for frame in stack]
        elif token == ",":
            if top is not None and top[0]:
                top[2] = True
            elif top is not None:
                top[1] += 1
        elif token in "}]":
            if stack:
                stack.pop()
        elif token != ":":
            if top is not None and not top[0]:
                here = [frame[1] for frame in stack]
            if token in "{[":
                stack.append([token == "{", 0, token == "{"])
        if here is not None and here == want[: len(here)] and len(here) > best[0]:
            best = (len(here), (line, at - line_start + 1))
    return best[1]


def _entity_id(data: dict[str, Any] | None, path: list[str | int]) -> str:
    if data is None or len(path) < 2 or not isinstance(path[1], int):
        return ""
    group = data.get(str(path[0]))
    if isinstance(group, list) and path[1] < len(group) and isinstance(group[path[1]], dict):
        found = group[path[1]].get("id")
        return found if isinstance(found, str) else ""
    return ""


def _located(
    error: InvalidDataError, text: str, file: str, *, is_json: bool = False
) -> InvalidDataError:
    import tomllib

    data: dict[str, Any] | None
    try:
        parsed = json.loads(text) if is_json else tomllib.loads(text)
    except (ValueError, RecursionError):  # JSONDecodeError and TOMLDecodeError are ValueErrors
        parsed = None
    data = parsed if isinstance(parsed, dict) else None
    problems: list[Problem] = []
    for p in error.problems:
        changes: dict[str, Any] = {}
        if p.line is None and is_json:
            found = _locate_json(text, p.path)
            if found is not None:
                changes["line"], changes["column"] = found
        elif p.line is None:
            changes["line"] = locate(text, p.path)
        if not p.entity:
            changes["entity"] = _entity_id(data, _path_parts(p.path))
        problems.append(attrs.evolve(p, **changes))
    return InvalidDataError(problems, file=file or error.file)
