"""Languages end to end: UI catalogs, content fallback, --strict, locale formatting, hreflang,
and an Arabic page read by a real browser at phone width."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from generator.build import build
from generator.data.load import load
from generator.cli import main as cli_main
from generator.data.config import Language
from generator.errors import LahioError
from generator.i18n import Translator, catalog_path
from generator.i18n.report import (
    build_translation_report,
    count_ui,
    incomplete_required,
    render_translation_report,
)

ROOT = Path(__file__).resolve().parents[1]
I18N = ROOT / "generator" / "i18n"
CODES = ("fi", "sv", "en", "selko", "ru", "uk", "ar")


def _norm(text: str) -> str:
    """Visible text with every kind of space made a plain space and bidi marks dropped."""
    text = re.sub(r"[\u00a0\u2009\u202f]", " ", text).replace("\u200f", "")
    return re.sub(r"\s+", " ", text)


class _Visible(HTMLParser):
    """Text a reader sees or hears: text nodes plus aria-label/title/alt, without <head>."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    INLINE = frozenset({"a", "abbr", "b", "bdi", "em", "i", "small", "span", "strong", "time"})

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("head", "script", "style"):
            self._skip += 1
        if tag not in self.INLINE:  # table cells, list items, paragraphs are separate words
            self.parts.append(" ")
        for name, value in attrs:
            if name in ("aria-label", "title", "alt") and value:
                self.parts.append(f" {value} ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("head", "script", "style"):
            self._skip -= 1
        if tag not in self.INLINE:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return _norm("".join(parser.parts))


def main_text(path: Path) -> str:
    html = path.read_text(encoding="utf-8")
    main = re.search(r"<main\b.*?</main>", html, re.S)
    assert main, f"{path}: no <main>"
    return visible_text(main.group())


def pages(site: Path, code: str) -> list[Path]:
    return sorted(p for p in (site / code).rglob("index.html"))


# --- UI catalogs --------------------------------------------------------------------------------

def test_committed_template_equals_a_fresh_extraction(tmp_path: Path) -> None:
    """A UI string added to the code without running tools/update_catalogs.sh fails here."""
    fresh = tmp_path / "messages.pot"
    # The same options as tools/update_catalogs.sh.
    CommandLineInterface().run([
        "pybabel", "-q", "extract", "-F", str(I18N / "babel.cfg"), "-k", "_", "-k", "gettext",
        "-k", "ngettext:1,2", "-k", "plural:1,2", "--no-location", "--sort-output",
        "--omit-header", "-o", str(fresh), str(ROOT / "generator")])
    committed = (I18N / "messages.pot").read_text(encoding="utf-8")
    assert fresh.read_text(encoding="utf-8") == committed, (
        "generator/i18n/messages.pot is out of date: run tools/update_catalogs.sh and "
        "translate the new strings")


@pytest.mark.parametrize("code", CODES)
def test_every_msgid_is_translated(code: str) -> None:
    count = count_ui(code, ROOT)
    assert count.total > 90
    assert count.complete, "untranslated:\n" + "\n".join(map(str, count.missing))


@pytest.mark.parametrize("code", CODES)
def test_catalog_placeholders_match(code: str) -> None:
    """A translation that drops or misspells %(amount)s would crash or lie at render time."""
    with catalog_path(code).open("rb") as fh:
        catalog = read_po(fh)
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        wanted = set(re.findall(r"%\(\w+\)s|\{n\}", " ".join(ids)))
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for s in strings:
            found = set(re.findall(r"%\(\w+\)s|\{n\}", s))
            # A plural form may name its number in words ("سنتان", two years) instead.
            assert found <= wanted and (found == wanted or isinstance(message.id, tuple)), (
                code, message.id, s)


def _catalog_pairs(code: str) -> list[tuple[str, str]]:
    with catalog_path(code).open("rb") as fh:
        catalog = read_po(fh)
    pairs = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for msgid in ids:
            if msgid not in strings:
                pairs.append((msgid, strings[0]))
    return pairs


def _english_fragments(msgid: str) -> list[str]:
    """The literal parts of a msgid long enough to recognise (placeholders split it)."""
    parts = re.split(r"%\(\w+\)[sd]|\{n\}", msgid)
    if len(parts) == 1:
        return [msgid]
    return [p.strip(" :.,") for p in parts if len(p.strip(" :.,")) >= 8]


@pytest.mark.parametrize("code", [c for c in CODES if c != "en"])
def test_pages_contain_no_untranslated_english_ui_string(sample_site: Path, code: str) -> None:
    pairs = _catalog_pairs(code)
    assert len(pairs) > 80
    patterns = [(msgid, re.compile(r"(?<![\w-])" + re.escape(frag) + r"(?![\w-])"))
                for msgid, _ in pairs for frag in _english_fragments(msgid)]
    found = []
    checked = 0
    for page in pages(sample_site, code):
        text = visible_text(page.read_text(encoding="utf-8"))
        checked += 1
        for msgid, pattern in patterns:
            hit = pattern.search(text)
            if hit:
                found.append(f"{page.relative_to(sample_site)}: {hit.group()!r} of {msgid!r}")
    assert checked >= 10
    assert not found, "\n".join(found)


def test_english_scan_would_catch_an_untranslated_string(sample_site: Path) -> None:
    """The scan above finds English where it is (the en pages use the msgids themselves)."""
    text = visible_text((sample_site / "en" / "neulamaki" / "budget" / "index.html")
                        .read_text(encoding="utf-8"))
    assert re.search(r"(?<![\w-])Budget left(?![\w-])", text)
    assert "Proposals in order of votes" in text


# --- content fallback and the translation report ------------------------------------------------

def test_sample_meets_required_languages() -> None:
    config, programme = load(ROOT)
    reports = {r.language.code: r for r in build_translation_report(config, programme)}
    assert [c for c, r in reports.items() if r.language.required] == ["fi", "en", "selko"]
    assert incomplete_required(list(reports.values())) == []
    # The optional languages are partly translated, so that fallback shows in the sample.
    for code in ("sv", "ru", "uk", "ar"):
        assert 0 < reports[code].texts.done < reports[code].texts.total, code
        assert reports[code].pages.done < reports[code].pages.total, code
    assert {"saavutettavuus"} <= {p.name for p in programme.pages if p.lang == "en"}
    assert {"saavutettavuus"} <= {p.name for p in programme.pages if p.lang == "sv"}


def _drop_line(path: Path, startswith: str) -> int:
    """Remove the first line that starts with ``startswith``; returns its 1-based number."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for n, line in enumerate(lines):
        if line.startswith(startswith):
            del lines[n]
            path.write_text("".join(lines), encoding="utf-8")
            return n + 1
    raise AssertionError(f"{startswith!r} not in {path}")


def test_removed_translation_falls_back_visibly_and_is_reported(project: Path) -> None:
    config, programme = load(project)
    en = next(r for r in build_translation_report(config, programme) if r.language.code == "en")
    n = en.texts.total
    assert en.texts.done == n
    themes = project / "areas" / "neulamaki" / "themes.yaml"
    _drop_line(themes, "      en: Workshops asked above all")
    key_line = next(n for n, line in enumerate(themes.read_text().splitlines(), 1)
                    if line.startswith("    residents_said:"))

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli_main(["--root", str(project), "translations", "--lang", "en"]) == 0
    report = out.getvalue()
    assert f"areas/neulamaki/themes.yaml:{key_line}: themes[0].residents_said" in report
    assert re.search(rf"^en English .* {n - 1}/{n} 99 % .*required, incomplete$", report, re.M), report

    build(project, only=("site",), log=lambda _m: None)
    html = (project / "site" / "en" / "neulamaki" / "themes" / "index.html").read_text()
    section = html[html.index('id="palvelut"'):html.index('id="infra"')]
    # The Finnish text is shown, marked as Finnish, with the note in English beside it.
    assert re.search(r'<div lang="fi" dir="ltr">\s*<p>Työpajoissa toivottiin', section)
    assert "(not yet translated, shown in Finnish)" in section
    other = html[html.index('id="osallisuus"'):]
    assert "not yet translated" not in other


def test_sample_pages_show_no_fallback_in_required_languages(sample_site: Path) -> None:
    notes = {"en": "(not yet translated, shown in Finnish)", "selko": "(ei vielä selkosuomeksi)",
             "fi": "(ei vielä käännetty, näytetään suomeksi)"}
    for code, note in notes.items():
        for page in pages(sample_site, code):
            html = page.read_text(encoding="utf-8")
            assert note not in html, page
            assert 'class="lahio-fallback"' not in html and 'class="lahio-note"' not in html


def test_optional_language_falls_back_with_a_note(sample_site: Path) -> None:
    # content/sv/tietosuoja.md does not exist: the Finnish page is shown with a Swedish note.
    html = (sample_site / "sv" / "tietosuoja" / "index.html").read_text(encoding="utf-8")
    assert "Den här sidan har inte översatts ännu. Den visas på finska." in html
    assert re.search(r'<div lang="fi" dir="ltr">\s*<p>Tämä sivusto ei käytä evästeitä', html)
    # An untranslated Männistö text on a Russian page.
    ru = main_text(sample_site / "ru" / "mannisto" / "index.html")
    assert "Männistö on lähes 6 900 asukkaan lähiö" in ru
    assert "ещё не переведено, показано на финском" in ru
    # In the footer, a Finnish page title is marked as Finnish; a translated one is not.
    footer = re.search(r'<footer\b.*?</footer>', html, re.S).group()  # type: ignore[union-attr]
    assert re.search(r'<a href="[^"]*" lang="fi" dir="ltr">Tietosuoja</a>', footer), footer
    assert re.search(r'<a href="[^"]*saavutettavuus/">Tillgänglighetsutlåtande</a>', footer), footer


def test_strict_fails_for_an_incomplete_required_language(project: Path) -> None:
    (project / "content" / "en" / "tietosuoja.md").unlink()
    with pytest.raises(LahioError) as err:
        build(project, strict=True, log=lambda _m: None)
    message = str(err.value)
    assert "required languages are incomplete" in message
    assert "en (English) is required but incomplete: 1 page not translated" in message
    assert not (project / "site").exists()
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli_main(["--root", str(project), "translations", "--strict"]) == 1
    assert ("content/en/tietosuoja.md: page missing; translate content/fi/tietosuoja.md into "
            "this file") in out.getvalue()


def test_optional_language_never_fails_strict_check(project: Path) -> None:
    shutil.rmtree(project / "content" / "sv")
    config, programme = load(project)
    reports = build_translation_report(config, programme)
    assert incomplete_required(reports) == []
    sv = next(r for r in reports if r.language.code == "sv")
    assert sv.pages.done == 0 and not sv.complete
    assert "Missing in sv (Svenska):" in render_translation_report(reports)


# --- locale formatting --------------------------------------------------------------------------

BUDGET = {
    # Checked by hand: 6 proposals, 1 677 votes, greedy within 50 000 €: 101, 102, 103 fit
    # (18 000 + 6 500 + 4 000), 104 (26 000) does not, 105 and 106 do → 40 500 funded, 9 500
    # left; 412 / 1 677 = 24,6 %; 689 of 4 300 voted = 16 %. Voting 27.3.–10.4.2023 (a past
    # round: told in the past tense, without the how-to-vote instructions); proposal
    # 101 has an update dated 2023-08-01.
    "fi": ["Asukkaat päättivät, miten 50 000 € käytetään alueella Neulamäki.",
           "27. maaliskuuta – 10. huhtikuuta 2023", "24,6 %",
           "Rahoitetaan yhteensä: 40 500 €. Jäi käyttämättä: 9 500 €.",
           "689 henkilöä äänesti. (Äänestysaktiivisuus: 16 % äänioikeutetuista)",
           "1. elokuuta 2023"],
    "en": ["Residents decided how to use €50,000 in Neulamäki.",
           "Mar 27 – Apr 10, 2023", "24.6%",
           "Funded in total: €40,500. Left over: €9,500.",
           "689 people voted. (Turnout: 16% of those who could vote)",
           "August 1, 2023"],
    "ar": ["قرر السكان كيفية استخدام 50,000 € في نيولاماكي.",
           "27 مارس – 10 أبريل 2023", "24.6%",
           "إجمالي التمويل: 40,500 €. المتبقي: 9,500 €.",
           "صوّت 689 شخص. (نسبة المشاركة: 16% من أصحاب حق التصويت)",
           "1 أغسطس 2023"],
    "ru": ["Жители решили, как потратить 50 000 € в районе Неуламяки.",
           "27 мар. – 10 апр. 2023 г.", "24,6 %",
           "Всего профинансировано: 40 500 €. Осталось: 9 500 €.",
           "Проголосовали 689 человек. (Явка: 16 % от имевших право голоса)",
           "1 августа 2023 г."],
}


@pytest.mark.parametrize("code", sorted(BUDGET))
def test_budget_page_reads_correctly(sample_site: Path, code: str) -> None:
    text = main_text(sample_site / code / "neulamaki" / "budget" / "index.html")
    for expected in BUDGET[code]:
        assert expected in text, f"{code}: {expected!r} not in page text:\n{text}"


def test_money_is_one_unbreakable_unit(sample_site: Path) -> None:
    fi = (sample_site / "fi" / "neulamaki" / "budget" / "index.html").read_text("utf-8")
    assert '<bdi class="lahio-num" dir="ltr">50\u00a0000\u00a0€</bdi>' in fi


@pytest.mark.parametrize(("code", "n", "expected"), [
    ("fi", 1, "1 vuosi"), ("fi", 38, "38 vuotta"), ("en", 1, "1 year"), ("en", 38, "38 years"),
    ("ru", 1, "1 год"), ("ru", 3, "3 года"), ("ru", 5, "5 лет"), ("ru", 21, "21 год"),
    ("ru", 38, "38 лет"), ("uk", 2, "2 роки"), ("uk", 11, "11 років"),
    ("ar", 1, "سنة واحدة"), ("ar", 2, "سنتان"), ("ar", 3, "3 سنوات"), ("ar", 11, "11 سنة"),
    ("ar", 38, "38 سنة"), ("ar", 100, "100 سنة"), ("sv", 38, "38 år"),
])
def test_plurals(code: str, n: int, expected: str) -> None:
    tr = Translator(Language(code, code, code, code, "rtl" if code == "ar" else "ltr"))
    assert tr.plural("{n} year", "{n} years", n) == expected


def test_isolation_keeps_ranges_left_to_right() -> None:
    ar = Translator(Language("ar", "العربية", "ar", "ar", "rtl"))
    when = ar.time_range(dt.datetime(2027, 2, 3, 17), dt.datetime(2027, 2, 3, 19))
    html = str(ar.isolate(when))
    # Arabic words keep the text's direction; the digits with the range are one LTR island.
    assert html.startswith('<bdi class="lahio-num">')
    assert '<bdi dir="ltr">2027 17:00–19:00</bdi>' in html
    assert str(ar.isolate("17–19")) == '<bdi class="lahio-num" dir="ltr">17–19</bdi>'
    assert str(ar.isolate("<b>")) == '<bdi class="lahio-num" dir="ltr">&lt;b&gt;</bdi>'
    assert str(ar.isolate_runs("خط التمويل: استُخدم \u200f40,500\u00a0€ من \u200f50,000\u00a0€.")) == (
        'خط التمويل: استُخدم <bdi class="lahio-num" dir="ltr">\u200f40,500\u00a0€</bdi> من '
        '<bdi class="lahio-num" dir="ltr">\u200f50,000\u00a0€</bdi>.')
    en = Translator(Language("en", "English", "en", "en"))
    assert str(en.isolate_runs("Line: €9,500 left, 16% <b>")) == (
        'Line: <bdi class="lahio-num" dir="ltr">€9,500</bdi> left, '
        '<bdi class="lahio-num" dir="ltr">16%</bdi> &lt;b&gt;')
    fi = Translator(Language("fi", "Suomi", "fi", "fi"))
    assert str(fi.isolate("17.00–19.00")) == '<bdi class="lahio-num" dir="ltr">17.00–19.00</bdi>'
    uk = Translator(Language("uk", "Українська", "uk", "uk"))
    assert uk.money(50000) == "50\u00a0000\u00a0€"


class _Unisolated(HTMLParser):
    """Text outside any <bdi> that holds a range, a time, an amount or a percentage."""

    PATTERN = re.compile(r"\d\s?[–-]\s?\d|\d[:.]\d\d\b|\d\s?[€%]|€\s?\d")

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # Scripts (structured data) are read by machines, never drawn; an SVG chart places
        # each label itself (one number per <text>, with its own direction).
        self.depth += tag in ("bdi", "script", "svg")

    def handle_endtag(self, tag: str) -> None:
        self.depth -= tag in ("bdi", "script", "svg")

    def handle_data(self, data: str) -> None:
        if not self.depth and self.PATTERN.search(_norm(data)):
            self.found.append(data.strip())


def test_numbers_ranges_and_amounts_are_isolated(sample_site: Path) -> None:
    """So that "17–19" can never be drawn "19–17" in right-to-left text (the Arabic catalog
    writes ranges inside sentences in words: "من 0 إلى 100")."""
    checked = 0
    for page in pages(sample_site, "ar"):
        html = page.read_text(encoding="utf-8")
        main = re.search(r"<main\b.*?</main>", html, re.S)
        assert main
        if "lahio-content" in main.group():
            continue  # a communicator's Markdown page: prose, not generated figures
        parser = _Unisolated()
        parser.feed(main.group())
        assert not parser.found, f"{page.relative_to(sample_site)}: {parser.found}"
        checked += html.count('class="lahio-num"')
    assert checked > 100


def test_isolation_check_would_catch_a_bare_range() -> None:
    parser = _Unisolated()
    parser.feed("<p>Klo 17–19, <bdi>18.00</bdi></p><p>Hinta 50 000 €</p>")
    assert parser.found == ["Klo 17–19,", "Hinta 50 000 €"]


# --- hreflang -----------------------------------------------------------------------------------

def test_every_page_has_hreflang_alternates(sample_site: Path) -> None:
    expected = {"fi", "sv", "en", "fi-x-selko", "ru", "uk", "ar", "x-default"}
    root = "https://www.kuopio.fi/lahiot/"
    seen = 0
    for code in CODES:
        for page in pages(sample_site, code):
            rel = page.parent.relative_to(sample_site / code).as_posix()
            here = "" if rel == "." else rel + "/"
            links = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"',
                                    page.read_text(encoding="utf-8")))
            assert set(links) == expected, page
            assert links["x-default"] == f"{root}fi/{here}"
            assert links["fi-x-selko"] == f"{root}selko/{here}"
            for href in links.values():
                assert (sample_site / href[len(root):] / "index.html").exists(), href
            seen += 1
    assert seen >= 7 * 14


def test_sitemap_lists_alternates_with_x_default(sample_site: Path) -> None:
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    tree = ET.parse(sample_site / "sitemap.xml")
    urls = tree.getroot().findall("s:url", ns)
    # Every page but those that name another address as canonical (the current year's
    # budget/<year>/ repeats budget/).
    canonical = re.compile(r'<link rel="canonical" href="https://www\.kuopio\.fi/lahiot/([^"]*)"')
    own = [p for c in CODES for p in pages(sample_site, c)
           if (m := canonical.search(p.read_text(encoding="utf-8"))) is None
           or (sample_site / m.group(1) / "index.html") == p]
    assert len(urls) == len(own)
    listed = {url.find("s:loc", ns).text for url in urls}  # type: ignore[union-attr]
    assert "https://www.kuopio.fi/lahiot/fi/neulamaki/budget/" in listed
    assert "https://www.kuopio.fi/lahiot/fi/neulamaki/budget/2023/" not in listed
    assert "https://www.kuopio.fi/lahiot/fi/neulamaki/evaluation/2023/" not in listed
    for url in urls:
        loc = url.find("s:loc", ns).text  # type: ignore[union-attr]
        alts = {link.get("hreflang"): link.get("href") for link in url.findall("x:link", ns)}
        assert len(alts) == 8 and "x-default" in alts, loc
        assert loc in alts.values()
        assert alts["x-default"].startswith("https://www.kuopio.fi/lahiot/fi/")


# --- Arabic in a browser ------------------------------------------------------------------------

@pytest.mark.browser
def test_arabic_area_page_at_phone_width(sample_site: Path, tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    assert Path("/usr/bin/chromium").exists(), "Debian's chromium is missing (tools/setup.sh --test)"
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            page = browser.new_context(viewport={"width": 360, "height": 740},
                                       java_script_enabled=False).new_page()
            page.goto((sample_site / "ar" / "neulamaki" / "events" / "index.html").as_uri())
            assert page.get_attribute("html", "dir") == "rtl"
            assert page.get_attribute("html", "lang") == "ar"
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, f"the page scrolls sideways ({width} px)"

            brand = page.locator(".lahio-brand").bounding_box()
            assert brand and brand["x"] + brand["width"] > 330 and brand["x"] > 100, brand
            heading = page.evaluate("""() => { const h = document.querySelector('main h1');
                const r = document.createRange(); r.selectNodeContents(h);
                const t = r.getBoundingClientRect(), m = h.getBoundingClientRect();
                return {left: t.left, right: t.right, boxRight: m.right}; }""")
            assert abs(heading["right"] - heading["boxRight"]) < 2, heading  # right-aligned
            assert heading["left"] > 40, heading

            # The workshop's time: "17:00–19:00" inside an LTR island, drawn left to right.
            island = page.locator("time bdi[dir=ltr]", has_text="17:00–19:00")
            assert island.count() == 1
            order = island.evaluate("""el => { const node = el.firstChild, s = node.data;
                const at = (i, j) => { const r = document.createRange(); r.setStart(node, i);
                    r.setEnd(node, j); return r.getBoundingClientRect().left; };
                const a = s.indexOf('17:00'), b = s.indexOf('19:00');
                return {text: s, dir: getComputedStyle(el).direction,
                        first: at(a, a + 5), second: at(b, b + 5)}; }""")
            assert order["dir"] == "ltr" and "17:00–19:00" in order["text"]
            assert order["first"] < order["second"], order  # not "19:00–17:00"

            # Every language is on screen at once, without JavaScript and without a tap.
            items = page.locator(".lahio-langs a").all()
            assert len(items) == 7
            for item in items:
                box = item.bounding_box()
                assert box and box["x"] >= 0 and box["x"] + box["width"] <= 360, box
                assert box["y"] + box["height"] <= 740, box
                assert box["height"] >= 44 and box["width"] >= 44, box
                assert item.get_attribute("lang")
            shot = tmp_path / "ar-events-360.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 10_000
        finally:
            browser.close()


def test_extraction_finds_strings_inside_f_strings() -> None:
    """Before Python 3.12 an f-string is one token: Babel alone never saw these strings."""
    import io

    from babel.messages.extract import DEFAULT_KEYWORDS

    from generator.i18n.extract import extract_python

    source = (b"def f(_, url, label):\n"
              b"    a = f\"{_('Sign up')}: {url}\"\n"
              b"    b = f\"{label}: {_('change over the years')}\"\n"
              b"    return _('Plain')\n")
    found = {m[2] for m in extract_python(io.BytesIO(source), DEFAULT_KEYWORDS, [], {})}
    assert found == {"Sign up", "change over the years", "Plain"}
    pot = (I18N / "messages.pot").read_text(encoding="utf-8")
    for msgid in ("Sign up", "this area and the comparison", "change over the years"):
        assert f'msgid "{msgid}"' in pot


def test_a_sentence_ending_in_an_abbreviated_date_ends_with_one_full_stop() -> None:
    """Russian dates end in "г." ("12–31 янв. 2027 г."): the sentence around them adds none."""
    from generator.data.load import load_config_only
    from generator.templating import PRINT_TEMPLATES, make_env

    config = load_config_only(ROOT)
    env = make_env([PRINT_TEMPLATES], Translator(config.language("ru")))
    tpl = env.from_string('{{ _("Vote on how to use %(amount)s: %(dates)s.", amount=isolate(a), '
                          'dates=isolate(d)) }}')
    said = tpl.render(a="50 000 €", d="12–31 янв. 2027 г.")
    assert re.sub(r"<[^>]+>", "", said).endswith("2027 г.")
    assert said.count("<bdi") == said.count("</bdi>") == 2
    # A value that does not end a sentence keeps the sentence's own full stop.
    plain = re.sub(r"<[^>]+>", "", tpl.render(a="50 000 €", d="12–31 января 2027"))
    assert plain.endswith("2027.")
    # Sentences the views fill in (the "now" box, stale-status notes) and the newsletter's
    # lines: no page or letter in Russian or Ukrainian says "г.." or "р..".
    from generator.channels.newsletter import take_part
    from generator.site.pages import build_language_tree
    from generator.views.area import build_area_view

    config, programme = load(ROOT)
    for lang in ("ru", "uk"):
        tr = Translator(config.language(lang))
        files = build_language_tree(programme, config, tr, dt.date(2026, 11, 28), []).files
        text = "".join(re.sub(r"<[^>]+>", "", html) for html in files.values())
        assert "г." in text or "р." in text  # the dates that end in an abbreviation are there
        assert not re.search(r"[гр]\.\.(?!\.)", text), lang
        for data in programme.areas:
            lines = take_part(build_area_view(data, tr, config, dt.date(2026, 11, 28)), tr)
            assert not any(re.search(r"[гр]\.\.", line) for line in lines), (lang, lines)
