"""JSON Schema (draft 2020-12) for tradetruce documents, generated from the attrs model itself.

Nothing here is written by hand per class: the schema is made from the wire plan, the one
description of each class that the readers and writers are made from too. Patterns come from the
compiled regexes of the values modules that own the rules (ids, HS codes, time values) through
the plan's kinds; enumerations, defaults and bounds from the model; descriptions from its
docstrings. Point an editor at the output to validate and
complete seed files; other languages can validate tradetruce documents with it.

>>> import tradetruce as tt
>>> schema = tt.json_schema(tt.Rate)
>>> schema["properties"]["value"]["type"], schema["required"]
('string', ['format', 'value'])
"""

from __future__ import annotations

import inspect
import re
from typing import Any, Final

from tradetruce.errors import InvalidValueError
from tradetruce.wire._plan import ANSWERS, DOCUMENT_TYPES, FORMAT, plan_of, wire_key

__all__ = ["json_schema"]

DRAFT: Final = "https://json-schema.org/draft/2020-12/schema"


def json_schema(cls: type) -> dict[str, Any]:
    """The JSON Schema of a document holding a ``cls`` (a Scenario, an entity, a value, an answer).

    Answers are what the engine says about a scenario (a View, a TariffStack...: see "Answers"
    in the format's documentation); their documents are written and never read.

    Raises:
        InvalidValueError: when ``cls`` has no document form.
    """
    if cls not in DOCUMENT_TYPES and cls not in ANSWERS:
        raise InvalidValueError(
            f"{cls!r} has no document form",
            field="cls",
            value=cls,
            allowed="one of " + ", ".join(t.__name__ for t in (*DOCUMENT_TYPES, *ANSWERS)),
        )
    defs: dict[str, Any] = {}
    _define(cls, defs)
    root = dict(defs.pop(cls.__name__))
    head: dict[str, Any] = {
        "format": {
            "const": FORMAT,
            "description": "The format version of the document; always the first key.",
        }
    }
    if cls in ANSWERS:
        head["answer"] = {
            "const": cls.__name__,
            "description": "What the document answers: the class it holds; the second key.",
        }
    root["properties"] = {**head, **root["properties"]}
    root["required"] = [*head, *root.get("required", [])]
    out: dict[str, Any] = {"$schema": DRAFT, "$id": f"urn:tradetruce:{FORMAT}:{cls.__name__}"}
    out.update(root)
    if defs:
        out["$defs"] = dict(sorted(defs.items()))
    return out


def _define(cls: type, defs: dict[str, Any]) -> None:
    if cls.__name__ in defs:
        return
    defs[cls.__name__] = {}  # placeholder: breaks cycles

    def ref(nested: type) -> dict[str, Any]:
        _define(nested, defs)
        return {"$ref": f"#/$defs/{nested.__name__}"}

    docs = _field_docs(cls)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for f in plan_of(cls).fields:
        prop = f.kind.schema(ref)
        if f.key in docs:
            prop["description"] = docs[f.key]
        if f.required:
            required.append(f.key)
        elif f.wire_default is not None:
            prop["default"] = f.wire_default
        properties[f.key] = prop
    schema: dict[str, Any] = {"title": cls.__name__, "type": "object"}
    summary = _summary(cls)
    if summary:
        schema["description"] = summary
    schema["properties"] = properties
    if required:
        schema["required"] = required
    schema["additionalProperties"] = False
    defs[cls.__name__] = schema


def _summary(cls: type) -> str:
    doc = inspect.getdoc(cls) or ""
    return doc.split("\n\n", 1)[0].replace("\n", " ").strip()


_ATTR_LINE_RE: Final = re.compile(r"^\s{4}(\w+)(?:,[\w, ]+)?:\s*(.*)$")


def _field_docs(cls: type) -> dict[str, str]:
    """Field descriptions from the ``Attributes:`` section of the class docstring."""
    docs: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        doc = inspect.getdoc(klass) if "__doc__" in klass.__dict__ else None
        if not doc or "Attributes:" not in doc:
            continue
        section = doc.split("Attributes:", 1)[1]
        current = None
        for line in section.splitlines()[1:]:
            if line and not line.startswith(" "):
                break
            m = _ATTR_LINE_RE.match(line)
            if m:
                current = wire_key(m.group(1))
                docs[current] = m.group(2).strip()
            elif current and line.strip():
                docs[current] += " " + line.strip()
    return docs
