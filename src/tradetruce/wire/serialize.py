"""Reading and writing tradetruce documents: JSON, TOML and plain dicts, in one versioned format.

A document is a JSON object (or TOML table) whose first key is ``format = "tradetruce/2"``,
followed by the fields of one object: a whole :class:`~tradetruce.Scenario` or any single entity
or value (a :class:`~tradetruce.Measure`, a :class:`~tradetruce.Rate`...). The format is described
field by field in ``docs/format.md``; :func:`tradetruce.json_schema` generates its JSON Schema.

Reading is strict: unknown or repeated keys, missing required keys, a number where text is
expected (``1`` is not an id) or text where a number is expected, naive or zone-less times,
unknown zones, text that UTF-8 cannot write: the problems of a document are reported at once in
one :class:`~tradetruce.InvalidDataError`, each with its JSON path, what was wrong and what is
allowed. Syntax errors carry their line and column. Size and depth limits (:class:`Limits`) are
checked before the expensive work. A document of an earlier version (``tradetruce/1``) is
upgraded on read, by one explicit step per version (``tradetruce.wire._upgrade``).

>>> import tradetruce as tt
>>> rate = tt.Rate.percent("7.5")
>>> tt.to_json(rate, indent=None)
'{"format":"tradetruce/2","value":"7.5"}'
>>> tt.from_json(tt.to_json(rate), tt.Rate) == rate
True
>>> tt.from_json('{"format": "tradetruce/2", "value": 7.5}', tt.Rate)
Traceback (most recent call last):
...
tradetruce.errors.InvalidDataError: 1 problem found:
  - $.value: expected a decimal string, not a number (allowed: a decimal number written as text...)

Every reader and writer is derived from one wire plan per class (``tradetruce.wire._plan``).
A JSON document is first read by msgspec into mirror structs and built through the model's own
constructors; when that fails, the document is parsed once into dicts and read by an ordinary
cattrs converter, the only reader that writes error reports. That converter is built by
:func:`make_converter` (or applied to a converter of your own by :func:`configure_converter`);
cattrs' global converter is never touched.
"""

from __future__ import annotations

from typing import Any, Final, TypeVar

import attrs
import msgspec
import tomli_w

from tradetruce.errors import InvalidValueError
from tradetruce.wire import _convert, _decode, _encode, _report, _text, _upgrade
from tradetruce.wire._kinds import kind_of
from tradetruce.wire._plan import ANSWERS, DOCUMENT_TYPES, FORMAT, FORMATS

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

configure_converter = _convert.configure_converter
make_converter = _convert.make_converter


@attrs.frozen
class Limits:
    """Bounds on the documents :func:`tradetruce.from_json` and friends accept.

    Attributes:
        max_bytes: the largest document, in bytes (text is counted by characters, a lower
            bound), checked before parsing. Default 256 MiB: ten times a 100,000-measure scenario.
        max_depth: the deepest nesting of objects and arrays. The format itself needs 7; the
            default 32 leaves room and stops hostile documents before the parser recurses.
    """

    max_bytes: int = 256 * 1024 * 1024
    max_depth: int = 32


_CONVERTER: Final = make_converter()
_DEFAULT_LIMITS: Final = Limits()
_DOCUMENTS: Final = "a " + ", ".join(t.__name__ for t in DOCUMENT_TYPES)
_ANSWERS: Final = ", ".join(t.__name__ for t in ANSWERS)


# ----------------------------------------------------------------------------------- writing
def to_dict(obj: object) -> dict[str, Any]:
    """The document for ``obj`` as plain dicts, lists and strings, ``format`` key first.

    >>> import tradetruce as tt
    >>> to_dict(tt.Link(tt.LinkKind.SUSPENDS, "us-100pct"))
    {'format': 'tradetruce/2', 'kind': 'suspends', 'measure': 'us-100pct'}

    Raises:
        InvalidValueError: ``obj`` has no document form, or holds a value no document can hold
            (text that UTF-8 cannot write, a number out of range).
    """
    # The JSON writer's text, read back: the dicts are by definition what it writes.
    result: dict[str, Any] = msgspec.json.decode(_encode.encode(obj, _document_type_of(obj)))
    return result


def to_json(obj: object, *, indent: int | None = 2) -> str:
    """The JSON document for ``obj`` (``indent=None`` for one compact line).

    Raises:
        InvalidValueError: as :func:`to_dict`.
    """
    raw = _encode.encode(obj, _document_type_of(obj))
    if indent is not None:
        raw = msgspec.json.format(raw, indent=indent)
    return raw.decode("utf-8")


