"""Stage ``print``: posters, flyers, ballots as print-ready PDF; imports context and below.

For every area × language, into ``site/print/<area>/<lang>/``:

=========================  ====  =====================================================
file                       size  what
=========================  ====  =====================================================
``poster-a3.pdf``          A3    notice for walls and notice boards
``poster-a4.pdf``          A4    notice for staircase doors
``flyer-a5.pdf``           A5    flyer
``flyer-a6.pdf``           A6    small flyer, hand-out card
``flyer-a6-4up-a4.pdf``    A4    four A6 flyers with cut lines for an office printer
``*-bleed.pdf``                  the four above for a print shop: 3 mm bleed, crop marks
                                 in registration colour in a slug outside the bleed
``handout-a4.pdf``         A4    the situation picture: key figures, themes, plans
``ballot-a4.pdf``          A4    paper ballot (while voting is current or upcoming)
``tally-a4.pdf``           A4    tally sheet for counting the paper ballots (with the ballot)
``results-a4.pdf``         A4    results and their implementation (once votes exist)
=========================  ====  =====================================================

Every product has a fitting rule (:mod:`.fitting`): a text too long for its page shortens the
summary, leaves out the least important block or, where the product allows it, flows onto a
second page, and the build warns naming the product, the language and the field to edit; a
print problem never stops the website from publishing. Each product carries a QR
code of its short link (:mod:`generator.shortlinks`); ``site/q/<code>/`` redirect pages are
written for every registered code, and new codes are appended to ``qr-codes.yaml`` once every
PDF rendered. Templates are looked up in ``theme/print/`` first, then in this package's
``templates/``. Rendered PDFs are cached in ``.lahio-cache/print/`` by the hash of their HTML,
their stylesheet, the fonts and the WeasyPrint version, so an unchanged product is linked, not
rendered; an area whose view in a language, configuration, build date, print templates and short
links are unchanged has not even its HTML made (``.lahio-cache/print-areas/``). Making the PDFs
(:func:`plan_print`) is apart from linking them into the site (:func:`build_print`), so that
``lahio check`` can ask what does not fit without writing the site.

Speed: products are rendered in forked worker processes, one per core; each worker keeps its
fonts and parsed stylesheets from one product to the next (:mod:`.render`). A product's
``<style>`` is passed to the engine beside its HTML instead of inside it: products of one size
and language share it, and it is parsed once per worker instead of once per product. A poster
or flyer and its ``-bleed`` file are one layout written twice: the office-printer file is the
print-shop file's pages and content with their media box cut to the trim box, written from the
same PDF objects before the engine adds the crop marks (:func:`.render.render_document`), so
templates may use ``doc.bleed`` only for what lies in the bleed (the ``@page`` bleed, a band
running out), never to lay out the page differently.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import multiprocessing
import os
import re
import shutil
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from .. import outputs
from ..cache import (Store, code_fingerprint, digest, folder_fingerprint, view_digests,
                     write_file)
from ..messages import dump_message, err, load_message
from ..i18n import Localized, Translator
from ..publish import worker_start
from ..shortlinks import (ShortLink, Wanted, append_to_registry, assign_codes, load_registry,
                          short_url, write_redirects)
from ..templating import PRINT_TEMPLATES, make_env
from ..data.picture import PRINT_MAX, copy_for, named_copy
from ..views.area import AreaView, PictureView
from ..views.text import Rich
from ..views.urls import area_path
from .fitting import FIRST_DROPS, Fit, describe, listed, sentences, shorten, steps, what_to_edit
from .hyphen import hyphenate_markup
from .message import poster_message
from ..render import PICTURE_SCHEME, TEXT_LAYER_CSS
from ..render.qr import MIN_WIDTH_MM, qr_png_url

# The PDF engine (WeasyPrint, half a second to import) is imported only when something is to
# be rendered: a build whose products are all cached never loads it.
if TYPE_CHECKING:
    from ..context import BuildContext
    from ..render.pdf import Rendered

TEMPLATES = PRINT_TEMPLATES
#: Page sizes in millimetres (ISO 216).
SIZES = {"A6": (105, 148), "A5": (148, 210), "A4": (210, 297), "A3": (297, 420)}
#: Room outside the 3 mm bleed of the print-shop files for the crop marks.
SLUG_MM = 7
#: Body text size per paper size: never below 12 pt, larger where it is read from afar.
BASE_PT = {"A6": 12, "A5": 12, "A4": 16, "A3": 22}
MARGIN_MM = {"A6": 6, "A5": 8, "A4": 14, "A3": 18}
#: The height of the area's picture on a filled page, least and most, per paper size: it
#: takes the room the texts leave, and is left out (and reported) below the least.
PICTURE_MM = {"A6": (18, 40), "A5": (20, 60), "A4": (22, 110), "A3": (28, 160)}
#: Printed QR width, quiet zone included: a little above :data:`qr.MIN_WIDTH_MM`.
QR_MM = {"A6": 32, "A5": 42, "A4": 66, "A3": 96}
#: Font files whose change must invalidate the cache (the families the templates name).
FONT_GLOBS = ("/usr/share/fonts/truetype/noto/NotoSans-*.ttf",
              "/usr/share/fonts/truetype/noto/NotoSansArabic-*.ttf")
#: Channels registered for every area × language. ``social`` is used by the channel stage.
CHANNELS = ("poster", "flyer", "handout", "ballot", "results", "social", "sms")
#: Processes for cold renders (``None``: one per usable core); WeasyPrint is single-threaded
#: and CPU-bound.
WORKERS: int | None = None
#: A product's stylesheet: the ``<style>`` elements of its ``<head>`` (base.html writes one).
_HEAD = re.compile(r"<head>.*?</head>", re.S)
_STYLE = re.compile(r"<style>(.*?)</style>", re.S)


@dataclass(frozen=True, slots=True)
class Product:
    """One printed product of an area in a language."""

    name: str  # file name without .pdf
    template: str
    size: str
    channel: str
    label: str  # for messages: "A6 flyer"
    detail: int = 0  # how much of the notice fits: 0 (A6) … 2 (A3/A4)
    bleed: bool = False
    qr_size: str = ""  # size whose QR width applies (the A6 cell of the 4-up sheet)
    trim_of: str = ""  # written from this product's layout without its bleed


def products_for(area: AreaView) -> list[Product]:
    """The products ``area`` gets (ballot and results only when the round calls for them)."""
    out = []
    for bleed in (False, True):
        suffix, twin = ("-bleed", "") if bleed else ("", "-bleed")
        out += [Product(f"{name}{suffix}", "poster.html" if channel == "poster" else "notice.html",
                        size, channel,
                        err("{size} poster", size=size) if channel == "poster"
                        else err("{size} flyer", size=size), detail, bleed,
                        trim_of=twin and f"{name}{twin}")
                for name, size, channel, detail in (("poster-a3", "A3", "poster", 2),
                                                    ("poster-a4", "A4", "poster", 2),
                                                    ("flyer-a5", "A5", "flyer", 1),
                                                    ("flyer-a6", "A6", "flyer", 0))]
    out.append(Product("flyer-a6-4up-a4", "sheet.html", "A4", "flyer", err("A4 sheet of A6 flyers"),
                       0, qr_size="A6"))
    out.append(Product("handout-a4", "handout.html", "A4", "handout", err("A4 handout"), 2))
    rnd = area.round
    if rnd is not None and rnd.vote_ahead is not None:
        out.append(Product("ballot-a4", "ballot.html", "A4", "ballot", err("A4 ballot"), 2))
        out.append(Product("tally-a4", "tally.html", "A4", "ballot", err("A4 tally sheet"), 2))
    if rnd is not None and rnd.has_results:
        out.append(Product("results-a4", "results.html", "A4", "results", err("A4 results poster"), 2))
    return out


def channel_target(area: str, channel: str, lang: str) -> str:
    """The page a channel's short link leads to, relative to the site root."""
    sub = "budget" if channel in ("ballot", "results") else ""
    return f"{lang}/{area_path(area, sub)}"


