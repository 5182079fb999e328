"""Draw the sample's example pictures (areas/neulamaki/images/) with Pillow.

The sample needs pictures it may publish: these are simple drawings in the programme's
colours, the same every time they are drawn (no randomness, no clock). Run from the project
folder: ``python tools/sample_pictures.py``.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw

W, H = 1200, 800
BLUE, BERRY = (0, 85, 140), (138, 28, 91)
SKY, SKY_LOW = (196, 224, 242), (236, 244, 250)
GRASS, GRASS_DARK = (120, 170, 90), (86, 134, 62)
WALL, WALL_2, WINDOW = (233, 226, 212), (214, 205, 188), (70, 110, 150)
TREE, TREE_DARK, TRUNK = (58, 128, 70), (40, 98, 54), (110, 80, 50)


def _sky(draw: ImageDraw.ImageDraw, horizon: int) -> None:
    for y in range(horizon):
        t = y / horizon
        draw.line([(0, y), (W, y)], fill=tuple(round(a + (b - a) * t)
                                               for a, b in zip(SKY, SKY_LOW, strict=True)))


def _block(draw: ImageDraw.ImageDraw, x: int, ground: int, w: int, floors: int,
           wall: tuple[int, int, int]) -> None:
    top = ground - floors * 46 - 20
    draw.rectangle([x, top, x + w, ground], fill=wall, outline=(150, 140, 125), width=2)
    draw.rectangle([x - 4, top - 10, x + w + 4, top], fill=(90, 90, 96))
    for f in range(floors):
        y = top + 22 + f * 46
        for wx in range(x + 18, x + w - 30, 44):
            draw.rectangle([wx, y, wx + 24, y + 24], fill=WINDOW)
            draw.line([wx + 12, y, wx + 12, y + 24], fill=wall, width=2)
        if f % 2 == 0:
            draw.rectangle([x + w // 2 - 30, y + 26, x + w // 2 + 30, y + 32], fill=BERRY)


def _tree(draw: ImageDraw.ImageDraw, x: int, ground: int, size: int) -> None:
    draw.rectangle([x - size // 10, ground - size, x + size // 10, ground], fill=TRUNK)
    for dx, dy, r, colour in ((0, -size * 1.3, size * 0.55, TREE_DARK),
                              (-size * 0.3, -size * 1.05, size * 0.45, TREE),
                              (size * 0.3, -size * 1.1, size * 0.42, TREE)):
        cx, cy = x + dx, ground + dy
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=colour)


def _person(draw: ImageDraw.ImageDraw, x: int, ground: int, colour: tuple[int, int, int],
            tall: int = 120) -> None:
    head = tall // 7
    draw.ellipse([x - head, ground - tall, x + head, ground - tall + 2 * head],
                 fill=(222, 184, 150))
    draw.rounded_rectangle([x - head - 6, ground - tall + 2 * head + 4, x + head + 6,
                            ground - tall // 3], radius=10, fill=colour)
    draw.rectangle([x - head, ground - tall // 3, x - 3, ground], fill=(50, 50, 60))
    draw.rectangle([x + 3, ground - tall // 3, x + head, ground], fill=(50, 50, 60))


def area_picture() -> Image.Image:
    """Neulamäki: apartment blocks on a hill, trees, a path."""
    img = Image.new("RGB", (W, H), SKY)
    draw = ImageDraw.Draw(img)
    ground = 620
    _sky(draw, ground)
    draw.ellipse([-200, 520, 1400, 900], fill=GRASS_DARK)
    _block(draw, 90, ground, 300, 8, WALL)
    _block(draw, 450, ground + 10, 360, 6, WALL_2)
    _block(draw, 860, ground, 250, 9, WALL)
    draw.rectangle([0, ground, W, H], fill=GRASS)
    draw.polygon([(520, H), (680, H), (640, ground + 8), (600, ground + 8)], fill=(210, 200, 180))
    for x, size in ((60, 110), (420, 90), (830, 120), (1150, 100), (260, 140), (980, 150)):
        _tree(draw, x, ground + 60 + (x % 3) * 20, size)
    _person(draw, 610, 760, BLUE)
    _person(draw, 660, 770, BERRY, 100)
    return img


def event_picture() -> Image.Image:
    """An ideas workshop: a table, sticky notes on a board, people around it."""
    img = Image.new("RGB", (W, H), (244, 238, 228))
    draw = ImageDraw.Draw(img)
    draw.rectangle([0, 560, W, H], fill=(200, 170, 130))
    draw.rectangle([180, 90, 1020, 470], fill=(255, 255, 255), outline=(120, 120, 120), width=6)
    notes = ((250, 140, (255, 224, 102)), (420, 170, (255, 170, 190)), (600, 130, (160, 220, 200)),
             (780, 160, (255, 224, 102)), (330, 300, (160, 200, 240)), (520, 320, (255, 224, 102)),
             (720, 300, (255, 170, 190)), (880, 320, (160, 220, 200)))
    for x, y, colour in notes:
        draw.rectangle([x, y, x + 110, y + 110], fill=colour)
        for k in range(3):
            draw.line([x + 14, y + 30 + k * 26, x + 92, y + 30 + k * 26], fill=(90, 90, 90),
                      width=4)
    draw.rectangle([120, 600, 1080, 640], fill=BLUE)
    for x, colour, tall in ((200, BERRY, 230), (380, (40, 140, 110), 250), (820, BLUE, 240),
                            (1000, (200, 120, 40), 220)):
        _person(draw, x, 790, colour, tall)
    return img


def proposal_picture() -> Image.Image:
    """The skatepark: ramps, a rail, lights."""
    img = Image.new("RGB", (W, H), SKY)
    draw = ImageDraw.Draw(img)
    ground = 560
    _sky(draw, ground)
    for x, size in ((80, 120), (1120, 140), (300, 90)):
        _tree(draw, x, ground, size)
    draw.rectangle([0, ground, W, H], fill=(170, 170, 172))
    draw.polygon([(120, 760), (460, 760), (460, 600)], fill=(120, 124, 130))
    draw.pieslice([700, 520, 1140, 960], 180, 270, fill=(120, 124, 130))
    draw.rectangle([900, 520, 1140, 760], fill=(120, 124, 130))
    draw.rectangle([520, 690, 820, 702], fill=BERRY)
    for x in (540, 800):
        draw.rectangle([x, 702, x + 8, 740], fill=BERRY)
    for x in (40, 640):
        draw.rectangle([x, 260, x + 10, ground + 80], fill=(80, 80, 86))
        draw.rectangle([x - 20, 250, x + 40, 270], fill=(255, 224, 102))
    _person(draw, 600, 680, BLUE, 110)
    draw.rounded_rectangle([560, 684, 650, 694], radius=4, fill=(40, 40, 40))
    return img


def save(img: Image.Image, path: Path) -> None:
    """``img`` as a JPEG without metadata (the same drawing gives the same bytes)."""
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=80, optimize=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue())


if __name__ == "__main__":
    folder = Path("areas/neulamaki/images")
    save(area_picture(), folder / "neulamaki.jpg")
    save(event_picture(), folder / "ideatyopaja.jpg")
    save(proposal_picture(), folder / "skeittiparkki.jpg")
