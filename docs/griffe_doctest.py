"""A griffe extension that renders tradetruce's docstrings well in the API reference.

The docstrings are written for ``help()`` and doctest first: examples stand bare (``>>> ...``)
and cross-references use the short Sphinx roles (``:class:`When```). Markdown would turn a bare
``>>>`` into nested block quotes and print the roles literally, so before rendering this
extension fences each bare doctest block as ``pycon`` and turns each role into inline code.
The docstrings themselves stay as they are (and keep running as doctests).
"""

from __future__ import annotations

import re
from typing import Any

try:
    from griffe import Extension, Object
except ImportError:  # without the docs group only the text functions are used (by the tests)
    Extension = object  # type: ignore[assignment,misc]
    Object = Any  # type: ignore[assignment,misc]

_ROLE = re.compile(r":(?:class|meth|func|attr|mod|data|exc|obj|const):`(~?)([^`]+)`")


def _role(match: re.Match[str]) -> str:
    short, target = match.groups()
    return f"`{target.rsplit('.', 1)[-1] if short else target}`"


def fence_doctests(text: str) -> str:
    """Fence every bare doctest block (a ``>>>`` line at the left margin and its output).

    Indented examples (inside a Google ``Examples:`` section) and examples already in a fence
    are left alone: griffe and Markdown render those already.
    """
    out: list[str] = []
    in_block = False
    in_fence = False
    for line in text.splitlines():
        if line.startswith("```"):
            in_fence = not in_fence
        if not in_fence and not in_block and line.startswith(">>>"):
            out.append("```pycon")
            in_block = True
        elif in_block and not line.strip():
            out.append("```")
            in_block = False
        out.append(line)
    if in_block:
        out.append("```")
    return "\n".join(out)


_LITERAL = re.compile(r"(\S)::$", re.M)


def render(text: str) -> str:
    """Docstring text as Markdown: doctests fenced, Sphinx roles as inline code, and the
    reStructuredText ``Usage::`` marker of an indented literal block reduced to ``Usage:`` (the
    indented block below it is already a Markdown code block)."""
    return _LITERAL.sub(r"\1:", _ROLE.sub(_role, fence_doctests(text)))


def is_protocol_method(name: str, parent_kind: str) -> bool:
    """True for a class's special methods (``__lt__``, ``__attrs_post_init__``): how Python and
    attrs call the class, not API a reader calls, so the reference leaves them out."""
    return parent_kind == "class" and name.startswith("__") and name.endswith("__")


class DoctestFences(Extension):
    """Rewrite each docstring once the object tree is complete."""

    def on_object(self, *, obj: Object, **kwargs: Any) -> None:
        parent = obj.parent
        if parent is not None and is_protocol_method(obj.name, str(parent.kind.value)):
            obj.public = False
        if obj.docstring is not None:
            obj.docstring.value = render(obj.docstring.value)
