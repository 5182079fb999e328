"""Markdown from data, rendered safely: raw HTML is shown as text, only safe link schemes kept."""

from __future__ import annotations

import re
import threading
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


#: The converter, built once per thread (building one and registering its extensions costs
#: twice as much as converting a typical text, and a build converts thousands). Forked workers
#: get their own copy; a thread of its own (the preview server) gets its own instance, as one
#: instance must not convert two texts at once.
_local = threading.local()


def _converter() -> markdown.Markdown:
    md: markdown.Markdown | None = getattr(_local, "md", None)
    if md is None:
        md = markdown.Markdown(extensions=[_NoRawHtml(), "tables", "sane_lists"],
                               output_format="html")
        _local.md = md
    return md


def render_markdown(text: str) -> Markup:
    """Render Markdown from a data field; any HTML in it is escaped, never executed."""
    md = _converter()
    # reset() clears what a conversion leaves behind (link references, the HTML stash); none of
    # the extensions used here keeps state of its own.
    md.reset()
    return Markup(md.convert(text))


def render_inline(text: str) -> Markup:
    """Like :func:`render_markdown` without the wrapping paragraph (for one-line texts)."""
    html = str(render_markdown(text)).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)
