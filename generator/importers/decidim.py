"""``lahio import decidim``: a Decidim open-data export → ``areas/<slug>/budget.decidim.yaml``.

Reads the budgets ``projects`` CSV (and optionally the accountability ``results`` CSV) of
Decidim 0.27–0.30 as the platform writes them into its open-data ZIP: ``;``-separated UTF-8,
translated fields flattened to ``title/<locale>``, descriptions in HTML, and an apostrophe
before any text that starts with ``=``, ``+``, ``-`` or ``@`` (the platform's spreadsheet
guard, removed here). Columns are found by name; extra columns (machine translations, module
columns, ``latitude`` …) are ignored. Areas are told apart by ``budget/id``, ``scope/id`` (up to
0.29) or ``taxonomies/id`` (0.30); categories (``category/*``, ``taxonomies/name/*``) are not
imported: themes are the programme's own, set under ``round.overrides``.

Each ``--area slug=SELECTION`` takes the rows of one voting area: ``budget:11`` (Decidim's
``budget/id``, the usual choice; a bare number means the same), ``scope:1`` or
``taxonomy:5``. The proposals go into ``budget.decidim.yaml``, a file this importer owns and
rewrites; the hand-edited ``budget.yaml`` keeps the round (budget, rule, phases) and may change
any imported proposal under ``round.overrides``. When the export carries the city's selection
(``selected_at``), the results are that selection: the importer sets ``rule: official`` in
``budget.yaml`` (that one line, said in its report). The budget total is not in any Decidim CSV: it
comes from ``budget.yaml``, or from ``--budget`` when ``budget.yaml`` does not exist yet (then a
starter ``budget.yaml`` is written once, never again).

Values: an empty ``confirmed_votes`` means the votes are not known (hidden); a non-empty
``selected_at`` means selected; results give ``status`` and ``progress`` per project, matched by
title. Descriptions become Markdown with nothing executable left (see :mod:`.html_text`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..data.config import Config
from ..data.schema import MAX_EUROS, SLUG_RE, text_problem
from ..errors import DataError, LahioError, Problem
from ..textfiles import (CsvSyntaxError, decode_csv, dump_yaml, read_rows,
                         strip_formula_guard, write_atomic)
from .html_text import html_to_markdown

FILE_NAME = "budget.decidim.yaml"
HEADER = (
    "# yaml-language-server: $schema=../../docs/schema/budget.decidim.schema.json\n"
    "# Written by `lahio import decidim`. Do not edit: the next import rewrites this file.\n"
    "# To change an imported proposal (theme, status, updates, a corrected title …), add it\n"
    "# under round.overrides in budget.yaml with the same id: budget.yaml always wins.\n"
)

#: Decidim locales whose code differs from the site's language code.
LOCALE_ALIASES = {"fi-pl": "selko", "fi-pla": "selko", "fi-selko": "selko"}

#: Decidim accountability status keys (admins choose them; these are the usual ones).
STATUS_KEYS = {
    "planned": "planned", "not_started": "planned", "pending": "planned", "proposed": "planned",
    "in_progress": "in-progress", "ongoing": "in-progress", "execution": "in-progress",
    "started": "in-progress", "in_execution": "in-progress",
    "done": "done", "completed": "done", "finished": "done", "executed": "done",
    "cancelled": "cancelled", "canceled": "cancelled", "discarded": "cancelled",
    "rejected": "cancelled",
}


@dataclass(frozen=True, slots=True)
class Selection:
    """Which rows of the export belong to one of our areas."""

    slug: str
    kind: str  # budget, scope, taxonomy
    value: str

    @property
    def text(self) -> str:
        return f"{self.kind}:{self.value}"


def parse_selection(spec: str) -> Selection:
    """``neulamaki=budget:11`` (or ``=11``, ``=scope:1``, ``=taxonomy:5``) → :class:`Selection`.

    Raises:
        LahioError: the text is not in that form.
    """
    m = re.fullmatch(r"([a-z0-9-]+)=(?:(budget|scope|taxonomy):)?(\d+)", spec.strip())
    if not m or not SLUG_RE.match(m.group(1)):
        raise LahioError(f"--area takes slug=budget:ID (or scope:ID, taxonomy:ID), e.g. "
                         f"neulamaki=budget:11; got {spec!r}")
    return Selection(m.group(1), m.group(2) or "budget", m.group(3))


@dataclass
class ImportResult:
    """What an import did: messages for the person who ran it, and the files it wrote."""

    messages: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)


class _Csv:
    """One export file: its rows with line numbers, and helpers that collect problems."""

    def __init__(self, path: Path, shown: str, problems: list[Problem]) -> None:
        self.shown = shown
        self.problems = problems
        text, found = decode_csv(path, shown)
        problems.extend(found)
        self.header: list[str] = []
        self.rows: list[tuple[int, dict[str, str]]] = []
        if text is not None:
            try:
                self.header, rows = read_rows(text, ";")
                self.rows = list(rows)
            except CsvSyntaxError as exc:
                self.error(exc.line, "", exc.message())
                self.header, self.rows = [], []
                return
            if not self.header:
                self.error(0, "", "is empty; expected Decidim's open-data CSV (a header line "
                           "and one line per project)")
            # Every cell checked at once: NUL characters and direction marks left open would
            # reach titles, SMS, calendars and feeds.
            for line, row in self.rows:
                for column, value in row.items():
                    bad = text_problem(value or "") if column is not None else None
                    if bad is not None:
                        self.error(line + bad[0], column, bad[1])

    def error(self, line: int, column: str, message: str) -> None:
        self.problems.append(Problem(self.shown, line, column, message))

    def require(self, *columns: str) -> bool:
        missing = [c for c in columns if c not in self.header]
        for c in missing:
            self.error(1, c, "column missing; is this the right export? (expected Decidim's "
                       "open-data CSV with columns " + ", ".join(columns) + ")")
        return not missing


def _cell(row: dict[str, str], column: str) -> str:
    return strip_formula_guard((row.get(column) or "").strip())


def _locale_columns(header: list[str], name: str) -> list[tuple[str, str]]:
    """``(column, decidim locale)`` of a translated field; a bare column counts as ``""``."""
    out = []
    for col in header:
        if col == name:
            out.append((col, ""))
        elif col.startswith(name + "/"):
            rest = col[len(name) + 1:]
            if "/" not in rest:  # skips title/machine_translations/en
                out.append((col, rest))
    return out


class _Locales:
    """Maps Decidim locales to the site's language codes; remembers what it could not map."""

    def __init__(self, codes: tuple[str, ...], extra: dict[str, str]) -> None:
        self.codes = codes
        self.extra = {k.lower(): v for k, v in extra.items()}
        self.ignored: set[str] = set()

    def code(self, locale: str) -> str | None:
        loc = locale.lower().replace("_", "-")
        if loc == "":
            return "fi"
        for candidate in (self.extra.get(loc), LOCALE_ALIASES.get(loc), loc, loc.split("-")[0]):
            if candidate and candidate in self.codes:
                return candidate
        self.ignored.add(locale)
        return None


