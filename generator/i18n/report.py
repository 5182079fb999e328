"""How complete each language is: UI strings, content texts and pages (``lahio translations``).

Three kinds of translatable things are counted per language:

- **UI strings**: every msgid of ``messages.pot`` needs a non-empty, non-fuzzy translation in
  the language's catalog (Finnish too: the msgids are English).
- **content texts**: every :class:`~generator.data.schema.Text` value anywhere in the loaded
  areas (found by walking the models, so a new field is counted without touching this file).
- **pages**: every ``content/fi/<name>.md`` needs a ``content/<lang>/<name>.md``.

A language is *complete* when all three are at 100 %. ``lahio build --strict`` fails when a
language marked ``required: true`` in ``mkdocs.yml`` is not complete; the others fall back to
Finnish with a visible note, and the build says how much once per language.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from ..data.config import Config, Language
from ..messages import Msg, err, localize
from ..data.model import Areas, Programme
from ..data.schema import Text
from . import DEFAULT, catalog_path

TEMPLATE = Path(__file__).parent / "messages.pot"


@dataclass(frozen=True, slots=True, order=True)
class Missing:
    """One thing not translated, located like a data problem.

    Attributes:
        file: the file to edit, relative to the project root (or the generator's catalog).
        line: 1-based line (0 when the file does not exist yet).
        key: what is missing (a key path, a msgid or a page).
    """

    file: str
    line: int
    key: str

    def __str__(self) -> str:
        return self.localized()

    def localized(self, lang: str | None = None) -> str:
        """``file:line: key`` (a file that does not exist yet has no line), the key in
        ``lang`` (default: the system locale's) when it is a message."""
        from ..messages import localize

        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {localize(self.key, lang)}"

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuilt through __init__: the dataclass default (__setstate__ looking up the fields
        # for every object) made reading an area's cached rows a tenth of a rebuild.
        return (Missing, (self.file, self.line, self.key))


@dataclass(frozen=True, slots=True)
class Count:
    """``done`` of ``total`` translated, and where the rest is missing."""

    done: int
    total: int
    missing: tuple[Missing, ...] = ()

    @property
    def share(self) -> float:
        """Translated share in percent (100 when there is nothing to translate)."""
        return 100.0 if not self.total else self.done / self.total * 100

    @property
    def complete(self) -> bool:
        return self.done == self.total


@dataclass(frozen=True, slots=True)
class LanguageReport:
    """How complete one language is."""

    language: Language
    ui: Count
    texts: Count
    pages: Count

    @property
    def complete(self) -> bool:
        return self.ui.complete and self.texts.complete and self.pages.complete

    @property
    def missing(self) -> tuple[Missing, ...]:
        return self.ui.missing + self.texts.missing + self.pages.missing


@dataclass
class _Walk:
    texts: list[Text] = field(default_factory=list)
    seen: set[int] = field(default_factory=set)


def iter_texts(value: Any) -> list[Text]:
    """Every :class:`Text` inside ``value`` (models, tuples, lists, dicts), in document order."""
    walk = _Walk()
    _collect(value, walk)
    return walk.texts


def _collect(value: Any, walk: _Walk) -> None:
    if isinstance(value, Text):
        walk.texts.append(value)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        if id(value) in walk.seen:  # a model reachable twice is counted once
            return
        walk.seen.add(id(value))
        for f in dataclasses.fields(value):
            if f.name != "loc":
                _collect(getattr(value, f.name), walk)
    elif isinstance(value, (tuple, list, Areas)):
        for item in value:
            _collect(item, walk)
    elif isinstance(value, dict):
        for key in sorted(value):
            _collect(value[key], walk)


def _translated(message: Any) -> bool:
    if message.fuzzy:
        return False
    if isinstance(message.string, (list, tuple)):
        return all(message.string)
    return bool(message.string)


def _read_catalog(path: Path) -> Catalog | None:
    if not path.exists():
        return None
    with path.open("rb") as fh:
        return read_po(fh)


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _msgid(message_id: Any) -> str:
    return str(message_id[0] if isinstance(message_id, (list, tuple)) else message_id)


def count_ui(code: str, root: Path, template: Path = TEMPLATE) -> Count:
    """UI strings of ``template`` translated in ``code``'s catalog."""
    pot = _read_catalog(template)
    ids = [m.id for m in pot if m.id] if pot else []
    path = catalog_path(code)
    rel = _rel(path, root)
    catalog = _read_catalog(path)
    missing = []
    for mid in ids:
        message = catalog.get(mid) if catalog is not None else None
        if message is None or not _translated(message):
            line = message.lineno if message is not None and message.lineno else 0
            missing.append(Missing(rel, line, f"msgid {_msgid(mid)!r}"))
    return Count(len(ids) - len(missing), len(ids), tuple(sorted(missing)))


#: One content text, as the counts need it: the languages it has and where it is written.
TextRow = tuple[tuple[str, ...], Missing]


def _position(missing: Missing) -> tuple[str, int, str]:
    """The sort key of :class:`Missing`: its own order, compared as a plain tuple (quicker)."""
    return (missing.file, missing.line, missing.key)


def text_rows(value: Any) -> list[TextRow]:
    """Every content text inside ``value`` (e.g. one area) with the languages it is written in."""
    rows = []
    for text in iter_texts(value):
        loc = text.loc
        where = (Missing(loc.file, loc.line, loc.key) if loc else
                 Missing("?", 0, repr(text.get(DEFAULT))))
        rows.append((text.languages, where))
    return rows


def count_texts(code: str, programme: Programme, rows: list[TextRow] | None = None) -> Count:
    """Content texts of every area that have a ``code`` version.

    ``rows``: ``text_rows(programme.areas)`` when the caller already has them (one walk of the
    data serves every language; the build keeps each area's rows between builds).
    """
    if rows is None:
        rows = text_rows(programme.areas)
    missing = [where for languages, where in rows if code not in languages]
    return Count(len(rows) - len(missing), len(rows), tuple(sorted(missing, key=_position)))


def count_pages(code: str, programme: Programme) -> Count:
    """Finnish pages (``content/fi/*.md``) that have a ``content/<code>/`` version."""
    finnish = sorted((p for p in programme.pages if p.lang == DEFAULT), key=lambda p: p.name)
    own = {p.name for p in programme.pages if p.lang == code}
    missing = tuple(Missing(f"content/{code}/{p.name}.md", 0,
                            err("page missing; translate {source} into this file",
                                source=p.file))
                    for p in finnish if p.name not in own)
    return Count(len(finnish) - len(missing), len(finnish), missing)


def build_translation_report(config: Config, programme: Programme,
                             rows: list[TextRow] | None = None,
                             ui: dict[str, Count] | None = None) -> list[LanguageReport]:
    """One :class:`LanguageReport` per configured language, in configuration order.

    ``rows``: the areas' :func:`text_rows`; ``ui``: :func:`count_ui` by language — when the
    caller has them.
    """
    if rows is None:
        rows = text_rows(programme.areas)
    return [LanguageReport(lang, ui[lang.code] if ui else count_ui(lang.code, config.root),
                           count_texts(lang.code, programme, rows),
                           count_pages(lang.code, programme))
            for lang in config.languages]


def incomplete_required(reports: list[LanguageReport]) -> list[str]:
    """A message for every required language that is not complete (empty when all are)."""
    return [err("{code} ({name}) is required but incomplete: {summary} (see lahio "
                "translations)", code=r.language.code, name=r.language.name,
                summary=_summary(r))
            for r in reports if r.language.required and not r.complete]


def fallback_notes(reports: list[LanguageReport]) -> list[str]:
    """One line per optional language that falls back to Finnish somewhere."""
    return [err("{code}: {summary}; shown in Finnish with a note (see lahio translations)",
                code=r.language.code, summary=_summary(r))
            for r in reports if not r.language.required and not r.complete]


def _summary(r: LanguageReport) -> Msg:
    """"3 UI strings, 1 page not translated" (a message: shown in the reader's language)."""
    parts: list[Msg] = []
    n = r.ui.total - r.ui.done
    if n:
        parts.append(err("1 UI string") if n == 1 else err("{n} UI strings", n=n))
    n = r.texts.total - r.texts.done
    if n:
        parts.append(err("1 content text") if n == 1 else err("{n} content texts", n=n))
    n = r.pages.total - r.pages.done
    if n:
        parts.append(err("1 page") if n == 1 else err("{n} pages", n=n))
    if not parts:
        return err("complete")
    items = parts[0]
    for part in parts[1:]:
        items = err("{first}, {then}", first=items, then=part)
    return err("{items} not translated", items=items)


def render_translation_report(reports: list[LanguageReport], details: bool = True) -> str:
    """The report as text: a table of shares, then every missing item as ``file:line: key``."""
    rows = [("language", "UI strings", "content texts", "pages", "")]
    for r in reports:
        rows.append((f"{r.language.code} {r.language.name}", _cell(r.ui), _cell(r.texts),
                     _cell(r.pages), ("required, " if r.language.required else "")
                     + ("complete" if r.complete else "incomplete")))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["  ".join(cell.ljust(widths[i]) if i < 4 else cell for i, cell in enumerate(row))
             .rstrip() for row in rows]
    if details:
        for r in reports:
            if r.complete:
                continue
            lines.append("")
            lines.append(localize(err("Missing in {code} ({name}):", code=r.language.code,
                                      name=r.language.name)))
            lines.extend(f"  {m}" for m in r.missing)
    return "\n".join(lines)


def _cell(count: Count) -> str:
    return f"{count.done}/{count.total} {count.share:.0f} %"
