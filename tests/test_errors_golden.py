"""Golden tests: broken copies of the sample and the exact messages a communicator sees.

Each ``golden/errors/*.yaml`` names edits to the sample (``edit``: replace text once;
``write``: whole files) and the complete list of problems expected, in report order.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.data.load import load
from generator.errors import DataError

from .conftest import copy_project

GOLDEN = sorted((Path(__file__).parent / "golden" / "errors").glob("*.yaml"))


@pytest.mark.parametrize("case", GOLDEN, ids=[p.stem for p in GOLDEN])
def test_error_messages(case: Path, tmp_path: Path) -> None:
    spec = yaml.safe_load(case.read_text(encoding="utf-8"))
    proj = copy_project(tmp_path / "p")
    for rel, pairs in (spec.get("edit") or {}).items():
        path = proj / rel
        text = path.read_text(encoding="utf-8")
        for old, new in pairs:
            assert text.count(old) >= 1, f"{case.name}: {old!r} not found in {rel}"
            text = text.replace(old, new, 1)
        path.write_text(text, encoding="utf-8")
    for rel, content in (spec.get("write") or {}).items():
        (proj / rel).write_text(content, encoding="utf-8")
    with pytest.raises(DataError) as err:
        load(proj)
    assert [str(p) for p in err.value.problems] == spec["expect"]
