"""``load_programme``: read every area and page, validate, cross-check, or raise DataError.

Everything is read and checked before anything is rendered, and every problem of every file is
reported in one run (see STYLE.md: gather and validate everything before writing anything).
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
from collections import Counter
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import Any, TypeVar

from ..cache import FileDigests, Store, code_fingerprint, digest
from ..errors import DataError, Problem
from .config import Config, load_config
from .model import (
    AREA_FILES,
    Area,
    AreaData,
    Areas,
    BudgetFile,
    EventsFile,
    Indicator,
    InvestmentsFile,
    Page,
    PaavoFile,
    PaavoTable,
    ParticipationFile,
    Programme,
    ProjectsFile,
    SelectionConfig,
    SelectionData,
    ThemesFile,
)
from .model import (ImportedBudgetFile, Proposal, ProposalOverride, Round, TallyFile, Turnout,
                    Votes)
from ..messages import err
from .model import Picture, ProcessFile, Review
from .picture import PictureError, PictureFile, measure
from .rules import rule_disagreement
from .schema import SLUG_RE, Context, Loc, is_missing, parse, text_problem
from .yamlload import MAX_FILE_BYTES, StrictLoader, YList, YMap, load_yaml

import yaml


#: A model a project file is read as.
T = TypeVar("T")

def load_config_only(root: Path, site_url: str | None = None) -> Config:
    """Read ``mkdocs.yml``; raises :class:`DataError` listing every problem."""
    config, problems = load_config(root, site_url)
    if problems or config is None:
        raise DataError(problems, root)
    return config


def load(root: Path, site_url: str | None = None) -> tuple[Config, Programme]:
    """Read and validate everything; raises :class:`DataError` listing every problem."""
    config = load_config_only(root, site_url)
    return config, load_programme(config)


def load_programme(config: Config) -> Programme:
    """Load, validate and cross-check all input under ``config.root``.

    Raises:
        DataError: listing every problem found, each with file, line and key.
    """
    problems: list[Problem] = check_input_files(config.root)
    if problems:  # reading a link to /dev/zero or a pipe could hang the build: stop here
        raise DataError(problems, config.root)
    areas: list[tuple[str, AreaData | bytes]] = []
    area_root = config.root / "areas"
    if not area_root.is_dir():
        raise DataError([Problem("areas", 0, "", err(
            "folder not found; create areas/<slug>/area.yaml (lahio new-area <slug> does it "
            "for you)"))], config.root)
    # Areas whose files did not change since the last build are taken from the cache (only
    # areas that loaded without problems are kept there, so every problem is found again).
    store = Store(config.root / ".lahio-cache" / "areas")
    files = FileDigests(config.root / ".lahio-cache" / "area-files.pickle")
    settings = digest(repr(config.codes))
    sources = []
    for folder in sorted(p for p in area_root.iterdir() if p.is_dir()):
        if folder.name.startswith((".", "_")):
            continue
        key = _area_key(folder, settings, files)
        cached = store.get_pickled(folder.name, key)
        if cached is not None:  # unpickled only if a stage asks for it (see Areas)
            areas.append((folder.name, cached))
            sources.append((folder.name, key))
            continue
        before = len(problems)
        area = _load_area(folder, config, problems)
        if area is not None and len(problems) == before:
            store.put(folder.name, key, area)
        if area is not None:
            areas.append((area.slug, area))
            sources.append((area.slug, key))
    pages = _load_pages(config, problems)
    selection = _load_selection(config, problems)
    if problems:
        raise DataError(problems, config.root)
    store.save()
    files.save()
    return Programme(areas=Areas(areas), pages=tuple(pages), selection=selection,
                     sources=tuple(sources))


#: The folders a build reads (besides the files at the project's top).
INPUT_FOLDERS = ("areas", "content", "theme", "data")


def check_input_files(root: Path) -> list[Problem]:
    """Every input is a regular file or folder inside the project.

    A symbolic link under ``areas/``, ``content/``, ``theme/`` or ``data/`` is followed only
    when it leads to a place inside the project; one that leads outside (``/etc/…``, another
    project) is a located error, so nothing outside the project is ever published. A device,
    a pipe or a socket there is an error too (reading one could block the build).
    """
    problems: list[Problem] = []
    real_root = root.resolve()
    for top in INPUT_FOLDERS:
        base = root / top
        if not base.is_dir() and not base.is_symlink():
            continue
        if base.is_symlink() and not Path(os.path.realpath(base)).is_relative_to(real_root):
            problems.append(Problem(top, 0, "", err(
                "a symbolic link to {target}, outside the project; inputs are read only from "
                "inside the project: copy the file here instead",
                target=os.path.realpath(base))))
            continue
        stack = [base]
        while stack:
            folder = stack.pop()
            try:
                entries = sorted(os.scandir(folder), key=lambda e: e.name)
            except OSError:
                continue
            for entry in entries:
                path = Path(entry.path)
                rel = path.relative_to(root).as_posix()
                if entry.is_symlink():
                    target = Path(os.path.realpath(path))
                    if not target.is_relative_to(real_root):
                        problems.append(Problem(rel, 0, "", err(
                            "a symbolic link to {target}, outside the project; inputs are "
                            "read only from inside the project: copy the file here instead",
                            target=str(target))))
                        continue
                    if not target.exists():
                        problems.append(Problem(rel, 0, "", err(
                            "a symbolic link to {target}, which does not exist",
                            target=str(target))))
                        continue
                    # A link inside the project: its target is checked where it lies.
                    continue
                if entry.is_dir(follow_symlinks=False):
                    stack.append(path)
                elif not entry.is_file(follow_symlinks=False):
                    problems.append(Problem(rel, 0, "", err(
                        "not a regular file (a device, pipe or socket); remove it")))
    return problems


def _area_key(folder: Path, settings: str, files: FileDigests) -> str:
    """What an area's loaded data depends on: its YAML files (names and bytes), the languages
    configured and the generator's code."""
    parts: list[str | bytes] = [code_fingerprint(), settings]
    # The YAML files, and every file in the area's sub-folders (its pictures: the data is
    # checked against them, and measured).
    inner = (p for p in folder.rglob("*") if p.parent != folder and p.is_file()
             and not any(part.startswith(".") for part in p.relative_to(folder).parts))
    for path in [*sorted(folder.glob("*.y*ml")), *sorted(inner)]:
        name = path.relative_to(folder).as_posix()
        try:
            parts += [name, files.digest(path)]
        except OSError:
            parts += [name, b"\0unreadable"]
    return digest(*parts)


