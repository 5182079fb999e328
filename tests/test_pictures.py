"""Pictures of areas, events and proposals: checked where they are written, published in a
size for phones with their alt text and credit, printed and drawn on the social images; and
the programme's preview image on the pages that are not an area's."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from .conftest import ROOT

LANGS = ("fi", "sv", "en", "selko", "ru", "uk", "ar")


def _problems(project: Path) -> list[str]:
    from generator.data.load import load
    from generator.errors import DataError

    with pytest.raises(DataError) as info:
        load(project)
    return [str(p) for p in info.value.problems]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_picture_problems_are_located_and_reported_together(project: Path) -> None:
    area = project / "areas/neulamaki"
    _edit(area / "events.yaml", "file: images/ideatyopaja.jpg", "file: images/puuttuu.jpg")
    _edit(area / "budget.yaml", "          selko: Piirros. Skeittiparkissa on rampit, kaide ja "
          "valot. Yksi nuori skeittaa.\n", "")
    _edit(area / "area.yaml", "  credit: Kuopion kaupunki (esimerkkipiirros)\n", "")
    (area / "images/rikki.png").write_bytes(b"not a picture")
    _edit(project / "areas/mannisto/events.yaml", "\n    kind:",
          "\n    image: {file: ../../neulamaki/images/neulamaki.jpg, alt: Kuva, credit: X}"
          "\n    kind:")
    problems = _problems(project)
    lines = {p.split(": ", 1)[0]: p for p in problems}
    events = (area / "events.yaml").read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(events, 1) if "images/puuttuu.jpg" in text)
    assert lines[f"areas/neulamaki/events.yaml:{line}"] == (
        f"areas/neulamaki/events.yaml:{line}: events[0].image.file: 'images/puuttuu.jpg' not "
        "found in areas/neulamaki/; put the picture there or correct the path")
    budget = (area / "budget.yaml").read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(budget, 1) if text.strip() == "alt:")
    assert lines[f"areas/neulamaki/budget.yaml:{line}"].endswith(
        "round.overrides[0].image.alt: no alt text in selko; write what the picture shows in "
        "every required language (fi, en, selko)")
    assert any(p.startswith("areas/neulamaki/area.yaml:") and
               "image.credit: is missing" in p for p in problems), problems
    assert any(p.startswith("areas/mannisto/events.yaml:") and "outside the area's folder"
               in p for p in problems), problems
    # A file that is not a picture, written in place of a good one.
    _edit(area / "events.yaml", "images/puuttuu.jpg", "images/rikki.png")
    assert any("events[0].image.file: 'images/rikki.png' is not a picture the site can use"
               in p for p in _problems(project))


def test_copies_are_sized_upright_without_metadata_and_the_same_every_time(
        tmp_path: Path) -> None:
    from PIL import Image

    from generator.data.picture import WEB_MAX, fit_within, measure, render_copy

    photo = Image.new("RGB", (3000, 2000), (30, 120, 60))
    exif = Image.Exif()
    exif[0x0112] = 6  # taken with the camera turned: shown rotated by 90°
    exif[0x010F] = "Camera maker"
    path = tmp_path / "photo.jpg"
    photo.save(path, format="JPEG", exif=exif.tobytes())
    found = measure(path, "photo.jpg")
    assert (found.width, found.height, found.format) == (2000, 3000, "JPEG")
    data = render_copy(path, WEB_MAX)
    assert data == render_copy(path, WEB_MAX)
    with Image.open(io.BytesIO(data)) as copy:
        assert copy.size == fit_within(2000, 3000, WEB_MAX) == (800, 1200)
        assert not copy.getexif()


def test_area_page_shows_the_picture_with_alt_text_size_and_credit(sample_site: Path) -> None:
    html = (sample_site / "fi/neulamaki/index.html").read_text(encoding="utf-8")
    m = re.search(r'<img src="\.\./\.\./(media/neulamaki/[0-9a-f]{12}\.jpg)" alt="([^"]+)" '
                  r'width="(\d+)" height="(\d+)" decoding="async">', html)
    assert m, "no picture at the top of the area page"
    assert m.group(2).startswith("Piirroskuva kolmesta kerrostalosta")
    from PIL import Image

    with Image.open(sample_site / m.group(1)) as copy:
        assert copy.size == (int(m.group(3)), int(m.group(4)))
        assert max(copy.size) <= 1200
    assert "Kuva: Kuopion kaupunki (esimerkkipiirros)" in html
    # Cards further down load when scrolled near; a language without its own alt text has
    # none missing here (the sample writes all seven).
    events = (sample_site / "ar/neulamaki/events/index.html").read_text(encoding="utf-8")
    card = re.search(r'<img src="[./]*media/neulamaki/[0-9a-f]{12}\.jpg" alt="([^"]+)"[^>]*>',
                     events)
    assert card and 'loading="lazy"' in card.group(0) and "ورشة" in card.group(1)
    budget = (sample_site / "en/neulamaki/budget/index.html").read_text(encoding="utf-8")
    assert 'alt="A drawing of a skatepark' in budget and "Picture: Kuopion kaupunki" in budget
    # The header's logo is published beside the pages that load it.
    logo = re.search(r'<a class="lahio-brand" href="[^"]*"><img src="([^"]+)"', html)
    assert logo and (sample_site / "fi/neulamaki" / logo.group(1)).resolve().is_file()
    # Only the pictures the pages show are published.
    assert len(list((sample_site / "media/neulamaki").iterdir())) == 3
    assert not (sample_site / "media/mannisto").exists()


def test_poster_prints_the_picture_and_its_credit(sample_site: Path) -> None:
    import pypdfium2 as pdfium

    def images(path: Path) -> tuple[list[tuple[int, int]], str]:
        pdf = pdfium.PdfDocument(path)
        page = pdf[0]
        sizes = [tuple(obj.get_px_size()) for obj in
                 page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE])]
        text = page.get_textpage().get_text_range().replace("\u00ad", "")
        return sizes, text

    sizes, text = images(sample_site / "print/neulamaki/fi/poster-a4.pdf")
    assert (1200, 800) in sizes, sizes  # the picture, besides the QR code
    assert "Kuva: Kuopion kaupunki (esimerkkipiirros)" in text
    other, text = images(sample_site / "print/mannisto/fi/poster-a4.pdf")
    assert (1200, 800) not in other and "Kuva:" not in text


def test_social_cards_and_previews_of_every_page(sample_site: Path) -> None:
    from PIL import Image

    root = "https://www.kuopio.fi/lahiot/"
    for lang in LANGS:
        with Image.open(sample_site / f"social/_programme/{lang}/og.png") as og:
            assert og.size == (1200, 630)
    with Image.open(sample_site / "social/neulamaki/fi/event-nuorten-tyopaja-2027-square.png"
                    ) as square:
        # The picture is behind the text: the card is no longer one flat colour.
        assert len(square.convert("RGB").getcolors(1 << 20) or ()) > 1000
    for page, lang, locale in (("fi/index.html", "fi", "fi_FI"),
                               ("en/tietosuoja/index.html", "en", "en_GB"),
                               ("index.html", "fi", "fi_FI")):
        html = (sample_site / page).read_text(encoding="utf-8")
        assert (f'<meta property="og:image" content="{root}social/_programme/{lang}/og.png">'
                in html), page
        alt = re.search(r'<meta property="og:image:alt" content="([^"]+)">', html)
        assert alt and "Neulamäki" in alt.group(1), page
        locales = re.findall(r'<meta property="og:locale(?::alternate)?" content="([^"]+)">',
                             html)
        assert locales[0] == locale and len(locales) == len(set(locales)) == 6, (page, locales)
    privacy = (sample_site / "en/tietosuoja/index.html").read_text(encoding="utf-8")
    assert '<meta property="og:url" content="https://www.kuopio.fi/lahiot/en/tietosuoja/">' \
        in privacy


def test_the_logo_set_in_mkdocs_yml_must_exist(project: Path) -> None:
    from generator.data.config import load_config

    assert (ROOT / "theme/site/assets/logo.svg").is_file()
    _edit(project / "mkdocs.yml", "logo: assets/logo.svg", "logo: assets/puuttuu.svg")
    config, problems = load_config(project)
    assert config is None
    assert [p.key for p in problems] == ["extra.lahio.brand.logo"]
    assert "'assets/puuttuu.svg' not found under theme/site/" in problems[0].message