def _translated(row: dict[str, str], columns: list[tuple[str, str]], locales: _Locales,
                convert: Any = None) -> dict[str, str]:
    """Language code → text, in the site's language order; empty texts left out."""
    found: dict[str, str] = {}
    for col, locale in columns:
        value = _cell(row, col)
        if convert is not None and value:
            value = strip_formula_guard(convert(value))
        else:
            value = re.sub(r"\s+", " ", value).strip()
        code = locales.code(locale)
        if value and code and code not in found:
            found[code] = value
    return {c: found[c] for c in locales.codes if c in found}


def _text_value(values: dict[str, str]) -> Any:
    """A Text for YAML: a plain string when only Finnish, else a map of languages."""
    if list(values) == ["fi"]:
        return values["fi"]
    return dict(values)


def _selected(row: dict[str, str], sel: Selection) -> bool:
    if sel.kind == "budget":
        return _cell(row, "budget/id") == sel.value
    if sel.kind == "scope":
        return _cell(row, "scope/id") == sel.value
    ids = [i.strip() for i in _cell(row, "taxonomies/id").split(",")]
    return sel.value in ids


def _scopes(row: dict[str, str]) -> set[str]:
    """The scope (up to 0.29) and taxonomy (0.30) ids of a row: which area it belongs to."""
    ids = {_cell(row, "scope/id")} | {i.strip() for i in _cell(row, "taxonomies/id").split(",")}
    return ids - {""}