def load_area_file(path: Path, model: type, config: Config, rel: str,
                   raws: dict[str, Any] | None = None) -> tuple[Any, list[Problem]]:
    """Parse one YAML file into ``model``; returns (value or None, problems).

    ``raws``, when given, receives the file's YAML (by ``rel``) when it is valid YAML, so
    that the references of a file with other problems can still be checked.
    """
    raw, problems = load_yaml(path, rel)
    if problems:
        return None, problems
    if raws is not None:
        raws[rel] = raw
    ctx = Context(rel, config.codes)
    if not isinstance(raw, YMap):
        ctx.error(1, "", err("expected a mapping of keys (key: value), e.g. 'name: Neulamäki'"))
        return None, ctx.problems
    value = parse(model, raw, ctx)
    return (None if is_missing(value) else value), ctx.problems


def _load_area(folder: Path, config: Config, problems: list[Problem]) -> AreaData | None:
    slug = folder.name
    rel_dir = f"areas/{slug}"
    if not SLUG_RE.match(slug):
        problems.append(Problem(rel_dir, 0, "", err(
            "folder name {slug!r} is not a safe address; use lower-case a-z, digits and "
            "hyphens (e.g. 'neulamaki')", slug=slug)))
        return None
    for extra in sorted(folder.glob("*.y*ml")):
        if extra.name not in AREA_FILES and not extra.name.startswith(("_", ".")):
            close = difflib.get_close_matches(extra.name, list(AREA_FILES), 1)
            hint = err(" — did you mean {close!r}?", close=close[0]) if close else err(
                "; expected one of {files}", files=", ".join(AREA_FILES))
            problems.append(Problem(f"{rel_dir}/{extra.name}", 0, "",
                                    err("unknown file{hint}", hint=hint)))
    loaded: dict[str, Any] = {}
    raws: dict[str, Any] = {}
    for name, model in AREA_FILES.items():
        path = folder / name
        rel = f"{rel_dir}/{name}"
        if not path.exists():
            if name == "area.yaml":
                problems.append(Problem(rel, 0, "", err("missing; every area needs area.yaml "
                                                        "(lahio new-area writes a commented "
                                                        "one)")))
            continue
        value, found = load_area_file(path, model, config, rel, raws)
        problems.extend(found)
        loaded[name] = value
    area: Area | None = loaded.get("area.yaml")
    themes_file: ThemesFile | None = loaded.get("themes.yaml")
    projects_file: ProjectsFile | None = loaded.get("projects.yaml")
    budget_file: BudgetFile | None = loaded.get("budget.yaml")
    events_file: EventsFile | None = loaded.get("events.yaml")
    themes = themes_file.themes if themes_file else ()
    projects = projects_file.projects if projects_file else ()
    rnd = budget_file.round if budget_file else None
    rnd = _merge_budget(folder, rnd, loaded.get("budget.decidim.yaml"),
                        loaded.get("budget.tally.yaml"), problems)
    events = events_file.events if events_file else ()
    paavo_file: PaavoFile | None = loaded.get("paavo.yaml")
    participation: ParticipationFile | None = loaded.get("participation.yaml")
    if paavo_file:
        _unique(problems, [(i.id, i.loc) for i in paavo_file.indicators], "indicator")
    if area and paavo_file:
        area = dataclasses.replace(area, indicators=merge_indicators(paavo_file.indicators,
                                                                     area.indicators))
    if participation:
        _check_participation(participation, problems)
    process: ProcessFile | None = loaded.get("process.yaml")
    pictures = check_pictures(folder, config, _pictures(loaded), problems)
    data = AreaData(slug, area, themes, projects, rnd, events,
                    participation, process, pictures=pictures) if area else None

    # Cross-references and ordering, checked only on what parsed.
    theme_ids: set[str] = {t.id for t in themes}
    theme_file_ok = themes_file is not None or not (folder / "themes.yaml").exists()
    if themes_file is None and f"{rel_dir}/themes.yaml" in raws:
        # themes.yaml is valid YAML with other problems: its ids are still known.
        theme_ids = {i for i, _line, _key in _raw_values(raws[f"{rel_dir}/themes.yaml"],
                                                         "themes", "id")}
        theme_file_ok = True
    # A file with other problems has no model, but its references are reported in the same
    # run (read from its YAML), so that fixing one problem does not reveal the next.
    for name, path_to in (("projects.yaml", ("projects",)),
                          ("budget.yaml", ("round", "proposals"))):
        rel = f"{rel_dir}/{name}"
        if loaded.get(name) is None and rel in raws and theme_file_ok:
            for value, line, key in _raw_values(raws[rel], *path_to, "theme"):
                if value not in theme_ids:
                    problems.append(_ref(Loc(rel, line, ""), key, "theme", value, theme_ids,
                                         "themes.yaml"))
    indicator_ids = {i.id for i in area.indicators} if area else set()
    # Ids must be unique within area.yaml (the merge with paavo.yaml is allowed to repeat them).
    own = loaded["area.yaml"].indicators if area else ()
    _unique(problems, [(i.id, i.loc) for i in own], "indicator")
    _unique(problems, [(t.id, t.loc) for t in themes], "theme")
    _unique(problems, [(p.id, p.loc) for p in projects], "project")
    _unique(problems, [(e.id, e.loc) for e in events], "event")
    if area:
        for t in themes:
            for n, ind in enumerate(t.indicators):
                if ind not in indicator_ids:
                    problems.append(_ref(t.loc, f"indicators[{n}]", "indicator", ind,
                                         indicator_ids, "area.yaml"))
        for indicator in area.indicators:
            for n in range(1, len(indicator.history)):
                if indicator.history[n].year <= indicator.history[n - 1].year:
                    problems.append(_at(indicator.loc, f"history[{n}].year",
                                        err("years must be in increasing order, oldest first")))
    for p in projects:
        if theme_file_ok and p.theme not in theme_ids:
            problems.append(_ref(p.loc, "theme", "theme", p.theme, theme_ids, "themes.yaml"))
        if p.end < p.start:
            problems.append(_at(p.loc, "end", err("{end} is before start {start}; expected an "
                                                  "end date on or after the start",
                                                  end=p.end, start=p.start)))
        if p.progress is not None and not 0 <= p.progress <= 100:
            problems.append(_at(p.loc, "progress", _percent(p.progress)))
        _dated(problems, p.updates, p.loc)
    if rnd:
        _check_round(rnd, budget_file, loaded.get("budget.decidim.yaml"),
                     theme_ids if theme_file_ok else None, problems)
    past, past_processes = _load_archive(folder, config, theme_ids if theme_file_ok else None,
                                         problems)
    _check_years(slug, rnd, past, problems)
    _check_development_years(process, past_processes, problems)
    if data is not None and past_processes:
        data = dataclasses.replace(data, past_processes=past_processes)
    if data is not None and past:
        # Pictures of archived proposals are paths in the area's folder, as the others.
        files = {pic.file: pic for pic in data.pictures}
        for pic in check_pictures(folder, config, [pr.image for r in past for pr in r.proposals
                                                   if pr.image is not None], problems):
            files.setdefault(pic.file, pic)
        data = dataclasses.replace(data, past_rounds=past,
                                   pictures=tuple(files[f] for f in sorted(files)))
    if area:
        def parsed(name: str, ids: AbstractSet[str]) -> AbstractSet[str] | None:
            # A file that failed to parse has its own problems; its ids are not known.
            return ids if loaded.get(name) is not None or not (folder / name).exists() else None

        # Every development year, the archived ones too, refers to the area's files as they
        # are now (themes, bundles and events are not archived by year).
        for proc in ((process,) if process is not None else ()) + past_processes:
            check_process(proc, themes=parsed("themes.yaml", theme_ids),
                          projects=parsed("projects.yaml", {p.id for p in projects}),
                          proposals=parsed("budget.yaml",
                                           {pr.id for r in ((rnd,) if rnd else ()) + past
                                            for pr in r.proposals}),
                          events=parsed("events.yaml", {e.id for e in events}),
                          indicators=indicator_ids, problems=problems)
    for e in events:
        if e.end <= e.start:
            problems.append(_at(e.loc, "end", err(
                "{end} is not after start {start}; write an end time after the start",
                end=f"{e.end:%Y-%m-%d %H:%M}", start=f"{e.start:%Y-%m-%d %H:%M}")))
    return data


