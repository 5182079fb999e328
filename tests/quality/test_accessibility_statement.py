"""The accessibility statement (saavutettavuusseloste) required by law 306/2019.

Every language has its own statement with the parts the law and Traficom's model ask for, and
every page of every language links to it from the footer.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from ..conftest import ROOT

LANGUAGES = ("fi", "selko", "en", "sv", "ru", "uk", "ar")
STATEMENT = "saavutettavuus"


def statement(lang: str) -> str:
    path = ROOT / "content" / lang / f"{STATEMENT}.md"
    assert path.is_file(), f"{path.relative_to(ROOT)} is missing"
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_statement_has_what_the_law_asks(lang: str) -> None:
    text = statement(lang)
    assert text.startswith("# "), "the first line is the page title"
    assert "306/2019" in text, "the act the statement is given under"
    assert "WCAG 2.1" in text and "AA" in text, "the required level"
    assert "WCAG 2.2" in text, "the level the site is built to"
    assert re.search(r"\b(2026|2027|2028)\b", text), "the date of the assessment"
    for tool in ("axe-core", "Nu HTML Checker", "Lighthouse"):
        assert tool in text, f"assessment method: {tool}"
    assert "PDF" in text, "the known gaps in the PDFs"
    assert "https://www.kuopio.fi/palaute" in text, "the feedback channel"
    assert re.search(r"\b14\b", text), "the 14-day answer time"
    assert "Traficom" in text and "saavutettavuus@traficom.fi" in text, "supervising authority"
    assert "mailto:saavutettavuus@traficom.fi" in text, "the authority's address is a link"
    # the supervising authority is Traficom, not the Regional State Administrative Agency
    assert not re.search(r"aluehallintovirasto|AVI\b|Regional State|regionförvaltningsverk",
                         text, re.I)
    assert not re.search(r"\[(päivämäärä|date|datum)|täydennetään|to be completed|kompletteras",
                         text, re.I), "a placeholder is left in the statement"


class _Footer(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "footer":
            self.depth += 1
        elif tag == "a" and self.depth:
            self.links.append(dict(attrs).get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "footer":
            self.depth -= 1


def footer_links(html: str) -> list[str]:
    parser = _Footer()
    parser.feed(html)
    return parser.links


def test_every_page_links_to_its_languages_statement(sample_site: Path) -> None:
    """The footer of every page links to the statement of the page's own language."""
    missing = []
    checked = 0
    for lang in LANGUAGES:
        target = sample_site / lang / STATEMENT / "index.html"
        assert target.is_file(), f"{lang}: the statement page was not built"
        for page in sorted((sample_site / lang).rglob("*.html")):
            rel = page.relative_to(sample_site).as_posix()
            base = "http://x/" + rel
            found = [
                urlsplit(urljoin(base, href)).path
                for href in footer_links(page.read_text(encoding="utf-8"))
            ]
            want = f"/{lang}/{STATEMENT}/"
            if rel == f"{lang}/404.html":
                # 404 pages are served at any depth, so their links are absolute
                want_any = any(p.endswith(want) for p in found)
            else:
                want_any = want in found
            checked += 1
            if not want_any:
                missing.append(rel)
    assert checked > 50
    assert not missing, "pages without a footer link to their accessibility statement:\n" + (
        "\n".join(missing))