def _norm(title: str) -> str:
    return re.sub(r"\s+", " ", strip_formula_guard(title)).strip().casefold()


def read_projects(csv_: _Csv, sel: Selection, locales: _Locales) -> list[dict[str, Any]]:
    """The proposals of one area as ordered mappings, ready for YAML."""
    title_cols = _locale_columns(csv_.header, "title")
    desc_cols = _locale_columns(csv_.header, "description")
    out: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for line, row in csv_.rows:
        if not _selected(row, sel):
            continue
        pid = _cell(row, "id")
        if not SLUG_RE.match(pid):
            csv_.error(line, "id", f"{pid!r} is not an id (expected the platform's number)")
            continue
        if pid in seen:
            csv_.error(line, "id", f"project {pid} is listed twice (first on line {seen[pid]})")
            continue
        seen[pid] = line
        title = _translated(row, title_cols, locales)
        if "fi" not in title:
            csv_.error(line, "title/fi", "no Finnish title; every text needs Finnish (the "
                       "language every other one falls back to) — add it on the platform")
        amount = _cell(row, "budget_amount")
        if not re.fullmatch(r"\d+", amount):
            csv_.error(line, "budget_amount", f"expected a whole number of euros, got {amount!r}")
        elif int(amount) > MAX_EUROS:
            csv_.error(line, "budget_amount", f"{amount} euros is more than this programme "
                       "handles (at most 1 000 000 000); check the number")
        paper_text = _cell(row, "paper_ballots")
        if paper_text and not re.fullmatch(r"\d+", paper_text):
            csv_.error(line, "paper_ballots", f"expected a whole number 0 or more (or empty "
                       f"when not known), got {paper_text!r}")
        votes_text = _cell(row, "confirmed_votes")
        if votes_text and not re.fullmatch(r"\d+", votes_text):
            csv_.error(line, "confirmed_votes", f"expected a whole number 0 or more (or empty "
                       f"when not known), got {votes_text!r}")
        item: dict[str, Any] = {"id": pid}
        item["title"] = _text_value(title) if "fi" in title else ""
        item["cost"] = int(amount) if amount.isdigit() else 0
        summary = _translated(row, desc_cols, locales, html_to_markdown)
        if "fi" in summary:
            item["summary"] = _text_value(summary)
        address = _cell(row, "address")
        if address:
            item["place"] = address
        votes: dict[str, int] = {}
        if votes_text.isdigit():
            votes["online"] = int(votes_text)
        if paper_text.isdigit():  # paper ballots the platform recorded (where it has them)
            votes["paper"] = int(paper_text)
        if votes:
            item["votes"] = votes
        if "selected_at" in csv_.header:
            item["selected"] = bool(_cell(row, "selected_at"))
        item["_scopes"] = _scopes(row)
        url = _cell(row, "url")
        if re.match(r"^https?://\S+$", url):
            item["url"] = url
        if "state" in csv_.header:  # a proposals export: the platform's answer is the review
            state = _cell(row, "state").lower()
            status = PROPOSAL_STATES.get(state)
            if status is None and state != "withdrawn":
                csv_.error(line, "state", f"{state!r} is not a Decidim proposal state; expected "
                           "one of " + ", ".join(repr(k) for k in PROPOSAL_STATES if k)
                           + " or 'withdrawn'")
            elif status is not None:
                review: dict[str, Any] = {"status": status}
                answer = _translated(row, _locale_columns(csv_.header, "answer"), locales,
                                     html_to_markdown)
                if "fi" in answer:
                    review["reason"] = _text_value(answer)
                item["review"] = review
        item["_line"] = line
        out.append(item)
    if not any(item.get("selected") for item in out):
        # No selected_at at all: the city has not selected yet (or the export predates 0.30),
        # so nothing is recorded; once it has, the others are recorded as not selected.
        for item in out:
            item.pop("selected", None)
    return out


#: Decidim proposal states (``state`` column of a proposals export) as review statuses. A
#: proposal not yet answered is submitted; a withdrawn one keeps no review.
PROPOSAL_STATES = {"": "submitted", "not_answered": "submitted", "evaluating": "under-review",
                   "accepted": "feasible", "rejected": "not-feasible"}


