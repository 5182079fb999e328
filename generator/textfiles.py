"""Text files people edit or open in a spreadsheet: CSV read with located errors, formula
guards against CSV injection, YAML written stably and atomically (importers and open data)."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem

#: Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def strip_formula_guard(value: str) -> str:
    """Remove the apostrophe a spreadsheet-safe export puts before ``=``, ``+``, ``-``, ``@``."""
    if len(value) > 1 and value[0] == "'" and value[1] in FORMULA_STARTS:
        return value[1:]
    return value


def guard_formula(value: str) -> str:
    """Prefix an apostrophe to a cell a spreadsheet would run as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def decode_csv(path: Path, shown: str) -> tuple[str | None, list[Problem]]:
    """The text of a CSV file: UTF-8 (with or without BOM)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(shown, 0, "", f"cannot be read: {exc.strerror}")]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(shown, line, "", "is not UTF-8 text; save it as 'CSV UTF-8'")]


class CsvSyntaxError(ValueError):
    """A CSV file that does not parse (a quote left open), with the line its record starts on."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line

    def message(self) -> str:
        return (f"the CSV does not parse here ({self}); a quote (\") is probably left open: "
                "every quoted cell must end with a quote")


def read_rows(text: str, delimiter: str | None = None) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """Header and ``(line, row)`` pairs; ``line`` is where the record starts (1-based).

    The delimiter is ``;`` (Decidim, Finnish spreadsheets) unless the header has only commas.
    """
    first = text.split("\n", 1)[0]
    if delimiter is None:
        delimiter = ";" if ";" in first or "," not in first else ","
    # strict: a quote left open is an error with its line, not the rest of the file read as
    # one cell (which silently drops the rows after it).
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        return [], iter(())
    except csv.Error as exc:
        raise CsvSyntaxError(1, str(exc)) from exc

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        start = reader.line_num + 1
        while True:
            try:
                record = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise CsvSyntaxError(start, str(exc)) from exc
            if any(cell.strip() for cell in record):
                cells = record + [""] * (len(header) - len(record))
                yield start, dict(zip(header, cells, strict=False))
            start = reader.line_num + 1

    return header, rows()


class _Dumper(yaml.SafeDumper):
    """Block style; multi-line texts as ``|`` blocks where YAML allows it."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump_yaml(data: Any) -> str:
    """Stable, readable YAML (key order as given, Unicode as is)."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=False)


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file, so a crash never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
