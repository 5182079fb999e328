"""The build context: what every output stage gets, and the build's date.

It lies below the stages (site, print, channels) and above the views, so that a stage never
imports the pipeline that runs it (``generator/build.py``).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from .data.config import Config
from .data.model import Programme
from .i18n import Translator
from .views.area import AreaView


class Progress(Protocol):
    """A progress display the build reports its steps to (``generator/authoring/progress.py``)."""

    def step(self, label: str) -> None: ...

    def finish(self) -> None: ...


class Stage(Protocol):
    """An output stage (site, print, channels): the pipeline runs a list of them in order.

    Every stage gets the same context, writes into ``ctx.out`` only, and returns what it
    changed there.
    """

    #: ``site``, ``print`` or ``channels``: what ``lahio build --only`` names.
    name: str

    def run(self, ctx: BuildContext) -> set[str] | None:
        """Write the stage's files into ``ctx.out``.

        Returns:
            The files written or removed (paths relative to ``ctx.out``), or None when the
            stage does not keep count (the folder is then walked to know what it holds).
        """
        ...


@dataclass(frozen=True, slots=True)
class LanguageTree:
    """What one language's site consists of, ready for the engine."""

    lang: str
    files: Mapping[str, str]       # docs-relative path → Markdown text (see Pages)
    nav: list[tuple[str, str]]     # (title, docs-relative path) for the engine's navigation
    footer: list[tuple[str, str, str]]  # (label, page path, lang of the label)
    areas: Sequence[AreaView]
    hashes: dict[str, str] = field(default_factory=dict)  # path → page_hash(text), every file
    #: (slug, name, lang of the name) of every area, for pages that list them (404).
    area_names: list[tuple[str, str, str]] = field(default_factory=list)
    #: The pictures the pages show: web copy (relative to the site root) → the original
    #: (relative to the project folder).
    pictures: dict[str, str] = field(default_factory=dict)
    #: Pages (docs-relative) that repeat another page, named as their canonical address (the
    #: current year's ``neulamaki/budget/2025.md`` repeats ``neulamaki/budget.md``).
    duplicates: frozenset[str] = frozenset()

    def page_urls(self) -> list[str]:
        """Language-relative URLs of the pages (``""``, ``neulamaki/``,
        ``neulamaki/budget/``), sorted."""
        return sorted(page_url_of(rel) for rel in self.files)


def page_url_of(rel: str) -> str:
    """A page's language-relative URL from its docs-relative path (``neulamaki/budget.md``
    → ``neulamaki/budget/``; ``index.md`` → ``""``)."""
    if rel == "index.md":
        return ""
    if rel.endswith("/index.md"):
        return rel[: -len("index.md")]
    return rel[:-3] + "/"


@dataclass
class BuildContext:
    """What every output stage gets: validated input, languages and the folder to write into."""

    root: Path
    config: Config
    programme: Programme
    today: dt.date
    out: Path
    previous: Path | None
    translators: dict[str, Translator]
    trees: dict[str, LanguageTree] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    log: Callable[[str], None] = print
    #: The files ``out`` held when the stages started (taken over from the live site).
    present: set[str] = field(default_factory=set)
    #: Files the stages wrote or removed in ``out`` (relative paths); None when a stage that
    #: does not tell ran (``out`` is then walked to know what it holds).
    changed: set[str] | None = field(default_factory=set)
    progress: Progress | None = None

    def step(self, label: str) -> None:
        """Report a build step to the progress display, if there is one."""
        if self.progress is not None:
            self.progress.step(label)

    def published_pages(self) -> set[str]:
        """Every page of the site, relative to its root (``fi/neulamaki/budget/2023/``)."""
        return {f"{lang}/{url}" for lang, tree in self.trees.items()
                for url in tree.page_urls()}

    def area_views(self, lang: str) -> Sequence[AreaView]:
        """The area views of ``lang`` (none before its tree is made)."""
        return self.trees[lang].areas if lang in self.trees else []


def build_date() -> dt.date:
    """The build's "today": ``SOURCE_DATE_EPOCH`` when set, else the local date.

    Only the date is used (never the time), so two builds of the same input on the same day —
    or any two builds with ``SOURCE_DATE_EPOCH`` pinned — are byte-identical.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    return dt.date.today()