def apply_results(csv_: _Csv, areas: dict[str, list[dict[str, Any]]], locales: _Locales,
                  notes: list[str]) -> None:
    """Status and progress from the accountability results, matched to projects by title."""
    title_cols = _locale_columns(csv_.header, "title")
    index: dict[str, set[tuple[str, int]]] = {}
    for slug, items in areas.items():
        for n, item in enumerate(items):
            title = item["title"]
            for text in (title.values() if isinstance(title, dict) else [title]):
                index.setdefault(_norm(text), set()).add((slug, n))
    matched: dict[tuple[str, int], int] = {}
    # Results of other areas (other scopes) are not ours to report; only rows that could belong
    # to the chosen budgets and match nothing are counted, once.
    scopes = set().union(*(item["_scopes"] for items in areas.values() for item in items))
    unmatched: list[str] = []
    for line, row in csv_.rows:
        if _cell(row, "parent/id"):
            continue  # a sub-result: its parent carries the project's status
        titles = _translated(row, title_cols, locales)
        hits = set().union(*(index.get(_norm(t), set()) for t in titles.values())) \
            if titles else set()
        label = titles.get("fi") or next(iter(titles.values()), "")
        if not hits:
            theirs = _scopes(row)
            if not theirs or theirs & scopes:
                unmatched.append(f"{_cell(row, 'id')} (line {line})")
            continue
        if len(hits) > 1:
            csv_.error(line, "title", f"{label!r} matches more than one project; give the "
                       "projects different titles on the platform")
            continue
        hit = next(iter(hits))
        if hit in matched:
            csv_.error(line, "title", f"a second result for the same project (first on line "
                       f"{matched[hit]})")
            continue
        matched[hit] = line
        item = areas[hit[0]][hit[1]]
        progress_text = _cell(row, "progress")
        progress = None
        if progress_text:
            try:
                value = float(progress_text.replace(",", "."))
            except ValueError:
                csv_.error(line, "progress", f"expected a number such as 33.33, got "
                           f"{progress_text!r}")
                continue
            if not 0 <= value <= 100:
                csv_.error(line, "progress", f"expected a percentage 0–100, got {progress_text}")
                continue
            progress = int(value + 0.5)
        key = _cell(row, "status/key").lower() or _cell(row, "status/name/en").lower().replace(
            " ", "_")
        status = STATUS_KEYS.get(key)
        if status is None and progress is not None:
            status = "done" if progress >= 100 else "in-progress" if progress > 0 else "planned"
            if key:
                notes.append(f"{csv_.shown}:{line}: status {key!r} is not a known status; "
                             f"read as {status!r} from the progress")
        if status:
            item["status"] = status
        if progress is not None:
            item["progress"] = progress
        # The implementation timeline, shown per funded proposal.
        for column, key in (("start_date", "start"), ("end_date", "end")):
            day = _cell(row, column)[:10]
            if re.fullmatch(r"\d{4}-\d\d-\d\d", day):
                item[key] = dt.date.fromisoformat(day)
            elif day:
                csv_.error(line, column, f"expected a date such as 2025-08-01, got {day!r}")
    if unmatched:
        notes.append(f"{csv_.shown}: {len(unmatched)} result(s) of these areas match no "
                     f"imported project by title and were skipped: {', '.join(unmatched)}")


def render_file(sel: Selection, files: list[str], items: list[dict[str, Any]]) -> str:
    """The text of ``budget.decidim.yaml``: header comment, source, proposals sorted by id."""
    proposals = [{k: v for k, v in item.items() if not k.startswith("_")}
                 for item in sorted(items, key=lambda i: (len(i["id"]), i["id"]))]
    data = {"source": {"platform": "decidim", "selection": sel.text, "files": files},
            "proposals": proposals}
    return HEADER + dump_yaml(data)


