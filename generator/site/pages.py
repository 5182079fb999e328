"""Render one language's pages into Markdown files (engine-neutral: front matter + HTML body)."""

from __future__ import annotations

import datetime as dt
import json
import pickle
from collections.abc import Iterator, Mapping, Sequence
import hashlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from ..cache import Store, digest, folder_fingerprint
from ..views.pagemeta import area_page_meta, events_jsonld, general_page_meta
from ..context import LanguageTree
from ..data.config import Config
from ..data.model import AreaData, Page, Programme
from ..i18n import Localized, Translator
from ..views.area import AreaView, build_area_view
from ..views.markdown import render_markdown
from ..views import urls
from ..views.selection import SELECTION_PATH, selection_view
from ..views.urls import area_path, page_url, relative, to_root
from ..templating import PAGE_TEMPLATES, make_env
from .search import SEARCH_PAGE

TEMPLATES = PAGE_TEMPLATES

#: General pages linked from every page's footer, in this order, when they exist.
FOOTER_PAGES = ("osallistu", "tietosuoja", "saavutettavuus")


@dataclass(frozen=True, slots=True)
class PageLink:
    path: str
    title: Localized


class Pages(Mapping[str, str]):
    """Page texts by docs-relative path, in the order added; a cached area's pages stay
    pickled until one is read.

    The engine reads a page's text only to render it, and a rebuild renders only changed
    pages (their hashes decide), so most cached areas' pages are never unpickled.
    """

    def __init__(self) -> None:
        self._where: dict[str, int] = {}      # path -> index into _blobs (-1: in _texts)
        self._texts: dict[str, str] = {}
        self._blobs: list[bytes | None] = []

    def add(self, texts: Mapping[str, str]) -> None:
        for rel, text in texts.items():
            self._where[rel] = -1
            self._texts[rel] = text

    def add_pickled(self, paths: Sequence[str], blob: bytes) -> None:
        """Pages pickled as one ``{path: text}`` dict, whose paths are ``paths``."""
        self._blobs.append(blob)
        for rel in paths:
            self._where[rel] = len(self._blobs) - 1
            self._texts.pop(rel, None)

    def __getitem__(self, rel: str) -> str:
        text = self._texts.get(rel)
        if text is not None:
            return text
        i = self._where[rel]
        blob = self._blobs[i] if i >= 0 else None
        if blob is None:
            raise KeyError(rel)
        for path, value in pickle.loads(blob).items():  # noqa: S301 - the build's own cache
            if self._where.get(path) == i:
                self._texts[path] = value
        self._blobs[i] = None
        return self._texts[rel]

    def __iter__(self) -> Iterator[str]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)

    def __contains__(self, rel: object) -> bool:
        return rel in self._where


def _front(title: str, **meta: object) -> str:
    lines = ["---", f"title: {json.dumps(title, ensure_ascii=False)}"]
    for key, value in meta.items():
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def _body(html: str) -> str:
    # One top-level block of HTML: Markdown engines pass it through untouched. Blank lines are
    # removed so that no engine can end the block early and read the rest as Markdown.
    return "\n".join(line for line in html.splitlines() if line.strip()) + "\n"


def page_for(pages: list[Page], name: str, lang: str) -> tuple[Page | None, bool]:
    """The page ``name`` in ``lang``, or its Finnish version (fallback=True)."""
    own = next((p for p in pages if p.name == name and p.lang == lang), None)
    if own:
        return own, False
    fi = next((p for p in pages if p.name == name and p.lang == "fi"), None)
    return fi, fi is not None


