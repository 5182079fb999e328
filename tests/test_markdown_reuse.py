"""One Markdown converter serves every text: nothing of one text reaches the next."""

from __future__ import annotations

import random
import threading
from typing import Any

import markdown
import yaml

from generator.data.yamlload import StrictLoader
from generator.views import markdown as views_markdown
from generator.views.markdown import render_inline, render_markdown

from .conftest import ROOT

#: Texts that leave state in a converter: link references, the raw HTML stash, list starts,
#: tables, placeholders of inline code and escapes.
TRICKY = [
    "Defines a reference.\n\n[ref]: https://example.org/a \"Title A\"",
    "Uses it: [here][ref] and [ref].",
    "3. starts at three\n4. four",
    "1. starts at one\n2. two",
    "- a\n- b\n\n1. c",
    "| a | b |\n|---|:-:|\n| 1 | 2 |",
    "|x|\n|-|\n|y|",
    "Raw <b>bold</b> and <script>alert(1)</script>",
    "<div>block html</div>\n\npara",
    "`code <i>` and \\*escaped\\* and *em* and **strong**",
    "[bad](javascript:alert(1)) ![img](https://example.org/x.png) <https://example.org>",
    "Line one  \nline two\n\n    indented code\n\n> quote",
    "",
    "Plain.",
    "[ref2]: https://example.org/b\n\n[x][ref2] [x][ref]",
]


def _fresh(text: str) -> str:
    md = markdown.Markdown(extensions=[views_markdown._NoRawHtml(), "tables", "sane_lists"],
                           output_format="html")
    return md.convert(text)


def _strings(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [s for v in node.values() for s in _strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return [node] if isinstance(node, str) else []


def _project_texts() -> list[str]:
    texts: list[str] = []
    for path in sorted((ROOT / "areas").rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        texts += _strings(yaml.load(text, Loader=StrictLoader))  # noqa: S506 - strict loader
    return texts


def test_converter_is_built_once() -> None:
    render_markdown("x")
    first = views_markdown._converter()
    render_markdown("[a][b]\n\n[b]: /c")
    assert views_markdown._converter() is first


def test_reused_converter_renders_as_a_fresh_one_in_any_order() -> None:
    rng = random.Random(7)
    for _ in range(20):
        order = TRICKY * 2
        rng.shuffle(order)
        for text in order:
            assert str(render_markdown(text)) == _fresh(text), text


def test_references_do_not_leak_into_the_next_text() -> None:
    render_markdown(TRICKY[0])
    html = str(render_markdown(TRICKY[1]))
    assert "example.org/a" not in html and "[here][ref]" in html


def test_project_texts_render_as_before() -> None:
    texts = _project_texts()
    assert len(texts) > 200
    for text in texts:
        assert str(render_markdown(text)) == _fresh(text), text
        inline = _fresh(text).strip()
        if inline.startswith("<p>") and inline.endswith("</p>") and inline.count("<p>") == 1:
            inline = inline[3:-4]
        assert str(render_inline(text)) == inline


def test_each_thread_has_its_own_converter() -> None:
    seen: dict[str, Any] = {}
    errors: list[str] = []

    def work(name: str) -> None:
        seen[name] = views_markdown._converter()
        for text in TRICKY * 20:
            if str(render_markdown(text)) != _fresh(text):
                errors.append(text)

    threads = [threading.Thread(target=work, args=(f"t{i}",)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len({id(md) for md in seen.values()}) == 3
    assert views_markdown._converter() not in seen.values()

