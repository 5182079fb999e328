"""Run MkDocs: one generated config per language (INHERIT ``mkdocs.yml``), one process each.

MkDocs is not thread-safe and keeps global state, so each language is built in its own
process (forked after MkDocs and Material are imported, so workers start warm).
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import os
import shutil
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..data.config import Config
from ..errors import LahioError
from ..i18n import Translator
from .pages import LanguageTree

#: Material assets a page actually loads; the rest (JavaScript bundle, search workers, source
#: maps, palette) is removed from the output because no page references it.
KEEP_ASSETS = ("assets/stylesheets/main.57a0d79d.min.css", "assets/images/favicon.png",
               "assets/lahio.css")


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
        "organisation": _("City of Kuopio – neighbourhood programme"),
    }


@dataclass
class _Job:
    """One language's pages, handed to its worker in memory (forked workers inherit it)."""

    files: dict[str, str]                 # docs-relative path -> Markdown text
    key: str                              # everything but the pages that shapes the output
    manifest: Path                        # what the last build of this language rendered
    reuse_from: Path | None = None        # the previous site's folder of this language
    reuse: set[str] = field(default_factory=set)  # pages whose output is taken from there


#: Jobs by generated config path, filled by :func:`write_tree`, taken by :func:`run_builds`.
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
               site_dir: Path, previous: Path | None = None) -> Path:
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
         "hreflang": lg.html_lang if lg.code == lg.html_lang or lg.code == "fi"
         else f"{lg.html_lang}-x-{lg.code}", "primary": lg.primary}
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
    job = _Job(dict(sorted(tree.files.items())), key, work / tree.lang / "manifest.json")
    if previous is not None:
        job.reuse_from = previous / tree.lang
        try:
            last = json.loads(job.manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            last = {}
        if last.get("key") == key and last.get("stamp") == _stamp(job.reuse_from / "404.html"):
            old = last.get("pages", {})
            job.reuse = {rel for rel, text in job.files.items() if old.get(rel) == _sha(text)}
    _JOBS[str(path)] = job
    return path


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
    - Theme files that no page loads (everything under ``assets/`` but :data:`KEEP_ASSETS`) are
      dropped before MkDocs copies them, instead of being copied and then pruned.
    - The pages come from ``job`` in memory; those in ``job.reuse`` are linked, not rendered.
    """
    from mkdocs.plugins import BasePlugin

    from mkdocs.structure.files import File

    class Reused(File):
        """A page whose HTML was linked from the previous build: MkDocs' ``dirty`` mode skips
        reading, rendering and writing it."""

        def is_modified(self) -> bool:
            return False

    class LahioEngine(BasePlugin):
        def __init__(self, job: _Job | None) -> None:
            self.job = job
            self.bodies: dict[str, str] = {}

        def on_files(self, files, config):  # noqa: ANN001, ANN201 - MkDocs' plugin API
            for file in list(files):
                if (file.src_uri.startswith("assets/") and file.src_uri not in KEEP_ASSETS
                        and not file.is_documentation_page()):
                    files.remove(file)
            if self.job is None:
                return files
            for rel, text in self.job.files.items():
                cls = File
                if rel in self.job.reuse and self.job.reuse_from is not None:
                    page = File.generated(config, rel, content=text)
                    try:
                        os.makedirs(os.path.dirname(page.abs_dest_path), exist_ok=True)
                        os.link(self.job.reuse_from / page.dest_uri, page.abs_dest_path)
                        cls = Reused
                    except OSError:  # gone from the previous site: render it
                        self.job.reuse.discard(rel)
                files.append(cls.generated(config, rel, content=text))
            return files

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


#: MkDocs' caution about ``dirty`` builds: it concerns navigation across pages, which the
#: generated site does not have (each page's HTML depends on its own text only).
_DIRTY_WARNING = "A 'dirty' build is being performed"


def _build_one(config_file: str) -> tuple[str, list[str]]:
    """Build one language (runs in a worker process). Returns warnings."""
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
    job = _JOBS.get(config_file)
    try:
        cfg = load_config(config_file)
        cfg.plugins["lahio-engine"] = _engine_plugin(job)
        site = Path(cfg.site_dir)
        if job is not None and site.exists():
            shutil.rmtree(site)  # unlinks only: files linked from the previous site stay intact
        # ``dirty`` is what lets MkDocs skip the linked pages; the output folder starts empty,
        # so nothing stale can survive.
        build(cfg, dirty=bool(job and job.reuse))
        if job is not None:
            manifest = {"key": job.key, "stamp": _stamp(site / "404.html"),
                        "pages": {rel: _sha(text) for rel, text in job.files.items()}}
            job.manifest.write_text(json.dumps(manifest, sort_keys=True), encoding="utf-8")
    finally:
        log.removeHandler(handler)
    return config_file, [w for w in warnings if not w.startswith(_DIRTY_WARNING)]


def run_builds(config_files: list[Path], jobs: int | None = None,
               done: Callable[[str], None] | None = None) -> list[str]:
    """Build every language in parallel processes; returns all MkDocs warnings.

    ``done`` is called with each language's folder name as its build finishes (in order), for
    a progress display.
    """
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    import material  # noqa: F401 - imported before forking so workers start warm
    import mkdocs.commands.build  # noqa: F401

    jobs = jobs or min(len(config_files), os.cpu_count() or 1)
    warnings: list[str] = []
    if jobs <= 1 or len(config_files) == 1:
        results = []
        for c in config_files:
            results.append(_build_one(str(c)))
            if done is not None:
                done(c.parent.name)
    else:
        ctx = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
            results = []
            for result in pool.map(_build_one, [str(c) for c in config_files]):
                results.append(result)
                if done is not None:
                    done(Path(result[0]).parent.name)
    for config_file, found in results:
        warnings.extend(f"{Path(config_file).parent.name}: {w}" for w in found)
        _JOBS.pop(config_file, None)
    return warnings


def prune(site_lang_dir: Path) -> None:
    """Remove what MkDocs/Material copied but no page loads (kept byte-identical otherwise)."""
    for name in ("sitemap.xml", "sitemap.xml.gz"):
        (site_lang_dir / name).unlink(missing_ok=True)
    assets = site_lang_dir / "assets"
    if not assets.is_dir():
        raise LahioError(f"{site_lang_dir}: the site engine wrote no assets")
    keep = {site_lang_dir / k for k in KEEP_ASSETS}
    for path in sorted(assets.rglob("*"), reverse=True):
        if path.is_file() and path not in keep:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
