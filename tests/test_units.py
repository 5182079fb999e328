"""Models, views and layering."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

from generator.data.load import load
from generator.data.config import Language
from generator.i18n import Translator
from generator.views import budget
from generator.views.markdown import render_markdown

from .conftest import ROOT


@pytest.fixture(scope="module")
def programme():  # type: ignore[no-untyped-def]
    return load(ROOT)[1]


def test_sample_loads_into_frozen_models(programme) -> None:  # type: ignore[no-untyped-def]
    neula = programme.area("neulamaki")
    assert neula.area.postal_codes == ("70150",)
    assert [i.id for i in neula.area.indicators][:2] == ["asukkaat", "keski-ika"]
    with pytest.raises(AttributeError):
        neula.area.year = 2030  # type: ignore[misc]
    assert neula.area.name.get("fi") == "Neulamäki"
    assert neula.round.budget == 50000


def test_greedy_and_stop_at_first_miss(programme) -> None:  # type: ignore[no-untyped-def]
    rnd = programme.area("neulamaki").round
    funded = lambda rule: [o.proposal.id for o in budget.select(rnd, rule) if o.funded]  # noqa: E731
    assert funded("greedy") == ["101", "102", "103", "105", "106"]
    assert funded("stop-at-first-miss") == ["101", "102", "103"]


def test_money_and_numbers_follow_the_locale() -> None:
    fi = Translator(Language("fi", "Suomi", "fi", "fi"))
    en = Translator(Language("en", "English", "en", "en"))
    assert fi.money(50000) == "50\u00a0000\u00a0€"
    assert en.money(50000) == "€50,000"
    assert fi.percent(17.2) == "17,2\u00a0%"
    assert en.date(dt.date(2027, 2, 3)) == "February 3, 2027"
    assert fi.date(dt.date(2027, 2, 3)) == "3. helmikuuta 2027"


def test_markdown_from_data_cannot_run_code() -> None:
    html = str(render_markdown('Hi <script>alert(1)</script> [x](javascript:alert(2)) '
                               '<img src=x onerror=alert(3)>'))
    assert "<script" not in html and "<img" not in html
    assert "javascript:" not in html
    assert "&lt;script&gt;" in html


def test_only_the_site_stage_imports_mkdocs() -> None:
    offenders = []
    for path in (ROOT / "generator").rglob("*.py"):
        if path.is_relative_to(ROOT / "generator" / "site"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            if any(n.split(".")[0] in ("mkdocs", "material") for n in names):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_protected_value_is_no_data(programme) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from generator.views.area import build_indicator_view

    ind = programme.area("neulamaki").area.indicators[0]
    hidden = replace(ind, value=-1.0)
    for code in ("fi", "en"):
        view = build_indicator_view(Translator(Language(code, code, code, code)), hidden)
        assert view.value is None and view.raw is None
    assert ind.protected is False and hidden.protected is True


def test_registry_append_follows_the_files_indentation(tmp_path: Path) -> None:
    from generator.shortlinks import ShortLink, append_to_registry, load_registry

    registry = tmp_path / "qr-codes.yaml"
    registry.write_text('codes:\n    - {code: "aaaa", area: x, channel: poster, lang: fi, '
                        "target: fi/x/}\n", encoding="utf-8")
    append_to_registry(tmp_path, [ShortLink("bbbb", "x", "flyer", "fi", "fi/x/")])
    links = load_registry(tmp_path)
    assert sorted(links) == ["aaaa", "bbbb"]
    assert links["bbbb"].channel == "flyer"
    assert registry.read_text(encoding="utf-8").startswith('codes:\n    - {code: "aaaa"')


def test_sitemap_escaping_is_the_standard_librarys() -> None:
    """The sitemap's own XML escaping gives what xml.sax.saxutils gives."""
    from xml.sax.saxutils import escape as sax_escape
    from xml.sax.saxutils import quoteattr as sax_quoteattr

    from generator.site.stage import escape, quoteattr

    for text in ("a&b<c>d", 'say "hi"', "it's", "both \" and '", "tab\tnew\nline\r",
                 "https://www.kuopio.fi/lahiot/fi/mannisto/", ""):
        assert escape(text) == sax_escape(text)
        assert quoteattr(text) == sax_quoteattr(text)
