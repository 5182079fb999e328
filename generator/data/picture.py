"""Pictures of areas, events and proposals: read, measured and resized with Pillow.

The data layer measures each picture once when it loads an area (:func:`measure`); the site
publishes a copy sized for phones, and print and social images use a larger one
(:func:`copy_for`). A copy is always encoded again: the camera's metadata (the place a photo
was taken, the device) never reaches the site, and the same picture gives the same bytes in
every build.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from pathlib import Path

#: The formats a picture may have (Pillow's names), with the file ending of each.
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
#: The longer side of the web copy, in pixels: a phone 360 CSS pixels wide at 3× density.
WEB_MAX = 1200
#: The longer side of the copy for print and social images (an A3 poster's picture is 26 cm
#: wide: 2400 pixels are about 230 dpi).
PRINT_MAX = 2400
#: Changes whenever the copies come out differently (their names carry it, so a site keeps
#: no copy made by older code).
VERSION = "1"
#: JPEG quality of the copies.
QUALITY = 82


@dataclass(frozen=True, slots=True)
class PictureFile:
    """A picture file as the data refers to it, measured.

    Attributes:
        file: the path written in the data, relative to the area's folder.
        width: width in pixels, upright (as the camera's orientation mark turns it).
        height: height in pixels, upright.
        format: ``JPEG``, ``PNG`` or ``WEBP``.
        alpha: whether it has transparent parts (its copies are PNG, else JPEG).
        digest: SHA-256 of the file's bytes (hex).
    """

    file: str
    width: int
    height: int
    format: str
    alpha: bool
    digest: str


class PictureError(ValueError):
    """A file that is not a picture the site can use; the message says why."""


def measure(path: Path, file: str) -> PictureFile:
    """Open and decode the picture at ``path`` (written ``file`` in the data) and measure it.

    Raises:
        PictureError: the file cannot be read as a picture, or it is not JPEG, PNG or WebP.
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    data = path.read_bytes()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                fmt = img.format or ""
                if fmt not in FORMATS:
                    raise PictureError(f"a {fmt or 'unknown'} file")
                img.load()
                upright = ImageOps.exif_transpose(img)
                alpha = upright.mode in ("RGBA", "LA", "PA") or (
                    upright.mode == "P" and "transparency" in upright.info)
                width, height = upright.size
    except PictureError:
        raise
    except UnidentifiedImageError as exc:
        raise PictureError("not a picture file Pillow recognises") from exc
    except (OSError, SyntaxError, ValueError,
            Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise PictureError(str(exc) or type(exc).__name__) from exc
    return PictureFile(file, width, height, fmt, alpha, hashlib.sha256(data).hexdigest())


def fit_within(width: int, height: int, limit: int) -> tuple[int, int]:
    """``width`` × ``height`` scaled down (never up) so that neither side exceeds ``limit``."""
    scale = min(1.0, limit / max(width, height, 1))
    return max(1, round(width * scale)), max(1, round(height * scale))


def copy_name(picture: PictureFile, limit: int) -> str:
    """A name for the copy of ``picture`` at ``limit``: its content, the size and the code that
    makes it decide the name, so a changed picture never hides behind an old copy's name."""
    ext = "png" if picture.alpha else "jpg"
    key = hashlib.sha256(f"{picture.digest} {limit} {VERSION}".encode()).hexdigest()[:12]
    return f"{key}.{ext}"


def render_copy(path: Path, limit: int) -> bytes:
    """The picture at ``path``, upright, at most ``limit`` pixels on its longer side, without
    metadata: JPEG, or PNG when it has transparent parts. The same file gives the same bytes."""
    from PIL import Image, ImageOps

    with Image.open(path) as img:
        icc = img.info.get("icc_profile")
        upright = ImageOps.exif_transpose(img)
        alpha = upright.mode in ("RGBA", "LA", "PA") or (
            upright.mode == "P" and "transparency" in upright.info)
        size = fit_within(*upright.size, limit)
        picture = upright.convert("RGBA" if alpha else "RGB")
        if picture.size != size:
            picture = picture.resize(size, Image.Resampling.LANCZOS)
        buf = io.BytesIO()
        options: dict[str, object] = {"icc_profile": icc} if icc else {}
        if alpha:
            picture.save(buf, format="PNG", optimize=True, **options)
        else:
            picture.save(buf, format="JPEG", quality=QUALITY, optimize=True, progressive=False,
                         subsampling="4:2:0", **options)
        return buf.getvalue()


def copy_for(source: Path, name: str, limit: int, cache: Path) -> Path:
    """The copy of the picture ``source`` at ``limit`` named ``name`` (:func:`copy_name`),
    made once into ``cache``.

    Returns:
        The copy's path in ``cache``.
    """
    from ..cache import write_file

    path = cache / name
    if not path.is_file():
        write_file(path, render_copy(source, limit))
    return path


def named_copy(source: Path, cache: Path, stem: str) -> Path:
    """A copy of the file ``source`` (a logo) in ``cache``, named ``<stem>-<hash>.<ending>`` by
    its content: a layout that names the copy changes when the file does.

    Raises:
        OSError: ``source`` cannot be read.
    """
    from ..cache import write_file

    data = source.read_bytes()
    path = cache / f"{stem}-{hashlib.sha256(data).hexdigest()[:12]}{source.suffix.lower()}"
    if not path.is_file():
        write_file(path, data)
    return path
