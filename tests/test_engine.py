"""The site engine's shortcuts around MkDocs give exactly MkDocs' own output."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from generator.build import build

from .conftest import copy_project, views_context
from .conftest import tree_digest as tree

pytestmark = pytest.mark.slow



def test_the_shortcuts_change_nothing_in_the_output(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A site built with the engine's shortcuts (front matter read as JSON, generated HTML not
    run through Markdown, theme files listed without hidden folders) equals one built by
    MkDocs alone, byte for byte."""
    from generator.site import engine

    fast = copy_project(tmp_path / "fast")
    build(fast, only=("site",), log=lambda _m: None)

    @contextlib.contextmanager
    def mkdocs_alone(_plugin):  # noqa: ANN001, ANN202 - the shortcuts' signature
        yield

    monkeypatch.setattr(engine, "_shortcuts", mkdocs_alone)
    plain = copy_project(tmp_path / "plain")
    build(plain, only=("site",), log=lambda _m: None)
    ours, theirs = tree(fast / "site"), tree(plain / "site")
    assert len(ours) > 100
    assert ours == theirs


def test_front_matter_is_read_as_mkdocs_reads_it(tmp_path: Path) -> None:
    """Every generated page's front matter gives MkDocs' own result; other front matter is
    left to MkDocs (None)."""
    from mkdocs.utils import meta

    from generator.site.engine import front_matter

    ctx = views_context(copy_project(tmp_path / "p"), tmp_path / "out")
    checked = 0
    for tree_ in ctx.trees.values():
        for rel, text in tree_.files.items():
            assert front_matter(text) == meta.get_data(text), rel
            checked += 1
    assert checked > 50
    for other in ("---\ntitle: plain words\n---\n\nBody", "---\ntags: [\"a\"]\n---\n",
                  "No front matter", "---\ntitle: \"a\"\ntitle: \"b\"\n---\n"):
        assert front_matter(other) is None


@pytest.mark.parametrize("code", ["fi", "sv", "ar"])
def test_text_helpers_render_as_the_macros_do(code: str) -> None:
    """``t``, ``r``, ``ri``, ``num`` and ``fb`` as functions give the macros' exact output."""
    from markupsafe import Markup

    from generator.data.config import Language
    from generator.i18n import Localized, Translator
    from generator.templating import make_env
    from generator.site.pages import TEMPLATES
    from generator.views.text import Rich

    lang = Language(code=code, name=code, html_lang=code, locale=code,
                    dir="rtl" if code == "ar" else "ltr")
    env = make_env([TEMPLATES], Translator(lang))
    macros = env.from_string('{% from "_macros.html" import t, r, ri, num, fb with context %}'
                             "{{ t(x) }}|{{ r(y) }}|{{ ri(y) }}|{{ num(n) }}|{{ fb() }}")
    helpers = env.from_string("{{ t(x) }}|{{ r(y) }}|{{ ri(y) }}|{{ num(n) }}|{{ fb() }}")
    html = Markup("<p>Tämä &amp; <em>tuo</em></p>")
    for x, y, n in [
        (None, None, 12), (Localized("Nuorten <olohuone> & \"sali\"", "fi", True),
                           Rich(html, "fi", True, "Tämä & tuo"), "17–19"),
        (Localized("Plain 'text'", code, False), Rich(html, code, False, "x"),
         "3 فبراير – 5 مارس 2027"),
    ]:
        assert helpers.render(x=x, y=y, n=n) == macros.render(x=x, y=y, n=n)


def test_configs_parse_as_mkdocs_parses_them(tmp_path: Path) -> None:
    """The generated configs (and the mkdocs.yml they inherit) give MkDocs' own values when
    parsed with libyaml's parser, as the engine does."""
    import yaml
    from mkdocs.utils.yaml import get_yaml_loader, yaml_load

    project = copy_project(tmp_path / "p")
    build(project, only=("site",), log=lambda _m: None)
    configs = sorted((project / ".lahio-cache" / "work").glob("*/mkdocs.yml"))
    assert len(configs) >= 7
    for config_file in configs:
        with config_file.open("rb") as fh:
            theirs = yaml_load(fh, get_yaml_loader())
        with config_file.open("rb") as fh:
            ours = yaml_load(fh, get_yaml_loader(yaml.CLoader))
        assert "nav" in theirs and "markdown_extensions" in theirs  # the inherited part too
        assert ours == theirs
