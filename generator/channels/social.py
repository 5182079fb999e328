"""Social images: PNG cards for open and upcoming votes and events, and each area's
Open Graph image.

Per area and language, ``social/<area>/<lang>/``:

* ``vote-<round>-square.png`` (1080×1080) and ``vote-<round>-story.png`` (1080×1920) while the
  round's vote is open or coming;
* ``event-<id>-square.png`` and ``event-<id>-story.png`` for every upcoming event;
* ``og.png`` (1200×630): the preview a link to the area's pages shows when shared.

and per language ``social/_programme/<lang>/og.png``: the preview of the home page and the
general pages (the programme's name, its logo and its areas).

A card of an area with a picture (area.yaml ``image``; an event's own picture on its cards)
shows it under a dark veil that keeps the text legible, with its credit in small type: the
whole card on squares and previews, the platforms' safe zone on stories (nothing but the
card's colour where the profile bar and the reply field cover it).

Cards are HTML like the print templates, laid out by WeasyPrint on pages whose size is the
image's size in CSS pixels, and rasterised with pdfium at exactly one image pixel per CSS
pixel. Each card carries the dates and a QR code to the area's short link for the ``social``
channel. One document per area and language keeps it to one layout run.
"""

from __future__ import annotations

import functools
import io
import pickle
from dataclasses import dataclass, replace
from pathlib import Path

from ..i18n import Translator
from ..data.picture import PRINT_MAX, copy_for
from ..render.qr import qr_data_uri
from ..templating import CHANNEL_TEMPLATES, make_env, one_full_stop
from ..views.area import AreaView, PictureView
from .common import isolate_numbers

TEMPLATES = CHANNEL_TEMPLATES

#: Card formats: name → (width, height) in pixels.
FORMATS = {"square": (1080, 1080), "story": (1080, 1920), "og": (1200, 630)}

#: pdfium renders 72 points per inch at scale 1; a CSS pixel is 0.75 pt.
_PX_SCALE = 4 / 3


@dataclass(frozen=True, slots=True)
class Card:
    """One image to draw.

    Attributes:
        name: the file name without ``.png``.
        format: a key of :data:`FORMATS`.
        kind: ``vote``, ``event`` or ``og``.
        headline: the big text.
        headline_lang: its HTML language (``fi`` when it fell back to Finnish).
        when: the dates (or date and time).
        where: the place, or ``""``.
        url: the address the QR code and the caption lead to, or ``""`` (no QR code).
        picture: the picture behind the text (its copy's path), or ``""``.
        picture_source: the picture's original, relative to the project folder (or ``""``).
        credit: the picture's credit line, or ``""``.
    """

    name: str
    format: str
    kind: str
    headline: str
    headline_lang: str
    when: str
    where: str
    url: str
    picture: str = ""
    picture_source: str = ""
    credit: str = ""


def with_picture(card: Card, picture: PictureView | None, tr: Translator,
                 pictures: Path | None) -> Card:
    """``card`` with ``picture`` behind its text (as is without one, or without ``pictures``:
    the folder of the picture copies)."""
    if picture is None or pictures is None:
        return card
    return replace(card, picture=str(pictures / picture.print_name),
                   picture_source=picture.source,
                   credit=tr.gettext("Picture: %(credit)s") % {"credit": picture.credit})


def cards_for(area: AreaView, tr: Translator, short_url: str,
              pictures: Path | None = None) -> list[Card]:
    """The cards of ``area`` in ``tr``'s language, OG image first.

    ``pictures``: the folder of the picture copies (the build cache's); without it no card
    shows a picture.
    """
    _ = tr.gettext
    rnd = area.round
    voting = rnd is not None and rnd.vote_ahead is not None
    # The preview says what one can do now: vote, or come to the next event.
    if rnd and rnd.voting and voting:
        call = _("Vote on how to use %(amount)s: %(dates)s.") % {"amount": rnd.budget,
                                                                "dates": rnd.voting.dates}
    elif area.upcoming_events:
        call = _("Come to an event: the next one is on %(when)s.") % {
            "when": area.upcoming_events[0].when}
    else:
        call = ""
    own = area.picture
    cards = [with_picture(Card("og", "og", "og", area.name.text, area.name.lang,
                               one_full_stop(call), "", ""), own, tr, pictures)]
    if rnd and rnd.voting and voting:
        headline = _("Vote on how to use %(amount)s") % {"amount": rnd.budget}
        for fmt in ("square", "story"):
            cards.append(with_picture(Card(f"vote-{rnd.id}-{fmt}", fmt, "vote", headline,
                                           tr.language.html_lang, rnd.voting.dates,
                                           area.name.text, short_url), own, tr, pictures))
    for e in area.upcoming_events:
        where = ", ".join(x for x in (e.place.text, e.address) if x)
        for fmt in ("square", "story"):
            cards.append(with_picture(Card(f"event-{e.id}-{fmt}", fmt, "event", e.title.text,
                                           e.title.lang, e.when, where, short_url),
                                      e.picture or own, tr, pictures))
    return cards


def programme_card(tr: Translator, site_name: str, area_names: list[str]) -> Card:
    """The preview of the programme's home and general pages in ``tr``'s language: the
    programme's name over its areas."""
    return Card("og", "og", "programme", site_name, tr.language.html_lang,
                " · ".join(area_names), tr.gettext("Neighbourhood programme"), "")


@dataclass(frozen=True, slots=True)
class Look:
    """What every card shares: the programme's colour and logo.

    Attributes:
        colour: the cards' background, ``#rrggbb`` (the brand's primary colour).
        logo: the logo's path (a copy named by its content), or ``""``.
    """

    colour: str = "#00558c"
    logo: str = ""


