"""Search: one Pagefind index per language (``<lang>/pagefind/``), made after MkDocs ran.

Pagefind (its PyPI package ships the binary) reads the built pages and writes a static index
that the search page's script fetches in pieces; nothing is loaded on any other page. Each
language is indexed on its own, with that language's stemming (``--force-language``:
selkosuomi is Finnish), leaving out the header (language names), navigation and footer.

An index is made again only when the language's pages were rendered again: the site stage
removes the language's files it renders anew, the index among them (see ``engine._clear``),
while a language with no changed page keeps its folder, index and all.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from ..errors import LahioError

#: The index's folder inside each language's folder.
FOLDER = "pagefind"
#: The search page (``<lang>/haku/``) and what the script needs.
SEARCH_PAGE = "haku"
#: Pagefind's other front ends, which the search page does not load: left out of the site.
UNUSED = ("pagefind-component-ui.css", "pagefind-component-ui.js", "pagefind-highlight.js",
          "pagefind-modular-ui.css", "pagefind-modular-ui.js")


def _executable() -> str:
    from pagefind_bin import get_executable

    return str(get_executable())


def index_language(lang_dir: Path, html_lang: str) -> list[str]:
    """Index ``lang_dir``'s pages unless its index is in place; returns the files written
    (relative to ``lang_dir``)."""
    bundle = lang_dir / FOLDER
    if (bundle / "pagefind-entry.json").is_file():
        return []
    run = subprocess.run(
        [_executable(), "--site", str(lang_dir), "--output-subdir", FOLDER,
         "--force-language", html_lang,
         "--exclude-selectors", "header, footer, nav, thead, .lahio-skip",
         "--glob", "**/index.html", "--silent"],
        capture_output=True, text=True, check=False)
    if run.returncode != 0 or not (bundle / "pagefind-entry.json").is_file():
        raise LahioError(f"search index of {lang_dir.name}/ could not be made (Pagefind):\n"
                         f"{run.stderr.strip() or run.stdout.strip()}")
    for name in UNUSED:
        (bundle / name).unlink(missing_ok=True)
    return sorted(p.relative_to(lang_dir).as_posix() for p in bundle.rglob("*") if p.is_file())
