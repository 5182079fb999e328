"""Printed products read back: page sizes, one page, bleed boxes, fonts, QR codes, languages."""

from __future__ import annotations

import ctypes
import re
import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
import zxingcpp

from generator.build import build
from generator.errors import LahioError
from generator.print.hyphen import SHY, hyphenate_word
from generator.render.qr import outline_path
from generator.shortlinks import ShortLink, Wanted, assign_codes, code_for, load_registry

MM = 72 / 25.4
AREAS = ("mannisto", "neulamaki")
#: ISO sizes in points, computed from millimetres by hand: A4 = 210 × 297 mm.
PAGE_PT = {"a3": (841.89, 1190.55), "a4": (595.28, 841.89), "a5": (419.53, 595.28),
           "a6": (297.64, 419.53)}
#: Minimum printed QR width, quiet zone included (1/10 of the reading distance).
MIN_QR_MM = {"a6": 30, "a5": 40, "a4": 60, "a3": 90}
CHANNEL = {"poster": "poster", "flyer": "flyer", "handout": "handout", "ballot": "ballot",
           "results": "results"}


def _pdfs(site: Path) -> list[Path]:
    return sorted(p for area in AREAS for p in (site / "print" / area).glob("*/*.pdf"))


def _size_of(name: str) -> str:
    if "4up" in name:
        return "a4"
    return re.search(r"-(a[3-6])", name).group(1)  # type: ignore[union-attr]


def _registry(site: Path) -> dict[tuple[str, str, str], ShortLink]:
    return {(sl.area, sl.channel, sl.lang): sl for sl in load_registry(site.parent).values()}


def test_every_product_is_one_page_of_the_exact_size(sample_site: Path) -> None:
    pdfs = _pdfs(sample_site)
    names = {p.name for p in pdfs}
    assert {"poster-a3.pdf", "poster-a4.pdf", "flyer-a5.pdf", "flyer-a6.pdf",
            "flyer-a6-4up-a4.pdf", "poster-a4-bleed.pdf", "flyer-a6-bleed.pdf",
            "handout-a4.pdf", "ballot-a4.pdf", "results-a4.pdf"} <= names
    langs = {p.parent.name for p in pdfs}
    assert langs == {"fi", "sv", "en", "selko", "ru", "uk", "ar"}
    for path in pdfs:
        doc = pdfium.PdfDocument(path)
        assert len(doc) == 1, path
        page = doc[0]
        w, h = PAGE_PT[_size_of(path.name)]
        trim = page.get_trimbox()
        assert trim[2] - trim[0] == pytest.approx(w, abs=0.5), path
        assert trim[3] - trim[1] == pytest.approx(h, abs=0.5), path
        media = page.get_mediabox()
        if path.name.endswith("-bleed.pdf"):
            # 3 mm bleed on every side: the media box is 6 mm larger, the bleed box equals it.
            assert media[2] - media[0] == pytest.approx(w + 6 * MM, abs=0.5), path
            assert media[3] - media[1] == pytest.approx(h + 6 * MM, abs=0.5), path
            bleed = page.get_bleedbox()
            assert bleed[2] - bleed[0] == pytest.approx(w + 6 * MM, abs=0.5), path
            assert trim[0] - media[0] == pytest.approx(3 * MM, abs=0.2), path
            assert media[2] - trim[2] == pytest.approx(3 * MM, abs=0.2), path
        else:
            assert media[2] - media[0] == pytest.approx(w, abs=0.5), path


def _outside_trim(page: pdfium.PdfPage) -> int:
    """How many drawn objects lie wholly outside the trim box (crop marks and crosses)."""
    left, bottom, right, top = page.get_trimbox()
    count = 0
    for obj in page.get_objects(max_depth=3):
        if obj.type == pdfium_c.FPDF_PAGEOBJ_FORM:
            continue
        x0, y0, x1, y1 = obj.get_bounds()
        count += x1 <= left or x0 >= right or y1 <= bottom or y0 >= top
    return count


def test_crop_marks_in_print_shop_files_only(sample_site: Path) -> None:
    # The office-printer files are the print-shop layouts without their bleed: nothing of
    # the print shop's marks may come along, not even where no viewer shows it.
    for lang in ("fi", "ar"):
        for name in ("poster-a3", "poster-a4", "flyer-a5", "flyer-a6"):
            folder = sample_site / "print" / "neulamaki" / lang
            assert _outside_trim(pdfium.PdfDocument(folder / f"{name}-bleed.pdf")[0]) >= 8
            assert _outside_trim(pdfium.PdfDocument(folder / f"{name}.pdf")[0]) == 0, name


