"""What every entity with a lifecycle shares: a checked history, a derived status, transitions.

:class:`Tracked` is the base of :class:`~tradetruce.Measure`, :class:`~tradetruce.Deadline` and
:class:`~tradetruce.Negotiation`. Their status is never stored: it is read from the history
(:mod:`tradetruce.model.history`), and a history is checked whole when an entity is built
(:func:`check_history`): chronological, starting in the lifecycle's initial status, every move
one the lifecycle allows. An entity's corrections (:class:`~tradetruce.Correction`) are checked
with it: each names an entry of the history by its ``id``, and the history stays legal once
each of them, in turn, is applied. Entries up to the last one a correction names must follow one
another as recorded; entries after it may continue from the corrected history (a report is
retracted, then the real event is recorded).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Self, TypeVar

import attrs

from tradetruce.errors import IllegalTransitionError, InvalidValueError
from tradetruce.model.correction import Correction, CorrectionKind
from tradetruce.model.entries import Entry, S
from tradetruce.model.history import Reading, claim_groups, corrected, read, winner
from tradetruce.model.lifecycle import Lifecycle
from tradetruce.values.when import When, utc

__all__ = ["Tracked", "check_corrections", "check_history"]

E = TypeVar("E", bound=Entry[Any])


def check_history(
    entity: str,
    lifecycle: Lifecycle[Any],
    history: object,
    entry_type: type[Entry[Any]],
    *,
    amendable: bool,
) -> None:
    """Raise unless ``history`` is a legal, chronological history for ``lifecycle``."""
    if type(history) is not tuple or not history:
        raise InvalidValueError(
            f"{entity}: history must be a non-empty tuple of {entry_type.__name__}",
            field="history",
            value=history,
            allowed=f"a tuple starting with a move to {lifecycle.initial}",
        )
    floor: tuple[When, int] | None = None
    for i, entry in enumerate(history):
        if not isinstance(entry, entry_type):
            raise InvalidValueError(
                f"{entity}: history[{i}] is a {type(entry).__name__}, not a {entry_type.__name__}",
                field=f"history[{i}]",
                value=entry,
                allowed=entry_type.__name__,
            )
        if floor is not None and entry.at.hi_us < floor[0].lo_us:
            raise InvalidValueError(
                f"{entity}: history[{i}] at {entry.at} is certainly before history[{floor[1]}] "
                f"at {floor[0]}, which is listed earlier",
                field=f"history[{i}].at",
                value=entry.at,
                allowed="entries in the order they happened: no entry certainly before an "
                "earlier-listed one",
            )
        if floor is None or entry.at.lo_us > floor[0].lo_us:
            floor = (entry.at, i)
    # Every claim about one event moves from the status the event before left: its winner's.
    current: Any = None
    index = -1
    for group in claim_groups(history):
        for entry in group:
            index += 1
            if entry.from_ != current:
                raise IllegalTransitionError(
                    entity,
                    current,
                    entry.to,
                    lifecycle.allowed_transitions(current),
                    reason=f"history[{index}] says it moves from {entry.from_ or '(nothing)'}, "
                    f"but the status before that entry is {current or '(nothing)'}",
                    index=index,
                    field="from",
                )
            legal = lifecycle.can(current, entry.to) or (
                amendable
                and entry.is_amendment
                and current is not None
                and not lifecycle.is_terminal(current)
            )
            if not legal:
                raise IllegalTransitionError(
                    entity,
                    current,
                    entry.to,
                    lifecycle.allowed_transitions(current),
                    reason=f"history[{index}]",
                    index=index,
                )
        current = winner(group).to


def check_corrections(
    entity: str,
    lifecycle: Lifecycle[Any],
    history: tuple[Entry[Any], ...],
    corrections: object,
    entry_type: type[Entry[Any]],
    *,
    amendable: bool,
) -> None:
    """Raise unless every correction names an entry of ``history`` (whose ids are unique), and
    the history stays legal as each correction, in the order listed, is applied."""
    seen: dict[str, int] = {}
    for j, entry in enumerate(history):
        if entry.id is None:
            continue
        if entry.id in seen:
            raise InvalidValueError(
                f"{entity}: history[{j}] has the id {entry.id!r} of history[{seen[entry.id]}]",
                field=f"history[{j}].id",
                value=entry.id,
                allowed="an entry id used once in the entity's history",
            )
        seen[entry.id] = j
    if type(corrections) is not tuple:
        raise InvalidValueError(
            f"{entity}: corrections must be a tuple of Correction",
            field="corrections",
            value=corrections,
            allowed="a tuple of Correction",
        )
    for i, c in enumerate(corrections):
        if not isinstance(c, Correction):
            raise InvalidValueError(
                f"{entity}: corrections[{i}] is a {type(c).__name__}, not a Correction",
                field=f"corrections[{i}]",
                value=c,
                allowed="Correction",
            )
        target = seen.get(c.entry)
        if target is None:
            raise InvalidValueError(
                f"{entity}: corrections[{i}] names entry {c.entry!r}, which is not in its history",
                field=f"corrections[{i}].entry",
                value=c.entry,
                allowed=", ".join(sorted(seen)) or "none: no entry of the history has an id",
            )
        if c.due is not None and not getattr(history[target], "sets_due", False):
            raise InvalidValueError(
                f"{entity}: corrections[{i}] corrects the due time of history[{target}], "
                "which sets none",
                field=f"corrections[{i}].due",
                value=c.due,
                allowed="due only for a deadline's first entry or an extension",
            )
        try:
            check_history(
                entity,
                lifecycle,
                tuple(corrected(history, corrections[: i + 1])),
                entry_type,
                amendable=amendable,
            )
        except (InvalidValueError, IllegalTransitionError) as exc:
            raise InvalidValueError(
                f"{entity}: corrections[{i}] ({c.describe()}) leaves a history that is not "
                f"legal: {exc}",
                field=f"corrections[{i}]",
                value=c,
                allowed="a correction after which the history still follows the lifecycle, "
                "in the order things happened",
            ) from exc


class Tracked(Generic[S, E]):
    """What every entity with a lifecycle shares: derived status, readings, transitions."""

    __slots__ = ()
    LIFECYCLE: ClassVar[Lifecycle[Any]]
    ENTRY: ClassVar[type[Entry[Any]]]
    AMENDABLE: ClassVar[bool] = False

    if TYPE_CHECKING:
        id: str
        history: tuple[E, ...]
        corrections: tuple[Correction, ...]

    @property
    def lifecycle(self) -> Lifecycle[Any]:
        """The lifecycle this entity's history follows (a measure's depends on its kind)."""
        return self.LIFECYCLE

    def _check_history(self) -> None:
        # Entries up to the last one a correction names follow one another as recorded; the
        # entries after it may continue from the corrected history (a report is retracted, then
        # the real event is recorded), which check_corrections checks whole.
        history = self.history
        if self.corrections and type(self.corrections) is tuple:
            ids = [e.id for e in history]
            named = [
                ids.index(c.entry)
                for c in self.corrections
                if isinstance(c, Correction) and c.entry in ids
            ]
            if named:
                history = history[: max(named) + 1]
        check_history(self.id, self.lifecycle, history, self.ENTRY, amendable=self.AMENDABLE)
        if self.corrections or any(e.id is not None for e in self.history):
            check_corrections(
                self.id,
                self.lifecycle,
                self.history,
                self.corrections,
                self.ENTRY,
                amendable=self.AMENDABLE,
            )

    @property
    def corrected_history(self) -> tuple[E, ...]:
        """The history with every correction applied (:func:`~tradetruce.model.history.corrected`):
        what the entity's status, terms and due time are read from, everything known."""
        if not self.corrections:
            return self.history
        return tuple(corrected(self.history, self.corrections))

    @property
    def status(self) -> S:
        """The status at the end of the history, with every entry and correction known."""
        history = self.corrected_history
        if len(history) == 1:
            result: S = history[0].to
            return result
        last: S = winner(claim_groups(history)[-1]).to
        return last

    def allowed_transitions(self) -> frozenset[S]:
        """The statuses this entity may move to now."""
        allowed: frozenset[S] = self.lifecycle.allowed_transitions(self.status)
        return allowed

    def reading_at(
        self,
        t: _dt.datetime | When | str | None = None,
        *,
        known_at: _dt.datetime | When | str | None = None,
        published: Mapping[str, When | None] | None = None,
    ) -> Reading[S, E]:
        """The full reading of the history at ``t`` as known at ``known_at``.

        ``t`` and ``known_at`` take an aware datetime, a When, or a When's text form; a calendar
        value stands for its last instant.
        ``published`` maps source ids to publication times (a Scenario passes its own).
        The entity's corrections known at ``known_at`` are applied.
        """
        return read(self.history, _instant(t), _instant(known_at), published, self.corrections)

    def status_at(
        self,
        t: _dt.datetime | When | str,
        *,
        known_at: _dt.datetime | When | str | None = None,
        published: Mapping[str, When | None] | None = None,
    ) -> S | None:
        """The status at ``t`` (as known at ``known_at``), or ``None`` when the history does not
        determine one: before the first entry, or while an entry's time value spans ``t``
        (:meth:`reading_at` lists the candidates)."""
        return self.reading_at(t, known_at=known_at, published=published).status

    def with_entry(self, entry: E) -> Self:
        """A copy with ``entry`` appended; the whole history is checked again.

        This is how a competing claim about the last event is added (same move at the same
        time: :meth:`~tradetruce.Entry.same_claim_slot`).
        """
        return attrs.evolve(self, history=(*self.history, entry))  # type: ignore[misc]

    def name_last_entry(self, id: str) -> Self:
        """A copy whose last history entry has the id ``id``, so that a
        :class:`~tradetruce.Correction` can name it later (``measure.transition(...)
        .name_last_entry("in-force")``). Ids are unique within a history.

        Raises:
            InvalidValueError: ``id`` is not a well-formed id, another entry has it, or the
                last entry already has another id.
        """
        last = self.history[-1]
        if last.id is not None and last.id != id:
            raise InvalidValueError(
                f"{self.id}: the last entry is already named {last.id!r}",
                field=f"history[{len(self.history) - 1}].id",
                value=id,
                allowed="an entry's id is given once",
            )
        named = attrs.evolve(last, id=id)
        return attrs.evolve(self, history=(*self.history[:-1], named))  # type: ignore[misc]

    def with_correction(self, correction: Correction) -> Self:
        """A copy with ``correction`` added after the others; the history and every
        correction are checked again (the entry it names must exist, and the history must
        stay legal once it is applied)."""
        return attrs.evolve(self, corrections=(*self.corrections, correction))  # type: ignore[misc]

    def retract(
        self,
        entry: str,
        *,
        source: str,
        recorded: When | _dt.datetime | str | None = None,
        note: str = "",
    ) -> Self:
        """A copy in which the entry named ``entry`` is retracted from when ``source`` (or
        ``recorded``) made that known: as known before, the entry stands."""
        return self.with_correction(
            Correction(
                kind=CorrectionKind.RETRACTION,
                entry=entry,
                source=source,
                recorded=None if recorded is None else When.coerce(recorded),
                note=note,
            )
        )

    def correct(
        self,
        entry: str,
        *,
        source: str,
        at: When | _dt.datetime | str | None = None,
        due: When | _dt.datetime | str | None = None,
        recorded: When | _dt.datetime | str | None = None,
        note: str = "",
    ) -> Self:
        """A copy with an erratum of the entry named ``entry``: its time (``at``) or, for a
        deadline, its due time (``due``) replaced from when ``source`` (or ``recorded``) made
        that known; as known before, the entry stands as first recorded."""
        return self.with_correction(
            Correction(
                kind=CorrectionKind.ERRATUM,
                entry=entry,
                source=source,
                recorded=None if recorded is None else When.coerce(recorded),
                at=None if at is None else When.coerce(at),
                due=None if due is None else When.coerce(due),
                note=note,
            )
        )

    def _moved(self, entry: E) -> Self:
        status = self.status
        lifecycle = self.lifecycle
        legal = lifecycle.can(status, entry.to) or (
            self.AMENDABLE and entry.is_amendment and not lifecycle.is_terminal(status)
        )
        if not legal:
            raise IllegalTransitionError(
                self.id, status, entry.to, lifecycle.allowed_transitions(status)
            )
        return self.with_entry(entry)


def _instant(value: _dt.datetime | When | str | None) -> _dt.datetime | None:
    return None if value is None else utc(When.coerce(value) if isinstance(value, str) else value)