def _check_round(rnd: Round, budget_file: BudgetFile | None,
                 imported_file: ImportedBudgetFile | None, theme_ids: AbstractSet[str] | None,
                 problems: list[Problem]) -> None:
    """The merged round's budget, phases and proposals (``theme_ids`` None: themes.yaml has
    problems of its own, so the proposals' themes are not checked)."""
    # Imported and hand-written proposals are checked where they are written (each with its
    # own file and line); the merged round only adds the budget and phase checks.
    checked: list[Any] = [*(imported_file.proposals if imported_file else ()),
                          *(budget_file.round.proposals if budget_file else ()),
                          *(budget_file.round.overrides if budget_file else ())]
    if rnd.budget <= 0:
        problems.append(_at(rnd.loc, "budget", err("expected the money to share, e.g. 50000")))
    prev = None
    for ph in rnd.phases:
        if ph.end < ph.start:
            problems.append(_at(ph.loc, "end", err("{end} is before start {start}; expected "
                                                   "an end date on or after the start",
                                                   end=ph.end, start=ph.start)))
        if prev is not None and ph.start < prev.start:
            problems.append(_at(ph.loc, "start", err(
                "phase {phase!r} starts before the previous phase {previous!r}; list phases "
                "in date order", phase=ph.kind, previous=prev.kind)))
        prev = ph
    for pr in checked:
        if pr.theme is not None and theme_ids is not None and pr.theme not in theme_ids:
            problems.append(_ref(pr.loc, "theme", "theme", pr.theme, theme_ids, "themes.yaml"))
        if pr.progress is not None and not 0 <= pr.progress <= 100:
            problems.append(_at(pr.loc, "progress", _percent(pr.progress)))
        if pr.votes:
            for key in ("online", "paper"):
                v = getattr(pr.votes, key)
                if v is not None and v < 0:
                    problems.append(_at(pr.loc, f"votes.{key}",
                                        err("expected 0 or more votes")))
        _dated(problems, pr.updates, pr.loc)
    check_reviews(checked, {pr.id for pr in rnd.proposals}, problems)


#: The folder of an area's earlier years: ``archive/<year>/`` holds that year's round files
#: and its development year (``process.yaml``).
ARCHIVE = "archive"
#: The files of a round, kept together when a year is archived.
ROUND_FILES = ("budget.yaml", "budget.decidim.yaml", "budget.tally.yaml")
#: Every file an archived year may hold.
ARCHIVE_FILES = (*ROUND_FILES, "process.yaml")


