"""The docs tell the truth: examples run, generated pages are current, every page is reachable.

Doctest blocks (```` ```pycon ````) in docs/ run through pytest's ``--doctest-glob``; this file runs
the rest: console sessions, Python blocks, the README's example, and the checks on the site's
structure that ``mkdocs build --strict`` would otherwise only catch in CI.
"""

from __future__ import annotations

import doctest
import importlib.util
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.rglob("*.md"))


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"_docs_{name}", DOCS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


doc_blocks = _load("doc_blocks")
gen_pages = _load("gen_pages")
griffe_doctest = _load("griffe_doctest")
griffe_attrs = _load("griffe_attrs")
offline_site = _load("offline_site")

_CHECKER = doctest.OutputChecker()
_FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def _matches(expected: str, actual: str) -> bool:
    return _CHECKER.check_output(expected.strip() + "\n", actual.strip() + "\n", _FLAGS)


def _env() -> dict[str, str]:
    # 80 columns: the width a page's code block shows without scrolling. The comparison ignores
    # how lines are wrapped, so a reader's wider terminal prints the same words.
    env = dict(os.environ, COLUMNS="80", TZ="Pacific/Chatham", PYTHONIOENCODING="utf-8")
    env.pop("NO_COLOR", None)
    return env


def _run_tradetruce(command: str, cwd: Path) -> tuple[int, str]:
    """Run one ``tradetruce ...`` command line as the reader would, in ``cwd``."""
    words = shlex.split(command)
    assert words and words[0] == "tradetruce", f"docs may only show tradetruce commands: {command}"
    done = subprocess.run(
        [sys.executable, "-m", "tradetruce", *words[1:]],
        cwd=cwd,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return done.returncode, done.stdout + done.stderr


# ----------------------------------------------------------------------------- console examples
def _console_commands() -> list[Any]:
    found = []
    for page in PAGES:
        for block in doc_blocks.blocks(page):
            if block.lang == "console":
                found.extend(doc_blocks.commands(block))
    return found


@pytest.mark.parametrize(
    "command", _console_commands(), ids=lambda c: f"{c.block.where} {c.command}"[:80]
)
def test_every_console_example_prints_what_the_page_shows(command: Any, tmp_path: Path) -> None:
    doc_blocks.write_files(command.block.page, tmp_path)
    line = command.command
    show_code = line.endswith("; echo $?")
    line = line.removesuffix("; echo $?").strip()
    code, output = _run_tradetruce(line, tmp_path)
    if show_code:
        output = f"{output.rstrip()}\n{code}"
    else:
        assert code == 0, f"{command.block.where}: `{line}` exited {code}:\n{output}"
    assert _matches(command.output, output), (
        f"{command.block.where}: `{line}` printed:\n{output}\nthe page shows:\n{command.output}"
    )


# ------------------------------------------------------------------------------ python blocks
@pytest.mark.parametrize(
    "page",
    [p for p in PAGES if any(b.lang == "python" for b in doc_blocks.blocks(p))],
    ids=lambda p: str(p.relative_to(DOCS)),
)
def test_every_python_block_runs(
    page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc_blocks.write_files(page, tmp_path)
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {"__name__": f"docs_{page.stem}"}
    for block in doc_blocks.blocks(page):
        if block.lang == "python":
            code = compile(block.text, block.where, "exec")
            exec(code, namespace)


# ------------------------------------------------------------------------------------- README
def _readme_example() -> str:
    text = (ROOT / "README.md").read_text("utf-8")
    match = re.search(r"## Ten lines\s+```python\n(.*?)```", text, re.S)
    assert match, "the README has a '## Ten lines' section with a python block"
    return match.group(1)


def test_readme_example_is_ten_lines() -> None:
    lines = [line for line in _readme_example().splitlines() if line.strip()]
    assert len(lines) <= 10, f"{len(lines)} lines:\n" + "\n".join(lines)


def test_readme_example_runs_and_prints_what_its_comments_say(tmp_path: Path) -> None:
    script = tmp_path / "ten_lines.py"
    script.write_text(_readme_example(), "utf-8")
    done = subprocess.run(
        [sys.executable, str(script)],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout.splitlines()
    assert out[0].startswith("proposed 100% from 2025-11-01["), out
    assert "us-100pct-tariff proposed" in out, out
    assert any(line.endswith("Truce expires") for line in out), out


_DOCS_MARKER = "# 3. build the documentation site"


def test_readme_builds_the_docs_with_one_command_that_ci_runs_as_written() -> None:
    lines = (ROOT / "README.md").read_text("utf-8").splitlines()
    marked = [i for i, line in enumerate(lines) if line.startswith(_DOCS_MARKER)]
    assert len(marked) == 1, f"one line starting {_DOCS_MARKER!r} in README.md"
    command = lines[marked[0] + 1]
    # From a fresh venv: pip 23 has no --group, and the build imports tradetruce and its extras.
    steps = command.split(" && ")
    assert steps[0] == "python3 -m venv .venv" and steps[1] == ". .venv/bin/activate"
    assert steps.index("pip install -U pip") < steps.index("pip install --group docs")
    assert 'pip install -e ".[test]"' in steps and steps[-1] == "mkdocs build --strict"
    # .ci/run takes the line after the same marker and runs it, rather than a copy of it.
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert "sed -n '/^# 3\\. build the documentation site/{n;p;q;}' README.md" in ci
    assert 'bash -euo pipefail -c "$docs_command"' in ci


def test_readme_links_point_at_files_that_exist() -> None:
    text = (ROOT / "README.md").read_text("utf-8")
    targets = re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", text)
    assert targets, "the README links to the docs"
    missing = [t for t in targets if not (ROOT / t).exists()]
    assert not missing, missing


def test_tests_readme_names_every_test_file_and_only_files_that_exist() -> None:
    text = (ROOT / "tests" / "README.md").read_text("utf-8")
    named = set(re.findall(r"`((?:downstream/)?test_\w+\.py)`", text))
    files = {p.name for p in (ROOT / "tests").glob("test_*.py")}
    assert files - named == set(), "add these to tests/README.md"
    stale = {n for n in named if not (ROOT / "tests" / n).exists()}
    assert stale == set(), "tests/README.md names files that do not exist"


# ---------------------------------------------------------------------------- generated pages
def test_generated_pages_are_current() -> None:
    stale = gen_pages.stale_pages()
    assert not stale, f"run `python docs/gen_pages.py` to regenerate: {stale}"


def test_lifecycle_page_holds_every_transition_of_every_table() -> None:
    from tradetruce.model.lifecycle import LIFECYCLES

    page = (DOCS / "reference/lifecycles.md").read_text("utf-8")
    for lifecycle in LIFECYCLES.values():
        assert f"```mermaid\n{lifecycle.mermaid()}\n```" in page, lifecycle.name
        for status, targets in lifecycle.table.items():
            for target in targets:
                assert f"    {status.value} --> {target.value}\n" in page, (status, target)


def test_cli_page_covers_every_command_and_option() -> None:
    import argparse

    from tradetruce.cli import build_parser

    page = (DOCS / "reference/cli.md").read_text("utf-8")
    parser = build_parser()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                assert f"## `tradetruce {name}`" in page, name
                for option in sub._actions:
                    for flag in option.option_strings:
                        if flag not in ("-h", "--help"):
                            assert f"`{flag}" in page or f", {flag}" in page, (name, flag)


# ------------------------------------------------------------------------------ site structure
def _nav_pages() -> set[str]:
    text = (ROOT / "mkdocs.yml").read_text("utf-8")
    nav = text[text.index("\nnav:") :]
    return set(re.findall(r"(?:- |: )([\w./-]+\.md)\s*$", nav, re.M))


def test_every_page_is_in_the_nav_and_every_nav_entry_is_a_page() -> None:
    pages = {str(p.relative_to(DOCS)) for p in PAGES}
    nav = _nav_pages()
    assert pages - nav == set(), "pages missing from the nav in mkdocs.yml"
    assert nav - pages == set(), "nav entries without a page"


def test_every_public_module_has_an_api_page_in_the_nav() -> None:
    nav = _nav_pages()
    for module in gen_pages.public_modules():
        short = module.removeprefix("tradetruce.").replace(".", "/")
        page = DOCS / "reference/api" / f"{short}.md"
        assert page.exists(), f"no API page for {module}"
        assert f"::: {module}\n" in page.read_text("utf-8"), page
        assert f"reference/api/{short}.md" in nav, short


def test_every_public_name_is_listed_in_the_api_index() -> None:
    import tradetruce

    index = (DOCS / "reference/api/index.md").read_text("utf-8")
    for name in tradetruce.__all__:
        if not name.startswith("__"):
            assert f"[`{name}`][{gen_pages.home_module(name)}.{name}]" in index, name


def test_the_site_needs_no_network_to_build() -> None:
    config = (ROOT / "mkdocs.yml").read_text("utf-8")
    assert re.search(r"^\s+font: false$", config, re.M), "material must not load web fonts"
    plugins = config[config.index("\nplugins:") : config.index("\nmarkdown_extensions:")]
    names = set(re.findall(r"^  - (\w[\w-]*)", plugins, re.M))
    assert names == {"search", "mkdocstrings"}, f"unexpected plugins: {names}"


def _section(config: str, key: str) -> str:
    """The lines of one top-level key of mkdocs.yml."""
    match = re.search(rf"^{key}:\n((?:(?:  .*)?\n)+)", config, re.M)
    assert match, f"mkdocs.yml has no {key}"
    return match.group(1)


def test_the_site_ships_the_diagrams_script_and_refuses_to_need_the_network() -> None:
    config = (ROOT / "mkdocs.yml").read_text("utf-8")
    assert "  - javascripts/mermaid.min.js\n" in _section(config, "extra_javascript")
    assert "  - docs/offline_site.py\n" in _section(config, "hooks")
    script = offline_site.SHIPPED.read_text("utf-8")
    assert (offline_site.SHIPPED.parent / "mermaid-LICENSE.txt").exists()
    major = offline_site.shipped_major(script)
    assert major is not None
    # Material's own test before it fetches Mermaid from a CDN (its bundle, minified).
    bundle = (
        'function as(){return typeof mermaid=="undefined"||mermaid instanceof Element?'
        f'_t("https://unpkg.com/mermaid@{major}/dist/mermaid.min.js"):$(void 0)}}'
    )
    assert offline_site.version_problem(script, bundle) is None
    newer = bundle.replace(f"@{major}/", f"@{major + 1}/")
    assert f"npm pack mermaid@{major + 1}" in str(offline_site.version_problem(script, newer))
    unchecked = bundle.replace('typeof mermaid=="undefined"||', "")
    assert "no longer checks" in str(offline_site.version_problem(script, unchecked))


def test_a_built_page_that_needs_the_network_fails_the_build(tmp_path: Path) -> None:
    good = '<div class="mermaid">x</div><script src="../javascripts/mermaid.min.js"></script>'
    (tmp_path / "good.html").write_text(good)
    assert offline_site.site_problems(tmp_path) == []
    (tmp_path / "cdn.html").write_text('<link rel="stylesheet" href="https://cdn.example/a.css">')
    (tmp_path / "bare.html").write_text('<pre class="mermaid">stateDiagram-v2</pre>')
    assert offline_site.site_problems(tmp_path) == [
        "bare.html has a diagram but does not load javascripts/mermaid.min.js",
        "cdn.html loads https://cdn.example/a.css from the network",
    ]


def test_attrs_fields_show_their_defaults_in_the_reference() -> None:
    assert griffe_attrs.reader_value("attrs.field(default='', validator=v.text)") == "''"
    assert griffe_attrs.reader_value("attrs.field(validator=v.an_id)") is None
    assert griffe_attrs.reader_value("attrs.field(factory=tuple)") == "tuple()"
    assert griffe_attrs.reader_value("Lifecycle('measure')") == "Lifecycle('measure')"
    config = (ROOT / "mkdocs.yml").read_text("utf-8")
    assert "- docs/griffe_attrs.py" in config


def test_the_docs_group_formats_signatures_with_ruff() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    docs = project["dependency-groups"]["docs"]
    assert any(re.match(r"ruff\b", requirement) for requirement in docs), docs


# ---------------------------------------------------------------------- docstring rendering
def test_bare_doctests_in_docstrings_are_fenced_for_the_reference() -> None:
    text = "Intro.\n\n>>> 1 + 1\n2\n\nAfter.\n\n    >>> indented()\n"
    assert griffe_doctest.render(text) == (
        "Intro.\n\n```pycon\n>>> 1 + 1\n2\n```\n\nAfter.\n\n    >>> indented()"
    )


def test_doctest_at_the_end_of_a_docstring_is_closed() -> None:
    assert griffe_doctest.render(">>> x\n1") == "```pycon\n>>> x\n1\n```"


def test_doctests_inside_a_fence_are_left_alone() -> None:
    text = "```python\n>>> a\n```"
    assert griffe_doctest.render(text) == text


def test_sphinx_roles_become_inline_code() -> None:
    text = "See :class:`When` and :meth:`~When.earliest`, not :func:`tradetruce.utc`."
    assert griffe_doctest.render(text) == "See `When` and `earliest`, not `tradetruce.utc`."


def test_special_methods_are_left_out_of_the_reference() -> None:
    assert griffe_doctest.is_protocol_method("__attrs_post_init__", "class")
    assert not griffe_doctest.is_protocol_method("__version__", "module")
    assert not griffe_doctest.is_protocol_method("parse", "class")


def test_rest_literal_markers_become_plain_colons() -> None:
    assert griffe_doctest.render("Usage::\n\n    tradetruce status\n") == (
        "Usage:\n\n    tradetruce status"
    )


def test_code_blocks_keep_their_own_indentation(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "```python\ndef f():\n    return 1\n```\n\n- item:\n\n    ```toml\n    a = 1\n    ```\n"
    )
    python, toml = doc_blocks.blocks(page)
    assert python.text == "def f():\n    return 1\n", python
    assert (toml.lang, toml.text) == ("toml", "a = 1\n"), toml
