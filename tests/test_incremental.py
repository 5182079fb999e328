"""A rebuild after a small edit reuses unchanged pages and equals a cold build byte for byte."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from generator.build import build

from .conftest import copy_project
from .conftest import tree_digest as tree

pytestmark = pytest.mark.slow

MARKER = "summary:\n  fi: >-\n"


def edit_summary(project: Path, area: str = "mannisto") -> None:
    """Put a new first sentence into one area's Finnish summary."""
    path = project / "areas" / area / "area.yaml"
    text = path.read_text(encoding="utf-8")
    assert MARKER in text, f"{path}: the sample's Finnish summary moved; update this test"
    path.write_text(text.replace(MARKER, MARKER + "    Tämä lause on uusi.\n", 1),
                    encoding="utf-8")



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
    from generator.site import stage as build_module

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


def edit_name(project: Path, area: str, word: str) -> None:
    path = project / "areas" / area / "area.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("name: {fi: ", f"name: {{fi: {word} ",
                                                             1), encoding="utf-8")


def test_builds_from_the_spare_equal_cold_builds_and_never_write_into_the_live_site(
        tmp_path: Path) -> None:
    """Each build starts from the site the last build replaced (``.site.spare``): three builds
    in a row, each after another edit, equal cold builds of the same input, and the site each
    one replaced is exactly what was live before it (nothing was written into it)."""
    warm = copy_project(tmp_path / "warm")
    build(warm, only=("site",), log=lambda _m: None)
    edits = [lambda p: edit_summary(p, "mannisto"), lambda p: edit_name(p, "neulamaki", "Uusi"),
             lambda p: edit_summary(p, "neulamaki")]
    for n, edit in enumerate(edits):
        live_before = tree(warm / "site")
        edit(warm)
        build(warm, only=("site",), log=lambda _m: None)
        if n:  # from the second rebuild on, a spare was there to start from
            assert (warm / ".site.spare").is_dir()
        assert tree(warm / ".site.spare") == live_before
        cold = copy_project(tmp_path / f"cold{n}")
        for done in edits[: n + 1]:
            done(cold)
        build(cold, only=("site",), log=lambda _m: None)
        assert tree(warm / "site") == tree(cold / "site"), f"rebuild {n + 1}"


def test_a_partial_build_keeps_the_other_stages_files(tmp_path: Path) -> None:
    """``--only site`` after a full build leaves the channels' files (an area's feed, calendar,
    short text beside its pages; newsletters, open data) as they were, and vice versa."""
    project = copy_project(tmp_path / "p")
    build(project, only=("site", "channels"), log=lambda _m: None)
    full = tree(project / "site")
    assert "fi/mannisto/feed.xml" in full and "fi/mannisto/events.ics" in full
    for only in (("site",), ("channels",), ("site",)):
        build(project, only=only, log=lambda _m: None)
        assert tree(project / "site") == full, only


def test_a_project_template_change_reaches_every_area_page(tmp_path: Path) -> None:
    """Cached area pages are keyed by the project's own templates too (theme/pages)."""
    project = copy_project(tmp_path / "p")
    build(project, only=("site",), log=lambda _m: None)
    from generator.site.pages import TEMPLATES

    override = project / "theme" / "pages" / "area.html"
    override.parent.mkdir(parents=True, exist_ok=True)
    override.write_text((TEMPLATES / "area.html").read_text(encoding="utf-8")
                        + "<p>lahio-override-marker</p>\n", encoding="utf-8")
    build(project, only=("site",), log=lambda _m: None)
    for area in ("mannisto", "neulamaki"):
        page = (project / "site" / "sv" / area / "index.html").read_text(encoding="utf-8")
        assert "lahio-override-marker" in page, area


def test_an_area_with_problems_is_reported_again_by_every_build(tmp_path: Path) -> None:
    """Only areas that loaded cleanly are cached: a problem is found by every build, not only
    by the first one after the edit."""
    from generator.errors import DataError

    project = copy_project(tmp_path / "p")
    build(project, only=("site",), log=lambda _m: None)
    path = project / "areas" / "mannisto" / "area.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("year: ", "year: soon #", 1),
                    encoding="utf-8")
    messages = []
    for _ in range(2):
        with pytest.raises(DataError) as caught:
            build(project, only=("site",), log=lambda _m: None)
        messages.append(str(caught.value))
    assert "areas/mannisto/area.yaml" in messages[0]
    assert messages[0] == messages[1]


