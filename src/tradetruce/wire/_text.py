"""Document text: its limits, checked before the expensive work, and its general parsers.

The general path parses a document once, into dicts and lists: JSON with the standard library
(which refuses ``NaN`` here and lets this module find repeated keys), TOML with ``tomllib``
(which refuses repeated keys itself), after a linear scan for dotted keys deeper than the limit
(``tomllib`` spends memory quadratic in a dotted key's length). The depth of the parsed objects
is then measured iteratively, stopping as soon as it passes the limit.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterator
from typing import Any, Final

from tradetruce.errors import InvalidDataError, Problem

__all__ = ["depth", "document", "parse_json", "parse_toml", "too_deep"]


def error(path: str, message: str, allowed: str = "", **where: Any) -> InvalidDataError:
    return InvalidDataError([Problem(path, message, allowed, **where)])


def too_deep(limit: int, **where: Any) -> InvalidDataError:
    return error("$", f"nested deeper than {limit} levels", f"at most {limit} levels", **where)


def _too_deep_to_parse(limit: int) -> InvalidDataError:
    # The parser recursed too deep (about a thousand levels), whatever the limit was.
    return error("$", "nested too deeply to parse", f"at most {limit} levels")


def _position(text: str, index: int) -> dict[str, int]:
    """The 1-based line and column of ``text[index]``."""
    return {"line": text.count("\n", 0, index) + 1, "column": index - text.rfind("\n", 0, index)}


def document(data: object, max_bytes: int, what: str) -> tuple[bytes, str]:
    """The document's bytes and text, once its size and encoding are known to be right."""
    if isinstance(data, str):
        if len(data) > max_bytes:  # a character is at least one byte
            raise _too_big(len(data), max_bytes)
        try:
            return data.encode("utf-8"), data
        except UnicodeEncodeError as exc:
            code = ord(data[exc.start])
            raise error(
                "$",
                f"{what} text holds a lone surrogate (U+{code:04X}), which UTF-8 cannot write",
                "text that UTF-8 can write",
                **_position(data, exc.start),
            ) from None
    if isinstance(data, bytes | bytearray | memoryview):
        raw = bytes(data)
        if len(raw) > max_bytes:
            raise _too_big(len(raw), max_bytes)
        try:
            return raw, raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
            raise error(
                "$",
                f"{what} is not valid UTF-8 (byte {exc.start})",
                "UTF-8 text",
                line=line,
                column=column,
            ) from None
    raise error("$", f"expected {what} text or bytes, not {type(data).__name__}", "str or bytes")


def _too_big(size: int, max_bytes: int) -> InvalidDataError:
    return error(
        "$",
        f"document of {size} bytes is larger than the limit of {max_bytes}",
        f"at most {max_bytes} bytes (raise it with Limits(max_bytes=...))",
    )


# ------------------------------------------------------------------------------------- JSON
class _ConstantError(ValueError):
    pass


def _refuse_constant(name: str) -> object:
    raise _ConstantError(name)


def parse_json(text: str, max_depth: int) -> Any:
    """The JSON document as dicts and lists; repeated keys, ``NaN`` and syntax errors refused."""
    repeated: dict[int, list[str]] = {}  # id of an object -> its repeated keys

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(items)
        if len(obj) != len(items):
            seen: set[str] = set()
            repeated[id(obj)] = [k for k, _ in items if k in seen or seen.add(k)]  # type: ignore[func-returns-value]
        return obj

    try:
        data = json.loads(text, object_pairs_hook=pairs, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise error(
            "$", f"JSON syntax error: {exc.msg}", line=exc.lineno, column=exc.colno
        ) from None
    except _ConstantError as exc:
        raise error("$", f"{exc.args[0]} is not valid JSON", "finite numbers only") from None
    except RecursionError:
        raise _too_deep_to_parse(max_depth) from None
    except ValueError as exc:  # a number of more digits than Python converts
        raise error("$", f"JSON not readable: {exc}") from None
    if repeated:
        raise InvalidDataError(_repeated_keys(data, repeated))
    return data


def _repeated_keys(data: Any, repeated: dict[int, list[str]]) -> Iterator[Problem]:
    """A problem at each repeated key, in document order."""
    stack: list[tuple[Any, str]] = [(data, "$")]
    while stack:
        item, path = stack.pop()
        if isinstance(item, dict):
            for key in repeated.get(id(item), ()):
                yield Problem(f"{path}.{key}", f"key {key!r} is repeated", "each key once")
            stack.extend((v, f"{path}.{k}") for k, v in reversed(item.items()))
        elif isinstance(item, list):
            stack.extend((v, f"{path}[{i}]") for i, v in reversed(list(enumerate(item))))


# ------------------------------------------------------------------------------------- TOML
# A key of TOML: bare, "basic" or 'literal' (none spans lines).
_TOML_KEY: Final = r"""(?:[A-Za-z0-9_-]++|"(?:[^"\\\n]++|\\.)*+"|'[^'\n]*+')"""
#: Where a key starts: a line, a table header, an inline table, the next pair of one.
_TOML_KEY_START: Final = r"(?:^|[\[{,])[ \t]*+"


def parse_toml(text: str, max_depth: int) -> Any:
    """The TOML document as dicts and lists, once no dotted key is deeper than ``max_depth``."""
    deep = re.search(
        f"{_TOML_KEY_START}{_TOML_KEY}(?:[ \\t]*+\\.[ \\t]*+{_TOML_KEY}){{{max_depth},}}",
        text,
        re.MULTILINE,
    )
    if deep is not None:
        raise too_deep(max_depth, **_position(text, deep.start()))
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, column = _toml_position(exc)
        if line is None:  # "at end of document"
            line = text.count("\n") + 1
        message = _TOML_POSITION_RE.sub("", str(exc))
        raise error("$", f"TOML syntax error: {message}", line=line, column=column) from None
    except RecursionError:
        raise _too_deep_to_parse(max_depth) from None
    except ValueError as exc:
        raise error("$", f"TOML not readable: {type(exc).__name__}") from None


_TOML_POSITION_RE: Final = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)")


def _toml_position(exc: tomllib.TOMLDecodeError) -> tuple[int | None, int | None]:
    line = getattr(exc, "lineno", None)
    column = getattr(exc, "colno", None)
    if isinstance(line, int) and isinstance(column, int):
        return line, column
    m = _TOML_POSITION_RE.search(str(exc))
    if m is None or m.group(1) is None:
        return None, None
    return int(m.group(1)), int(m.group(2))


# ------------------------------------------------------------------------------------ depth
def depth(data: object, limit: int) -> int:
    """The nesting depth of dicts and lists, stopping once past ``limit`` (cycles included)."""
    stack: list[tuple[object, int]] = [(data, 1)]
    deepest = 0
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list | tuple):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        if deepest > limit:
            return deepest
        stack.extend((child, level + 1) for child in children)
    return deepest
