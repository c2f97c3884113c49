"""The package's layout: module-level imports flow one way, values -> model -> engine -> wire ->
the top-level modules, and form no cycle.

Read from the source with ``ast``, so the test sees every import a module runs when it is first
imported (statements at module level, in classes, under ``if`` and ``try``), and none that only
type checkers read (``if TYPE_CHECKING:``) or that a function runs when called (the lazy imports
by which a Scenario reaches its engine, or numpy is loaded only where it pays).
"""

from __future__ import annotations

import ast
import graphlib
from collections.abc import Iterator
from pathlib import Path

import tradetruce

PACKAGE = Path(tradetruce.__file__).parent

#: Lower layers never import higher ones. ``errors`` sits with the values: everything raises them.
LAYERS = {"values": 0, "errors": 0, "model": 1, "engine": 2, "wire": 3}
TOP = 4  # seeds, cli, ical, strategies, the plugin, the package itself


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _statements(body: list[ast.stmt], *, lazy: bool) -> Iterator[ast.stmt]:
    """The statements of ``body`` that run when the module is imported, and with ``lazy`` those
    that its functions run when called; never those only type checkers read."""
    for node in body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and not lazy:
            continue
        yield node
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            yield from _statements(node.orelse, lazy=lazy)
            continue
        for part in ("body", "orelse", "finalbody", "handlers"):
            inner = getattr(node, part, None)
            if isinstance(inner, list):
                yield from _statements(inner, lazy=lazy)


def _imports(name: str, *, lazy: bool = False) -> set[str]:
    """The modules (of any distribution) that ``name`` imports at module level, and with
    ``lazy`` also those its functions import when called."""
    tree = ast.parse(MODULES[name].read_text("utf-8"))
    package = name if MODULES[name].name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in _statements(tree.body, lazy=lazy):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            for alias in node.names:
                # `from package import module` imports the module; otherwise the name's module.
                sub = f"{base}.{alias.name}"
                found.add(sub if sub in MODULES else base)
    return found


def _graph(*, lazy: bool = False) -> dict[str, set[str]]:
    return {name: {m for m in _imports(name, lazy=lazy) if m in MODULES} for name in MODULES}


def _layer(name: str) -> int:
    parts = name.split(".")
    return LAYERS.get(parts[1], TOP) if len(parts) > 1 else TOP


def test_the_walk_sees_the_package_s_own_imports() -> None:
    graph = _graph()
    assert "tradetruce.model.history" in graph["tradetruce.engine.timeindex"]
    assert "tradetruce.values._validate" in graph["tradetruce.model.entries"]  # from pkg import mod
    # Type-only and lazy imports are not module-level imports.
    assert "tradetruce.engine.timeindex" not in graph["tradetruce.model.scenario"]
    assert "tradetruce.engine.timeindex" in _graph(lazy=True)["tradetruce.model.scenario"]
    assert "tradetruce.engine.view" not in _graph(lazy=True)["tradetruce.engine.changes"]


def test_module_level_imports_form_no_cycle() -> None:
    order = list(graphlib.TopologicalSorter(_graph()).static_order())  # raises CycleError
    assert set(order) == set(MODULES)


def test_even_the_imports_functions_make_when_called_form_no_cycle() -> None:
    # A Scenario reaches its engine through lazy imports; the engine must not reach back into
    # a module that imports it (as the tariff grouping once did through the time index).
    graphlib.TopologicalSorter(_graph(lazy=True)).prepare()  # raises CycleError


def test_imports_flow_from_values_to_model_to_engine_to_wire_to_the_top_level() -> None:
    upward = [
        (name, target)
        for name, targets in _graph().items()
        for target in targets
        if _layer(target) > _layer(name)
    ]
    assert upward == [], "a lower layer imports a higher one"


def test_only_the_array_counting_module_imports_numpy_at_module_level() -> None:
    users = sorted(
        name
        for name in MODULES
        if any(m == "numpy" or m.startswith("numpy.") for m in _imports(name))
    )
    assert users == ["tradetruce.engine._arrays"]