def test_theme_files_are_listed_as_mkdocs_lists_them(tmp_path: Path) -> None:
    """The engine's quicker listing of theme files (no walk through hidden folders) gives
    exactly the files MkDocs' own ``Files.add_files_from_theme`` gives."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import Files

    from generator.site.engine import _add_files_from_theme

    project = copy_project(tmp_path / "p")
    build(project, only=("site",), log=lambda _m: None)
    for config_file in sorted((project / ".lahio-cache" / "work").glob("*/mkdocs.yml"))[:2]:
        cfg = load_config(str(config_file))
        env = cfg.theme.get_env()
        theirs, ours = Files([]), Files([])
        theirs.add_files_from_theme(env, cfg)
        _add_files_from_theme(ours, env, cfg)
        assert len(theirs) > 3
        assert ([(f.src_uri, f.abs_src_path) for f in ours]
                == [(f.src_uri, f.abs_src_path) for f in theirs])


def test_cache_store_keeps_entries_by_key_and_drops_unused_ones(tmp_path: Path) -> None:
    from generator.cache import Store

    folder = tmp_path / "store"
    store = Store(folder)
    store.put("alpha", "k1", {"pages": ["a"]})
    store.put("beta", "k1", [1, 2])
    store.put("odd name/../x", "k1", "safe")  # not a file name: stored under a hash
    store.save()
    assert sorted(p.parent for p in folder.rglob("*.pickle")) == [folder] * 3
    again = Store(folder)
    assert again.get("alpha", "k1") == {"pages": ["a"]}
    assert again.get("alpha", "k2") is None  # another key is a miss
    assert again.get("odd name/../x", "k1") == "safe"
    again.save()  # beta was neither used nor put: removed
    third = Store(folder)
    assert third.get("beta", "k1") is None
    assert third.get("alpha", "k1") == {"pages": ["a"]}
    (folder / "alpha.pickle").write_bytes(b"not a pickle")
    assert Store(folder).get("alpha", "k1") is None  # damaged: a miss, not an error


def test_cached_areas_load_as_the_areas_they_were(tmp_path: Path) -> None:
    """Areas taken from the cache stay pickled until used, and are then equal to a fresh load."""
    from generator.data.load import load
    from generator.data.model import Areas

    project = copy_project(tmp_path / "p")
    _config, fresh = load(project)
    _config, cached = load(project)
    assert isinstance(cached.areas, Areas)
    assert all(isinstance(item, bytes) for item in cached.areas._items)
    assert cached.slugs == fresh.slugs and len(cached.slugs) >= 2
    slug = cached.slugs[-1]
    assert cached.area(slug) == fresh.area(slug)
    assert sum(isinstance(item, bytes) for item in cached.areas._items) == len(cached.slugs) - 1
    assert list(cached.areas) == list(fresh.areas)
    assert cached.areas[-1:] == (fresh.areas[-1],)
    assert cached.area("no-such-area") is None


def test_file_digests_skip_reading_only_unchanged_settled_files(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An area file is read again whenever its stat changed (even with its modification time
    put back), and a file changed just now is never taken on its stat alone."""
    import os
    import time

    from generator import cache

    store = tmp_path / "digests.pickle"
    path = tmp_path / "area.yaml"
    path.write_text("name: Neulamäki\n", encoding="utf-8")
    expected = hashlib.sha256(path.read_bytes()).hexdigest()
    reads: list[Path] = []
    real = Path.read_bytes

    def counting(self: Path) -> bytes:
        reads.append(self)
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", counting)

    def digest_once() -> str:
        digests = cache.FileDigests(store)
        value = digests.digest(path)
        digests.save()
        return value

    assert digest_once() == expected and path in reads
    reads.clear()
    assert digest_once() == expected and path in reads  # changed just now: read again
    later = time.time_ns() + 10 * 10**9
    monkeypatch.setattr(cache.time, "time_ns", lambda: later)
    digest_once()  # settled now: remembered with its stat
    reads.clear()
    assert digest_once() == expected and path not in reads  # taken on its stat

    stat = path.stat()
    path.write_text("name: Neulamaki\n", encoding="utf-8")  # same size, new text
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # the old modification time
    assert digest_once() == hashlib.sha256(real(path)).hexdigest() != expected
    assert path in reads


