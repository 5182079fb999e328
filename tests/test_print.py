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

from .conftest import views_context

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
            "handout-a4.pdf", "ballot-a4.pdf", "tally-a4.pdf", "results-a4.pdf"} <= names
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
            # 3 mm bleed on every side (the bleed box), and a slug outside it for the crop
            # marks (the media box: 10 mm on every side).
            bleed = page.get_bleedbox()
            assert bleed[2] - bleed[0] == pytest.approx(w + 6 * MM, abs=0.5), path
            assert bleed[3] - bleed[1] == pytest.approx(h + 6 * MM, abs=0.5), path
            assert trim[0] - bleed[0] == pytest.approx(3 * MM, abs=0.2), path
            assert trim[0] - media[0] == pytest.approx(10 * MM, abs=0.2), path
            assert media[2] - trim[2] == pytest.approx(10 * MM, abs=0.2), path
        else:
            assert media[2] - media[0] == pytest.approx(w, abs=0.5), path


def _outside_trim(page: pdfium.PdfPage, box: str = "trim") -> int:
    """How many drawn objects lie wholly outside the trim (or bleed) box (crop marks)."""
    left, bottom, right, top = page.get_trimbox() if box == "trim" else page.get_bleedbox()
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
            shop = pdfium.PdfDocument(folder / f"{name}-bleed.pdf")[0]
            # Eight marks, all beyond the bleed (never under a colour running into it).
            assert _outside_trim(shop, "bleed") >= 8
            assert _outside_trim(shop) == _outside_trim(shop, "bleed")
            assert _outside_trim(pdfium.PdfDocument(folder / f"{name}.pdf")[0]) == 0, name
            # In registration colour: all four inks (CMYK 1 1 1 1) set in the page's content.
            streams = _streams(folder / f"{name}-bleed.pdf")
            assert re.search(rb"(?<![\d.])1 1 1 1 (k|K|scn|SCN)\b", streams), name
            assert not re.search(rb"(?<![\d.])1 1 1 1 (k|K|scn|SCN)\b", _streams(folder / f"{name}.pdf"))


def _drawn(page: pdfium.PdfPage) -> list[tuple[int, tuple[float, ...]]]:
    """What a page draws (each object's kind and bounds from the trim box's corner), without
    what lies wholly outside its bleed (crop marks)."""
    left, bottom, right, top = page.get_trimbox()
    b_left, b_bottom, b_right, b_top = page.get_bleedbox()
    drawn = []
    for obj in page.get_objects(max_depth=3):
        x0, y0, x1, y1 = obj.get_bounds()
        if x1 <= b_left or x0 >= b_right or y1 <= b_bottom or y0 >= b_top:
            continue
        drawn.append((obj.type, tuple(round(v, 1) for v in (x0 - left, y0 - bottom,
                                                             x1 - left, y1 - bottom))))
    return sorted(drawn)


def test_office_printer_file_is_the_print_shop_page_without_its_bleed(
        sample_site: Path) -> None:
    # The office-printer file is written from the print-shop file's layout: the same texts,
    # pictures and shapes at the same places on the page, only the page cut to its trim box
    # (and nothing of the marks, see above).
    for lang in ("fi", "ar"):
        for name in ("poster-a3", "poster-a4", "flyer-a5", "flyer-a6"):
            folder = sample_site / "print" / "neulamaki" / lang
            shop = pdfium.PdfDocument(folder / f"{name}-bleed.pdf")[0]
            office = pdfium.PdfDocument(folder / f"{name}.pdf")[0]
            assert office.get_mediabox() == pytest.approx(office.get_trimbox())
            assert office.get_trimbox() == pytest.approx(shop.get_trimbox())
            shop_drawn, office_drawn = _drawn(shop), _drawn(office)
            assert len(office_drawn) > 20, name  # a page, not an empty sheet
            assert office_drawn == shop_drawn, (lang, name)
            assert office.get_textpage().get_text_range() == shop.get_textpage().get_text_range()


def _streams(path: Path) -> bytes:
    """Every stream of a PDF, inflated where it is compressed."""
    import zlib

    out = []
    for raw in re.findall(rb"stream\r?\n(.*?)endstream", path.read_bytes(), re.S):
        try:
            out.append(zlib.decompress(raw))
        except zlib.error:
            out.append(raw)
    return b"\n".join(out)


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
    # Four A6 flyers on the sheet; handouts and ballots are read in the hand (30-40 cm).
    size = "a6" if "4up" in name else {"handout": "a5", "ballot": "a6"}.get(channel,
                                                                          _size_of(name))
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
    extra = " Alueella on kirjasto, koulu ja uimahalli lähellä." * 40
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


