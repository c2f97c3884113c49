"""JSON Schema (draft 2020-12) for tradetruce documents, generated from the attrs model itself.

Nothing here is written by hand per class: the schema walks the attrs fields and their types,
and takes patterns, enumerations, defaults and descriptions from what the model already knows
(its validators, enums, defaults and docstrings). Point an editor at the output to validate and
complete seed files; other languages can validate tradetruce documents with it.

>>> import tradetruce as tt
>>> schema = tt.json_schema(tt.Rate)
>>> schema["properties"]["value"]["type"], schema["required"]
('string', ['format', 'value'])
"""

from __future__ import annotations

import inspect
import re
import typing
from decimal import Decimal
from enum import Enum
from typing import Any, Final

import attrs

from tradetruce.errors import InvalidValueError
from tradetruce.model.deadline import _status_name
from tradetruce.model.lifecycle import LIFECYCLES
from tradetruce.model.negotiation import _positive
from tradetruce.model.party import _jurisdiction
from tradetruce.values import _validate as v
from tradetruce.values.codes import HSCode
from tradetruce.values.when import When
from tradetruce.wire._convert import FORMAT, field_type, resolve_field_types, wire_name

__all__ = ["json_schema"]

DRAFT: Final = "https://json-schema.org/draft/2020-12/schema"
_ID_PATTERN: Final = "^[a-z0-9](?:[a-z0-9._-]{0,126}[a-z0-9])?$"
_DECIMAL_PATTERN: Final = r"^[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$"
_HS_PATTERN: Final = r"^(?:HS(?:19|20)\d\d:)?\d{2}(?:\d{2}(?:\d{2}(?:\d{2}(?:\d{2})?)?)?)?$"
_CAL: Final = r"\d{4}(?:-\d{2}(?:-\d{2})?)?[~?%]?"
_WHEN_PATTERN: Final = (
    r"^(?:\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2})?"
    rf"|{_CAL}|(?:{_CAL}|\.\.)/(?:{_CAL}|\.\.))\[[A-Za-z0-9_+/-]+\]$"
)
_STATUSES: Final = sorted({m.value for lc in LIFECYCLES.values() for m in lc.status_type})


def json_schema(cls: type) -> dict[str, Any]:
    """The JSON Schema of a document holding a ``cls`` (a Scenario, an entity or a value).

    Raises:
        InvalidValueError: when ``cls`` has no document form.
    """
    if not (isinstance(cls, type) and attrs.has(cls) and cls.__module__.startswith("tradetruce")):
        raise InvalidValueError(
            f"{cls!r} has no document form",
            field="cls",
            value=cls,
            allowed="a tradetruce entity or value class such as Scenario or Measure",
        )
    defs: dict[str, Any] = {}
    _define(cls, defs)
    root = dict(defs.pop(cls.__name__))
    root["properties"] = {
        "format": {
            "const": FORMAT,
            "description": "The format version of the document; always the first key.",
        },
        **root["properties"],
    }
    root["required"] = ["format", *root.get("required", [])]
    out: dict[str, Any] = {"$schema": DRAFT, "$id": f"urn:tradetruce:{FORMAT}:{cls.__name__}"}
    out.update(root)
    if defs:
        out["$defs"] = dict(sorted(defs.items()))
    return out


def _define(cls: type, defs: dict[str, Any]) -> None:
    if cls.__name__ in defs:
        return
    defs[cls.__name__] = {}  # placeholder: breaks cycles
    resolve_field_types(cls)
    docs = _field_docs(cls)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for a in attrs.fields(cls):
        if not a.init:
            continue
        name = wire_name(a.name)
        tp = field_type(cls, a)
        prop = _field_schema(a, tp, defs)
        if name in docs:
            prop["description"] = docs[name]
        if a.default is attrs.NOTHING:
            if type(None) not in typing.get_args(tp):
                required.append(name)
        elif a.default is not None and not isinstance(a.default, attrs.Factory):  # type: ignore[arg-type]
            default = _wire_default(a.default)
            if default is not None:
                prop["default"] = default
        properties[name] = prop
    schema: dict[str, Any] = {"title": cls.__name__, "type": "object"}
    summary = _summary(cls)
    if summary:
        schema["description"] = summary
    schema["properties"] = properties
    if required:
        schema["required"] = required
    schema["additionalProperties"] = False
    defs[cls.__name__] = schema


