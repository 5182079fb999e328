"""``lahio guide-images``: the communicator's guide's pictures, redrawn from a built site.

- ``docs/img/area-phone.png``: an area page as a phone shows it (360 px wide), taken with the
  system's headless Chromium from the built files (no server, no network: every request that
  is not a local file is refused).
- ``docs/img/poster.png``: the first page of the first poster PDF (``site/print/…``), drawn
  with pypdfium2.

Run ``lahio build`` first, then ``lahio guide-images``, and commit the images: the guide then
shows what the current templates produce.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import LahioError

if TYPE_CHECKING:
    from playwright.sync_api import ViewportSize

CHROMIUM = "/usr/bin/chromium"
PHONE: ViewportSize = {"width": 360, "height": 740}
POSTER_WIDTH_PX = 600


def _first_area_page(site: Path, root: Path, lang: str = "fi") -> Path:
    areas = sorted(p.name for p in (root / "areas").iterdir() if p.is_dir()) \
        if (root / "areas").is_dir() else []
    for slug in areas:
        page = site / lang / slug / "index.html"
        if page.is_file():
            return page
    raise LahioError(f"no area page in {site}/{lang}/; run lahio build first")


def write_phone_screenshot(page: Path, dest: Path) -> Path:
    """A 360 px wide screenshot of the built ``page`` (first screen), written to ``dest``.

    Raises:
        LahioError: Chromium or Playwright is not installed.
    """
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise LahioError("guide-images needs Playwright: .venv/bin/pip install -e '.[test]'") \
            from exc
    executable = os.environ.get("LAHIO_CHROMIUM", CHROMIUM)
    if not Path(executable).exists():
        raise LahioError(f"guide-images needs Chromium at {executable} (apt-get install "
                         "chromium, or set LAHIO_CHROMIUM)")
    dest.parent.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            context = browser.new_context(viewport=PHONE, device_scale_factor=2,
                                          is_mobile=True, has_touch=True,
                                          java_script_enabled=False)
            # The built site loads nothing from other hosts; refuse anything but local files
            # so that a screenshot can never depend on the network.
            context.route("**/*", lambda route: route.continue_()
                          if route.request.url.startswith("file://") else route.abort())
            tab = context.new_page()
            tab.goto(page.resolve().as_uri(), wait_until="load", timeout=30_000)
            tab.screenshot(path=str(dest), full_page=False)
        finally:
            browser.close()
    return dest


def write_poster_preview(pdf: Path, dest: Path, width_px: int = POSTER_WIDTH_PX) -> Path:
    """The first page of ``pdf`` as a PNG ``width_px`` wide, written to ``dest``."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        page = doc[0]
        scale = width_px / page.get_width()
        image = page.render(scale=scale).to_pil().convert("RGB")
    finally:
        doc.close()
    dest.parent.mkdir(parents=True, exist_ok=True)
    image.save(dest, optimize=True)
    return dest


def first_poster(site: Path) -> Path:
    """The first A4 poster under ``site/print`` (areas sorted), preferring Finnish.

    Raises:
        LahioError: the site has no printed products (build the print stage first).
    """
    pdfs = sorted((site / "print").glob("*/*/*.pdf"))
    if not pdfs:
        raise LahioError(f"no PDFs in {site}/print/; run lahio build (with the print stage) "
                         "first")
    for wanted in (lambda p: p.parent.name == "fi" and p.name == "poster-a4.pdf",
                   lambda p: p.name == "poster-a4.pdf", lambda p: "poster" in p.name):
        found = [p for p in pdfs if wanted(p)]
        if found:
            return found[0]
    return pdfs[0]


def write_guide_images(root: Path, site: Path | None = None) -> list[Path]:
    """Redraw ``docs/img/area-phone.png`` and ``docs/img/poster.png`` from the built site.

    Returns:
        The images written, relative to ``root``.
    """
    root = root.resolve()
    site = (site or root / "site").resolve()
    img = root / "docs" / "img"
    written = [write_phone_screenshot(_first_area_page(site, root), img / "area-phone.png"),
               write_poster_preview(first_poster(site), img / "poster.png")]
    return [p.relative_to(root) for p in written]
