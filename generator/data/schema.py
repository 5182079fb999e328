"""Typed parsing of YAML into frozen dataclasses, collecting every problem with its location.

Each model is a frozen, slotted dataclass whose fields carry their documentation in
``field(metadata={"doc": ...})``. :func:`parse` walks a model's type hints, so the same
declaration gives validation, the error messages and the JSON Schema (:func:`json_schema`)
that editors use — nothing is written twice.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import functools
import math
import re
import types
import typing
from dataclasses import dataclass, field
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

from ..errors import Problem
from ..messages import Msg, err
from .yamlload import YList, YMap

SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")


def doc(text: str, **kw: Any) -> Any:
    """A dataclass field documented for communicators (shown in the JSON Schema and the guide)."""
    return field(metadata={"doc": text}, **kw)


# --- value types ---------------------------------------------------------------------------

class Slug(str):
    """A safe path segment: lower-case letters a–z, digits and hyphens (``neulamaki``)."""


class Url(str):
    """An absolute ``https://`` (or ``http://``) address, or ``mailto:``."""


class Euros(int):
    """A whole number of euros, written without spaces or the € sign (``50000``)."""


#: The largest sum of money a file may hold (a typo such as 1.0e300 is an error, not a crash).
MAX_EUROS = 10**9
#: The years a date or a ``year`` may have.
YEARS = (1900, 2100)


class Measure(float):
    """A figure; the text ``..`` (or -1) means the source withheld it for privacy."""


#: A figure the source withheld (Paavo's -1, or ``..`` in the data).
WITHHELD = Measure(-1)


class LangCode(str):
    """A language code of the site (``fi``, ``selko``, ``en``, …)."""


@dataclass(frozen=True, slots=True)
class Loc:
    """Where a value came from, for messages and the translation report."""

    file: str
    line: int
    key: str
    key_lines: tuple[tuple[str, int], ...] = ()

    def line_of(self, key: str) -> int:
        """The line of ``key`` (first segment) inside this mapping, else the mapping's line."""
        first = key.split(".")[0].split("[")[0]
        return dict(self.key_lines).get(first, self.line)


@dataclass(frozen=True, slots=True)
class Text:
    """A text in one or more languages. A plain YAML string is Finnish (``fi``).

    ``values`` is sorted by language code so two loads compare and hash equal.
    """

    values: tuple[tuple[str, str], ...]
    loc: Loc | None = field(default=None, compare=False)

    def get(self, lang: str) -> str | None:
        """The text in ``lang``, or None when it is not translated."""
        for code, value in self.values:
            if code == lang:
                return value
        return None

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(code for code, _ in self.values)

    @classmethod
    def fi(cls, value: str) -> Text:
        return cls((("fi", value),))


class Context:
    """Collects problems while parsing one file."""

    def __init__(self, file: str, languages: tuple[str, ...]) -> None:
        self.file = file
        self.languages = languages
        self.problems: list[Problem] = []

    def error(self, line: int, key: str, message: str) -> None:
        self.problems.append(Problem(self.file, line, key, message))


_MISSING = object()


def _type_name(tp: Any) -> str:
    names = {
        str: err("a text"), int: err("a whole number"), float: err("a number"),
        bool: err("true or false"), Euros: err("a whole number of euros like 50000"),
        Slug: err("an identifier like 'my-area'"),
        Url: err("a web address starting with https://"),
        dt.date: err("a date like 2024-05-01"),
        dt.datetime: err("a date and time like 2024-05-01 17:30"), Text: err("a text"),
        LangCode: err("a language code"), Measure: err("a number (or .. when withheld)"),
    }
    if tp in names:
        return names[tp]
    if dataclasses.is_dataclass(tp):
        return err("a mapping (key: value lines)")
    origin = get_origin(tp)
    if origin is Literal:
        return err("one of {values}", values=", ".join(repr(a) for a in get_args(tp)))
    if origin is tuple:
        return err("a list (lines starting with '- ')")
    return str(tp)


def _show(value: Any) -> str:
    if isinstance(value, (YMap, dict)):
        return err("a mapping")
    if isinstance(value, (YList, list)):
        return err("a list")
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…'"


def _optional_inner(tp: Any) -> tuple[bool, Any]:
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        if len(args) == 1 and len(get_args(tp)) == 2:
            return True, args[0]
    return False, tp


