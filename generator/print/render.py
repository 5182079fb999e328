"""HTML → PDF with WeasyPrint: the one door to the PDF engine for every stage.

Other stages (reports, social images) call :func:`render_pdf`; the print stage uses
:func:`render_document` because it must know how many pages came out (a flyer that spills onto a
second page is an error, never a silent extra page).

Defaults: tagged PDF/UA-1 (document language from ``<html lang>``, title from ``<title>``),
fonts subset and embedded. The output depends only on the HTML and the installed fonts, so two
renders of the same input are byte-identical.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import weasyprint

WEASYPRINT_VERSION = weasyprint.__version__

#: Options every render gets unless the caller overrides them. PDF/UA-1 turns on tagging
#: (structure tree in reading order) and writes the title and language into the metadata.
DEFAULT_OPTIONS: dict[str, Any] = {"pdf_variant": "pdf/ua-1"}


@dataclass(frozen=True, slots=True)
class Rendered:
    """A rendered PDF and its page count."""

    pdf: bytes
    pages: int


def render_document(html: str, base_url: str | None = None, **options: Any) -> Rendered:
    """Lay out ``html`` and write it as PDF, returning the bytes and the number of pages.

    Args:
        html: a complete HTML document (``<html lang>``, ``<title>``, styles inline or linked).
        base_url: where relative URLs (images, stylesheets) are resolved; a folder path or URL.
        **options: WeasyPrint ``write_pdf`` options; they override :data:`DEFAULT_OPTIONS`.

    Returns:
        The PDF and its page count.
    """
    opts = {**DEFAULT_OPTIONS, **options}
    document = weasyprint.HTML(string=html, base_url=base_url).render(**opts)
    pdf = document.write_pdf(**opts)
    return Rendered(pdf, len(document.pages))


def render_pdf(html: str, base_url: str | None = None, **options: Any) -> bytes:
    """Render ``html`` to PDF bytes (tagged PDF/UA-1, fonts embedded).

    Args:
        html: a complete HTML document; page size and margins come from its ``@page`` rules.
        base_url: where relative URLs in the document are resolved.
        **options: WeasyPrint ``write_pdf`` options (e.g. ``pdf_variant=None`` for an untagged
            PDF); they override the defaults.

    Returns:
        The PDF file's bytes.
    """
    return render_document(html, base_url, **options).pdf