def page_hash(text: str) -> str:
    """What decides whether a page must be rendered again: a hash of its text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _area_pages(view: AreaView, env: jinja2.Environment, config: Config) -> dict[str, str]:
    """An area's pages (overview and sub-pages) in one language, by docs-relative path."""
    files = {}
    present = {item.path for item in view.nav}
    own = config.language(view.lang).html_lang
    html_langs = (own, *(lg.html_lang for lg in config.languages))
    for page in urls.AREA_PAGES:
        sub, template = page.sub, page.template
        path = area_path(view.slug, sub)
        if path not in present:
            continue
        md_path = f"{view.slug}/index.md" if not sub else f"{view.slug}/{sub}.md"
        title = next(i.label for i in view.nav if i.path == path)
        page_title = view.name.text if not sub else f"{title}: {view.name.text}"
        files[md_path] = _front(page_title, **area_page_meta(
            view, config.site_url, config.site_name, sub, html_langs)) + _body(
            env.get_template(template).render(
                area=view, link=lambda to, here=path: relative(here, to),
                events_jsonld=events_jsonld(view, config.site_url) if sub == "events"
                else "", follow=follow_links(view, config) if not sub else None,
                root=to_root(path),
                pdf=to_root(path) + evaluation_pdf(view.slug, view.lang)))
    files.update(_year_pages(view, env, config, html_langs))
    files.update(_development_year_pages(view, env, config, html_langs))
    return files


def evaluation_pdf(slug: str, lang: str, year: int | None = None) -> str:
    """The evaluation's A4 PDF under the site root: ``print/neulamaki/fi/evaluation-a4.pdf``
    for the current year, ``…/evaluation-2023-a4.pdf`` for a year's own (made for the
    current year too, so that its address stays when the year is archived)."""
    name = f"evaluation-{year}-a4.pdf" if year is not None else "evaluation-a4.pdf"
    return f"print/{slug}/{lang}/{name}"


def _development_year_pages(view: AreaView, env: jinja2.Environment, config: Config,
                            html_langs: tuple[str, ...]) -> dict[str, str]:
    """Every development year at its own address, ``neulamaki/evaluation/2023/``, as the
    budgeting years (:func:`_year_pages`): the current year's evaluation is at both (its year
    page names ``evaluation/`` as the canonical one), an archived year at its year only, with
    its phases and what we heard beside the evaluation."""
    files = {}
    past = dict(view.past_processes)
    for y in view.development_years:
        if y.current and (view.process is None or view.process.evaluation is None):
            continue  # its phases are on the area page until the evaluation is written
        area = view if y.current else replace(view, process=past[y.year])
        meta = area_page_meta(view, config.site_url, config.site_name, f"evaluation/{y.year}",
                              html_langs)
        if y.current:
            meta["lahio_canonical"] = page_url(config.site_url, view.lang,
                                               area_path(view.slug, "evaluation"))
        files[f"{y.path.rstrip('/')}.md"] = _front(f"{y.title}: {view.name.text}", **meta) + \
            _body(env.get_template("evaluation.html").render(
                area=area, year=y, root=to_root(y.path),
                link=lambda to, here=y.path: relative(here, to),
                pdf=to_root(y.path) + evaluation_pdf(view.slug, view.lang, y.year)))
    return files


def canonical_elsewhere(pages: Mapping[str, str]) -> tuple[str, ...]:
    """The pages (docs-relative) whose front matter names another page as the canonical
    address (the current year's ``budget/2025/``): the sitemap lists that one only."""
    return tuple(sorted(rel for rel, text in pages.items()
                        if "\nlahio_canonical: " in text.split("\n---\n", 1)[0]))


def _year_pages(view: AreaView, env: jinja2.Environment, config: Config,
                html_langs: tuple[str, ...]) -> dict[str, str]:
    """Every budgeting year at its own address, ``neulamaki/budget/2023/``, which stays when
    a later round takes ``neulamaki/budget/``: the current round is at both (its year page
    names ``budget/`` as the canonical one), an archived round at its year only."""
    files = {}
    past = dict(view.past_rounds)
    for y in view.years:
        area = view if y.current else replace(view, round=past[y.year])
        title = f"{y.title.text}: {view.name.text}"
        meta = area_page_meta(view, config.site_url, config.site_name, f"budget/{y.year}",
                              html_langs)
        if y.current:
            meta["lahio_canonical"] = page_url(config.site_url, view.lang,
                                               area_path(view.slug, "budget"))
        files[f"{y.path.rstrip('/')}.md"] = _front(title, **meta) + _body(
            env.get_template("budget.html").render(
                area=area, year=y, root=to_root(y.path),
                link=lambda to, here=y.path: relative(here, to)))
    return files