class Fields:
    """The template function ``f(file, key, value)``: one data text, escaped and recorded.

    Records which data fields a product shows (and how long they are) so that an overflow can
    be traced to the texts to shorten; ``blank`` empties chosen fields for that diagnosis.
    """

    def __init__(self, html_lang: str, blank: frozenset[tuple[str, str]] = frozenset(),
                 mark: tuple[str, str] = ("", "ltr")) -> None:
        self.html_lang = html_lang
        self.blank = blank
        #: The "in Finnish" note beside a text the language has no translation of, and the
        #: direction of the page's language it is written in.
        self.mark = mark
        self.seen: dict[tuple[str, str], int] = {}
        #: Fields printed in another language than the page's (a missing translation).
        self.langs: dict[tuple[str, str], str] = {}

    def __call__(self, file: str, key: str, value: Any) -> Markup:
        if value is None:
            return Markup("")
        if isinstance(value, Rich):
            html, lang, length = value.html, value.lang, len(value.plain)
        elif isinstance(value, Localized):
            html, lang, length = escape(value.text), value.lang, len(value.text)
        else:
            html, lang, length = escape(value), self.html_lang, len(str(value))
        self.seen[(file, key)] = max(length, self.seen.get((file, key), 0))
        if getattr(value, "fallback", False):
            self.langs[(file, key)] = lang
        if (file, key) in self.blank:
            return Markup("")
        if lang == "fi":
            html = hyphenate_markup(html)
        if lang != self.html_lang:
            # A Finnish fallback inside another language: screen readers switch voice, and a
            # reader sees it is not a translation (the note in the page's language and
            # direction, isolated from the Finnish text's).
            note, direction = self.mark
            mark = Markup(' <bdi class="fallback" lang="{0}" dir="{1}">({2})</bdi>').format(
                self.html_lang, direction, note) if note else Markup("")
            if isinstance(value, Rich):
                html = Markup(html)
                end = html.rfind("</p>")
                html = html[:end] + mark + html[end:] if end >= 0 else html + mark
                return Markup('<div lang="{0}" dir="ltr">{1}</div>').format(lang, html)
            return Markup('<bdi lang="{0}" dir="ltr">{1}</bdi>{2}').format(lang, html, mark)
        return Markup(html)


#: A word longer than this (a pasted address, a code) is given break opportunities.
LONG_WORD = 80
_TEXT_NODE = re.compile(r">([^<]+)<")
_LONG_WORD = re.compile(r"[^\s\u200b]{%d,}" % (LONG_WORD + 1))
_STYLE_OR_SCRIPT = re.compile(r"(<(?:style|script)\b.*?</(?:style|script)>)", re.S | re.I)


def break_long_words(html: str) -> tuple[str, int]:
    """``html`` with a zero-width space every 40 characters of any word longer than
    :data:`LONG_WORD` in its text (shortened with "…" beyond twice that), and the length of
    the longest such word (0: none).

    Line breaking a word of thousands of characters that does not fit took the layout engine
    minutes; with break opportunities it is laid out as fast as ordinary text.
    """
    longest = 0

    def split_word(m: re.Match[str]) -> str:
        nonlocal longest
        word = m.group()
        longest = max(longest, len(word))
        if len(word) > 2 * LONG_WORD:  # no use on paper: shortened (and reported)
            cut = word.rfind("&", 0, LONG_WORD)
            word = word[: cut if cut > LONG_WORD - 10 else LONG_WORD] + "…"
        # Never inside a character reference (&amp;): break only after a plain character.
        parts, start = [], 0
        while start < len(word):
            end = min(start + 40, len(word))
            amp = word.rfind("&", start, end)
            if amp > start and ";" not in word[amp:end]:
                end = amp
            parts.append(word[start:end])
            start = end
        return "\u200b".join(parts)

    def text(m: re.Match[str]) -> str:
        return ">" + _LONG_WORD.sub(split_word, m.group(1)) + "<"

    pieces = _STYLE_OR_SCRIPT.split(html)
    for i in range(0, len(pieces), 2):
        if _LONG_WORD.search(pieces[i]):
            pieces[i] = _TEXT_NODE.sub(text, pieces[i])
    return "".join(pieces), longest