def test_check_reports_what_will_not_fit_and_keeps_its_layout_for_the_build(
        warm_project: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """``lahio check`` lays out the products its cache lacks and names what does not fit; the
    next check answers from the cache, and the next build renders nothing."""
    from generator.cli import main

    area = warm_project / "areas" / "mannisto" / "area.yaml"
    text = area.read_text(encoding="utf-8")
    # English only: the other languages have texts of their own, so only en's products change.
    extra = " The area has a library, a school and a swimming hall nearby." * 40
    text, n = re.subn(r"(among the highest in Kuopio\.)", lambda m: m.group(1) + extra, text,
                      count=1)
    assert n == 1
    area.write_text(text, encoding="utf-8")
    registry = (warm_project / "qr-codes.yaml").read_bytes()

    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    assert main(["--root", str(warm_project), "check"]) == 0
    first = capsys.readouterr().out.splitlines()
    counts = [re.fullmatch(r"print: (\d+) products checked for fit \((\d+) laid out now and "
                           r"kept for the next build, (\d+) from the cache\)", line)
              for line in first]
    found = [m for m in counts if m]
    assert len(found) == 1, first
    total, laid_out, cached = map(int, found[0].groups())
    assert laid_out > 0 and laid_out + cached == total, first
    handout = [line for line in first if line.startswith(
        "warning: print/mannisto/en/handout-a4.pdf: the A4 handout in en did not fit as designed")]
    assert len(handout) == 1, first
    assert "To print it whole: areas/mannisto/area.yaml: summary.en (" in handout[0]
    assert not any(line.startswith("warning: print/mannisto/fi/") for line in first), first
    assert not (warm_project / "site").exists()
    assert (warm_project / "qr-codes.yaml").read_bytes() == registry

    # From the cache: nothing laid out, the same warning; --strict fails on warnings.
    assert main(["--root", str(warm_project), "check", "--strict"]) == 1
    again = capsys.readouterr().out.splitlines()
    assert f"print: {total} products checked for fit (0 laid out now and kept for the next " \
        f"build, {total} from the cache)" in again
    assert handout[0] in again

    assert main(["--root", str(warm_project), "check", "--no-print"]) == 0
    data_only = capsys.readouterr().out
    assert "print:" not in data_only and "warning: print/" not in data_only

    logs: list[str] = []
    ctx = build(warm_project, only=("print",), log=logs.append)
    line = [m for m in logs if m.startswith("print:")][-1]
    assert f"print: {total} PDFs (0 rendered, {total} from cache)" in line, line
    assert handout[0].removeprefix("warning: ") in ctx.warnings

    # Without the areas' entries (as on another day) the products are found through the
    # fitting records the build kept, and the warning is read back translatable.
    shutil.rmtree(warm_project / ".lahio-cache" / "print-areas")
    monkeypatch.setenv("LC_ALL", "fi_FI.UTF-8")
    assert main(["--root", str(warm_project), "check"]) == 0
    fi = capsys.readouterr().out
    assert f"tulosteet: {total} tuotteen mahtuminen sivulle tarkistettu (0 taitettu nyt" in fi
    assert ("varoitus: print/mannisto/en/handout-a4.pdf: A4-moniste (en) ei mahtunut sivulle "
            "sellaisenaan: tiivistelmä lyhennetty ") in fi
    assert "areas/mannisto/area.yaml: summary.en (" in fi and "merkkiä): lyhennä sitä" in fi


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


#: The fonts the posters are set in; their cap height is read from the font files themselves.
FONTS = {"ltr": "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
         "rtl": "/usr/share/fonts/truetype/noto/NotoSansArabic-Bold.ttf"}
LANGS = ("fi", "sv", "en", "selko", "ru", "uk", "ar")


def _cap_ratio(path: str) -> float:
    from fontTools.ttLib import TTFont

    with TTFont(path) as font:
        return font["OS/2"].sCapHeight / font["head"].unitsPerEm


def _largest_text(page: pdfium.PdfPage) -> tuple[float, str, float]:
    """The largest font size on the page, the text set in it, and the tallest digit or capital
    of that text (its tight glyph box, in points; 0 when the text has none)."""
    text = page.get_textpage()
    sizes = [pdfium_c.FPDFText_GetFontSize(text.raw, i) for i in range(text.count_chars())]
    top = max(sizes)
    chars = [i for i, size in enumerate(sizes) if size >= top - 0.01]
    line = "".join(text.get_text_range(i, 1) for i in chars)
    tallest = 0.0
    for i in chars:
        ch = text.get_text_range(i, 1)
        if ch.isdigit() or ch in "ABDEFHIKLMNRTVZÄÖАБВГДЕИКЛМНПРТ":
            left, bottom, right, topy = text.get_charbox(i)
            tallest = max(tallest, topy - bottom)
    return top, line, tallest


@pytest.mark.parametrize("lang", LANGS)
def test_poster_message_reads_from_two_metres(sample_site: Path, lang: str) -> None:
    # Männistö votes in January (the next step of its round), Neulamäki has results: each
    # poster says the one thing to do now, in the largest type on the page.
    actions = {"fi": ("Äänestä", "Katso tulokset"), "en": ("Vote", "See the results"),
               "ar": ("صوِّت", "اطّلع على النتائج")}
    for area, expected in zip(AREAS, actions.get(lang, (None, None)), strict=True):
        for size, least_mm in (("a4", 10), ("a3", 14)):
            page = pdfium.PdfDocument(sample_site / "print" / area / lang /
                                      f"poster-{size}.pdf")[0]
            pt, line, tallest = _largest_text(page)
            direction = "rtl" if lang == "ar" else "ltr"
            cap_mm = pt * _cap_ratio(FONTS[direction]) / MM
            assert cap_mm >= least_mm, (area, lang, size, line, cap_mm)
            if tallest:  # measured on the glyphs themselves where there are digits/capitals
                assert tallest / MM >= least_mm - 0.3, (area, lang, size, line, tallest / MM)
            if expected:
                # Arabic text reads back with its marks (harakat) and some ligatures in another
                # order: compare its first word without marks.
                bare = re.compile("[\u064b-\u0652]")
                want = bare.sub("", expected).split()[0] if lang == "ar" else expected
                assert want in bare.sub("", line), (line, expected)
            # The area name is on the poster, smaller than the message.
            words = page.get_textpage().get_text_range()
            assert (("Männistö" if area == "mannisto" else "Neulamäki") in words
                    or lang in ("ru", "uk", "ar"))


def _empty_share(path: Path, dpi: int = 25) -> float:
    """The tallest band of the trimmed page with nothing on it, as a share of its height."""
    worst = 0.0
    for page in pdfium.PdfDocument(path):
        img = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        left, bottom, right, top = page.get_trimbox()
        mleft, _mbottom, _mright, mtop = page.get_mediabox()
        y0, y1 = int((mtop - top) * dpi / 72), int((mtop - bottom) * dpi / 72)
        x0, x1 = int((left - mleft) * dpi / 72), int((right - mleft) * dpi / 72)
        px = img.load()
        run = best = 0
        for y in range(y0, y1):
            blank = all(px[x, y] > 245 for x in range(x0, x1))
            run = run + 1 if blank else 0
            best = max(best, run)
        worst = max(worst, best / (y1 - y0))
    return worst


@pytest.mark.parametrize("lang", ("fi", "ar"))
def test_no_product_leaves_a_tenth_of_its_page_empty(sample_site: Path, lang: str) -> None:
    # The evaluation is a report for a board agenda, not a notice: it is as long as its content.
    shares = {p.relative_to(sample_site).as_posix(): _empty_share(p)
              for area in AREAS for p in sorted((sample_site / "print" / area / lang).glob("*.pdf"))
              if not p.name.startswith("evaluation-")}
    assert len(shares) >= 14
    assert {k: round(v, 3) for k, v in shares.items() if v > 0.10} == {}


@pytest.mark.parametrize("lang", LANGS)
def test_smallest_flyer_qr_decodes_at_150_dpi_to_an_existing_page(sample_site: Path,
                                                                   lang: str) -> None:
    for area in AREAS:
        link = _registry(sample_site)[(area, "flyer", lang)]
        page = pdfium.PdfDocument(sample_site / "print" / area / lang / "flyer-a6.pdf")[0]
        codes = zxingcpp.read_barcodes(page.render(scale=150 / 72).to_pil())
        assert [c.text for c in codes] == [f"https://www.kuopio.fi/lahiot/q/{link.code}/"]
        assert (sample_site / "q" / link.code / "index.html").exists()
        assert (sample_site / lang / area / "index.html").exists()


def test_ballot_lists_proposals_as_the_web_numbers_them(sample_site: Path) -> None:
    page = pdfium.PdfDocument(sample_site / "print" / "mannisto" / "fi" / "ballot-a4.pdf")[0]
    words = re.sub(r"[\u00ad]", "", page.get_textpage().get_text_range())
    assert "Merkitse jokaisen valitsemasi ehdotuksen ruutuun X." in words.replace("\r\n", " ")
    assert "enintään 3" in words and "Leikkaa tästä" in words
    web = (sample_site / "fi" / "mannisto" / "budget" / "index.html").read_text(encoding="utf-8")
    # The web's cards: the number shown beside each title, in the page's order.
    rows = re.findall(r'<li class="lahio-card" id="p-[^"]+">\s*<h3 class="lahio-card__title">'
                      r'<span class="lahio-card__no">(?:<bdi[^>]*>)?(\d+)(?:</bdi>)?</span> '
                      r'([^<]+)</h3>', web)
    assert len(rows) >= 3, web[:500]
    slip = words[words.index("Leikkaa tästä"):]
    positions = [slip.index(title.strip()) for _n, title in rows]
    assert positions == sorted(positions)
    for n, title in rows:
        assert re.search(rf"{n}\s*{re.escape(title.strip())}", slip), (n, title)
    tally = pdfium.PdfDocument(sample_site / "print" / "mannisto" / "fi" / "tally-a4.pdf")[0]
    text = tally.get_textpage().get_text_range()
    assert "Palautettuja lomakkeita" in text and "Allekirjoitus" in text
    assert all(title.strip() in text.replace("\u00ad", "") for _n, title in rows)


def test_qr_for_print_is_one_grey_pixel_per_module_and_decodes() -> None:
    import io

    from PIL import Image

    from generator.render.qr import qr_matrix, qr_png

    url = "https://www.kuopio.fi/lahiot/q/ab2c/"
    image = Image.open(io.BytesIO(qr_png(url)))
    matrix = qr_matrix(url)
    assert image.mode == "L" and image.size == (len(matrix), len(matrix))
    assert [image.getpixel((c, r)) == 0 for r in range(len(matrix))
            for c in range(len(matrix))] == [dark for row in matrix for dark in row]
    # Printed 30 mm wide (the smallest flyer's code) and scanned at 150 dpi.
    big = image.resize((177, 177), Image.Resampling.NEAREST)
    assert [r.text for r in zxingcpp.read_barcodes(big)] == [url]


def _words_at(pdf: bytes, word: str) -> list[tuple[float, float]]:
    """Where ``word`` is on the PDF's first page: (left, top) in mm from the top left."""
    page = pdfium.PdfDocument(pdf)[0]
    height = page.get_height()
    text = page.get_textpage()
    found, start = [], 0
    whole = text.get_text_range()
    while (i := whole.find(word, start)) >= 0:
        left, _bottom, _right, top = text.get_charbox(i)
        found.append((round(left / MM, 1), round((height - top) / MM, 1)))
        start = i + len(word)
    return found


def test_a_filled_block_shares_its_free_height_picture_first() -> None:
    from generator.render.pdf import render_document

    import base64
    import io

    from PIL import Image

    out = io.BytesIO()
    # Wide: "cover" fits its height to the box (and crops the sides).
    Image.new("RGB", (100, 1), (0, 85, 140)).save(out, format="PNG")
    picture = "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")
    html = f"""<!doctype html><html lang="en"><head><title>t</title><style>
@page {{ size: A6; margin: 10mm }} body {{ margin: 0; font: 10pt sans-serif }} p {{ margin: 0 }}
[data-fill] {{ display: flow-root; min-height: 128mm }}
.pic {{ height: 10mm; max-height: 40mm; margin: 0 }}
.pic img {{ display: block; width: 100%; height: 100%; object-fit: cover }}
</style></head><body><div data-fill>
<p>Alpha</p><figure class="pic" data-grow><img src="{picture}" alt="square"></figure>
<p>Beta</p><p>Gamma</p></div></body></html>"""
    result = render_document(html)
    assert result.pages == 1
    (_x, alpha), = _words_at(result.pdf, "Alpha")
    (_x, beta), = _words_at(result.pdf, "Beta")
    (_x, gamma), = _words_at(result.pdf, "Gamma")
    page = pdfium.PdfDocument(result.pdf)[0]
    (image,) = [obj for obj in page.get_objects(max_depth=3)
                if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE]
    _left, bottom, _right, top = image.get_bounds()
    top, bottom = (page.get_height() - top) / MM, (page.get_height() - bottom) / MM
    # The picture grew from 10 mm to its most, 40 mm; the last line ends at the bottom of the
    # 128 mm (10 mm margin), and the blocks are evenly apart (10 pt lines: 3.5 mm each).
    assert bottom - top == pytest.approx(40, abs=0.3)
    assert 10 < alpha < 12.5  # the first line at the top (its glyphs a little below)
    assert 128 + 10 - 5 < gamma < 128 + 10
    gaps = [top - (alpha + 3.5), beta - bottom, gamma - (beta + 3.5)]
    assert min(gaps) > 15 and max(gaps) - min(gaps) < 1.5, gaps


