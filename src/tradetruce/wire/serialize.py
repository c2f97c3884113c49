"""Reading and writing tradetruce documents: JSON, TOML and plain dicts, in one versioned format.

A document is a JSON object (or TOML table) whose first key is ``format = "tradetruce/1"``,
followed by the fields of one object: a whole :class:`~tradetruce.Scenario` or any single entity
or value (a :class:`~tradetruce.Measure`, a :class:`~tradetruce.Rate`...). The format is described
field by field in ``docs/format.md``; :func:`tradetruce.json_schema` generates its JSON Schema.

Reading is strict: unknown keys, missing required keys, a number where text is expected (``1`` is
not an id) or text where a number is expected, naive or zone-less times, unknown zones: every
problem in a document is reported at once in one :class:`~tradetruce.InvalidDataError`, each with
its JSON path, what was wrong and what is allowed. Syntax errors carry their line and column.

>>> import tradetruce as tt
>>> rate = tt.Rate.percent("7.5")
>>> tt.to_json(rate, indent=None)
'{"format":"tradetruce/1","value":"7.5"}'
>>> tt.from_json(tt.to_json(rate), tt.Rate) == rate
True
>>> tt.from_json('{"format": "tradetruce/1", "value": 7.5}', tt.Rate)
Traceback (most recent call last):
...
tradetruce.errors.InvalidDataError: 1 problem found:
  - $.value: expected a decimal string, not a number (allowed: a decimal number written as text...)

The converter behind these functions is an ordinary cattrs converter, built by
:func:`make_converter` (or applied to a converter of your own by :func:`configure_converter`);
cattrs' global converter is never touched.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterator
from typing import Any, Final, TypeVar, cast

import attrs
import tomli_w
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)

from tradetruce.errors import (
    IllegalTransitionError,
    InvalidDataError,
    InvalidValueError,
    Problem,
    TradeTruceError,
)
from tradetruce.values.codes import HSCode
from tradetruce.values.when import When
from tradetruce.wire import _convert as _wire
from tradetruce.wire import _decode as _fast
from tradetruce.wire import _encode as _write
from tradetruce.wire._convert import FORMAT, FORMATS, Limits, ValueProblem, wire_name

__all__ = [
    "FORMAT",
    "Limits",
    "configure_converter",
    "from_dict",
    "from_json",
    "from_toml",
    "make_converter",
    "to_dict",
    "to_json",
    "to_toml",
]

T = TypeVar("T")

configure_converter = _wire.configure_converter
make_converter = _wire.make_converter

_CONVERTER: Final = make_converter()
#: Values written as text inside documents, never documents of their own.
_TEXT_VALUES: Final = frozenset({When, HSCode})
_DEFAULT_LIMITS: Final = Limits()


# ----------------------------------------------------------------------------------- writing
def to_dict(obj: object) -> dict[str, Any]:
    """The document for ``obj`` as plain dicts, lists and strings, ``format`` key first.

    >>> import tradetruce as tt
    >>> to_dict(tt.Link(tt.LinkKind.SUSPENDS, "us-100pct"))
    {'format': 'tradetruce/1', 'kind': 'suspends', 'measure': 'us-100pct'}
    """
    _check_document_type(type(obj))
    try:
        body = _write.unstructure(obj)  # generated writers; tests hold them to the converter
    except Exception:
        with _fast.no_gc():
            body = _CONVERTER.unstructure(obj)
    return {"format": FORMAT, **body}


def to_json(obj: object, *, indent: int | None = 2) -> str:
    """The JSON document for ``obj`` (``indent=None`` for one compact line)."""
    _check_document_type(type(obj))
    try:
        return _write.encode_json(obj, indent=indent)
    except Exception:  # e.g. text msgspec will not write (lone surrogates): the general path
        separators = (",", ":") if indent is None else None
        return json.dumps(to_dict(obj), ensure_ascii=False, indent=indent, separators=separators)


def to_toml(obj: object) -> str:
    """The TOML document for ``obj``."""
    return tomli_w.dumps(to_dict(obj))


# ----------------------------------------------------------------------------------- reading
def from_dict(data: object, cls: type[T], *, limits: Limits | None = None) -> T:
    """Build a ``cls`` from a document held in dicts and lists (as ``json.load`` gives them).

    Raises:
        InvalidDataError: listing every problem, each with its JSON path.
    """
    _check_document_type(cls)
    lim = limits or _DEFAULT_LIMITS
    depth = _depth(data, lim.max_depth)
    if depth > lim.max_depth:
        raise _error(
            "$", f"nested deeper than {lim.max_depth} levels", f"at most {lim.max_depth} levels"
        )
    return _structure_document(data, cls)


def from_json(
    text: str | bytes | bytearray | memoryview, cls: type[T], *, limits: Limits | None = None
) -> T:
    """Read a JSON document into a ``cls`` (see :func:`from_dict`).

    >>> import tradetruce as tt
    >>> from_json('{"format": "tradetruce/1", "value": "25"', tt.Rate)
    Traceback (most recent call last):
    ...
    tradetruce.errors.InvalidDataError: 1 problem found:
      - $ (line 1, column 41): JSON syntax error: Expecting ',' delimiter
    """
    _check_document_type(cls)
    lim = limits or _DEFAULT_LIMITS
    source = _text(text, lim, "JSON")
    if lim.max_depth >= _fast.depth_of(cast(Any, cls)):
        fast = _fast.decode(source, cls)
        if fast is not _fast.FAILED:
            result: T = fast
            return result
    depth = _json_depth(source)
    if depth > lim.max_depth:
        raise _error(
            "$", f"nested deeper than {lim.max_depth} levels", f"at most {lim.max_depth} levels"
        )
    try:
        data = json.loads(source, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise InvalidDataError(
            [Problem("$", f"JSON syntax error: {exc.msg}", line=exc.lineno, column=exc.colno)]
        ) from None
    except _ConstantError as exc:
        raise _error("$", f"{exc.args[0]} is not valid JSON", "finite numbers only") from None
    except (ValueError, RecursionError) as exc:
        raise _error("$", f"JSON not readable: {exc}") from None
    return _structure_document(data, cls)


def from_toml(
    text: str | bytes | bytearray | memoryview, cls: type[T], *, limits: Limits | None = None
) -> T:
    """Read a TOML document into a ``cls`` (see :func:`from_dict`)."""
    _check_document_type(cls)
    lim = limits or _DEFAULT_LIMITS
    source = _text(text, lim, "TOML")
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        line, column = _toml_position(exc)
        if line is None:  # "at end of document"
            line = source.count("\n") + 1
        message = _TOML_POSITION_RE.sub("", str(exc))
        raise InvalidDataError(
            [Problem("$", f"TOML syntax error: {message}", line=line, column=column)]
        ) from None
    except (ValueError, RecursionError) as exc:
        raise _error("$", f"TOML not readable: {type(exc).__name__}") from None
    return from_dict(data, cls, limits=lim)


# ---------------------------------------------------------------------------------- helpers
def _check_document_type(cls: type) -> None:
    if (
        not (isinstance(cls, type) and attrs.has(cls))
        or cls.__module__.split(".")[0] != "tradetruce"
        or cls in _TEXT_VALUES
    ):
        raise InvalidValueError(
            f"{cls!r} is not a tradetruce type that has a document form",
            field="cls",
            value=cls,
            allowed="a tradetruce entity or value class such as Scenario, Measure or Rate "
            "(When and HSCode are written as text inside documents: use str() and parse())",
        )


def _text(data: object, limits: Limits, what: str) -> str:
    if isinstance(data, str):
        if len(data) > limits.max_bytes:  # a character is at least one byte
            raise _too_big(len(data), limits)
        return data
    if isinstance(data, bytes | bytearray | memoryview):
        raw = bytes(data)
        if len(raw) > limits.max_bytes:
            raise _too_big(len(raw), limits)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
            raise InvalidDataError(
                [
                    Problem(
                        "$",
                        f"{what} is not valid UTF-8 (byte {exc.start})",
                        "UTF-8 text",
                        line=line,
                        column=column,
                    )
                ]
            ) from None
    raise _error("$", f"expected {what} text or bytes, not {type(data).__name__}", "str or bytes")


def _too_big(size: int, limits: Limits) -> InvalidDataError:
    return _error(
        "$",
        f"document of {size} bytes is larger than the limit of {limits.max_bytes}",
        f"at most {limits.max_bytes} bytes (raise it with Limits(max_bytes=...))",
    )


def _error(path: str, message: str, allowed: str = "") -> InvalidDataError:
    return InvalidDataError([Problem(path, message, allowed)])


class _ConstantError(ValueError):
    pass


def _refuse_constant(name: str) -> object:
    raise _ConstantError(name)


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


_JSON_STRING_RE: Final = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKET_RE: Final = re.compile(r"[^\[\]{}]+")


def _json_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in JSON text, read without parsing it."""
    brackets = _NOT_BRACKET_RE.sub("", _JSON_STRING_RE.sub("", text))
    depth = deepest = 0
    for ch in brackets:
        if ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _depth(data: object, limit: int) -> int:
    """The nesting depth of dicts and lists, stopping once past ``limit`` (cycles included)."""
    stack: list[tuple[object, int]] = [(data, 1)]
    deepest = 0
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children: Iterator[object] = iter(item.values())
        elif isinstance(item, list | tuple):
            children = iter(item)
        else:
            continue
        deepest = max(deepest, level)
        if deepest > limit:
            return deepest
        stack.extend((child, level + 1) for child in children)
    return deepest


