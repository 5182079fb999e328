"""Strict YAML on libyaml: the same documents, line maps and messages as the Python loader."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.data import yamlload
from generator.data.yamlload import YList, YMap, load_yaml

from .conftest import ROOT

pytestmark = pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML without libyaml")


def _shape(node: Any) -> Any:
    """Everything a caller can see of a loaded document: types, values and every line."""
    if isinstance(node, YMap):
        return ("map", node.line, [(k, node.key_lines[k], _shape(v)) for k, v in node.items()],
                sorted(node.key_lines.items()))
    if isinstance(node, YList):
        return ("seq", node.line, list(node.item_lines), [_shape(v) for v in node])
    return (type(node).__name__, node)


def _python(text: str) -> Any:
    return yaml.load(text, Loader=yamlload.StrictLoader)  # noqa: S506 - the strict loader


def _c(text: str) -> Any:
    return yaml.load(text, Loader=yamlload._CStrictLoader)  # noqa: S506 - the strict loader


def _project_files() -> list[Path]:
    files = sorted((ROOT / "areas").rglob("*.yaml")) + sorted((ROOT / "data").glob("*.yaml"))
    files += [ROOT / name for name in ("qr-codes.yaml", "selection.yaml")]
    return [f for f in files if f.exists()]


def _problems(path: Path, c_loader: bool, monkeypatch: pytest.MonkeyPatch) -> Any:
    """``load_yaml``'s answer for ``path``, with or without the C loader."""
    with monkeypatch.context() as m:
        if not c_loader:
            m.setattr(yamlload, "_CStrictLoader", None)
        try:
            doc, problems = load_yaml(path, "x.yaml")
        except RecursionError:
            return "RecursionError"
    return _shape(doc), problems


# ------------------------------------------------------------------------------------------
# Implicit types: the strict resolver is the one libyaml's composer asks
# ------------------------------------------------------------------------------------------

STRINGS = ["no", "yes", "on", "off", "y", "n", "2024-05-01", "2024-05-01 12:00", "0o17", "017x",
           "0x1F", "1_000", ".inf", "-.inf", ".nan", "1e5", "1:20", "=", "<<", "NO", "Yes"]
TYPED = [("true", True), ("True", True), ("FALSE", False), ("12", 12), ("-7", -7), ("0", 0),
         ("1.5", 1.5), ("-.5", -0.5), ("1.5e3", 1500.0), ("null", None), ("~", None), ("", None)]


@pytest.mark.parametrize("plain", STRINGS)
def test_c_loader_keeps_other_plain_scalars_strings(plain: str) -> None:
    text = f"value: {plain}\nlist: [{plain}]\n"
    assert _shape(_c(text)) == _shape(_python(text))
    assert _c(text) == {"value": plain, "list": [plain]}


@pytest.mark.parametrize(("plain", "value"), TYPED)
def test_c_loader_types_null_bools_and_decimal_numbers(plain: str, value: Any) -> None:
    text = f"value: {plain}\n"
    got = _c(text)["value"]
    assert got == value and type(got) is type(value)
    assert _shape(_c(text)) == _shape(_python(text))


def test_quoted_scalars_stay_strings() -> None:
    text = "a: 'true'\nb: \"12\"\nc: ''\nd: 'null'\n"
    assert _c(text) == {"a": "true", "b": "12", "c": "", "d": "null"}


# ------------------------------------------------------------------------------------------
# Equal results on every YAML file of the project
# ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", _project_files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_both_loaders_read_project_files_alike(path: Path) -> None:
    text = path.read_bytes().decode("utf-8-sig")
    assert _shape(_c(text)) == _shape(_python(text))
    # the C loader is used for it
    assert yamlload._depth_bound(text) <= yamlload._C_MAX_DEPTH_BOUND
    assert not yamlload._C_DIFFERS.search(text)


def test_project_files_cover_every_kind() -> None:
    rels = {p.relative_to(ROOT).as_posix() for p in _project_files()}
    assert {"qr-codes.yaml", "selection.yaml"} <= rels
    assert any(r.startswith("areas/") for r in rels) and any(r.startswith("data/") for r in rels)


