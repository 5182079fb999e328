"""Charts drawn on the server as inline SVG: no canvas, no JavaScript, readable in print.

:func:`render_bar_chart` draws a horizontal bar chart from labelled values. It is generic: the
budget results use it (votes per proposal, funded bars solid, the others hatched, a funding
line), and any other figure series can (indicator values per year, per area).

Accessibility, by construction:

* the ``<svg>`` has ``role="img"`` and is named by its ``<title>`` and described by its
  ``<desc>`` (``aria-labelledby``/``aria-describedby``); the page must also show the same
  figures as text (a table) — say where in ``desc``;
* every bar carries its label and its value as text; a group (e.g. funded / not funded) is told
  apart by fill *pattern* and by a text cue, never by colour alone;
* colours come from the Okabe–Ito palette (safe for the common colour-vision deficiencies) and
  every bar has a dark outline, so bars keep a 3:1 contrast against the page;
* text is ``currentColor``: it follows the page's text colour;
* right-to-left pages get a mirrored chart: bars grow from the right, labels are anchored on
  the right, and text runs with ``direction="rtl"``.

The chart is sized by its ``viewBox``, at most its natural width in CSS pixels: a user unit is
a CSS pixel, so text is ``FONT`` px on a phone and on a desktop alike (a chart that grew with
the column had 10 px text on a phone and 20 px on a desktop). Phone first: the label sits on
its own line above the bar, so long labels wrap instead of squeezing the bars.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

#: Okabe & Ito (2008) colour-blind-safe colours used for groups, in order.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
OUTLINE = "#1a1a1a"


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar.

    Attributes:
        label: what the bar is (shown above it).
        value: its length; ``None`` draws no bar (the value is unknown) but keeps the label.
        value_label: the value as text, formatted for the page's language (shown after the bar).
        group: which :class:`Group` draws it (its key); ``""`` is the first group.
        note: a short text cue added after the value (e.g. "funded").
    """

    label: str
    value: float | None
    value_label: str
    group: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class Group:
    """How one group of bars looks. ``hatched`` bars are drawn with diagonal lines."""

    key: str
    colour: str = PALETTE[0]
    hatched: bool = False


@dataclass(frozen=True, slots=True)
class Divider:
    """A dashed line across the chart after bar number ``after`` (0-based), with its text."""

    after: int
    label: str


# Geometry in viewBox units (1 unit ≈ 1 CSS pixel at the natural width).
WIDTH = 320
PAD = 4
FONT = 15
LINE = 19
BAR = 18
GAP = 12
#: Average glyph width relative to the font size, for wrapping labels (SVG text never wraps).
CHAR_EM = 0.56


def _wrap(text: str, width: float, font: float = FONT) -> list[str]:
    """Split ``text`` into lines that fit ``width`` (estimated; words longer than a line stay)."""
    per_line = max(8, int(width / (font * CHAR_EM)))
    lines: list[str] = []
    current = ""
    # Only ordinary spaces break a line: str.split() would also break at the no-break spaces
    # inside an amount ("40 500 €") or before a unit.
    for word in re.split(r"[ \t\n]+", text.strip()):
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= per_line or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines or [""]


