"""View-level text values: a localized text with its HTML rendering."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ..data.schema import Text
from ..i18n import Localized, Translator
from .markdown import render_inline, render_markdown

ELLIPSIS = "…"


@dataclass(frozen=True, slots=True)
class Rich:
    """Markdown from data, rendered for one language (with fallback recorded)."""

    html: Markup
    lang: str
    fallback: bool
    plain: str


def rich(tr: Translator, value: Text | None, inline: bool = False) -> Rich | None:
    loc = tr.text(value)
    if loc is None:
        return None
    html = render_inline(loc.text) if inline else render_markdown(loc.text)
    return Rich(html, loc.lang, loc.fallback, loc.text)


def plain(tr: Translator, value: Text | None) -> Localized | None:
    return tr.text(value)


def shorten(text: str, room: int) -> str:
    """``text`` cut at a word boundary to at most ``room`` characters (ellipsis included)."""
    if len(text) <= room:
        return text
    if room <= len(ELLIPSIS):
        return ""
    cut = text[: room - len(ELLIPSIS)]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,.:;–-") + ELLIPSIS


__all__ = ["ELLIPSIS", "Localized", "Rich", "plain", "rich", "shorten"]
