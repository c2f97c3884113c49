"""The cattrs converter for the wire format: its hooks derived from the wire plan.

This is the general reader, the only one that writes error reports: cattrs' detailed validation
collects every failure of a document with the field or index where it happened, and
:mod:`tradetruce.wire._report` turns them into problems. Each class's hooks come from its plan
(:func:`tradetruce.wire._plan.plan_of`): the keys, which keys may be left out, and for each
field the reader and writer of its kind.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from enum import Enum
from typing import Any

import attrs
import cattrs
from cattrs.errors import ClassValidationError, IterableValidationError, IterableValidationNote
from cattrs.gen import (
    make_dict_structure_fn_from_attrs,
    make_dict_unstructure_fn_from_attrs,
    override,
)

from tradetruce.values.codes import HSCode
from tradetruce.values.when import When
from tradetruce.wire import _report
from tradetruce.wire._kinds import Many, ValueProblem, kind_of
from tradetruce.wire._plan import Plan, kind_for_type, many_of, plan_of
from tradetruce.wire._scalars import scalar

__all__ = ["configure_converter", "make_converter"]


class _Readers:
    """The readers of nested values, for the kinds of one converter."""

    def __init__(self, converter: cattrs.Converter):
        self.converter = converter

    def nested(self, cls: type) -> Callable[[object], Any]:
        converter = self.converter
        # Looked up per call: a class may hold itself, and its hook is being made right now.
        return lambda value: converter.get_structure_hook(cls)(value, cls)

    def items(
        self, read: Callable[[object], Any], value: list[Any] | tuple[Any, ...], kind: Many
    ) -> tuple[Any, ...]:
        out = []
        errors: list[Exception] = []
        dropped = 0
        for i, item in enumerate(value):
            before = _report.spent()
            try:
                out.append(read(item))
            except Exception as exc:  # every failure of an item goes into the report
                if _report.spent() > before or _report.keep():
                    exc.add_note(IterableValidationNote(f"Reading item {i}", i, kind))
                    errors.append(exc)
                else:
                    dropped += _report.count(exc)
        if dropped:
            errors.append(_report.Truncated(dropped))
        if errors:
            raise IterableValidationError(f"While reading {kind.allowed}", errors, tuple)
        return tuple(out)


class _Writers:
    def __init__(self, converter: cattrs.Converter):
        self.converter = converter

    def nested(self, cls: type) -> Callable[[Any], Any]:
        converter = self.converter
        return lambda obj: converter.unstructure(obj, unstructure_as=cls)


def _attributes(plan: Plan, **changes: Any) -> list[attrs.Attribute[Any]]:
    """The class's attrs attributes as cattrs should see them: copies carrying the plan's
    resolved types (the class's own attributes are left untouched)."""
    out = []
    for a in attrs.fields(plan.cls):
        if a.init:
            out.append(a.evolve(type=plan.field(a.name).tp, **changes))
    return out


def _structure_factory(converter: cattrs.Converter) -> Callable[[type], Any]:
    readers = _Readers(converter)

    def factory(cls: type) -> Any:
        plan = plan_of(cls)
        hooks: dict[str, Any] = {
            f.name: override(rename=f.key, struct_hook=_with_type(f.kind.reader(readers)))
            for f in plan.fields
        }
        fn: Any = make_dict_structure_fn_from_attrs(
            _attributes(plan),
            cls,
            converter,
            _cattrs_forbid_extra_keys=False,  # unknown keys: below, bounded
            _cattrs_detailed_validation=True,
            **hooks,
        )
        keys = plan.keys
        read_none = tuple(f.key for f in plan.fields if f.read_none)
        allowed = plan.allowed

        def structure(data: object, _: Any) -> Any:
            if type(data) is not dict:
                raise ValueProblem(f"expected an object, not {kind_of(data)}", allowed, data)
            unknown = [] if keys.issuperset(data) else _report.unknown_keys(data, keys, cls)
            for key in read_none:
                if key not in data:
                    data = {key: None, **data}
            try:
                obj = fn(data, cls)
            except ClassValidationError as exc:
                if not unknown:
                    raise
                raise ClassValidationError(exc.message, [*exc.exceptions, *unknown], cls) from None
            if unknown:
                raise ClassValidationError(f"While structuring {cls.__name__}", unknown, cls)
            return obj

        return structure

    return factory


def _unstructure_factory(converter: cattrs.Converter) -> Callable[[type], Any]:
    writers = _Writers(converter)

    def factory(cls: type) -> Any:
        plan = plan_of(cls)
        hooks: dict[str, Any] = {
            f.name: override(rename=f.key, unstruct_hook=f.kind.unstructurer(writers))
            for f in plan.fields
        }
        fn: Any = make_dict_unstructure_fn_from_attrs(
            _attributes(plan), cls, converter, _cattrs_omit_if_default=True, **hooks
        )
        drop_none = tuple(f.key for f in plan.fields if f.read_none)
        if not drop_none:
            return fn

        def unstructure(obj: Any) -> dict[str, Any]:
            d: dict[str, Any] = fn(obj)
            for key in drop_none:
                if d.get(key, 0) is None:
                    del d[key]
            return d

        return unstructure

    return factory


def _is_model_class(tp: Any) -> bool:
    return isinstance(tp, type) and attrs.has(tp) and tp.__module__.startswith("tradetruce.")


def _read_scalar(value: object, tp: Any) -> Any:
    # cattrs dispatches a StrEnum to the hook of str, and bool to that of int: the kind of the
    # asked type decides.
    kind = scalar(tp)
    if kind is None:
        raise ValueProblem(f"no reader for {tp!r}")
    return kind.read(value)


def _write_enum(member: Enum) -> Any:
    return member.value


def configure_converter(converter: cattrs.Converter) -> None:
    """Configure ``converter`` for the tradetruce wire format (in the style of cattrs.preconf).

    * ``When`` and ``HSCode`` are written as their text form, ``Decimal`` as a decimal string,
      enums by value, tuples as lists; ``from_`` is written ``from``;
    * fields that are None or equal to their default are left out, and read back as such;
    * reading is strict: no coercion between text, numbers and booleans, unknown keys refused,
      and cattrs' detailed validation gives the path of every problem.

    Every hook comes from the wire plan, the description the fast readers and writers and the
    JSON Schema are made from too.
    """
    for tp in (str, int, bool, Enum, Decimal, When, HSCode):
        converter.register_structure_hook(tp, _read_scalar)
    converter.register_unstructure_hook(Decimal, str)
    converter.register_unstructure_hook(When, str)
    converter.register_unstructure_hook(HSCode, str)
    converter.register_unstructure_hook(Enum, _write_enum)
    readers, writers = _Readers(converter), _Writers(converter)
    converter.register_structure_hook_factory(
        lambda tp: many_of(tp) is not None,
        lambda tp: _with_type(kind_for_type(tp).reader(readers)),
    )
    converter.register_unstructure_hook_factory(
        lambda tp: many_of(tp) is not None, lambda tp: kind_for_type(tp).unstructurer(writers)
    )
    converter.register_structure_hook_factory(_is_model_class, _structure_factory(converter))
    converter.register_unstructure_hook_factory(_is_model_class, _unstructure_factory(converter))


def _with_type(read: Callable[[object], Any]) -> Callable[[object, Any], Any]:
    return lambda value, _: read(value)


def make_converter() -> cattrs.Converter:
    """A new cattrs converter configured for the tradetruce wire format."""
    converter = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    configure_converter(converter)
    return converter