def _fonts(page: pdfium.PdfPage) -> set[tuple[str, bool]]:
    found = set()
    for obj in page.get_objects():
        if obj.type != pdfium_c.FPDF_PAGEOBJ_TEXT:
            continue
        font = pdfium_c.FPDFTextObj_GetFont(obj.raw)
        buf = ctypes.create_string_buffer(256)
        n = pdfium_c.FPDFFont_GetBaseFontName(font, buf, 256)
        name = buf.raw[: max(n - 1, 0)].decode("latin-1")
        found.add((name, bool(pdfium_c.FPDFFont_GetIsEmbedded(font))))
    return found


def test_fonts_are_embedded_and_arabic_is_text(sample_site: Path) -> None:
    for lang, script in (("fi", "ä"), ("ru", "Неуламяки"), ("ar", "نيولاماكي")):
        doc = pdfium.PdfDocument(sample_site / "print" / "neulamaki" / lang / "flyer-a5.pdf")
        page = doc[0]
        fonts = _fonts(page)
        assert fonts and all(embedded for _name, embedded in fonts), fonts
        assert any(re.search("Noto-?Sans", name) for name, _e in fonts), fonts
        text = page.get_textpage().get_text_range()
        if lang == "ar":
            assert re.search("[\u0600-\u06ff]{4}", text), text
            assert any("Arabic" in name for name, _e in fonts), fonts
        else:
            assert script in text, text


def test_tagged_with_title_and_language(sample_site: Path) -> None:
    for lang, tag in (("fi", "fi"), ("selko", "fi"), ("ar", "ar")):
        doc = pdfium.PdfDocument(sample_site / "print" / "mannisto" / lang / "poster-a4.pdf")
        assert pdfium_c.FPDFCatalog_IsTagged(doc.raw)
        assert doc.get_metadata_dict()["Title"].startswith(("Männistö", "مانيستو"))
        n = pdfium_c.FPDFCatalog_GetLanguage(doc.raw, None, 0)
        buf = ctypes.create_string_buffer(n)
        pdfium_c.FPDFCatalog_GetLanguage(doc.raw, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)), n)
        assert buf.raw[:-2].decode("utf-16-le") == tag


@pytest.mark.parametrize("area,lang,name", [
    ("neulamaki", "fi", "poster-a3.pdf"), ("neulamaki", "fi", "poster-a4.pdf"),
    ("neulamaki", "en", "flyer-a5.pdf"), ("mannisto", "ar", "flyer-a6.pdf"),
    ("mannisto", "selko", "flyer-a6-4up-a4.pdf"), ("mannisto", "uk", "handout-a4.pdf"),
    ("mannisto", "fi", "ballot-a4.pdf"), ("neulamaki", "sv", "results-a4.pdf"),
    ("mannisto", "ru", "poster-a4-bleed.pdf"),
])
def test_qr_code_decodes_to_the_registered_short_link(sample_site: Path, area: str, lang: str,
                                                      name: str) -> None:
    channel = name.split("-")[0]
    link = _registry(sample_site)[(area, channel, lang)]
    expected = f"https://www.kuopio.fi/lahiot/q/{link.code}/"
    page = pdfium.PdfDocument(sample_site / "print" / area / lang / name)[0]
    codes = zxingcpp.read_barcodes(page.render(scale=150 / 72).to_pil())
    assert codes and {c.text for c in codes} == {expected}
    code = codes[0]
    assert code.ec_level == "M"
    # The printed width, quiet zone (4 modules each side) included, from the decoded corners.
    modules = 17 + 4 * int(code.extra["Version"])
    pos = code.position
    symbol_mm = (pos.top_right.x - pos.top_left.x) / 150 * 25.4
    size = "a6" if "4up" in name else _size_of(name)  # four A6 flyers on the sheet
    assert symbol_mm * (modules + 8) / modules >= MIN_QR_MM[size] - 0.5
    # The text beside it is the same address.
    assert expected.removeprefix("https://") in page.get_textpage().get_text_range()

    redirect = (sample_site / "q" / link.code / "index.html").read_text(encoding="utf-8")
    sub = "budget/" if channel in ("ballot", "results") else ""
    target = f"../../{lang}/{area}/{sub}?k={channel}"
    assert f'content="0; url={target}"' in redirect
    assert f'href="{target}"' in redirect
    assert f'rel="canonical" href="../../{lang}/{area}/{sub}"' in redirect
    assert (sample_site / lang / area / sub / "index.html").exists()


