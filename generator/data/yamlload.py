"""Strict YAML: duplicate keys rejected, line marks kept, no surprising implicit types.

PyYAML's ``SafeLoader`` silently keeps the last of two equal keys, turns ``no`` into ``False``
(so a language code ``no`` would vanish) and parses ``2024-05-01`` into a date only sometimes.
This loader is a subclass (never a patched global): it resolves only null, ``true``/``false``,
decimal integers and decimal floats; everything else stays a string and is typed by the
validator, which can then say exactly what it expected.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from ..errors import Problem
from .messages import err

#: Files larger than this are refused before parsing: area data is a few kilobytes.
MAX_FILE_BYTES = 2 * 1024 * 1024


class YMap(dict):  # type: ignore[type-arg]
    """A mapping that remembers the line of each key (1-based) and its own line."""

    line: int = 0
    key_lines: dict[str, int]


class YList(list):  # type: ignore[type-arg]
    """A sequence that remembers the line of each item and its own line."""

    line: int = 0
    item_lines: list[int]


class _Resolver(yaml.resolver.BaseResolver):
    pass


_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
)
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"),
    list("-+0123456789."),
)


class _Duplicate(Exception):
    def __init__(self, key: str, line: int, first: int) -> None:
        self.key, self.line, self.first = key, line, first


class _AliasUsed(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


class StrictLoader(
    yaml.reader.Reader,
    yaml.scanner.Scanner,
    yaml.parser.Parser,
    yaml.composer.Composer,
    yaml.constructor.SafeConstructor,
    _Resolver,
):
    """Safe, strict loader; see the module docstring."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        yaml.constructor.SafeConstructor.__init__(self)
        _Resolver.__init__(self)

    def compose_node(self, parent: Any, index: Any) -> Any:
        # Aliases make "billion laughs" bombs possible and are never needed in area data.
        if self.check_event(yaml.events.AliasEvent):
            event = self.peek_event()
            raise _AliasUsed(event.start_mark.line + 1)
        return super().compose_node(parent, index)

    def construct_yaml_map(self, node: yaml.MappingNode) -> Any:
        data = YMap()
        data.line = node.start_mark.line + 1
        data.key_lines = {}
        yield data
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                key = str(key)
            line = key_node.start_mark.line + 1
            if key in data.key_lines:
                raise _Duplicate(key, line, data.key_lines[key])
            data.key_lines[key] = line
            data[key] = self.construct_object(value_node, deep=True)

    def construct_yaml_seq(self, node: yaml.SequenceNode) -> Any:
        data = YList()
        data.line = node.start_mark.line + 1
        data.item_lines = [child.start_mark.line + 1 for child in node.value]
        yield data
        data.extend(self.construct_object(child, deep=True) for child in node.value)


StrictLoader.add_constructor("tag:yaml.org,2002:map", StrictLoader.construct_yaml_map)
StrictLoader.add_constructor("tag:yaml.org,2002:seq", StrictLoader.construct_yaml_seq)
# No timestamps, no binary, no sets: strings stay strings.
for _tag in ("timestamp", "binary", "set", "omap", "pairs"):
    StrictLoader.yaml_constructors.pop(f"tag:yaml.org,2002:{_tag}", None)


def load_yaml(path: Path, rel: str) -> tuple[Any, list[Problem]]:
    """Read one YAML file strictly.

    Args:
        path: the file on disk.
        rel: the path shown in messages (relative to the project root).

    Returns:
        The document (``YMap``/``YList``/scalars) or ``None``, and the problems found. A file
        with problems yields ``None``: its content cannot be trusted.
    """
    try:
        size = path.stat().st_size
    except OSError as exc:
        return None, [Problem(rel, 0, "", err("cannot be read: {reason}", reason=exc.strerror))]
    if size > MAX_FILE_BYTES:
        return None, [
            Problem(rel, 0, "", err("file is {size} KB; an area file must be under {limit} KB "
                                    "(is this really the right file?)", size=size // 1024,
                                    limit=MAX_FILE_BYTES // 1024))
        ]
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [
            Problem(rel, line, "", err("is not UTF-8 text; save the file as UTF-8 "
                                       "(in most editors: Save as… → Encoding: UTF-8)"))
        ]
    try:
        return yaml.load(text, Loader=StrictLoader), []  # noqa: S506 - StrictLoader is safe
    except _Duplicate as dup:
        return None, [
            Problem(rel, dup.line, dup.key, err("duplicate key; it is already set on line "
                                                "{first}. Keep one of them", first=dup.first))
        ]
    except _AliasUsed as alias:
        return None, [
            Problem(rel, alias.line, "", err("YAML aliases (*name) are not allowed; write the "
                                             "value out in full"))
        ]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        what = exc.problem or "invalid YAML"
        if exc.context:
            what = f"{exc.context}, {what}"
        return None, [
            Problem(rel, line, "", err("is not valid YAML: {what} (check indentation and that "
                                       "text containing ':' or '#' is in quotes)", what=what))
        ]
    except yaml.YAMLError as exc:
        return None, [Problem(rel, 0, "", f"is not valid YAML: {exc}")]
