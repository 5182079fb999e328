"""The evaluation of an area's programme year as one tagged A4 page, one per language.

``site/print/<area>/<lang>/evaluation-a4.pdf``: the same view and the same body as the web page
``<lang>/<area>/evaluation/`` (so the two never disagree), laid out to attach to a board
agenda: the figures at the start and at the end, participation by channel, the money and the
decisions.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from .. import outputs
from ..cache import Store, digest
from ..templating import PAGE_TEMPLATES, make_env
from ..views.area import development_year_path, format_measure
from ..views.process import build_process_view
from ..views.text import plain
from ..views.urls import area_path

if TYPE_CHECKING:
    from ..context import BuildContext

_CSS = """
@page { size: A4; margin: 14mm 16mm 16mm; }
html { font-family: "DejaVu Sans", "Noto Sans", sans-serif; font-size: 9pt; line-height: 1.3;
  color: #111; }
h1 { font-size: 16pt; margin: 0 0 3mm; } h2 { font-size: 11pt; margin: 4mm 0 1.5mm; }
ul { margin: 0; padding-inline-start: 5mm; } p { margin: 1mm 0; }
.credit { font-size: 7.5pt; color: #333; }
table { border-collapse: collapse; width: 100%; margin: 1mm 0; }
caption { text-align: start; font-weight: bold; padding-bottom: 1mm; }
th, td { border: 0.4pt solid #777; padding: 0.7mm 1.5mm; text-align: start; vertical-align: top; }
thead th { background: #e8eef5; }
.lahio-figure__meta { font-size: 7.5pt; color: #333; }
.lahio-fallback { font-size: 7.5pt; }
a { color: inherit; text-decoration: none; }
"""


def render_evaluation_html(ctx: BuildContext, slug: str, lang: str,
                           year: int | None = None) -> str | None:
    """The evaluation as a complete HTML document (None when the area has none).

    ``year``: an archived development year's (``archive/<year>/process.yaml``) instead of
    the current year's; its credit line names that year's page (``evaluation/<year>/``).
    """
    data = ctx.programme.area(slug)
    tr = ctx.translators[lang]
    if data is None:
        return None
    past = next((p for p in data.past_processes if p.year == year), None)
    if year is not None and past is None:
        return None
    process = build_process_view(data, tr, ctx.today, format_measure, past)
    if process is None or process.evaluation is None:
        return None
    ev = process.evaluation
    env = make_env([PAGE_TEMPLATES], tr)
    base = f"{ctx.config.site_url}{lang}/"
    area = SimpleNamespace(process=process)
    body = env.get_template("_evaluation_body.html").render(ev=ev, area=area,
                                                             link=lambda to: base + to)
    _ = tr.gettext
    name = plain(tr, data.area.name)
    title = _("Evaluation %(year)s") % {"year": ev.year}
    ltr = Markup('<bdi dir="ltr">{}</bdi>').format
    credit = Markup(" · ").join([
        ltr(ctx.config.organisation), escape(tr.date(ctx.today)),
        ltr(f"{base}{area_path(slug, 'evaluation')}" if past is None
            else f"{base}{development_year_path(slug, past.year)}")])
    example = ""
    if data.area.example or ctx.config.sample:
        example = Markup('<p class="lahio-figure__meta">{}</p>').format(_(
            "Example: only the Paavo statistics (residents, age, employment, income, housing) "
            "are real. The texts, plans, projects, events, proposals, votes and turnout are made "
            "up."))
    # Through the page templates' text helper: a text not yet translated is marked as Finnish
    # and says so, as on the web page.
    summary = env.from_string("{% if s %}<p>{{ t(s) }}</p>{% endif %}").render(s=ev.summary)
    head = env.from_string("<h1>{{ title }}: {{ t(name) }}</h1>").render(title=title, name=name)
    language = tr.language
    return (f'<!DOCTYPE html><html lang="{escape(language.html_lang)}" '
            f'dir="{escape(language.dir)}"><head><meta charset="utf-8">'
            f"<title>{escape(title)} – {escape(name.text if name else slug)}</title>"
            f"<style>{_CSS}</style></head><body>"
            f'<p class="credit">{credit}</p>{head}{example}{Markup(summary)}{Markup(body)}'
            "</body></html>")


def build_evaluation_reports(ctx: BuildContext) -> int:
    """Write ``print/<area>/<lang>/evaluation-a4.pdf`` for every area with an evaluation, and
    ``evaluation-<year>-a4.pdf`` for every development year with one: the current year's
    (the same PDF, at the address it keeps once the year is archived) and the archived ones'.

    Each PDF is kept in ``.lahio-cache/evaluation/`` by a hash of what its HTML is made of:
    the area's input files (with the generator's code, templates and catalogs: see
    :attr:`generator.data.model.Programme.sources`), the configuration, the build date and the
    language; and of the fonts and the PDF engine's version. An unchanged evaluation is
    neither rendered nor laid out again (its HTML would load every language's date formats).
    """
    from . import font_fingerprint, weasyprint_version

    store = Store(ctx.root / ".lahio-cache" / "evaluation")
    engine = digest(str(ctx.root), font_fingerprint(), weasyprint_version(), repr(ctx.config),
                    ctx.today.isoformat())
    sources = dict(ctx.programme.sources)
    written = 0
    for slug in ctx.programme.slugs:
        data = ctx.programme.area(slug)
        if data is None:
            continue
        # (year of the PDF, archived year or None for the current one, its file names)
        years: list[tuple[int | None, list[str]]] = []
        if data.process is not None and data.process.evaluation is not None:
            years.append((None, ["evaluation-a4.pdf",
                                 f"evaluation-{data.process.year}-a4.pdf"]))
        years += [(p.year, [f"evaluation-{p.year}-a4.pdf"]) for p in data.past_processes
                  if p.evaluation is not None]
        for year, names in years:
            for lang in ctx.translators:
                name = f"{slug}.{lang}" if year is None else f"{slug}.{year}.{lang}"
                source = sources.get(slug)
                key = digest(engine, source, lang, str(year)) if source else None
                pdf = store.get(name, key) if key else None
                if not isinstance(pdf, bytes):
                    html = render_evaluation_html(ctx, slug, lang, year)
                    if html is None:
                        continue
                    from ..render.pdf import render_pdf  # the PDF engine only when it draws

                    pdf = render_pdf(html, base_url=str(ctx.root))
                    store.put(name, key or digest(engine, html), pdf)
                for file in names:
                    outputs.write(ctx.out, f"print/{slug}/{lang}/{file}", pdf)
                    written += 1
    store.save()
    return written
