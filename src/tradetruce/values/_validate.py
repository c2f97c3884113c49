"""attrs validators raising :class:`InvalidValueError` with the field and what is allowed.

Each runs in time linear in its input, keeps nothing between calls, and says what it refuses
without writing the whole value into the message (:func:`shown`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from enum import Enum
from typing import Any, Final

import attrs

from tradetruce.errors import InvalidValueError

ID_RULE: Final = (
    "an id of lowercase letters, digits, '.', '_' and '-', starting and ending with a letter or "
    "digit, at most 128 characters (e.g. us-100pct)"
)
_ID_RE: Final = re.compile(r"[a-z0-9](?:[a-z0-9._-]{0,126}[a-z0-9])?")
#: Characters no text field holds: control characters other than tab and newline, and
#: surrogate code points, which UTF-8 cannot encode (a document holding one could not be saved).
#: The one rule for decimals written as text, in the wire format and in the API: ASCII digits,
#: an optional sign, fraction and exponent; no spaces, underscores or other scripts' digits,
#: which ``Decimal(text)`` would take.
DECIMAL_RE: Final = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_REFUSED_CHAR: Final = re.compile(r"[\x00-\x08\x0b-\x1f\ud800-\udfff]")
TEXT_RULE: Final = "printable text, newlines and tabs"
UTF8_RULE: Final = "text that UTF-8 can encode: no surrogate code points (U+D800 to U+DFFF)"
#: The largest whole number a field may hold (a signed 32-bit integer): ample for a round
#: number, and within what every writer and reader of the wire format handles exactly.
MAX_WHOLE_NUMBER: Final = 2**31 - 1

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]

_SHOWN_CHARS: Final = 100


def shown(value: object) -> str:
    """``repr(value)`` for an error message: at most a few dozen characters, and never failing
    (Python will not write an integer of more than 4,300 digits as text)."""
    if isinstance(value, int) and value.bit_length() > 64:
        return f"an integer of {value.bit_length()} bits"
    if isinstance(value, str) and len(value) > _SHOWN_CHARS:
        return f"{value[:_SHOWN_CHARS]!r}... ({len(value)} characters)"
    try:
        text = repr(value)
    except Exception:  # a huge number inside a Fraction, a failing __repr__: say what it is
        return f"a {type(value).__name__}"
    return text if len(text) <= 2 * _SHOWN_CHARS else f"{text[: 2 * _SHOWN_CHARS]}..."


def check_id(value: object, field: str = "id") -> None:
    """Raise unless ``value`` is a well-formed id."""
    if type(value) is not str or _ID_RE.fullmatch(value) is None:
        raise InvalidValueError(
            f"{field}: {shown(value)} is not a valid id", field=field, value=value, allowed=ID_RULE
        )


def check_text(value: object, field: str, *, nonempty: bool = False) -> None:
    """Raise unless ``value`` is text UTF-8 can encode, without control characters other than
    newline and tab (and, if ``nonempty``, with something besides white space)."""
    if type(value) is not str:
        raise InvalidValueError(
            f"{field}: expected text, not {type(value).__name__}",
            field=field,
            value=value,
            allowed="a string",
        )
    refused = _REFUSED_CHAR.search(value)
    if refused is not None:
        char = refused.group()
        if "\ud800" <= char <= "\udfff":
            raise InvalidValueError(
                f"{field}: text holds the surrogate {char!r} at index {refused.start()}, "
                "which UTF-8 cannot encode",
                field=field,
                value=value,
                allowed=UTF8_RULE,
            )
        raise InvalidValueError(
            f"{field}: text contains control characters",
            field=field,
            value=value,
            allowed=TEXT_RULE,
        )
    if nonempty and not value.strip():
        raise InvalidValueError(
            f"{field}: must not be empty", field=field, value=value, allowed="some text"
        )


def an_id(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    check_id(value, attribute.name)


def an_optional_id(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        check_id(value, attribute.name)


def ids(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A tuple of distinct ids."""
    if type(value) is not tuple:
        raise InvalidValueError(
            f"{attribute.name}: expected a tuple of ids, not {type(value).__name__}",
            field=attribute.name,
            value=value,
            allowed="a tuple of ids",
        )
    for i, item in enumerate(value):
        if type(item) is not str or _ID_RE.fullmatch(item) is None:
            check_id(item, f"{attribute.name}[{i}]")  # the field's name, only when it fails
    if len(set(value)) != len(value):
        dupes = sorted(v for v, n in Counter(value).items() if n > 1)
        raise InvalidValueError(
            f"{attribute.name}: repeated ids {', '.join(dupes)}",
            field=attribute.name,
            value=value,
            allowed="each id once",
        )


def text(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Text (possibly empty) that UTF-8 can encode, without control characters other than
    newline and tab."""
    if type(value) is str and not value:
        return
    check_text(value, attribute.name)


def nonempty_text(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """As :func:`text`, with something besides white space."""
    check_text(value, attribute.name, nonempty=True)


def optional_text(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        check_text(value, attribute.name, nonempty=True)


def texts(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A tuple of :func:`nonempty_text` values."""
    if type(value) is not tuple:
        raise InvalidValueError(
            f"{attribute.name}: expected a tuple of non-empty strings, not {type(value).__name__}",
            field=attribute.name,
            value=value,
            allowed="a tuple of non-empty strings",
        )
    for i, item in enumerate(value):
        check_text(item, f"{attribute.name}[{i}]", nonempty=True)


def instance(kind: type | tuple[type, ...], *, optional: bool = False) -> Validator:
    """Exactly an instance of ``kind`` (no coercion; ``bool`` is not an ``int``)."""
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = " or ".join(k.__name__ for k in kinds)

    def check(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if type(value) in kinds or (optional and value is None):
            return  # the common case first: exactly one of the kinds
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            allowed = ", ".join(m.value for k in kinds if issubclass(k, Enum) for m in k)
            raise InvalidValueError(
                f"{attribute.name}: expected {names}, not {shown(value)}",
                field=attribute.name,
                value=value,
                allowed=allowed or names + (" or None" if optional else ""),
            )

    return check


def tuple_of(kind: type) -> Validator:
    def check(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if type(value) is tuple:
            for v in value:
                if not isinstance(v, kind):
                    break
            else:
                return  # a loop, not all() over a generator: most tuples here are short
        raise InvalidValueError(
            f"{attribute.name}: expected a tuple of {kind.__name__}",
            field=attribute.name,
            value=value,
            allowed=f"a tuple of {kind.__name__}",
        )

    return check


@attrs.frozen
class WholeNumber:
    """A validator: an ``int`` (not a ``bool``) from ``minimum`` to ``maximum``.

    Its bounds are data, so that the wire format's readers and schema can read the same ones.

    >>> WholeNumber(1).maximum == MAX_WHOLE_NUMBER
    True
    """

    minimum: int
    maximum: int = MAX_WHOLE_NUMBER

    @property
    def rule(self) -> str:
        return f"a whole number from {self.minimum} to {self.maximum}"

    def __call__(self, _inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if type(value) is not int or not self.minimum <= value <= self.maximum:
            raise InvalidValueError(
                f"{attribute.name}: {shown(value)} is not {self.rule}",
                field=attribute.name,
                value=value,
                allowed=self.rule,
            )