def to_toml(obj: object) -> str:
    """The TOML document for ``obj``.

    Raises:
        InvalidValueError: as :func:`to_dict`, and for an answer (a View, a TariffStack...),
            whose open ends are JSON nulls, which TOML has no way to write.
    """
    cls = _document_type_of(obj)
    if cls in ANSWERS:
        raise InvalidValueError(
            f"a {cls.__name__} is an answer, written as JSON only: its open ends are nulls, "
            "which TOML has no way to write",
            field="obj",
            value=obj,
            allowed=f"{_DOCUMENTS}; write answers with to_json or to_dict",
        )
    return tomli_w.dumps(to_dict(obj))


def _document_type_of(obj: object) -> type:
    """The document class ``obj`` is written as (a subclass is written as its base)."""
    for klass in type(obj).__mro__:
        if klass in DOCUMENT_TYPES or klass in ANSWERS:
            return klass
    raise InvalidValueError(
        f"a {type(obj).__name__} is not a tradetruce object that has a document form",
        field="obj",
        value=obj,
        allowed=f"{_DOCUMENTS}, or an answer ({_ANSWERS}) (When and HSCode are written as "
        "text inside documents: use str() and parse())",
    )


# ----------------------------------------------------------------------------------- reading
def from_dict(data: object, cls: type[T], *, limits: Limits | None = None) -> T:
    """Build a ``cls`` from a document held in dicts and lists (as ``json.load`` gives them).

    Raises:
        InvalidDataError: listing the problems, each with its JSON path.
    """
    _check_document_type(cls)
    return _read(data, cls, limits or _DEFAULT_LIMITS)


def from_json(
    text: str | bytes | bytearray | memoryview, cls: type[T], *, limits: Limits | None = None
) -> T:
    """Read a JSON document into a ``cls`` (see :func:`from_dict`).

    >>> import tradetruce as tt
    >>> from_json('{"format": "tradetruce/2", "value": "25"', tt.Rate)
    Traceback (most recent call last):
    ...
    tradetruce.errors.InvalidDataError: 1 problem found:
      - $ (line 1, column 41): JSON syntax error: Expecting ',' delimiter
    """
    _check_document_type(cls)
    lim = limits or _DEFAULT_LIMITS
    raw, source = _text.document(text, lim.max_bytes, "JSON")
    data = None
    if lim.max_depth >= _decode.depth_of(cls):  # the mirrors nest no deeper than the format
        wire = _decode.read(raw, cls)
        if wire is not _decode.FAILED:
            if not _decode.canonical(wire, raw):
                # Perhaps a repeated key, which msgspec would have read as its last value.
                data = _text.parse_json(source, lim.max_depth)
            result: T = _decode.build(wire, cls)
            if result is not _decode.FAILED:
                return result
    if data is None:
        data = _text.parse_json(source, lim.max_depth)
    return _read(data, cls, lim)


def from_toml(
    text: str | bytes | bytearray | memoryview, cls: type[T], *, limits: Limits | None = None
) -> T:
    """Read a TOML document into a ``cls`` (see :func:`from_dict`)."""
    _check_document_type(cls)
    lim = limits or _DEFAULT_LIMITS
    _, source = _text.document(text, lim.max_bytes, "TOML")
    return _read(_text.parse_toml(source, lim.max_depth), cls, lim)


# ---------------------------------------------------------------------------------- helpers
def _check_document_type(cls: object) -> None:
    if cls in ANSWERS:
        raise InvalidValueError(
            f"a {cls.__name__} is an answer: the writers write it (to_json, to_dict), and no "
            "reader reads it back; ask the scenario again instead",
            field="cls",
            value=cls,
            allowed=f"{_DOCUMENTS} (When and HSCode are written as text inside documents: "
            "use str() and parse())",
        )
    if cls not in DOCUMENT_TYPES:
        raise InvalidValueError(
            f"{cls!r} is not a tradetruce type that has a document form",
            field="cls",
            value=cls,
            allowed=f"{_DOCUMENTS} (When and HSCode are written as text inside documents: "
            "use str() and parse())",
        )


def _read(data: object, cls: type[T], limits: Limits) -> T:
    """The general path: the document checked whole, then read by the cattrs converter."""
    if _text.depth(data, limits.max_depth) > limits.max_depth:
        raise _text.too_deep(limits.max_depth)
    if not isinstance(data, dict):
        raise _text.error("$", f"a document is an object, not {kind_of(data)}", _format_rule())
    if "format" not in data:
        raise _text.error("$.format", "the document has no format key", _format_rule())
    version = data["format"]
    if type(version) is not str or version not in FORMATS:
        raise _text.error(
            "$.format", f"unsupported format {version!r}", ", ".join(sorted(map(repr, FORMATS)))
        )
    body = _upgrade.upgrade({k: v for k, v in data.items() if k != "format"}, cls, version)
    with _report.budget():
        try:
            result: T = _CONVERTER.structure(body, cls)
        except Exception as exc:  # every failure becomes the report; nothing else escapes
            raise _report.report(exc, cls) from None
    return result


def _format_rule() -> str:
    return f'an object whose first key is "format": "{FORMAT}"'
