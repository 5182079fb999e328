"""Run MkDocs: one generated config per language (INHERIT ``mkdocs.yml``), one process each.

MkDocs is not thread-safe and keeps global state, so each language is built in its own
process (forked workers, which import MkDocs and Material themselves while this process goes
on: see :class:`Builds`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import json
import logging
import multiprocessing
import os
import shutil
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import outputs
from ..data.config import Config
from ..errors import LahioError
from ..publish import worker_start
from ..i18n import Translator
from ..views.urls import hreflang, stage_of
from ..context import LanguageTree
from .pages import page_hash

#: Assets a page actually loads besides the engine's own stylesheets (:func:`stylesheets`);
#: the rest Material copies (JavaScript bundle, search workers, source maps, palette) is
#: removed from the output because no page references it.
KEEP_ASSETS = ("assets/images/favicon.png", "assets/lahio.css", "assets/lahio-search.js")


@functools.lru_cache(maxsize=1)
def stylesheets() -> tuple[str, ...]:
    """Material's main stylesheet, as the theme links it (its name carries a content hash that
    changes with every Material release, so it is found, never written down)."""
    import material

    folder = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"
    found = sorted(folder.glob("main.*.min.css"))
    if len(found) != 1:
        raise LahioError(f"{folder}: expected one main.*.min.css of Material, found "
                         f"{len(found)}")
    return (f"assets/stylesheets/{found[0].name}",)


def ui_strings(tr: Translator, config: Config) -> dict[str, str]:
    """Theme strings, translated by the generator's catalogs (the theme has none of its own)."""
    _ = tr.gettext
    return {
        "skip": _("Skip to content"),
        "languages": _("Languages"),
        "other_languages": _("Other languages"),
        "footer": _("Site information"),
        "home": _("Home"),
        "feedback": _("Feedback"),
        "not_found": _("Page not found"),
        "not_found_text": _("The page may have moved. Choose an area or a language:"),
        "areas": _("Areas"),
        "organisation": _("City of Kuopio – neighbourhood programme"),
    }


@dataclass
class _Job:
    """One language's pages, handed to its worker in memory (forked workers inherit it)."""

    files: Mapping[str, str]              # docs-relative path -> Markdown text (read only
                                          # for the pages rendered: see pages.Pages)
    order: list[str]                      # the paths, in the order MkDocs is given them
    nav: set[str]                         # the pages the generated config's nav names
    key: str                              # everything but the pages that shapes the output
    manifest: Path                        # what the last build of this language rendered
    hashes: dict[str, str]                # page_hash of every page's text
    reuse: set[str] = field(default_factory=set)  # pages whose output is already in place
    skip: bool = False                    # nothing to render: MkDocs is not run at all
    warnings: list[str] = field(default_factory=list)  # MkDocs' warnings, kept for a skip
    cleared: list[str] = field(default_factory=list)   # files _clear removed


#: Jobs by generated config path, filled by :func:`write_tree`, taken by :class:`Builds`.
_JOBS: dict[str, _Job] = {}


def _sha(data: str | bytes) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def _engine_fingerprint(config: Config) -> str:
    """What every page's HTML depends on besides its own text and the generated config: the
    base mkdocs.yml, the theme overrides, this module and the MkDocs/Material versions."""
    import material
    import mkdocs

    parts = [mkdocs.__version__, getattr(material, "__version__", "?"),
             _sha(Path(__file__).read_bytes()), _sha((config.root / "mkdocs.yml").read_bytes())]
    theme = config.root / "theme" / "site"
    if theme.is_dir():
        for path in sorted(theme.rglob("*")):
            if path.is_file():
                parts.append(f"{path.relative_to(theme).as_posix()}:{_sha(path.read_bytes())}")
    return _sha("\n".join(parts))


def _stamp(path: Path) -> list[int] | None:
    """Identity of one build's output: its 404 page, written anew by every build, so the stamp
    matches only the very folder that build wrote (hard links made from it keep it)."""
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size]