def _load_archive(folder: Path, config: Config, theme_ids: AbstractSet[str] | None,
                  problems: list[Problem]) -> tuple[tuple[Round, ...], tuple[ProcessFile, ...]]:
    """The rounds and development years of earlier years, from ``archive/<year>/``, each
    newest first; a round is read, merged and checked as the current round is (a development
    year's references are checked by the caller, who knows the area's ids)."""
    archive = folder / ARCHIVE
    if not archive.is_dir():
        return (), ()
    rounds = []
    processes = []
    for year_dir in sorted(archive.iterdir()):
        rel_dir = f"areas/{folder.name}/{ARCHIVE}/{year_dir.name}"
        if not year_dir.is_dir():
            problems.append(Problem(rel_dir, 0, "", err(
                "expected a folder named by its year (archive/2023/) with that year's "
                "budget.yaml or process.yaml; move the file into one")))
            continue
        if not re.fullmatch(r"\d{4}", year_dir.name):
            problems.append(Problem(rel_dir, 0, "", err(
                "folder name {name!r} is not a year; name it by the round's year, e.g. "
                "archive/2023/", name=year_dir.name)))
            continue
        loaded: dict[str, Any] = {}
        raws: dict[str, Any] = {}
        for extra in sorted(year_dir.glob("*.y*ml")):
            if extra.name not in ARCHIVE_FILES:
                problems.append(Problem(f"{rel_dir}/{extra.name}", 0, "", err(
                    "unknown file; an archived year holds {files}",
                    files=", ".join(ARCHIVE_FILES))))
        for name in ARCHIVE_FILES:
            if (year_dir / name).exists():
                value, found = load_area_file(year_dir / name, AREA_FILES[name], config,
                                              f"{rel_dir}/{name}", raws)
                problems.extend(found)
                loaded[name] = value
        process: ProcessFile | None = loaded.get("process.yaml")
        # The year is checked in a file with other problems too (read from its YAML), so
        # that fixing those does not reveal this one.
        raw = raws.get(f"{rel_dir}/process.yaml")
        year, line = ((process.year, process.loc.line_of("year") if process.loc else 0)
                      if process is not None else
                      (raw.get("year"), raw.key_lines.get("year", 0))
                      if isinstance(raw, YMap) else (None, 0))
        if isinstance(year, int) and year != int(year_dir.name):
            problems.append(Problem(f"{rel_dir}/process.yaml", line, "year", err(
                "the development year is {year}, but it is archived under {folder}/; "
                "move it to {archive}/{year}/", year=year, folder=year_dir.name,
                archive=ARCHIVE)))
        if process is not None:
            processes.append(process)
        budget_file: BudgetFile | None = loaded.get("budget.yaml")
        if budget_file is None:
            # A year may keep its development year only; round files need their budget.yaml.
            if "budget.yaml" not in loaded and ("process.yaml" not in loaded
                                                or any(n in loaded for n in ROUND_FILES)):
                problems.append(Problem(f"{rel_dir}/budget.yaml", 0, "", err(
                    "missing; an archived year keeps its round's budget.yaml")))
            continue
        rnd = _merge_budget(year_dir, budget_file.round, loaded.get("budget.decidim.yaml"),
                            loaded.get("budget.tally.yaml"), problems)
        if rnd is None:
            continue
        _check_round(rnd, budget_file, loaded.get("budget.decidim.yaml"), theme_ids, problems)
        if rnd.year != int(year_dir.name):
            problems.append(_at(budget_file.round.loc, "phases", err(
                "the round's vote is in {year}, but it is archived under {folder}/; move it "
                "to {archive}/{year}/", year=rnd.year, folder=year_dir.name,
                archive=ARCHIVE)))
        rounds.append(rnd)
    return (tuple(sorted(rounds, key=lambda r: -r.year)),
            tuple(sorted(processes, key=lambda p: -p.year)))


def _check_development_years(current: ProcessFile | None, past: tuple[ProcessFile, ...],
                             problems: list[Problem]) -> None:
    """The current development year (``process.yaml``) is later than every archived one:
    each year has one address (``evaluation/<year>/``)."""
    if current is not None and past and current.year <= past[0].year:
        problems.append(_at(current.loc, "year", err(
            "the current development year is {year}, but the archive holds the year {past}; "
            "process.yaml must be the newest year, e.g. {next}",
            year=current.year, past=past[0].year, next=past[0].year + 1)))


def _check_years(slug: str, current: Round | None, past: tuple[Round, ...],
                 problems: list[Problem]) -> None:
    """Rounds have their own ids, and the current round is later than every archived one
    (each year has one address: ``budget/<year>/``)."""
    seen: dict[str, int] = {}
    # Oldest first: the later of two rounds with one id is the one to rename.
    for rnd in (*reversed(past), *((current,) if current is not None else ())):
        if rnd.id in seen:
            problems.append(_at(rnd.loc, "id", err(
                "round id {id!r} is already the id of the {other} round; give each year's "
                "round its own id, e.g. '{slug}-{year}'", id=rnd.id, other=seen[rnd.id],
                slug=slug, year=rnd.year)))
        seen.setdefault(rnd.id, rnd.year)
    if current is not None and past and current.year <= past[0].year:
        problems.append(_at(current.loc, "phases", err(
            "the current round's vote is in {year}, but archive/{past}/ holds a round of the "
            "same or a later year; the current round must be the newest",
            year=current.year, past=past[0].year)))


def _pictures(loaded: dict[str, Any]) -> list[Picture]:
    """Every picture written in an area's files that parsed, in file order."""
    found: list[Picture | None] = []
    area = loaded.get("area.yaml")
    if area is not None:
        found.append(area.image)
    budget = loaded.get("budget.yaml")
    if budget is not None:
        found += [p.image for p in (*budget.round.proposals, *budget.round.overrides)]
    events = loaded.get("events.yaml")
    if events is not None:
        found += [e.image for e in events.events]
    return [p for p in found if p is not None]


