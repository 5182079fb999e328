"""QR codes as vector SVG: error correction M, a 4-module quiet zone, pure black modules.

Printed codes must survive rain, glare and tired phone cameras: level M (H is only needed
under a centre logo, and we never put one there), the standard quiet zone, and a size of at
least a tenth of the reading distance (see :data:`MIN_WIDTH_MM`). The payload is the short
ASCII address ``<site>/q/<code>/``, which keeps the code at a low version (big modules).
"""

from __future__ import annotations

import base64
import functools

import qrcode
import qrcode.constants
from qrcode.image.svg import SvgPathImage

#: Smallest printed width (quiet zone included) per paper size: 1/10 of the distance the
#: notice is read from (A6 in the hand ~30 cm … A3 on a wall ~90 cm).
MIN_WIDTH_MM = {"A6": 30, "A5": 40, "A4": 60, "A3": 90}


class _PureBlackSvg(SvgPathImage):
    # CMYK 0/0/0/100 instead of RGB black: a print shop's RGB→CMYK conversion would turn
    # #000 into four-colour "rich" black, whose slight misregistration blurs module edges.
    QR_PATH_STYLE = {**SvgPathImage.QR_PATH_STYLE, "fill": "device-cmyk(0 0 0 1)"}


def render_qr_svg(payload: str) -> str:
    """The QR code of ``payload`` as an SVG document (one path, scalable to any size).

    Args:
        payload: the text to encode; keep it short and ASCII (a short URL).

    Returns:
        SVG source whose viewBox includes the 4-module quiet zone.
    """
    if not payload.isascii():
        raise ValueError(f"QR payload must be ASCII (phone readers garble UTF-8): {payload!r}")
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4,
                         image_factory=_PureBlackSvg)
    code.add_data(payload)
    code.make(fit=True)
    return code.make_image().to_string(encoding="unicode")


@functools.lru_cache(maxsize=1024)
def qr_data_uri(payload: str) -> str:
    """``render_qr_svg`` as a ``data:`` URI for an ``<img>`` (which carries the alt text)."""
    svg = render_qr_svg(payload).encode("utf-8")
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
