"""What the site stage needs of a site engine: the one seam between Lähiö and MkDocs.

The site stage renders every page body itself (engine-neutral Markdown: front matter and one
block of HTML, see :mod:`.pages`) and hands an engine one language at a time. The engine puts
the pages into the project's page frame (``theme/site/``) and writes them as HTML into the
output folder. :class:`~generator.site.engine.MkDocsEngine` is the implementation in use;
``docs/engine.md`` tells what a second one must do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Protocol

from ..context import LanguageTree
from ..data.config import Config
from ..i18n import Translator


class SiteEngine(Protocol):
    """Renders one language's pages with the project's theme into a folder.

    An engine is made for one build (or one preview rebuild) by an :data:`EngineFactory`;
    :meth:`render` may work in the background, :meth:`finish` waits for everything.
    """

    #: Files the engine wrote or removed under the output folder (``<lang>/<path>``), known
    #: once :meth:`finish` returned.
    changed: set[str]

    def render(self, tree: LanguageTree, tr: Translator, out: Path, *,
               previous: Path | None = None, present: Iterable[str] | None = None) -> None:
        """Start rendering ``tree`` (one language's pages) into ``out/<tree.lang>/``.

        Args:
            tree: the pages (``files``: docs-relative path → Markdown with front matter),
                the navigation, the footer links and each page's hash.
            tr: the language (its code, direction and UI strings).
            out: the build's output folder; only the language's own folder is written, and
                files another stage writes there (``events.ics``, ``feed.xml``) are kept.
            previous: the live site, whose unchanged pages an engine may reuse (the result
                must be byte-identical to rendering them).
            present: the files ``out/<lang>/`` holds, when the caller knows them.
        """
        ...

    def finish(self) -> list[str]:
        """Wait for every language handed to :meth:`render`; returns the engine's warnings."""
        ...

    def close(self) -> None:
        """Stop whatever still runs (after a failure elsewhere); nothing more is waited for."""
        ...


#: Makes an engine: ``(config, work folder, worker processes or None, done)``. ``done`` is
#: called with each language's code as its pages are written (a progress display).
EngineFactory = Callable[[Config, Path, "int | None", "Callable[[str], None] | None"],
                         SiteEngine]
