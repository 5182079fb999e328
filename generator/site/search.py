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


def index_languages(langs: list[tuple[Path, str]]) -> list[list[str]]:
    """Index each language folder of ``langs`` (folder, ``html lang``) unless its index is in
    place; returns the files written in each (relative to its folder). The indexes are made
    side by side: one Pagefind process per language, all started at once (most of each one's
    time is its start)."""
    running: list[subprocess.Popen[str] | None] = []
    for lang_dir, html_lang in langs:
        if (lang_dir / FOLDER / "pagefind-entry.json").is_file():
            running.append(None)
            continue
        running.append(subprocess.Popen(
            [_executable(), "--site", str(lang_dir), "--output-subdir", FOLDER,
             "--force-language", html_lang,
             "--exclude-selectors", "header, footer, nav, thead, .lahio-skip",
             "--glob", "**/index.html", "--silent"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    written: list[list[str]] = []
    failed: list[str] = []
    for (lang_dir, _html_lang), process in zip(langs, running, strict=True):
        if process is None:
            written.append([])
            continue
        out, errors = process.communicate()
        bundle = lang_dir / FOLDER
        if process.returncode != 0 or not (bundle / "pagefind-entry.json").is_file():
            failed.append(f"search index of {lang_dir.name}/ could not be made (Pagefind):\n"
                          f"{errors.strip() or out.strip()}")
            written.append([])
            continue
        for name in UNUSED:
            (bundle / name).unlink(missing_ok=True)
        written.append(sorted(p.relative_to(lang_dir).as_posix()
                              for p in bundle.rglob("*") if p.is_file()))
    if failed:
        raise LahioError("\n".join(failed))
    return written
