"""The site stage: the website in every language, the language chooser and the sitemap.

Each language's pages (``ctx.trees``, made by the pipeline's views step) go to the site engine
(:mod:`.interface`; MkDocs and Material in :mod:`.engine`) as soon as they are ready.
"""

from __future__ import annotations

from ..cache import digest, write_file
from ..context import BuildContext, LanguageTree, page_url_of
from ..outputs import write
from ..data.picture import WEB_MAX, copy_for
from ..views.urls import PICTURES_DIR
from ..templating import PAGE_TEMPLATES, make_env
from ..views.pagemeta import general_page_meta
from ..views.urls import hreflang
from .engine import MkDocsEngine
from .interface import EngineFactory
from .pages import page_for
from .search import index_languages

#: The site engine every build and preview uses.
ENGINE: EngineFactory = MkDocsEngine


class SiteStage:
    """The website: each language handed to the site engine as its tree is ready (:meth:`add`),
    then the language chooser and the sitemap (:meth:`run`).

    Unchanged pages are linked from the previous site instead of rendered again (see
    engine.write_tree); the output is byte-identical to a cold build.
    """

    name = "site"

    def __init__(self, ctx: BuildContext, jobs: int | None = None,
                 engine: EngineFactory | None = None) -> None:
        self.ctx = ctx
        self.by_lang: dict[str, list[str]] = {code: [] for code in ctx.translators}
        for rel in ctx.present:
            code, _, rest = rel.partition("/")
            if code in self.by_lang:
                self.by_lang[code].append(rest)
        self.engine = (engine or ENGINE)(ctx.config, ctx.root / ".lahio-cache" / "work", jobs,
                                         lambda lang: ctx.step(f"site: {lang}"))

    def add(self, code: str) -> None:
        """Hand the language ``code`` (its tree is in ``ctx.trees``) to the engine."""
        ctx = self.ctx
        self.engine.render(ctx.trees[code], ctx.translators[code], ctx.out,
                           previous=ctx.previous, present=self.by_lang[code])

    def run(self, ctx: BuildContext) -> set[str]:
        """Finish the site (the languages were handed over by :meth:`add`); returns the files
        written or removed."""
        write_chooser(ctx)
        write_sitemap(ctx)
        pictures = write_pictures(ctx)
        ctx.warnings.extend(self.engine.finish())
        changed = self.engine.changed | {"index.html", "sitemap.xml"} | pictures
        # Each language's search index, made again only where its pages were rendered again.
        langs = [lang for lang in ctx.config.languages if lang.code in ctx.translators]
        for lang, written in zip(langs, index_languages(
                [(ctx.out / lang.code, lang.html_lang) for lang in langs]), strict=True):
            changed.update(f"{lang.code}/{rel}" for rel in written)
        return changed

    def close(self) -> None:
        """Stop the engine's work still running (after a failure elsewhere)."""
        self.engine.close()


def write_pictures(ctx: BuildContext) -> set[str]:
    """The pictures' web copies (``media/<area>/``), made once and kept in the cache; returns
    the files written or removed.

    A copy's name carries a hash of the picture, so one already in the site is the very file
    wanted; copies no page shows any more are removed.
    """
    wanted: dict[str, str] = {}
    for tree in ctx.trees.values():
        wanted.update(tree.pictures)
    changed: set[str] = set()
    prefix = f"{PICTURES_DIR}/"
    for rel in sorted(r for r in ctx.present if r.startswith(prefix) and r not in wanted):
        (ctx.out / rel).unlink(missing_ok=True)
        changed.add(rel)
    cache = ctx.root / ".lahio-cache" / "pictures"
    for rel, source in sorted(wanted.items()):
        if rel in ctx.present and (ctx.out / rel).is_file():
            continue
        copy = copy_for(ctx.root / source, rel.rsplit("/", 1)[1], WEB_MAX, cache)
        write(ctx.out, rel, copy.read_bytes())
        changed.add(rel)
    return changed


