"""A griffe extension that shows attrs fields as a reader calls them, not as attrs builds them.

In the source a field reads ``title: str = attrs.field(default="", validator=v.text)``; the
reference should say ``title: str = ''``: the default is what a caller needs, the validator is
how the class checks it (its docstring says what is allowed). A field without a default shows
no value at all, as a required argument would.
"""

from __future__ import annotations

import ast
from typing import Any

try:
    from griffe import Attribute, Extension
except ImportError:  # without the docs group only the text function is used (by the tests)
    Extension = object  # type: ignore[assignment,misc]
    Attribute = Any  # type: ignore[assignment,misc]

_FIELD_CALLS = {"attrs.field", "attr.field", "attr.ib", "attrs.Factory", "attr.Factory"}


def reader_value(source: str) -> str | None:
    """The value a reader should see for an attribute whose source value is ``source``.

    >>> reader_value("attrs.field(default='', validator=v.text)")
    "''"
    >>> reader_value("attrs.field(factory=tuple, kw_only=True)")
    'tuple()'
    >>> reader_value("attrs.field(default=attrs.Factory(list))")
    'list()'
    >>> reader_value("attrs.field(validator=v.an_id)") is None
    True
    >>> reader_value("'effective_date'")
    "'effective_date'"
    """
    try:
        node = ast.parse(source, mode="eval").body
    except SyntaxError:
        return source
    if not (isinstance(node, ast.Call) and ast.unparse(node.func) in _FIELD_CALLS):
        return source
    if ast.unparse(node.func).endswith("Factory"):
        return f"{ast.unparse(node.args[0])}()" if node.args else None
    for keyword in node.keywords:
        if keyword.arg == "default":
            return reader_value(ast.unparse(keyword.value))
        if keyword.arg == "factory":
            return f"{ast.unparse(keyword.value)}()"
    return None


class AttrsFields(Extension):
    """Replace each attrs field's value by its default, or by nothing."""

    def on_attribute_instance(self, *, attr: Attribute, **kwargs: Any) -> None:
        if attr.value is not None:
            attr.value = reader_value(str(attr.value))