def test_a_copy_block_repeats_the_laid_out_original() -> None:
    from generator.render.pdf import render_document

    html = """<!doctype html><html lang="en"><head><title>t</title><style>
@page { size: A4; margin: 0 } body { margin: 0; font: 12pt sans-serif }
.cell { position: absolute; left: 0; width: 105mm; height: 148mm; padding: 5mm;
        box-sizing: border-box }
table { width: 100%; table-layout: fixed; border-collapse: collapse }
td { border: 1px solid #000 }
</style></head><body>
<div class="cell" style="top: 0" id="card"><h1>Flyer</h1><table><tr><td>Cell</td><td>Two</td>
</tr></table></div>
<div class="cell" style="top: 148mm" data-copy="card"></div></body></html>"""
    result = render_document(html)
    flyers = _words_at(result.pdf, "Flyer")
    cells = _words_at(result.pdf, "Cell")
    assert len(flyers) == 2 and len(cells) == 2
    assert flyers[1][0] == flyers[0][0] and flyers[1][1] - flyers[0][1] == pytest.approx(148, abs=0.2)
    assert cells[1][1] - cells[0][1] == pytest.approx(148, abs=0.2)


def test_pushed_children_take_the_free_height_on_every_page() -> None:
    from generator.render.pdf import render_document

    html = """<!doctype html><html lang="en"><head><title>t</title><style>
@page { size: 100mm 100mm; margin: 0 } body { margin: 0; font: 10pt sans-serif }
section { display: flow-root; height: 100mm; padding: 5mm; box-sizing: border-box;
          break-after: page }
section:last-child { break-after: auto } p { margin: 0 }
</style></head><body>
<section data-fill>Loose text <p>Top1</p><p data-push>Foot1</p></section>
<section data-fill><p>Top2</p><p>Middle2</p><p data-push>Foot2</p></section>
</body></html>"""
    result = render_document(html)
    assert result.pages == 2
    doc = pdfium.PdfDocument(result.pdf)
    for n, (top, foot) in enumerate((("Top1", "Foot1"), ("Top2", "Foot2"))):
        page = doc[n]
        text = page.get_textpage()
        whole = text.get_text_range()
        y = {w: (page.get_height() - text.get_charbox(whole.index(w))[3]) / MM
             for w in (top, foot)}
        # The pushed line ends at the bottom of the padding (95 mm), the others stay on top.
        assert y[top] < 15 and 88 < y[foot] < 95, (n, y)


