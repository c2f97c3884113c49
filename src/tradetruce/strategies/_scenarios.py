"""Whole scenarios: every entity drawn from its own strategy, built against the scenario's ids."""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Iterator, Sequence
from typing import Any, Final

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from tradetruce.engine.changes import Change
from tradetruce.engine.view import View
from tradetruce.model.lifecycle import DEADLINE, NEGOTIATION
from tradetruce.model.party import Party
from tradetruce.model.scenario import Scenario
from tradetruce.strategies import _args, _text
from tradetruce.strategies._deadlines import deadlines
from tradetruce.strategies._measures import measures
from tradetruce.strategies._negotiations import negotiations
from tradetruce.strategies._parties import parties as parties_
from tradetruce.strategies._sources import sources
from tradetruce.values.when import When


def scenarios(
    *,
    parties: Sequence[Party] | SearchStrategy[Sequence[Party]] | None = None,
    max_parties: int = 4,
    max_sources: int = 3,
    max_measures: int = 10,
    max_deadlines: int = 4,
    max_negotiations: int = 3,
    max_history: int = 4,
) -> SearchStrategy[Scenario]:
    """Whole, consistent scenarios.

    Parties are ``p0``, ``p1``...; sources ``s0``... (each with a publication time); measures
    ``m0``..., deadlines ``d0``..., negotiations ``n0``.... Every reference names something of
    the right kind in the same scenario: imposing and target parties, parents (a tree), claims,
    sources, links between measures, what deadlines govern, and the entities that consequences
    and deal terms name, with a status of that entity's own lifecycle.

    Each entity is drawn from :func:`parties`, :func:`sources`, :func:`measures`,
    :func:`deadlines` or :func:`negotiations`, given the scenario's ids to choose from.

    Args:
        parties: use these parties (a sequence of :class:`tradetruce.Party`, or a strategy of
            them) instead of generated ones.
        max_parties: the most generated parties (at least one is always generated).
        max_sources: the most sources (at least one).
        max_measures: the most measures.
        max_deadlines: the most deadlines.
        max_negotiations: the most negotiations.
        max_history: the most moves in each entity's history.

    >>> from hypothesis import find
    >>> [m.id for m in find(scenarios(), lambda s: len(s.measures) >= 1).measures]
    ['m0']
    """
    bounds = (
        _args.size("max_parties", max_parties),
        _args.size("max_sources", max_sources),
        _args.size("max_measures", max_measures),
        _args.size("max_deadlines", max_deadlines),
        _args.size("max_negotiations", max_negotiations),
        _args.size("max_history", max_history, low=1),
    )
    return _scenarios(_args.spec("parties", parties, _args.party_tuple), *bounds)


@functools.lru_cache(maxsize=256)
def _scenarios(
    parties: _args.Spec,
    max_parties: int,
    max_sources: int,
    max_measures: int,
    max_deadlines: int,
    max_negotiations: int,
    max_history: int,
) -> SearchStrategy[Scenario]:
    return _scenario(
        parties,
        max_parties,
        max_sources,
        max_measures,
        max_deadlines,
        max_negotiations,
        max_history,
    )


@functools.cache
def _count(low: int, high: int) -> SearchStrategy[int]:
    return st.integers(low, max(low, high))


@functools.lru_cache(maxsize=1024)
def _parents(earlier: tuple[str, ...]) -> SearchStrategy[str | None]:
    """No parent, or a party listed earlier (so that parent chains are trees)."""
    return st.sampled_from((None, *earlier)) if earlier else _NO_PARENT


_NO_PARENT: Final[SearchStrategy[str | None]] = st.none()


@st.composite
def _scenario(
    draw: st.DrawFn,
    parties: _args.Spec,
    max_parties: int,
    max_sources: int,
    max_measures: int,
    max_deadlines: int,
    max_negotiations: int,
    max_history: int,
) -> Scenario:
    def few(high: int) -> int:
        """A count up to ``high``, small more often than large (the lesser of two draws)."""
        return min(draw(_count(0, high)), draw(_count(0, high)))

    if parties is None:
        cast: list[Party] = []
        for i in range(draw(_count(1, max_parties))):
            parent = _parents(tuple(p.id for p in cast))
            cast.append(draw(parties_(id=f"p{i}", parent=parent)))
        party_list = tuple(cast)
    else:
        party_list = _args.drawn(draw, parties, st.nothing())
    party_ids = tuple(p.id for p in party_list)
    source_list = tuple(
        draw(sources(id=f"s{i}", published=True)) for i in range(draw(_count(1, max_sources)))
    )
    source_ids = tuple(s.id for s in source_list)
    n_measures = few(max_measures) if party_ids else 0
    n_deadlines = few(max_deadlines)
    n_talks = few(max_negotiations) if len(party_ids) >= 2 else 0
    measure_ids = tuple(f"m{i}" for i in range(n_measures))
    measure_list = tuple(
        draw(
            measures(
                id=m,
                parties=party_ids,
                links_to=measure_ids,
                sources=source_ids,
                max_history=max_history,
            )
        )
        for m in measure_ids
    )
    # A measure's lifecycle depends on its kind (trade remedies follow REMEDY).
    pool: dict[str, Any] = {m.id: m.lifecycle for m in measure_list}
    pool.update(dict.fromkeys((f"d{i}" for i in range(n_deadlines)), DEADLINE))
    pool.update(dict.fromkeys((f"n{i}" for i in range(n_talks)), NEGOTIATION))
    deadline_list = tuple(
        draw(
            deadlines(
                id=f"d{i}",
                parties=party_ids,
                entities=pool,
                sources=source_ids,
                max_history=max_history,
            )
        )
        for i in range(n_deadlines)
    )
    talks = tuple(
        draw(
            negotiations(
                id=f"n{i}",
                among=party_ids,
                measures=measure_ids,
                entities=pool,
                sources=source_ids,
                max_history=max_history,
            )
        )
        for i in range(n_talks)
    )
    return Scenario(
        title=draw(_text.notes),
        description=draw(_text.notes),
        sources=source_list,
        parties=party_list,
        measures=measure_list,
        deadlines=deadline_list,
        negotiations=talks,
    )


