"""Draw the screenshot gallery (docs/screenshots/) from a built site, as residents see it.

Every page type in Finnish, Arabic (right to left) and selkosuomi, on a phone (360 × 800) and a
desktop (1280 × 900), with Debian's Chromium. The pictures show the first screen, the part a
resident sees before scrolling; they are reduced to 256 colours so that the gallery stays small
in git. A review of a change to the pages starts by looking at them.

usage: .venv/bin/python tools/screenshots.py [SITE] [OUT]   (or `make screenshots`)
       SITE defaults to site/, OUT to docs/screenshots/.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from urllib.parse import urlsplit

from PIL import Image

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.quality import gates  # noqa: E402 - after the path is set

LANGUAGES = ("fi", "ar", "selko")
VIEWPORTS = {"phone": (360, 800), "desktop": (1280, 900)}
#: Page types and where to find one of each (``{area}``: the first area with a budget round).
PAGE_TYPES = {
    "home": "{lang}/",
    "area": "{lang}/{area}/",
    "budget": "{lang}/{area}/budget/",
    "results": "{lang}/{done}/budget/",
    "projects": "{lang}/{area}/projects/",
    "themes": "{lang}/{area}/themes/",
    "events": "{lang}/{area}/events/",
    "page": "{lang}/osallistu/",
    "404": "{lang}/404.html",
}


def _areas(site: Path) -> tuple[str, str]:
    """An area whose round has no results yet and one with results (either may repeat)."""
    rounds = sorted(p.parent.name for p in (site / "fi").glob("*/budget"))
    if not rounds:
        raise SystemExit(f"{site}: no area with a budget page; build the sample first")
    with_results = [a for a in rounds
                    if 'class="lahio-results-list"' in (site / "fi" / a / "budget" / "index.html")
                    .read_text(encoding="utf-8")]
    without = [a for a in rounds if a not in with_results]
    return (without or rounds)[0], (with_results or rounds)[0]


def _small_png(data: bytes) -> bytes:
    image = Image.open(io.BytesIO(data)).convert("RGB")
    out = io.BytesIO()
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(out, "PNG", optimize=True)
    return out.getvalue()


def draw_gallery(site: Path, out: Path) -> list[Path]:
    """Write one PNG per page type × language × viewport into ``out``; returns the files."""
    area, done = _areas(site)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    # Served under the path it was built for: the 404 pages link their assets absolutely.
    prefix = urlsplit(gates.site_url_from_sitemap(site) or "/").path or "/"
    with gates.serve(site, prefix=prefix) as base, gates.browser() as chromium:
        for view, (width, height) in VIEWPORTS.items():
            context = chromium.new_context(viewport={"width": width, "height": height},
                                           reduced_motion="reduce", service_workers="block")
            page = context.new_page()
            for kind, pattern in PAGE_TYPES.items():
                for lang in LANGUAGES:
                    rel = pattern.format(lang=lang, area=area, done=done)
                    if not (site / rel).exists() and not (site / rel / "index.html").exists():
                        continue
                    page.goto(base + rel, wait_until="load")
                    target = out / f"{kind}-{lang}-{view}.png"
                    target.write_bytes(_small_png(page.screenshot(type="png")))
                    written.append(target)
            context.close()
    return written


def main(argv: list[str]) -> int:
    site = Path(argv[0]) if argv else REPO / "site"
    out = Path(argv[1]) if len(argv) > 1 else REPO / "docs" / "screenshots"
    files = draw_gallery(site, out)
    total = sum(f.stat().st_size for f in files)
    print(f"wrote {len(files)} screenshots into {out} ({total // 1024} KB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
