"""Shared hostile input for the tests of values and validators."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from types import FrameType
from typing import Any

from hypothesis import strategies as st

#: More digits than Python will write as decimal text by default (``sys.int_info``).
HUGE: Any = 10**5000

#: Values of many types, hostile or merely wrong, for fuzzing constructors and readers.
ANYTHING = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.just(HUGE),
    st.floats(),
    st.decimals(),
    st.fractions(),
    st.complex_numbers(),
    st.binary(),
    st.text(),
    st.lists(st.integers(), max_size=3),
    st.tuples(st.text(max_size=3)),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=3),
    st.datetimes(),
    st.builds(object),
    st.just(Fraction(1, 3)),
    st.just(Fraction(HUGE, 3)),
    st.just(Decimal("NaN")),
    st.just(Decimal("-Infinity")),
)


@contextlib.contextmanager
def finishes_within(seconds: float) -> Iterator[None]:
    """Fail, rather than hang, when the body runs longer than ``seconds``: a quadratic check of
    100,000 items runs for minutes, a linear one for a fraction of a second."""

    def stop(_signum: int, _frame: FrameType | None) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