# ------------------------------------------------------------------------------------------
# Errors: found by the C loader, reported by the Python one (same line, key and message)
# ------------------------------------------------------------------------------------------

BROKEN = {
    "duplicate": "a: 1\nb:\n  c: 2\n  d: 3\n  c: 4\n",
    "duplicate-after-str": "1: a\n'1': b\n",
    "duplicate-in-list": "- x: 1\n  y: 2\n- x: 1\n  x: 2\n",
    "alias-scalar": "a: &x 1\nb: 2\nc: *x\n",
    "alias-map": "base: &b\n  k: v\nother:\n  - *b\n",
    "alias-merge": "base: &b\n  k: v\nother:\n  <<: *b\n  j: w\n",
    "alias-recursive": "a: &a\n  - *a\n",
    "alias-undefined": "a: *nowhere\n",
    "anchor-unused": "a: &x 1\nb: 2\n",
    "anchor-twice": "a: &x 1\nb: &x 2\n",
    "flow-unclosed": "a: [1, 2\nb: 3\n",
    "tab-indent": "a:\n\tb: 1\n",
    "bad-indent": "a:\n  b: 1\n c: 2\n",
    "mapping-in-plain": "a: b: c\n",
    "two-documents": "a: 1\n---\nb: 2\n",
    "timestamp-tag": "a: !!timestamp 2024-05-01\n",
    "python-tag": "a: !!python/object:os.system x\n",
    "set-tag": "a: !!set {x, y}\n",
    "unknown-escape": 'a: "\\q"\n',
    "control-char": "a: b\x07c\n",
    "yaml-1.3": "%YAML 1.3\n---\na: 1\n",
    "yaml-2.0": "%YAML 2.0\n---\na: 1\n",
    "unhashable-key": "? [a, b]\n: c\n",
    "empty": "",
    "only-comment": "# nothing\n",
    "nel-line-break": "a: x\x85b: y\n",
    "line-separator": "a: x\u2028y\nb: 1\n",
    "crlf": "a: 1\r\nb:\r\n  - c\r\n",
    "lone-cr": "a: 1\rb: 2\n",
    "tab-separator": "kind:\t infrastructure\n",
    "tab-in-plain": "a: x\ty\n",
    "tab-quoted": 'a: "x\ty"\n',
    "bom-inside": "a: 1\n\ufeffb: 2\n",
    "block-header-comment": "a: >-#\n  x\n",
    "block-header-comment-2": "a: |#c\n  x\n",
    "question-in-flow-map": "a: {b: c?}\n",
    "question-in-flow-list": "a: [x?y, z]\n",
    "question-in-flow-key": "a: {b?: c}\n",
    "question-in-block": "a: what? yes?\nb: [\"why?\"]\n",
    "deep-ok": "[" * 60 + "]" * 60 + "\n",
    "deep-150": "[" * 150 + "]" * 150 + "\n",
    "deep-block": "".join(" " * i + "-\n" for i in range(120)),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_load_yaml_answers_as_the_python_loader_did(name: str, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(BROKEN[name].encode("utf-8"))
    assert _problems(path, True, monkeypatch) == _problems(path, False, monkeypatch)


@pytest.mark.parametrize(("text", "line", "key"), [
    ("a: 1\nb:\n  c: 2\n  d: 3\n  c: 4\n", 5, "c"),
    ("- x: 1\n- x: 1\n  y: 2\n  x: 3\n", 4, "x"),
])
def test_duplicate_keys_keep_their_line(text: str, line: int, key: str, tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(yamlload._Duplicate):
        _c(text)  # the C loader finds it too (then the Python loader says it)
    doc, problems = load_yaml(path, "x.yaml")
    assert doc is None
    assert [(p.line, p.key) for p in problems] == [(line, key)]
    assert "duplicate key; it is already set on line" in problems[0].message


@pytest.mark.parametrize(("text", "line"), [
    ("a: &x 1\nb: 2\nc: *x\n", 3),
    ("base: &b\n  k: v\nother:\n  - 1\n  - *b\n", 5),
    ("base: &b [1, 2]\nother: {x: *b}\n", 2),
])
def test_aliases_are_refused_on_the_alias_line(text: str, line: int, tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(yamlload._AliasUsed):
        _c(text)
    doc, problems = load_yaml(path, "x.yaml")
    assert doc is None
    assert [p.line for p in problems] == [line]
    assert "aliases" in problems[0].message


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    bomb = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        bomb.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(bomb) + "\n", encoding="utf-8")
    doc, problems = load_yaml(path, "bomb.yaml")
    assert doc is None and [p.line for p in problems] == [2]


# ------------------------------------------------------------------------------------------
# Deep nesting never reaches libyaml's unbounded (C stack) recursion
# ------------------------------------------------------------------------------------------

def _depth(node: Any) -> int:
    if isinstance(node, dict):
        return 1 + max((max(_depth(k), _depth(v)) for k, v in node.items()), default=0)
    if isinstance(node, list):
        return 1 + max((_depth(v) for v in node), default=0)
    return 1


@pytest.mark.parametrize("text", [
    "a: 1\n",
    "- - - - - a\n",
    "? - - a\n: - - b\n",
    "- a:\n  - b:\n    - c:\n      - d: e\n",
    "a:\n- b:\n  - c:\n    - d\n",
    "[a: [b: [c: {d: [e]}]]]\n",
    "---\n- - - x\n",
    "- [a: b]: c\n",
    "a:\n  b:\n    c:\n      - - - x: [y, {z: [1]}]\n",
    "".join(" " * i + "-\n" for i in range(40)),
])
def test_depth_bound_is_an_upper_bound(text: str) -> None:
    assert _depth(_python(text)) <= yamlload._depth_bound(text)


def test_very_deep_nesting_does_not_crash_the_process(tmp_path: Path) -> None:
    """A file nested far too deeply is a located problem: no segfault, no traceback."""
    path = tmp_path / "deep.yaml"
    path.write_text("[" * 200_000 + "]" * 200_000 + "\n", encoding="utf-8")
    code = ("import sys; from pathlib import Path; from generator.data.yamlload import load_yaml\n"
            "value, problems = load_yaml(Path(sys.argv[1]), 'deep.yaml')\n"
            "print(value, [(p.file, p.message) for p in problems])\n")
    run = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True,
                         cwd=ROOT, timeout=120, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.startswith("None [('deep.yaml', ") and "nested too deeply" in run.stdout


# ------------------------------------------------------------------------------------------
# Mutated project files: whatever libyaml accepts, the Python loader accepts alike
# ------------------------------------------------------------------------------------------

_NOISE = list(":-[]{}#&*!|>?'\",\t \n\r%@`\\.~=<") + [
    "  ", "- ", ": ", "? ", "\n  ", "\n-", "\r\n", "\x85", "\u2028", "\u2029", "\ufeff", "\xa0",
    "\u3000", "---", "...", "!!str ", "!x ", "&a ", "*a", "<<: ", "|-", ">+", "|2", "#x", " #",
    "\\x41", "\\u00e4", "%YAML 1.1\n", "\"\n", "'\n", "[a, ", "{a: ", "}", "]", "\\\n", "\x01",
]


def _mutants(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    texts = [p.read_bytes().decode("utf-8-sig") for p in _project_files()]
    out = []
    for _ in range(count):
        text = rng.choice(texts)
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(text) + 1)
            kind = rng.random()
            if kind < 0.45:
                text = text[:at] + rng.choice(_NOISE) + text[at:]
            elif kind < 0.7:
                text = text[:at] + text[at + rng.randint(1, 3):]
            else:
                lines = text.splitlines(keepends=True)
                i = rng.randrange(len(lines))
                lines.insert(i, lines[rng.randrange(len(lines))])
                text = "".join(lines)
        out.append(text)
    return out


@pytest.mark.parametrize("seed", range(4))
def test_mutated_files_load_alike(seed: int, tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "x.yaml"
    for text in _mutants(seed, 150):
        path.write_bytes(text.encode("utf-8"))
        assert _problems(path, True, monkeypatch) == _problems(path, False, monkeypatch), text
