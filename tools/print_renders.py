"""Draw the print gallery (docs/screenshots/print/) from a built site, as a passer-by sees it.

Every printed product of every area in Finnish and Arabic (right to left), each page rendered
at 100 dpi with the PDF engine's reader (pdfium) and reduced to 256 colours, so that a change
to a poster, a ballot or a handout is reviewed by looking at it; and the area-selection report.
An area has the products of its phase (a ballot while a vote is ahead, a results sheet after
it). The print-shop file (with bleed and crop marks) is drawn for the A4 poster only.

usage: .venv/bin/python tools/print_renders.py [SITE] [OUT]   (or `make screenshots`)
       SITE defaults to site/, OUT to docs/screenshots/print/.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

LANGUAGES = ("fi", "ar")
DPI = 100
#: The products drawn, by file name; the bleed file of the A4 poster shows the crop marks.
PRODUCTS = ("poster-a3", "poster-a4", "poster-a4-bleed", "flyer-a5", "flyer-a6",
            "flyer-a6-4up-a4", "handout-a4", "ballot-a4", "tally-a4", "results-a4",
            "evaluation-a4")


def _areas_with(site: Path, lang: str, product: str) -> list[Path]:
    """The ``product`` PDFs in ``lang`` of every area that has one, by area."""
    return [folder / lang / f"{product}.pdf" for folder in sorted((site / "print").iterdir())
            if folder.name != "selection" and (folder / lang / f"{product}.pdf").is_file()]


def _png(pdf: Path, index: int) -> bytes:
    doc = pdfium.PdfDocument(pdf)
    try:
        image = doc[index].render(scale=DPI / 72).to_pil().convert("RGB")
    finally:
        doc.close()
    buf = io.BytesIO()
    image.quantize(256, method=Image.Quantize.MEDIANCUT).save(buf, "PNG", optimize=True)
    return buf.getvalue()


def draw(site: Path, out: Path) -> list[Path]:
    """Write the gallery; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    jobs: list[tuple[str, str, Path | None]] = [
        (lang, product, pdf) for lang in LANGUAGES for product in PRODUCTS
        for pdf in _areas_with(site, lang, product)]
    jobs += [(lang, "selection-report", site / "print" / "selection" / lang /
              "selection-report.pdf") for lang in LANGUAGES]
    for lang, product, pdf in jobs:
        if pdf is None or not pdf.is_file():
            continue
        pages = len(pdfium.PdfDocument(pdf))
        for index in range(pages):
            suffix = f"-p{index + 1}" if pages > 1 else ""
            area = pdf.parent.parent.name
            name = out / f"{product}-{lang}{suffix}.png"
            if area != "selection":
                name = out / f"{product}-{area}-{lang}{suffix}.png"
            name.write_bytes(_png(pdf, index))
            written.append(name)
    return written


def main(argv: list[str]) -> int:
    site = Path(argv[1]) if len(argv) > 1 else Path("site")
    out = Path(argv[2]) if len(argv) > 2 else Path("docs/screenshots/print")
    for old in out.glob("*.png"):
        old.unlink()
    for path in draw(site, out):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