def check_pictures(folder: Path, config: Config, pictures: Iterable[Picture],
                   problems: list[Problem]) -> tuple[PictureFile, ...]:
    """Each picture's file is a JPEG, PNG or WebP in the area's folder, its alt text is written
    in every required language and it has a credit; returns the files found, measured.

    The credit's presence is the model's to check (a required text); the rest is here.
    """
    required = [lang.code for lang in config.languages if lang.required]
    base = folder.resolve()
    rel_dir = f"areas/{folder.name}"
    measured: dict[str, PictureFile] = {}
    for pic in pictures:
        missing = [code for code in required if pic.alt.get(code) is None]
        if missing:
            problems.append(_at(pic.loc, "alt", err(
                "no alt text in {missing}; write what the picture shows in every required "
                "language ({required})", missing=", ".join(missing),
                required=", ".join(required))))
        if pic.file in measured:
            continue
        path = (folder / pic.file).resolve()
        if "\\" in pic.file or Path(pic.file).is_absolute() or not path.is_relative_to(base):
            problems.append(_at(pic.loc, "file", err(
                "{file!r} is outside the area's folder; put the picture in {folder}/ (e.g. "
                "{folder}/images/) and write its path from there, e.g. 'images/photo.jpg'",
                file=pic.file, folder=rel_dir)))
            continue
        if not path.is_file():
            problems.append(_at(pic.loc, "file", err(
                "{file!r} not found in {folder}/; put the picture there or correct the path",
                file=pic.file, folder=rel_dir)))
            continue
        try:
            measured[pic.file] = measure(path, pic.file)
        except PictureError as exc:
            problems.append(_at(pic.loc, "file", err(
                "{file!r} is not a picture the site can use ({reason}); expected a JPEG, "
                "PNG or WebP file", file=pic.file, reason=str(exc))))
        except OSError as exc:
            problems.append(_at(pic.loc, "file", err(
                "{file!r} could not be read ({reason})", file=pic.file,
                reason=exc.strerror or str(exc))))
    return tuple(measured[file] for file in sorted(measured))


def merge_indicators(imported: tuple[Indicator, ...],
                     own: tuple[Indicator, ...]) -> tuple[Indicator, ...]:
    """Imported indicators (``paavo.yaml``) with the area's own (``area.yaml``) merged in.

    An own indicator replaces the imported one with the same id, in its place: a figure the
    team corrected by hand is never overwritten by a re-import. Own indicators with new ids
    follow the imported ones, in their own order.
    """
    by_id = {i.id: i for i in own}
    merged = [by_id.get(i.id, i) for i in imported]
    imported_ids = {i.id for i in imported}
    return tuple(merged + [i for i in own if i.id not in imported_ids])


#: THL's participation indicator has exactly this many statements.
PARTICIPATION_STATEMENTS = 10


def _check_participation(part: ParticipationFile, problems: list[Problem]) -> None:
    n = len(part.statements)
    if n != PARTICIPATION_STATEMENTS:
        problems.append(_at(part.loc, "statements", f"has {n} statements; THL's participation "
                            f"indicator has exactly {PARTICIPATION_STATEMENTS} — copy all of "
                            "them, word for word, in THL's order"))
    if part.min_answers < 1:
        problems.append(_at(part.loc, "min_answers", "expected 1 or more"))
    for r in part.rounds:
        if r.answers < 0:
            problems.append(_at(r.loc, "answers", "expected 0 or more answers"))
        if len(r.means) != n:
            problems.append(_at(r.loc, "means", f"has {len(r.means)} means; expected one per "
                                f"statement ({n})"))
        for k, m in enumerate(r.means):
            if not 1 <= m <= 5:
                problems.append(_at(r.loc, f"means[{k}]", f"{m} is outside the answer scale; "
                                    "expected a mean from 1 to 5"))


def _load_selection(config: Config, problems: list[Problem]) -> SelectionData | None:
    """``selection.yaml`` and the Paavo table it names, when the project has one."""
    path = config.root / "selection.yaml"
    if not path.exists():
        return None
    sel, found = load_area_file(path, SelectionConfig, config, "selection.yaml")
    problems.extend(found)
    if sel is None:
        return None
    data_rel = sel.data
    table = _named_file(config, sel, "data", data_rel, PaavoTable,
                        "write it with `lahio import paavo <file.csv>`", problems)
    if table is None:
        return None
    known = {f.id for f in table.figures}
    if not sel.criteria:
        problems.append(_at(sel.loc, "criteria", "expected at least one indicator"))
    _unique(problems, [(c.id, c.loc) for c in sel.criteria], "criterion")
    for c in sel.criteria:
        if c.id not in known:
            problems.append(_ref(c.loc, "id", "figure", c.id, known, data_rel))
        if c.weight <= 0:
            problems.append(_at(c.loc, "weight", f"expected a positive weight, got {c.weight}"))
    if sel.areas_per_year < 1:
        problems.append(_at(sel.loc, "areas_per_year", "expected 1 or more"))
    if sel.investment_weight < 0:
        problems.append(_at(sel.loc, "investment_weight",
                            f"expected 0 or a positive weight, got {sel.investment_weight}"))
    investments = None
    if sel.investments is not None:
        investments = _load_investments(config, sel, problems)
    elif sel.investment_weight > 0:
        problems.append(_at(sel.loc, "investment_weight", "a weight for investments needs "
                            "the file of key measures; add 'investments: data/investments.yaml'"))
    return SelectionData(sel, table, investments)


