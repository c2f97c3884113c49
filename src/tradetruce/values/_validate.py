"""attrs validators raising :class:`InvalidValueError` with the field and what is allowed."""

from __future__ import annotations

import re
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
_CONTROL: Final = re.compile(r"[\x00-\x08\x0b-\x1f]")

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]


#: Ids already found well-formed: a scenario names the same ids again and again, and a set
#: lookup costs a fraction of the pattern match. Bounded: emptied when it grows large.
_GOOD_IDS: Final[set[str]] = set()
_GOOD_IDS_MAX: Final = 1 << 16


def forget_ids() -> None:
    """Empty the memo of well-formed ids (after a whole document has been read)."""
    _GOOD_IDS.clear()


def check_id(value: object, field: str = "id") -> None:
    """Raise unless ``value`` is a well-formed id."""
    if type(value) is str and value in _GOOD_IDS:
        return
    if type(value) is not str or _ID_RE.fullmatch(value) is None:
        raise InvalidValueError(
            f"{field}: {value!r} is not a valid id", field=field, value=value, allowed=ID_RULE
        )
    if len(_GOOD_IDS) >= _GOOD_IDS_MAX:
        _GOOD_IDS.clear()
    _GOOD_IDS.add(value)


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
        check_id(item, f"{attribute.name}[{i}]")
    if len(set(value)) != len(value):
        dupes = sorted({v for v in value if value.count(v) > 1})
        raise InvalidValueError(
            f"{attribute.name}: repeated ids {', '.join(dupes)}",
            field=attribute.name,
            value=value,
            allowed="each id once",
        )


def text(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A string (possibly empty) without control characters other than newline and tab."""
    if type(value) is str and not value:
        return
    if type(value) is not str:
        raise InvalidValueError(
            f"{attribute.name}: expected text, not {type(value).__name__}",
            field=attribute.name,
            value=value,
            allowed="a string",
        )
    if _CONTROL.search(value) is not None:
        raise InvalidValueError(
            f"{attribute.name}: text contains control characters",
            field=attribute.name,
            value=value,
            allowed="printable text, newlines and tabs",
        )


def nonempty_text(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    text(inst, attribute, value)
    if not str(value).strip():
        raise InvalidValueError(
            f"{attribute.name}: must not be empty",
            field=attribute.name,
            value=value,
            allowed="some text",
        )


def optional_text(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        nonempty_text(inst, attribute, value)


def texts(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if type(value) is not tuple or not all(type(v) is str and v.strip() for v in value):
        raise InvalidValueError(
            f"{attribute.name}: expected a tuple of non-empty strings",
            field=attribute.name,
            value=value,
            allowed="a tuple of non-empty strings",
        )


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
                f"{attribute.name}: expected {names}, not {value!r}",
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
