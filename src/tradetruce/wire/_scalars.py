"""The scalars of the format: text, ids, whole numbers, booleans, decimals, time values, HS
codes and enumeration members, each a :class:`~tradetruce.wire._kinds.Scalar`.

Patterns come from the compiled regexes of the values modules that own the rules (ids, HS codes,
time values); the decimal rule is the wire's own.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any, Final

import msgspec

from tradetruce.errors import InvalidValueError
from tradetruce.values._validate import _ID_RE
from tradetruce.values._validate import DECIMAL_RE as _DECIMAL_RE
from tradetruce.values.calendar import _CALENDAR_RE
from tradetruce.values.codes import _CODE_RE, _EDITION_RE, HSCode
from tradetruce.values.when import _INSTANT_RE, OPEN_END, OPEN_START, When
from tradetruce.wire._kinds import Scalar, ValueProblem, anchored, kind_of

__all__ = [
    "BOOL",
    "DECIMAL",
    "DECIMAL_RE",
    "DECIMAL_RULE",
    "HS_CODE",
    "ID",
    "INSTANT",
    "INT_MAX",
    "INT_MIN",
    "TEXT",
    "WHEN",
    "choice",
    "integer",
    "scalar",
]

#: The whole numbers every writer can write and every reader of the format can read: TOML's
#: 64-bit integers (JSON readers in other languages often stop there too).
INT_MIN: Final = -(2**63)
INT_MAX: Final = 2**63 - 1

DECIMAL_RULE: Final = (
    "a decimal number written as text, such as '25', '7.5' or '1E+2' (never a JSON or TOML number)"
)
#: The wire's own rule for decimals: stricter than ``Decimal(text)``, which also takes "NaN",
#: " 1 " and "1_000".
DECIMAL_RE: Final = _DECIMAL_RE
#: The shape of an IANA zone name in the JSON Schema; readers check the name against the zone
#: database itself.
_ZONE_SHAPE: Final = r"[A-Za-z0-9_+/-]+"
_UTF8_RULE: Final = "text that UTF-8 can write (no lone surrogates)"


def _read_text(value: object) -> str:
    if type(value) is not str:
        raise ValueProblem(f"expected text, not {kind_of(value)}", "text (in quotes)", value)
    if not value.isascii():
        _check_utf8(value)
    return value


def _check_utf8(value: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        code = ord(value[exc.start])
        raise ValueProblem(
            f"text holds a lone surrogate (U+{code:04X} at character {exc.start}), "
            "which UTF-8 cannot write",
            _UTF8_RULE,
        ) from None


def _read_bool(value: object) -> bool:
    if type(value) is not bool:
        raise ValueProblem(f"expected true or false, not {kind_of(value)}", "true or false")
    return value


def _read_decimal(value: object) -> Decimal:
    if type(value) is not str:
        what = "a number" if isinstance(value, int | float) else kind_of(value)
        raise ValueProblem(f"expected a decimal string, not {what}", DECIMAL_RULE, value)
    if DECIMAL_RE.fullmatch(value) is None:
        raise ValueProblem(f"{value!r} is not a decimal number", DECIMAL_RULE, value)
    return Decimal(value)


_WHEN_RULE: Final = "a time value such as 2025-11-01[America/New_York]"
_HS_RULE: Final = "an HS code as text, such as '1201' or 'HS2022:1201'"


def _read_when(value: object) -> When:
    if type(value) is not str:
        raise ValueProblem(
            f"expected a time value as text, not {kind_of(value)}", _WHEN_RULE, value
        )
    try:
        return When.parse(value)
    except InvalidValueError as exc:
        raise ValueProblem(str(exc.args[0]), exc.allowed, value) from None


def _read_hs_code(value: object) -> HSCode:
    if type(value) is not str:
        raise ValueProblem(f"expected an HS code as text, not {kind_of(value)}", _HS_RULE, value)
    try:
        return HSCode.parse(value)
    except InvalidValueError as exc:
        raise ValueProblem(str(exc.args[0]), exc.allowed, value) from None


_CAL: Final = f"(?:{_CALENDAR_RE.pattern})"

TEXT: Final = Scalar(
    label="text",
    allowed="text",
    read=_read_text,
    mirror_type=str,
    json_schema={"type": "string"},
)
#: An id: text that the model checks against the id pattern; a document names the same ids
#: again and again, and the fast reader shares one string per id.
ID: Final = TEXT.refine("id", memo=True, pattern=anchored("(?:", _ID_RE, ")"))
BOOL: Final = Scalar(
    label="true or false",
    allowed="true or false",
    read=_read_bool,
    mirror_type=bool,
    json_schema={"type": "boolean"},
)
DECIMAL: Final = Scalar(
    label="decimal",
    allowed=DECIMAL_RULE,
    read=_read_decimal,
    mirror_type=Annotated[str, msgspec.Meta(pattern=anchored("(?:", DECIMAL_RE, ")"))],
    decode=Decimal,
    encode=str,  # msgspec writes a Decimal as str() does
    json_schema={
        "type": "string",
        "pattern": anchored("(?:", DECIMAL_RE, ")"),
        "description": "A decimal number written as text ('25', '7.5'); never a number.",
    },
)
WHEN: Final = Scalar(
    label="time value",
    allowed=_WHEN_RULE,
    read=_read_when,
    mirror_type=str,
    decode=When.parse,
    memo=True,
    encode=When.__str__,  # formats each value once and keeps the text on it
    native=False,
    json_schema={
        "type": "string",
        "pattern": anchored(
            f"(?:(?:{_INSTANT_RE.pattern})[~?%]?|{_CAL}|(?:{_CAL}|\\.\\.)/(?:{_CAL}|\\.\\.))",
            f"\\[{_ZONE_SHAPE}\\]",
        ),
        "description": "A time value with its IANA zone: an instant "
        "2025-11-01T00:01:00-04:00[America/New_York] (2025-10-30T10:00~[Asia/Shanghai]: about "
        "that time of day), a calendar value "
        "2025-11-01[America/New_York] or 2026-11~[Asia/Shanghai], or a range "
        "2025-10-27/2025-11-02[Asia/Seoul].",
    },
)
HS_CODE: Final = Scalar(
    label="HS code",
    allowed=_HS_RULE,
    read=_read_hs_code,
    mirror_type=str,
    decode=HSCode.parse,
    memo=True,
    encode=HSCode.__str__,
    native=False,
    json_schema={
        "type": "string",
        "pattern": anchored(f"(?:(?:{_EDITION_RE.pattern}):)?(?:{_CODE_RE.pattern})"),
        "description": "An HS code as text, leading zeros kept: '0201' or 'HS2022:1201'.",
    },
)


def _read_instant(value: object) -> _dt.datetime:
    if value is None:
        return OPEN_END
    when = _read_when(value)
    if not when.is_exact:
        raise ValueProblem(f"{value!r} is not one instant", _INSTANT_RULE, value)
    return when.lower


def _write_instant(value: _dt.datetime) -> str | None:
    # The ends of time an open time value stands for (a view at "2025/.." is a view at the end
    # of time) have no instant of their own: null.
    if value in (OPEN_END, OPEN_START):
        return None
    return str(When.exact(value))


_INSTANT_RULE: Final = "an instant with its zone, such as 2025-11-10T05:00:00+00:00[UTC]"
#: An instant an answer holds as an aware datetime (a view's moment, a stack's time): written
#: as the time value of that one instant, its zone kept; an open end (the end of time that an
#: open time value stands for) as null.
INSTANT: Final = Scalar(
    label="instant",
    allowed=_INSTANT_RULE,
    read=_read_instant,
    mirror_type=str | None,
    decode=lambda text: OPEN_END if text is None else When.parse(text).lower,
    encode=_write_instant,
    native=False,
    json_schema={
        "type": ["string", "null"],
        "pattern": anchored(f"(?:{_INSTANT_RE.pattern})", f"\\[{_ZONE_SHAPE}\\]"),
        "description": "An instant with its IANA zone: 2025-11-10T05:00:00+00:00[UTC]; null "
        "for an open end.",
    },
)


def integer(minimum: int = INT_MIN, maximum: int = INT_MAX) -> Scalar:
    """A whole number from ``minimum`` to ``maximum`` (within what the hooks can write)."""
    minimum, maximum = max(minimum, INT_MIN), min(maximum, INT_MAX)
    allowed = f"a whole number from {minimum} to {maximum}"

    def read(value: object) -> int:
        if type(value) is not int:
            raise ValueProblem(f"expected a whole number, not {kind_of(value)}", allowed)
        if not minimum <= value <= maximum:
            raise ValueProblem(f"{_number(value)} is out of range", allowed)
        return value

    def encode(value: int) -> int:
        if type(value) is not int or not minimum <= value <= maximum:
            raise InvalidValueError(
                f"{_number(value)} cannot be written: out of range", value=value, allowed=allowed
            )
        return value

    return Scalar(
        label="whole number",
        allowed=allowed,
        read=read,
        mirror_type=Annotated[int, msgspec.Meta(ge=minimum, le=maximum)],
        encode=encode,
        native=False,
        json_schema={"type": "integer", "minimum": minimum, "maximum": maximum},
    )


def _number(value: object) -> str:
    # Python will not even write an int of more than 4300 digits as text.
    if isinstance(value, int) and abs(value) >= 10**30:
        return "a number of more than 30 digits"
    return repr(value)


def choice(enum: type[Enum]) -> Scalar:
    """A member of an enumeration, written as its value."""
    members = {m.value: m for m in enum}
    allowed = "one of " + ", ".join(str(v) for v in members)

    def read(value: object) -> Enum:
        if type(value) is not str:
            raise ValueProblem(f"expected text, not {kind_of(value)}", allowed, value)
        member = members.get(value)
        if member is None:
            raise ValueProblem(f"{value!r} is not a {enum.__name__}", allowed, value)
        return member

    return Scalar(
        label=enum.__name__,
        allowed=allowed,
        read=read,
        mirror_type=enum,
        # A dict lookup: much cheaper than Enum's ``value`` descriptor.
        encode={m: m.value for m in enum}.__getitem__,
        json_schema={"type": "string", "enum": list(members)},
    )


def scalar(tp: Any) -> Scalar | None:
    """The kind of a value of type ``tp`` written as one JSON value, or None."""
    if tp is str:
        return TEXT
    if tp is bool:
        return BOOL
    if tp is int:
        return integer()
    if tp is Decimal:
        return DECIMAL
    if tp is When:
        return WHEN
    if tp is _dt.datetime:
        return INSTANT
    if tp is HSCode:
        return HS_CODE
    if isinstance(tp, type) and issubclass(tp, Enum):
        return choice(tp)
    return None
