"""``mkdocs.yml``: the project's own keys are validated as the data is (line, key, what)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.data.config import load_config

from .conftest import ROOT

MISTAKES = {
    # what a communicator might write → the line it is on, the key and the words expected
    "dir": ("{code: ar, name: العربية, html_lang: ar, locale: ar, dir: rtl}",
            "{code: ar, name: العربية, html_lang: ar, locale: ar, dir: rlt}",
            "extra.lahio.languages[6].dir", "did you mean 'rtl'?"),
    "required": ("{code: sv, name: Svenska, html_lang: sv, locale: sv, primary: true}",
                 '{code: sv, name: Svenska, html_lang: sv, locale: sv, primary: true, '
                 'required: "no"}',
                 "extra.lahio.languages[1].required", "expected true or false, got 'no'"),
    "licence": ("    licence: CC BY 4.0", "    license: CC BY 4.0",
                "extra.lahio.license", "unknown key — did you mean 'licence'?"),
    "locale": ("{code: uk, name: Українська, html_lang: uk, locale: uk}",
               "{code: uk, name: Українська, html_lang: uk, locale: ukr_XX}",
               "extra.lahio.languages[5].locale", "'ukr_XX' is not a locale Babel knows"),
}


def _project(tmp_path: Path, *names: str) -> tuple[Path, dict[str, int]]:
    """A project whose mkdocs.yml has the mistakes ``names``; returns the line of each."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    lines: dict[str, int] = {}
    for name in names:
        good, bad, _key, _words = MISTAKES[name]
        assert good in text, name
        text = text.replace(good, bad)
        lines[name] = text[: text.index(bad)].count("\n") + 1
    (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
    logo = tmp_path / "theme/site/assets/logo.svg"  # the logo mkdocs.yml names must exist
    logo.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "theme/site/assets/logo.svg", logo)
    return tmp_path, lines


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_each_mistake_is_located(tmp_path: Path, name: str) -> None:
    root, lines = _project(tmp_path, name)
    config, problems = load_config(root)
    assert config is None
    _good, _bad, key, words = MISTAKES[name]
    assert len(problems) == 1, problems
    assert str(problems[0]).startswith(f"mkdocs.yml:{lines[name]}: {key}: ")
    assert words in str(problems[0])


def test_all_mistakes_are_reported_at_once_and_stop_check_and_build(tmp_path: Path) -> None:
    project = tmp_path / "project"
    for part in ("areas", "content", "theme"):
        shutil.copytree(ROOT / part, project / part)
    root, lines = _project(project, *MISTAKES)
    for command in ("check", "build"):
        run = subprocess.run([sys.executable, "-m", "generator.cli", "--root", str(root),
                              command], capture_output=True, text=True, cwd=ROOT,
                             env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}, timeout=300)
        assert run.returncode != 0, command
        for name, (_good, _bad, key, _words) in MISTAKES.items():
            assert f"mkdocs.yml:{lines[name]}: {key}: " in run.stderr + run.stdout, (command,
                                                                                       name)
        assert not (root / "site").exists()


def test_the_sample_configuration_is_valid() -> None:
    config, problems = load_config(ROOT)
    assert problems == []
    assert config is not None
    assert [lang.dir for lang in config.languages if lang.code == "ar"] == ["rtl"]
    assert [lang.code for lang in config.languages if lang.required] == ["fi", "en", "selko"]
    assert config.licence == "CC BY 4.0"
