"""Strict YAML: duplicate keys rejected, line marks kept, no surprising implicit types.

PyYAML's ``SafeLoader`` silently keeps the last of two equal keys, turns ``no`` into ``False``
(so a language code ``no`` would vanish) and parses ``2024-05-01`` into a date only sometimes.
This loader is a subclass (never a patched global): it resolves only null, ``true``/``false``,
decimal integers and decimal floats; everything else stays a string and is typed by the
validator, which can then say exactly what it expected.

Files are read by libyaml (PyYAML's C parser) when it is there, as it is several times faster.
Whatever libyaml does not load cleanly (a syntax error, a duplicate key, an alias, a document
nested too deep) is read again by the pure-Python loader, whose messages, lines and keys are the
ones users see: the C reading only ever returns a result, never a message.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from ..errors import Problem
from ..messages import Msg, err

#: Files larger than this are refused before parsing: area data is a few kilobytes.
MAX_FILE_BYTES = 2 * 1024 * 1024


class YMap(dict[str, Any]):
    """A mapping that remembers the line of each key (1-based) and its own line."""

    line: int = 0
    key_lines: dict[str, int]


class YList(list[Any]):
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


class _StrictConstructor(yaml.constructor.SafeConstructor):
    """Mappings and sequences that keep their lines; duplicate keys refused; no dates, sets…"""

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


_StrictConstructor.add_constructor("tag:yaml.org,2002:map", _StrictConstructor.construct_yaml_map)
_StrictConstructor.add_constructor("tag:yaml.org,2002:seq", _StrictConstructor.construct_yaml_seq)
# No timestamps, no binary, no sets: strings stay strings.
for _tag in ("timestamp", "binary", "set", "omap", "pairs"):
    _StrictConstructor.yaml_constructors.pop(f"tag:yaml.org,2002:{_tag}", None)


class StrictLoader(
    yaml.reader.Reader,
    yaml.scanner.Scanner,
    yaml.parser.Parser,
    yaml.composer.Composer,
    _StrictConstructor,
    _Resolver,
):
    """Safe, strict loader; see the module docstring."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        _StrictConstructor.__init__(self)
        _Resolver.__init__(self)

    def compose_node(self, parent: Any, index: Any) -> Any:
        # Aliases make "billion laughs" bombs possible and are never needed in area data.
        if self.check_event(yaml.events.AliasEvent):
            event = self.peek_event()
            raise _AliasUsed(event.start_mark.line + 1)
        return super().compose_node(parent, index)


#: Deepest nesting the C loader accepts; deeper documents are left to the Python loader (area
#: data nests about six levels). Kept low so that whatever the C loader returns, the Python
#: loader would return too: it recurses about four frames a level and stops at Python's
#: recursion limit.
_C_MAX_DEPTH = 100

#: libyaml's composer recurses on the C stack with no limit of its own (a few hundred bytes a
#: level: tens of thousands of levels crash the process). A text whose nesting cannot be proved
#: to stay under this bound never reaches it.
_C_MAX_DEPTH_BOUND = 1000

#: Texts libyaml may accept where PyYAML refuses them, left to the Python loader: tabs (libyaml
#: takes them as separating white space in more places), a byte order mark after the start, a
#: block scalar header followed by a comment without a space (``|#``). (A "?" inside a plain
#: scalar of a flow collection is caught while constructing.)
_C_DIFFERS = re.compile(r"[\t\ufeff]|[|>][-+0-9]*#")

_LINE_PREFIX = re.compile(r"^[ \t?:-]*", re.M)


def _depth_bound(text: str) -> int:
    """An upper bound of the nesting depth of ``text``, computed without parsing it.

    A block collection opens at a column deeper than its parent's (a sequence under a key may
    share the key's column), and on the line where it opens only indentation and the
    indicators ``-``, ``?`` and ``:`` can stand before it: so block nesting is at most twice the
    longest such line start. Each flow level needs a ``[`` or ``{`` and may hold one implicit
    single-pair mapping.
    """
    prefix = max((len(m.group()) for m in _LINE_PREFIX.finditer(text)), default=0)
    return 2 * (prefix + 2) + 2 * (text.count("[") + text.count("{")) + 2


if yaml.__with_libyaml__:

    class _CStrictLoader(yaml._yaml.CParser, _StrictConstructor, _Resolver):
        """The strict loader on libyaml; only used through :func:`_load_text`.

        libyaml's composer resolves aliases itself (an alias becomes the anchored node once
        more), so an alias shows here as a node constructed twice.
        """

        def __init__(self, stream: str) -> None:
            yaml._yaml.CParser.__init__(self, stream)
            _StrictConstructor.__init__(self)
            _Resolver.__init__(self)
            self._depth = 0
            self._flow = 0

        def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
            if node in self.constructed_objects or node in self.recursive_objects:
                raise _AliasUsed(node.start_mark.line + 1)  # the anchor's line, not the alias'
            if isinstance(node, yaml.ScalarNode):
                # PyYAML ends a plain scalar at "?" inside [...] / {...}, libyaml does not.
                if self._flow and node.style == "" and "?" in node.value:
                    raise yaml.YAMLError("'?' in a plain scalar of a flow collection")
                return super().construct_object(node, deep)
            flow = bool(node.flow_style)
            self._depth += 1
            self._flow += flow
            try:
                if self._depth > _C_MAX_DEPTH:
                    raise yaml.YAMLError("nested too deep for the C loader")
                # Deep even for the document itself, so that its items are built inside this
                # call (and the flow count above is theirs). The result is the same.
                return super().construct_object(node, deep=True)
            finally:
                self._depth -= 1
                self._flow -= flow

