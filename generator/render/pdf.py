"""HTML → PDF with WeasyPrint: the one door to the PDF engine for every stage.

Other stages (reports, social images) call :func:`render_pdf`; the print stage uses
:func:`render_document` because it must know how many pages came out (a flyer that spills onto a
second page is an error, never a silent extra page).

Defaults: tagged PDF/UA-1 (document language from ``<html lang>``, title from ``<title>``),
fonts subset and embedded. The output depends only on the HTML, the stylesheets and the
installed fonts, so two renders of the same input are byte-identical.

Filling a page: a block with the ``data-fill`` attribute (at least as tall as its page leaves
room for, by its ``min-height``) shares the height its children leave free, after the layout,
without laying anything out again: first a child with ``data-grow`` grows up to its
``max-height`` (a picture, cropped to it), then the rest goes between the children, the first at
the top and the last at the bottom (what CSS flex's ``space-between`` does, at a fraction of its
cost: WeasyPrint's flex layout lays out each child several times), or, when children have
``data-push``, above them (flex's ``margin-top: auto``). See :func:`fill_pages`.

Copies: a block with ``data-copy="<id>"`` gets, after the layout, a copy of what the element
with that id holds, laid out once (four flyers on a sheet: one layout, not four). The two must
be the same size; the copies are tagged and read like the original.

Speed: each process (each thread) keeps one font configuration (Pango's font map: fonts are
found, opened and shaped once, not once per document) and the parsed form of every stylesheet
passed as ``stylesheets`` (products of one size share one); processes forked from it take
them over (:func:`warm_up`). Neither changes a byte of the output: the PDF does not depend
on what the process rendered before. The engine is imported without a library search
(:func:`_import_engine`), and its default stylesheet without the rules for pseudo-elements no
document has (:func:`_user_agent_sheet`). QR codes for print are drawn as the document is laid
out, from their ``qr-png:`` addresses (:data:`generator.render.qr.QR_PNG_SCHEME`).
"""

from __future__ import annotations

import copy
import io
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import PICTURE_SCHEME, TEXT_LAYER_CSS


def _import_engine() -> None:
    """Import WeasyPrint without the library search it does not need here.

    WeasyPrint opens Pango, HarfBuzz and the rest by trying several names per library
    (``libgobject-2.0-0``, ``gobject-2.0``, … ``libgobject-2.0.so.0``); cffi hands every name
    that does not open to ``ctypes.util.find_library``, which on Linux runs ``ldconfig``,
    ``gcc`` and ``ld`` for it: about 20 searches and 50 processes, 0.18 of the 0.45 s the
    import takes, in every process that renders. The name that opens is one the system's
    loader finds by itself, so the search is left out; should a library be found only by
    the search (an unusual installation), the import is done again with it.
    """
    import ctypes.util

    search = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        import weasyprint  # noqa: F401
    except OSError:
        ctypes.util.find_library = search
        import weasyprint  # noqa: F401
    finally:
        ctypes.util.find_library = search


_import_engine()

import pydyf  # noqa: E402
import weasyprint  # noqa: E402
from weasyprint.document import Page  # noqa: E402
from weasyprint.pdf import VARIANTS  # noqa: E402
from weasyprint.formatting_structure import boxes  # noqa: E402
from weasyprint.layout.absolute import AbsolutePlaceholder  # noqa: E402
from weasyprint.layout.background import layout_box_backgrounds  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402
from weasyprint.urls import URLFetcherResponse  # noqa: E402

from .qr import QR_PNG_SCHEME, qr_png  # noqa: E402

WEASYPRINT_VERSION = weasyprint.__version__

#: Options every render gets unless the caller overrides them. PDF/UA-1 turns on tagging
#: (structure tree in reading order) and writes the title and language into the metadata.
DEFAULT_OPTIONS: dict[str, Any] = {"pdf_variant": "pdf/ua-1"}
#: The bleed a print-shop file promises (its PDF BleedBox); its media box may be larger (a slug
#: with the crop marks).
BLEED_MM = 3
#: Parsed stylesheets kept per process (a build uses a few dozen).
_MAX_STYLESHEETS = 128


@dataclass(frozen=True, slots=True)
class Rendered:
    """A rendered PDF and its page count.

    ``pdf`` is empty when the layout had more pages than the caller allowed (then nothing is
    written); ``trimmed`` is the same layout for an office printer, without its bleed and crop
    marks (see :class:`_PrintShop`), when asked for.
    """

    pdf: bytes
    pages: int
    trimmed: bytes = b""