def test_list_markers_and_qr_addresses_render_with_the_trimmed_default_stylesheet() -> None:
    """The engine's default stylesheet keeps the list item markers (only the pseudo-element
    rules no document has are left out), and a ``qr-png:`` image is the code it names."""
    from generator.render.pdf import render_pdf
    from generator.render.qr import qr_png_url

    url = "https://www.kuopio.fi/lahiot/q/ab2c/"
    pdf = render_pdf('<html lang="fi"><title>Lista</title><body><ol><li>Ensimmäinen</li>'
                     '<li>Toinen</li></ol><img src="' + qr_png_url(url) + '" alt="QR" '
                     'style="width: 40mm; image-rendering: pixelated"></body></html>')
    page = pdfium.PdfDocument(pdf)[0]
    text = page.get_textpage().get_text_range()
    assert "1." in text and "2." in text and "Toinen" in text
    image = page.render(scale=150 / 72).to_pil()
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [url]


@pytest.mark.parametrize(("lang", "cut"), [("fi", "Leikkaa tästä"), ("ar", "✂")])
def test_ballot_slip_is_black_on_white_without_the_brand_frame(sample_site: Path, lang: str,
                                                               cut: str) -> None:
    # What a voter fills in is plain: boxes and lines in black, no blue frame down the slip
    # (the mark column once took the key message box's bordered style by its class name).
    page = pdfium.PdfDocument(sample_site / "print" / "mannisto" / lang / "ballot-a4.pdf")[0]
    text = page.get_textpage()
    whole = text.get_text_range()
    start = whole.find(cut)
    assert start >= 0, whole[-300:]
    _left, _bottom, _right, top = text.get_charbox(start)
    scale = 100 / 72
    image = page.render(scale=scale).to_pil().convert("RGB")
    below = image.crop((0, round((page.get_height() - top) * scale), image.width, image.height))
    data = below.tobytes()
    blue = sum(1 for i in range(0, len(data), 3)
               if data[i + 2] > 100 and data[i] < 60 and data[i + 2] - data[i] > 60)
    assert blue == 0, f"{blue} brand-blue pixels on the {lang} ballot slip"