_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DATETIME_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})$")
_FI_DATE_RE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})")
#: A time after a Finnish-style date: "klo 14", "kello 9.15", "14:00", "at 17".
_FI_TIME_RE = re.compile(r"^\s*(?:klo|kello|at|,)?\s*(\d{1,2})(?:[:.](\d{2}))?\s*$")


def _parse_date(value: Any, with_time: bool) -> tuple[Any, str | None]:
    if not isinstance(value, str):
        return None, None
    text = value.strip()
    m = (_DATETIME_RE if with_time else _DATE_RE).match(text)
    if m:
        year, month, day, *clock = (int(p) for p in m.groups())
        try:
            if with_time:
                return dt.datetime(year, month, day, clock[0], clock[1]), None
            return dt.date(year, month, day), None
        except ValueError as exc:
            return None, err("{value!r} is not a real date ({reason}); check the day and "
                             "the month", value=text, reason=_date_reason(str(exc)))
    fi = _FI_DATE_RE.match(text)
    if fi:
        d, mth, y = fi.groups()
        try:
            dt.date(int(y), int(mth), int(d))
        except ValueError as exc:
            # Never suggest writing an impossible date the other way round.
            return None, err("{value!r} is not a real date ({reason}); check the day and "
                             "the month", value=text, reason=_date_reason(str(exc)))
        example = f"{y}-{int(mth):02d}-{int(d):02d}"
        if with_time:
            # The writer's own time ("klo 14", "14.30", "kello 9:15"), never an invented one.
            own = _FI_TIME_RE.search(text[fi.end():])
            example += (f" {int(own.group(1)):02d}:{own.group(2) or '00'}" if own
                        and int(own.group(1)) < 24 and int(own.group(2) or 0) < 60
                        else " hh:mm")
        return None, err("write dates as year-month-day: {example!r} instead of {value!r}",
                         example=example, value=text)
    return None, None


def _date_reason(reason: str) -> str:
    """Python's reason for an impossible date, as a translatable message when it is known."""
    if reason == "day is out of range for month":
        return err("day is out of range for month")
    if reason == "month must be in 1..12":
        return err("month must be in 1..12")
    return reason