class _Engine(threading.local):
    """Per thread: the font configuration and the parsed stylesheets.

    WeasyPrint's objects are not thread-safe, so another thread starts its own. A process
    forked from this one (a render worker) takes them over as they are, ready: each process
    renders on its own copy, and what was rendered before never changes a byte of a PDF.
    """

    ready = False

    def get(self) -> _Engine:
        if not self.ready:
            self.ready = True
            self.fonts = FontConfiguration()
            self.sheets: OrderedDict[str, weasyprint.CSS] = OrderedDict()
        return self

    def stylesheet(self, source: str) -> weasyprint.CSS:
        sheet = self.sheets.get(source)
        if sheet is None:
            sheet = weasyprint.CSS(string=source, font_config=self.fonts)
            self.sheets[source] = sheet
            if len(self.sheets) > _MAX_STYLESHEETS:
                self.sheets.popitem(last=False)
        else:
            self.sheets.move_to_end(source)
        return sheet


_ENGINE = _Engine()


def _user_agent_sheet() -> weasyprint.CSS:
    """WeasyPrint's default stylesheet for HTML without its rules for every element's
    pseudo-elements that no document of ours has.

    ``::marker``, ``::footnote-call``, ``::footnote-marker``, ``::note-call``,
    ``::note-marker`` and ``::note-callback`` match every element, so the engine computes six
    styles more per element than it has elements: over half of the time it spent computing
    styles. Markers are only drawn for list items (``li``; ``summary``, which the default
    stylesheet makes one), and no template has footnotes or notes (``float: footnote``), so
    the marker rule is kept for those elements and the others are left out. The PDFs are
    byte-identical to those made with the full stylesheet (checked over every print product
    of the sample).
    """
    from weasyprint.html import UA, UA_COUNTER_STYLE

    kept = []
    for line in UA.splitlines():
        if line.startswith(("::footnote-", "::note-")):
            continue
        if line.startswith("::marker {"):
            line = "li::marker, summary::marker {" + line.removeprefix("::marker {")
        kept.append(line)
    return weasyprint.CSS(string="\n".join(kept), counter_style=UA_COUNTER_STYLE)


class _HTML(weasyprint.HTML):
    """A document with the default stylesheet of :func:`_user_agent_sheet`."""

    sheet: weasyprint.CSS | None = None

    def _ua_stylesheets(self, forms: bool = False) -> list[weasyprint.CSS]:
        if _HTML.sheet is None:
            _HTML.sheet = _user_agent_sheet()
        return [_HTML.sheet, *super()._ua_stylesheets(forms)[1:]]


def warm_up(stylesheets: Sequence[str]) -> None:
    """Get this process ready to render documents with ``stylesheets``, so that processes
    forked from it start ready: the engine imported (by this module), the stylesheets parsed
    (their fonts registered), and one small document laid out and written (the engine's C
    types parsed, the first font opened). Half a second each render process would otherwise
    spend; what only some documents need (a hyphenation dictionary, a font for another
    script) is left to the processes that meet it, side by side.
    """
    engine = _ENGINE.get()
    for source in (TEXT_LAYER_CSS, *stylesheets):
        engine.stylesheet(source)
    if stylesheets:
        lay_out('<html lang="fi"><title>-</title><p>Lähiö <b>Kuopio</b></p></html>',
                stylesheets=stylesheets[:1]).write_pdf()


#: The types of the pictures a document may name by :data:`PICTURE_SCHEME`, by their ending.
_PICTURE_TYPES = {".jpg": "image/jpeg", ".png": "image/png", ".svg": "image/svg+xml",
                  ".webp": "image/webp"}


class _Fetcher(weasyprint.URLFetcher):
    """WeasyPrint's fetcher, the print QR images of ``qr-png:`` addresses
    (:data:`generator.render.qr.QR_PNG_SCHEME`), drawn here, and the pictures of
    ``lahio-picture:`` addresses (:data:`generator.render.PICTURE_SCHEME`), read from
    ``pictures``."""

    def __init__(self, pictures: Path | None = None) -> None:
        super().__init__()
        self.pictures = pictures

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url.startswith(QR_PNG_SCHEME):
            return URLFetcherResponse(url, qr_png(url.removeprefix(QR_PNG_SCHEME)),
                                      {"Content-Type": "image/png"})
        if url.startswith(PICTURE_SCHEME):
            name = url.removeprefix(PICTURE_SCHEME)
            kind = _PICTURE_TYPES.get(Path(name).suffix.lower())
            if self.pictures is None or kind is None or Path(name).name != name:
                raise ValueError(f"{url}: not a picture of this document")
            return URLFetcherResponse(url, (self.pictures / name).read_bytes(),
                                      {"Content-Type": kind})
        return super().fetch(url, headers)