def split_style(html: str) -> tuple[str, str]:
    """``html`` without the ``<style>`` elements of its head, and their source in order.

    The stylesheet is then given to the engine as a separate (and per-worker cached) sheet,
    of the cascade's user origin instead of the author's: the same cascade as long as the
    document has no other styles than these and ``style`` attributes (a ``<link>``ed or
    ``<style media>`` sheet would now win over them whatever its selectors' specificity).
    """
    head = _HEAD.search(html)
    sheets = _STYLE.findall(head.group()) if head else []
    if not head or not sheets:
        return html, ""
    return (html[:head.start()] + _STYLE.sub("", head.group()) + html[head.end():],
            "\n".join(sheets))


@dataclass
class Job:
    """One product to produce: the HTML laid out for it and how to re-render that HTML for a
    diagnosis. A product made from another's layout (:attr:`Product.trim_of`) carries that
    product's HTML and ``trim``."""

    rel: str  # path under the site folder
    html: str  # without its stylesheet (see split_style)
    css: str
    area: str
    lang: str
    product: Product
    fields: dict[tuple[str, str], int]
    rerender: Callable[[Fit], str]
    trim: bool = False  # the layout's PDF without its bleed
    key: str = ""
    langs: dict[tuple[str, str], str] | None = None
    summary: Rich | None = None  # the summary as the product prints it whole


def _first_paragraph(rich: Rich | None) -> Rich | None:
    if rich is None:
        return None
    m = re.match(r"\s*(<p>.*?</p>)", str(rich.html), re.S)
    if not m:
        return rich
    return Rich(Markup(m.group(1)), rich.lang, rich.fallback, rich.plain.split("\n\n")[0])


def _context(ctx: BuildContext, area: AreaView, tr: Translator,
             links: dict[tuple[str, str, str], ShortLink]) -> dict[str, Any]:
    """What every product of ``area`` in ``tr``'s language shows (the product adds the rest)."""
    _ = tr.gettext
    lang = ctx.config.language(tr.code)
    rnd = area.round
    voting = rnd.vote_ahead if rnd is not None else None
    others = [{"name": other.name, "html_lang": other.html_lang, "dir": other.dir}
              for other in ctx.config.languages if other.code != tr.code]
    return {
        "area": area,
        "lang": lang,
        "org": ctx.config.organisation,
        "programme": f"{ctx.config.organisation} – {_('Neighbourhood programme')}",
        "lead": _("%(area)s: see what is being done and have your say") % {"area": area.name},
        "summary": _first_paragraph(area.summary),
        "voting": voting,
        "events": list(area.upcoming_events),
        "contact": area.contacts[0] if area.contacts else None,
        "other_languages": others,
        # The selkotunnus may only be printed with Selkokeskus's permission: the build never
        # embeds it, it only reserves its place for the printer to replace.
        "selko_mark": "Selkotunnus" if tr.code == "selko" and ctx.config.selko_logo else None,
        "links": links,
        "message": poster_message(area, tr),
        # The ballot and the tally sheet list the proposals as the web does (by cost before
        # the votes, numbered 1…n), each with the first sentence of its description.
        "ballot_rows": [{"p": p, "line": _first_sentence(p.summary or p.place)}
                        for p in rnd.proposals] if rnd is not None else [],
        "return_by": tr.date(voting.end) if voting is not None else "",
        "tally_places": _tally_places(area),
        # Where a person edits each proposal's texts: imported ones under round.overrides.
        "pkey": _proposal_keys(ctx, area.slug),
        "brand": {"primary": ctx.config.brand_primary, "accent": ctx.config.brand_accent},
        "picture": _picture(ctx, area.picture, tr),
        "logo": _logo(ctx),
        # Example content: the band that says so on every page (see base.html).
        "sample_band": _("Example: only the Paavo statistics are real, everything "
                         "else is made up.")
        if area.example else "",
    }


def _picture(ctx: BuildContext, picture: PictureView | None,
             tr: Translator) -> dict[str, str] | None:
    """The area's picture as the products print it: its copy for print (made once into the
    cache), its alt text and its credit line."""
    if picture is None:
        return None
    copy = copy_for(ctx.root / picture.source, picture.print_name, PRINT_MAX, _pictures(ctx))
    return {"src": PICTURE_SCHEME + copy.name, "alt": picture.alt.text,
            "credit": tr.gettext("Picture: %(credit)s") % {"credit": picture.credit}}


def _logo(ctx: BuildContext) -> str:
    """The programme's logo (``extra.lahio.brand.logo``), its copy's name in
    :func:`_pictures`, or ``""``."""
    if not ctx.config.brand_logo:
        return ""
    source = ctx.root / "theme" / "site" / ctx.config.brand_logo.lstrip("/")
    return PICTURE_SCHEME + named_copy(source, _pictures(ctx), "logo").name


def _pictures(ctx: BuildContext) -> Path:
    """Where the products' pictures are read from when they are laid out. The HTML names each
    by its copy's file name, which its content decides: a layout is the same wherever the
    project lies, and changes with the picture (see :data:`generator.render.PICTURE_SCHEME`)."""
    return ctx.root / ".lahio-cache" / "pictures"


