"""Social images: PNG cards for open and upcoming votes and events, and each area's
Open Graph image.

Per area and language, ``social/<area>/<lang>/``:

* ``vote-<round>-square.png`` (1080×1080) and ``vote-<round>-story.png`` (1080×1920) while the
  round's vote is open or coming;
* ``event-<id>-square.png`` and ``event-<id>-story.png`` for every upcoming event;
* ``og.png`` (1200×630): the preview a link to the area's pages shows when shared.

Cards are HTML like the print templates, laid out by WeasyPrint on pages whose size is the
image's size in CSS pixels, and rasterised with pdfium at exactly one image pixel per CSS
pixel. Each card carries the dates and a QR code to the area's short link for the ``social``
channel. One document per area and language keeps it to one layout run.
"""

from __future__ import annotations

import functools
import io
import pickle
from dataclasses import dataclass
from pathlib import Path


from ..i18n import Translator
from ..render.qr import qr_data_uri
from ..templating import CHANNEL_TEMPLATES, make_env, one_full_stop
from ..views.area import AreaView
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
    """

    name: str
    format: str
    kind: str
    headline: str
    headline_lang: str
    when: str
    where: str
    url: str


def cards_for(area: AreaView, tr: Translator, short_url: str) -> list[Card]:
    """The cards of ``area`` in ``tr``'s language, OG image first."""
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
    cards = [Card("og", "og", "og", area.name.text, area.name.lang, one_full_stop(call), "", "")]
    if rnd and rnd.voting and voting:
        headline = _("Vote on how to use %(amount)s") % {"amount": rnd.budget}
        for fmt in ("square", "story"):
            cards.append(Card(f"vote-{rnd.id}-{fmt}", fmt, "vote", headline,
                              tr.language.html_lang, rnd.voting.dates, area.name.text,
                              short_url))
    for e in area.upcoming_events:
        where = ", ".join(x for x in (e.place.text, e.address) if x)
        for fmt in ("square", "story"):
            cards.append(Card(f"event-{e.id}-{fmt}", fmt, "event", e.title.text, e.title.lang,
                              e.when, where, short_url))
    return cards


def render_cards_html(area: AreaView, tr: Translator, cards: list[Card],
                      site_name: str) -> str:
    """One HTML document with one page per card."""
    env = make_env([TEMPLATES], tr, keep_trailing_newline=False)
    return env.get_template("social.html").render(
        area=area, lang=tr.language, cards=cards, formats=FORMATS, site_name=site_name,
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
            # No metadata, fixed compression: the same card gives the same bytes.
            image.save(buf, format="PNG", optimize=True)
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
                         base_url: str, cache: Path | None = None) -> dict[str, bytes]:
    """All images of ``area`` in one language: file name (``og.png`` …) → PNG bytes.

    Args:
        area: the area in that language.
        tr: the translator.
        short_url: the address printed under the QR code and encoded in it.
        site_name: shown on every card.
        base_url: where relative references in the card template resolve (a folder).
        cache: a folder where the images are kept by a hash of their HTML and of the code
            that draws them; images whose HTML did not change are not drawn again.
    """
    cards = cards_for(area, tr, short_url)
    html = render_cards_html(area, tr, cards, site_name)
    stored = None
    if cache is not None:
        from ..cache import digest, write_file

        stored = cache / f"{digest(html, base_url, _engine())}.pickle"
        try:
            return pickle.loads(stored.read_bytes())  # noqa: S301 - the build's own cache
        except Exception:  # noqa: BLE001 - missing or damaged: draw them
            pass
    from ..render.pdf import render_pdf  # the PDF engine only when something is drawn

    # Untagged: the PDF is only an intermediate step to the PNG images.
    pdf = render_pdf(html, base_url, pdf_variant=None)
    images = {f"{name}.png": png for name, png in rasterise(pdf, cards).items()}
    if stored is not None:
        write_file(stored, pickle.dumps(images, protocol=pickle.HIGHEST_PROTOCOL))
    return images
