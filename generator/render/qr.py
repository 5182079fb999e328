"""QR codes as vector SVG: error correction M, a 4-module quiet zone, pure black modules.

Printed codes must survive rain, glare and tired phone cameras: level M (H is only needed
under a centre logo, and we never put one there), the standard quiet zone, and a size of at
least a tenth of the reading distance (see :data:`MIN_WIDTH_MM`). The payload is the short
ASCII address ``<site>/q/<code>/``, which keeps the code at a low version (big modules).

The dark modules are drawn as the outline of their union (one closed loop per boundary),
not as one square per module: a fifth of the path data, so the PDF engine lays out and
writes a code several times faster, and no hairline seams between neighbouring modules
where a renderer anti-aliases each square on its own.
"""

from __future__ import annotations

import base64
import itertools
import functools

import qrcode
import qrcode.constants

#: Smallest printed width (quiet zone included) per paper size: 1/10 of the distance the
#: notice is read from (A6 in the hand ~30 cm … A3 on a wall ~90 cm).
MIN_WIDTH_MM = {"A6": 30, "A5": 40, "A4": 60, "A3": 90}
#: CMYK 0/0/0/100 instead of RGB black: a print shop's RGB→CMYK conversion would turn #000
#: into four-colour "rich" black, whose slight misregistration blurs module edges.
FILL = "device-cmyk(0 0 0 1)"
QUIET_ZONE = 4


def outline_path(matrix: list[list[bool]]) -> str:
    """SVG path data covering exactly the ``True`` cells of ``matrix`` (one unit per cell).

    Every edge between a dark cell and a light one (or the outside) becomes a segment
    directed clockwise around the dark cell (y pointing down); the segments are chained into
    closed loops and straight runs merged, so outer boundaries run clockwise and holes
    counter-clockwise, and the ``nonzero`` fill rule paints the dark cells and nothing else.
    """
    rows, cols = len(matrix), len(matrix[0]) if matrix else 0

    def dark(r: int, c: int) -> bool:
        return 0 <= r < rows and 0 <= c < cols and bool(matrix[r][c])

    edges: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for r in range(rows):
        for c in range(cols):
            if not matrix[r][c]:
                continue
            if not dark(r - 1, c):
                edges.setdefault((c, r), []).append((c + 1, r))
            if not dark(r, c + 1):
                edges.setdefault((c + 1, r), []).append((c + 1, r + 1))
            if not dark(r + 1, c):
                edges.setdefault((c + 1, r + 1), []).append((c, r + 1))
            if not dark(r, c - 1):
                edges.setdefault((c, r + 1), []).append((c, r))
    parts = []
    for start in sorted(edges):
        while start in edges:
            loop, point = [start], start
            while True:
                outgoing = edges[point]
                nxt = outgoing.pop()
                if not outgoing:
                    del edges[point]
                if nxt == start:
                    break
                loop.append(nxt)
                point = nxt
            n = len(loop)
            corners = [p for i, p in enumerate(loop)
                       if not (loop[i - 1][0] == p[0] == loop[(i + 1) % n][0]
                               or loop[i - 1][1] == p[1] == loop[(i + 1) % n][1])]
            d = [f"M{corners[0][0]} {corners[0][1]}"]
            for prev, cur in itertools.pairwise(corners):
                d.append(f"H{cur[0]}" if cur[1] == prev[1] else f"V{cur[1]}")
            parts.append("".join(d) + "Z")
    return "".join(parts)


def render_qr_svg(payload: str) -> str:
    """The QR code of ``payload`` as an SVG document (one path, scalable to any size).

    Args:
        payload: the text to encode; keep it short and ASCII (a short URL).

    Returns:
        SVG source whose viewBox includes the 4-module quiet zone.
    """
    matrix = qr_matrix(payload)
    n = len(matrix)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{n}mm" '
            f'height="{n}mm" viewBox="0 0 {n} {n}"><path d="{outline_path(matrix)}" '
            f'fill="{FILL}" fill-rule="nonzero" stroke="none"/></svg>')


def _check_payload(payload: str) -> None:
    """Refuse a payload a phone reader would garble (anything beyond ASCII)."""
    if not payload.isascii():
        raise ValueError(f"QR payload must be ASCII (phone readers garble UTF-8): {payload!r}")


def qr_matrix(payload: str) -> list[list[bool]]:
    """The modules of ``payload``'s QR code, quiet zone included (True: dark)."""
    _check_payload(payload)
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=QUIET_ZONE)
    code.add_data(payload)
    code.make(fit=True)
    return [[bool(cell) for cell in row] for row in code.get_matrix()]


#: An ``<img src>`` of ``qr-png:<payload>`` in a document the PDF engine lays out
#: (:mod:`generator.render.pdf`) shows :func:`qr_png` of the payload: the code is drawn in the
#: process that lays the document out, and only when it does (not for a document whose PDF is
#: in a cache), instead of in the process that makes the HTML.
QR_PNG_SCHEME = "qr-png:"


def qr_png_url(payload: str) -> str:
    """The ``qr-png:`` address of ``payload``'s print QR image (see :data:`QR_PNG_SCHEME`);
    the payload is checked now, where the HTML is made, not when the code is drawn."""
    _check_payload(payload)
    return QR_PNG_SCHEME + payload


@functools.lru_cache(maxsize=1024)
def qr_png(payload: str) -> bytes:
    """The QR code of ``payload`` as a grey PNG with one pixel per module, for print: shown
    with ``image-rendering: pixelated`` (no smoothing), each pixel prints as a sharp square of
    solid black (DeviceGray: the black ink only) at any size. A PDF engine embeds it in a
    fraction of the time it draws the outline of every module."""
    import io

    from PIL import Image

    matrix = qr_matrix(payload)
    n = len(matrix)
    image = Image.new("L", (n, n), 255)
    image.putdata([0 if dark else 255 for row in matrix for dark in row])
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


@functools.lru_cache(maxsize=1024)
def qr_data_uri(payload: str) -> str:
    """``render_qr_svg`` as a ``data:`` URI for an ``<img>`` (which carries the alt text)."""
    svg = render_qr_svg(payload).encode("utf-8")
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