def _first_sentence(text: Rich | Localized | None) -> Localized | None:
    """The first sentence of ``text`` (a proposal's one-line description), as printed text."""
    if text is None:
        return None
    plain = text.plain if isinstance(text, Rich) else text.text
    first = (sentences(plain) or [""])[0]
    return Localized(first, text.lang, text.fallback)


def _proposal_keys(ctx: BuildContext, slug: str) -> dict[str, str]:
    """Proposal id → the key its texts are edited under in budget.yaml (never the importer's
    budget.decidim.yaml: an imported proposal is changed under ``round.overrides``)."""
    data = ctx.programme.area(slug)
    rnd = data.round if data is not None else None
    if rnd is None:
        return {}
    return {p.id: (f"round.overrides[{p.id}]" if p.loc is not None and
                   p.loc.file.endswith(".decidim.yaml") else f"round.proposals[{p.id}]")
            for p in rnd.proposals}


def _tally_places(area: AreaView) -> list[Localized]:
    """Where paper ballots come back: the round's return place, then the voting events'."""
    rnd = area.round
    places: list[Localized] = []
    if rnd is not None and rnd.ballot_return is not None:
        places.append(rnd.ballot_return)
    for event in area.upcoming_events:
        if event.kind == "vote" and all(event.place.text != p.text for p in places):
            places.append(event.place)
    return places[:4]


def _link(ctx: BuildContext, tr: Translator, link: ShortLink, size: str) -> dict[str, Any]:
    url = short_url(ctx.config.site_url, link.code)
    return {"url": url, "text": url.removeprefix("https://").removeprefix("http://"),
            "qr": qr_png_url(url), "alt": f"QR: {url}",
            "width_mm": max(QR_MM[size], MIN_WIDTH_MM[size])}


def _doc(product: Product, title: str, lang_html: str, direction: str,
         margin: float | None = None) -> dict[str, Any]:
    size = product.size
    return {"size": size, "title": title, "html_lang": lang_html, "dir": direction,
            "picture_mm": PICTURE_MM[size],
            "margin": MARGIN_MM[size] if margin is None else margin,
            "base": BASE_PT[size], "bleed": product.bleed, "bleed_mm": 3 if product.bleed else 0,
            "slug_mm": SLUG_MM,
            "width": SIZES[size][0], "height": SIZES[size][1]}


@dataclass
class _Spec:
    """A product whose HTML is still to be made: its template and what it is given."""

    rel: str
    env: Any
    template: str
    page: dict[str, Any]
    html_lang: str
    mark: tuple[str, str]
    area: str
    lang: str
    product: Product
    summary: Rich | None

    def render(self, fit: Fit) -> tuple[str, int, Fields]:
        """The product's HTML laid out by the fitting step ``fit`` (see :mod:`.fitting`), the
        longest word it broke across lines, and the data fields it shows."""
        fields = Fields(self.html_lang, mark=self.mark)
        page = self.page
        summary = shorten(page["summary"], fit.sentences, page["link"]["text"])
        html, longest = break_long_words(self.env.get_template(self.template).render(
            **{**page, "summary": summary, "fit": fit}, f=fields))
        return html, longest, fields

    def rerender(self, fit: Fit) -> str:
        return self.render(fit)[0]


#: What a product's HTML came out as: the HTML without its stylesheet, the stylesheet, the
#: longest word broken across lines (0: none), the data fields it shows and those shown in
#: another language (see :class:`Fields`).
_Made = tuple[str, str, int, dict[tuple[str, str], int], dict[tuple[str, str], str]]


def _make_html(spec: _Spec) -> _Made:
    whole, longest, fields = spec.render(Fit())
    html, css = split_style(whole)
    return html, css, longest, fields.seen, fields.langs


#: The products whose HTML a forked process makes (see :func:`_html_beside_engine`).
_SPECS: list[_Spec] = []


def _make_all_html(_: int = 0) -> list[_Made]:
    return [_make_html(spec) for spec in _SPECS]


def _html_beside_engine(specs: list[_Spec]) -> list[_Made]:
    """``specs``' HTML made in a forked process while this one loads the PDF engine.

    Compiling the print templates and rendering the products' HTML (half a second for the
    sample cold) and starting the engine (0.3 s) each keep one core busy: side by side they
    take the longer of the two. The engine is loaded here, as the render processes fork from
    this one (see :func:`render_all`).
    """
    global _SPECS
    _SPECS = specs
    try:
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"),
                                 initializer=_worker_start) as pool:
            made = pool.submit(_make_all_html)
            from ..render import pdf  # noqa: F401 - loads the engine meanwhile

            return made.result()
    finally:
        _SPECS = []