def write_chooser(ctx: BuildContext) -> None:
    """``site/index.html``: every language named in itself; no redirect."""
    fi = ctx.translators[ctx.config.default.code]
    env = make_env([PAGE_TEMPLATES], fi)
    langs = []
    for lang in ctx.config.languages:
        tr = ctx.translators[lang.code]
        langs.append({"code": lang.code, "name": lang.name, "html_lang": lang.html_lang,
                      "dir": lang.dir, "hreflang": hreflang(lang.code, lang.html_lang),
                      "tagline": tr.gettext("Neighbourhood programme")})
    # The law asks for the accessibility statement to be linked from every page, this one too:
    # each language's statement, titled in that language.
    statements = []
    for lang in ctx.config.languages:
        page, fallback = page_for(list(ctx.programme.pages), "saavutettavuus", lang.code)
        if page is not None and not fallback:
            statements.append({"href": f"{lang.code}/saavutettavuus/", "title": page.title,
                               "html_lang": lang.html_lang, "dir": lang.dir})
    default = ctx.config.default
    tree = ctx.trees.get(default.code)
    names = [name for _slug, name, _lang in tree.area_names] if tree is not None else []
    # Shared, the chooser previews as the default language's home page, naming the others.
    og = general_page_meta(ctx.config.site_name, " · ".join(lang["tagline"] for lang in langs
                                                            if lang["code"] == default.code),
                           ctx.config.site_url, ctx.config.site_name, default.code, "", names,
                           tuple(lang.html_lang for lang in ctx.config.languages))
    og["og_url"] = ctx.config.site_url
    html = env.get_template("chooser.html").render(
        site_name=ctx.config.site_name, languages=langs, root=ctx.config.site_url,
        statements=statements, og=og)
    write(ctx.out, "index.html", html)


def page_urls(tree: LanguageTree) -> list[str]:
    """Language-relative URLs of a tree's pages (``""``, ``neulamaki/``, ``neulamaki/budget/``)."""
    return tree.page_urls()


def escape(text: str) -> str:
    """XML character data (as ``xml.sax.saxutils.escape``, whose import pulls in urllib)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quoteattr(text: str) -> str:
    """A quoted XML attribute value (as ``xml.sax.saxutils.quoteattr``)."""
    text = escape(text).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in text:
        return f'"{text}"'
    if "'" not in text:
        return f"'{text}'"
    return '"{}"'.format(text.replace('"', "&quot;"))


def write_sitemap(ctx: BuildContext) -> None:
    """``site/sitemap.xml``: every page with its language alternates (hreflang), but for the
    pages that name another as their canonical address (the current year's ``budget/2025/``
    repeats ``budget/``): a sitemap lists canonical addresses only.

    It depends on the address, the languages and the set of pages only, so an edit of a
    page's text leaves it as it is: the file taken over from the live site is kept when it is
    the very one written for the same inputs (its inode is remembered with their hash).
    """
    root = ctx.config.site_url
    langs = ctx.config.languages
    duplicates = {page_url_of(rel) for tree in ctx.trees.values() for rel in tree.duplicates}
    all_urls = sorted({u for tree in ctx.trees.values() for u in page_urls(tree)} - duplicates)
    key = digest(root, repr([(lang.code, lang.html_lang) for lang in langs]), *all_urls)
    path, memo = ctx.out / "sitemap.xml", ctx.root / ".lahio-cache" / "sitemap.key"
    try:
        if memo.read_text(encoding="utf-8") == f"{key} {path.stat().st_ino}":
            return
    except OSError:
        pass
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
             'xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    for url in all_urls:
        # Every language version of a page lists the same alternates.
        alternates = [f'  <xhtml:link rel="alternate" hreflang="'
                      f'{hreflang(alt.code, alt.html_lang)}" '
                      f'href={quoteattr(root + alt.code + "/" + url)}/>' for alt in langs]
        alternates.append(f'  <xhtml:link rel="alternate" hreflang="x-default" '
                          f'href={quoteattr(root + langs[0].code + "/" + url)}/>')
        alternates.append("</url>")
        for lang in langs:
            lines.append(f"<url><loc>{escape(root + lang.code + '/' + url)}</loc>")
            lines.extend(alternates)
    lines.append("</urlset>")
    write(ctx.out, "sitemap.xml", "\n".join(lines) + "\n")
    write_file(memo, f"{key} {path.stat().st_ino}".encode())
