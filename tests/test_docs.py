"""Generated docs are current, and the JSON Schemas agree with the validator on the sample."""

from __future__ import annotations

import json

import jsonschema
import yaml

from generator.data.load import load_config_only
from generator.data.docs import render_format_guide, render_schemas, schema_name
from generator.data.model import AREA_FILES

from .conftest import ROOT


def test_committed_schemas_and_guide_are_current() -> None:
    config = load_config_only(ROOT)
    for name, text in render_schemas(config.codes).items():
        assert (ROOT / "docs" / "schema" / name).read_text(encoding="utf-8") == text, (
            f"docs/schema/{name} is stale: run `lahio schema`")
    assert (ROOT / "docs" / "data-format.md").read_text(encoding="utf-8") == \
        render_format_guide(), "docs/data-format.md is stale: run `lahio schema`"


def test_sample_files_validate_against_their_schema_and_reference_it() -> None:
    for folder in sorted((ROOT / "areas").iterdir()):
        for filename in AREA_FILES:
            path = folder / filename
            if not path.exists():
                continue
            text = path.read_text(encoding="utf-8")
            assert f"$schema=../../docs/schema/{schema_name(filename)}" in text.splitlines()[0]
            schema = json.loads((ROOT / "docs" / "schema" / schema_name(filename)).read_text())
            # BaseLoader keeps every scalar a string, as our loader does for dates.
            data = yaml.safe_load(text)
            data = json.loads(json.dumps(data, default=str))
            jsonschema.validate(data, schema)


def test_schema_rejects_what_the_validator_rejects() -> None:
    schema = json.loads((ROOT / "docs" / "schema" / "budget.schema.json").read_text())
    bad = {"round": {"id": "x", "title": "x", "budget": "50 000 €", "rule": "greedy",
                     "phases": []}}
    try:
        jsonschema.validate(bad, schema)
    except jsonschema.ValidationError as exc:
        assert "50 000 €" in str(exc.message)
    else:
        raise AssertionError("a cost written as text must not validate")
