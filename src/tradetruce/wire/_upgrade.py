"""Upcasters: documents of an earlier format version, upgraded on read to the current one.

A document says which version it is written in (``format``). The readers accept every version in
:data:`~tradetruce.wire._plan.FORMATS`; one of an earlier version is upgraded here, on its wire
dicts, before it is structured, by one explicit step per version (:data:`UPGRADES`), so an old
document is never silently read with a newer meaning. Every reader goes through this: JSON, TOML,
dicts, and the scenario files :func:`tradetruce.load_seed` reads.

``tradetruce/1`` to ``tradetruce/2``: format 1 had no suspensions. Its documentation taught a
``paused`` history entry whose terms carry ``expires`` for "paused until then", while
``expires`` is also a measure's own end. Format 2 tells them apart: such an entry becomes one
carrying a suspension of the whole measure until that time (``expires`` leaves its terms, and so
the terms later entries inherit through it), and a deal term that pauses a measure with
``expires`` becomes one that carries that suspension. A format-1 document that already uses a
key of format 2 (``suspension``) is refused: format 1 never had it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Final

from tradetruce.errors import InvalidDataError, Problem
from tradetruce.model.entries import MeasureEntry
from tradetruce.model.measure import Measure
from tradetruce.model.negotiation import Negotiation, Term
from tradetruce.model.scenario import Scenario
from tradetruce.wire._plan import FORMAT

__all__ = ["UPGRADES", "upgrade"]

Dict = dict[str, Any]


def upgrade(body: Dict, cls: type, version: str) -> Dict:
    """The body of a ``cls`` document of ``version``, upgraded step by step to :data:`FORMAT`.

    Parts of the body that are not the shape the format says are left as they are: the reader
    reports them. The body given is never changed.

    Raises:
        InvalidDataError: the document uses a key its version does not have.
    """
    while version != FORMAT:
        version, step = UPGRADES[version]
        body = step(body, cls)
    return body


def _from_1(body: Dict, cls: type) -> Dict:
    """``tradetruce/1`` to ``tradetruce/2`` (see the module docs)."""
    problems = list(_newer_keys(body, cls, "$"))
    if problems:
        raise InvalidDataError(problems)
    if cls is Scenario:
        return _each(_each(body, "measures", _measure), "negotiations", _negotiation)
    if cls is Measure:
        return _measure(body)
    if cls is MeasureEntry:
        return _entry(body)
    if cls is Negotiation:
        return _negotiation(body)
    if cls is Term:
        return _term(body)
    return body


#: Version -> (the next version, the step that upgrades a document to it).
UPGRADES: Final[dict[str, tuple[str, Callable[[Dict, type], Dict]]]] = {
    "tradetruce/1": ("tradetruce/2", _from_1),
}


def _each(body: Dict, key: str, step: Callable[[Dict], Dict]) -> Dict:
    """``body`` with ``step`` applied to each object of its array ``key``."""
    items = body.get(key)
    if not isinstance(items, list):
        return body
    return {**body, key: [step(x) if isinstance(x, dict) else x for x in items]}


def _measure(measure: Dict) -> Dict:
    return _each(measure, "history", _entry)


def _negotiation(negotiation: Dict) -> Dict:
    return _each(negotiation, "terms", _term)


def _entry(entry: Dict) -> Dict:
    """A history entry: paused with ``expires`` in its terms -> paused with a suspension."""
    terms = entry.get("terms")
    if entry.get("to") != "paused" or not isinstance(terms, dict) or "expires" not in terms:
        return entry
    rest = {k: v for k, v in terms.items() if k != "expires"}
    return {**entry, "terms": rest, "suspension": {"until": terms["expires"]}}


def _term(term: Dict) -> Dict:
    """A deal term: to paused with ``expires`` -> to paused with a suspension until then."""
    if term.get("to") != "paused" or "expires" not in term:
        return term
    rest = {k: v for k, v in term.items() if k != "expires"}
    return {**rest, "suspension": {"until": term["expires"]}}


def _newer_keys(body: Dict, cls: type, path: str) -> Iterator[Problem]:
    """Where a format-1 document of ``cls`` uses ``suspension``, which format 1 never had."""
    places: list[tuple[str, Any]] = []
    if cls is Scenario:
        for i, m in _items(body, "measures"):
            places += [(f"$.measures[{i}].history[{j}]", e) for j, e in _items(m, "history")]
        places += [
            (f"$.negotiations[{i}].terms[{j}]", t)
            for i, n in _items(body, "negotiations")
            for j, t in _items(n, "terms")
        ]
    elif cls is Measure:
        places = [(f"$.history[{j}]", e) for j, e in _items(body, "history")]
    elif cls is Negotiation:
        places = [(f"$.terms[{j}]", t) for j, t in _items(body, "terms")]
    elif cls in (MeasureEntry, Term):
        places = [(path, body)]
    for where, item in places:
        if isinstance(item, dict) and "suspension" in item:
            yield Problem(
                f"{where}.suspension",
                "unknown key 'suspension' in a tradetruce/1 document (suspensions came with "
                "tradetruce/2)",
                f'format = "{FORMAT}" for a document with suspensions',
            )


def _items(body: Any, key: str) -> Iterator[tuple[int, Any]]:
    items = body.get(key) if isinstance(body, dict) else None
    if isinstance(items, list):
        yield from enumerate(items)