def build_jobs(ctx: BuildContext, links: dict[tuple[str, str, str], ShortLink],
               only: set[tuple[str, str]] | None = None, *,
               beside_engine: bool = False) -> list[Job]:
    """Render every product's HTML (cheap); the PDFs are made by :func:`build_print`.

    ``only``: the (area, language) pairs to make, when not all (the others are cached).
    ``beside_engine``: make the HTML in another process while this one loads the PDF engine
    (see :func:`_html_beside_engine`).
    """
    dirs = [d for d in (ctx.root / "theme" / "print", TEMPLATES) if d.is_dir()]
    specs: list[_Spec] = []
    # Per area and language: its folder and its products in their order, each with a spec's
    # index or, for a product made from another's layout, the name of that product.
    areas: list[tuple[str, list[tuple[Product, int | str]]]] = []
    for lang in ctx.config.languages:
        if only is not None and not any(code == lang.code for _slug, code in only):
            continue
        tr = ctx.translators[lang.code]
        env = make_env(dirs, tr)
        mark = (tr.gettext("in Finnish"), lang.dir)
        views = ctx.area_views(lang.code)
        for n in range(len(views)):
            if only is not None and (_slug_of(ctx, views, n), lang.code) not in only:
                continue
            area = views[n]
            base = _context(ctx, area, tr, links)
            folder = f"print/{area.slug}/{lang.code}"
            products: list[tuple[Product, int | str]] = []
            for product in products_for(area):
                if product.trim_of:
                    products.append((product, product.trim_of))
                    continue
                link = links[(area.slug, product.channel, lang.code)]
                qr_size = product.qr_size or product.size
                margin = MARGIN_MM[qr_size] if product.qr_size else None
                title = f"{area.name} – {tr.gettext('Neighbourhood programme')}"
                # Handouts and ballots are read in the hand: a flyer's QR is enough.
                in_hand = {"handout": "A5", "ballot": "A6"}.get(product.channel, qr_size)
                page = {**base, "link": _link(ctx, tr, link, in_hand),
                        "detail": product.detail,
                        "doc": _doc(product, title, lang.html_lang, lang.dir, margin),
                        "cell": {"size": qr_size, "base": BASE_PT[qr_size]}}
                products.append((product, len(specs)))
                specs.append(_Spec(f"{folder}/{product.name}.pdf", env,
                                   product.template, page, lang.html_lang, mark, area.slug,
                                   lang.code, product, base["summary"]))
            areas.append((folder, products))
    made = (_html_beside_engine(specs) if beside_engine and specs
            else [_make_html(spec) for spec in specs])
    jobs: list[Job] = []
    for folder, products in areas:
        by_name: dict[str, Job] = {}
        # Products laid out for themselves first, then those trimmed from their layouts.
        for product, source in sorted(products, key=lambda item: isinstance(item[1], str)):
            if isinstance(source, str):
                twin = by_name[source]
                by_name[product.name] = Job(f"{folder}/{product.name}.pdf", twin.html,
                                            twin.css, twin.area, twin.lang, product,
                                            twin.fields, twin.rerender, trim=True,
                                            langs=twin.langs, summary=twin.summary)
                continue
            spec = specs[source]
            html, css, longest, seen, langs = made[source]
            if longest:
                ctx.warnings.append(err(
                    "{rel}: a word of {length} characters (a pasted address or code?) was "
                    "broken across lines (shortened with … when longer than 160) to fit; "
                    "check the text", rel=spec.rel, length=f"{longest:,}"))
            by_name[product.name] = Job(spec.rel, html, css, spec.area, spec.lang, product,
                                        seen, spec.rerender, langs=langs,
                                        summary=spec.summary)
        jobs += [by_name[product.name] for product, _source in products]
    return jobs


@functools.cache
def weasyprint_version() -> str:
    """The PDF engine's version (read without importing it)."""
    from importlib.metadata import version

    return version("weasyprint")


def _slug_of(ctx: BuildContext, views: Sequence[AreaView], n: int) -> str:
    """The slug of the ``n``-th area view, without unpickling it when the order is the
    programme's (as the views are made)."""
    slugs = ctx.programme.slugs
    return slugs[n] if len(slugs) == len(views) else views[n].slug


def area_product_keys(ctx: BuildContext, links: dict[tuple[str, str, str], ShortLink],
                      fonts: str) -> dict[tuple[str, str], str]:
    """What the products of each (area, language) depend on, hashed: the area's view in
    that language (see :func:`generator.cache.view_digests`), the configuration, the build
    date, the project's print templates, the short links, the fonts and the PDF engine (the
    generator's own code is in every cache entry's key)."""
    shared = digest(repr(ctx.config), ctx.today.isoformat(),
                    folder_fingerprint(ctx.root / "theme" / "print"),
                    repr(sorted(links.items())), fonts, weasyprint_version())
    keys = {}
    for code in ctx.config.codes:
        views = ctx.area_views(code)
        for n, view_key in enumerate(view_digests(views)):
            keys[_slug_of(ctx, views, n), code] = digest(shared, code, view_key)
    return keys


def font_fingerprint() -> str:
    """Names and sizes of the font files the templates use (a font update renders again)."""
    h = hashlib.sha256()
    for pattern in FONT_GLOBS:
        folder, _sep, glob = pattern.rpartition("/")
        for path in sorted(Path(folder).glob(glob)):
            h.update(f"{path.name}:{path.stat().st_size}\n".encode())
    return h.hexdigest()


def cache_key(html: str, css: str, fonts: str, trim: bool = False) -> str:
    """The cache key of a product: the HTML laid out (templates, data and the QR codes'
    addresses are all in it), its stylesheet, whether the bleed is cut off, the fonts, the
    WeasyPrint version and the generator's own code (which draws the QR codes and fills the
    pages)."""
    h = hashlib.sha256()
    for part in (weasyprint_version(), code_fingerprint(), TEXT_LAYER_CSS, fonts,
                 "trim" if trim else "", css, html):
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


#: One layout to make: HTML, stylesheet, and whether its PDF without bleed is wanted too.
Layout = tuple[str, str, bool]


#: Seconds one layout of one product may take. Products lay out in well under a second; a
#: text the engine cannot lay out in time is stopped and reported, never a stalled build.
LAYOUT_SECONDS = 20.0
#: ``Rendered.pages`` of a layout stopped after :data:`LAYOUT_SECONDS`.
OVERTIME = -1


class _Overtime(Exception):
    """A layout took longer than :data:`LAYOUT_SECONDS`."""


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`_Overtime` in the body after ``seconds`` (main thread only: a worker
    process runs its layouts there; elsewhere the body runs unlimited)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(_signum: int, _frame: object) -> None:
        raise _Overtime

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


#: :func:`_pictures` while a build's products are laid out (the render processes inherit it).
_PICTURES: Path | None = None


