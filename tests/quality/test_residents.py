"""What a resident on a 360 px phone checks, in Debian's Chromium.

The sample is built on two dates: inside Männistö's ideas phase and inside its voting phase
(Neulamäki's round is over on both). On each, the area page and the budget page must put the
one action the phase calls for — the platform's proposal form, its voting page, the results —
within the first one and a half screens. Every page, in every language, must fit the screen's
width, keep the project's components styled as the project means (not as Material's
typographic defaults make them), show every language by its own name, and pass axe-core's
WCAG 2.2 AA rules.
"""

from __future__ import annotations

import calendar
import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from ..conftest import ROOT, copy_project
from . import gates

PHONE = (360, 800)
#: The action must be within this many screen heights from the top of the page.
REACH = 1.5


def _epoch(day: dt.date) -> str:
    return str(calendar.timegm(dt.datetime(day.year, day.month, day.day, 12).timetuple()))


def _round(slug: str) -> dict:
    return yaml.safe_load((ROOT / "areas" / slug / "budget.yaml").read_text("utf-8"))["round"]


def _phase(slug: str, kind: str) -> tuple[dt.date, dt.date]:
    ph = next(p for p in _round(slug)["phases"] if p["kind"] == kind)
    return ph["start"], ph["end"]


def _middle(slug: str, kind: str) -> dt.date:
    start, end = _phase(slug, kind)
    return start + (end - start) / 2


def _build_on(tmp: Path, day: dt.date) -> Path:
    from generator.build import build

    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = _epoch(day)
    try:
        proj = copy_project(tmp / "project")
        build(proj, log=lambda _m: None)
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old
    return proj / "site"


def _prefix(site: Path) -> str:
    """The path the site was built for (404 pages link their assets absolutely)."""
    return urlsplit(gates.site_url_from_sitemap(site) or "/").path or "/"


@pytest.fixture(scope="module")
def voting_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = _build_on(tmp_path_factory.mktemp("voting"), _middle("mannisto", "voting"))
    with gates.serve(site, prefix=_prefix(site)) as base:
        yield base, site  # type: ignore[misc]


@pytest.fixture(scope="module")
def ideas_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = _build_on(tmp_path_factory.mktemp("ideas"), _middle("mannisto", "ideas"))
    with gates.serve(site, prefix=_prefix(site)) as base:
        yield base, site  # type: ignore[misc]


def _languages() -> list[dict]:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    return config["extra"]["lahio"]["languages"]


LANGS = [lang["code"] for lang in _languages()]

_ACTION = """() => {
  const a = document.querySelector('a.lahio-button--primary');
  if (!a) return null;
  const box = a.getBoundingClientRect();
  return {href: a.href, bottom: box.bottom + window.scrollY, width: box.width,
          height: box.height, text: a.textContent.trim()};
}"""


def _check_action(base: str, paths: list[str], want, chromium) -> list[str]:
    problems = []
    found = gates.evaluate_pages([base + p for p in paths], _ACTION, PHONE, browser=chromium)
    for url, action in found.items():
        if action is None:
            problems.append(f"{url}: no primary action")
        elif not want(action["href"]):
            problems.append(f"{url}: the action leads to {action['href']}")
        elif action["bottom"] > REACH * PHONE[1]:
            problems.append(f"{url}: the action ends {action['bottom']:.0f} px down "
                            f"(> {REACH * PHONE[1]:.0f})")
        elif action["height"] < 44:
            problems.append(f"{url}: the action is {action['height']:.0f} px tall")
    return problems


@pytest.mark.browser
def test_vote_link_is_within_reach_while_voting(voting_site, chromium) -> None:
    base, _site = voting_site
    vote = _round("mannisto")["links"]["vote"]
    paths = [f"{lang}/mannisto/{sub}" for lang in LANGS for sub in ("", "budget/")]
    problems = _check_action(base, paths, lambda href: href == vote, chromium)
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_proposal_form_is_within_reach_in_the_ideas_phase(ideas_site, chromium) -> None:
    base, _site = ideas_site
    form = _round("mannisto")["links"]["proposals"]
    paths = [f"{lang}/mannisto/{sub}" for lang in LANGS for sub in ("", "budget/")]
    problems = _check_action(base, paths, lambda href: href == form, chromium)
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_results_are_within_reach_after_the_round(voting_site, chromium) -> None:
    base, site = voting_site
    paths = [f"{lang}/neulamaki/{sub}" for lang in LANGS for sub in ("", "budget/")]
    problems = _check_action(
        base, paths, lambda href: href.split("?")[0].endswith("/neulamaki/budget/#results")
        or href.endswith("#results"), chromium)
    assert not problems, "\n".join(problems)
    # In the past tense: the round's own page does not ask to vote any more.
    html = (site / "fi" / "neulamaki" / "budget" / "index.html").read_text("utf-8")
    assert "Äänestä verkossa" not in html


def _all_pages(site: Path) -> list[str]:
    """Every HTML page of every language (the chooser aside), 404 pages included."""
    paths = []
    for lang in LANGS:
        for page in sorted((site / lang).rglob("index.html")):
            rel = page.parent.relative_to(site).as_posix()
            paths.append(f"{rel}/")
        paths.append(f"{lang}/404.html")
    return paths