def _load_investments(config: Config, sel: SelectionConfig,
                      problems: list[Problem]) -> InvestmentsFile | None:
    """The investment programme's key measures named by ``selection.yaml``.

    A postal code must be five digits; one that is not in the Paavo table is not an error (a
    table may be imported for part of the city): the report lists it apart, unranked."""
    file = _named_file(config, sel, "investments", sel.investments or "", InvestmentsFile,
                       "expected a file of key measures such as data/investments.yaml",
                       problems)
    if file is None:
        return None
    for inv in file.investments:
        if not re.fullmatch(r"\d{5}", inv.postal_code):
            problems.append(_at(inv.loc, "postal_code", f"{inv.postal_code!r} is not a postal "
                                "code; expected five digits, e.g. '70460'"))
        if not 1900 <= inv.year <= 2200:
            problems.append(_at(inv.loc, "year", f"expected a year such as 2027, got {inv.year}"))
    return file


def _named_file(config: Config, sel: SelectionConfig, key: str, rel: str, model: type[T],
                hint: str, problems: list[Problem]) -> T | None:
    """The project file ``selection.yaml`` names under ``key``, read as ``model``; None (and
    a problem) when it is not a file inside the project or does not parse."""
    path = (config.root / rel).resolve()
    if not path.is_relative_to(config.root.resolve()) or not path.is_file():
        problems.append(_at(sel.loc, key, f"{rel!r} not found in the project; {hint}"))
        return None
    value, found = load_area_file(path, model, config, rel)
    problems.extend(found)
    return value if isinstance(value, model) else None


def _merge_budget(folder: Path, rnd: Round | None, imported: ImportedBudgetFile | None,
                  tally: TallyFile | None, problems: list[Problem]) -> Round | None:
    """The round with imported proposals, paper counts and hand overrides merged in.

    Precedence, lowest first: ``budget.decidim.yaml`` (the platform's export), then
    ``budget.tally.yaml`` (paper counts), then ``budget.yaml`` (hand edits always win).
    Ids that do not match are reported where they are written.
    """
    slug = folder.name
    if rnd is None:
        if (folder / "budget.yaml").exists():
            return None  # budget.yaml has problems of its own, already reported
        for name, present in (("budget.decidim.yaml", imported), ("budget.tally.yaml", tally)):
            if present is not None:
                problems.append(Problem(f"areas/{slug}/{name}", 0, "", "needs budget.yaml with "
                                        "the round (id, title, budget, rule, phases); write it "
                                        "or import with --budget"))
        return None
    imported_props = imported.proposals if imported else ()
    _unique(problems, [(pr.id, pr.loc) for pr in imported_props], "proposal")
    imported_ids = {pr.id: pr for pr in imported_props}
    for pr in rnd.proposals:
        if pr.id in imported_ids:
            other = imported_ids[pr.id].loc
            problems.append(_at(pr.loc, "id", f"proposal {pr.id!r} is also imported (budget."
                                f"decidim.yaml:{other.line if other else 0}); remove it here and "
                                "put your changes under round.overrides"))
    _unique(problems, [(pr.id, pr.loc) for pr in rnd.proposals], "proposal")
    _unique(problems, [(o.id, o.loc) for o in rnd.overrides], "override")
    overrides = {}
    for o in rnd.overrides:
        if o.id not in imported_ids:
            if imported_ids:
                problems.append(_ref(o.loc, "id", "imported proposal", o.id, set(imported_ids),
                                     "budget.decidim.yaml"))
            else:
                problems.append(_at(o.loc, "id", "overrides change proposals imported into "
                                    "budget.decidim.yaml, and there is none; write the "
                                    "proposal under round.proposals instead"))
        overrides[o.id] = o
    counts: dict[str, int] = {}
    if tally:
        _unique(problems, [(c.id, c.loc) for c in tally.counts], "proposal")
        known = set(imported_ids) | {pr.id for pr in rnd.proposals}
        for c in tally.counts:
            if c.id not in known:
                problems.append(_ref(c.loc, "id", "proposal", c.id, known, "budget.yaml"))
            elif c.paper < 0:
                problems.append(_at(c.loc, "paper", "expected 0 or more votes"))
            else:
                counts[c.id] = c.paper
    merged = []
    for pr in imported_props:
        pr = _with_paper(pr, counts.get(pr.id))
        override = overrides.get(pr.id)
        merged.append(_apply_override(pr, override) if override else pr)
    own = rnd.proposals
    merged += [_with_paper(pr, counts.get(pr.id)) for pr in rnd.proposals]
    rnd = dataclasses.replace(rnd, proposals=tuple(merged),
                              turnout=_turnout(rnd, tally, problems))
    hand = any(x.selected is not None for x in rnd.overrides) or any(
        x.selected is not None for x in own)
    _check_rule(rnd, "budget.yaml (selected:)" if hand else
                "budget.decidim.yaml (the platform's selected_at)", problems)
    return rnd


def _turnout(rnd: Round, tally: TallyFile | None, problems: list[Problem]) -> Turnout | None:
    """Everyone who voted: online voters plus paper ballots (by hand, else the tally's)."""
    t = rnd.turnout
    ballots = tally.ballots if tally else ()
    for b in ballots:
        if b.ballots < 0:
            problems.append(_at(b.loc, "ballots", "expected 0 or more ballots"))
    tallied = sum(b.ballots for b in ballots) if ballots else None
    if t is None and tallied is None:
        return None
    t = t or Turnout()
    paper = t.paper if t.paper is not None else tallied
    voters = t.voters
    if t.online is not None:
        voters = t.online + (paper or 0)
        if t.voters is not None and t.voters != voters:
            problems.append(_at(t.loc, "voters", (
                f"{t.voters} voters, but online {t.online} + paper {paper or 0} = {voters}; "
                "leave voters out (it is the sum) or correct the counts")))
    return dataclasses.replace(t, paper=paper, voters=voters)


