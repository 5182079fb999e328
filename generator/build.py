"""``build``: the whole pipeline, written atomically.

load → validate (all problems at once) → views per language → site, print, channels → a
temporary folder that replaces ``site/`` only when everything succeeded. A failed build leaves
the previous site untouched.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import outputs, publish
from .cache import Store, digest
from .context import BuildContext, Progress, Stage, build_date
from .data.config import Config
from .data.load import load
from .data.model import Programme
from .errors import LahioError
from .messages import err
from .i18n import Translator
from .site.interface import EngineFactory
from .site.stage import SiteStage
from .templating import keep_compiled
from .views.urls import stage_of
from .site.pages import (area_entry, area_env, area_settings,
                         build_language_tree, keep_content_html)

STAGES = outputs.STAGES


def build(root: Path, out: Path | None = None, *, site_url: str | None = None,
          only: tuple[str, ...] = STAGES, strict: bool = False, jobs: int | None = None,
          log: Callable[[str], None] = print,
          progress: Callable[[int], Progress] | None = None,
          engine: EngineFactory | None = None) -> BuildContext:
    """Build the site into ``out`` (default ``root/site``) atomically.

    ``progress``, when given, is called with the number of steps once the input is valid
    and returns the display the stages report to (views, one step per language, print,
    channels); it never changes what is written. ``engine`` makes the site engine (default:
    MkDocs and Material, see ``generator/site/interface.py``).

    Raises:
        DataError: the input has problems (nothing is written).
        LahioError: a stage failed (the previous site is left as it was).
    """
    root = root.resolve()
    default = out is None
    out = Path(os.path.abspath(out or root / "site"))
    publish.check_out(root, out, default)
    keep_compiled(root / ".lahio-cache" / "templates")
    # One build at a time per project; the input is read once the lock is held, so of two
    # builds started together the later one publishes the newer input.
    with publish.build_lock(root, say=log):
        return _build_locked(root, out, site_url=site_url, only=only, strict=strict, jobs=jobs,
                             log=log, progress=progress, engine=engine)


def _build_locked(root: Path, out: Path, *, site_url: str | None, only: tuple[str, ...],
                  strict: bool, jobs: int | None, log: Callable[[str], None],
                  progress: Callable[[int], Progress] | None,
                  engine: EngineFactory | None) -> BuildContext:
    config, programme = load(root, site_url)
    out.parent.mkdir(parents=True, exist_ok=True)
    publish.clean_leftovers(out)
    tmp = publish.tmp_folder(out)
    if tmp.exists():
        shutil.rmtree(tmp)
    previous = publish.live_folder(out)
    spare = publish.spare_folder(out)
    catalogs = root / ".lahio-cache" / "catalogs"
    translators = {lang.code: Translator(lang, catalogs) for lang in config.languages}
    ctx = BuildContext(root, config, programme, build_date(), tmp, previous, translators, log=log)
    if progress is not None:
        steps = 1 + (len(translators) if "site" in only else 0) + sum(
            s in only for s in ("print", "channels"))
        ctx.progress = progress(steps)
    try:
        # The site the last build replaced is this build's starting point: brought up to date
        # with hard links to the live site, it needs only the changed files written.
        if spare.is_dir():
            spare.rename(tmp)
        else:
            tmp.mkdir(parents=True)
        listings = outputs.Listings(root / ".lahio-cache" / "listing.pickle")
        listing = outputs.start_from(tmp, previous, only, listings, stage_of=stage_of)
        ctx.present = set(listing)
        ctx.step("views")
        # Each language's site starts rendering as soon as its pages are ready (in a worker
        # process), while the views of the next language and the other steps go on here.
        site = SiteStage(ctx, jobs, engine) if "site" in only else None
        stages: list[Stage] = [stage for stage in (site, PrintStage(jobs), ChannelsStage())
                               if stage is not None and stage.name in only]
        try:
            build_views(ctx, jobs, ready=site.add if site else None)
            check_translations(ctx, strict)
            for stage in stages:
                changed = stage.run(ctx)
                ctx.changed = (None if changed is None or ctx.changed is None
                               else ctx.changed | changed)
        finally:
            if site is not None:
                site.close()
        if ctx.progress is not None:
            ctx.progress.finish()
        if strict and ctx.warnings:
            raise LahioError("--strict: the build had warnings:\n  " + "\n  ".join(ctx.warnings))
        held = prepare_hosting(ctx, listing)
        publish.swap(tmp, out)
        listings.finish(out, held)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return ctx


@dataclass(frozen=True, slots=True)
class PrintCheck:
    """What :func:`check_print` found."""

    #: Print products made for the current data (every area × language × product).
    products: int
    #: Of them, those laid out now (the others' layouts were in the build cache).
    rendered: int
    #: Fitting warnings (product, language, the field to edit) and products that could not
    #: be laid out, in the order a build reports them.
    warnings: list[str]


def check_print(root: Path, config: Config, programme: Programme, *, jobs: int | None = None,
                log: Callable[[str], None] = print) -> PrintCheck:
    """Whether every print product fits its page, without writing the site.

    The print stage's own plan (:func:`generator.print.plan_print`) is run: a product whose
    layout is in the build cache gives the warning recorded when it was fitted, at no cost;
    the others are laid out and their PDFs kept in the cache, so the next ``lahio build``
    links them instead of laying them out again. ``site/`` and ``qr-codes.yaml`` are not
    touched (a code new to the registry is assigned as the build will assign it).

    Args:
        root: the project folder.
        config: its configuration and programme, as :func:`generator.data.load.load` gives.
        programme: see ``config``.
        jobs: processes laying out products (default: one per core).
        log: where a wait for a running build is said.
    """
    root = root.resolve()
    keep_compiled(root / ".lahio-cache" / "templates")
    # The cache is the build's: one writer at a time.
    with publish.build_lock(root, say=log):
        catalogs = root / ".lahio-cache" / "catalogs"
        translators = {lang.code: Translator(lang, catalogs) for lang in config.languages}
        # Nothing is written into ``out``: the plan makes PDFs in the cache only.
        ctx = BuildContext(root, config, programme, build_date(), root / "site", None,
                           translators, log=log)
        build_views(ctx, jobs)
        from .print import plan_print  # the PDF engine is loaded only when print runs

        try:
            plan = plan_print(ctx, jobs)
        except Exception as exc:  # noqa: BLE001 - reported; as in a build, print stops nothing
            return PrintCheck(0, 0, [err("print: whether the printed products fit was not "
                                         "checked ({error})", error=str(exc))])
    return PrintCheck(len(plan.written), plan.rendered, list(ctx.warnings))


class PrintStage:
    """Posters, flyers, tally sheets and the selection report (``site/print/``, ``site/q/``)."""

    name = "print"

    def __init__(self, jobs: int | None = None) -> None:
        self.jobs = jobs

    def run(self, ctx: BuildContext) -> set[str] | None:
        from .print import run_print  # the PDF engine is loaded only when print runs

        ctx.step(self.name)
        return run_print(ctx, self.jobs)


class ChannelsStage:
    """Calendars, feeds, newsletters, social images, short texts and open data."""

    name = "channels"

    def run(self, ctx: BuildContext) -> set[str] | None:
        from .channels import build_channels

        ctx.step(self.name)
        build_channels(ctx)
        return None  # many files of many kinds: the folder is walked


def prepare_hosting(ctx: BuildContext, listing: dict[str, int]) -> dict[str, int]:
    """The web server's files (nginx configuration, redirect list) and the precompressed
    copies of every text file; returns what the build folder now holds."""
    from .hosting import write_server_files
    from .hosting.compress import precompress

    written = write_server_files(ctx.root, ctx.config, ctx.out, ctx.published_pages())
    if ctx.changed is None:
        held = outputs.files(ctx.out)
    else:
        held = outputs.update(listing, ctx.out, ctx.changed | written)
    changed = precompress(ctx.out, held, ctx.root / ".lahio-cache")
    return outputs.update(held, ctx.out, changed)


#: What forked view workers read (set just before forking; a fork shares it for free).
_VIEW_JOB: tuple | None = None
#: Fewer area views than this to make per process are made in this one (~10 ms each).
_VIEWS_PER_PROCESS = 16
#: Template environments of a view worker, by language (made on first use).
_VIEW_ENVS: dict[str, object] = {}


def _view_worker(work: tuple[str, str]) -> dict:
    programme, config, translators, today, template_dirs = _VIEW_JOB  # type: ignore[misc]
    code, slug = work
    tr = translators[code]
    env = _VIEW_ENVS.get(code)
    if env is None:
        env = _VIEW_ENVS[code] = area_env(tr, template_dirs)
    return area_entry(programme.area(slug), tr, config, today, env)  # type: ignore[arg-type]


def build_views(ctx: BuildContext, jobs: int | None = None,
                ready: Callable[[str], None] | None = None) -> None:
    """Per-language page trees (the views every stage renders).

    Each area's view and pages in each language are taken from ``.lahio-cache`` when nothing
    they depend on changed; the others are made in forked processes (one per core: views and
    page templates are pure Python, and one process would leave the other cores idle) when
    there are many, else here, one language at a time. The general pages and the home page of
    each language are then made here. ``ready`` is called with each language's code as soon
    as its tree is in ``ctx.trees``.
    """
    global _VIEW_JOB
    template_dirs = [d for d in (ctx.root / "theme" / "pages",) if d.is_dir()]
    cache = ctx.root / ".lahio-cache"
    keep_content_html(ctx.programme.pages, cache / "content")
    sources = dict(ctx.programme.sources)
    # One cache file per area holds its entries in every language (one read per area); an
    # entry counts only when its language's settings are unchanged too.
    store = Store(cache / "views")
    settings = {code: area_settings(ctx.config, code, ctx.today, template_dirs)
                for code in ctx.translators}
    stored: dict[str, dict[str, tuple[str, dict]]] = {}
    entries: dict[str, dict[str, dict]] = {code: {} for code in ctx.translators}
    missing: list[tuple[str, str]] = []
    keys: dict[tuple[str, str], str] = {}
    for slug in ctx.programme.slugs:
        source = sources.get(slug)
        found = stored[slug] = (store.get(slug, source) if source else None) or {}
        for code in ctx.translators:
            keys[code, slug] = key = digest(settings[code], source or "")
            hit = found.get(code)
            if hit is not None and hit[0] == key:
                entries[code][slug] = hit[1]
            else:
                missing.append((code, slug))
    # Forking pays off for many areas (a cold build), not for the few an edit changed.
    jobs = min(len(missing) // _VIEWS_PER_PROCESS, jobs or os.cpu_count() or 1)
    _VIEW_JOB = (ctx.programme, ctx.config, ctx.translators, ctx.today, template_dirs)
    try:
        made: dict[tuple[str, str], dict] = {}
        if jobs > 1:
            with ProcessPoolExecutor(max_workers=jobs,
                                     mp_context=multiprocessing.get_context("fork"),
                                     initializer=publish.worker_start) as pool:
                made = dict(zip(missing, pool.map(_view_worker, missing,
                                                  chunksize=max(1, len(missing) // (jobs * 8))),
                                strict=True))
        for code in ctx.translators:
            for work in missing:
                if work[0] != code:
                    continue
                slug = work[1]
                entry = entries[code][slug] = made.pop(work, {}) or _view_worker(work)
                stored[slug][code] = (keys[work], entry)
            ctx.trees[code] = build_language_tree(ctx.programme, ctx.config,
                                                  ctx.translators[code], ctx.today,
                                                  template_dirs, entries=entries[code])
            if ready is not None:
                ready(code)
    finally:
        _VIEW_JOB = None
        _VIEW_ENVS.clear()
    for slug in dict.fromkeys(slug for _code, slug in missing):
        if slug in sources:
            store.put(slug, sources[slug], stored[slug])
    store.save()


def check_translations(ctx: BuildContext, strict: bool) -> None:
    """Required languages must be complete; the others' fallbacks are summed up once each.

    Raises:
        LahioError: ``strict`` and a language marked ``required`` in mkdocs.yml is incomplete.
    """
    from .i18n.report import (build_translation_report, count_ui, fallback_notes,
                              incomplete_required, text_rows)

    # Each area's texts are walked once and kept until its files change; the UI counts depend
    # on the catalogs only (part of the generator, which every cache entry is keyed by).
    store = Store(ctx.root / ".lahio-cache" / "translations")
    sources = dict(ctx.programme.sources)
    rows: list[Any] = []
    for slug in ctx.programme.slugs:
        key = sources.get(slug, "")
        found = store.get(slug, key) if key else None
        if found is None:
            found = text_rows(ctx.programme.area(slug))
            if key:
                store.put(slug, key, found)
        rows += found
    ui_key = digest(str(ctx.root), *ctx.config.codes)
    ui = store.get("_ui", ui_key)
    if ui is None:
        ui = {code: count_ui(code, ctx.root) for code in ctx.config.codes}
        store.put("_ui", ui_key, ui)
    store.save()
    reports = build_translation_report(ctx.config, ctx.programme, rows, ui)
    problems = incomplete_required(reports)
    if strict and problems:
        raise LahioError("--strict: required languages are incomplete:\n  "
                         + "\n  ".join(problems))
    ctx.warnings.extend(problems)
    for note in fallback_notes(reports):
        ctx.log(note)


