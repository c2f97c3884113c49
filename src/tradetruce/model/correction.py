"""Corrections: a later record that retracts an earlier history entry, or corrects one of its
times.

Sources get things wrong: a report is withdrawn, a notice gives the wrong date and an erratum
follows. A correction does not rewrite the history; it is a fact of its own, with its own source
and recorded time, that names the entry it corrects by the entry's ``id``. Read as known before
the correction was recorded, the entry stands as first reported; read as known after, a
retracted entry no longer counts and a corrected entry counts with its corrected time. The one
fold of :mod:`tradetruce.model.history` applies them (:func:`~tradetruce.model.history.read`).

>>> from tradetruce import When
>>> c = Correction(
...     kind=CorrectionKind.ERRATUM,
...     entry="notice-1",
...     source="erratum-1",
...     recorded=When.parse("2025-11-05[UTC]"),
...     at=When.parse("2025-11-10[America/New_York]"),
... )
>>> c.changes()
{'at': When('2025-11-10[America/New_York]')}
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

import attrs

from tradetruce.errors import InvalidValueError
from tradetruce.values import _validate as v
from tradetruce.values.when import When

__all__ = ["CORRECTED_FIELDS", "Correction", "CorrectionKind"]


class CorrectionKind(StrEnum):
    """What a correction does to the entry it names."""

    RETRACTION = "retraction"  #: the entry no longer counts
    ERRATUM = "erratum"  #: the entry counts with the times the correction gives


#: The fields of an entry an erratum may replace: its valid time, and a deadline entry's due
#: time.
CORRECTED_FIELDS: Final = ("at", "due")


@attrs.frozen(kw_only=True)
class Correction:
    """A retraction or an erratum of one history entry of the same entity.

    Attributes:
        kind: ``retraction`` (the entry no longer counts) or ``erratum`` (it counts with the
            times given here).
        entry: the ``id`` of the history entry it corrects.
        source: the id of the source that reports the correction.
        recorded: when it became known; ``None`` means "when its source was published" (a
            scenario refuses a correction with neither, as it does an entry; an entity read on
            its own, which does not know its sources, takes it as known with the entry it
            corrects).
        at: for an erratum, the entry's corrected valid time.
        due: for an erratum of a deadline entry that sets a due time, the corrected due time.
        note: a short free-text note (no copied sentences from sources).
    """

    kind: CorrectionKind = attrs.field(validator=v.instance(CorrectionKind))
    entry: str = attrs.field(validator=v.an_id)
    source: str = attrs.field(validator=v.an_id)
    recorded: When | None = attrs.field(default=None, validator=v.instance(When, optional=True))
    at: When | None = attrs.field(default=None, validator=v.instance(When, optional=True))
    due: When | None = attrs.field(default=None, validator=v.instance(When, optional=True))
    note: str = attrs.field(default="", validator=v.text)

    def __attrs_post_init__(self) -> None:
        given = self.changes()
        if self.kind is CorrectionKind.RETRACTION and given:
            raise InvalidValueError(
                f"a retraction of {self.entry!r} gives no corrected " + " or ".join(sorted(given)),
                field=sorted(given)[0],
                value=given[sorted(given)[0]],
                allowed="no at or due on a retraction (use kind='erratum' to correct a time)",
            )
        if self.kind is CorrectionKind.ERRATUM and not given:
            raise InvalidValueError(
                f"an erratum of {self.entry!r} gives neither a corrected at nor a corrected due",
                field="at",
                value=None,
                allowed="at=<the corrected time>, due=<the corrected due time>, or both",
            )

    @property
    def retracts(self) -> bool:
        """True for a retraction."""
        return self.kind is CorrectionKind.RETRACTION

    def changes(self) -> dict[str, When]:
        """The fields an erratum replaces, with their corrected values (empty for a
        retraction)."""
        return {
            name: value for name in CORRECTED_FIELDS if (value := getattr(self, name)) is not None
        }

    def describe(self) -> str:
        """In words: ``retracts notice-1`` or ``corrects notice-1: at 2025-11-10[...]``."""
        if self.retracts:
            return f"retracts {self.entry}"
        fields = ", ".join(f"{k} {w}" for k, w in self.changes().items())
        return f"corrects {self.entry}: {fields}"