def _check_rule(rnd: Round, where: str, problems: list[Problem]) -> None:
    """A recorded selection is the result: a rule that picks other proposals is an error."""
    found = rule_disagreement(rnd)
    if found is None:
        return
    funded, selected = found
    problems.append(_at(rnd.loc, "rule", (
        f"rule {rnd.rule} would fund {', '.join(funded) or 'nothing'}, but the selection "
        f"recorded in {where} is {', '.join(selected) or 'nothing'}; write rule: official "
        "(the platform's selection is the result), or correct the selection")))


def _with_paper(pr: Proposal, paper: int | None) -> Proposal:
    """``pr`` with a tallied paper count, unless a count is already written for it."""
    if paper is None or (pr.votes and pr.votes.paper is not None):
        return pr
    online = pr.votes.online if pr.votes else None
    return dataclasses.replace(pr, votes=Votes(online=online, paper=paper))


def _apply_override(pr: Proposal, o: ProposalOverride) -> Proposal:
    """``pr`` with every key ``o`` sets; votes are merged count by count."""
    changes: dict[str, Any] = {}
    for f in dataclasses.fields(ProposalOverride):
        if f.name in ("id", "loc", "votes", "updates", "audience"):
            continue
        value = getattr(o, f.name)
        if value is not None:
            changes[f.name] = value
    if o.updates:
        changes["updates"] = o.updates
    if o.audience:
        changes["audience"] = o.audience
    if o.votes:
        old = pr.votes or Votes()
        changes["votes"] = Votes(
            online=o.votes.online if o.votes.online is not None else old.online,
            paper=o.votes.paper if o.votes.paper is not None else old.paper)
    return dataclasses.replace(pr, **changes)


def _percent(value: int) -> str:
    return err("expected a percentage 0–100, got {value}", value=value)


def _raw_values(raw: Any, *path: str) -> list[tuple[str, int, str]]:
    """The text values at ``path`` in a file's YAML, each with its line and key path: for
    ``("projects", "theme")`` the ``theme`` of every item of the ``projects`` list."""
    found: list[tuple[str, int, str]] = []

    def walk(node: Any, rest: tuple[str, ...], key: str) -> None:
        if isinstance(node, YList):
            for n, item in enumerate(node):
                walk(item, rest, f"{key}[{n}]")
        elif isinstance(node, YMap) and rest:
            name = rest[0]
            if name not in node:
                return
            sub = f"{key}.{name}" if key else name
            if len(rest) == 1:
                value = node[name]
                if isinstance(value, str):
                    found.append((value, node.key_lines.get(name, 0), sub))
            else:
                walk(node[name], rest[1:], sub)

    walk(raw, path, "")
    return found


def _at(loc: Any, key: str, message: str) -> Problem:
    path = f"{loc.key}.{key}" if loc and loc.key else key
    return Problem(loc.file if loc else "", loc.line_of(key) if loc else 0, path, message)


def _ref(loc: Any, key: str, what: str, value: str, known: AbstractSet[str],
         where: str) -> Problem:
    close = difflib.get_close_matches(value, sorted(known), 1)
    if close:
        hint = err(" — did you mean {close!r}?", close=close[0])
    elif known:
        hint = err("; known: {known}", known=", ".join(sorted(known)))
    else:
        hint = err("; {file} defines none yet: add it there first", file=where)
    return _at(loc, key, err("unknown {what} {value!r}{hint}", what=_WHAT.get(what, what),
                             value=value, hint=hint))


def _unique(problems: list[Problem], items: list[tuple[str, Any]], what: str) -> None:
    counts = Counter(i for i, _ in items)
    seen: set[str] = set()
    for ident, loc in items:
        if counts[ident] > 1:
            if ident in seen:
                problems.append(_at(loc, "id", err("{what} id {ident!r} is used twice; give "
                                                   "each a different id", what=_WHAT.get(what, what),
                                                   ident=ident)))
            seen.add(ident)


def _dated(problems: list[Problem], updates: Any, owner: Any) -> None:
    for n in range(1, len(updates)):
        if updates[n].date < updates[n - 1].date:
            problems.append(_at(updates[n].loc, "date", err("updates must be in date order, "
                                                            "newest last")))


#: Names of things in messages, translatable (they are words of a sentence).
_WHAT = {"theme": err("theme"), "indicator": err("indicator"), "project": err("project"),
         "event": err("event"), "proposal": err("proposal"),
         "imported proposal": err("imported proposal"), "override": err("override"),
         "criterion": err("criterion"), "figure": err("figure"),
         "heard": err("what-we-heard entry")}

_FRONT_RE = re.compile(r"\A---\r?\n(.*?)\r?\n---\r?\n", re.S)


