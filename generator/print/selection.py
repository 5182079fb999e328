"""The area-selection report as a printable A4 PDF for decision-makers, one per language.

``site/print/selection/<lang>/selection-report.pdf``: the same view and the same page body as
the web page ``<lang>/valinta/`` (so the two can never disagree), laid out for A4 paper with
the date of the build and the source credit on every page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from .. import outputs
from ..cache import Store, digest
from ..templating import PAGE_TEMPLATES, make_env
from ..views.selection import SELECTION_PATH, selection_key, selection_view

if TYPE_CHECKING:
    from ..context import BuildContext

_CSS = """
@page { size: A4; margin: 16mm 16mm 26mm;
  @bottom-left { content: string(credit); font-size: 8pt; color: #333; }
  @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; } }
html { font-family: "DejaVu Sans", "Noto Sans", sans-serif; font-size: 9.5pt; line-height: 1.35;
  color: #111; }
h1 { font-size: 17pt; margin: 0 0 4mm; } h2 { font-size: 12pt; margin: 6mm 0 2mm; }
.credit { string-set: credit content(); font-size: 8pt; color: #333; }
.lahio-crumbs { display: none; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0; page-break-inside: auto; }
tr { page-break-inside: avoid; }
caption { text-align: start; font-weight: bold; padding-bottom: 1mm; }
th, td { border: 0.4pt solid #777; padding: 1mm 1.5mm; text-align: start; vertical-align: top;
  hyphens: auto; overflow-wrap: break-word; }
/* Every indicator's column and the planned investments must fit the width of A4. */
table { font-size: 8.5pt; }
/* "value · points" on one line: broken, a right-to-left page would reorder its parts. */
td.lahio-selection__figure { white-space: nowrap; }
/* A short table is kept whole, its caption with it. */
.lahio-selection__investments { page-break-inside: avoid; }
thead th { background: #e8eef5; }
.lahio-selection__top th, .lahio-selection__top td { background: #fde9d9; }
.lahio-figure__meta { font-size: 8pt; color: #333; }
/* 21 bars at full width would run over a page: a narrower chart keeps it on one. */
svg.lahio-chart { width: 58%; display: block; page-break-inside: avoid; }
a { color: inherit; text-decoration: none; }
"""


def render_selection_html(ctx: BuildContext, lang: str) -> str | None:
    """The report as a complete HTML document in ``lang`` (None without ``selection.yaml``)."""
    tr = ctx.translators[lang]
    view = selection_view(ctx.programme, tr, ctx.root / ".lahio-cache" / "selection-views")
    if view is None:
        return None
    env = make_env([PAGE_TEMPLATES], tr)
    base = f"{ctx.config.site_url}{lang}/"
    body = env.get_template("selection.html").render(
        sel=view, link=lambda to: base + to, pdf=None)
    _ = tr.gettext
    title = _("Area selection by welfare data")
    # Latin-script parts are isolated left to right, so that an Arabic page never reorders
    # "CC BY 4.0" or the address.
    ltr = Markup('<bdi dir="ltr">{}</bdi>').format
    credit = Markup(" · ").join([
        ltr(ctx.config.organisation), escape(title), escape(tr.date(ctx.today)),
        Markup("{}: {} ({})").format(_("Source"), view.source.text, ltr(view.licence)),
        ltr(f"{base}{SELECTION_PATH}")])
    language = tr.language
    return (f'<!DOCTYPE html><html lang="{escape(language.html_lang)}" '
            f'dir="{escape(language.dir)}"><head><meta charset="utf-8">'
            f"<title>{escape(title)} – {escape(ctx.config.organisation)}</title>"
            f"<style>{_CSS}</style></head><body>"
            f'<p class="credit">{credit}</p>{Markup(body)}</body></html>')


def build_selection_report(ctx: BuildContext) -> None:
    """Write ``print/selection/<lang>/selection-report.pdf`` for every language.

    Each PDF is kept in ``.lahio-cache/selection/`` by a hash of what its HTML is made of
    (the selection view's inputs, the configuration, the build date; the generator's code,
    templates and catalogs are in every entry's key), the fonts and the PDF engine's version:
    an unchanged report is neither laid out nor rendered again.
    """
    from . import font_fingerprint, weasyprint_version

    if ctx.programme.selection is None:
        return
    store = Store(ctx.root / ".lahio-cache" / "selection")
    engine = digest(str(ctx.root), repr(ctx.config), ctx.today.isoformat(), font_fingerprint(),
                    weasyprint_version())
    for lang in ctx.translators:
        key = digest(engine, lang, selection_key(ctx.programme, ctx.translators[lang]))
        pdf = store.get(lang, key)
        if not isinstance(pdf, bytes):
            html = render_selection_html(ctx, lang)
            if html is None:
                return
            from ..render.pdf import render_pdf  # the PDF engine only when something is drawn

            pdf = render_pdf(html, base_url=str(ctx.root))
            store.put(lang, key, pdf)
        outputs.write(ctx.out, f"print/selection/{lang}/selection-report.pdf", pdf)
    store.save()