def render_bar_chart(bars: Sequence[Bar], *, title: str, desc: str, id_prefix: str,
                     groups: Sequence[Group] = (Group(""),), rtl: bool = False,
                     lang: str | None = None, divider: Divider | None = None,
                     max_value: float | None = None) -> Markup:
    """A horizontal bar chart as an inline ``<svg>`` element.

    Args:
        bars: the bars, top to bottom.
        title: the chart's accessible name (also its ``<title>``).
        desc: its description; say where the same figures are as text.
        id_prefix: unique on the page (ids of the title, description and patterns).
        groups: looks of the groups the bars refer to by key.
        rtl: mirror the chart for right-to-left pages.
        lang: the ``lang`` attribute of the chart's text, when it differs from the page's.
        divider: an optional labelled line between two bars.
        max_value: the value of a full-width bar (default: the largest value).

    Returns:
        Safe HTML: every text from data is escaped.
    """
    by_key = {g.key: g for g in groups}
    top = max((b.value or 0 for b in bars), default=0)
    scale_max = max_value if max_value is not None else top
    # Room on the value side for "412 (59,8 %) · funded"-like texts after the longest bar.
    value_room: float = max((len(f"{b.value_label} {b.note}") for b in bars), default=0)
    value_room = min(WIDTH * 0.5, value_room * FONT * CHAR_EM + 8)
    track = WIDTH - 2 * PAD - value_room
    pid = escape(id_prefix)
    parts: list[str] = []
    y = PAD
    for n, b in enumerate(bars):
        group = by_key.get(b.group, groups[0])
        lines = _wrap(b.label, WIDTH - 2 * PAD)
        for line in lines:
            y += LINE
            parts.append(_text(line, PAD, y - 4, rtl))
        y += 4
        length = 0.0
        if b.value is not None and scale_max > 0:
            length = max(2.0, track * min(b.value, scale_max) / scale_max) if b.value > 0 else 0
        if length:
            x = WIDTH - PAD - length if rtl else PAD
            fill = f"url(#{pid}-hatch-{_key_id(group.key)})" if group.hatched else group.colour
            parts.append(f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(length)}" height="{BAR}" '
                         f'fill="{fill}" stroke="{OUTLINE}" stroke-width="1"/>')
        value_text = f"{b.value_label} · {b.note}" if b.note else b.value_label
        parts.append(_text(value_text, PAD + length + 6, y + BAR - 4, rtl))
        y += BAR + GAP
        if divider is not None and divider.after == n:
            y += 2
            parts.append(f'<line x1="{PAD}" y1="{_n(y)}" x2="{WIDTH - PAD}" y2="{_n(y)}" '
                         f'stroke="currentColor" stroke-width="3" stroke-dasharray="10 5"/>')
            # Bold text is wider: wrap it a little shorter than the labels.
            for line in _wrap(divider.label, (WIDTH - 2 * PAD) * 0.9):
                y += LINE
                parts.append(_text(line, PAD, y - 3, rtl, bold=True))
            y += GAP
    height = math.ceil(y + PAD)
    patterns = []
    for g in groups:
        if g.hatched:
            patterns.append(
                f'<pattern id="{pid}-hatch-{_key_id(g.key)}" width="8" height="8" '
                f'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
                f'<rect width="8" height="8" fill="#ffffff"/>'
                f'<line x1="0" y1="0" x2="0" y2="8" stroke="{g.colour}" stroke-width="4"/>'
                f"</pattern>")
    defs = f"<defs>{''.join(patterns)}</defs>" if patterns else ""
    lang_attr = f' lang="{escape(lang)}"' if lang else ""
    dir_attr = ' direction="rtl"' if rtl else ""
    svg = (
        f'<svg class="lahio-chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="{pid}-title" aria-describedby="{pid}-desc"{lang_attr}{dir_attr} '
        f'font-size="{FONT}" font-family="inherit" fill="currentColor" '
        f'style="max-width:{WIDTH}px;height:auto">'
        f'<title id="{pid}-title">{escape(title)}</title>'
        f'<desc id="{pid}-desc">{escape(desc)}</desc>'
        f"{defs}{''.join(parts)}</svg>"
    )
    return Markup(svg)


def _text(text: str, x: float, y: float, rtl: bool, bold: bool = False) -> str:
    # In a right-to-left chart "start" is the right end of the text (SVG's text-anchor follows
    # the direction), so the x position is mirrored and the anchor stays "start".
    pos = WIDTH - x if rtl else x
    weight = ' font-weight="bold"' if bold else ""
    direction = ' direction="rtl"' if rtl else ""
    return (f'<text x="{_n(pos)}" y="{_n(y)}" text-anchor="start"{direction}{weight}>'
            f"{escape(text)}</text>")


def _key_id(key: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in key) or "default"


def _n(value: float) -> str:
    """A coordinate with at most one decimal (short, deterministic output)."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text
