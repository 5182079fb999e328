"""End-to-end: the sample builds into the documented layout, atomically and deterministically."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.build import build

from .conftest import ROOT, copy_project, tree_digest

AREAS = ("mannisto", "neulamaki")
LANGS = ("fi", "selko", "en", "sv", "ru", "uk", "ar")



def test_layout(sample_site: Path) -> None:
    assert (sample_site / "index.html").is_file()
    assert (sample_site / "sitemap.xml").is_file()
    for lang in LANGS:
        assert (sample_site / lang / "index.html").is_file(), lang
        for area in AREAS:
            for sub in ("", "themes/", "projects/", "budget/", "events/"):
                assert (sample_site / lang / area / sub / "index.html").is_file(), (lang, area, sub)


def test_html_lang_and_direction(sample_site: Path) -> None:
    expected = {"fi": ("fi", "ltr"), "selko": ("fi", "ltr"), "en": ("en", "ltr"),
                "sv": ("sv", "ltr"), "ru": ("ru", "ltr"), "uk": ("uk", "ltr"), "ar": ("ar", "rtl")}
    for lang, (html_lang, direction) in expected.items():
        html = (sample_site / lang / "neulamaki" / "index.html").read_text(encoding="utf-8")
        assert f'<html lang="{html_lang}" dir="{direction}">' in html, lang
        assert "<body dir" not in html


def test_language_chooser_names_each_language_in_itself(sample_site: Path) -> None:
    html = (sample_site / "index.html").read_text(encoding="utf-8")
    for name, lang in (("Suomi", "fi"), ("Selkosuomi", "fi"), ("English", "en"),
                       ("Svenska", "sv"), ("Русский", "ru"), ("Українська", "uk"),
                       ("العربية", "ar")):
        assert re.search(rf'lang="{lang}"[^>]*>{name}\b', html), name
    assert "http-equiv" not in html  # no redirect


_RESOURCE = re.compile(r"""(?:src|srcset|poster|data)\s*=\s*["']([^"']+)|"""
                       r"""<link\b[^>]*\bhref\s*=\s*["']([^"']+)|url\(\s*["']?([^"')]+)""", re.I)


def test_no_third_party_resources(sample_site: Path) -> None:
    """Pages load nothing from another host (links residents click may leave the site)."""
    offenders = []
    for path in sample_site.rglob("*"):
        if path.suffix not in (".html", ".css", ".js", ".svg"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for m in _RESOURCE.finditer(text):
            url = next(g for g in m.groups() if g)
            if re.match(r"^(https?:)?//", url) and "rel=\"alternate\"" not in m.group(0) \
                    and "rel=\"canonical\"" not in m.group(0):
                if not url.startswith("https://www.kuopio.fi/lahiot/"):
                    offenders.append(f"{path.relative_to(sample_site)}: {url}")
    assert offenders == []
    assert not any((sample_site / lang / "assets" / "javascripts").exists() for lang in LANGS)
    assert "<script" not in (sample_site / "fi" / "neulamaki" / "index.html").read_text()


def test_area_page_shows_real_figures_with_year_and_source(sample_site: Path) -> None:
    html = (sample_site / "fi" / "neulamaki" / "index.html").read_text(encoding="utf-8")
    assert "5\u00a0109" in html  # inhabitants, Babel-formatted for Finnish
    assert "Tilastokeskus, Paavo" in html and "2017" in html
    en = (sample_site / "en" / "neulamaki" / "index.html").read_text(encoding="utf-8")
    assert "5,109" in en and "Statistics Finland, Paavo" in en


def test_missing_translation_falls_back_visibly(sample_site: Path) -> None:
    # The Männistö summary exists in fi, selko and en only: Swedish shows Finnish, marked.
    sv = (sample_site / "sv" / "mannisto" / "index.html").read_text(encoding="utf-8")
    assert '<div lang="fi" dir="ltr"><p>Männistö on lähes 6' in sv
    assert 'class="lahio-fallback"' in sv


def test_navigation_is_scoped_to_the_area(tmp_path: Path) -> None:
    """Twenty areas: an area page is the same size (±5 %) as with two."""
    proj = copy_project(tmp_path / "p")
    build(proj, only=("site",), log=lambda _m: None)
    small = len((proj / "site" / "fi" / "neulamaki" / "index.html").read_bytes())
    for i in range(18):
        shutil.copytree(proj / "areas" / "mannisto", proj / "areas" / f"kopio-{i:02d}")
    build(proj, only=("site",), log=lambda _m: None)
    large = len((proj / "site" / "fi" / "neulamaki" / "index.html").read_bytes())
    assert abs(large - small) / small <= 0.05, (small, large)
    assert (proj / "site" / "fi" / "kopio-17" / "index.html").is_file()


#: What each stage writes, by pattern: the determinism test fails if a stage wrote nothing, so a
#: stage that silently produced no output cannot pass as "identical".
STAGE_OUTPUTS = {
    "site": ("fi/index.html", "fi/neulamaki/budget/index.html", "sitemap.xml"),
    "print": ("print/neulamaki/fi/*.pdf", "print/*/fi/*.pdf"),
    "channels": ("fi/neulamaki/events.ics", "fi/neulamaki/feed.xml", "newsletter/neulamaki/*.html",
                 "newsletter/neulamaki/*.txt", "social/neulamaki/fi/*.png", "data/*.csv",
                 "data/*.json"),
}


def test_builds_are_byte_identical(tmp_path: Path) -> None:
    a = copy_project(tmp_path / "a")
    b = copy_project(tmp_path / "b")
    build(a, log=lambda _m: None)
    build(b, log=lambda _m: None)
    missing = [f"{stage}: {pattern}" for stage, patterns in STAGE_OUTPUTS.items()
               for pattern in patterns if not list((a / "site").glob(pattern))]
    assert not missing, "stages wrote nothing where expected:\n" + "\n".join(missing)
    assert tree_digest(a / "site") == tree_digest(b / "site")


def test_bad_data_leaves_previous_site_untouched(tmp_path: Path) -> None:
    """The four classic mistakes: four located messages, exit 1, site/ unchanged."""
    proj = copy_project(tmp_path / "p")
    build(proj, only=("site",), log=lambda _m: None)
    before = tree_digest(proj / "site")
    edits = {
        "areas/neulamaki/area.yaml": ("year: 2023\n", "year: 2023\nyear: 2024\n"),
        # Neulamäki's proposals are imported (budget.decidim.yaml); Männistö's are hand-written.
        "areas/mannisto/budget.yaml": ("cost: 15000", 'cost: "50 000 €"'),
        "areas/neulamaki/projects.yaml": ("    theme: infra\n", "    theme: tuntematon\n"),
        "areas/mannisto/projects.yaml": ("id: rantareitti", "id: ../x"),
    }
    for rel, (old, new) in edits.items():
        path = proj / rel
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "generator.cli", "--root", str(proj), "build"],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 1
    located = [line for line in run.stderr.splitlines() if re.match(r"^areas/\S+\.yaml:\d+: ", line)]
    assert len(located) == 4, run.stderr
    assert "4 errors in 4 files; nothing was written." in run.stderr
    assert tree_digest(proj / "site") == before
    assert not list(proj.glob(".site.tmp-*"))