def test_every_registered_code_has_a_redirect(sample_site: Path) -> None:
    registry = load_registry(sample_site.parent)
    assert registry
    assert {p.name for p in (sample_site / "q").iterdir()} == set(registry)


def test_finnish_soft_hyphens() -> None:
    # Syllables by hand: kau-pun-gin-val-tuus-to.
    assert hyphenate_word("kaupunginvaltuusto").replace(SHY, "-") == "kau-pun-gin-val-tuus-to"


def _winding(path: str, x: float, y: float) -> int:
    """Winding number of the point (x, y) around an H/V-only SVG path (nonzero fill rule)."""
    total = 0
    for loop in re.findall(r"M[^M]*", path):
        tokens = re.findall(r"([MHVZ])([\d.]*)(?: ([\d.]+))?", loop)
        px = py = sx = sy = 0.0
        for cmd, a, b in tokens:
            nx, ny = px, py
            if cmd == "M":
                px, py = sx, sy = float(a), float(b)
                continue
            if cmd == "H":
                nx = float(a)
            elif cmd == "V":
                ny = float(a)
            else:
                nx, ny = sx, sy
            # A vertical edge to the right of the point, crossing its row: +1 downwards.
            if nx == px and px > x and min(py, ny) < y < max(py, ny):
                total += 1 if ny > py else -1
            px, py = nx, ny
    return total


def test_qr_outline_covers_exactly_the_dark_modules() -> None:
    # Holes, diagonal neighbours (two loops touching at a corner), a lone module, the edge.
    matrix = [[c == "#" for c in row] for row in ("#####.#",
                                                  "#...#..",
                                                  "#.#.#.#",
                                                  "#...##.",
                                                  "#####.#")]
    path = outline_path(matrix)
    assert not re.search(r"[^MHVZ\d ]", path), path
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            assert _winding(path, c + 0.5, r + 0.5) == (1 if dark else 0), (r, c)


def test_code_assignment_is_stable_and_never_reuses() -> None:
    first, new = assign_codes({}, [Wanted("b", "poster", "fi", "fi/b/"),
                                   Wanted("a", "poster", "fi", "fi/a/")])
    # Sorted order: area a gets the first code of the sequence.
    assert [sl.area for sl in new] == ["a", "b"]
    assert new[0].code == code_for(0) and new[1].code == code_for(1)
    registry = {sl.code: sl for sl in new}
    # Area a removed, c added: a's code stays taken, b keeps its code, c gets a fresh one.
    again, new2 = assign_codes(registry, [Wanted("b", "poster", "fi", "fi/b/"),
                                          Wanted("c", "poster", "fi", "fi/c/")])
    assert again[("b", "poster", "fi")].code == first[("b", "poster", "fi")].code
    assert [sl.code for sl in new2] == [code_for(2)]
    assert len({code_for(n) for n in range(5000)}) == 5000


def _seed_cache(sample_site: Path, project: Path) -> None:
    src = sample_site.parent / ".lahio-cache" / "print"
    shutil.copytree(src, project / ".lahio-cache" / "print")
    shutil.copy2(sample_site.parent / "qr-codes.yaml", project / "qr-codes.yaml")


def test_too_long_text_is_fitted_and_named_strict_fails_with_the_same(sample_site: Path,
                                                                      project: Path) -> None:
    _seed_cache(sample_site, project)
    events = project / "areas" / "mannisto" / "events.yaml"
    text = events.read_text(encoding="utf-8")
    long_title = "Paperiäänestys " + "ja keskustelu asukastuvalla " * 12
    text, n = re.subn(r"(title: \{fi: )[^,]+", lambda m: m.group(1) + long_title, text, count=1)
    assert n == 1
    events.write_text(text, encoding="utf-8")
    ctx = build(project, only=("print",), log=lambda _m: None)
    flyer = [w for w in ctx.warnings if w.startswith("print/mannisto/fi/flyer-a6.pdf")]
    assert len(flyer) == 1, ctx.warnings
    assert " in fi " in flyer[0]
    assert re.search(r"areas/mannisto/events\.yaml: events\[[a-z0-9-]+\]\.title\.fi \(\d+ ",
                     flyer[0]), flyer[0]
    assert not any("paavo.yaml" in w or "decidim" in w for w in ctx.warnings)
    # Written all the same, and the long title is on it.
    pdf = pdfium.PdfDocument(project / "site" / "print" / "mannisto" / "fi" / "flyer-a6.pdf")
    assert "keskustelu" in pdf[0].get_textpage().get_text_range().replace("\u00ad", "")
    with pytest.raises(LahioError) as info:
        build(project, only=("print",), strict=True, log=lambda _m: None)
    assert flyer[0] in str(info.value)