def parse_value(tp: Any, value: Any, ctx: Context, line: int, key: str) -> Any:
    """Parse one value of type ``tp``; report a problem and return ``_MISSING`` when it fails."""
    optional, inner = _optional_inner(tp)
    if value is None:
        if optional:
            return None
        ctx.error(line, key, err("is empty; expected {expected}", expected=_type_name(inner)))
        return _MISSING
    tp = inner
    origin = get_origin(tp)

    if tp is Text:
        return _parse_text(value, ctx, line, key)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        if not isinstance(value, YMap):
            ctx.error(line, key, _expected(tp, value))
            return _MISSING
        return parse(tp, value, ctx, key)
    if origin is tuple:
        (item_tp, _ellipsis) = get_args(tp)
        if not isinstance(value, YList):
            if isinstance(value, str) and get_origin(item_tp) is None and item_tp in (
                    str, Slug, LangCode):
                value_list = YList([value])
                value_list.line, value_list.item_lines = line, [line]
                value = value_list
            else:
                ctx.error(line, key, _expected(tp, value))
                return _MISSING
        items = []
        ok = True
        for i, (item, item_line) in enumerate(zip(value, value.item_lines, strict=True)):
            parsed = parse_value(item_tp, item, ctx, item_line, f"{key}[{i}]")
            if parsed is _MISSING:
                ok = False
            else:
                items.append(parsed)
        return tuple(items) if ok else _MISSING
    if origin is Literal:
        allowed = get_args(tp)
        if value in allowed:
            return value
        close = difflib.get_close_matches(str(value), [str(a) for a in allowed], 1)
        hint = err(" — did you mean {close!r}?", close=close[0]) if close else ""
        ctx.error(line, key, err("got {got}; expected {expected}{hint}", got=_show(value),
                                 expected=_type_name(tp), hint=hint))
        return _MISSING
    if tp is bool:
        if isinstance(value, bool):
            return value
        ctx.error(line, key, err("expected true or false, got {got}", got=_show(value)))
        return _MISSING
    if tp is Euros:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            hint = ""
            if isinstance(value, str):
                digits = re.sub(r"[^\d,.]", "", value).replace(",", ".")
                if digits:
                    try:
                        hint = err("; write {number} (digits only, no spaces or €)",
                                   number=int(float(digits)))
                    except ValueError:
                        pass
            ctx.error(line, key, err("expected a whole number of euros like 50000, got {got}"
                                     "{hint}", got=_show(value), hint=hint))
            return _MISSING
        if value < 0 or (isinstance(value, float) and not value.is_integer()):
            ctx.error(line, key, err("expected a whole, non-negative number of euros, got "
                                     "{value}", value=value))
            return _MISSING
        if value > MAX_EUROS:
            ctx.error(line, key, err("{value} euros is more than this programme handles "
                                     "(at most 1 000 000 000); check the number",
                                     value=_show(value)))
            return _MISSING
        return Euros(int(value))
    if tp is Measure:
        if isinstance(value, str) and value.strip() == "..":
            return Measure(-1)
        tp = float
    if tp in (int, float):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (
                tp is int and isinstance(value, float)):
            hint = ""
            if isinstance(value, str) and re.match(r"^-?\d+,\d+$", value.strip()):
                hint = err("; use a decimal point: {number}",
                           number=value.strip().replace(",", "."))
            ctx.error(line, key, _expected(tp, value, hint))
            return _MISSING
        if isinstance(value, float) and not math.isfinite(value):
            ctx.error(line, key, err("expected a number, got {got}", got=_show(value)))
            return _MISSING
        if tp is int and key.rsplit(".", 1)[-1] == "year" and not (
                YEARS[0] <= value <= YEARS[1]):
            ctx.error(line, key, err("{value} is not a year of this programme; expected a "
                                     "year from 1900 to 2100", value=value))
            return _MISSING
        return tp(value)
    if tp in (dt.date, dt.datetime):
        parsed, why = _parse_date(value, tp is dt.datetime)
        if parsed is None:
            ctx.error(line, key, why or _expected(tp, value))
            return _MISSING
        if not YEARS[0] <= parsed.year <= YEARS[1]:
            ctx.error(line, key, err("{value!r} is not a date of this programme; expected a "
                                     "year from 1900 to 2100", value=str(value).strip()))
            return _MISSING
        return parsed
    if tp in (str, Slug, Url, LangCode):
        if isinstance(value, (int, float)) and not isinstance(value, bool) and tp is str:
            value = str(value)
        if not isinstance(value, str):
            ctx.error(line, key, _expected(tp, value))
            return _MISSING
        if not _check_text(value, ctx, line, key):
            return _MISSING
        if tp is Slug and not SLUG_RE.match(value):
            ctx.error(line, key, err("{value!r} is not a safe identifier; use lower-case "
                                     "letters a-z, digits and hyphens, e.g. 'uusi-puisto'",
                                     value=value))
            return _MISSING
        if tp is Url and not re.match(r"^(https?://[^\s/$.?#][^\s]*|mailto:[^\s@]+@[^\s@]+)$",
                                      value):
            ctx.error(line, key, err("{value} is not a web address; expected one starting "
                                     "with https://", value=_show(value)))
            return _MISSING
        if tp is LangCode and value not in ctx.languages:
            ctx.error(line, key, err("unknown language {value!r}; expected one of {languages}",
                                     value=value, languages=", ".join(ctx.languages)))
            return _MISSING
        if tp is str and not value.strip():
            ctx.error(line, key, err("is empty; write the text or remove the key"))
            return _MISSING
        return tp(value)
    raise TypeError(f"unsupported model type {tp!r} at {key}")  # a bug in the model


def _expected(tp: Any, value: Any, hint: str = "") -> Msg:
    return err("expected {expected}, got {got}{hint}", expected=_type_name(tp),
               got=_show(value), hint=hint)


#: Bidirectional controls that open an embedding or override (closed by U+202C PDF) and an
#: isolate (closed by U+2069 PDI). One left open reverses whatever follows it in a title, an
#: SMS, a calendar or a feed.
_BIDI_OPEN = {"\u202a": "\u202c", "\u202b": "\u202c", "\u202d": "\u202c",
              "\u202e": "\u202c", "\u2066": "\u2069", "\u2067": "\u2069",
              "\u2068": "\u2069"}
_BIDI_ANY = re.compile("[\u202a-\u202e\u2066-\u2069]")
#: How deep block quotes and lists may nest in Markdown (deeper crashes the renderer).
MAX_MARKDOWN_DEPTH = 20
_QUOTES = re.compile(r"^(?:[ ]{0,3}>)+")
_LIST_ITEM = re.compile(r"^([ \t]*)(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")


