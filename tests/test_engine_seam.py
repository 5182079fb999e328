"""The site engine is a seam: the site stage talks to it only through ``SiteEngine``.

A second engine (here a plain writer of each page's HTML, the kind ``docs/engine.md``
describes) builds the sample through the same interface, and the MkDocs engine is driven
through the interface alone.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Iterable
from pathlib import Path

from generator.build import build
from generator.context import LanguageTree
from generator.data.config import Config
from generator.i18n import Translator
from generator.site.interface import SiteEngine

from .conftest import copy_project, views_context


def _dest(rel: str) -> str:
    """``neulamaki/budget.md`` → ``neulamaki/budget/index.html`` (pages are folders)."""
    stem = rel[:-3]
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")] + "index.html"
    return f"{stem}/index.html"


class PlainEngine:
    """A second site engine: each page's title and HTML body in a minimal frame."""

    made: list[PlainEngine] = []

    def __init__(self, config: Config, work: Path, jobs: int | None = None,
                 done: Callable[[str], None] | None = None) -> None:
        self.config, self.done = config, done
        self.pending: list[tuple[LanguageTree, Translator, Path]] = []
        self.changed: set[str] = set()
        self.closed = False
        PlainEngine.made.append(self)

    def render(self, tree: LanguageTree, tr: Translator, out: Path, *,
               previous: Path | None = None, present: Iterable[str] | None = None) -> None:
        self.pending.append((tree, tr, out))

    def finish(self) -> list[str]:
        for tree, tr, out in self.pending:
            lang = tr.language
            for rel in tree.files:
                _, front, body = tree.files[rel].split("---\n", 2)
                title = json.loads(front.splitlines()[0].removeprefix("title: "))
                dest = out / tree.lang / _dest(rel)
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_text(
                    f'<!doctype html><html lang="{lang.html_lang}" dir="{lang.dir}"><head>'
                    f"<title>{html.escape(title)}</title></head><body>{body}</body></html>",
                    encoding="utf-8")
                self.changed.add(f"{tree.lang}/{_dest(rel)}")
            if self.done is not None:
                self.done(tree.lang)
        return []

    def close(self) -> None:
        self.closed = True


def test_a_second_engine_builds_the_sample_through_the_interface(tmp_path: Path) -> None:
    engine: type[SiteEngine] = PlainEngine  # mypy checks that it fits the protocol
    project = copy_project(tmp_path / "p")
    PlainEngine.made.clear()
    build(project, only=("site",), log=lambda _m: None, engine=engine)
    site = project / "site"
    # Every language's pages, in the folders the output layout promises.
    for code in ("fi", "sv", "en", "selko", "ru", "uk", "ar"):
        assert (site / code / "index.html").is_file(), code
        assert (site / code / "neulamaki" / "index.html").is_file(), code
    budget = (site / "fi" / "neulamaki" / "budget" / "index.html").read_text(encoding="utf-8")
    assert "<title>" in budget and "Neulamäki" in budget
    arabic = (site / "ar" / "neulamaki" / "index.html").read_text(encoding="utf-8")
    assert 'dir="rtl"' in arabic
    # The stage's own files do not depend on the engine.
    assert "hreflang" in (site / "sitemap.xml").read_text(encoding="utf-8")
    assert (site / "index.html").is_file()
    # No MkDocs output at all: no theme assets were copied.
    assert not (site / "fi" / "assets").exists()
    (made,) = PlainEngine.made
    assert made.closed


def test_the_mkdocs_engine_is_driven_through_the_interface(tmp_path: Path) -> None:
    from generator.site.stage import ENGINE

    out = tmp_path / "out"
    ctx = views_context(copy_project(tmp_path / "p"), out)
    done: list[str] = []
    engine = ENGINE(ctx.config, tmp_path / "work", 1, done.append)
    try:
        engine.render(ctx.trees["fi"], ctx.translators["fi"], out)
        warnings = engine.finish()
    finally:
        engine.close()
    assert warnings == []
    assert done == ["fi"]
    page = (out / "fi" / "neulamaki" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="fi" dir="ltr">' in page
    # Every stylesheet the page links is in the output (the engine's own is found, not named).
    linked = [part.split('"', 1)[0] for part in page.split('rel="stylesheet" href="')[1:]]
    assert len(linked) == 2
    for href in linked:
        assert (out / "fi" / "neulamaki" / href).resolve().is_file(), href
    assert "fi/neulamaki/index.html" in engine.changed
    assert not (out / "sv").exists()  # only the language handed over
