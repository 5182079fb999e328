"""Shared, session-wide tools for the quality gates: one Chromium and one server per site.

Lighthouse scores measured during the session are collected in :data:`LIGHTHOUSE_SCORES` and
printed in the terminal summary, so every run reports them, passing or not.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from . import gates


def _setup_or_fail(**what: bool) -> None:
    try:
        gates.check_setup(**what)
    except gates.GateSetupError as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="package")
def chromium() -> Iterator[object]:
    """Debian's Chromium via Playwright, shared by every browser test of this package.

    Package scope, not session: Playwright's sync API runs one instance per thread, so the
    browser is closed when the quality gates are done and later tests can start their own.
    """
    _setup_or_fail(browser=True, java=False, node=True, lychee=False)
    with gates.browser() as launched:
        yield launched


@pytest.fixture(scope="session")
def node_tools() -> None:
    """Fail (never skip) when Java, vnu.jar or lychee are missing."""
    _setup_or_fail(browser=False, java=True, node=True, lychee=True)


@pytest.fixture(scope="session")
def lighthouse() -> None:
    """Fail (never skip) when Node, Lighthouse or Chromium are missing."""
    _setup_or_fail(browser=True, java=False, node=True, lychee=False)


#: ``{label: {category: score}}`` of every Lighthouse run on the sample site in this session.
LIGHTHOUSE_SCORES: dict[str, dict[str, float | None]] = {}


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the Lighthouse mobile scores of the session (also when every gate passed)."""
    if not LIGHTHOUSE_SCORES:
        return
    terminalreporter.section("Lighthouse (mobile, simulated slow 4G)")
    for label, scores in LIGHTHOUSE_SCORES.items():
        shown = ", ".join(
            f"{cid} {'n/a' if score is None else f'{score:.2f}'}" for cid, score in scores.items()
        )
        terminalreporter.write_line(f"{label}: {shown}")


@pytest.fixture(scope="session")
def sample_site_url(sample_site: Path) -> str | None:
    """The public URL the sample site was built for (from its sitemap), e.g. .../lahiot/."""
    return gates.site_url_from_sitemap(sample_site)


@pytest.fixture(scope="session")
def site_base_url(sample_site: Path, sample_site_url: str | None) -> Iterator[str]:
    """The sample site served by a local gzip-enabled server, under the path it was built for."""
    prefix = urlsplit(sample_site_url).path if sample_site_url else "/"
    with gates.serve(sample_site, prefix=prefix or "/") as base:
        yield base


@pytest.fixture(scope="session")
def subpath_base_url(sample_site_subpath: Path) -> Iterator[str]:
    """The sub-path build served under /lahiot/, as on the city's host."""
    with gates.serve(sample_site_subpath, prefix="/lahiot/") as base:
        yield base