def lay_out(html: str, base_url: str | None = None, stylesheets: Sequence[str] = (),
            pictures: Path | None = None, **options: Any) -> weasyprint.Document:
    """Lay out ``html`` into pages (no PDF written yet); see :func:`render_document`."""
    opts = {**DEFAULT_OPTIONS, **options}
    engine = _ENGINE.get()
    sheets = [engine.stylesheet(source) for source in (TEXT_LAYER_CSS, *stylesheets)]
    document = _HTML(string=html, base_url=base_url, url_fetcher=_Fetcher(pictures)).render(
        font_config=engine.fonts, stylesheets=sheets, **opts)
    fill_pages(document)
    return document


#: Room left free (CSS px) that is not worth moving anything for.
_FREE_PX = 0.5


def fill_pages(document: weasyprint.Document) -> None:
    """Share the free height of every ``data-fill`` block between its children and fill the
    ``data-copy`` blocks, page by page (see the module's docstring). A block that runs over
    onto another page is left as laid out: its page break, not its page, sets its height."""
    found = []
    pages_of: dict[Any, int] = {}  # element → pages it has a box on
    for page in document.pages:
        fills, originals, copies = _blocks(page._page_box)
        found.append((fills, originals, copies))
        for element in {box.element for box in fills}:
            pages_of[element] = pages_of.get(element, 0) + 1
    for n, (page, (fills, originals, copies)) in enumerate(
            zip(document.pages, found, strict=True)):
        page_box = page._page_box
        changed = False
        for box in fills:
            if pages_of[box.element] == 1:
                changed |= _spread(page_box, box)
        for target in copies:
            original = originals.get(target.element.get("data-copy"))
            if original is not None:
                _copy_into(page_box, original, target)
                changed = True
        if changed:  # links, anchors and bookmarks where the boxes are now
            document.pages[n] = Page(page_box)


def _blocks(page_box: Any) -> tuple[list[Any], dict[str, Any], list[Any]]:
    """A page's ``data-fill`` blocks (outermost first), its blocks with an id and its
    ``data-copy`` blocks."""
    fills: list[Any] = []
    originals: dict[str, Any] = {}
    copies: list[Any] = []
    # (box, its parent's element): an anonymous box (the block around an element's loose
    # text) carries its parent's element, and is not that element's box.
    stack: list[tuple[Any, Any]] = [(page_box, None)]
    while stack:
        box, above = stack.pop()
        if isinstance(box, AbsolutePlaceholder):  # a positioned box, in the flow's place
            box = box._box
        element: Any = getattr(box, "element", None)
        if isinstance(box, boxes.BlockBox) and element is not above:
            if _has(box, "data-fill"):
                fills.append(box)
            if _has(box, "data-copy"):
                copies.append(box)
            elif _has(box, "id"):
                originals[element.get("id")] = box
        if not isinstance(box, boxes.LineBox):  # no block inside a line here
            stack.extend((kid, element) for kid in getattr(box, "children", ()))
    return fills, originals, copies


def _has(box: Any, attribute: str) -> bool:
    element = getattr(box, "element", None)
    return (element is not None and element.get(attribute) is not None
            and "::" not in (box.element_tag or ""))


def _spread(page_box: Any, box: Any) -> bool:
    """Share ``box``'s free height between its in-flow children; True when anything moved."""
    kids = [kid for kid in box.children if kid.is_in_normal_flow()]
    if not kids:
        return False
    free = (box.content_box_y() + box.height
            - max(kid.position_y + kid.margin_height() for kid in kids))
    if free <= _FREE_PX:
        return False
    growth = []
    for kid in kids:
        grow = 0.0
        if _has(kid, "data-grow"):
            grow = max(0.0, min(free, kid.max_height - kid.height))
            free -= grow
        growth.append(grow)
    # What is left goes above the children marked data-push (CSS's margin-top: auto),
    # shared between them; without one, evenly between all the children.
    pushed = sum(1 for kid in kids if _has(kid, "data-push"))
    gap = 0.0 if pushed or len(kids) < 2 else free / (len(kids) - 1)
    moved = 0.0
    for i, (kid, grow) in enumerate(zip(kids, growth, strict=True)):
        if pushed and _has(kid, "data-push"):
            moved += free / pushed
        kid.translate(0, moved + i * gap)
        if grow:
            _grow(kid, grow)
            moved += grow
        layout_box_backgrounds(page_box, kid, _no_image)  # where the kid's colours are now
    return True