def follow_links(view: AreaView, config: Config) -> dict[str, str]:
    """What an area page's "follow" block offers (see ``templates/_follow.html``).

    The calendar's ``webcal:`` address subscribes a phone's calendar (it is the public
    address with its scheme replaced); the download and the feed are relative links, as the
    channel stage writes them beside the page (``events.ics``, ``feed.xml``).
    """
    split = urlsplit(config.site_url)
    links = {"feed": "feed.xml", "newsletter": config.newsletter_url, "calendar": "",
             "webcal": "", "sms_keyword": "", "sms_number": config.sms_number}
    if view.events:
        links["calendar"] = "events.ics"
        links["webcal"] = f"webcal://{split.netloc}{split.path}{view.lang}/{view.slug}/events.ics"
    if config.sms_keyword:
        links["sms_keyword"] = f"{config.sms_keyword} {view.slug.upper()}"
    return links


@dataclass(frozen=True, slots=True)
class _SearchArea:
    slug: str
    name: Localized
    proposals: tuple[tuple[str, Localized], ...]


class Views(Sequence[AreaView]):
    """Area views kept pickled until one is used.

    The site stage needs only the pages, so the views are kept as the bytes they were cached
    as and unpickled only by a stage that reads them (print, channels).
    """

    def __init__(self, blobs: list[bytes]) -> None:
        self._blobs = blobs
        self._views: list[AreaView | None] = [None] * len(blobs)

    def __len__(self) -> int:
        return len(self._blobs)

    def __getitem__(self, index):  # noqa: ANN001, ANN204 - int or slice, as list does
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        view = self._views[index]
        if view is None:
            view = self._views[index] = pickle.loads(self._blobs[index])  # noqa: S301
        return view

    def __reduce__(self):  # noqa: ANN204 - pickle protocol
        return (Views, (self._blobs,))

    def blob(self, index: int) -> bytes:
        """The pickled view at ``index`` (what later stages key their caches by)."""
        return self._blobs[index]


class AreaCard:
    """An area as the home page lists it: slug, name, postal codes and the coming vote.

    Any other attribute comes from the full view, unpickled on first use, so a project's own
    ``home.html`` may use every attribute of :class:`AreaView`; the generator's template needs
    none of them, and a warm build then unpickles no view at all.
    """

    __slots__ = ("slug", "name", "postal_codes", "round", "_blob", "_view")

    def __init__(self, view: AreaView, blob: bytes) -> None:
        self.slug, self.name, self.postal_codes = view.slug, view.name, view.postal_codes
        self.round = _RoundCard(self, view.round.vote_ahead) if view.round else None
        self._blob, self._view = blob, None

    def full(self) -> AreaView:
        """The full area view (unpickled on first use)."""
        view = self._view
        if view is None:
            view = self._view = pickle.loads(self._blob)  # noqa: S301 - the build's own bytes
        return view

    def __getattr__(self, name: str):  # noqa: ANN204 - whatever the view has
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.full(), name)

    def __reduce__(self):  # noqa: ANN204 - pickle protocol
        return (_card, (self.slug, self.name, self.postal_codes,
                        self.round.vote_ahead if self.round else None, self.round is not None,
                        self._blob))


class _RoundCard:
    __slots__ = ("_card", "vote_ahead")

    def __init__(self, card: AreaCard, vote_ahead: object) -> None:
        self._card, self.vote_ahead = card, vote_ahead

    def __getattr__(self, name: str):  # noqa: ANN204 - whatever the round view has
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._card.full().round, name)


def _card(slug: str, name: Localized, postal_codes: tuple[str, ...], vote_ahead: object,
          has_round: bool, blob: bytes) -> AreaCard:
    card = AreaCard.__new__(AreaCard)
    card.slug, card.name, card.postal_codes = slug, name, postal_codes
    card.round = _RoundCard(card, vote_ahead) if has_round else None
    card._blob, card._view = blob, None
    return card


def area_settings(config: Config, code: str, today: dt.date, template_dirs: list[Path]) -> str:
    """What every area's view and pages in language ``code`` depend on besides the area."""
    return digest(repr(config), code, today.isoformat(),
                  *(folder_fingerprint(d) for d in template_dirs))