def describe_changes(old_text: str | None, new_text: str) -> list[str]:
    """What changed between two versions of the file, per proposal id."""
    if old_text == new_text:
        return []
    old = {}
    if old_text:
        try:
            loaded = yaml.safe_load(old_text) or {}
            old = {str(p.get("id")): p for p in loaded.get("proposals") or []}
        except yaml.YAMLError:
            return ["replaced an unreadable file"]
    new = {str(p["id"]): p for p in (yaml.safe_load(new_text) or {}).get("proposals") or []}
    lines = []
    for pid in sorted(set(old) | set(new), key=lambda i: (len(i), i)):
        if pid not in old:
            lines.append(f"added {pid}")
        elif pid not in new:
            lines.append(f"removed {pid}")
        else:
            keys = sorted(k for k in set(old[pid]) | set(new[pid])
                          if old[pid].get(k) != new[pid].get(k))
            if keys:
                lines.append(f"changed {pid}: {', '.join(keys)}")
    return lines or ["changed the source description"]


def _starter_budget(slug: str, name_fi: str, year: int, budget: int, rule: str) -> str:
    return (
        "# yaml-language-server: $schema=../../docs/schema/budget.schema.json\n"
        "# The participatory-budgeting round, written once by `lahio import decidim`; edit it "
        "freely.\n"
        "# The proposals come from budget.decidim.yaml; change them here under round.overrides.\n"
        + dump_yaml({"round": {
            "id": f"{slug}-{year}",
            "title": f"{name_fi}: osallistuva budjetointi {year}",
            "budget": budget, "rule": rule, "phases": []}}))


_RULE_LINE = re.compile(r"^(\s+rule:[ \t]*)([\"']?)([a-z-]+)\2([ \t]*(?:#.*)?)$", re.M)


def _set_rule_official(text: str) -> tuple[str, str | None]:
    """``budget.yaml`` with ``rule: official``, changing that one line only; the old rule.

    Comments and every other line stay as written. Returns the text unchanged and None when
    the rule already is official or no single ``rule:`` line is found.
    """
    found = list(_RULE_LINE.finditer(text))
    if len(found) != 1 or found[0].group(3) == "official":
        return text, None
    m = found[0]
    return text[:m.start()] + m.group(1) + "official" + m.group(4) + text[m.end():], m.group(3)


