"""An MkDocs hook that keeps the built site usable offline.

The lifecycle diagrams are Mermaid code that a script draws in the reader's browser. Material
for MkDocs fetches that script from a CDN when the page has none of its own, so offline the
diagrams showed as raw code. The site ships the script instead: ``docs/javascripts/mermaid.min.js``
is the ``dist/mermaid.min.js`` of the npm package ``mermaid`` (MIT licence beside it), loaded
through ``extra_javascript`` in ``mkdocs.yml``, and Material uses a ``mermaid`` already defined.

This hook makes both halves fail loudly instead of silently going online again:

* before the build, the shipped script's major version must be the one Material would fetch
  (``npm pack mermaid@N`` and copy ``package/dist/mermaid.min.js`` to update it);
* after the build, no page may load a script or stylesheet from another host.
"""

from __future__ import annotations

import html.parser
import re
from pathlib import Path
from typing import Any

DOCS = Path(__file__).resolve().parent
SHIPPED = DOCS / "javascripts" / "mermaid.min.js"

# Mermaid's own version object, {version:"11.17.2"}; bundled libraries carry other versions.
_SHIPPED_VERSION = re.compile(r'\{version:"(\d+)\.\d+\.\d+"\}')
_MATERIAL_FETCH = re.compile(r"mermaid@(\d+)/dist/mermaid\.min\.js")
# Material fetches Mermaid only when the page has not defined it: the check that lets the
# shipped copy stand in.
_MATERIAL_CHECK = 'typeof mermaid=="undefined"'



class _Assets(html.parser.HTMLParser):
    """The URLs of the scripts and stylesheets a page loads."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "script" and found.get("src"):
            self.urls.append(found["src"])
        rel = set(found.get("rel", "").lower().split())
        if tag == "link" and rel & {"stylesheet", "preload", "modulepreload"} and found.get("href"):
            self.urls.append(found["href"])


def external_assets(page: str) -> list[str]:
    """The scripts and stylesheets ``page`` (HTML) loads from another host.

    >>> external_assets('<script src="https://unpkg.com/x.js"></script><script src="a.js">')
    ['https://unpkg.com/x.js']
    >>> external_assets('<link rel="stylesheet" href="//fonts.example/css"><link href="i.png">')
    ['//fonts.example/css']
    """
    return [url for url in _urls(page) if re.match(r"(?i)(?:https?:)?//", url)]


def shipped_major(script: str) -> int | None:
    """The major version of a ``mermaid.min.js`` (``None`` if it does not say).

    >>> shipped_major('var a={a:1,version:"0.0.0"};z3t={version:"11.17.2"},V3t=1')
    11
    """
    found = _SHIPPED_VERSION.search(script)
    return int(found.group(1)) if found else None


def material_major(bundle: str) -> int | None:
    """The major version of Mermaid that Material's bundle fetches when a page has none."""
    found = _MATERIAL_FETCH.search(bundle)
    return int(found.group(1)) if found else None


def version_problem(script: str, bundle: str) -> str | None:
    """Why the shipped script and Material's bundle do not fit, or ``None`` when they do."""
    ours, theirs = shipped_major(script), material_major(bundle)
    if _MATERIAL_CHECK not in bundle:
        return (
            "Material's bundle no longer checks for a Mermaid of the page's own before it "
            "fetches one: check how it loads Mermaid now, so that the site stays offline"
        )
    if ours is None:
        return f"{SHIPPED} does not say its version: is it mermaid's dist/mermaid.min.js?"
    if theirs is None:
        return (
            "Material's bundle no longer names the Mermaid it fetches: check how it loads "
            "Mermaid now, so that the site keeps using the shipped copy"
        )
    if ours != theirs:
        return (
            f"Material expects Mermaid {theirs} but docs/javascripts/mermaid.min.js is Mermaid "
            f"{ours}: update it (npm pack mermaid@{theirs}, then copy package/dist/mermaid.min.js)"
        )
    return None


def _material_bundle() -> str:
    import material

    folder = Path(material.__file__).resolve().parent / "templates" / "assets" / "javascripts"
    return "".join(p.read_text("utf-8") for p in sorted(folder.glob("bundle.*.min.js")))


def on_pre_build(config: Any, **kwargs: Any) -> None:
    """MkDocs hook: refuse to build with a shipped Mermaid that Material would not use."""
    problem = version_problem(SHIPPED.read_text("utf-8"), _material_bundle())
    if problem is not None:
        from mkdocs.exceptions import PluginError

        raise PluginError(problem)


def site_problems(site: Path) -> list[str]:
    """What in a built site would need the network: pages that load a script or stylesheet from
    another host, and pages with a diagram that do not load the shipped Mermaid."""
    problems = []
    for page in sorted(site.rglob("*.html")):
        text = page.read_text("utf-8")
        name = page.relative_to(site).as_posix()
        urls = external_assets(text)
        if urls:
            problems.append(f"{name} loads {', '.join(urls)} from the network")
        diagram = 'class="mermaid"' in text
        if diagram and not any(u.endswith("javascripts/mermaid.min.js") for u in _urls(text)):
            problems.append(f"{name} has a diagram but does not load javascripts/mermaid.min.js")
    return problems


def _urls(page: str) -> list[str]:
    parser = _Assets()
    parser.feed(page)
    return parser.urls


def on_post_build(config: Any, **kwargs: Any) -> None:
    """MkDocs hook: refuse a site that would need the network to show itself."""
    problems = site_problems(Path(config["site_dir"]))
    if problems:
        from mkdocs.exceptions import PluginError

        raise PluginError("the site needs the network: " + "; ".join(problems))