def area_entry(data: AreaData, tr: Translator, config: Config, today: dt.date,
               env: jinja2.Environment) -> dict[str, Any]:
    """One area in ``tr``'s language: its view, its home-page card, its pages (each pickled
    and unpickled only when used) and their hashes."""
    view = build_area_view(data, tr, config, today)
    blob = pickle.dumps(view, protocol=pickle.HIGHEST_PROTOCOL)
    pages = _area_pages(view, env, config)
    # What the search page lists of the area: its name and its proposals.
    # (Ideas the review left off the ballot too: the budget page lists them with the reason.)
    ballot = [(p.id, p.title) for p in view.round.proposals] if view.round else []
    left_out = [(p.id, p.title) for p in view.process.left_out] if view.process else []
    search = (view.name, tuple(ballot + left_out))
    # The pictures the pages show: web copy (relative to the site root) → original.
    pictures = {p.src: p.source for p in view.pictures()}
    return {"view": blob, "card": AreaCard(view, blob), "paths": tuple(pages), "search": search,
            "pictures": pictures, "duplicates": canonical_elsewhere(pages),
            "pages": pickle.dumps(pages, protocol=pickle.HIGHEST_PROTOCOL),
            "hashes": {rel: page_hash(text) for rel, text in pages.items()}}


def area_env(tr: Translator, template_dirs: list[Path]) -> jinja2.Environment:
    """The template environment of ``tr``'s pages (the project's templates first)."""
    return make_env([*template_dirs, TEMPLATES], tr)


def area_entries(programme: Programme, config: Config, tr: Translator, today: dt.date,
                 template_dirs: list[Path]) -> dict[str, dict[str, Any]]:
    """Every area's entry (see :func:`area_entry`) in ``tr``'s language, by slug (the build
    takes unchanged ones from its cache instead: see ``build.build_views``)."""
    env = area_env(tr, template_dirs)
    return {data.slug: area_entry(data, tr, config, today, env) for data in programme.areas}


