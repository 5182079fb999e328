"""Run MkDocs: one generated config per language (INHERIT ``mkdocs.yml``), one process each.

MkDocs is not thread-safe and keeps global state, so each language is built in its own
process (forked after MkDocs and Material are imported, so workers start warm).
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import shutil
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
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


def write_tree(tree: LanguageTree, tr: Translator, config: Config, work: Path,
               site_dir: Path) -> Path:
    """Write the Markdown tree and its generated MkDocs config; returns the config path."""
    docs = work / tree.lang / "docs"
    if docs.exists():
        shutil.rmtree(docs)
    for rel, text in sorted(tree.files.items()):
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
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
    path.write_text(json.dumps(generated, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                    encoding="utf-8")
    return path


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
    try:
        cfg = load_config(config_file)
        build(cfg)
    finally:
        log.removeHandler(handler)
    return config_file, warnings


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
