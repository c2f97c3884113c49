"""Harmonized System product codes, as text (leading zeros matter: ``0201`` is meat, not 201).

National tariff lines go beyond the six shared digits: 8 (the EU's Combined Nomenclature) or 10
(the US Harmonized Tariff Schedule). Tariff schedules write them with dots (``8703.80.00.00``),
and US Chapter 99 headings, which name a measure rather than a good (``9903.01.24``), are usually
written so; a code keeps the form it was written in, and compares by its digits.
"""

from __future__ import annotations

import functools
import re
from typing import Any, Final

import attrs

from tradetruce.errors import InvalidValueError
from tradetruce.values._validate import shown

__all__ = ["HSCode"]

#: 2, 4, 6, 8 or 10 ASCII digits (``\d`` would also match other scripts' digits), or a heading
#: and its finer pairs written with dots: ``8703.80``, ``9903.01.24``, ``8703.80.00.00``.
_CODE_RE: Final = re.compile(
    r"[0-9]{2}(?:[0-9]{2}(?:[0-9]{2}(?:[0-9]{2}(?:[0-9]{2})?)?)?)?"
    r"|[0-9]{4}\.[0-9]{2}(?:\.[0-9]{2}(?:\.[0-9]{2})?)?"
)
#: The editions of the Harmonized System nomenclature the World Customs Organization has
#: adopted, named by the year each entered into force. HS1988 and HS1992 both name the first
#: (1988, amended in 1992: "HS 1988/92"); HS2027 enters into force on 1 January 2027. A new
#: edition is one more name here: the pattern below is built from this list.
EDITIONS: Final = (
    "HS1988",
    "HS1992",
    "HS1996",
    "HS2002",
    "HS2007",
    "HS2012",
    "HS2017",
    "HS2022",
    "HS2027",
)
_EDITION_RE: Final = re.compile("|".join(map(re.escape, EDITIONS)))


def _check_code(_inst: object, _attr: object, value: Any) -> None:
    if type(value) is not str or _CODE_RE.fullmatch(value) is None:
        raise InvalidValueError(
            f"HS code {shown(value)} is not a digit string of 2, 4, 6, 8 or 10 digits",
            field="code",
            value=value,
            allowed=(
                "text such as '12', '1201', '120190' or '1201900000', or dotted as in "
                "'8703.80' or '9903.01.24' (never a number)"
            ),
        )


def _check_edition(_inst: object, _attr: object, value: Any) -> None:
    if value is not None and (type(value) is not str or _EDITION_RE.fullmatch(value) is None):
        raise InvalidValueError(
            f"HS nomenclature {shown(value)} is not an edition name",
            field="edition",
            value=value,
            allowed=", ".join(EDITIONS) + " (or none)",
        )


def _edition_key(edition: str | None) -> str:
    return edition or ""


def _digits(code: str) -> str:
    return code.replace(".", "")


@attrs.frozen(order=True)
class HSCode:
    """A Harmonized System code: chapter (2), heading (4), subheading (6) or national line (8/10).

    Text form: ``1201`` or, with its nomenclature edition, ``HS2022:1201``. A code written with
    dots (``9903.01.24``) keeps them in its text form; codes compare, order and cover by their
    digits, so ``9903.01.24`` equals ``99030124``.

    >>> HSCode.parse("HS2022:120190").level
    6
    >>> HSCode("12").covers(HSCode("120190"))
    True
    >>> heading = HSCode("9903.01.24")
    >>> str(heading), heading.level, heading == HSCode("99030124")
    ('9903.01.24', 8, True)
    """

    code: str = attrs.field(validator=_check_code, eq=_digits, order=_digits)
    # Ordered with no edition first: ``None < "HS2022"`` would raise TypeError.
    edition: str | None = attrs.field(default=None, validator=_check_edition, order=_edition_key)

    @classmethod
    def parse(cls, text: str) -> HSCode:
        """Read ``1201`` or ``HS2022:1201``."""
        if type(text) is not str:
            raise InvalidValueError(
                f"HS code must be text, not {type(text).__name__}",
                field="code",
                value=text,
                allowed="text such as '1201' or 'HS2022:1201'",
            )
        edition, sep, code = text.rpartition(":")
        return cls(code, edition if sep else None)

    @property
    def level(self) -> int:
        """The number of digits: 2 chapter, 4 heading, 6 subheading, 8 or 10 national."""
        return len(self.digits)

    @property
    def digits(self) -> str:
        """The code's digits, without the dots it may be written with."""
        return _digits(self.code)

    def covers(self, other: HSCode) -> bool:
        """True when ``other`` is this code or a finer code beneath it (editions must agree
        when both are given)."""
        if self.edition and other.edition and self.edition != other.edition:
            return False
        return other.digits.startswith(self.digits)

    def __str__(self) -> str:
        return self._text

    @functools.cached_property
    def _text(self) -> str:
        # Kept once computed (writers ask for it again and again); not a field, so equality,
        # ordering and hashing ignore it.
        return f"{self.edition}:{self.code}" if self.edition else self.code