def _load_pages(config: Config, problems: list[Problem]) -> list[Page]:
    pages: list[Page] = []
    content = config.root / "content"
    if not content.is_dir():
        return pages
    for lang_dir in sorted(p for p in content.iterdir() if p.is_dir()):
        if lang_dir.name not in config.codes:
            problems.append(Problem(f"content/{lang_dir.name}", 0, "", err(
                "not a configured language; expected one of {languages}",
                languages=", ".join(config.codes))))
            continue
        for md in sorted(lang_dir.glob("*.md")):
            rel = f"content/{lang_dir.name}/{md.name}"
            if not SLUG_RE.match(md.stem):
                problems.append(Problem(rel, 0, "", err("file name must be lower-case a-z, "
                                                        "digits and hyphens (it becomes the "
                                                        "page address)")))
                continue
            size = md.stat().st_size
            if size > MAX_FILE_BYTES:
                problems.append(Problem(rel, 0, "", err(
                    "file is {size} KB; a page must be under {limit} KB (is this really the "
                    "right file?)", size=size // 1024, limit=MAX_FILE_BYTES // 1024)))
                continue
            try:
                text = md.read_text(encoding="utf-8-sig")
            except UnicodeDecodeError:
                problems.append(Problem(rel, 0, "", err("is not UTF-8 text; save it as UTF-8")))
                continue
            found = text_problem(text)
            if found is not None:
                problems.append(Problem(rel, found[0] + 1, "", found[1]))
                continue
            title = None
            m = _FRONT_RE.match(text)
            if m:
                try:
                    meta = yaml.load(m.group(1), Loader=StrictLoader)  # noqa: S506
                except yaml.YAMLError as exc:
                    problems.append(Problem(rel, 1, "", f"front matter is not valid YAML: {exc}"))
                    continue
                if isinstance(meta, dict) and isinstance(meta.get("title"), str):
                    title = meta["title"]
                text = text[m.end():]
            if title is None:
                h1 = re.search(r"^# (.+)$", text, re.M)
                if h1:
                    title = h1.group(1).strip()
                    text = text[: h1.start()] + text[h1.end():]
            if not title:
                problems.append(Problem(rel, 1, "title", err("expected a first line '# Title' "
                                                             "or front matter 'title: …'")))
                continue
            pages.append(Page(md.stem, lang_dir.name, title, text.strip() + "\n", rel))
    if not any(p.lang == "fi" and p.name == "index" for p in pages) and content.is_dir():
        pass  # the home page has a generated default; content/fi/index.md is optional
    return pages


# --- area development (process.yaml) and proposal reviews ---------------------------------------

def check_process(process: ProcessFile, *, themes: AbstractSet[str] | None,
                  projects: AbstractSet[str] | None, proposals: AbstractSet[str] | None,
                  events: AbstractSet[str] | None, indicators: AbstractSet[str],
                  problems: list[Problem]) -> None:
    """Dates in order, known ids and the reasons residents need, for one ``process.yaml``.

    An id set is None when its file failed to parse: references to it are not checked then
    (that file's own problems are reported instead).
    """
    prev = None
    for ph in process.phases:
        if ph.end < ph.start:
            problems.append(_at(ph.loc, "end", err(
                "{end} is before start {start}; expected an end date on or after the start",
                end=ph.end, start=ph.start)))
        if prev is not None and ph.start < prev.start:
            problems.append(_at(ph.loc, "start", err(
                "phase {phase!r} starts before the previous phase {previous!r}; list phases "
                "in date order", phase=ph.kind, previous=prev.kind)))
        prev = ph
    for n in range(1, len(process.decisions)):
        d = process.decisions[n]
        if d.date < process.decisions[n - 1].date:
            problems.append(_at(d.loc, "date", err("list decisions in date order, oldest "
                                                   "first")))
    for d in process.decisions:
        if d.project is not None and projects is not None and d.project not in projects:
            problems.append(_ref(d.loc, "project", "project", d.project, projects,
                                 "projects.yaml"))
    _unique(problems, [(h.id, h.loc) for h in process.heard], "heard")
    targets: dict[str, tuple[AbstractSet[str] | None, str, str]] = {
        "theme": (themes, "theme", "themes.yaml"),
        "bundle": (projects, "project", "projects.yaml"),
        "proposal": (proposals, "proposal", "budget.yaml")}
    for h in process.heard:
        if h.participants < 0:
            problems.append(_at(h.loc, "participants", err("expected 0 or more people")))
        if h.event is not None and events is not None and h.event not in events:
            problems.append(_ref(h.loc, "event", "event", h.event, events, "events.yaml"))
        for pt in h.points:
            if pt.outcome in targets:
                known, what, where = targets[pt.outcome]
                if pt.ref is None:
                    problems.append(_at(pt.loc, "ref", err(
                        "outcome {outcome!r} needs ref: write the id of the {what} it became",
                        outcome=pt.outcome, what=_WHAT.get(what, what))))
                elif known is not None and pt.ref not in known:
                    problems.append(_ref(pt.loc, "ref", what, pt.ref, known, where))
            if pt.outcome == "not-possible" and pt.reason is None:
                problems.append(_at(pt.loc, "reason", err(
                    "outcome 'not-possible' needs a reason: write why it is not possible")))
    ev = process.evaluation
    if ev is not None:
        for n, ind in enumerate(ev.indicators):
            if ind not in indicators:
                problems.append(_ref(ev.loc, f"indicators[{n}]", "indicator", ind, indicators,
                                     "area.yaml"))
        if ev.start_year > ev.year:
            problems.append(_at(ev.loc, "start_year", err(
                "{start} is after the evaluated year {year}; expected the year of the "
                "starting figures", start=ev.start_year, year=ev.year)))
        if ev.turnout_by_age and ev.turnout_source is None:
            problems.append(_at(ev.loc, "turnout_source", err(
                "turnout_by_age needs turnout_source: write where the age figures come from")))
        for band in ev.turnout_by_age:
            if band.voters < 0:
                problems.append(_at(band.loc, "voters", err("expected 0 or more votes")))
            if band.residents is not None and band.residents < max(band.voters, 1):
                problems.append(_at(band.loc, "residents", err(
                    "expected at least as many residents as voters")))


def check_reviews(items: Iterable[Proposal | Any], known: AbstractSet[str],
                  problems: list[Problem]) -> None:
    """Every review that leaves a proposal out says why, and merges name a known proposal."""
    for pr in items:
        review: Review | None = getattr(pr, "review", None)
        if review is None:
            continue
        if review.status in ("not-feasible", "merged") and review.reason is None:
            problems.append(_at(review.loc, "reason", err(
                "review status {status!r} needs a reason: write why, in words residents "
                "understand",
                status=review.status)))
        if review.merged_into is not None:
            if review.status != "merged":
                problems.append(_at(review.loc, "merged_into", err(
                    "merged_into is only for review status 'merged'")))
            elif review.merged_into not in known:
                problems.append(_ref(review.loc, "merged_into", "proposal", review.merged_into,
                                     known, "budget.yaml"))