def render_cards_html(area: AreaView | None, tr: Translator, cards: list[Card],
                      site_name: str, look: Look | None = None, example: bool | None = None,
                      title: str = "") -> str:
    """One HTML document with one page per card (``area`` None: the programme's cards)."""
    env = make_env([TEMPLATES], tr, keep_trailing_newline=False)
    return env.get_template("social.html").render(
        area=area, lang=tr.language, cards=cards, formats=FORMATS, site_name=site_name,
        look=look or Look(), example=area.example if example is None and area else example,
        title=title or (area.name.text if area else site_name),
        file_uri=lambda path: Path(path).resolve().as_uri(),
        qr_data_uri=qr_data_uri, iso=isolate_numbers, display_url=lambda u: u.split("://", 1)[-1].rstrip("/"))


def rasterise(pdf: bytes, cards: list[Card]) -> dict[str, bytes]:
    """Each page of ``pdf`` as PNG bytes at one pixel per CSS pixel, by card name.

    Raises:
        ValueError: a page did not come out at its card's exact pixel size.
    """
    import pypdfium2

    doc = pypdfium2.PdfDocument(pdf)
    try:
        if len(doc) != len(cards):
            raise ValueError(f"expected {len(cards)} pages, the layout made {len(doc)}")
        out = {}
        for page, card in zip(doc, cards, strict=True):
            image = page.render(scale=_PX_SCALE).to_pil().convert("RGB")
            if image.size != FORMATS[card.format]:
                raise ValueError(f"{card.name}: {image.size} instead of {FORMATS[card.format]}")
            buf = io.BytesIO()
            # No metadata, fixed compression: the same card gives the same bytes. zlib's
            # default level, without Pillow's "optimize" (its extra passes took 40 % of the
            # channel stage for a few per cent of file size).
            image.save(buf, format="PNG", compress_level=6)
            out[card.name] = buf.getvalue()
        return out
    finally:
        doc.close()


@functools.cache
def _engine() -> str:
    """What the images depend on besides their HTML: the generator and the drawing libraries."""
    from importlib.metadata import version

    from ..cache import code_fingerprint

    return code_fingerprint() + "".join(f" {lib} {version(lib)}" for lib in
                                        ("weasyprint", "pypdfium2", "pillow"))


def render_social_images(area: AreaView, tr: Translator, short_url: str, site_name: str,
                         base_url: str, cache: Path | None = None,
                         look: Look | None = None) -> dict[str, bytes]:
    """All images of ``area`` in one language: file name (``og.png`` …) → PNG bytes.

    Args:
        area: the area in that language.
        tr: the translator.
        short_url: the address printed under the QR code and encoded in it.
        site_name: shown on every card.
        base_url: the project folder (pictures are read from it); relative references in
            the card template resolve there.
        cache: a folder where the images are kept by a hash of their HTML and of the code
            that draws them; images whose HTML did not change are not drawn again. The
            picture copies go beside it (``pictures/``).
        look: the programme's colour and logo.
    """
    cards, html = area_cards(area, tr, short_url, site_name, cache, look)
    return draw_cards(html, cards, base_url, cache)


def area_cards(area: AreaView, tr: Translator, short_url: str, site_name: str,
               cache: Path | None, look: Look | None = None) -> tuple[list[Card], str]:
    """``area``'s cards in ``tr``'s language and the HTML they are laid out in (arguments as
    :func:`render_social_images`); :func:`draw_cards` draws them."""
    pictures = cache.parent / "pictures" if cache is not None else None
    cards = cards_for(area, tr, short_url, pictures)
    return cards, render_cards_html(area, tr, cards, site_name, look)


def render_programme_image(tr: Translator, site_name: str, area_names: list[str],
                           example: bool, base_url: str, cache: Path | None = None,
                           look: Look | None = None) -> bytes:
    """The programme's preview image (1200×630 PNG) in ``tr``'s language: home and general
    pages show it when shared. Arguments as :func:`render_social_images`."""
    cards = [programme_card(tr, site_name, area_names)]
    html = render_cards_html(None, tr, cards, site_name, look, example=example)
    return draw_cards(html, cards, base_url, cache)["og.png"]


def draw_cards(html: str, cards: list[Card], base_url: str,
               cache: Path | None) -> dict[str, bytes]:
    """``cards`` (laid out in ``html``) as PNG images by file name, from ``cache`` when this
    very HTML was drawn before."""
    if cache is not None:
        images = cached_images(html, base_url, cache)
        if images is not None:
            return images
    from ..render.pdf import render_pdf  # the PDF engine only when something is drawn

    for card in cards:  # the pictures' copies (kept in the cache, named by their content)
        if card.picture:
            copy = Path(card.picture)
            copy_for(Path(base_url) / card.picture_source, copy.name, PRINT_MAX, copy.parent)

    # Untagged: the PDF is only an intermediate step to the PNG images.
    pdf = render_pdf(html, base_url, pdf_variant=None)
    images = {f"{name}.png": png for name, png in rasterise(pdf, cards).items()}
    if cache is not None:
        from ..cache import write_file

        write_file(_stored(html, base_url, cache),
                   pickle.dumps(images, protocol=pickle.HIGHEST_PROTOCOL))
    return images


def _stored(html: str, base_url: str, cache: Path) -> Path:
    from ..cache import digest

    return cache / f"{digest(html, base_url, _engine())}.pickle"


def cached_images(html: str, base_url: str, cache: Path) -> dict[str, bytes] | None:
    """The images drawn before from this very HTML, or None."""
    try:
        images: dict[str, bytes] = pickle.loads(  # noqa: S301 - the build's own cache
            _stored(html, base_url, cache).read_bytes())
    except Exception:  # noqa: BLE001 - missing or damaged: draw them
        return None
    return images
