"""The JSON shapes of the command line's ``--json`` output.

Answers the library writes (a tariff stack, a change recorded) are written by its own writers
(:func:`answer`): one description of each, the wire plan's. What only the command line shows
(a time as the reader gave it, local times, countdowns, words) is added around them.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from tradetruce.cli._words import _status_words
from tradetruce.engine.states import AnyState
from tradetruce.model.entries import DeadlineEntry, Entry, MeasureEntry
from tradetruce.values.suspension import Suspension
from tradetruce.values.terms import Quantity, Rate, Terms
from tradetruce.values.when import OPEN_END, OPEN_START, When


# ------------------------------------------------------------------------------- JSON shapes
def answer(obj: object) -> dict[str, Any]:
    """The document the library's writers write for the answer ``obj`` (``format`` and
    ``answer`` keys first; every field, None as null)."""
    from tradetruce.wire import serialize  # the wire machinery loads when first asked for

    return serialize.to_dict(obj)


def nested_answer(obj: object) -> dict[str, Any]:
    """:func:`answer` without its ``format`` and ``answer`` keys, as an item of a list."""
    return {k: v for k, v in answer(obj).items() if k not in ("format", "answer")}


def _iso(value: _dt.datetime) -> str:
    return value.isoformat()


def when_json(value: When | None) -> dict[str, Any] | None:
    """A time value with its bounds in UTC; an open end is ``null``."""
    if value is None:
        return None
    return {
        "value": str(value),
        "earliest": None if value.earliest is OPEN_START else _iso(value.lower),
        "latest": None if value.latest is OPEN_END else _iso(value.upper),
    }


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


class _Plain:
    """The hooks of :func:`plain`: an object inside a value is shown as :func:`plain` shows it."""

    @staticmethod
    def nested(cls: type) -> Any:
        return plain


def plain(obj: object) -> dict[str, Any]:
    """A value of the model (a Rate, Terms, a Suspension...) as the command line shows it: every
    field of its wire plan, written by the plan's own kinds, None as null (defaults kept), and
    every time value with its bounds in UTC (:func:`when_json`)."""
    from tradetruce.wire._plan import plan_of  # the wire machinery loads when first asked for
    from tradetruce.wire._scalars import WHEN

    shown: dict[str, Any] = {}
    for f in plan_of(type(obj)).fields:
        value = getattr(obj, f.name)
        kind = f.kind.present()
        if value is None:
            shown[f.key] = None
        elif kind is WHEN:
            shown[f.key] = when_json(value)
        else:
            shown[f.key] = kind.unstructurer(_Plain)(value)
    return shown


def _rate_json(rate: Rate | None) -> dict[str, Any] | None:
    return None if rate is None else plain(rate)


def _quantity_json(quantity: Quantity | None) -> dict[str, Any] | None:
    return None if quantity is None else plain(quantity)


def _terms_json(terms: Terms | None) -> dict[str, Any] | None:
    return None if terms is None else {"text": terms.describe(), **plain(terms)}


def _state_json(state: AnyState) -> dict[str, Any]:
    return {
        "status": None if state.status is None else state.status.value,
        "status_text": _status_words(state),
        "certain": state.certain,
        "candidates": [None if c is None else c.value for c in state.candidates],
        "projected": state.projected,
        "lapses": [
            {
                "kind": lapse.kind.value,
                "due": when_json(lapse.due),
                "to": lapse.to.value,
                "passed": lapse.passed,
                "text": str(lapse),
            }
            for lapse in state.lapses
        ],
        "disputed": bool(state.disagreements),
        "disputes": [_claims_json(group) for group in state.disagreements],
    }


def _claims_json(group: Iterable[Entry[Any]]) -> list[dict[str, Any]]:
    """Competing claims about one event: who says what."""
    found = []
    for e in group:
        claim: dict[str, Any] = {
            "source": e.source,
            "evidence": e.evidence.value,
            "claimed_by": e.claimed_by,
            "to": e.to.value,
        }
        if isinstance(e, MeasureEntry):
            claim["terms"] = _terms_json(e.terms)
            claim["suspension"] = _suspension_json(e.suspension, e.terms)
        if isinstance(e, DeadlineEntry) and e.sets_due:
            claim["due"] = when_json(e.due)
        found.append(claim)
    return found


def _suspension_json(suspension: Suspension | None, terms: Terms | None) -> dict[str, Any] | None:
    if suspension is None:
        return None
    rate = None if terms is None else terms.rate
    return {"text": suspension.describe(rate), **plain(suspension)}