def text_problem(text: str) -> tuple[int, str] | None:
    """The first thing in ``text`` no output may carry, as (0-based line, message), or None.

    A NUL character; a bidirectional control left open (or closed without being opened) on its
    line; Markdown quotes or lists nested deeper than :data:`MAX_MARKDOWN_DEPTH`.
    """
    for number, line in enumerate(text.split("\n")):
        if "\0" in line:
            return number, err("holds a NUL character (a byte 0); remove it")
        if _BIDI_ANY.search(line):
            stack: list[str] = []
            for char in _BIDI_ANY.findall(line):
                if char in _BIDI_OPEN:
                    stack.append(_BIDI_OPEN[char])
                elif not stack or stack.pop() != char:
                    return number, err("a direction mark U+{code:04X} closes nothing; remove "
                                       "it", code=ord(char))
            if stack:
                return number, err("a direction mark is left open (U+202A–U+202E or "
                                   "U+2066–U+2068 without its closing U+202C or U+2069); it "
                                   "would turn the text after it around; remove it or close it")
        quotes = _QUOTES.match(line)
        if quotes and quotes.group().count(">") > MAX_MARKDOWN_DEPTH:
            return number, err("block quotes ('>') nested more than {n} levels deep",
                               n=MAX_MARKDOWN_DEPTH)
        item = _LIST_ITEM.match(line)
        if item and len(item.group(1).expandtabs(4)) > 4 * MAX_MARKDOWN_DEPTH:
            return number, err("lists nested more than {n} levels deep", n=MAX_MARKDOWN_DEPTH)
    return None


def _check_text(value: str, ctx: Context, line: int, key: str) -> bool:
    found = text_problem(value)
    if found is None:
        return True
    ctx.error(line, key, found[1])
    return False


def _parse_text(value: Any, ctx: Context, line: int, key: str) -> Any:
    loc = Loc(ctx.file, line, key)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str):
        if not value.strip():
            ctx.error(line, key, err("is empty; write the text or remove the key"))
            return _MISSING
        if not _check_text(value, ctx, line, key):
            return _MISSING
        return Text((("fi", value),), loc)
    if isinstance(value, YMap):
        pairs = []
        ok = True
        previous: tuple[str, Any] | None = None
        for code, text in value.items():
            kline = value.key_lines.get(code, line)
            if code not in ctx.languages and text is None and previous is not None:
                # "{fi: Koulun ruokala, dining hall}": the comma ended the text and the rest
                # was read as one more key without a value.
                whole = f"{previous[1]}, {code}"
                ctx.error(kline, f"{key}.{previous[0]}", err(
                    "the value must be quoted: the comma after {text!r} ends the text, so "
                    "{rest!r} is read as a language; write {example}", text=previous[1],
                    rest=code, example=f'{previous[0]}: "{whole}"'))
                ok = False
                continue
            previous = (code, text)
            if code not in ctx.languages:
                close = difflib.get_close_matches(code, ctx.languages, 1, 0.5)
                hint = err(" — did you mean {close!r}?", close=close[0]) if close else ""
                ctx.error(kline, f"{key}.{code}", err("unknown language; expected one of "
                                                      "{languages}{hint}", hint=hint,
                                                      languages=", ".join(ctx.languages)))
                ok = False
                continue
            if isinstance(text, (int, float)) and not isinstance(text, bool):
                text = str(text)
            if not isinstance(text, str) or not text.strip():
                ctx.error(kline, f"{key}.{code}", err("expected a text, got {got}",
                                                      got=_show(text)))
                ok = False
                continue
            if not _check_text(text, ctx, kline, f"{key}.{code}"):
                ok = False
                continue
            pairs.append((code, text))
        if ok and "fi" not in dict(pairs):
            ctx.error(line, key, err("has no Finnish text; add a 'fi:' line (Finnish is the "
                                     "language every other one falls back to)"))
            ok = False
        return Text(tuple(sorted(pairs)), loc) if ok else _MISSING
    ctx.error(line, key, err("expected a text or a map of languages (fi: …, en: …), got {got}",
                             got=_show(value)))
    return _MISSING


@functools.cache
def model_fields(cls: type) -> list[tuple[dataclasses.Field[Any], Any]]:
    """The user-facing fields of a model (``loc`` excluded) with their resolved types.

    Cached per class: resolving the type hints was a third of the time spent loading areas.
    Callers must not change the list.
    """
    hints = get_type_hints(cls)
    return [(f, hints[f.name]) for f in dataclasses.fields(cls) if f.name != "loc"]