def _wire_default(value: object) -> object:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, str | int | bool):
        return value
    return None


def _validators(a: attrs.Attribute[Any]) -> list[Any]:
    val = a.validator
    if val is None:
        return []
    inner = getattr(val, "_validators", None)
    return list(inner) if inner is not None else [val]


def _field_schema(a: attrs.Attribute[Any], tp: Any, defs: dict[str, Any]) -> dict[str, Any]:
    validators = _validators(a)
    if v.an_id in validators or v.an_optional_id in validators:
        return _nullable({"type": "string", "pattern": _ID_PATTERN}, tp)
    if v.ids in validators:
        return {
            "type": "array",
            "items": {"type": "string", "pattern": _ID_PATTERN},
            "uniqueItems": True,
        }
    if _status_name in validators or (a.name == "to" and tp in (str, str | None)):
        return _nullable({"type": "string", "enum": _STATUSES}, tp)
    if _jurisdiction in validators:
        return _nullable({"type": "string", "pattern": "^(?:[A-Z]{2})$"}, tp)
    if _positive in validators:
        return {"type": "integer", "minimum": 1}
    schema = _type_schema(tp, defs)
    if v.nonempty_text in validators or v.optional_text in validators:
        target = schema.get("anyOf", [schema])[0]
        target["pattern"] = r"\S"
    if v.texts in validators:
        schema["items"] = {"type": "string", "pattern": r"\S"}
    return schema


def _nullable(schema: dict[str, Any], tp: Any) -> dict[str, Any]:
    if type(None) in typing.get_args(tp):
        return {"anyOf": [schema, {"type": "null"}]}
    return schema


def _type_schema(tp: Any, defs: dict[str, Any]) -> dict[str, Any]:
    args = typing.get_args(tp)
    if type(None) in args:
        rest = [t for t in args if t is not type(None)]
        inner = rest[0] if len(rest) == 1 else typing.Union[tuple(rest)]  # noqa: UP007
        return {"anyOf": [_type_schema(inner, defs), {"type": "null"}]}
    if typing.get_origin(tp) is tuple:
        return {"type": "array", "items": _type_schema(args[0], defs)}
    if tp is str:
        return {"type": "string"}
    if tp is bool:
        return {"type": "boolean"}
    if tp is int:
        return {"type": "integer"}
    if tp is Decimal:
        return {
            "type": "string",
            "pattern": _DECIMAL_PATTERN,
            "description": "A decimal number written as text ('25', '7.5'); never a number.",
        }
    if tp is When:
        return {
            "type": "string",
            "pattern": _WHEN_PATTERN,
            "description": "A time value with its IANA zone: an instant "
            "2025-11-01T00:01:00-04:00[America/New_York], a calendar value "
            "2025-11-01[America/New_York] or 2026-11~[Asia/Shanghai], or a range "
            "2025-10-27/2025-11-02[Asia/Seoul].",
        }
    if tp is HSCode:
        return {
            "type": "string",
            "pattern": _HS_PATTERN,
            "description": "An HS code as text, leading zeros kept: '0201' or 'HS2022:1201'.",
        }
    if isinstance(tp, type) and issubclass(tp, Enum):
        return {"type": "string", "enum": [m.value for m in tp]}
    if isinstance(tp, type) and attrs.has(tp):
        _define(tp, defs)
        return {"$ref": f"#/$defs/{tp.__name__}"}
    raise InvalidValueError(f"no JSON Schema for type {tp!r}", field="type", value=tp)


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
                current = wire_name(m.group(1))
                docs[current] = m.group(2).strip()
            elif current and line.strip():
                docs[current] += " " + line.strip()
    return docs
