"""The quality gates applied to the built sample site.

Pages are found by globbing the build: every language folder (``site/<lang>/`` with a home page
and area pages), one area, its sub-pages, and the language chooser. Each test covers one page
type (and viewport) in every language present, and its failure message names every failing
page with its URL. The gates themselves are proven in ``test_gates_fail.py``.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from . import gates
from .conftest import LIGHTHOUSE_SCORES

#: The languages of the sample, in the order of the site contract (ar is right-to-left).
KNOWN_LANGUAGES = ("fi", "selko", "en", "sv", "ru", "uk", "ar")
SUB_PAGES = ("budget", "projects", "themes", "events")
PAGE_TYPES = ("chooser", "home", "area", *SUB_PAGES)
VIEWPORTS = {"360x800": (360, 800), "1280x900": (1280, 900)}


# ------------------------------------------------------------------------------------------
# Discovering the pages
# ------------------------------------------------------------------------------------------


def _is_area(folder: Path) -> bool:
    return (folder / "index.html").is_file() and any(
        (folder / sub / "index.html").is_file() for sub in SUB_PAGES
    )


def site_languages(site: Path) -> list[str]:
    """Language folders: the known languages first, then any other folder holding areas."""
    found = [lang for lang in KNOWN_LANGUAGES if (site / lang / "index.html").is_file()]
    for folder in sorted(p for p in site.iterdir() if p.is_dir()):
        if folder.name not in found and (folder / "index.html").is_file():
            if any(_is_area(child) for child in folder.iterdir() if child.is_dir()):
                found.append(folder.name)
    return found


def site_areas(site: Path, lang: str) -> list[str]:
    folder = site / lang
    return sorted(child.name for child in folder.iterdir() if child.is_dir() and _is_area(child))


def site_pages(site: Path) -> dict[str, list[tuple[str, str]]]:
    """``{page type: [(label, path relative to the site root)]}`` for every page that exists.

    One area is checked in every language: the first area (alphabetically) of the first
    language, or a language's own first area where that one is missing.
    """
    langs = site_languages(site)
    pages: dict[str, list[tuple[str, str]]] = {kind: [] for kind in PAGE_TYPES}
    if (site / "index.html").is_file():
        pages["chooser"].append(("language chooser", ""))
    first_areas = site_areas(site, langs[0]) if langs else []
    for lang in langs:
        pages["home"].append((f"{lang} home", f"{lang}/"))
        areas = site_areas(site, lang)
        area = first_areas[0] if first_areas and first_areas[0] in areas else (areas or [None])[0]
        if area is None:
            continue
        pages["area"].append((f"{lang}/{area}", f"{lang}/{area}/"))
        for sub in SUB_PAGES:
            if (site / lang / area / sub / "index.html").is_file():
                pages[sub].append((f"{lang}/{area}/{sub}", f"{lang}/{area}/{sub}/"))
    return pages


@pytest.fixture(scope="session")
def pages(sample_site: Path) -> dict[str, list[tuple[str, str]]]:
    return site_pages(sample_site)


def pages_of(pages: dict[str, list[tuple[str, str]]], kind: str) -> list[tuple[str, str]]:
    found = pages[kind]
    assert found, f"no {kind} page found in the built site: the gate would check nothing"
    return found


def report(failures: dict[str, str]) -> str:
    return "\n".join(f"{page}:\n{problems}" for page, problems in failures.items())


def test_site_has_every_page_type(sample_site: Path, pages) -> None:
    langs = site_languages(sample_site)
    assert "fi" in langs, f"no Finnish site in {sample_site}"
    missing = [
        f"{lang}: {kind}"
        for lang in langs
        for kind in ("home", "area", *SUB_PAGES)
        if not any(label.startswith(f"{lang} ") or label.startswith(f"{lang}/")
                   for label, _ in pages[kind])
    ]
    assert not missing, "pages missing from the build:\n" + "\n".join(missing)
    assert pages["chooser"], "site/index.html (language chooser) missing"


# ------------------------------------------------------------------------------------------
# Accessibility
# ------------------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("viewport", list(VIEWPORTS), ids=list(VIEWPORTS))
@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_axe_no_violations(site_base_url, chromium, pages, kind, viewport) -> None:
    failures = {}
    for label, path in pages_of(pages, kind):
        url = site_base_url + path
        violations = gates.run_axe(url, VIEWPORTS[viewport], browser=chromium)
        if violations:
            failures[f"{label} ({url})"] = gates.format_axe(violations)
    assert not failures, f"axe WCAG 2.2 A/AA violations at {viewport}:\n" + report(failures)


@pytest.mark.browser
@pytest.mark.parametrize("viewport", list(VIEWPORTS), ids=list(VIEWPORTS))
@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_keyboard_reaches_everything_with_visible_focus(
    site_base_url, chromium, pages, kind, viewport
) -> None:
    failures = {}
    for label, path in pages_of(pages, kind):
        url = site_base_url + path
        walk = gates.keyboard_walk(url, VIEWPORTS[viewport], browser=chromium)
        if walk.problems:
            failures[f"{label} ({url})"] = "\n".join(f"  {p}" for p in walk.problems)
    assert not failures, f"keyboard problems at {viewport}:\n" + report(failures)


def _h1_text(html_file: Path) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", html_file.read_text(encoding="utf-8"), re.S)
    if not match:
        return ""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split())


@pytest.mark.browser
@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_no_js_rendering(sample_site, site_base_url, chromium, pages, kind) -> None:
    """Without JavaScript the content shows and nothing scrolls sideways on a 360 px phone."""
    failures = {}
    for label, path in pages_of(pages, kind):
        url = site_base_url + path
        render = gates.no_js_render(url, 360, 800, browser=chromium)
        problems = []
        if render.status != 200:
            problems.append(f"  HTTP {render.status}")
        heading = _h1_text(sample_site / path / "index.html")
        text = " ".join(render.text.split())
        if not heading:
            problems.append("  no <h1> in the page")
        elif heading not in text:
            problems.append(f"  heading {heading!r} not visible without JavaScript")
        if len(text) < 100:
            problems.append(f"  only {len(text)} characters of visible text: {text!r}")
        if render.overflow:
            problems.append(
                f"  document is {render.scroll_width} px wide at 360 px; sticking out: "
                + ", ".join(render.overflowing[:10])
            )
        if render.blocked_requests:
            problems.append(f"  requests to other hosts: {render.blocked_requests}")
        if problems:
            failures[f"{label} ({url})"] = "\n".join(problems)
    assert not failures, "no-JavaScript rendering at 360x800:\n" + report(failures)


# ------------------------------------------------------------------------------------------
# Markup and links
# ------------------------------------------------------------------------------------------


def test_nu_html_checker_no_errors(sample_site: Path, node_tools) -> None:
    errors = gates.run_vnu([sample_site])
    by_file: dict[str, list[str]] = {}
    for error in errors:
        try:
            name = str(error.file.relative_to(sample_site.resolve()))
        except ValueError:
            name = str(error.file)
        by_file.setdefault(name, []).append(f"  {error.line}:{error.column}: {error.message}")
    summary = {
        f"{name} ({len(msgs)} errors)": "\n".join(msgs[:8]) for name, msgs in by_file.items()
    }
    assert not errors, f"Nu HTML Checker: {len(errors)} errors in {len(by_file)} files\n" + report(
        summary
    )


def _format_links(broken: list[gates.BrokenLink], site: Path) -> str:
    lines = []
    for link in broken[:60]:
        try:
            name = link.file.resolve().relative_to(site.resolve())
        except ValueError:
            name = link.file
        lines.append(f"  {name}:{link.line}: {link.url} ({link.reason})")
    if len(broken) > 60:
        lines.append(f"  ... and {len(broken) - 60} more")
    return "\n".join(lines)


def test_no_broken_links(sample_site: Path, sample_site_url, node_tools) -> None:
    broken = gates.run_lychee(sample_site, site_url=sample_site_url)
    assert not broken, f"{len(broken)} broken links:\n" + _format_links(broken, sample_site)


SUB_PATH_URL = "https://www.kuopio.fi/lahiot/"


def test_no_broken_links_in_sub_path_build(sample_site_subpath: Path, node_tools) -> None:
    assert gates.site_url_from_sitemap(sample_site_subpath) in (None, SUB_PATH_URL)
    broken = gates.run_lychee(sample_site_subpath, site_url=SUB_PATH_URL)
    assert not broken, f"{len(broken)} broken links under /lahiot/:\n" + _format_links(
        broken, sample_site_subpath
    )


@pytest.mark.browser
def test_sub_path_build_loads_everything(sample_site_subpath, subpath_base_url, chromium) -> None:
    """Served under /lahiot/, pages load all their resources (nothing 404s).

    Assets are shared by the languages, so every page type is loaded in the first language and
    the home and area pages in all of them; links in every page are checked by lychee.
    """
    found_pages = site_pages(sample_site_subpath)
    langs = site_languages(sample_site_subpath)
    # every page type in the first language, and each language's home and area page
    checked = {
        (kind, label, path)
        for kind, found in found_pages.items()
        for label, path in found
        if kind in ("chooser", "home", "area") or (langs and path.startswith(langs[0] + "/"))
    }
    failures = {}
    for kind, label, path in sorted(checked):
        url = subpath_base_url + path
        weight = gates.page_weight(url, browser=chromium)
        if weight["failed"] or weight["third_party"]:
            failures[f"{kind}: {label} ({url})"] = "\n".join(
                f"  {p}" for p in weight["failed"] + weight["third_party"]
            )
    assert not failures, "sub-path deployment:\n" + report(failures)


# ------------------------------------------------------------------------------------------
# Weight and privacy
# ------------------------------------------------------------------------------------------


@pytest.mark.browser
def test_area_page_weight(site_base_url, chromium, pages) -> None:
    """First view of an area page on a phone: HTML in the first round trip, all ≤ 50 KB."""
    failures = {}
    for label, path in pages_of(pages, "area"):
        url = site_base_url + path
        weight = gates.page_weight(url, (360, 800), browser=chromium)
        problems = []
        if weight["html_gzip_bytes"] > gates.HTML_BUDGET_BYTES:
            problems.append(
                f"  HTML {weight['html_gzip_bytes']} B gzip > {gates.HTML_BUDGET_BYTES} B"
            )
        if weight["total_gzip_bytes"] > gates.FIRST_VIEW_BUDGET_BYTES:
            biggest = sorted(weight["resources"], key=lambda r: -r[1])[:8]
            problems.append(
                f"  first view {weight['total_gzip_bytes']} B gzip > "
                f"{gates.FIRST_VIEW_BUDGET_BYTES} B; largest: "
                + ", ".join(f"{u.rsplit('/', 1)[-1] or u} {n} B" for u, n, _ in biggest)
            )
        problems += [f"  third-party request: {u}" for u in weight["third_party"]]
        problems += [f"  failed: {f}" for f in weight["failed"]]
        if problems:
            failures[f"{label} ({url})"] = "\n".join(problems)
    assert not failures, "page weight (gzip, first view at 360x800):\n" + report(failures)


def test_no_third_party_references(sample_site: Path) -> None:
    refs = gates.third_party_references(sample_site)
    lines = []
    for ref in refs[:60]:
        lines.append(f"  {ref.file.relative_to(sample_site)}:{ref.line}: {ref.how} {ref.url}")
    assert not refs, f"{len(refs)} references that load from other hosts:\n" + "\n".join(lines)


# ------------------------------------------------------------------------------------------
# Lighthouse
# ------------------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("kind", ["area", "budget"])
def test_lighthouse_mobile_scores(site_base_url, pages, lighthouse, kind) -> None:
    """Lighthouse's mobile audit of an area page and a budget page (first language only).

    Two pages keep the run under a minute; axe, the keyboard walk and the weight budget cover
    the other page types and languages. Scores are printed in the terminal summary.
    """
    label, path = pages_of(pages, kind)[0]
    url = site_base_url + path
    lhr = gates.run_lighthouse(url)
    LIGHTHOUSE_SCORES[f"{label} ({url})"] = gates.lighthouse_scores(lhr)
    print(f"Lighthouse {label}: {gates.lighthouse_scores(lhr)}")
    failures = gates.lighthouse_failures(lhr)
    assert not failures, f"Lighthouse (mobile) below {gates.LIGHTHOUSE_THRESHOLDS} on {url}:\n" + (
        "\n".join(f"  {f}" for f in failures)
    )