def test_failure_inside_a_stage_leaves_previous_site(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    proj = copy_project(tmp_path / "p")
    build(proj, only=("site",), log=lambda _m: None)
    before = tree_digest(proj / "site")
    import generator.site.stage as stage

    def explode(ctx: object, jobs: object = None) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(stage, "write_sitemap", explode)
    with pytest.raises(RuntimeError):
        build(proj, only=("site",), log=lambda _m: None)
    assert tree_digest(proj / "site") == before
    assert not list(proj.glob(".site.tmp-*"))


def test_check_command_validates_without_building(warm_project: Path) -> None:
    # Warm: check lays out the print products its cache lacks (none here).
    registry = (warm_project / "qr-codes.yaml").read_bytes()
    run = subprocess.run([sys.executable, "-m", "generator.cli", "--root", str(warm_project),
                          "check"], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert "2 areas" in run.stdout
    assert not (warm_project / "site").exists()
    assert (warm_project / "qr-codes.yaml").read_bytes() == registry


def test_check_reports_a_print_failure_and_still_checks_the_data(
        project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """As in a build, a failing print engine is a warning of the check, not a traceback."""
    import generator.print

    from generator.cli import main

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("no fonts")

    monkeypatch.setattr(generator.print, "plan_print", broken)
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    assert main(["--root", str(project), "check"]) == 0
    out = capsys.readouterr().out
    assert "warning: print: whether the printed products fit was not checked (no fonts)" in out
    assert "OK: 2 areas" in out and "print: 0 products" not in out


@pytest.mark.parametrize(("only", "target"), [
    (("channels",), "generator.channels.opendata.write_open_data"),
    (("print",), "generator.print.selection.build_selection_report"),
    (("site",), "generator.site.stage.write_sitemap"),
])
def test_failing_partial_build_leaves_previous_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    only: tuple[str, ...], target: str) -> None:
    """A stage that fails after writing some of its files (``--only``, starting from the previous
    site) leaves every file of the previous site as it was, even those it had rewritten."""
    proj = copy_project(tmp_path / "p")
    build(proj, only=("site", *only), log=lambda _m: None)
    before = tree_digest(proj / "site")
    # new content, so that every rewritten file differs from the previous one
    for rel in ("areas/neulamaki/area.yaml", "areas/mannisto/area.yaml"):
        path = proj / rel
        path.write_text(path.read_text(encoding="utf-8").replace(
            "name: {fi: ", "name: {fi: Uusi ", 1), encoding="utf-8")
    module, name = target.rsplit(".", 1)
    import importlib

    def explode(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(importlib.import_module(module), name, explode)
    with pytest.raises(RuntimeError, match="disk full"):
        build(proj, only=only, log=lambda _m: None)
    after = tree_digest(proj / "site")
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    assert not changed, f"the failed build changed the previous site: {changed[:20]}"
    assert not list(proj.glob(".site.tmp-*"))


def test_language_chooser_links_every_accessibility_statement(sample_site: Path) -> None:
    html = (sample_site / "index.html").read_text(encoding="utf-8")
    for lang in LANGS:
        assert f'href="{lang}/saavutettavuus/"' in html, lang
        assert (sample_site / lang / "saavutettavuus" / "index.html").is_file()