def _render_limited(html: str, css: str, max_pages: int | None, trimmed: bool) -> Rendered:
    """:func:`render_document` within :data:`LAYOUT_SECONDS`, else ``pages`` is
    :data:`OVERTIME` and there is no PDF."""
    from ..render.pdf import Rendered, render_document

    try:
        with _time_limit(LAYOUT_SECONDS):
            return render_document(html, stylesheets=(css,), max_pages=max_pages,
                                   trimmed=trimmed, pictures=_PICTURES)
    except _Overtime:
        return Rendered(b"", OVERTIME)


def _render_one(layout: Layout) -> Rendered:
    html, css, trimmed = layout
    # One page or nothing: an overflowing product is fitted (see fit_job), its first layout
    # never written.
    return _render_limited(html, css, 1, trimmed)


def default_workers() -> int:
    """One worker per core this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _worker_start() -> None:
    worker_start()
    # The heap inherited from the build (views, templates) never becomes garbage in a worker:
    # keep the cycle collector off it (scanning it costs time and copies its pages), and
    # let a layout's many short-lived objects pile up longer between collections.
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


_DATA_URI = re.compile(r"data:[^\"')\s]*")


def _work(layout: Layout) -> float:
    # Laying out costs about as much as writing one PDF; the HTML's length without its
    # embedded pictures stands for both.
    return len(_DATA_URI.sub("", layout[0])) * (2 + layout[2])


#: A layout made: the HTML it was fitted to (None: laid out as designed), its rendering and
#: the fitting warning.
Made = tuple[str | None, "Rendered", str]

#: What the render processes make, set before they are forked (they inherit it, nothing of it
#: is sent to them): each layout and the product to fit when the layout overflows.
_WORK: list[tuple[Layout, Job]] = []


def _make(index: int) -> Made:
    layout, job = _WORK[index]
    result = _render_one(layout)
    if result.pages not in (1, OVERTIME):
        return fit_job(job, layout[2])
    return None, result, ""


def render_all(sources: list[tuple[Layout, Job]], workers: int | None = None) -> list[Made]:
    """Render layouts, and fit those that overflow (with the product given beside the
    layout, see :func:`fit_job`), in ``workers`` processes (default :data:`WORKERS`, else
    one per core) when there are enough of them; results in the order of ``sources``.

    The processes are forked from this one with the PDF engine ready in it for the layouts'
    stylesheets (see :func:`generator.render.pdf.warm_up`), so that none of them gets it
    ready again.
    """
    global _WORK
    workers = workers or WORKERS or default_workers()
    _WORK = sources
    try:
        if workers < 2 or len(sources) < 4:
            return [_make(i) for i in range(len(sources))]
        from ..render.pdf import warm_up

        warm_up(sorted({layout[1] for layout, _job in sources}))
        # Most work first, one at a time: the workers finish together instead of one
        # waiting for the other's last big sheet.
        order = sorted(range(len(sources)), key=lambda i: -_work(sources[i][0]))
        results: list[Made | None] = [None] * len(sources)
        # fork: the workers inherit the ready engine and the work (nothing is sent to them).
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                 initializer=_worker_start) as pool:
            for i, result in zip(order, pool.map(_make, order), strict=True):
                results[i] = result
        return results  # type: ignore[return-value]
    finally:
        _WORK = []


def fit_job(job: Job, trimmed: bool) -> tuple[str, Rendered, str]:
    """Lay ``job`` out by its template's fitting rule until it fits.

    Returns the HTML that fitted (without its stylesheet), its rendering and the warning that
    says what was given up and which field to edit. When nothing fits, the last step's layout
    is written with as many pages as it takes, and the warning says so: a print product never
    stops the build.
    """
    last: tuple[str, Fit] | None = None
    skipped: set[str] = set()
    shown = job.summary if ("area.yaml", "summary") in job.fields else None

    def html_of(fit: Fit) -> str:
        return split_style(job.rerender(fit))[0]

    tried = list(steps(job.product.template, shown))
    # The summary cut sentence by sentence comes first; the more is cut, the surer it fits,
    # so the most that fits is found by halving (a long summary costs a few layouts, not one
    # per sentence).
    # (A picture given up first counts with the cuts: each of them gives it up too.)
    cuts = next((i for i, fit in enumerate(tried)
                 if set(fit.drop) - set(FIRST_DROPS) or fit.pages > 1), len(tried))
    before = job.html
    if cuts > 2:
        html = html_of(tried[cuts - 1])
        result = _render_limited(html, job.css, 1, trimmed)
        if result.pages == OVERTIME:
            return html, result, ""
        if result.pdf:
            good, lo, hi = (html, result), 0, cuts - 1
            while lo < hi:  # the first cut in [lo, hi) that fits, else hi (known to fit)
                mid = (lo + hi) // 2
                html = html_of(tried[mid])
                result = _render_limited(html, job.css, 1, trimmed)
                if result.pages == OVERTIME:
                    return html, result, ""
                if result.pdf:
                    good, hi = (html, result), mid
                else:
                    lo = mid + 1
            return good[0], good[1], _warning(job, describe(tried[hi], skipped), tried[hi])
        before, last = html, (html, tried[cuts - 1])
        tried = tried[cuts:]
    for fit in tried:
        html = html_of(fit)
        if html == before:  # a block this product does not show: nothing given up
            fit_skip = fit.drop[-1:] if fit.drop else ()
            skipped.update(fit_skip)
            continue
        before = html
        result = _render_limited(html, job.css, fit.pages, trimmed)
        if result.pages == OVERTIME:
            return html, result, ""
        last = (html, fit)
        if result.pdf:
            return html, result, _warning(job, describe(fit, skipped), fit)
    html, fit = last if last else (job.html, Fit())
    result = _render_limited(html, job.css, None, trimmed)
    if result.pages == OVERTIME:
        return html, result, ""
    done = describe(fit, skipped)
    return html, result, _warning(job, listed([*([done] if done else []), err(
        "still {pages} pages", pages=result.pages)], "; "))


#: Starts what fitting says when it only left out a picture: pictures go where there is room
#: for them, so that is a note in the build's log, not a warning (``--strict`` passes).
NOTE = "note: "


def _warning(job: Job, done: str, fit: Fit | None = None) -> str:
    if fit is not None and fit.drop and set(fit.drop) <= set(FIRST_DROPS) and (
            fit.sentences is None and fit.pages == 1):
        return (f"{NOTE}{job.rel}: the {job.product.label} in {job.lang} has no room for the "
                f"picture, so it is printed without it")
    lever = what_to_edit(job.area, job.lang, job.fields, job.langs or {})
    return err("{rel}: the {product} in {lang} did not fit as designed: {done}. To print it "
               "whole: {lever}", rel=job.rel, product=job.product.label, lang=job.lang,
               done=done, lever=lever)


#: A product made: where its PDF goes under the site, the key of that PDF in the cache (its
#: fitted layout's when it had to be fitted), the fitting warning ('' when it fitted as
#: designed) and the key of its first layout, whose ``.fit`` record leads to the fitted one
#: ('' when not fitted).
Written = tuple[str, str, str, str]


def _written(job: Job, fitted: dict[str, tuple[str, str]]) -> Written:
    key, warning = fitted.get(job.key, (job.key, ""))
    return job.rel, key, warning, job.key if job.key in fitted else ""


@dataclass
class PrintPlan:
    """Every print product's PDF, in the cache: what :func:`plan_print` made or found."""

    #: Every product made (see :data:`Written`); a product whose layout was stopped is left
    #: out (and reported).
    written: list[Written]
    #: Products whose PDFs were rendered now (the others came from the cache).
    rendered: int
    #: Layouts rendered now (a layout and its trimmed twin are one).
    layouts: int
    #: The short links every product's QR code leads to, the registry they were found in and
    #: the codes new to it (assigned, not yet written to ``qr-codes.yaml``).
    links: dict[tuple[str, str, str], ShortLink]
    registry: dict[str, ShortLink]
    new: list[ShortLink]
    cache: Path