def build_language_tree(programme: Programme, config: Config, tr: Translator,
                        today: dt.date, template_dirs: list[Path],
                        entries: dict[str, dict[str, Any]] | None = None) -> LanguageTree:
    """All pages of one language as Markdown, plus navigation and footer links.

    ``entries``: every area's entry (:func:`area_entries`), when the caller has them already
    (the build takes unchanged ones from its cache); else they are made here.
    """
    env = area_env(tr, template_dirs)
    lang = tr.code
    _ = tr.gettext
    files: dict[str, str] = {}
    if entries is None:
        entries = area_entries(programme, config, tr, today, template_dirs)
    ordered = [entries[slug] for slug in programme.slugs]
    areas = Views([e["view"] for e in ordered])

    # General pages (content/<lang>/*.md, falling back to Finnish with a visible note).
    pages = list(programme.pages)
    names = sorted({p.name for p in pages if p.name != "index"})
    links: list[PageLink] = []
    html_langs = (tr.language.html_lang, *(lg.html_lang for lg in config.languages))
    area_names = [e["card"].name.text for e in ordered]

    def meta(title: str, html: str, path: str) -> dict[str, str]:
        return general_page_meta(title, Markup(html).striptags(), config.site_url,
                                 config.site_name, lang, path, area_names, html_langs)

    for name in names:
        page, fallback = page_for(pages, name, lang)
        if page is None:
            continue
        title = Localized(page.title, "fi" if fallback else tr.language.html_lang, fallback)
        links.append(PageLink(f"{name}/", title))
        note = ""
        html = str(render_content_markdown(page.markdown))
        if fallback:
            message = _("This page has not been translated yet. It is shown in Finnish.")
            note = f'<p class="lahio-note">{Markup.escape(message)}</p>\n'
            html = f'<div lang="fi" dir="ltr">\n{html}\n</div>'
        title_html = (f'<h1><span lang="fi" dir="ltr">{Markup.escape(page.title)}</span></h1>' if fallback
                      else f"<h1>{Markup.escape(page.title)}</h1>")
        files[f"{name}.md"] = _front(page.title, **meta(page.title, html, f"{name}/")) + _body(
            f'<div class="lahio-page lahio-content">\n{title_html}\n{note}{html}\n</div>')

    def link_from(here: str):  # noqa: ANN202 - a template helper
        return lambda to: relative(here, to)

    # Home.
    intro_page, intro_fallback = page_for(pages, "index", lang)
    home_title = intro_page.title if intro_page and not intro_fallback else _(
        "Neighbourhood programme")
    intro = render_content_markdown(intro_page.markdown) if intro_page else None
    files["index.md"] = _front(home_title, **meta(
        home_title, str(intro) if intro else _("Neighbourhood programme"), "")) + _body(
        env.get_template("home.html").render(
            link=link_from(""), title=home_title, areas=[e["card"] for e in ordered],
            intro=intro, intro_fallback=intro_fallback, pages=links))

    hashes: dict[str, str] = {}
    tree_files = Pages()
    tree_files.add(files)
    files = {}
    # Areas and their sub-pages (hashed once, when they were made).
    for entry in ordered:
        tree_files.add_pickled(entry["paths"], entry["pages"])
        hashes.update(entry["hashes"])

    # The area-selection report, when the project has selection.yaml; its PDF is written by
    # the print stage (generator/print/selection.py) at the address linked here.
    selection = selection_view(programme, tr, config.root / ".lahio-cache" / "selection-views")
    extra_nav = []
    if selection is not None:
        sel_title = _("Area selection by welfare data")
        pdf = f"{to_root(SELECTION_PATH)}print/selection/{lang}/selection-report.pdf"
        files[f"{SELECTION_PATH[:-1]}.md"] = _front(sel_title) + _body(
            env.get_template("selection.html").render(
                sel=selection, link=link_from(SELECTION_PATH), pdf=pdf))
        extra_nav.append((sel_title, f"{SELECTION_PATH[:-1]}.md"))

    # The search page: Pagefind's box, and every area and proposal as links without it.
    search_title = _("Search")
    files[f"{SEARCH_PAGE}.md"] = _front(search_title) + _body(
        env.get_template("search.html").render(
            title=search_title, lang=lang, link=link_from(f"{SEARCH_PAGE}/"), pages=links,
            areas=[_SearchArea(e["card"].slug, *e["search"]) for e in ordered]))

    nav = [(home_title, "index.md")] + [(pl.title.text, f"{pl.path[:-1]}.md") for pl in links]
    nav += extra_nav
    # A page shown in Finnish (not yet translated) is linked with its Finnish title, marked as
    # Finnish so that screen readers pronounce it right.
    footer = [(pl.title.text, pl.path, pl.title.lang) for pl in links
              if pl.path[:-1] in FOOTER_PAGES]
    footer.sort(key=lambda item: FOOTER_PAGES.index(item[1][:-1]))
    footer.insert(0, (search_title, f"{SEARCH_PAGE}/", tr.language.html_lang))
    tree_files.add(files)
    for rel in tree_files:  # the general pages, home and selection report
        if rel not in hashes:
            hashes[rel] = page_hash(tree_files[rel])
    area_names = [(e["card"].slug, e["card"].name.text, e["card"].name.lang) for e in ordered]
    pictures = {src: source for e in ordered for src, source in e.get("pictures", {}).items()}
    duplicates = frozenset(rel for e in ordered for rel in e.get("duplicates", ()))
    return LanguageTree(lang, tree_files, nav, footer, areas, hashes, area_names,
                        dict(sorted(pictures.items())), duplicates)


#: Converted general pages by Markdown text (see :func:`keep_content_html`).
_CONTENT_HTML: dict[str, Markup] = {}


def render_content_markdown(text: str) -> Markup:
    """Communicators' Markdown pages: written by the team, rendered without raw HTML too.

    Kept per text: a page not yet translated is the same Finnish text in every language."""
    html = _CONTENT_HTML.get(text)
    if html is None:
        html = _CONTENT_HTML[text] = render_markdown(text)
    return html


def keep_content_html(pages: Sequence[Page], cache: Path) -> None:
    """Take the general pages' HTML from ``cache`` (a folder), converting only changed texts.

    The conversion depends on the text and the generator only (the cache's entries are
    keyed by the generator's code).
    """
    store = Store(cache)
    for text in dict.fromkeys(page.markdown for page in pages):
        name = digest(text)
        html = store.get(name, "html")
        if html is None:
            html = render_markdown(text)
            store.put(name, "html", html)
        _CONTENT_HTML[text] = html
    store.save()