def test_a_picture_named_by_its_copy_gives_the_same_pdf_wherever_the_project_lies(
        tmp_path: Path) -> None:
    """Products name their pictures ``lahio-picture:<copy>``: the same picture in another
    folder gives the same PDF byte for byte, and a name that leaves the folder is not read."""
    from PIL import Image

    from generator.render import PICTURE_SCHEME
    from generator.render.pdf import render_document

    pdfs = []
    for folder in (tmp_path / "a" / "pictures", tmp_path / "elsewhere" / "b" / "pictures"):
        folder.mkdir(parents=True)
        Image.new("RGB", (40, 20), (0, 85, 140)).save(folder / "3f2a.png")
        html = ('<html lang="fi"><title>Kuva</title><body><img src="' + PICTURE_SCHEME
                + '3f2a.png" alt="Sininen" style="width: 40mm"></body></html>')
        rendered = render_document(html, pictures=folder)
        pdfs.append(rendered.pdf)
    assert pdfs[0] == pdfs[1]
    page = pdfium.PdfDocument(pdfs[0])[0]
    assert [obj.type for obj in page.get_objects()].count(pdfium_c.FPDF_PAGEOBJ_IMAGE) == 1

    (tmp_path / "a" / "secret.png").write_bytes((tmp_path / "a" / "pictures" / "3f2a.png")
                                                .read_bytes())
    outside = render_document('<html lang="fi"><title>Kuva</title><body><img src="'
                              + PICTURE_SCHEME + '../secret.png" alt="x"></body></html>',
                              pictures=tmp_path / "a" / "pictures")
    page = pdfium.PdfDocument(outside.pdf)[0]
    assert pdfium_c.FPDF_PAGEOBJ_IMAGE not in [obj.type for obj in page.get_objects()]


def test_products_html_made_beside_the_engine_is_the_html_made_here(project: Path) -> None:
    """A cold build makes the products' HTML in a forked process while the PDF engine loads:
    the same products, HTML, stylesheets and recorded fields as made in the build's own
    process, and a fitting step re-renders the same way."""
    from generator.print import CHANNELS, build_jobs, channel_target
    from generator.print.fitting import Fit

    ctx = views_context(project, project / "out", jobs=None)
    wanted = [Wanted(area.slug, channel, lang, channel_target(area.slug, channel, lang))
              for lang in ctx.config.codes for area in ctx.area_views(lang)
              for channel in CHANNELS]
    links, _new = assign_codes(load_registry(project), wanted)
    here = build_jobs(ctx, links)
    beside = build_jobs(ctx, links, beside_engine=True)
    assert len(here) > 100
    assert [(j.rel, j.html, j.css, j.trim, j.fields, j.langs) for j in beside] == [
        (j.rel, j.html, j.css, j.trim, j.fields, j.langs) for j in here]
    handout = next(j for j in beside if j.rel.endswith("/fi/handout-a4.pdf"))
    assert handout.rerender(Fit()) == next(
        j for j in here if j.rel == handout.rel).rerender(Fit())