def _read_fit(record: Path) -> tuple[str, str] | None:
    """The fitted layout's key and the warning a ``<key>.fit`` record holds; None when there is
    none, or it is of an older format (the product is then fitted again)."""
    try:
        key, warning = record.read_text(encoding="utf-8").split("\n", 1)
        return key, load_message(warning)
    except (OSError, ValueError):
        return None


def plan_print(ctx: BuildContext, workers: int | None = None) -> PrintPlan:
    """Make every print product's PDF in ``.lahio-cache/print/`` (rendering, and fitting,
    only those not there yet) and say where each goes; nothing is written into the site.

    ``workers`` processes render the PDFs (default :data:`WORKERS`, else one per core). Needs
    the area views (``ctx.trees``). The fitting warnings, and the warnings of products that
    could not be laid out, are added to ``ctx.warnings`` (each once).

    The next build takes every product from the cache: ``lahio check`` runs this to report
    what does not fit without writing the site.
    """
    registry = load_registry(ctx.root)
    wanted = [Wanted(area.slug, channel, lang, channel_target(area.slug, channel, lang))
              for lang in ctx.config.codes for area in ctx.area_views(lang)
              for channel in CHANNELS]
    links, new = assign_codes(registry, wanted)
    cache = ctx.root / ".lahio-cache" / "print"
    cache.mkdir(parents=True, exist_ok=True)
    fonts = font_fingerprint()
    # The products of an area in a language whose inputs did not change are known by their
    # PDFs' keys: no HTML is rendered and no QR code drawn for them.
    store = Store(ctx.root / ".lahio-cache" / "print-areas")
    area_keys = area_product_keys(ctx, links, fonts)
    known: list[Written] = []
    todo: set[tuple[str, str]] = set()
    for (slug, code), key in area_keys.items():
        hit = store.get(f"{slug}.{code}", key)
        if hit is not None and all(len(entry) == 4 and (cache / f"{entry[1]}.pdf").exists()
                                   for entry in hit):
            known += [tuple(entry) for entry in hit]
        else:
            todo.add((slug, code))
    # Most areas to make (a cold build, another day, a changed template): their HTML is made
    # beside the engine's start. For a few, the engine may not be needed at all (an edit the
    # products do not show), and it is loaded only when a layout is to be rendered.
    beside = (workers or WORKERS or default_workers()) >= 2 and 2 * len(todo) > len(area_keys)
    jobs = build_jobs(ctx, links, todo, beside_engine=beside) if todo else []
    # The layouts to make: one per distinct HTML and stylesheet with a PDF not cached, with
    # every product written from it (in build order: the first names an overflow). Both PDFs
    # of a layout come out of one render, also when one of them is cached (it is the same).
    # A product fitted before is written from its fitted layout's PDF, recorded beside the
    # first layout's key (``<key>.fit``: the fitted key, then the warning).
    layouts: dict[tuple[str, str], dict[str, Job]] = {}
    fitted: dict[str, tuple[str, str]] = {}
    for job in jobs:
        job.key = cache_key(job.html, job.css, fonts, job.trim)
        record = _read_fit(cache / f"{job.key}.fit")
        if record is not None and (cache / f"{record[0]}.pdf").exists():
            fitted[job.key] = record
            continue
        if not (cache / f"{job.key}.pdf").exists():
            layouts.setdefault((job.html, job.css), {})
    for job in jobs:
        if (job.html, job.css) in layouts:
            layouts[(job.html, job.css)].setdefault(job.key, job)
    global _PICTURES
    _PICTURES = _pictures(ctx)
    try:
        rendered = render_all([((html, css, any(j.trim for j in made.values())),
                                next(iter(made.values())))
                               for (html, css), made in layouts.items()], workers)
    finally:
        _PICTURES = None
    overtime: dict[str, Job] = {}  # stopped layouts' products by key: reported, not written
    for made, (fitted_html, result, warning) in zip(layouts.values(), rendered, strict=True):
        if result.pages == OVERTIME:
            overtime.update(made)
            continue
        if fitted_html is not None:
            html = fitted_html
            for key, job in made.items():
                fitted_key = cache_key(html, job.css, fonts, job.trim)
                write_file(cache / f"{fitted_key}.pdf", result.trimmed if job.trim else result.pdf)
                write_file(cache / f"{key}.fit",
                           f"{fitted_key}\n{dump_message(warning)}".encode())
                fitted[key] = (fitted_key, warning)
            continue
        for key, job in made.items():
            write_file(cache / f"{key}.pdf", result.trimmed if job.trim else result.pdf)

    stopped = {(job.area, job.lang) for job in overtime.values()}
    for (slug, code) in sorted(todo - stopped):  # an area with a stopped product is tried again
        store.put(f"{slug}.{code}", area_keys[slug, code],
                  [_written(job, fitted) for job in jobs if (job.area, job.lang) == (slug, code)])
    store.save()
    written = known + [_written(job, fitted) for job in jobs if job.key not in overtime]
    for job in sorted(overtime.values(), key=lambda j: j.rel):
        ctx.warnings.append(err(
            "{rel}: the {product} in {lang} was not made: laying it out took longer than "
            "{seconds} s. Look for a very long text in areas/{area}/ (a pasted address or code) "
            "and shorten it", rel=job.rel, product=job.product.label, lang=job.lang,
            seconds=f"{LAYOUT_SECONDS:g}", area=job.area))
    warned: set[str] = set()
    for _rel, _key, warning, _first in written:
        if warning and warning not in warned:  # a layout and its trimmed twin: one warning
            warned.add(warning)
            if warning.startswith(NOTE):
                ctx.log(warning.removeprefix(NOTE))
            else:
                ctx.warnings.append(warning)
    return PrintPlan(written, sum(len(m) for m in layouts.values()), len(layouts),
                     links, registry, new, cache)


