"""Markdown from data, rendered safely: raw HTML is shown as text, only safe link schemes kept."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import markdown
from markupsafe import Markup

_SAFE_URL = re.compile(r"^(https?://|mailto:|#|/|\.\.?/|[a-z0-9][a-z0-9._/-]*$)", re.I)


class _SafeLinks(markdown.treeprocessors.Treeprocessor):
    """Drop links and images whose address could run code (``javascript:``, ``data:``)."""

    def run(self, root: ET.Element) -> None:
        for el in root.iter():
            for attr in ("href", "src"):
                value = el.get(attr)
                if value is not None and not _SAFE_URL.match(value.strip()):
                    del el.attrib[attr]
            if el.tag == "img":
                el.tag = "span"  # data never embeds images (no third-party requests either)
                el.text = el.get("alt", "")
                for attr in list(el.attrib):
                    del el.attrib[attr]


class _NoRawHtml(markdown.Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_SafeLinks(md), "lahio_safe_links", 0)


def render_markdown(text: str) -> Markup:
    """Render Markdown from a data field; any HTML in it is escaped, never executed."""
    md = markdown.Markdown(extensions=[_NoRawHtml(), "tables", "sane_lists"], output_format="html")
    return Markup(md.convert(text))


def render_inline(text: str) -> Markup:
    """Like :func:`render_markdown` without the wrapping paragraph (for one-line texts)."""
    html = str(render_markdown(text)).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)
