"""What the products say is what the data says: every word of every PDF reads back whole."""

from __future__ import annotations

import html as htmllib
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pypdfium2 as pdfium
import pytest

import generator.print as print_stage
from generator.build import build
from generator.render import pdf as pdf_engine
from generator.render.pdf import Rendered

#: What no reader sees: styles, the QR code's drawing, and the web page's breadcrumbs that the
#: selection report's print stylesheet hides (``.lahio-crumbs { display: none }``).
_DROP = re.compile(r"<(style|script|svg|title)\b.*?</\1>|<p class=\"lahio-crumbs\">.*?</p>",
                   re.S | re.I)


def _words(html: str) -> list[str]:
    """The words a reader sees in ``html``: tags dropped, entities and soft hyphens resolved."""
    body = html.split("<body", 1)[-1]
    text = htmllib.unescape(re.sub(r"<[^>]+>", " ", _DROP.sub(" ", body)))
    text = text.replace("\u00ad", "")
    words = []
    for w in re.split(r"[\s\u00a0\u202f]+", text):
        w = w.strip(".,:;!?()[]\"'«»“”·–—-/\u200f\u200e\u2068\u2069\u2066\u2067")
        if len(w) > 1 and re.search(r"\w", w):
            words.append(w)
    return words


#: Hyphens (a word broken at a soft hyphen reads back as "kä‐" + line break + "velyreitille";
#: one broken at its own hyphen as "12-" + line break; pdfium reads a hyphen inside a word as
#: U+FFFE) and the lam and alef letters of Arabic:
#: a lam–alef ligature (required in Arabic script) reads back with its two letters in visual
#: order, so only the other letters of an Arabic word are compared in order.
_IGNORED = re.compile("[\u2010\u2011\u00ad\ufffe\\-\u0644\u0627\u0623\u0625\u0622\u0649]")