def build_print(ctx: BuildContext, workers: int | None = None) -> None:
    """Write ``site/print/<area>/<lang>/*.pdf`` and ``site/q/<code>/`` for every short link.

    ``workers`` processes render the PDFs (default :data:`WORKERS`, else one per core).

    A product that does not fit is fitted (:mod:`.fitting`) and reported in ``ctx.warnings``.
    """
    plan = plan_print(ctx, workers)
    cache = plan.cache
    # Everything rendered: only now are the previous print files and redirects replaced (a
    # partial build starts from a copy of the previous site: nothing stale may survive).
    for stale in ("print", "q"):
        shutil.rmtree(ctx.out / stale, ignore_errors=True)
    for rel, key, _warning, _first in plan.written:
        dest = outputs.inside(ctx.out, rel)
        dest.unlink(missing_ok=True)  # a cache file is linked in, never written through
        outputs.link(cache / f"{key}.pdf", dest)
    # A product known from its area's entry keeps its ``.fit`` record too: the next build
    # whose area entries miss (another day, a changed setting) finds the fitted layout
    # through it instead of fitting the product again.
    used = ({f"{key}.pdf" for _rel, key, _warning, _first in plan.written}
            | {f"{first}.fit" for _rel, _key, _warning, first in plan.written if first})
    for old in (*cache.glob("*.pdf"), *cache.glob("*.fit")):
        if old.name not in used and not _leads_to_used(old, used):
            old.unlink()

    # Everything rendered: only now may the build write into the project.
    append_to_registry(ctx.root, plan.new)
    full = {**plan.registry, **{link.code: link for link in plan.new}}
    titles = {lang.code: (ctx.translators[lang.code].gettext("Read more on the area's page"),
                          lang.html_lang) for lang in ctx.config.languages}
    redirects = write_redirects(ctx.out, full, ctx.published_pages(), titles)
    ctx.log(err("print: {pdfs} PDFs ({made} rendered, {cached} from cache) from {layouts} "
                "layouts, {links} short links, {new} new code(s) in qr-codes.yaml",
                pdfs=len(plan.written), made=plan.rendered,
                cached=len(plan.written) - plan.rendered, layouts=plan.layouts,
                links=redirects, new=len(plan.new)))


def _leads_to_used(record: Path, used: set[str]) -> bool:
    """Whether ``record`` is a fitting record (``<key>.fit``) whose fitted PDF is still used.

    An area taken whole from the cache knows its products by their fitted PDFs only; their
    records must stay, or losing one PDF of the area later renders its fitted products again.
    """
    if record.suffix != ".fit":
        return False
    try:
        fitted = record.read_text(encoding="utf-8").split("\n", 1)[0]
    except OSError:
        return False
    return f"{fitted}.pdf" in used


def run_print(ctx: BuildContext, workers: int | None = None) -> set[str] | None:
    """The print stage: every print product (:func:`build_print`), the paper-vote tally
    sheets beside them, the area-selection report and the areas' evaluations.

    Returns:
        None: the stage writes many files of many kinds (the folder is walked).
    """
    from .evaluation import build_evaluation_reports
    from .selection import build_selection_report
    from .tally import write_tally_templates

    try:
        build_print(ctx, workers)
    except Exception as exc:  # noqa: BLE001 - reported; print never stops the site
        # build_print replaces print/ and q/ only once everything rendered, so the previous
        # products and redirects are still in place.
        ctx.warnings.append(f"print: the printed products were not made ({exc}); the "
                            "previous ones are kept")
    write_tally_templates(ctx)
    build_selection_report(ctx)
    build_evaluation_reports(ctx)
    return None
