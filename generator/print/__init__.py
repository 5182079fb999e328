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
``handout-a4.pdf``         A4    the situation picture: key figures, themes, plans
``ballot-a4.pdf``          A4    paper ballot (while voting is current or upcoming)
``results-a4.pdf``         A4    results and their implementation (once votes exist)
=========================  ====  =====================================================

Every product is one page; a text that pushes it onto a second page stops the build with an
error naming the area, the language and the field(s) to shorten. Each product carries a QR
code of its short link (:mod:`generator.shortlinks`); ``site/q/<code>/`` redirect pages are
written for every registered code, and new codes are appended to ``qr-codes.yaml`` once every
PDF rendered. Templates are looked up in ``theme/print/`` first, then in this package's
``templates/``. Rendered PDFs are cached in ``.lahio-cache/print/`` by the hash of their HTML,
their stylesheet, the fonts and the WeasyPrint version, so an unchanged product is copied, not
rendered.

Speed: products are rendered in forked worker processes, one per core; each worker keeps its
fonts and parsed stylesheets from one product to the next (:mod:`.render`). A product's
``<style>`` is passed to the engine beside its HTML instead of inside it: products of one size
and language share it, and it is parsed once per worker instead of once per product. A poster
or flyer and its ``-bleed`` file are one layout written twice: the office-printer file is the
print-shop file with its media box cut to the trim box (:func:`.render.without_bleed`), so
templates may use ``doc.bleed`` only for what lies in the bleed (``@page`` bleed and marks, a
band running out), never to lay out the page differently.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import re
import shutil
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from ..errors import LahioError
from ..i18n import Localized, Translator
from ..shortlinks import (ShortLink, Wanted, append_to_registry, assign_codes, load_registry,
                          short_url, write_redirects)
from ..templating import PRINT_TEMPLATES, make_env
from ..views.area import AreaView
from ..views.text import Rich
from ..views.urls import area_path
from .hyphen import hyphenate_markup
from ..render.qr import MIN_WIDTH_MM, qr_data_uri
from ..render.pdf import WEASYPRINT_VERSION, Rendered, count_pages, render_document

if TYPE_CHECKING:
    from ..context import BuildContext

TEMPLATES = PRINT_TEMPLATES
#: Page sizes in millimetres (ISO 216).
SIZES = {"A6": (105, 148), "A5": (148, 210), "A4": (210, 297), "A3": (297, 420)}
#: Body text size per paper size: never below 12 pt, larger where it is read from afar.
BASE_PT = {"A6": 12, "A5": 12, "A4": 16, "A3": 22}
MARGIN_MM = {"A6": 6, "A5": 8, "A4": 14, "A3": 18}
#: Printed QR width, quiet zone included: a little above :data:`qr.MIN_WIDTH_MM`.
QR_MM = {"A6": 32, "A5": 42, "A4": 66, "A3": 96}
#: Font files whose change must invalidate the cache (the families the templates name).
FONT_GLOBS = ("/usr/share/fonts/truetype/noto/NotoSans-*.ttf",
              "/usr/share/fonts/truetype/noto/NotoSansArabic-*.ttf")
