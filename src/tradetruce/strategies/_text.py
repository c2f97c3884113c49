"""Text and ids.

Free text in an entity (a title, a note, a party's name) is drawn from a list of short strings
that trip up text handling, in one draw each: scripts, combining marks, emoji, quotes,
backslashes, tabs and newlines, a line separator, digits of other scripts. The first entry is
plain, so failing examples shrink to it.
"""

from __future__ import annotations

import functools

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

#: Short texts, plain first, then the awkward ones.
TEXTS = (
    "a",
    "b",
    "ab",
    "Tariff on steel",
    "x y",
    "é",
    "中国",
    "😀",
    "e\u0301",
    "עברית",
    "ﬁ",
    "a\u2028b",
    'say "no"',
    "it's",
    "C:\\temp",
    "a\tb",
    "two\nlines",
    " padded ",
    "#1",
    "[x]",
    "a=b",
    "ß",
    "İ",
    "\u200b",
    "٣",
)

#: Any non-empty text of the listed kinds, shrinking to ``"a"``.
texts: SearchStrategy[str] = st.sampled_from(TEXTS)
#: Text or, half the time, none (notes, scopes), shrinking to ``""``: the empty string is
#: listed once per text so that one draw gives the even odds.
notes: SearchStrategy[str] = st.sampled_from(("",) * len(TEXTS) + TEXTS)


@functools.cache
def ids(prefix: str) -> SearchStrategy[str]:
    """Valid ids: mostly ``prefix`` plus a number (``p0``), sometimes any legal id."""
    simple = st.integers(0, 99).map(lambda i: f"{prefix}{i}")
    general = st.from_regex(r"[a-z0-9][a-z0-9._-]{0,14}[a-z0-9]", fullmatch=True)
    return st.one_of(simple, general)