def test_summary_is_shortened_at_a_sentence_with_the_address(sample_site: Path,
                                                              project: Path) -> None:
    _seed_cache(sample_site, project)
    area = project / "areas" / "mannisto" / "area.yaml"
    text = area.read_text(encoding="utf-8")
    extra = " Alueella on kirjasto, koulu ja uimahalli lähellä." * 14
    text, n = re.subn(r"(Kuopion suurimpia\.)", lambda m: m.group(1) + extra, text, count=1)
    assert n == 1
    area.write_text(text, encoding="utf-8")
    ctx = build(project, only=("print",), log=lambda _m: None)
    handout = [w for w in ctx.warnings if w.startswith("print/mannisto/fi/handout-a4.pdf")]
    assert handout and "areas/mannisto/area.yaml: summary.fi" in handout[0], ctx.warnings
    pdf = pdfium.PdfDocument(project / "site" / "print" / "mannisto" / "fi" / "handout-a4.pdf")
    assert len(pdf) == 1
    words = re.sub(r"[\u00ad\s]+", " ", pdf[0].get_textpage().get_text_range())
    code = _registry(sample_site)[("mannisto", "handout", "fi")].code
    assert re.search(r"suurimpia\. .*… ?\S*/q/" + code, words), words[:600]
    # The registered Finnish text itself is unchanged (only the print is shortened).
    assert extra in area.read_text(encoding="utf-8")


def test_finnish_fallback_is_marked_in_print(sample_site: Path) -> None:
    # Männistö's summary has no Arabic text: printed in Finnish, with the note in Arabic.
    pdf = pdfium.PdfDocument(sample_site / "print" / "mannisto" / "ar" / "handout-a4.pdf")
    words = pdf[0].get_textpage().get_text_range().replace("\u00ad", "")
    assert "Männistö on lähes" in words.replace("\r\n", " ")
    assert "بالفنلندية" in words


def test_cache_and_registry_across_builds(sample_site: Path, project: Path) -> None:
    logs: list[str] = []
    build(project, only=("print",), log=logs.append)
    first = [m for m in logs if m.startswith("print:")][-1]
    assert re.search(r"\((\d+) rendered, 0 from cache\)", first)
    registry_text = (project / "qr-codes.yaml").read_text(encoding="utf-8")
    codes = load_registry(project)
    # The same input as the committed sample gets the committed codes.
    committed = {(s.area, s.channel, s.lang): s.code for s in load_registry(sample_site.parent).values()}
    assert {(s.area, s.channel, s.lang): s.code for s in codes.values()} == committed

    logs.clear()
    build(project, only=("print",), log=logs.append)
    second = [m for m in logs if m.startswith("print:")][-1]
    assert "(0 rendered," in second, second
    assert (project / "qr-codes.yaml").read_text(encoding="utf-8") == registry_text

    # A file lost from the cache is made again byte for byte, its print-shop twin with it (the
    # office-printer poster is the print-shop poster's layout without bleed).
    pdfs = {p: p.read_bytes() for p in (project / "site" / "print").glob("*/*/*.pdf")}
    poster = project / "site" / "print" / "neulamaki" / "fi" / "poster-a4.pdf"
    cached = project / ".lahio-cache" / "print"
    next(p for p in cached.glob("*.pdf") if p.read_bytes() == pdfs[poster]).unlink()
    logs.clear()
    build(project, only=("print",), log=logs.append)
    assert "(2 rendered," in [m for m in logs if m.startswith("print:")][-1]
    assert {p: p.read_bytes() for p in (project / "site" / "print").glob("*/*/*.pdf")} == pdfs

    # Remove an area: its codes stay registered (never reused) and lead to the language home.
    shutil.rmtree(project / "areas" / "mannisto")
    build(project, only=("print",), log=lambda _m: None)
    after = load_registry(project)
    assert after == codes
    gone = next(s for s in codes.values() if s.area == "mannisto" and s.lang == "en")
    page = (project / "site" / "q" / gone.code / "index.html").read_text(encoding="utf-8")
    assert f"url=../../en/?k={gone.channel}" in page
    assert not (project / "site" / "print" / "mannisto").exists()