def import_decidim(config: Config, selections: list[Selection], projects: Path,
                   results: Path | None = None, budget: int | None = None,
                   locale_map: dict[str, str] | None = None,
                   shown: tuple[str, str | None] | None = None) -> ImportResult:
    """Import the export into each selected area; validate; write only what changed.

    Args:
        config: the project (its root and languages).
        selections: which rows go to which area.
        projects: Decidim's ``…-open-data-projects.csv``.
        results: Decidim's ``…-open-data-results.csv`` (accountability), optional.
        budget: the money to share, used only to write a starter ``budget.yaml``.
        locale_map: extra Decidim locale → language code pairs (``{"fi-pl": "selko"}``).
        shown: the file names as the user gave them (for messages).

    Raises:
        DataError: every problem in the export (``file:line: column: message``), or in the
            project after the import (then nothing is written).
        LahioError: a wrong command line (unknown area, missing budget).
    """
    from ..data.load import load

    root = config.root
    problems: list[Problem] = []
    shown_p, shown_r = shown or (str(projects), str(results) if results else None)
    locales = _Locales(config.codes, locale_map or {})
    slugs = [s.slug for s in selections]
    if len(set(slugs)) != len(slugs):
        raise LahioError("each area may be given once with --area")
    for s in selections:
        if not (root / "areas" / s.slug / "area.yaml").is_file():
            known = sorted(p.name for p in (root / "areas").iterdir() if p.is_dir())
            raise LahioError(f"--area {s.slug}: no areas/{s.slug}/area.yaml; known areas: "
                             + ", ".join(known))

    pcsv = _Csv(projects, shown_p, problems)
    areas: dict[str, list[dict[str, Any]]] = {}
    if pcsv.header and pcsv.require("id", "budget_amount"):
        if not _locale_columns(pcsv.header, "title"):
            pcsv.error(1, "title/fi", "column missing; expected title/<locale> columns")
        for s in selections:
            column = {"budget": "budget/id", "scope": "scope/id",
                      "taxonomy": "taxonomies/id"}[s.kind]
            if column not in pcsv.header:
                pcsv.error(1, column, f"column missing, so --area {s.slug}={s.text} selects "
                           "nothing; choose budget:, scope: or taxonomy: as the export has")
                continue
            items = read_projects(pcsv, s, locales)
            if not items:
                found = sorted({_cell(r, column) for _, r in pcsv.rows} - {""},
                               key=lambda v: (len(v), v))
                pcsv.error(0, column, f"no project has {column} {s.value} (for {s.slug}); "
                           f"the export has {', '.join(found) or 'none'}")
            areas[s.slug] = items
    notes: list[str] = []
    if results is not None:
        rcsv = _Csv(results, shown_r or str(results), problems)
        if rcsv.header and rcsv.require("id", "progress"):
            apply_results(rcsv, areas, locales, notes)
    if problems:
        raise DataError(problems, Path.cwd())

    files = [Path(shown_p).name] + ([Path(shown_r or str(results)).name] if results else [])
    out = ImportResult()
    planned: dict[Path, str] = {}
    #: Areas whose export carries the city's selection (a non-empty selected_at).
    official = {slug for slug, items in areas.items() if any(i.get("selected") for i in items)}
    rule_changes: dict[str, str] = {}
    for s in selections:
        folder = root / "areas" / s.slug
        budget_yaml = folder / "budget.yaml"
        if not budget_yaml.exists():
            if budget is None:
                raise LahioError(f"{s.slug}: areas/{s.slug}/budget.yaml does not exist yet; give "
                                 "the money to share with --budget EUROS (e.g. --budget 50000)")
            area_raw = yaml.safe_load((folder / "area.yaml").read_text(encoding="utf-8-sig"))
            name = area_raw.get("name")
            name_fi = str(name.get("fi") or s.slug) if isinstance(name, dict) else str(name)
            planned[budget_yaml] = _starter_budget(
                s.slug, name_fi, int(area_raw.get("year")), budget,
                "official" if s.slug in official else "greedy")
        else:
            if budget is not None:
                raw = yaml.safe_load(budget_yaml.read_text(encoding="utf-8-sig")) or {}
                have = (raw.get("round") or {}).get("budget")
                if have != budget:
                    raise LahioError(f"--budget {budget}: areas/{s.slug}/budget.yaml says "
                                     f"budget: {have}; change it there (the importer edits "
                                     "only the rule of budget.yaml)")
            if s.slug in official:
                # The platform's selection is the result: the round's rule says so.
                text, old_rule = _set_rule_official(budget_yaml.read_text(encoding="utf-8"))
                if old_rule is not None:
                    planned[budget_yaml] = text
                    rule_changes[s.slug] = old_rule
        planned[folder / FILE_NAME] = render_file(s, files, areas[s.slug])

    before = {p: (p.read_text(encoding="utf-8") if p.exists() else None) for p in planned}
    changed = {p: t for p, t in planned.items() if before[p] != t}
    for p, text in changed.items():
        write_atomic(p, text)
    try:
        load(root)
    except DataError:
        for p in changed:  # put everything back as it was: nothing half-imported
            if before[p] is None:
                p.unlink(missing_ok=True)
            else:
                write_atomic(p, before[p])  # type: ignore[arg-type]
        raise
    for s in selections:
        path = root / "areas" / s.slug / FILE_NAME
        rel = path.relative_to(root)
        if path in changed:
            what = describe_changes(before[path], planned[path])
            out.messages.append(f"{rel}: " + "; ".join(what))
            out.written.append(path)
        else:
            out.messages.append(f"{rel}: no changes ({len(areas[s.slug])} proposals)")
        starter = root / "areas" / s.slug / "budget.yaml"
        if s.slug in official:
            chosen = [i["id"] for i in areas[s.slug] if i.get("selected")]
            out.messages.append(f"{rel}: the platform selected {len(chosen)} proposal(s) "
                                f"({', '.join(chosen)}): these are the results (rule: official)")
        if starter in changed and before[starter] is None:
            out.messages.append(f"{starter.relative_to(root)}: written (round with budget "
                                f"{budget}, rule: {'official' if s.slug in official else 'greedy'}"
                                "); add the phases and check the rule")
            out.written.append(starter)
        elif starter in changed:
            out.messages.append(f"{starter.relative_to(root)}: rule: {rule_changes[s.slug]} → "
                                "official (only this line changed): the platform's selection "
                                "decides which proposals are funded")
            out.written.append(starter)
    if locales.ignored:
        out.messages.append("ignored languages not on the site: "
                            + ", ".join(sorted(locales.ignored)))
    out.messages.extend(notes)
    return out
