"""A rebuild after a small edit reuses unchanged pages and equals a cold build byte for byte."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from generator.build import build

from .conftest import copy_project

pytestmark = pytest.mark.slow

MARKER = "summary:\n  fi: >-\n"


def edit_summary(project: Path, area: str = "mannisto") -> None:
    """Put a new first sentence into one area's Finnish summary."""
    path = project / "areas" / area / "area.yaml"
    text = path.read_text(encoding="utf-8")
    assert MARKER in text, f"{path}: the sample's Finnish summary moved; update this test"
    path.write_text(text.replace(MARKER, MARKER + "    Tämä lause on uusi.\n", 1),
                    encoding="utf-8")


def tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def inodes(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_ino for p in folder.rglob("*.html")}


def test_warm_rebuild_after_one_area_edit_equals_cold_build(tmp_path: Path) -> None:
    warm = copy_project(tmp_path / "warm")
    build(warm, only=("site",), log=lambda _m: None)
    before = inodes(warm / "site")
    old_page = (warm / "site/fi/mannisto/index.html").read_text(encoding="utf-8")
    edit_summary(warm)
    build(warm, only=("site",), log=lambda _m: None)

    cold = copy_project(tmp_path / "cold")
    edit_summary(cold)
    build(cold, only=("site",), log=lambda _m: None)

    assert tree(warm / "site") == tree(cold / "site")
    new_page = (warm / "site/fi/mannisto/index.html").read_text(encoding="utf-8")
    assert "Tämä lause on uusi." in new_page and "Tämä lause on uusi." not in old_page
    # Pages of the area not edited were taken over from the previous site, not rendered again
    # (the same file); the edited area's pages were written anew.
    after = inodes(warm / "site")
    assert after["fi/neulamaki/index.html"] == before["fi/neulamaki/index.html"]
    assert after["en/neulamaki/budget/index.html"] == before["en/neulamaki/budget/index.html"]
    assert after["fi/mannisto/index.html"] != before["fi/mannisto/index.html"]


def test_a_failed_build_does_not_leave_pages_to_reuse(tmp_path: Path) -> None:
    """A build that failed after rendering must not pass its pages off as the current site."""
    project = copy_project(tmp_path / "p")
    build(project, only=("site",), log=lambda _m: None)
    published = tree(project / "site")
    edit_summary(project)
    # The site stage renders every language, then fails (as a full disk would).
    from generator import build as build_module

    original = build_module.write_sitemap

    def fail(ctx):  # noqa: ANN001, ANN202 - same signature as the stage helper
        raise RuntimeError("disk full")

    build_module.write_sitemap = fail
    try:
        with pytest.raises(RuntimeError):
            build(project, only=("site",), log=lambda _m: None)
    finally:
        build_module.write_sitemap = original
    assert tree(project / "site") == published  # the previous site, untouched
    build(project, only=("site",), log=lambda _m: None)

    cold = copy_project(tmp_path / "cold")
    edit_summary(cold)
    build(cold, only=("site",), log=lambda _m: None)
    assert tree(project / "site") == tree(cold / "site")
