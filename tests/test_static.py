"""The static checks CI runs with the tests: the layers (import-linter), lint (ruff), types (mypy).

Their configuration is in pyproject.toml. The layer contracts are also shown to fail: a copy
of the package with one import against the layers must break them.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _run(*command: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False,
                          timeout=600)


def test_the_layers_hold() -> None:
    result = _run(str(BIN / "lint-imports"))
    assert result.returncode == 0, result.stdout + result.stderr
    # Every contract ran (a contract dropped from pyproject.toml would pass silently).
    assert "4 kept, 0 broken" in result.stdout


def test_ruff_finds_nothing() -> None:
    result = _run(str(BIN / "ruff"), "check", "generator", "tests", "tools", "bench")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_nothing() -> None:
    result = _run(sys.executable, "-m", "mypy")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found" in result.stdout


def _copy(tmp_path: Path) -> Path:
    """The package and its contracts, copied to a folder of their own."""
    shutil.copytree(ROOT / "generator", tmp_path / "generator",
                    ignore=shutil.ignore_patterns("__pycache__", "*.html", "*.po", "*.mo",
                                                  "*.css", "*.svg"))
    shutil.copy2(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


@pytest.mark.parametrize(("module", "line", "broken"), [
    # A view reaching up into the pipeline that calls it.
    ("views/urls.py", "from ..build import build", "Layers run one way"),
    # A stage reaching into another stage.
    ("print/tally.py", "from ..channels import CHANNEL", "Layers run one way"),
    # The data layer reaching up into the views.
    ("data/config.py", "from ..views.urls import area_path", "Layers run one way"),
    # An importer using the views.
    ("importers/paavo.py", "from ..views.urls import area_path", "Importers use only"),
    # MkDocs imported outside the engine module.
    ("site/pages.py", "import mkdocs", "Only the site engine module imports MkDocs"),
    # Two modules of one package importing each other.
    ("views/urls.py", "from . import area", "No import cycles"),
])
def test_an_import_against_the_layers_breaks_a_contract(tmp_path: Path, module: str, line: str,
                                                        broken: str) -> None:
    copy = _copy(tmp_path)
    target = copy / "generator" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}  # noqa\n",
                      encoding="utf-8")
    result = _run(str(BIN / "lint-imports"), cwd=copy)
    out = result.stdout + result.stderr
    assert result.returncode != 0, out
    assert f"{broken}" in out and "BROKEN" in out, out
    # The copy was checked, not the installed package: the unchanged copy passes.
    target.write_text(target.read_text(encoding="utf-8").replace(f"\n{line}  # noqa\n", ""),
                      encoding="utf-8")
    assert _run(str(BIN / "lint-imports"), cwd=copy).returncode == 0