# ------------------------------------------------------------------------------ instants in one
_ONE_US: Final = _dt.timedelta(microseconds=1)
_FIRST: Final = _dt.datetime.min.replace(tzinfo=_dt.UTC)
_LAST: Final = _dt.datetime.max.replace(tzinfo=_dt.UTC)


def instants(scenario: Scenario) -> SearchStrategy[_dt.datetime]:
    """UTC instants where the readings of ``scenario`` change, or may: the first and last
    instant of every time value on its timeline (entries, due times, rounds) and of the times
    its entries became known (recorded times, publications), each now and then a microsecond
    earlier or later. Shrinks to the earliest.

    Drawn against a scenario of the same test (``data.draw(instants(scenario))``), they put a
    question such as ``scenario.at(t, known_at=k)`` where its answer is hardest to get right;
    an instant drawn from :func:`times` would almost never fall near the scenario's events.

    >>> from hypothesis import find
    >>> scenario = find(scenarios(), lambda s: len(s.measures) >= 1)
    >>> str(find(instants(scenario), lambda t: True))
    '2000-01-01 00:00:00+00:00'
    """
    if not isinstance(scenario, Scenario):
        raise InvalidArgument(f"scenario={scenario!r}: expected a tradetruce.Scenario")
    edges: set[_dt.datetime] = set()
    for when in _time_values(scenario):
        edges.update((when.lower, when.upper))
    return _nudged(tuple(sorted(edges)) or (_dt.datetime(2000, 1, 1, tzinfo=_dt.UTC),))


def _time_values(scenario: Scenario) -> Iterator[When]:
    """The time values of the scenario's timeline (entries, due times, rounds), and the times
    its entries became known (recorded times, publications)."""
    for event in scenario.timeline():
        yield event.at
        if event.entry is not None and event.entry.recorded is not None:
            yield event.entry.recorded
    for source in scenario.sources:
        if source.published is not None:
            yield source.published


@st.composite
def _nudged(draw: st.DrawFn, edges: tuple[_dt.datetime, ...]) -> _dt.datetime:
    t = draw(st.sampled_from(edges))
    nudge = draw(_NUDGES)
    if _FIRST + _ONE_US < t < _LAST - _ONE_US:  # the open ends of ranges lie near both
        t += nudge * _ONE_US
    return t


#: At the edge itself, a microsecond before it, or after it.
_NUDGES: Final = st.sampled_from((0, -1, 1))


def views(scenario: Scenario | SearchStrategy[Scenario] | None = None) -> SearchStrategy[View]:
    """Views of a scenario (``scenario.at(t, known_at=k)``), at instants where its readings
    change (:func:`instants`), as known at such an instant or with everything known.

    ``scenario`` is one Scenario, a strategy of them, or ``None`` for :func:`scenarios`.
    """
    drawn = _scenario_strategy(scenario)

    @st.composite
    def draw(data: st.DrawFn) -> View:
        s = data(drawn)
        t = data(instants(s))
        k = data(st.none() | instants(s))
        return s.at(t, known_at=k)

    return draw()


def changes(scenario: Scenario | SearchStrategy[Scenario] | None = None) -> SearchStrategy[Change]:
    """Transitions and amendments of a scenario (``scenario.changes(t1, t2)``), each from a
    window between two of its :func:`instants` that holds at least one.

    ``scenario`` is one Scenario, a strategy of them, or ``None`` for :func:`scenarios` with
    at least one measure.
    """
    drawn = _scenario_strategy(scenario, at_least_one=True)

    @st.composite
    def draw(data: st.DrawFn) -> Change:
        s = data(drawn)
        a, b = sorted((data(instants(s)), data(instants(s))))
        # A day's margin before the window, never before the earliest instant there is.
        start = max(a, _EARLIEST + _DAY) - _DAY
        found = s.changes(start, b) or s.changes(_EARLIEST, _LATEST)
        return data(st.sampled_from(found))

    return draw()


#: A window that holds every change of any scenario the strategies draw.
_DAY: Final = _dt.timedelta(days=1)
_EARLIEST: Final = _dt.datetime(1, 1, 1, tzinfo=_dt.UTC)
_LATEST: Final = _dt.datetime(9999, 12, 31, tzinfo=_dt.UTC)


def _scenario_strategy(
    scenario: Scenario | SearchStrategy[Scenario] | None, *, at_least_one: bool = False
) -> SearchStrategy[Scenario]:
    if scenario is None:
        return scenarios().filter(lambda s: bool(s.measures)) if at_least_one else scenarios()
    if isinstance(scenario, Scenario):
        if at_least_one and not scenario.measures:
            raise InvalidArgument("scenario: a scenario without measures has no changes")
        return st.just(scenario)
    if isinstance(scenario, SearchStrategy):
        return scenario
    raise InvalidArgument(f"scenario={scenario!r}: expected a Scenario or a strategy of them")