#: Channels registered for every area × language. ``social`` is used by the channel stage.
CHANNELS = ("poster", "flyer", "handout", "ballot", "results", "social")
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
        out += [Product(f"{name}{suffix}", "notice.html", size, channel, f"{size} {channel}",
                        detail, bleed, trim_of=twin and f"{name}{twin}")
                for name, size, channel, detail in (("poster-a3", "A3", "poster", 2),
                                                    ("poster-a4", "A4", "poster", 2),
                                                    ("flyer-a5", "A5", "flyer", 1),
                                                    ("flyer-a6", "A6", "flyer", 0))]
    out.append(Product("flyer-a6-4up-a4", "sheet.html", "A4", "flyer", "A4 sheet of A6 flyers",
                       0, qr_size="A6"))
    out.append(Product("handout-a4", "handout.html", "A4", "handout", "A4 handout", 2))
    rnd = area.round
    if rnd is not None and rnd.vote_ahead is not None:
        out.append(Product("ballot-a4", "ballot.html", "A4", "ballot", "A4 ballot", 2))
    if rnd is not None and rnd.has_results:
        out.append(Product("results-a4", "results.html", "A4", "results", "A4 results poster", 2))
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

    def __init__(self, html_lang: str, blank: frozenset[tuple[str, str]] = frozenset()) -> None:
        self.html_lang = html_lang
        self.blank = blank
        self.seen: dict[tuple[str, str], int] = {}

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
        if (file, key) in self.blank:
            return Markup("")
        if lang == "fi":
            html = hyphenate_markup(html)
        if lang != self.html_lang:
            # A Finnish fallback inside another language: screen readers switch voice.
            tag = "div" if isinstance(value, Rich) else "span"
            return Markup('<{0} lang="{1}" dir="ltr">{2}</{0}>').format(Markup(tag), lang, html)
        return Markup(html)


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
    rerender: Callable[[frozenset[tuple[str, str]]], str]
    trim: bool = False  # the layout's PDF without its bleed
    key: str = ""


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
    }


def _link(ctx: BuildContext, tr: Translator, link: ShortLink, size: str) -> dict[str, Any]:
    url = short_url(ctx.config.site_url, link.code)
    return {"url": url, "text": url.removeprefix("https://").removeprefix("http://"),
            "qr": qr_data_uri(url), "alt": f"QR: {url}",
            "width_mm": max(QR_MM[size], MIN_WIDTH_MM[size])}


def _doc(product: Product, title: str, lang_html: str, direction: str,
         margin: float | None = None) -> dict[str, Any]:
    size = product.size
    return {"size": size, "title": title, "html_lang": lang_html, "dir": direction,
            "margin": MARGIN_MM[size] if margin is None else margin,
            "base": BASE_PT[size], "bleed": product.bleed, "bleed_mm": 3 if product.bleed else 0,
            "width": SIZES[size][0], "height": SIZES[size][1]}


def build_jobs(ctx: BuildContext, links: dict[tuple[str, str, str], ShortLink]) -> list[Job]:
    """Render every product's HTML (cheap); the PDFs are made by :func:`build_print`."""
    dirs = [d for d in (ctx.root / "theme" / "print", TEMPLATES) if d.is_dir()]
    jobs: list[Job] = []
    for lang in ctx.config.languages:
        tr = ctx.translators[lang.code]
        env = make_env(dirs, tr)
        for area in ctx.area_views(lang.code):
            base = _context(ctx, area, tr, links)
            products = products_for(area)
            made: dict[str, Job] = {}
            # Products laid out for themselves first, then those trimmed from their layouts.
            for product in sorted(products, key=lambda p: bool(p.trim_of)):
                rel = f"print/{area.slug}/{lang.code}/{product.name}.pdf"
                if product.trim_of:
                    twin = made[product.trim_of]
                    made[product.name] = Job(rel, twin.html, twin.css, area.slug, lang.code,
                                             product, twin.fields, twin.rerender, trim=True)
                    continue
                link = links[(area.slug, product.channel, lang.code)]
                qr_size = product.qr_size or product.size
                margin = MARGIN_MM[qr_size] if product.qr_size else None
                title = f"{area.name} – {tr.gettext('Neighbourhood programme')}"
                page = {**base, "link": _link(ctx, tr, link, qr_size), "detail": product.detail,
                        "doc": _doc(product, title, lang.html_lang, lang.dir, margin),
                        "cell": {"size": qr_size, "base": BASE_PT[qr_size]}}
                template = env.get_template(product.template)

                def rerender(blank: frozenset[tuple[str, str]], template: Any = template,
                             page: dict[str, Any] = page, html_lang: str = lang.html_lang,
                             sink: dict[tuple[str, str], int] | None = None) -> str:
                    f = Fields(html_lang, blank)
                    html = template.render(**page, f=f)
                    if sink is not None:
                        sink.update(f.seen)
                    return html

                seen: dict[tuple[str, str], int] = {}
                html, css = split_style(rerender(frozenset(), sink=seen))
                made[product.name] = Job(rel, html, css, area.slug, lang.code, product, seen,
                                         rerender)
            jobs += [made[product.name] for product in products]
    return jobs