def _grow(box: Any, height: float) -> None:
    """Make ``box`` ``height`` taller: what is pinned to its bottom moves down with it, what
    is stretched to its height (top and bottom set, or a percentage height) grows too."""
    box.height += height
    for kid in getattr(box, "children", ()):
        if kid.is_in_normal_flow():
            if getattr(kid.style["height"], "unit", None) == "%":
                _grow(kid, height)
        elif kid.style["bottom"] != "auto":
            if kid.style["top"] == "auto":
                kid.translate(0, height)
            else:
                _grow(kid, height)


def _copy_into(page_box: Any, original: Any, target: Any) -> None:
    """Give ``target`` a copy of ``original``'s laid-out content, at its own place."""
    dx = target.content_box_x() - original.content_box_x()
    dy = target.content_box_y() - original.content_box_y()
    kids = []
    for kid in original.children:
        twin = _deepcopy(kid)
        twin.translate(dx, dy)
        kids.append(twin)
    target.children = kids
    layout_box_backgrounds(page_box, target, _no_image)


def _deepcopy(box: Any) -> Any:
    """``box.deepcopy()``, with a table's columns copied too (they move with the table)."""
    twin = box.deepcopy()
    stack = [twin]
    while stack:
        item = stack.pop()
        if isinstance(item, boxes.TableBox):
            item.column_groups = tuple(group.deepcopy() for group in item.column_groups)
        stack.extend(getattr(item, "children", ()))
    return twin


def _no_image(**kwargs: Any) -> None:
    """The backgrounds of a moved block are colours: an image there would have to be fetched
    again, so it is an error of the template (put it on the data-fill block itself or on an
    absolutely positioned child, which are not moved)."""
    raise ValueError(f"a background image inside a data-fill block's child: {kwargs.get('url')}")


#: The crop marks: from the media box's edge to this far outside the trim box (beyond the
#: bleed, never under a colour running into it), 0.25 pt, in registration colour (every
#: separation prints them).
_MARK_GAP_MM = BLEED_MM + 1
_MARK_WIDTH_PT = 0.25


def _mm(value: float) -> float:
    return value * 72 / 25.4


def _crop_marks(trim: Sequence[float], media: Sequence[float]) -> list[bytes] | None:
    """The content of a page's crop marks (eight lines in its slug, at the trim box's edges),
    or None when the page has no slug to draw them in. PDF's default user space; an artifact,
    not part of the document's text (PDF/UA)."""
    gap = _mm(_MARK_GAP_MM)
    left, bottom, right, top = (float(v) for v in trim)
    m_left, m_bottom, m_right, m_top = (float(v) for v in media)
    if min(left - m_left, m_right - right, bottom - m_bottom, m_top - top) <= gap + _mm(1):
        return None
    lines = []
    for x, x_out, x_mark in ((left, m_left, left - gap), (right, m_right, right + gap)):
        for y, y_out, y_mark in ((bottom, m_bottom, bottom - gap), (top, m_top, top + gap)):
            lines.append(f"{x_out:.2f} {y:.2f} m {x_mark:.2f} {y:.2f} l S")
            lines.append(f"{x:.2f} {y_out:.2f} m {x:.2f} {y_mark:.2f} l S")
    return [b"/Artifact BMC", b"q", f"{_MARK_WIDTH_PT} w 0 J 1 1 1 1 K".encode(),
            *(line.encode() for line in lines), b"Q", b"EMC"]