def _structure_document(data: object, cls: type[T]) -> T:
    if not isinstance(data, dict):
        raise _error("$", f"a document is an object, not {_wire.kind_of(data)}", _format_rule())
    if "format" not in data:
        raise _error("$.format", "the document has no format key", _format_rule())
    version = data["format"]
    if type(version) is not str or version not in FORMATS:
        raise _error(
            "$.format", f"unsupported format {version!r}", ", ".join(sorted(map(repr, FORMATS)))
        )
    body = {k: v for k, v in data.items() if k != "format"}
    try:
        with _fast.no_gc():
            result: T = _CONVERTER.structure(body, cls)
    except InvalidDataError:
        raise
    except Exception as exc:  # every failure becomes a report; nothing else escapes
        problems = list(_problems(exc, "$", cls))
        raise InvalidDataError(problems or [Problem("$", str(exc))]) from None
    return result


def _format_rule() -> str:
    return f'an object whose first key is "format": "{FORMAT}"'


def _problems(exc: BaseException, path: str, cls: Any) -> Iterator[Problem]:
    """Turn a cattrs error tree into problems, keeping each error's own message."""
    if isinstance(exc, ClassValidationError):
        with_notes, others = exc.group_exceptions()
        for sub, note in with_notes:
            yield from _problems(sub, f"{path}.{wire_name(note.name)}", note.type)
        for sub in others:
            yield from _class_problems(sub, path, exc.cl)
    elif isinstance(exc, IterableValidationError):
        for sub in exc.exceptions:
            notes = [
                n for n in getattr(sub, "__notes__", []) if isinstance(n, IterableValidationNote)
            ]
            where = f"{path}[{notes[0].index}]" if notes else path
            yield from _problems(sub, where, notes[0].type if notes else None)
    elif isinstance(exc, ValueProblem):
        yield Problem(path, exc.message, exc.allowed)
    elif isinstance(exc, KeyError) and _has_attribute_note(exc):
        yield Problem(path, "required key is missing", _wire.describe_type(cls))
    elif isinstance(exc, InvalidDataError):
        for p in exc.problems:
            yield attrs.evolve(p, path=path + p.path[1:] if p.path.startswith("$") else p.path)
    elif isinstance(exc, TradeTruceError):
        yield from _class_problems(exc, path, None)
    else:
        yield Problem(path, f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)


