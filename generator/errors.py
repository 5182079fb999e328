"""Errors a user can act on. Anything else is a bug and keeps its traceback."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class LahioError(Exception):
    """Base of every error that is the user's to fix (data, configuration, rendering limits)."""


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One located problem in the input.

    Attributes:
        file: path of the file, relative to the project root (``areas/neulamaki/budget.yaml``).
        line: 1-based line number, 0 when the problem concerns the file as a whole.
        key: dotted key path inside the file (``round.proposals[3].cost``), may be empty.
        message: what is wrong and what was expected.
    """

    file: str
    line: int
    key: str
    message: str

    def __str__(self) -> str:
        return self.localized("en")

    def localized(self, lang: str | None = None) -> str:
        """The problem with its message in ``lang`` (default: the system locale's)."""
        from .messages import localize

        message = localize(self.message, lang)
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.key}: {message}" if self.key else f"{where}: {message}"


class DataError(LahioError):
    """The input has one or more problems; all of them are listed, each with its location."""

    def __init__(self, problems: list[Problem], root: Path | None = None) -> None:
        self.problems = sorted(set(problems))
        self.root = root
        super().__init__(self.report(lang="en"))

    def report(self, show_source: bool = True, lang: str | None = None) -> str:
        """All problems, each followed by the offending source line, then a count.

        Args:
            show_source: add the offending line under each problem.
            lang: ``fi`` or ``en``; by default the system locale's (LC_ALL, LC_MESSAGES, LANG).
        """
        from .messages import err, localize, message_language

        lang = lang or message_language()
        lines: list[str] = []
        for p in self.problems:
            lines.append(p.localized(lang))
            if show_source and self.root is not None and p.line:
                src = _source_line(self.root / p.file, p.line)
                if src is not None:
                    lines.append(f"    {p.line:>4} | {src}")
        files = len({p.file for p in self.problems})
        n = len(self.problems)
        if n == 1 and files == 1:
            summary = err("1 error in 1 file; nothing was written.")
        elif files == 1:
            summary = err("{n} errors in 1 file; nothing was written.", n=n)
        else:
            summary = err("{n} errors in {files} files; nothing was written.", n=n, files=files)
        lines.append(localize(summary, lang))
        return "\n".join(lines)


def _source_line(path: Path, line: int) -> str | None:
    try:
        with path.open(encoding="utf-8-sig", errors="replace") as fh:
            for i, text in enumerate(fh, 1):
                if i == line:
                    return text.rstrip("\n")[:160]
    except OSError:
        return None
    return None