class _PrintShop:
    """The finisher of a print-shop file (a layout with ``@page { bleed }``): the PDF's
    BleedBox set to :data:`BLEED_MM` around the TrimBox (WeasyPrint puts it between the trim
    and the media box, at most 10 points out: not the 3 mm print shops use), and crop marks
    drawn in the slug (:func:`_crop_marks`).

    With ``twin``, the file for an office printer is written too, from the same PDF objects,
    before the marks are added: each page's media box is its trim box, and the page content
    is the print shop's, byte for byte, without the marks. What runs into the bleed (a header
    band's colour) lies outside the media box, where no viewer or printer shows it. Nothing
    is laid out or painted twice.
    """

    def __init__(self, twin: bool, options: dict[str, Any]) -> None:
        self.twin = twin
        variant = options.get("pdf_variant")
        defaults = VARIANTS[variant][1] if variant else {}
        self.version = options.get("pdf_version") or defaults.get("pdf_version")
        self.identifier = options.get("pdf_identifier")
        self.compress = not options.get("uncompressed_pdf")
        self.trimmed = b""

    def __call__(self, _document: weasyprint.Document, pdf: Any) -> None:
        out = _mm(BLEED_MM)
        pages = [obj for obj in pdf.objects
                 if isinstance(obj, dict) and obj.get("Type") == "/Page" and "TrimBox" in obj]
        _write_once(pdf)
        if self.twin:
            self.trimmed = self._trimmed(pdf, pages)
        for page in pages:
            trim, media = page["TrimBox"], page["MediaBox"]
            if trim[0] - media[0] >= out:
                page["BleedBox"] = type(trim)([trim[0] - out, trim[1] - out,
                                               trim[2] + out, trim[3] + out])
            marks = _crop_marks(trim, media)
            if marks is not None:
                stream = pydyf.Stream(marks, compress=self.compress)
                pdf.add_object(stream)
                # First, in PDF's default user space: WeasyPrint's content sets its own.
                page["Contents"] = pydyf.Array([stream.reference, page["Contents"]])

    def _trimmed(self, pdf: Any, pages: list[Any]) -> bytes:
        twin = copy.copy(pdf)
        twin.objects = list(pdf.objects)
        twin.current_position, twin.xref_position = 0, None
        for page in pages:
            trimmed = pydyf.Dictionary(page)
            trimmed.number = page.number
            trimmed["MediaBox"] = trimmed["BleedBox"] = page["TrimBox"]
            twin.objects[page.number] = trimmed
        output = io.BytesIO()
        twin.write(output, self.version, self.identifier, self.compress)
        return output.getvalue()


class _Written(pydyf.Object):
    """A PDF stream object serialized once (its compression is the costly part), for a PDF
    written twice (:class:`_PrintShop`)."""

    def __init__(self, number: int, data: bytes) -> None:
        super().__init__()
        self.number = number
        self._data = data

    @property
    def data(self) -> bytes:
        return self._data

    @property
    def compressible(self) -> bool:
        return False


def _write_once(pdf: Any) -> None:
    """Serialize ``pdf``'s streams now, once for every time the PDF is written."""
    for i, obj in enumerate(pdf.objects):
        if isinstance(obj, pydyf.Stream):
            pdf.objects[i] = _Written(obj.number, obj.data)


def count_pages(html: str, base_url: str | None = None, stylesheets: Sequence[str] = (),
                **options: Any) -> int:
    """How many pages ``html`` lays out to (cheaper than :func:`render_document`)."""
    return len(lay_out(html, base_url, stylesheets, **options).pages)


def render_document(html: str, base_url: str | None = None, stylesheets: Sequence[str] = (),
                    max_pages: int | None = None, trimmed: bool = False,
                    pictures: Path | None = None, **options: Any) -> Rendered:
    """Lay out ``html`` and write it as PDF, returning the bytes and the number of pages.

    Args:
        html: a complete HTML document (``<html lang>``, ``<title>``, styles inline or linked).
        base_url: where relative URLs (images, stylesheets) are resolved; a folder path or URL.
        stylesheets: CSS sources in the cascade's user origin (above the engine's defaults,
            below the document's own styles); each is parsed once per process, so pass shared
            CSS here rather than inline in every document.
        max_pages: when the layout has more pages, no PDF is written (``pdf`` is empty) —
            the caller reports the overflow instead.
        trimmed: also write the layout without its bleed and crop marks (``trimmed``; see
            :class:`_PrintShop`).
        pictures: the folder of the pictures ``html`` names by
            :data:`generator.render.PICTURE_SCHEME` addresses.
        **options: WeasyPrint ``write_pdf`` options; they override :data:`DEFAULT_OPTIONS`.

    Returns:
        The PDF and its page count.
    """
    opts = {**DEFAULT_OPTIONS, **options}
    document = lay_out(html, base_url, stylesheets, pictures, **opts)
    pages = len(document.pages)
    if max_pages is not None and pages > max_pages:
        return Rendered(b"", pages)
    finisher = _PrintShop(trimmed, opts)
    pdf = document.write_pdf(finisher=finisher, **opts)
    return Rendered(pdf, pages, finisher.trimmed)


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
