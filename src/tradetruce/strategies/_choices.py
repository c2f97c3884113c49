"""Choices shared by the strategies: an id or a few ids of a pool, and a set of rare features.

Drawing costs Hypothesis tens of microseconds a choice, and an entity has many optional parts
that are absent most of the time (a note, an explicit recorded time, a rival claim). Rather
than one yes/no draw per part, :func:`features` draws which of them are present in one choice:
a set of feature names, drawn from every combination in proportion to its odds, the empty set
first. Hypothesis still sees a choice with a meaning, shrinks it towards fewer features, and
the parts' own values are separate draws.
"""

from __future__ import annotations

import functools
import itertools

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy


@functools.lru_cache(maxsize=1024)
def one_of_ids(pool: tuple[str, ...]) -> SearchStrategy[str]:
    """One id of ``pool``, shrinking to the first."""
    return st.sampled_from(pool)


@functools.lru_cache(maxsize=1024)
def some_ids(
    pool: tuple[str, ...], max_size: int, exclude: tuple[str, ...] = ()
) -> SearchStrategy[tuple[str, ...]]:
    """Up to ``max_size`` distinct ids of ``pool`` that are not in ``exclude``, in pool order,
    in one draw among every such subset, the smallest first: shrinks to none, then to the
    first ids of the pool."""
    options = tuple(p for p in pool if p not in exclude)
    subsets = [
        combination
        for size in range(min(max_size, len(options)) + 1)
        for combination in itertools.combinations(options, size)
    ]
    return st.sampled_from(subsets) if len(subsets) > 1 else st.just(())


@functools.cache
def features(**odds: int) -> SearchStrategy[frozenset[str]]:
    """Which of some independent features are present, in one draw: feature ``name`` is
    present about once in ``odds[name]`` draws. Shrinks towards the empty set.

    >>> from hypothesis import find
    >>> find(features(note=4, rival=10), lambda found: "rival" in found)
    frozenset({'rival'})
    """
    names = sorted(odds)
    outcomes = [
        frozenset(name for name, roll in zip(names, rolls, strict=True) if roll == 0)
        for rolls in itertools.product(*(range(odds[name]) for name in names))
    ]
    outcomes.sort(key=len)  # stable: the fewest features first, the empty set at the front
    return st.sampled_from(outcomes)