def test_the_listings_kept_for_the_next_build_are_what_the_folders_hold(tmp_path: Path) -> None:
    """The next build starts from the kept listings of the live site and the spare instead of
    walking them: after every kind of build they must be exactly what the folders hold."""
    from generator import outputs

    project = copy_project(tmp_path / "p")
    steps = [("site",), ("site",), ("site",), ("site", "channels"), ("site",), ("site",)]
    for i, only in enumerate(steps):
        if i in (2, 4):
            edit_summary(project)
        build(project, only=only, log=lambda _m: None)
        saved = dict((tuple(ident), listing) for ident, listing in
                     outputs.Listings(project / ".lahio-cache" / "listing.pickle").saved)
        folders = [project / "site"] + ([project / ".site.spare"] if i else [])
        for folder in folders:
            listing = saved.get(tuple(outputs.identity(folder) or ()))
            assert listing is not None, (i, folder.name)
            assert listing == outputs.files(folder), (i, folder.name)


def test_the_sitemap_is_kept_while_the_pages_stay_and_made_again_when_they_change(
        tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    build(project, only=("site",), log=lambda _m: None)
    before = (project / "site" / "sitemap.xml").stat().st_ino
    edit_summary(project)  # a text edit: the same pages
    build(project, only=("site",), log=lambda _m: None)
    assert (project / "site" / "sitemap.xml").stat().st_ino == before  # not written again

    for folder in (project, cold := copy_project(tmp_path / "cold")):
        if folder is cold:
            edit_summary(cold)
        (folder / "content" / "fi" / "uusi.md").write_text("# Uusi sivu\n\nTeksti.\n",
                                                           encoding="utf-8")
        build(folder, only=("site",), log=lambda _m: None)
    sitemap = (project / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert "/fi/uusi/</loc>" in sitemap
    assert sitemap == (cold / "site" / "sitemap.xml").read_text(encoding="utf-8")


def edit_figure(project: Path) -> None:
    """Change a figure in Männistö's Finnish summary (the text keeps its length, so every
    printed product still fits on its page)."""
    path = project / "areas" / "mannisto" / "area.yaml"
    text = path.read_text(encoding="utf-8")
    assert "lähes 6 900 asukkaan" in text, f"{path}: the summary changed; update this test"
    path.write_text(text.replace("lähes 6 900 asukkaan", "lähes 7 900 asukkaan", 1),
                    encoding="utf-8")


def test_full_rebuilds_take_print_and_channels_from_the_cache_and_equal_cold_builds(
        tmp_path: Path) -> None:
    """The whole build (site, print, channels): with nothing changed nothing is rendered or
    drawn and the site is the same; after a one-area edit only that area's print products and
    channel outputs change, and the result is a cold build's, byte for byte."""
    warm = copy_project(tmp_path / "warm")
    build(warm, log=lambda _m: None)
    first = tree(warm / "site")
    assert any(rel.startswith("print/selection/") for rel in first)
    assert any(rel.startswith("social/") for rel in first)

    # Nothing changed: no PDF, poster, selection report or social image may be drawn.
    from generator.render import pdf as render

    def refuse(*_args, **_kwargs):  # noqa: ANN002, ANN003, ANN202
        raise AssertionError("rendered although nothing changed")

    logs: list[str] = []
    saved = render.render_pdf, render.render_document
    render.render_pdf = render.render_document = refuse
    try:
        build(warm, log=logs.append)
    finally:
        render.render_pdf, render.render_document = saved
    assert tree(warm / "site") == first
    printed = next(line for line in logs if line.startswith("print: "))
    assert re.fullmatch(r"print: (\d+) PDFs \(0 rendered, \1 from cache\).*", printed), printed

    edit_figure(warm)
    build(warm, log=lambda _m: None)
    second = tree(warm / "site")
    cold = copy_project(tmp_path / "cold")
    edit_figure(cold)
    build(cold, log=lambda _m: None)
    assert second == tree(cold / "site")

    changed = {rel for rel in first if second.get(rel) != first[rel]}
    # The edited summary is on the Finnish handout (the posters carry the phase's message,
    # not the summary) and in the Finnish newsletter ...
    assert "print/mannisto/fi/handout-a4.pdf" in changed
    assert "newsletter/mannisto/fi.html" in changed
    # ... and nothing of the other area, nor of another language of the area, changed.
    assert not [rel for rel in changed if "neulamaki" in rel]
    assert "print/mannisto/en/handout-a4.pdf" not in changed