def write_tree(tree: LanguageTree, tr: Translator, config: Config, work: Path,
               site_dir: Path, previous: Path | None = None,
               present: Iterable[str] | None = None) -> Path:
    """Prepare one language's build; returns the path of its generated MkDocs config.

    The pages stay in memory (MkDocs reads them as generated files: no Markdown tree is
    written and read back). When ``previous`` (the last site) was built from the same config,
    theme and engine, pages whose text is unchanged are not rendered again: their HTML is
    hard-linked from there, which is byte-identical to rendering them (a page's HTML depends
    only on its text, the generated config and the theme).
    """
    docs = work / tree.lang / "docs"
    if docs.exists() and any(docs.iterdir()):
        shutil.rmtree(docs)  # a Markdown tree left by an older version would be built too
    docs.mkdir(parents=True, exist_ok=True)
    lang = tr.language
    languages = [
        {"code": lg.code, "name": lg.name, "html_lang": lg.html_lang,
         "hreflang": hreflang(lg.code, lg.html_lang), "primary": lg.primary, "dir": lg.dir}
        for lg in config.languages
    ]
    generated = {
        "INHERIT": os.path.relpath(config.root / "mkdocs.yml", work / tree.lang),
        "docs_dir": "docs",
        "site_dir": str(site_dir / tree.lang),
        "site_url": f"{config.site_url}{tree.lang}/",
        "use_directory_urls": True,
        "theme": {"name": "material", "language": "fi" if lang.locale == "fi" else lang.locale,
                  "custom_dir": str((config.root / "theme" / "site").resolve()),
                  "font": False},
        "plugins": [],
        "nav": [{title: path} for title, path in tree.nav],
        "extra": {
            "generator": False,
            "lahio_lang": {"code": lang.code, "html_lang": lang.html_lang, "dir": lang.dir},
            "lahio_languages": languages,
            "lahio_root": config.site_url,
            "lahio_ui": ui_strings(tr, config),
            "lahio_footer": [{"label": label, "path": path, "lang": lang}
                             for label, path, lang in tree.footer],
            "lahio_feedback": config.feedback_url,
            "lahio_stylesheets": list(stylesheets()),
            # The 404 page lists the areas, so that a wrong address is never a dead end.
            "lahio_areas": [{"slug": slug, "name": name, "lang": name_lang}
                            for slug, name, name_lang in tree.area_names],
        },
    }
    path = work / tree.lang / "mkdocs.yml"
    # JSON is YAML: no YAML emitter quirks, byte-stable output.
    text = json.dumps(generated, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    # The key leaves out where this build writes to (a new temporary folder every time).
    key = _sha(json.dumps({k: v for k, v in generated.items() if k != "site_dir"},
                          ensure_ascii=False, sort_keys=True) + _engine_fingerprint(config))
    job = _Job(tree.files, sorted(tree.files), {path for _title, path in tree.nav}, key,
               work / tree.lang / "manifest.json",
               {rel: tree.hashes.get(rel) or page_hash(tree.files[rel]) for rel in tree.files})
    if previous is not None:
        try:
            last = json.loads(job.manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            last = {}
        if last.get("key") == key and last.get("stamp") == _stamp(previous / tree.lang /
                                                                  "404.html"):
            old = last.get("pages", {})
            job.reuse = {rel for rel in job.files if old.get(rel) == job.hashes[rel]}
            job.skip = job.reuse == set(job.files)
            job.warnings = list(last.get("warnings", []))
    _clear(site_dir / tree.lang, tree.lang, job, present)
    _JOBS[str(path)] = job
    return path


def _dest(rel: str) -> str:
    """Where MkDocs writes the page ``rel`` with directory URLs (``a/b.md`` → ``a/b/index.html``)."""
    folder, _, name = rel.rpartition("/")
    stem = name[:-3]
    if stem in ("index", "README"):
        return f"{folder}/index.html" if folder else "index.html"
    return f"{folder}/{stem}/index.html" if folder else f"{stem}/index.html"


def _clear(lang_dir: Path, lang: str, job: _Job, present: Iterable[str] | None) -> None:
    """Make room in ``lang_dir`` for this build's rendering (nothing is written in place).

    The build folder starts as a copy of the live site made of hard links (see
    :mod:`generator.outputs`): the pages ``job`` reuses are already there. Every other file of
    the site stage is removed — pages to render, pages no longer built, and, when MkDocs runs,
    the 404 page and assets it writes again — so MkDocs only ever creates new files. Files of
    other stages (a channel's feed beside an area's pages) are left alone. ``present``: the
    files ``lang_dir`` holds, when the caller knows them.
    """
    # A reused page keeps its precompressed copies too (generator/hosting/compress.py).
    keep = {_dest(rel) + s for rel in job.reuse for s in ("", ".gz", ".br")}
    gone, kept = [], [_dest(rel) for rel in job.files]  # the folders of every page stay
    for rel in outputs.files(lang_dir) if present is None else present:
        if rel in keep or stage_of(f"{lang}/{rel}") != "site":
            kept.append(rel)
            continue
        if job.skip and not rel.endswith("index.html"):
            kept.append(rel)
            continue  # the 404 page and assets stay: MkDocs does not run
        (lang_dir / rel).unlink()
        gone.append(rel)
    outputs.remove_empty_dirs(lang_dir, gone, kept)
    job.cleared = gone


def _is_html_body(markdown: str) -> bool:
    """True for a page body that is one block of generated HTML (see ``pages._body``).

    Such a body passes through Markdown untouched, so converting it is pure cost: the HTML
    block parser is most of MkDocs' time per page. ``markdown="1"`` (md_in_html) would ask for
    Markdown inside the HTML, so those bodies still go through the converter.
    """
    return markdown.startswith("<") and 'markdown="' not in markdown


def _engine_plugin(job: _Job | None):  # noqa: ANN202 - needs MkDocs: imported in workers only
    """An in-process MkDocs plugin: skips what the generated site never uses.

    - Generated HTML bodies are handed to the template as they are instead of being parsed by
      Markdown (the output is the same: Markdown passes an HTML block through verbatim).
    - Theme files that no page loads (everything under ``assets/`` but :func:`stylesheets`
      and :data:`KEEP_ASSETS`) are dropped before MkDocs copies them, instead of being copied
      and then pruned.
    - The pages come from ``job`` in memory; those in ``job.reuse`` are already in the output
      folder (linked from the live site) and are not rendered again.
    """
    from mkdocs.plugins import BasePlugin

    from mkdocs.structure.files import File

    class Reused(File):
        """A page whose HTML is already in the output folder (linked from the live site):
        MkDocs' ``dirty`` mode skips reading, rendering and writing it."""

        def is_modified(self) -> bool:
            return False

    class LahioEngine(BasePlugin):
        def __init__(self, job: _Job | None) -> None:
            self.job = job
            self.bodies: dict[str, str] = {}
            self.written: list[str] = []  # what MkDocs may write (relative to the site_dir)

        def on_files(self, files, config):  # noqa: ANN001, ANN201 - MkDocs' plugin API
            keep = {*stylesheets(), *KEEP_ASSETS}
            # The logo set in mkdocs.yml (extra.lahio.brand.logo) is loaded by every page.
            logo = (((config.extra or {}).get("lahio") or {}).get("brand") or {}).get("logo")
            if logo:
                keep.add(str(logo).lstrip("/"))
            for file in list(files):
                if (file.src_uri.startswith("assets/") and file.src_uri not in keep
                        and not file.is_documentation_page()):
                    files.remove(file)
            if self.job is None:
                return files
            for rel in self.job.order:
                if rel not in self.job.reuse:
                    files.append(File.generated(config, rel, content=self.job.files[rel]))
                elif rel in self.job.nav:
                    # Already in place; MkDocs only needs to know it for the navigation.
                    files.append(Reused.generated(config, rel, content=self.job.files[rel]))
            # Every file MkDocs writes: the files it was given (but the reused pages) and the
            # theme's static templates (the sitemap with its .gz copy).
            self.written = sorted({f.dest_uri for f in files if not isinstance(f, Reused)}
                                  | {name for t in config.theme.static_templates
                                     for name in (t, f"{t}.gz")})
            return files

        def on_env(self, env, config, files):  # noqa: ANN001, ANN201 - MkDocs' plugin API
            from ..templating import THEME_BYTECODE

            env.bytecode_cache = THEME_BYTECODE  # the theme's templates, compiled once
            return env

        def on_page_markdown(self, markdown, page, config, files):  # noqa: ANN001, ANN201
            if _is_html_body(markdown):
                self.bodies[page.file.src_uri] = markdown
                return ""
            return markdown

        def on_page_content(self, html, page, config, files):  # noqa: ANN001, ANN201
            body = self.bodies.pop(page.file.src_uri, None)
            # Markdown ends an HTML block without its final newline; so does this.
            return html if body is None else body.rstrip("\n")

    return LahioEngine(job)


def _add_files_from_theme(files, env, config) -> None:  # noqa: ANN001 - MkDocs' types
    """MkDocs' ``Files.add_files_from_theme`` without walking hidden folders.

    MkDocs lists every file of every theme folder and then drops those under hidden folders;
    Material keeps its ~10 000 icons under ``.icons``, so listing them was most of a language's
    start-up. This walks the same folders, skips the hidden ones (whose files MkDocs would drop
    by the same patterns) and applies MkDocs' own filter to the rest: the same files result.
    """
    import fnmatch

    from mkdocs import utils
    from mkdocs.structure.files import File

    patterns = [".*", "*/.*", "*.py", "*.pyc", "*.html", "*readme*", "mkdocs_theme.yml",
                "locales/*", *(f"*{x}" for x in utils.markdown_extensions),
                *config.theme.static_templates]
    found: set[str] = set()
    for theme_dir in config.theme.dirs:
        for dirpath, dirnames, filenames in os.walk(theme_dir):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            rel_dir = os.path.relpath(dirpath, theme_dir)
            for name in filenames:
                rel = name if rel_dir == "." else f"{rel_dir}/{name}".replace(os.sep, "/")
                if not any(fnmatch.fnmatch(rel.lower(), p) for p in patterns):
                    found.add(rel)
    for path in sorted(found):
        if files.get_file_from_path(path) is None:
            for theme_dir in config.theme.dirs:
                if os.path.isfile(os.path.join(theme_dir, path)):
                    files.append(File(path, theme_dir, config.site_dir, config.use_directory_urls))
                    break


def front_matter(doc: str) -> tuple[str, dict[str, Any]] | None:
    """MkDocs' ``meta.get_data`` for the front matter :mod:`.pages` writes, without YAML.

    Every line there is ``key: <JSON string>`` (JSON strings are YAML strings), so each value
    is read with ``json.loads``. Anything else returns None: MkDocs' own parser is used then.
    """
    from mkdocs.utils.meta import YAML_RE

    m = YAML_RE.match(doc)
    if m is None:
        return None
    data: dict[str, Any] = {}
    for line in m.group(1).splitlines():
        key, sep, value = line.partition(": ")
        if not sep or not key.isidentifier() or key in data or not value.startswith('"'):
            return None
        try:
            data[key] = json.loads(value)
        except ValueError:
            return None
        if not isinstance(data[key], str):
            return None
    return doc[m.end():].lstrip("\n"), data


@contextlib.contextmanager
def _shortcuts(plugin):  # noqa: ANN001, ANN202 - MkDocs' types, imported in workers only
    """MkDocs with four shortcuts that give the same output for the generated site.

    - Configuration files are parsed by libyaml's parser (``yaml.CLoader``: the same
      constructors as MkDocs' pure-Python ``yaml.Loader``, with MkDocs' ``!ENV`` and
      ``!relative`` tags): parsing the generated and the inherited configuration was most of
      a language's start-up.
    - Theme files are listed without walking hidden folders (:func:`_add_files_from_theme`).
    - The front matter the generator writes is read as JSON (:func:`front_matter`).
    - A generated HTML body is not converted: Markdown would turn the empty text the plugin
      leaves (see ``on_page_markdown``) into an empty page with an empty table of contents and
      no title or anchors, and that is set directly instead of building a Markdown instance
      with every configured extension for each page.
    """
    import yaml
    from mkdocs.config import defaults
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page
    from mkdocs.structure.toc import get_toc
    from mkdocs.utils import meta
    from mkdocs.utils import yaml as mkdocs_yaml

    original = (Files.add_files_from_theme, meta.get_data, Page.render)
    loaders = (defaults.get_yaml_loader, mkdocs_yaml.get_yaml_loader)
    c_loader = getattr(yaml, "CLoader", None)

    def get_yaml_loader(loader=yaml.Loader, config=None):  # noqa: ANN001, ANN202 - MkDocs'
        return loaders[1](c_loader if loader is yaml.Loader and c_loader else loader, config)

    def get_data(doc: str):  # noqa: ANN202 - as MkDocs' own
        return front_matter(doc) or original[1](doc)

    def render(page, config, files) -> None:  # noqa: ANN001 - as MkDocs' own
        if page.markdown != "" or page.file.src_uri not in plugin.bodies:
            return original[2](page, config, files)
        page.content = ""
        page.toc = get_toc([])
        page._title_from_render = None
        page.present_anchor_ids = set()
        if logging.getLogger("mkdocs.structure.pages").getEffectiveLevel() > logging.DEBUG:
            page.links_to_anchors = {}
        return None

    Files.add_files_from_theme = _add_files_from_theme  # type: ignore[method-assign, assignment]
    meta.get_data = get_data
    Page.render = render  # type: ignore[method-assign, assignment]
    defaults.get_yaml_loader = mkdocs_yaml.get_yaml_loader = get_yaml_loader
    try:
        yield
    finally:
        Files.add_files_from_theme, meta.get_data, Page.render = original  # type: ignore[method-assign]
        defaults.get_yaml_loader, mkdocs_yaml.get_yaml_loader = loaders


#: MkDocs' caution about ``dirty`` builds: it concerns navigation across pages, which the
#: generated site does not have (each page's HTML depends on its own text only).
_DIRTY_WARNING = "A 'dirty' build is being performed"


def _build_one(config_file: str,
               job: _Job | None = None) -> tuple[str, list[str], list[str]]:
    """Build one language (runs in a worker process). Returns warnings and the files MkDocs
    may have written (relative to the language's folder).

    ``job``: the language's job when it is not in ``_JOBS`` already (see :class:`Builds`).
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    warnings: list[str] = []

    class _Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.WARNING:
                warnings.append(record.getMessage())

    handler = _Collect()
    log = logging.getLogger("mkdocs")
    log.addHandler(handler)
    log.setLevel(logging.WARNING)
    log.propagate = False
    job = job or _JOBS.get(config_file)
    try:
        plugin = _engine_plugin(job)
        with _shortcuts(plugin):
            cfg = load_config(config_file)
            cfg.plugins["lahio-engine"] = plugin
            site = Path(cfg.site_dir)
            # ``dirty``: MkDocs neither empties the folder (it holds the reused pages and
            # other stages' files) nor renders the reused pages; _clear removed everything
            # stale.
            build(cfg, dirty=job is not None)
        warnings = [w for w in warnings if not w.startswith(_DIRTY_WARNING)]
        if job is not None:
            manifest = {"key": job.key, "stamp": _stamp(site / "404.html"),
                        "pages": job.hashes,
                        "warnings": warnings}
            job.manifest.write_text(json.dumps(manifest, sort_keys=True), encoding="utf-8")
    finally:
        log.removeHandler(handler)
    return config_file, warnings, plugin.written


class Builds:
    """MkDocs runs of the languages handed to :meth:`add`, started at once in worker processes
    while the caller goes on (a rebuild's other work overlaps MkDocs); :meth:`finish` waits.

    Workers are forked on the first :meth:`add`: a language prepared before that is inherited
    from memory, one prepared later is sent with only the pages MkDocs renders. With
    ``jobs=1`` every language is built in this process, in :meth:`finish`.
    """

    def __init__(self, jobs: int | None = None,
                 done: Callable[[str], None] | None = None) -> None:
        os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
        self.jobs = jobs or os.cpu_count() or 1
        self.done = done
        self.order: list[str] = []
        self.results: dict[str, list[str]] = {}
        self.serial: list[str] = []
        self.futures: dict[str, Any] = {}
        self.pool: ProcessPoolExecutor | None = None
        self.inherited: set[str] = set()
        #: Files written or removed in the output folder (``<lang>/<path>``), for its listing.
        self.changed: set[str] = set()

    def add(self, config_file: Path) -> None:
        key = str(config_file)
        self.order.append(key)
        job = _JOBS.get(key)
        if job is not None:
            lang = Path(key).parent.name
            self.changed.update(f"{lang}/{rel}" for rel in job.cleared)
        if job is not None and job.skip:
            # Nothing to render: the language is complete in the output folder already (its
            # pages, 404 page and assets linked from the live site), MkDocs is not started.
            self.results[key] = job.warnings
            return
        if self.jobs <= 1:
            self.serial.append(key)
            return
        if self.pool is None:
            self.pool = ProcessPoolExecutor(max_workers=self.jobs,
                                            mp_context=multiprocessing.get_context("fork"),
                                            initializer=worker_start)
            self.inherited = set(_JOBS)  # the workers are forked by the submit below
        sent = None if key in self.inherited or job is None else _portable(job)
        self.futures[key] = self.pool.submit(_build_one, key, sent)

    def finish(self) -> list[str]:
        """Wait for every language; returns MkDocs' warnings, in the order languages came."""
        try:
            for key in self.order:
                if key in self.serial:
                    _key, self.results[key], written = _build_one(key)
                elif key in self.futures:
                    _key, self.results[key], written = self.futures[key].result()
                else:
                    written = []
                lang = Path(key).parent.name
                self.changed.update(f"{lang}/{rel}" for rel in written)
                if self.done is not None:
                    self.done(lang)
        finally:
            self.close()
        return [f"{Path(key).parent.name}: {w}" for key in self.order for w in self.results[key]]

    def close(self) -> None:
        """Stop the workers (after a failure elsewhere: nothing more is waited for)."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
        for key in self.order:
            _JOBS.pop(key, None)


def _portable(job: _Job) -> _Job:
    """``job`` as sent to a worker: with the texts of the pages MkDocs is given only."""
    needed = {rel: job.files[rel] for rel in job.order if rel not in job.reuse or rel in job.nav}
    return dataclasses.replace(job, files=needed)


def prune(site_lang_dir: Path, logo: str | None = None) -> list[str]:
    """Remove what MkDocs/Material copied but no page loads (kept byte-identical otherwise).

    ``logo``: the logo every page's header loads (``extra.lahio.brand.logo``), kept too.

    Returns:
        The files removed, relative to ``site_lang_dir``.
    """
    removed = []
    for name in ("sitemap.xml", "sitemap.xml.gz"):
        if (site_lang_dir / name).exists():
            (site_lang_dir / name).unlink()
            removed.append(name)
    assets = site_lang_dir / "assets"
    if not assets.is_dir():
        raise LahioError(f"{site_lang_dir}: the site engine wrote no assets")
    keep = {site_lang_dir / k for k in (*stylesheets(), *KEEP_ASSETS)}
    if logo:
        keep.add(site_lang_dir / logo.lstrip("/"))
    for path in sorted(assets.rglob("*"), reverse=True):
        if path.is_file() and path not in keep:
            path.unlink()
            removed.append(path.relative_to(site_lang_dir).as_posix())
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return removed


class MkDocsEngine:
    """The site engine on MkDocs and Material (see :class:`~.interface.SiteEngine`).

    Each language gets a generated config INHERITing ``mkdocs.yml`` (:func:`write_tree`) and
    its own MkDocs run in a worker process (:class:`Builds`); what Material copies but no page
    loads is removed afterwards (:func:`prune`).
    """

    def __init__(self, config: Config, work: Path, jobs: int | None = None,
                 done: Callable[[str], None] | None = None) -> None:
        self.config = config
        self.work = work
        self.builds = Builds(jobs, done=done)
        self.folders: list[tuple[Path, str]] = []
        self.changed: set[str] = set()

    def render(self, tree: LanguageTree, tr: Translator, out: Path, *,
               previous: Path | None = None, present: Iterable[str] | None = None) -> None:
        self.builds.add(write_tree(tree, tr, self.config, self.work, out, previous=previous,
                                   present=present))
        self.folders.append((out, tree.lang))

    def finish(self) -> list[str]:
        warnings = self.builds.finish()
        self.changed = set(self.builds.changed)
        for out, code in self.folders:
            self.changed.update(f"{code}/{rel}"
                                for rel in prune(out / code, self.config.brand_logo))
        return warnings

    def close(self) -> None:
        self.builds.close()