else:  # pragma: no cover - PyYAML built without libyaml
    _CStrictLoader = None  # type: ignore[misc, assignment]  # a class only with libyaml


_BRACKETS = re.compile(r"[\[\]{}]")
#: How deep area data may nest (lists and keys inside each other); real files nest < 10.
_MAX_DEPTH = 200
_TOO_DEEP = err("is nested too deeply to be area data (lists and keys inside each other "
                "hundreds of levels deep); check the indentation")


def _deep_line(text: str, limit: int = 100) -> int:
    """The first line where ``text`` nests more than ``limit`` levels (brackets or indentation)."""
    depth = 0
    for number, line in enumerate(text.splitlines(), 1):
        indent = len(_LINE_PREFIX.match(line).group())  # type: ignore[union-attr]
        if indent > 2 * limit:
            return number
        for bracket in _BRACKETS.findall(line):
            depth += 1 if bracket in "[{" else -1
            if depth > limit:
                return number
    return 0


def _load_text(text: str) -> Any:
    """The document in ``text``, read strictly; raises as :class:`StrictLoader` does."""
    if (_CStrictLoader is not None and not _C_DIFFERS.search(text)
            and _depth_bound(text) <= _C_MAX_DEPTH_BOUND):
        try:
            return yaml.load(text, Loader=_CStrictLoader)  # noqa: S506 - strict and safe
        except Exception:  # noqa: BLE001, S110 - the Python loader says what is wrong
            pass
    return yaml.load(text, Loader=StrictLoader)  # noqa: S506 - StrictLoader is safe


def yaml_problem_in_words(exc: yaml.MarkedYAMLError) -> tuple[int, Msg] | None:
    """The line to show and a message in words for the YAML parser's common errors.

    PyYAML speaks of tokens ("expected <block end>, but found '<block mapping start>'"); a
    communicator needs to know which line to fix and how. None for an error not recognised
    here (the parser's own words are shown then).
    """
    problem = exc.problem or ""
    context = exc.context or ""
    line = exc.problem_mark.line + 1 if exc.problem_mark else 0
    start = exc.context_mark.line + 1 if exc.context_mark else line
    if problem.startswith("expected <block end>, but found '<block"):
        return line, err("the indentation of line {line} does not match the lines above it; "
                         "indent each key as far as the other keys of its group", line=line)
    if problem.startswith("expected <block end>, but found '<scalar>'"):
        return line, err("line {line} has more text after a value that has ended (after a "
                         "closing quotation mark?); put the whole value in quotes", line=line)
    if problem.startswith("mapping values are not allowed here"):
        return line, err("line {line} has ': ' inside a text, or is indented further than the "
                         "line above it; put a text containing ': ' in quotes", line=line)
    if problem.startswith("found character '\\t'"):
        return line, err("line {line} is indented with a tab; indent with spaces only",
                         line=line)
    found = re.match(r"found character '(.+)' that cannot start any token", problem)
    if found:
        return line, err("on line {line} a value starts with {char!r}, which YAML reserves; "
                         "put the value in quotes", line=line, char=found.group(1))
    if context.startswith("while scanning a quoted scalar"):
        return start, err("the quotation mark opened on line {start} is never closed; end the "
                          "text with the same mark", start=start)
    if context.startswith("while scanning a simple key") and "expected ':'" in problem:
        return start, err("line {line} has no ':' after its key; write 'key: value', or indent "
                          "a text that goes on from the line above under its key", line=start)
    brackets = re.match(r"expected ',' or '([\]}])'", problem)
    if brackets:
        close = brackets.group(1)
        opened = "{" if close == "}" else "["
        return start, err("the {opened!r} opened on line {start} is not closed where "
                          "expected (line {line}); close it with {close!r}, and put a text "
                          "containing ',' or ':' inside it in quotes",
                          opened=opened, close=close, start=start, line=line)
    return None


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
    nul = text.find("\0")
    if nul >= 0:
        return None, [Problem(rel, text.count("\n", 0, nul) + 1, "", err(
            "holds a NUL character (a byte 0); the file is damaged or not a text file"))]
    deep = _deep_line(text, _MAX_DEPTH)
    if deep:  # refused before parsing: parsing it would take long or exhaust the stack
        return None, [Problem(rel, deep, "", _TOO_DEEP)]
    try:
        return _load_text(text), []
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
        words = yaml_problem_in_words(exc)
        if words is not None:
            return None, [Problem(rel, words[0], "", words[1])]
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
    except RecursionError:
        return None, [Problem(rel, _deep_line(text), "", _TOO_DEEP)]