def font_fingerprint() -> str:
    """Names and sizes of the font files the templates use (a font update renders again)."""
    h = hashlib.sha256()
    for pattern in FONT_GLOBS:
        folder, _sep, glob = pattern.rpartition("/")
        for path in sorted(Path(folder).glob(glob)):
            h.update(f"{path.name}:{path.stat().st_size}\n".encode())
    return h.hexdigest()


def cache_key(html: str, css: str, fonts: str, trim: bool = False) -> str:
    """The cache key of a product: the HTML laid out (templates, data and QR are all in it),
    its stylesheet, whether the bleed is cut off, the fonts and the WeasyPrint version."""
    h = hashlib.sha256()
    for part in (WEASYPRINT_VERSION, fonts, "trim" if trim else "", css, html):
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


#: One layout to make: HTML, stylesheet, and whether its PDF without bleed is wanted too.
Layout = tuple[str, str, bool]


def _render_one(layout: Layout) -> Rendered:
    html, css, trimmed = layout
    # One page or nothing: an overflowing product is reported, its PDF never written.
    return render_document(html, stylesheets=(css,), max_pages=1, trimmed=trimmed)


def default_workers() -> int:
    """One worker per core this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _worker_start() -> None:
    # The heap inherited from the build (views, templates) never becomes garbage in a worker:
    # keep the cycle collector off it (scanning it costs time and copies its pages), and
    # let a layout's many short-lived objects pile up longer between collections.
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


def _work(layout: Layout) -> float:
    # Laying out costs about as much as writing one PDF; the HTML's length stands for both.
    return len(layout[0]) * (2 + layout[2])


def render_all(sources: list[Layout], workers: int | None = None) -> list[Rendered]:
    """Render layouts, in ``workers`` processes (default :data:`WORKERS`, else one per core)
    when there are enough of them; results in the order of ``sources``."""
    workers = workers or WORKERS or default_workers()
    if workers < 2 or len(sources) < 4:
        return [_render_one(s) for s in sources]
    # Most work first, one at a time: the workers finish together instead of one waiting
    # for the other's last big sheet.
    order = sorted(range(len(sources)), key=lambda i: -_work(sources[i]))
    results: list[Rendered | None] = [None] * len(sources)
    # fork: workers inherit the imported WeasyPrint (no re-import cost); each then sets up
    # its own fonts once and keeps them for all the products it renders.
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                             initializer=_worker_start) as pool:
        for i, result in zip(order, pool.map(_render_one, [sources[i] for i in order]),
                             strict=True):
            results[i] = result
    return results  # type: ignore[return-value]


def _split(html: str) -> tuple[str, None, tuple[str]]:
    body, css = split_style(html)
    return body, None, (css,)


def diagnose_overflow(job: Job) -> str:
    """Name the data field(s) that push ``job`` onto a second page.

    Each field the product shows is emptied in turn (longest first); a field whose removal
    makes the product fit is a culprit. When no single field is, the longest ones are named.
    """
    where = f"areas/{job.area}"
    candidates = sorted(job.fields.items(), key=lambda kv: (-kv[1], kv[0]))[:8]
    culprits = [(k, n) for k, n in candidates
                if count_pages(*_split(job.rerender(frozenset({k})))) == 1]
    named = culprits or candidates[:3]
    lines = [f"{where}/{file}: {key} ({job.lang}, {n} characters)" for (file, key), n in named]
    how = ("shorten it" if len(named) == 1 and culprits else
           "shorten one of these" if culprits else "these together are too long; shorten them")
    return (f"the {job.product.label} of {job.area} in {job.lang} ({job.rel}) does not fit on "
            f"one page; {how}:\n    " + "\n    ".join(lines))


def build_print(ctx: BuildContext, workers: int | None = None) -> None:
    """Write ``site/print/<area>/<lang>/*.pdf`` and ``site/q/<code>/`` for every short link.

    ``workers`` processes render the PDFs (default :data:`WORKERS`, else one per core).

    Raises:
        LahioError: a product does not fit on one page (every such product is listed with the
            fields to shorten); nothing is written into the project then.
    """
    # A partial build starts from a copy of the previous site: drop its print files and
    # redirects so that nothing stale survives (a removed area, a product no longer made).
    for stale in ("print", "q"):
        shutil.rmtree(ctx.out / stale, ignore_errors=True)
    registry = load_registry(ctx.root)
    wanted = [Wanted(area.slug, channel, lang, channel_target(area.slug, channel, lang))
              for lang in ctx.config.codes for area in ctx.area_views(lang)
              for channel in CHANNELS]
    links, new = assign_codes(registry, wanted)
    jobs = build_jobs(ctx, links)

    cache = ctx.root / ".lahio-cache" / "print"
    cache.mkdir(parents=True, exist_ok=True)
    fonts = font_fingerprint()
    # The layouts to make: one per distinct HTML and stylesheet with a PDF not cached, with
    # every product written from it (in build order: the first names an overflow). Both PDFs
    # of a layout come out of one render, also when one of them is cached (it is the same).
    layouts: dict[tuple[str, str], dict[str, Job]] = {}
    for job in jobs:
        job.key = cache_key(job.html, job.css, fonts, job.trim)
        if not (cache / f"{job.key}.pdf").exists():
            layouts.setdefault((job.html, job.css), {})
    for job in jobs:
        if (job.html, job.css) in layouts:
            layouts[(job.html, job.css)].setdefault(job.key, job)
    rendered = render_all([(html, css, any(j.trim for j in made.values()))
                           for (html, css), made in layouts.items()], workers)
    problems = []
    for made, result in zip(layouts.values(), rendered, strict=True):
        if result.pages != 1:
            problems.append(diagnose_overflow(next(iter(made.values()))))
            continue
        for key, job in made.items():
            tmp = cache / f".{key}.tmp"
            tmp.write_bytes(result.trimmed if job.trim else result.pdf)
            tmp.replace(cache / f"{key}.pdf")
    if problems:
        raise LahioError(f"{len(problems)} printed product(s) do not fit on one page:\n  "
                         + "\n  ".join(problems))

    for job in jobs:
        dest = ctx.out / job.rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(cache / f"{job.key}.pdf", dest)
    used = {f"{job.key}.pdf" for job in jobs}
    for old in cache.glob("*.pdf"):
        if old.name not in used:
            old.unlink()

    # Everything rendered: only now may the build write into the project.
    append_to_registry(ctx.root, new)
    full = {**registry, **{link.code: link for link in new}}
    published = {(area.slug, lang) for lang in ctx.config.codes
                 for area in ctx.area_views(lang)}
    titles = {lang.code: (ctx.translators[lang.code].gettext("Read more on the area's page"),
                          lang.html_lang) for lang in ctx.config.languages}
    redirects = write_redirects(ctx.out, full, published, titles)
    drawn = sum(len(m) for m in layouts.values())
    ctx.log(f"print: {len(jobs)} PDFs ({drawn} rendered, {len(jobs) - drawn} from cache) from "
            f"{len(layouts)} layouts, {redirects} short links, {len(new)} new code(s) in "
            f"qr-codes.yaml")


def run_print(ctx: BuildContext, workers: int | None = None) -> set[str] | None:
    """The print stage: every print product (:func:`build_print`), the paper-vote tally
    sheets beside them, the area-selection report and the areas' evaluations.

    Returns:
        None: the stage writes many files of many kinds (the folder is walked).
    """
    from .evaluation import build_evaluation_reports
    from .selection import build_selection_report
    from .tally import write_tally_templates

    build_print(ctx, workers)
    write_tally_templates(ctx)
    build_selection_report(ctx)
    build_evaluation_reports(ctx)
    return None
