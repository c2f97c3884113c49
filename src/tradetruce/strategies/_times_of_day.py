"""Times of day known only roughly: ``2025-10-30T10:00~[Asia/Shanghai]``."""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from tradetruce.strategies._times import times
from tradetruce.values.calendar import Qualifier
from tradetruce.values.when import When

__all__ = ["rough_times"]

_QUALIFIED = (Qualifier.APPROXIMATE, Qualifier.UNCERTAIN, Qualifier.APPROXIMATE_UNCERTAIN)


def rough_times(
    *, zone: str | Sequence[str] | SearchStrategy[str] | None = None
) -> SearchStrategy[When]:
    """Instants from :func:`times` (``exact=True``, in ``zone`` if given) qualified as
    approximate, uncertain or both: "about 10:00", widened by
    :data:`tradetruce.values.when.TIME_OF_DAY_MARGIN` on each side.

    >>> from hypothesis import given
    >>> @given(rough_times())
    ... def test_rough(w):
    ...     assert w.is_approximate and not w.is_exact
    >>> test_rough()
    """
    return st.builds(_qualify, times(zone=zone, exact=True), st.sampled_from(_QUALIFIED))


def _qualify(w: When, qualifier: Qualifier) -> When:
    assert w.instant is not None
    return When.exact(w.instant, qualifier=qualifier)