def yaml_key(name: str) -> str:
    """The YAML key of a model field: its name."""
    return name


def parse(cls: type, raw: YMap, ctx: Context, path: str = "") -> Any:
    """Parse a mapping into ``cls``; every problem goes to ``ctx``. Returns ``_MISSING`` on error."""
    known = {yaml_key(f.name): (f, tp) for f, tp in model_fields(cls)}
    values: dict[str, Any] = {}
    ok = True
    for key in raw:
        if key not in known:
            close = difflib.get_close_matches(key, list(known), 1, 0.6)
            hint = err(" — did you mean {close!r}?", close=close[0]) if close else err(
                "; expected one of {keys}", keys=", ".join(known))
            ctx.error(raw.key_lines[key], _join(path, key), err("unknown key{hint}", hint=hint))
            ok = False
    for key, (f, tp) in known.items():
        if key in raw:
            parsed = parse_value(tp, raw[key], ctx, raw.key_lines[key], _join(path, key))
            if parsed is _MISSING:
                ok = False
            else:
                values[f.name] = parsed
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            optional, _ = _optional_inner(tp)
            if optional:
                values[f.name] = None
            else:
                ctx.error(raw.line, _join(path, key),
                          err("is missing; expected {expected}", expected=_type_name(tp)))
                ok = False
    if not ok:
        return _MISSING
    if "loc" in {f.name for f in dataclasses.fields(cls)}:
        values["loc"] = Loc(ctx.file, raw.line, path, tuple(sorted(raw.key_lines.items())))
    return cls(**values)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def is_missing(value: Any) -> bool:
    return value is _MISSING


# --- JSON Schema ---------------------------------------------------------------------------

def json_schema(cls: type, title: str, languages: tuple[str, ...]) -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) for a model, for editors' completion and checking."""
    defs: dict[str, Any] = {}
    root = _schema_for(cls, defs, languages)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": title,
            **root, "$defs": dict(sorted(defs.items()))}


def _schema_for(tp: Any, defs: dict[str, Any], languages: tuple[str, ...]) -> dict[str, Any]:
    optional, tp = _optional_inner(tp)
    origin = get_origin(tp)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp) and tp is not Text:
        name = tp.__name__
        if name not in defs:
            defs[name] = {}  # break cycles
            props: dict[str, Any] = {}
            required = []
            for f, ftp in model_fields(tp):
                sub = _schema_for(ftp, defs, languages)
                if f.metadata.get("doc"):
                    sub = {**sub, "description": f.metadata["doc"]}
                props[yaml_key(f.name)] = sub
                opt, _ = _optional_inner(ftp)
                if (f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
                        and not opt):
                    required.append(yaml_key(f.name))
            defs[name] = {"type": "object", "description": (tp.__doc__ or "").strip(),
                          "properties": props, "required": required,
                          "additionalProperties": False}
        out: dict[str, Any] = {"$ref": f"#/$defs/{name}"}
    elif origin is tuple:
        out = {"type": "array", "items": _schema_for(get_args(tp)[0], defs, languages)}
    elif origin is Literal:
        out = {"enum": list(get_args(tp))}
    elif tp is Text:
        out = {"anyOf": [{"type": "string", "minLength": 1},
                         {"type": "object", "required": ["fi"], "additionalProperties": False,
                          "properties": {c: {"type": "string"} for c in languages}}]}
    elif tp is bool:
        out = {"type": "boolean"}
    elif tp is Euros:
        out = {"type": "integer", "minimum": 0}
    elif tp is int:
        out = {"type": "integer"}
    elif tp in (float, Measure):
        out = {"type": "number"}
    elif tp is dt.date:
        out = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    elif tp is dt.datetime:
        out = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}$"}
    elif tp is Slug:
        out = {"type": "string", "pattern": SLUG_RE.pattern}
    elif tp is Url:
        out = {"type": "string", "pattern": r"^(https?://|mailto:)"}
    elif tp is LangCode:
        out = {"enum": list(languages)}
    elif tp is str:
        out = {"type": "string", "minLength": 1}
    else:
        raise TypeError(f"no schema for {tp!r}")
    if optional:
        out = {"anyOf": [out, {"type": "null"}]}
    return out


__all__ = [
    "Context", "Euros", "LangCode", "Measure", "Loc", "Slug", "Text", "Url", "doc", "is_missing",
    "json_schema", "parse", "parse_value", "typing",
]
