"""The errors tradetruce raises: one root, mixed with builtins, each carrying structure.

Every error is a :class:`TradeTruceError`. Each subclass also derives from the builtin a caller
would expect (``ValueError`` for bad values, ``KeyError`` for a missing id), so code that catches
builtins keeps working, and every one carries the fields a program needs to act on it.
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Collection, Iterable
from typing import ClassVar

import attrs

__all__ = [
    "IcalMissingError",
    "IllegalTransitionError",
    "InvalidDataError",
    "InvalidTimeError",
    "InvalidValueError",
    "LifecycleDefinitionError",
    "MissingExtraError",
    "Problem",
    "TradeTruceError",
    "UnknownEntityError",
    "UsageError",
]


class TradeTruceError(Exception):
    """The root of every error tradetruce raises on purpose."""


class InvalidValueError(TradeTruceError, ValueError):
    """A value failed its own validation (an id, an HS code, a rate, a jurisdiction...).

    Attributes:
        field: the name of the field or argument at fault, when known.
        value: the offending value.
        allowed: what would have been accepted, in words.
    """

    def __init__(self, message: str, *, field: str = "", value: object = None, allowed: str = ""):
        self.field = field
        self.value = value
        self.allowed = allowed
        super().__init__(message)

    def __str__(self) -> str:
        text = str(self.args[0]) if self.args else ""
        return f"{text} (allowed: {self.allowed})" if self.allowed else text


class InvalidTimeError(InvalidValueError):
    """A time value could not be read or built: naive, unknown zone, bad text, DST gap..."""


class IllegalTransitionError(TradeTruceError, ValueError):
    """A move that the entity's lifecycle does not allow.

    Attributes:
        entity: the id of the entity that was asked to move.
        source: the status it is in (``None`` before its first entry).
        target: the status it was asked to move to.
        allowed: the statuses it may move to from ``source``.
        index: the position of the offending entry in the entity's history, when the move is
            one of a history being checked (``None`` otherwise).
        field: the entry's field at fault: ``"from"`` when the entry's ``from`` disagrees with
            the status before it, else ``"to"``, a move the lifecycle does not allow.
    """

    def __init__(
        self,
        entity: str,
        source: object,
        target: object,
        allowed: Iterable[object],
        *,
        reason: str = "",
        index: int | None = None,
        field: str = "to",
    ):
        self.entity = entity
        self.source = source
        self.target = target
        self.allowed = tuple(sorted(str(a) for a in allowed))
        self.reason = reason
        self.index = index
        self.field = field
        super().__init__(entity, source, target, self.allowed)

    def __str__(self) -> str:
        if self.field == "from":
            # Not a forbidden move: the entry names the wrong status to move from.
            return f"{self.entity}: {self.reason}" if self.reason else f"{self.entity}: wrong from"
        frm = "(nothing)" if self.source is None else str(self.source)
        moves = ", ".join(self.allowed) if self.allowed else "none: it is a terminal status"
        why = f": {self.reason}" if self.reason else ""
        return f"{self.entity}: cannot move from {frm} to {self.target}{why}; allowed: {moves}"


class UnknownEntityError(TradeTruceError, KeyError):
    """An id that names nothing in the scenario."""

    def __init__(self, entity: str, kind: str = "entity"):
        self.entity = entity
        self.kind = kind
        super().__init__(entity)

    def __str__(self) -> str:
        return f"no {self.kind} with id {self.entity!r} in this scenario"


@attrs.frozen
class Problem:
    """One thing wrong with a document or a scenario.

    Attributes:
        path: where it is, as a JSON path (``$.measures[3].history[1].at``).
        message: what was wrong.
        allowed: what would have been accepted, when that can be said.
        entity: the id of the entity it belongs to, when known.
        line: the line in the file (1-based), when known.
        column: the column in the file (1-based), when known.
    """

    path: str
    message: str
    allowed: str = ""
    entity: str = ""
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f" (line {self.line}" + (
                f", column {self.column})" if self.column is not None else ")"
            )
        if self.entity:
            where += f" [{self.entity}]"
        text = f"{where}: {self.message}"
        return f"{text} (allowed: {self.allowed})" if self.allowed else text


class InvalidDataError(TradeTruceError, ValueError):
    """A document or scenario with one or more problems, all reported at once.

    A hostile document can hold millions of problems: an error keeps the first
    :attr:`MAX_PROBLEMS` and counts the others.

    Attributes:
        problems: the problems found, in document order (at most :attr:`MAX_PROBLEMS`).
        more: how many more problems were found and not kept.
        file: the file the data came from, when there was one.
    """

    #: The most problems an error keeps.
    MAX_PROBLEMS: ClassVar[int] = 100

    def __init__(self, problems: Iterable[Problem], *, file: str = "", more: int = 0):
        found = iter(problems)
        self.problems = tuple(itertools.islice(found, self.MAX_PROBLEMS))
        self.more = more + sum(1 for _ in found)
        self.file = file
        super().__init__(self.problems)

    def __str__(self) -> str:
        n = len(self.problems) + self.more
        head = f"{self.file}: " if self.file else ""
        lines = [f"{head}{n} problem{'s' if n != 1 else ''} found:"]
        lines += [f"  - {p}" for p in self.problems]
        if self.more:
            lines.append(f"  - ... and {self.more} more problem{'s' if self.more != 1 else ''}")
        return "\n".join(lines)

    def with_file(self, file: str) -> InvalidDataError:
        """Return the same error naming ``file``."""
        return InvalidDataError(self.problems, file=file, more=self.more)


class UsageError(TradeTruceError, ValueError):
    """A command-line value that cannot be used (a bad TIME, DURATION, zone or scenario name)."""


class LifecycleDefinitionError(TradeTruceError):
    """A transition table that breaks the lifecycle rules (raised at import, never at run time)."""


class MissingExtraError(TradeTruceError, ImportError):
    """A feature needs an optional dependency that is not installed.

    Attributes:
        extra: the name of the extra that installs it (``ical``, ``arrow``...).
        feature: what needs it, in words.
        module: the package that is missing, when one is named (``pyarrow``).
    """

    def __init__(self, extra: str, feature: str, *, module: str | None = None):
        self.extra = extra
        self.feature = feature
        self.module = module
        super().__init__(extra, feature)

    def __str__(self) -> str:
        install = f'pip install "tradetruce[{self.extra}]"'
        if self.module:
            return f'{self.feature} needs {self.module}, from the "{self.extra}" extra: {install}'
        return f'{self.feature} needs the "{self.extra}" extra: {install}'


class IcalMissingError(MissingExtraError):
    """The optional ``icalendar`` package is not installed (the ``ical`` extra)."""

    def __init__(self) -> None:
        super().__init__("ical", "iCalendar export")


#: Above this many options, no suggestion is worked out: the search would cost more than a
#: message is worth.
_MOST_OPTIONS = 10_000


def did_you_mean(word: object, options: Collection[str]) -> str:
    """`` (did you mean 'x'?)`` naming the option closest to ``word`` (:mod:`difflib`), or
    ``""`` when none is close (or there are too many options to search).

    >>> did_you_mean("imposd_by", ["id", "imposed_by", "targets"])
    " (did you mean 'imposed_by'?)"
    >>> did_you_mean("zzz", ["id", "imposed_by"])
    ''
    """
    if not isinstance(word, str) or not options or len(options) > _MOST_OPTIONS:
        return ""
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else ""
