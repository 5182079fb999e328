"""Shared fixtures: a copy of the sample project, and built sample sites (built once)."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: 2026-11-28 12:00 UTC: the build date every test build pins (SOURCE_DATE_EPOCH).
EPOCH = "1795867200"
PROJECT_PARTS = ("areas", "content", "theme", "data", "mkdocs.yml")


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (relative path) with the SHA-256 of its bytes."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def copy_project(dest: Path, warm_from: Path | None = None) -> Path:
    """Copy the sample project's inputs (not its outputs) into ``dest``.

    With ``warm_from`` (a built copy of the sample), its build cache comes along, as when a
    communicator edits a project built before: the next build renders only what changed.
    """
    dest.mkdir(parents=True, exist_ok=True)
    if warm_from is not None:
        shutil.copytree(warm_from / ".lahio-cache", dest / ".lahio-cache",
                        ignore=shutil.ignore_patterns("lock", "work"))
    for part in PROJECT_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.exists():
            shutil.copy2(src, dest / part)
    for extra in ("qr-codes.yaml", "selection.yaml"):
        if (ROOT / extra).exists():
            shutil.copy2(ROOT / extra, dest / extra)
    return dest


def views_context(project: Path, out: Path, jobs: int | None = 1) -> Any:
    """A build context of ``project`` writing into ``out`` (made here), with the views of
    every language built and no stage run."""
    from generator.build import build_views
    from generator.context import BuildContext, build_date
    from generator.data.load import load
    from generator.i18n import Translator

    config, programme = load(project)
    translators = {lang.code: Translator(lang) for lang in config.languages}
    out.mkdir(parents=True, exist_ok=True)
    ctx = BuildContext(project, config, programme, build_date(), out, None, translators,
                       log=lambda _m: None)
    build_views(ctx, jobs=jobs)
    return ctx


@pytest.fixture(autouse=True, scope="session")
def _pinned_build_date() -> Iterator[None]:
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    yield
    if old is None:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
    else:
        os.environ["SOURCE_DATE_EPOCH"] = old


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh, writable copy of the sample project."""
    return copy_project(tmp_path / "project")


@pytest.fixture
def warm_project(tmp_path: Path, sample_site: Path) -> Path:
    """A fresh copy of the sample project with the build cache of :func:`sample_site`.

    For tests of what a build makes, not of how much it renders: a cached product is the one
    a cold build makes (tests/test_incremental.py holds the cache to that).
    """
    return copy_project(tmp_path / "project", warm_from=sample_site.parent)


def _build(tmp: Path, site_url: str | None = None) -> Path:
    from generator.build import build

    proj = copy_project(tmp / "project")
    build(proj, site_url=site_url, log=lambda _m: None)
    return proj / "site"


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample project built once (as configured: served under /lahiot/)."""
    return _build(tmp_path_factory.mktemp("sample"))


#: The sub-path deployment the tests check (the city's site, under /lahiot/).
SUB_PATH_URL = "https://www.kuopio.fi/lahiot/"


@pytest.fixture(scope="session")
def sample_site_subpath(request: pytest.FixtureRequest,
                        tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample built for a deployment under a sub-path of the city's site.

    The sample is configured for that very address, so this is :func:`sample_site` (one
    build); only a sample configured otherwise is built again under the sub-path.
    """
    from generator.data.config import load_config

    config, _problems = load_config(ROOT)
    if config is not None and config.site_url == SUB_PATH_URL:
        return Path(request.getfixturevalue("sample_site"))
    return _build(tmp_path_factory.mktemp("subpath"), SUB_PATH_URL)