def _has_attribute_note(exc: BaseException) -> bool:
    return any(isinstance(n, AttributeValidationNote) for n in getattr(exc, "__notes__", ()))


def _class_problems(exc: BaseException, path: str, cls: Any) -> Iterator[Problem]:
    """Problems raised by a class as a whole: unknown keys, or its own validation."""
    if isinstance(exc, ForbiddenExtraKeysError):
        known = ", ".join(_wire.wire_fields(exc.cl))
        for key in sorted(exc.extra_fields):
            yield Problem(
                f"{path}.{key}", f"unknown key {key!r}", f"the keys of {exc.cl.__name__}: {known}"
            )
    elif isinstance(exc, InvalidDataError):
        for p in exc.problems:
            yield attrs.evolve(p, path=path + p.path[1:] if p.path.startswith("$") else p.path)
    elif isinstance(exc, IllegalTransitionError):
        m = _HISTORY_INDEX_RE.search(exc.reason)
        where = f"{path}.history[{m.group(1)}].to" if m else path
        yield Problem(where, str(exc), "", exc.entity)
    elif isinstance(exc, InvalidValueError):
        message = str(exc.args[0]) if exc.args else str(exc)
        yield Problem(_field_path(path, exc.field, cls), message, exc.allowed)
    elif isinstance(exc, ValueProblem):
        yield Problem(path, exc.message, exc.allowed)
    else:
        yield from _problems(exc, path, cls)


_HISTORY_INDEX_RE: Final = re.compile(r"^history\[(\d+)\]")
_FIELD_HEAD_RE: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _field_path(path: str, field: str, cls: Any) -> str:
    """``path`` extended by the field an error names, when it is one of the class's fields."""
    if not field or cls is None or not attrs.has(cls):
        return path
    m = _FIELD_HEAD_RE.match(field)
    if m is None or m.group(0) not in attrs.fields_dict(cls):
        return path
    return f"{path}.{wire_name(m.group(0))}{field[m.end() :]}"