def _norm(text: str) -> str:
    """``text`` without spaces, hyphens, combining marks and Arabic presentation forms."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    text = _IGNORED.sub("", text)
    return re.sub(r"[\s\u00a0\u202f\u200f\u200e\u2066-\u2069]+", "", text)


def _pdf_text(pdf: bytes) -> str:
    doc = pdfium.PdfDocument(pdf)
    return _norm("".join(page.get_textpage().get_text_range() for page in doc))


def test_every_word_of_every_pdf_reads_back(project: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    rendered: list[tuple[str, bytes]] = []
    render_one = print_stage._render_one
    render_pdf = pdf_engine.render_pdf

    def capture_one(layout: tuple[str, str, bool]) -> Rendered:
        result = render_one(layout)
        if result.pdf:  # an empty PDF is a layout that overflowed and is fitted again
            rendered.append((layout[0], result.pdf))
        return result

    def capture_pdf(html: str, *args: object, **kwargs: object) -> bytes:
        pdf = render_pdf(html, *args, **kwargs)  # type: ignore[arg-type]
        rendered.append((html, pdf))
        return pdf

    monkeypatch.setattr(print_stage, "WORKERS", 1)
    monkeypatch.setattr(print_stage, "_render_one", capture_one)
    # The reports import the engine when they draw, so they pick up the capturing one.
    monkeypatch.setattr(pdf_engine, "render_pdf", capture_pdf)
    build(project, only=("print",), log=lambda _m: None)
    langs = {re.search(r'<html[^>]* lang="([^"]+)"', h).group(1) for h, _p in rendered}
    assert len(rendered) > 100 and {"fi", "en", "sv", "ru", "uk", "ar"} <= langs
    lost = []
    for html, pdf in rendered:
        text = _pdf_text(pdf)
        title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
        words = _words(html)
        if ' dir="rtl"' in html[:200]:
            # Right-to-left: the reader rebuilds the logical order of mixed runs its own way
            # ("17:00–19:00" as "19:00–17:00", a word split around a Latin name), so compare
            # letters, not order: a lost ligature still loses its letters.
            have = Counter(text)
            need = Counter(_norm("".join(words)))
            missing = sorted(c for c, n in need.items() if have[c] < n)
        else:
            missing = sorted({w for w in words if _norm(w) not in text})
        if missing:
            lost.append(f"{title}: {missing[:8]}")
    assert not lost, "\n".join(lost[:20])
    # The word that lost its "ffi" ligature before, in a product that shows it.
    assert any("graffitiseinä" in _pdf_text(pdf) for _h, pdf in rendered)
    assert any("official" in _pdf_text(pdf) for _h, pdf in rendered)


def test_web_print_newsletter_and_open_data_tell_the_same_result(warm_project: Path) -> None:
    """Greedy on the sample: 104 (26 000 €) is skipped with 21 500 € left, 105 and 106 funded."""
    project = warm_project  # with the sample's build cache: only what changed is drawn
    import csv
    import datetime as dt
    import io

    from generator.build import load
    from generator.i18n import Translator
    from generator.site.pages import build_language_tree

    build(project, only=("print", "channels"), log=lambda _m: None)
    site = project / "site"
    skipped = "Ohitettu: 26 000 € ei mahtunut jäljellä olevaan rahaan (21 500 €)"

    def flat(text: str) -> str:
        return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " "))

    config, programme = load(project)
    tree = build_language_tree(programme, config, Translator(config.language("fi")),
                               dt.date(2026, 11, 28), [])
    web = flat(htmllib.unescape(re.sub(r"<[^>]+>", "", tree.files["neulamaki/budget.md"])))
    pdf = pdfium.PdfDocument(site / "print" / "neulamaki" / "fi" / "results-a4.pdf")
    printed = flat(re.sub(r"\u2010?\r\n", " ", pdf[0].get_textpage().get_text_range()))
    mail = flat((site / "newsletter" / "neulamaki" / "fi.txt").read_text(encoding="utf-8"))
    for name, text in (("web page", web), ("results sheet", printed), ("newsletter", mail)):
        assert skipped in text, name
        assert "Rahoitusraja" not in text, name  # no line where none is true
    # Amounts never break across lines in the plain-text newsletter: no line ends inside one.
    raw = (site / "newsletter" / "neulamaki" / "fi.txt").read_text(encoding="utf-8")
    assert not re.search(r"\d\n\d{3}\u00a0€", raw) and "26\u00a0000\u00a0€" in raw
    rows = {r["proposal"]: r for r in csv.DictReader(io.StringIO(
        (site / "data" / "budget.csv").read_text(encoding="utf-8")))}
    assert (rows["104"]["funded"], rows["104"]["outcome"], rows["104"]["budget_left_after"]) == (
        "false", "too-expensive", "21500")
    assert (rows["105"]["funded"], rows["105"]["budget_left_after"]) == ("true", "18500")


def test_chart_labels_never_break_inside_an_amount() -> None:
    from generator.views.charts import _wrap

    label = "Rahoitusraja: käytetty 40\u00a0500\u00a0€ / 50\u00a0000\u00a0€, jäljellä 9\u00a0500\u00a0€"
    for width in range(60, 400, 7):
        for line in _wrap(label, width):
            assert not re.search(r"\d$", line) or line.endswith("€"), (width, line)
            assert not re.match(r"^\d{3}", line), (width, line)


#: The first word of the example band in each language.
_BAND = {"fi": "Esimerkki:", "selko": "Paavo-luvut", "en": "Example:", "sv": "Exempel:",
         "ru": "Пример:", "uk": "Приклад:", "ar": "مثال:"}


def _sample_marks(site: Path) -> dict[str, list[str]]:
    """Which products say they are an example (by file), for the Finnish and Arabic outputs."""
    found: dict[str, list[str]] = {"pdf": [], "plain": [], "pdf_total": []}
    for pdf_path in sorted((site / "print").glob("*/*/*.pdf")):
        if pdf_path.parent.parent.name == "selection":
            continue  # the selection report shows only real Paavo statistics
        found["pdf_total"].append(pdf_path.name)
        doc = pdfium.PdfDocument(pdf_path)
        text = " ".join(page.get_textpage().get_text_range() for page in doc)
        if _BAND[pdf_path.parent.name] in text and "Paavo" in text:
            found["pdf"].append(f"{pdf_path.parent.name}/{pdf_path.name}")
    for rel in ("newsletter/neulamaki/fi.txt", "newsletter/neulamaki/fi.html",
                "fi/neulamaki/sms.txt", "ar/neulamaki/sms.txt", "fi/neulamaki/feed.xml"):
        text = (site / rel).read_text(encoding="utf-8")
        if "Esimerkki:" in text or "مثال:" in text:
            found["plain"].append(rel)
    return found


def test_the_sample_switch_marks_every_product_and_only_with_it(warm_project: Path,
                                                                tmp_path: Path) -> None:
    project = warm_project  # with the sample's build cache: only what changed is drawn
    import datetime as dt

    from generator.build import load
    from generator.i18n import Translator
    from generator.site.pages import build_language_tree

    build(project, only=("print", "channels"), log=lambda _m: None)
    marks = _sample_marks(project / "site")
    assert marks["pdf"] and len(marks["pdf"]) == len(marks["pdf_total"])  # every PDF: a band
    assert len(marks["plain"]) == 5
    sms = (project / "site" / "fi" / "neulamaki" / "sms.txt").read_text(encoding="utf-8")
    assert sms.startswith("Esimerkki:")
    budget_csv = (project / "site" / "data" / "budget.csv").read_text(encoding="utf-8")
    assert budget_csv.splitlines()[0].startswith("area,example,")
    assert all(",true," in line for line in budget_csv.splitlines()[1:])
    config, programme = load(project)
    tree = build_language_tree(programme, config, Translator(config.language("fi")),
                               dt.date(2026, 11, 28), [])
    # The budget page says exactly what is real: the statistics, not the votes or turnout.
    assert ("vain Paavo-tilastot (asukkaat, ikä, työllisyys, tulot, asuminen) ovat todellisia. "
            "Tekstit, suunnitelmat, hankkeet, tapahtumat, ehdotukset, äänet ja "
            "äänestysaktiivisuus on keksitty.") in tree.files["neulamaki/budget.md"]
    assert "figures are real statistics" not in tree.files["neulamaki/budget.md"]

    # Real content: no switch in mkdocs.yml, the areas not marked as examples.
    real = project.parent / "real"
    project.rename(real)
    mk = real / "mkdocs.yml"
    mk.write_text(re.sub(r"\n\s*sample: true", "", mk.read_text(encoding="utf-8")),
                  encoding="utf-8")
    for area in ("neulamaki", "mannisto"):
        path = real / "areas" / area / "area.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("example: true",
                                                                 "example: false"),
                        encoding="utf-8")
    build(real, only=("print", "channels"), log=lambda _m: None)
    marks = _sample_marks(real / "site")
    assert marks["pdf_total"] and marks["pdf"] == [] and marks["plain"] == []
    budget_csv = (real / "site" / "data" / "budget.csv").read_text(encoding="utf-8")
    assert all(",false," in line for line in budget_csv.splitlines()[1:])


def test_registration_link_on_events_area_newsletter_and_print(warm_project: Path) -> None:
    project = warm_project  # with the sample's build cache: only what changed is drawn
    import datetime as dt

    from generator.build import load
    from generator.i18n import Translator
    from generator.site.pages import build_language_tree

    url = "https://osallistu.example.fi/ideapaja"
    config, programme = load(project)
    for lang, label in (("fi", "Ilmoittaudu"), ("ar", "سجّل"), ("sv", "Anmäl dig")):
        tree = build_language_tree(programme, config, Translator(config.language(lang)),
                                   dt.date(2026, 11, 28), [])
        for page in ("neulamaki/events.md", "neulamaki/index.md"):
            assert f'<a href="{url}">{label}</a>' in tree.files[page], (lang, page)
    build(project, only=("print", "channels"), log=lambda _m: None)
    site = project / "site"
    mail = (site / "newsletter" / "neulamaki" / "fi.txt").read_text(encoding="utf-8")
    assert f"Ilmoittaudu: {url}" in mail
    assert f'<a href="{url}"' in (site / "newsletter" / "neulamaki" / "ar.html").read_text(
        encoding="utf-8")
    for product in ("poster-a3.pdf", "handout-a4.pdf"):  # the A3 poster and the handout
        doc = pdfium.PdfDocument(site / "print" / "neulamaki" / "fi" / product)
        text = re.sub(r"[\s\ufffe\u2010]+", "", doc[0].get_textpage().get_text_range())
        assert "Ilmoittaudu:" + url in text, product


def test_sms_texts_fit_one_message_or_are_split_and_counted(warm_project: Path) -> None:
    project = warm_project  # with the sample's build cache: only what changed is drawn
    from generator.channels.shorttext import GSM_BASIC, GSM_EXTENSION

    build(project, only=("channels",), log=lambda _m: None)
    site = project / "site"
    codes = (project / "qr-codes.yaml").read_text(encoding="utf-8")
    for area in ("neulamaki", "mannisto"):
        for lang in ("fi", "selko", "sv", "en"):
            text = (site / lang / area / "sms.txt").read_text(encoding="utf-8").rstrip("\n")
            bad = sorted({c for c in text if c not in GSM_BASIC and c not in GSM_EXTENSION})
            assert not bad, (area, lang, bad)  # one non-GSM character makes it UCS-2
            assert sum(2 if c in GSM_EXTENSION else 1 for c in text) <= 160, (area, lang)
        for lang in ("ru", "uk", "ar"):
            lines = (site / lang / area / "sms.txt").read_text(encoding="utf-8").splitlines()
            assert all(len(line) <= 70 for line in lines), (area, lang, lines)
            if len(lines) > 1:  # split at words, each message numbered
                assert [line.split(" ", 1)[0] for line in lines] == [
                    f"{n}/{len(lines)}" for n in range(1, len(lines) + 1)]
                assert not any(line.endswith(("-", "\u2010")) for line in lines)
        for lang in ("fi", "ar"):
            text = (site / lang / area / "sms.txt").read_text(encoding="utf-8")
            code = re.search(r"/q/([a-z0-9]+)/", text).group(1)
            # The SMS link is its own code (channel sms), not the social posts' one.
            assert re.search(rf'code: "{code}", area: {area}, channel: sms, lang: {lang}', codes)


def test_city_comparison_is_worded_for_residents_and_strict_passes(project: Path) -> None:
    from generator.cli import main

    assert main(["--root", str(project), "import", "paavo",
                 "/work/shared/data/paavo_kuopio_2017.csv", "--year-population", "2017",
                 "--year-employment", "2016", "--year-income", "2016",
                 "--year-households", "2017", "--city", "mediaanitulo=21500"]) == 0
    text = (project / "areas" / "neulamaki" / "paavo.yaml").read_text(encoding="utf-8")
    assert "--city" not in text and "given at import" not in text
    assert "Comparison: the figure for the whole of Kuopio, given by the city." in text
    assert "Vertailuluku on koko Kuopion luku." in text  # plain Finnish too
    # Every required language complete (what `lahio build --strict` checks first).
    assert main(["--root", str(project), "translations", "--strict"]) == 0


def test_selko_comparison_says_what_finnish_says() -> None:
    from generator.data.load import load_config_only
    from generator.i18n import Translator
    from generator.importers.paavo import _COVERS

    config = load_config_only(Path(__file__).resolve().parents[1])
    selko = Translator(config.language("selko")).gettext("Comparison")
    assert "Koko Kuopio" not in selko and selko == "Vertailu"
    assert "ei koko" in _COVERS["fi"] and "ei ole koko" in _COVERS["selko"]


def test_figures_name_their_postal_area_and_the_handout_shows_comparison(warm_project: Path) -> None:
    project = warm_project  # with the sample's build cache: only what changed is drawn
    import datetime as dt

    from generator.build import load
    from generator.i18n import Translator
    from generator.site.pages import build_language_tree

    config, programme = load(project)
    for lang, sentence in (("fi", "Luvut koskevat postinumeroaluetta 70150."),
                           ("en", "Figures of postal area 70150.")):
        tree = build_language_tree(programme, config, Translator(config.language(lang)),
                                   dt.date(2026, 11, 28), [])
        text = re.sub(r"<[^>]+>", "", tree.files["neulamaki/index.md"])
        assert sentence in text, lang
    build(project, only=("print",), log=lambda _m: None)
    doc = pdfium.PdfDocument(project / "site" / "print" / "neulamaki" / "fi" / "handout-a4.pdf")
    text = re.sub(r"\s+", " ", doc[0].get_textpage().get_text_range().replace("\u00a0", " "))
    assert "Luvut koskevat postinumeroaluetta 70150." in text
    assert "Vertailu 13,6 %" in text and "johdettu luku" in text
