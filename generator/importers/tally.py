"""Paper votes: ``lahio import tally`` reads back the tally sheet the print stage writes.

The sheet (``site/print/<area>/<lang>/tally.csv``, written by ``generator/print/tally.py``)
lists every proposal — id, title in that language, cost — with an empty ``paper_votes``
column for the people who count the ballots, then one ``ballots`` row per return place: how
many ballots came back there (each is one person who voted on paper, so turnout = online
voters + ballots). Counters may copy that row for another place and write the place in its
``title`` cell. It is written for spreadsheet programs as they are set up in Finland: ``;`` between columns
(Finnish Excel's list separator, so a double-click opens it in columns) and UTF-8 *with* a byte
order mark (without it Excel reads UTF-8 as Windows-1252 and "Neulamäki" turns into
"NeulamÃ¤ki"). A title that a spreadsheet would run as a formula (starting with ``=``, ``+``,
``-``, ``@``) gets a leading apostrophe, as Decidim does.

The filled-in sheet is read back by column name, whichever separator (``;`` or ``,``) and
encoding (UTF-8 with or without BOM) the program saved it with; only ``id`` and
``paper_votes`` are read. Every problem is reported at once as ``file:line: column: message``.
The counts go to ``areas/<slug>/budget.tally.yaml``, a file this importer owns; a paper count
written by hand in ``budget.yaml`` wins over it.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..data.config import Config
from ..data.model import TALLY_COLUMNS
from ..errors import DataError, LahioError, Problem
from ..textfiles import CsvSyntaxError, decode_csv, dump_yaml, read_rows, write_atomic

FILE_NAME = "budget.tally.yaml"
COLUMNS = TALLY_COLUMNS
#: The ``id`` of a row that counts the ballots returned at one place (not a proposal).
BALLOTS = "ballots"
HEADER = (
    "# yaml-language-server: $schema=../../docs/schema/budget.tally.schema.json\n"
    "# Written by `lahio import tally`. Do not edit: the next import rewrites this file.\n"
    "# A paper count written by hand in budget.yaml (votes.paper) wins over this file.\n"
)


@dataclass
class TallyResult:
    """What an import did."""

    messages: list[str] = field(default_factory=list)
    written: Path | None = None


def read_tally(path: Path, shown: str, known: list[str],
               ballots: list[tuple[str, int]] | None = None
               ) -> tuple[dict[str, int], list[str], list[Problem]]:
    """Counts by proposal id, ids left blank, and every problem found.

    ``ballots`` (when given) receives ``(place, count)`` of every filled-in ``ballots`` row.
    """
    problems: list[Problem] = []
    text, found = decode_csv(path, shown)
    if text is None:
        # Excel's plain "CSV" is Windows-1252; ids and counts are ASCII, so it reads the same.
        try:
            text, found = path.read_bytes().decode("cp1252"), []
        except (OSError, UnicodeDecodeError):
            return {}, [], found
    try:
        header, lazy = read_rows(text)
        rows = list(lazy)
    except CsvSyntaxError as exc:
        return {}, [], [Problem(shown, exc.line, "", exc.message())]
    names = [h.strip().lower() for h in header]
    for column in ("id", "paper_votes"):
        if column not in names:
            problems.append(Problem(shown, 1, column, "column missing; expected the columns of "
                                    "the tally sheet: " + ", ".join(COLUMNS)))
    if problems:
        return {}, [], problems
    counts: dict[str, int] = {}
    first_line: dict[str, int] = {}
    blank: list[str] = []
    for line, row in rows:
        row = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k is not None}
        pid = row.get("id", "").lstrip("'")
        value = row.get("paper_votes", "")
        if pid == BALLOTS and pid not in known:
            place = (row.get("title") or "").lstrip("'").strip() or BALLOTS
            clean = re.sub(r"[\s\u00a0\u202f]", "", value)
            if clean and not re.fullmatch(r"\d+", clean):
                problems.append(Problem(shown, line, "paper_votes", f"ballots returned: "
                                        f"expected a whole number 0 or more, got {value!r}"))
            elif clean and ballots is not None:
                ballots.append((place, int(clean)))
            continue
        if pid not in known:
            close = difflib.get_close_matches(pid, known, 1)
            hint = f" — did you mean {close[0]!r}?" if close else "; known: " + ", ".join(known)
            problems.append(Problem(shown, line, "id", f"unknown proposal {pid!r}{hint}"))
            continue
        if pid in first_line:
            problems.append(Problem(shown, line, "id", f"proposal {pid!r} is listed twice "
                                    f"(first on line {first_line[pid]})"))
            continue
        first_line[pid] = line
        if value == "":
            blank.append(pid)
            continue
        clean = re.sub(r"[\s\u00a0\u202f]", "", value)
        if not re.fullmatch(r"\d+", clean):
            problems.append(Problem(shown, line, "paper_votes", f"expected a whole number 0 or "
                                    f"more, got {value!r}"))
            continue
        counts[pid] = int(clean)
    return counts, blank, problems


def import_tally(config: Config, slug: str, path: Path, shown: str | None = None) -> TallyResult:
    """Read a filled-in tally sheet into ``areas/<slug>/budget.tally.yaml``.

    Raises:
        DataError: every problem of the sheet, located; nothing is written.
        LahioError: the area or its round does not exist.
    """
    from ..data.load import load
    from ..data.load import load_programme

    shown = shown or str(path)
    programme = load_programme(config)
    area = programme.area(slug)
    if area is None:
        raise LahioError(f"no area {slug!r}; known: "
                         + ", ".join(a.slug for a in programme.areas))
    if area.round is None:
        raise LahioError(f"{slug}: no participatory-budgeting round (areas/{slug}/budget.yaml)")
    known = sorted((str(p.id) for p in area.round.proposals if p.on_ballot),
                   key=lambda i: (len(i), i))
    ballots: list[tuple[str, int]] = []
    counts, blank, problems = read_tally(path, shown, known, ballots)
    if problems:
        raise DataError(problems, Path.cwd())
    if not counts:
        raise DataError([Problem(shown, 0, "paper_votes", "every count is empty; write the "
                                 "number of paper votes (0 for none)")], Path.cwd())
    items = [{"id": pid, "paper": counts[pid]} for pid in known if pid in counts]
    data: dict[str, object] = {"source": Path(shown).name, "counts": items}
    if ballots:
        data["ballots"] = [{"place": place, "ballots": n} for place, n in ballots]
    text = HEADER + dump_yaml(data)
    target = config.root / "areas" / slug / FILE_NAME
    before = target.read_text(encoding="utf-8") if target.exists() else None
    result = TallyResult()
    rel = target.relative_to(config.root)
    if before == text:
        result.messages.append(f"{rel}: no changes ({len(items)} counts)")
    else:
        write_atomic(target, text)
        try:
            load(config.root)
        except DataError:
            if before is None:
                target.unlink()
            else:
                write_atomic(target, before)
            raise
        result.written = target
        result.messages.append(f"{rel}: {len(items)} paper counts, "
                               f"{sum(counts.values())} votes in total")
        if ballots:
            result.messages.append(f"{rel}: {sum(n for _p, n in ballots)} paper ballots "
                                   f"returned ({'; '.join(f'{p}: {n}' for p, n in ballots)}); "
                                   "turnout counts them with the online voters")
        else:
            result.messages.append("note: no 'ballots returned' count on the sheet: the "
                                   "people who voted on paper are not in the turnout")
    hand = [p.id for p in _hand_paper(config, slug)]
    for pid in hand:
        if pid in counts:
            result.messages.append(f"note: proposal {pid} has votes.paper written in "
                                   "budget.yaml; that value is shown, not the tally's")
    if blank:
        result.messages.append("left blank (not counted; write 0 for no votes): "
                               + ", ".join(blank))
    return result


def _hand_paper(config: Config, slug: str) -> list[Any]:
    """Proposals and overrides in budget.yaml that set ``votes.paper`` by hand."""
    from ..data.load import load_area_file
    from ..data.model import BudgetFile

    path = config.root / "areas" / slug / "budget.yaml"
    value, _problems = load_area_file(path, BudgetFile, config, f"areas/{slug}/budget.yaml")
    if value is None:
        return []
    items = [*value.round.proposals, *value.round.overrides]
    return [p for p in items if p.votes and p.votes.paper is not None]