_WIDTH = "() => ({scroll: document.documentElement.scrollWidth, view: window.innerWidth})"


@pytest.mark.browser
def test_no_page_scrolls_sideways_in_any_language(voting_site, chromium) -> None:
    base, site = voting_site
    paths = _all_pages(site)
    assert len(paths) >= len(LANGS) * 15, paths  # home, 2 areas × 5 pages, 3 pages, report, 404
    found = gates.evaluate_pages([base + p for p in paths], _WIDTH, PHONE, browser=chromium)
    wide = [f"{url}: {r['scroll']} px wide in a {r['view']} px window"
            for url, r in found.items() if r["scroll"] > r["view"]]
    assert not wide, "\n".join(wide)


_STYLES = """() => {
  const px = (v) => parseFloat(v) || 0;
  const out = {actions: [], items: [], cells: [], charts: [], lists: []};
  for (const ul of document.querySelectorAll('.lahio-main ul.lahio-actions')) {
    out.actions.push(getComputedStyle(ul).display);
    for (const li of ul.children) {
      const s = getComputedStyle(li);
      out.items.push(px(s.marginLeft) + px(s.marginRight));
    }
  }
  for (const cell of document.querySelectorAll('.lahio-main td, .lahio-main th')) {
    const s = getComputedStyle(cell);
    out.cells.push(Math.min(px(s.paddingLeft), px(s.paddingRight), px(s.paddingTop)));
  }
  for (const text of document.querySelectorAll('svg.lahio-chart text')) {
    const svg = text.ownerSVGElement;
    const vb = svg.viewBox.baseVal;
    const scale = svg.getBoundingClientRect().width / vb.width;
    out.charts.push(px(getComputedStyle(text).fontSize) * scale);
  }
  for (const ol of document.querySelectorAll('.lahio-main :is(ol.lahio-stepper, ul.lahio-cards, ol.lahio-results-list, ul.lahio-figures)')) {
    out.lists.push([ol.className, getComputedStyle(ol).display]);
  }
  return out;
}"""


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["fi", "ar"])
def test_components_are_styled_by_the_project(voting_site, chromium, lang) -> None:
    base, _site = voting_site
    paths = [f"{lang}/{area}/{sub}" for area in ("mannisto", "neulamaki")
             for sub in ("", "budget/")]
    found = gates.evaluate_pages([base + p for p in paths], _STYLES, PHONE, browser=chromium)
    problems = []
    charts = 0
    for url, s in found.items():
        problems += [f"{url}: action list is display:{d}" for d in s["actions"]
                     if d not in ("flex", "grid")]
        problems += [f"{url}: an action has {m:.1f} px side margins" for m in s["items"] if m]
        problems += [f"{url}: a table cell has {p:.1f} px padding" for p in s["cells"] if p < 4]
        problems += [f"{url}: chart text is {f:.1f} px" for f in s["charts"] if f < 13]
        problems += [f"{url}: {c} is display:{d}" for c, d in s["lists"]
                     if d not in ("flex", "grid")]
        charts += len(s["charts"])
    assert charts, "no chart text found: the check would pass on nothing"
    assert not problems, "\n".join(problems)


_LANGS = """() => [...document.querySelectorAll('.lahio-langs a')].map((a) => {
  const box = a.getBoundingClientRect();
  return {name: a.textContent.trim(), current: a.getAttribute('aria-current'),
          visible: a.checkVisibility() && box.width > 0 && box.bottom <= window.innerHeight,
          height: box.height, width: box.width, lang: a.lang};
})"""


@pytest.mark.browser
def test_every_language_is_named_and_one_tap_away(voting_site, chromium) -> None:
    base, site = voting_site
    names = {lang["code"]: lang["name"] for lang in _languages()}
    paths = [f"{lang}/{sub}" for lang in LANGS
             for sub in ("", "mannisto/", "neulamaki/budget/", "404.html")]
    found = gates.evaluate_pages([base + p for p in paths], _LANGS, PHONE, browser=chromium)
    problems = []
    for url, links in found.items():
        shown = {link["name"] for link in links if link["visible"]}
        missing = set(names.values()) - shown
        if missing:
            problems.append(f"{url}: not visible without a tap: {sorted(missing)}")
        current = [link["name"] for link in links if link["current"] == "page"]
        code = url[len(base):].split("/")[0]
        if current != [names[code]]:
            problems.append(f"{url}: current language shown as {current}")
        small = [link["name"] for link in links if link["height"] < 44 or link["width"] < 44]
        if small:
            problems.append(f"{url}: tap targets under 44 px: {small}")
    assert not problems, "\n".join(problems)
    order = [link["name"] for link in found[base + "fi/"]]
    assert order.index(names["selko"]) == order.index(names["fi"]) + 1, order


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["fi", "ar", "selko"])
def test_axe_on_the_task_pages_while_voting(voting_site, chromium, lang) -> None:
    base, _site = voting_site
    failures = {}
    for path in (f"{lang}/mannisto/", f"{lang}/mannisto/budget/", f"{lang}/neulamaki/budget/",
                 f"{lang}/404.html"):
        violations = gates.run_axe(base + path, PHONE, browser=chromium)
        if violations:
            failures[path] = gates.format_axe(violations)
    assert not failures, "\n".join(f"{k}:\n{v}" for k, v in failures.items())
