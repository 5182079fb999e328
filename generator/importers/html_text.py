"""HTML from a platform (rich-text descriptions) turned into plain Markdown.

Only structure survives: paragraphs, line breaks, lists, headings (as bold lines), bold,
italics and links to ``http(s)://`` or ``mailto:`` addresses. Everything else — tags,
attributes (``onerror=``, ``style=``), scripts and styles with their content, ``javascript:``
and ``data:`` links, images, iframes — is dropped. Text is escaped for Markdown, so a ``*`` or
``[`` in the text stays a character. The result is rendered later by the views' safe Markdown
(raw HTML shown as text), so this is the first of two independent guards.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

#: Elements dropped with everything inside them.
_DROP = {"script", "style", "template", "noscript", "iframe", "object", "embed", "svg", "math",
         "head", "title", "textarea", "select", "button", "canvas", "audio", "video"}
_BLOCKS = {"p", "div", "section", "article", "blockquote", "pre", "table", "tr", "figure",
           "figcaption", "address", "header", "footer", "dl", "dt", "dd", "hr"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_SAFE_HREF = re.compile(r"^(https?://[^\s<>\"']+|mailto:[^\s<>\"']+)$", re.I)
_MD_SPECIAL = re.compile(r"([\\`*_\[\]])")
_LINE_START = re.compile(r"^(\s*)([#>+-]|\d+[.)])(?=\s|$)")
#: Marks a hard line break while the text is assembled (replaced at the end).
_BR = "\x00"


def _escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


class _Converter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0
        self.lists: list[list[object]] = []  # [tag, counter]
        self.links: list[str | None] = []

    def _block(self) -> None:
        self.out.append("\n\n")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROP:
            self.skip += 1
            return
        if self.skip:
            return
        if tag in _BLOCKS or tag in _HEADINGS:
            self._block()
            if tag in _HEADINGS:
                self.out.append("**")
        elif tag == "br":
            self.out.append(_BR)
        elif tag in ("ul", "ol"):
            self._block()
            self.lists.append([tag, 0])
        elif tag == "li":
            self.out.append("\n")
            if self.lists:
                current = self.lists[-1]
                current[1] = int(current[1]) + 1  # type: ignore[call-overload]
                marker = f"{current[1]}. " if current[0] == "ol" else "- "
                self.out.append("    " * (len(self.lists) - 1) + marker)
            else:
                self.out.append("- ")
        elif tag in ("strong", "b"):
            self.out.append("**")
        elif tag in ("em", "i"):
            self.out.append("*")
        elif tag == "a":
            href = (dict(attrs).get("href") or "").strip()
            safe = href if _SAFE_HREF.match(href) else None
            self.links.append(safe)
            if safe:
                self.out.append("[")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br" and not self.skip:
            self.out.append(_BR)
        elif tag not in _DROP:
            self.handle_starttag(tag, attrs)
            if tag == "a":
                self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        if tag in _HEADINGS:
            self.out.append("**")
            self._block()
        elif tag in _BLOCKS:
            self._block()
        elif tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            self._block()
        elif tag in ("strong", "b"):
            self.out.append("**")
        elif tag in ("em", "i"):
            self.out.append("*")
        elif tag == "a" and self.links:
            href = self.links.pop()
            if href:
                self.out.append(f"]({href.replace(')', '%29').replace(' ', '%20')})")

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        text = _escape(re.sub(r"\s+", " ", data))
        before = "".join(self.out[-4:]).rstrip(" ")
        if not before.strip(" \n") or before.endswith(("\n", _BR, "**")):
            # Text that would start a line like a heading, quote or list item stays text.
            text = _LINE_START.sub(lambda m: m.group(1) + (
                "\\" + m.group(2) if not m.group(2)[0].isdigit()
                else m.group(2)[:-1] + "\\" + m.group(2)[-1]), text, count=1)
        self.out.append(text)


def html_to_markdown(html: str) -> str:
    """Markdown text of an HTML fragment; see the module docstring for what survives."""
    conv = _Converter()
    conv.feed(html)
    conv.close()
    text = "".join(conv.out)
    paragraphs = []
    for block in re.split(r"\n\s*\n", text):
        lines = [re.sub(r"[ \t]+", " ", line).strip() for line in block.split("\n")]
        lines = [line for line in lines if line and line not in ("**", "****")]
        if not lines:
            continue
        joined = "\n".join(lines)
        # A hard break inside a paragraph: Markdown's two trailing spaces.
        joined = re.sub(rf"\s*{_BR}+\s*", "  \n", joined).strip(" \n" + _BR)
        if joined:
            paragraphs.append(joined)
    return "\n\n".join(paragraphs)
