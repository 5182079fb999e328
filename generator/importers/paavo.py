"""``lahio import paavo``: Statistics Finland's Paavo figures → the areas' situation pictures.

Paavo (postal-code area statistics, CC BY 4.0, "Lähde: Tilastokeskus, Paavo") comes as a CSV
with one row per postal area, either with Paavo's attribute names as headers (``he_vakiy``,
``pt_tyott`` …) or as a PxWeb export whose headers are the Finnish names with the reference year
("Asukkaat yhteensä, 2017 (HE)"). Withheld values are ``-1`` (or ``..`` in PxWeb).

Two kinds of machine-owned files are written, each starting with a comment saying so:

- ``areas/<slug>/paavo.yaml`` for every area whose postal codes are in the file: the area's
  figures with year, source, licence and the comparison over all postal areas of the file. The
  loader merges them into the area's indicators; an indicator with the same id in ``area.yaml``
  wins, so a hand correction is never overwritten.
- ``data/paavo.yaml``: every postal area of the file, which the area-selection report ranks
  (``selection.yaml``). It is committed so that the report builds from the repository alone.

Writing is deterministic: importing the same file again gives byte-identical files.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import LahioError
from ..textfiles import write_atomic

#: The Paavo variables the importer uses, by group (the groups have their own reference years).
VARIABLES: dict[str, str] = {
    "he_vakiy": "population", "he_kika": "population",
    "pt_tyoll": "employment", "pt_tyott": "employment",
    "hr_mtu": "income",
    "te_taly": "households", "te_vuok_as": "households",
}
GROUPS = ("population", "employment", "income", "households")

#: PxWeb (Finnish) header names → Paavo attribute names; the year and "(HE)" are stripped first.
PXWEB_NAMES: dict[str, str] = {
    "asukkaat yhteensä": "he_vakiy",
    "asukkaiden keski-ikä": "he_kika",
    "työlliset": "pt_tyoll",
    "työttömät": "pt_tyott",
    "asukkaiden mediaanitulot": "hr_mtu",
    "taloudet yhteensä": "te_taly",
    "vuokra- ja asumisoikeusasunnoissa asuvat taloudet": "te_vuok_as",
    "vuokra-asunnoissa asuvat taloudet": "te_vuok_as",
}
_CODE_HEADERS = ("postinumeroalue", "postinumero", "postal_code", "posti_alue", "pno")
_NAME_HEADERS = ("nimi", "name", "namn")
_WITHHELD = {"-1", "..", ".", "...", ""}

SOURCE = {
    "fi": "Tilastokeskus, Paavo", "selko": "Tilastokeskus", "en": "Statistics Finland, Paavo",
    "sv": "Statistikcentralen, Paavo", "ru": "Статистическое управление Финляндии, Paavo",
    "uk": "Статистичне управління Фінляндії, Paavo", "ar": "هيئة الإحصاء الفنلندية، Paavo",
}
LICENCE = "CC BY 4.0"
HEADER = ("# Written by `lahio import paavo` from {file}. Do not edit: the next import "
          "rewrites this file.\n# To correct a figure, add an indicator with the same id to "
          "{own}; that one wins.\n")

Row = dict[str, float | None]  # Paavo variable → value, None when withheld


@dataclass(frozen=True)
class Definition:
    """How one indicator is computed from Paavo variables.

    ``compute`` gets the summed variables of an area (None when any is withheld) and returns
    the value, or None when it cannot be computed.
    """

    id: str
    label: dict[str, str]
    unit: str
    group: str
    variables: tuple[str, ...]
    compute: Callable[[Row], float | None]
    derived: bool = False
    note: dict[str, str] = field(default_factory=dict)
    comparison: str = "sum"  # sum: recompute from the summed variables; weighted; none
    digits: int = 0


def _share(part: str, whole: Callable[[Row], float | None]) -> Callable[[Row], float | None]:
    def compute(row: Row) -> float | None:
        top, bottom = row.get(part), whole(row)
        if top is None or not bottom:
            return None
        return top / bottom * 100
    return compute


def _get(name: str) -> Callable[[Row], float | None]:
    return lambda row: row.get(name)


def _labour_force(row: Row) -> float | None:
    a, b = row.get("pt_tyoll"), row.get("pt_tyott")
    return None if a is None or b is None else a + b


DEFINITIONS: tuple[Definition, ...] = (
    Definition(
        "asukkaat",
        {"fi": "Asukkaita", "selko": "Asukkaita", "en": "Residents", "sv": "Invånare",
         "ru": "Жители", "uk": "Мешканці", "ar": "السكان"},
        "count", "population", ("he_vakiy",), _get("he_vakiy")),
    Definition(
        "keski-ika",
        {"fi": "Asukkaiden keski-ikä", "selko": "Asukkaiden keski-ikä",
         "en": "Mean age of residents", "sv": "Invånarnas medelålder",
         "ru": "Средний возраст жителей", "uk": "Середній вік мешканців",
         "ar": "متوسط عمر السكان"},
        "years", "population", ("he_kika",), _get("he_kika"), comparison="weighted", digits=1),
    Definition(
        "tyottomien-osuus",
        {"fi": "Työttömien osuus työvoimasta", "selko": "Kuinka moni työikäinen on työtön",
         "en": "Unemployed as a share of the labour force",
         "sv": "Arbetslösas andel av arbetskraften",
         "ru": "Доля безработных среди рабочей силы",
         "uk": "Частка безробітних серед робочої сили",
         "ar": "نسبة العاطلين عن العمل من القوى العاملة"},
        "percent", "employment", ("pt_tyoll", "pt_tyott"), _share("pt_tyott", _labour_force),
        derived=True, digits=1,
        note={"fi": "Laskettu Paavon luvuista: työttömät / (työlliset + työttömät). Ei virallinen "
                    "työttömyysaste.",
              "selko": "Luku on laskettu Tilastokeskuksen tiedoista. Se ei ole virallinen luku.",
              "en": "Computed from Paavo: unemployed / (employed + unemployed). Not the official "
                    "unemployment rate.",
              "sv": "Beräknad ur Paavo: arbetslösa / (sysselsatta + arbetslösa). Inte den "
                    "officiella arbetslöshetsgraden."}),
    Definition(
        "mediaanitulo",
        {"fi": "Asukkaiden mediaanitulot", "selko": "Tavallinen tulo asukasta kohti",
         "en": "Median disposable income of residents", "sv": "Invånarnas medianinkomst",
         "ru": "Медианный доход жителей", "uk": "Медіанний дохід мешканців",
         "ar": "الدخل الوسيط للسكان"},
        "eur", "income", ("hr_mtu",), _get("hr_mtu"), comparison="none"),
    Definition(
        "vuokra-asunnot",
        {"fi": "Vuokra- tai asumisoikeusasunnoissa asuvat kotitaloudet",
         "selko": "Kuinka moni asuu vuokralla",
         "en": "Households in rented or right-of-occupancy homes",
         "sv": "Hushåll i hyres- eller bostadsrättsbostäder",
         "ru": "Домохозяйства в арендном жилье", "uk": "Домогосподарства в орендному житлі",
         "ar": "الأسر في مساكن مستأجرة"},
        "percent", "households", ("te_taly", "te_vuok_as"),
        _share("te_vuok_as", _get("te_taly")), derived=True, digits=1,
        note={"fi": "Laskettu Paavon luvuista: vuokra- ja asumisoikeusasunnoissa asuvat "
                    "taloudet / kaikki taloudet.",
              "selko": "Luku on laskettu Tilastokeskuksen tiedoista.",
              "en": "Computed from Paavo: households in rented or right-of-occupancy homes / "
                    "all households.",
              "sv": "Beräknad ur Paavo: hushåll i hyres- och bostadsrättsbostäder / alla "
                    "hushåll."}),
)


@dataclass(frozen=True)
class PostalRow:
    """One postal area of the file."""

    code: str
    name: str
    values: Row


@dataclass(frozen=True)
class PaavoData:
    """A read Paavo file: its rows and the reference year of each variable group."""

    file: str
    rows: tuple[PostalRow, ...]
    years: dict[str, int]


# --- reading ---------------------------------------------------------------------------------

def _number(text: str, where: str) -> float | None:
    text = text.strip().replace("\u00a0", "").replace(" ", "")
    if text in _WITHHELD:
        return None
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise LahioError(f"{where}: expected a number, -1 or '..', got {text!r}") from None
    if not math.isfinite(value) or abs(value) > 1e12:
        raise LahioError(f"{where}: {text!r} is not a figure Paavo gives (out of range)")
    return None if value == -1 else value


def _header_name(header: str) -> tuple[str | None, int | None]:
    """A header → (Paavo attribute, year given in the header)."""
    text = header.strip().strip('"').lower()
    if text in VARIABLES:
        return text, None
    year = None
    m = re.search(r",\s*((?:19|20)\d\d)\b", text)
    if m:
        year = int(m.group(1))
    text = re.sub(r",\s*(?:19|20)\d\d\b", "", text)
    text = re.sub(r"\s*\([a-z]{2}\)\s*$", "", text).strip()
    return PXWEB_NAMES.get(text), year


def read_paavo(path: Path, years: dict[str, int | None]) -> PaavoData:
    """Read a Paavo CSV (attribute names or PxWeb headers; comma, semicolon or tab separated).

    Args:
        path: the CSV file.
        years: reference year per variable group given on the command line; a year in a PxWeb
            header is used when the command line gives none.

    Raises:
        LahioError: the file cannot be read, lacks a needed column or year, or has a bad value.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise LahioError(f"{path}: cannot be read: {exc.strerror}") from None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    lines = text.splitlines()
    # PxWeb exports may start with a title line: the header is the first line naming the code.
    start = next((n for n, line in enumerate(lines)
                  if any(h in line.lower() for h in _CODE_HEADERS)), None)
    if start is None:
        raise LahioError(f"{path}: no header line with a postal-code column "
                         f"({', '.join(_CODE_HEADERS)})")
    # PxWeb headers hold commas inside quotes ("Työlliset, 2016 (PT)"): count outside them.
    sample = re.sub(r'"[^"]*"', "", lines[start])
    delimiter = max((",", ";", "\t"), key=sample.count)
    reader = csv.reader(io.StringIO("\n".join(lines[start:])), delimiter=delimiter)
    header = next(reader)
    columns: dict[str, int] = {}
    header_years: dict[str, int] = {}
    code_col = name_col = None
    for n, h in enumerate(header):
        low = h.strip().strip('"').lower()
        if low in _CODE_HEADERS:
            code_col = n
        elif low in _NAME_HEADERS:
            name_col = n
        else:
            attr, year = _header_name(h)
            if attr:
                columns[attr] = n
                if year:
                    header_years[VARIABLES[attr]] = year
    missing = [v for v in VARIABLES if v not in columns]
    if missing:
        raise LahioError(f"{path}:{start + 1}: missing Paavo columns: {', '.join(missing)} "
                         f"(found: {', '.join(h.strip() for h in header)})")
    final_years: dict[str, int] = {}
    for group in GROUPS:
        year = years.get(group) or header_years.get(group)
        if not year:
            raise LahioError(f"{path}: give the reference year of the {group} figures with "
                             f"--year-{group} (Paavo's documentation lists them per release)")
        final_years[group] = year
    rows = []
    bad: list[str] = []  # every bad cell is reported, not only the first
    for lineno, rec in enumerate(reader, start + 2):
        if not rec or not any(c.strip() for c in rec):
            continue
        first = rec[code_col].strip() if code_col is not None else ""
        m = re.match(r"^(\d{5})\s*(.*)$", first)
        if not m:
            if first.lower() in ("", "koko maa", "ks", "kaikki"):
                continue  # a totals row of a PxWeb export
            bad.append(f"{path}:{lineno}: expected a five-digit postal code, got {first!r}")
            continue
        code = m.group(1)
        name = rec[name_col].strip() if name_col is not None else re.sub(
            r"\s*\([^)]*\)$", "", m.group(2)).strip()
        values = {}
        for v, c in columns.items():
            try:
                values[v] = _number(rec[c] if c < len(rec) else "", f"{path}:{lineno}: {v}")
            except LahioError as exc:
                bad.append(str(exc))
        rows.append(PostalRow(code, name or code, values))
    if bad:
        raise LahioError(f"{len(bad)} bad cell(s); nothing was written:\n  " + "\n  ".join(bad))
    if not rows:
        raise LahioError(f"{path}: no postal areas found")
    codes = [r.code for r in rows]
    dup = sorted({c for c in codes if codes.count(c) > 1})
    if dup:
        raise LahioError(f"{path}: postal code(s) listed twice: {', '.join(dup)}")
    return PaavoData(path.name, tuple(sorted(rows, key=lambda r: r.code)), final_years)


# --- computing -------------------------------------------------------------------------------

def _summed(rows: list[PostalRow], variables: tuple[str, ...]) -> Row:
    out: Row = {}
    for v in variables:
        vals = [x for r in rows if (x := r.values.get(v)) is not None]
        out[v] = sum(vals) if len(vals) == len(rows) else None
    return out


def area_value(d: Definition, rows: list[PostalRow]) -> float | None:
    """The indicator for an area made of ``rows`` (None when withheld or not computable).

    Counts are summed and shares recomputed from the sums; a mean age is weighted by the
    residents; a median cannot be combined, so it is given only for a single postal area.
    """
    if len(rows) == 1:
        return d.compute(rows[0].values)
    if d.comparison == "none":
        return None
    if d.comparison == "weighted":
        return _weighted(d, rows)
    return d.compute(_summed(rows, d.variables))


def _weighted(d: Definition, rows: list[PostalRow]) -> float | None:
    pairs = [(w, v) for r in rows
             if (w := r.values.get("he_vakiy")) is not None and (v := d.compute(r.values)) is not None]
    if len(pairs) < len(rows):
        return None
    total = sum(w for w, _ in pairs)
    return sum(w * v for w, v in pairs) / total if total else None


def city_value(d: Definition, data: PaavoData, city: dict[str, float]) -> tuple[float | None, int]:
    """The comparison over every postal area of the file that has the needed figures.

    Returns the value and how many postal areas it covers. A median is compared only with a
    figure given on the command line (``--city mediaanitulo=…``): medians cannot be combined.
    """
    if d.id in city:
        return city[d.id], 0
    if d.comparison == "none":
        return None, 0
    usable = [r for r in data.rows if all(r.values.get(v) is not None for v in d.variables)
              and (d.comparison != "weighted" or r.values.get("he_vakiy") is not None)]
    if not usable:
        return None, 0
    value = _weighted(d, usable) if d.comparison == "weighted" else d.compute(
        _summed(usable, d.variables))
    return value, len(usable)


def _round(value: float | None, digits: int) -> float | int:
    if value is None:
        return -1
    if digits == 0:
        return int(round(value))
    return round(value, digits)


_COVERS = {
    "fi": "Vertailuluku on laskettu tiedoston {n} postinumeroalueesta yhteensä ({what}), ei "
          "koko kaupungista.",
    "selko": "Vertailuluku on laskettu {n} postinumeroalueen tiedoista. Se ei ole koko "
             "kaupungin luku.",
    "en": "The comparison is computed over the file's {n} postal areas together ({what}), not "
          "the whole city.",
    "sv": "Jämförelsetalet är beräknat för filens {n} postnummerområden tillsammans ({what}).",
}
_WHAT = {
    "sum": {"fi": "summat", "en": "sums", "sv": "summor"},
    "weighted": {"fi": "asukasmäärillä painotettu keskiarvo",
                 "en": "mean weighted by residents", "sv": "medelvärde viktat med invånare"},
}
#: The note of a comparison figure given with ``--city``: for residents, in every language (the
#: command line is the communicator's business, not the reader's).
_GIVEN = {"fi": "Vertailuluku: koko Kuopion luku, jonka kaupunki on antanut.",
          "selko": "Vertailuluku on koko Kuopion luku. Sen on antanut kaupunki.",
          "en": "Comparison: the figure for the whole of Kuopio, given by the city.",
          "sv": "Jämförelse: siffran för hela Kuopio, angiven av staden.",
          "ru": "Для сравнения: показатель по всему Куопио, предоставленный городом.",
          "uk": "Для порівняння: показник по всьому Куопіо, наданий містом.",
          "ar": "للمقارنة: رقم مدينة كوبيو كلها، كما قدّمته المدينة."}


def _text(values: dict[str, str]) -> dict[str, str] | str:
    return dict(values) if len(values) > 1 else values["fi"]


def indicator_entry(d: Definition, value: float | None, data: PaavoData,
                    city: dict[str, float], combined: int) -> dict[str, Any]:
    """One indicator as written to ``paavo.yaml``."""
    entry: dict[str, Any] = {"id": d.id, "label": _text(d.label),
                             "value": _round(value, d.digits), "unit": d.unit,
                             "year": data.years[d.group]}
    cvalue, n = city_value(d, data, city)
    if cvalue is not None:
        entry["city_value"] = _round(cvalue, d.digits)
    entry["source"] = _text(SOURCE)
    entry["licence"] = LICENCE
    derived = d.derived or (combined > 1 and d.comparison == "weighted")
    if derived:
        entry["derived"] = True
    note = {lang: text for lang, text in d.note.items()}
    if combined > 1:
        for lang, text in {"fi": f"{combined} postinumeroalueen yhteisluku.",
                           "en": f"The {combined} postal areas together.",
                           "sv": f"De {combined} postnummerområdena tillsammans."}.items():
            note[lang] = f"{note.get(lang, '')} {text}".strip()
    if cvalue is not None:
        what = _WHAT.get(d.comparison, _WHAT["sum"])
        extra = {lang: t.format(n=n, what=what.get(lang, what["en"]))
                 for lang, t in _COVERS.items()} if n else _GIVEN
        for lang, text in extra.items():
            note[lang] = f"{note.get(lang, '')} {text}".strip()
    if note:
        entry["note"] = _text(note)
    return entry


# --- writing ---------------------------------------------------------------------------------

class _Dumper(yaml.SafeDumper):
    """Block style, no aliases; long texts stay on one line (stable diffs)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=False, width=10_000)


def render_area_file(data: PaavoData, codes: tuple[str, ...], slug: str,
                     city: dict[str, float]) -> tuple[str, list[str]]:
    """``areas/<slug>/paavo.yaml`` text and notes on what could not be given."""
    rows = [r for r in data.rows if r.code in codes]
    notes: list[str] = []
    indicators = []
    for d in DEFINITIONS:
        value = area_value(d, rows)
        if len(rows) > 1 and d.comparison == "none":
            notes.append(f"{slug}: {d.id} left out: a median cannot be combined over "
                         f"{len(rows)} postal areas")
            continue
        indicators.append(indicator_entry(d, value, data, city, len(rows)))
    head = "# yaml-language-server: $schema=../../docs/schema/paavo.schema.json\n" + HEADER.format(
        file=data.file, own=f"areas/{slug}/area.yaml")
    return head + _dump({"source_file": data.file, "indicators": indicators}), notes


def render_table(data: PaavoData, city: dict[str, float] | None = None) -> str:
    """``data/paavo.yaml``: every postal area with every figure, for the selection report."""
    figures = []
    for d in DEFINITIONS:
        info: dict[str, Any] = {"id": d.id, "label": _text(d.label), "unit": d.unit,
                                "year": data.years[d.group]}
        if d.derived:
            info["derived"] = True
        if d.note:
            info["note"] = _text(d.note)
        figures.append(info)
    areas = []
    for r in data.rows:
        # Full precision (6 decimals) so that the ranking does not depend on display rounding.
        areas.append({"code": r.code, "name": r.name, "figures": [
            {"id": d.id, "value": -1 if (v := d.compute(r.values)) is None else round(v, 6)}
            for d in DEFINITIONS], "variables": [
            {"name": name, "value": -1 if (v := r.values.get(name)) is None else _int(v)}
            for name in VARIABLES]})
    head = HEADER.format(file=data.file, own="selection.yaml").split("\n# To correct")[0] + "\n"
    out: dict[str, Any] = {"source_file": data.file, "source": _text(SOURCE),
                           "licence": LICENCE,
                           "years": [{"group": g, "year": data.years[g]} for g in GROUPS],
                           "figures": figures, "postal_areas": areas}
    if city:
        out["city_values"] = [{"id": k, "value": v} for k, v in sorted(city.items())]
    return head + _dump(out)


def _int(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def table_to_data(table: Any) -> tuple[PaavoData, dict[str, float]]:
    """A validated ``data/paavo.yaml`` (model ``PaavoTable``) back as read data and --city."""
    rows = tuple(PostalRow(a.code, a.name, {v.name: None if v.value == -1 else float(v.value)
                                            for v in a.variables})
                 for a in table.postal_areas)
    data = PaavoData(table.source_file, rows, {g.group: g.year for g in table.years})
    return data, {f.id: float(f.value) for f in table.city_values}


def area_file_text(root: Path, slug: str, postal_code: str,
                   table: str = "data/paavo.yaml") -> str:
    """``areas/<slug>/paavo.yaml`` for one postal area, from the project's Paavo table.

    Raises:
        LahioError: the table is missing or invalid, or lacks the postal code.
    """
    from ..data.load import load_area_file
    from ..data.model import PaavoTable
    from ..errors import DataError
    from ..data.load import load_config_only

    config = load_config_only(root)
    path = root / table
    if not path.is_file():
        raise LahioError(f"{table} not found; import a Paavo file first: "
                         "lahio import paavo <file.csv>")
    parsed, problems = load_area_file(path, PaavoTable, config, table)
    if problems or parsed is None:
        raise DataError(problems, root)
    data, city = table_to_data(parsed)
    if postal_code not in {r.code for r in data.rows}:
        raise LahioError(f"postal code {postal_code} is not in {table} "
                         f"({len(data.rows)} postal areas from {data.file})")
    return render_area_file(data, (postal_code,), slug, city)[0]


@dataclass
class ImportResult:
    """What an import wrote and what it could not do."""

    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _check(path: Path, text: str, result: ImportResult) -> bool:
    """True when ``path`` is to be written; raises before anything is written when it may not."""
    if path.exists() and path.read_text(encoding="utf-8") == text:
        result.unchanged.append(path)
        return False
    if path.exists() and "lahio import paavo" not in "\n".join(
            path.read_text(encoding="utf-8").splitlines()[:3]):
        raise LahioError(f"{path} exists and was not written by lahio import paavo; it is not "
                         "overwritten (nothing was written). Move it away or merge it by hand.")
    return True


def _write(path: Path, text: str, result: ImportResult) -> None:
    if _check(path, text, result):
        write_atomic(path, text)
        result.written.append(path)


def area_postal_codes(config: Any) -> dict[str, tuple[str, ...]]:
    """Slug → postal codes of every area, read from the areas' ``area.yaml`` only.

    Raises:
        DataError: an ``area.yaml`` has problems (each located).
    """
    from ..data.load import load_area_file
    from ..data.model import Area
    from ..errors import DataError

    out: dict[str, tuple[str, ...]] = {}
    problems = []
    for folder in sorted((config.root / "areas").glob("*/area.yaml")):
        slug = folder.parent.name
        if slug.startswith((".", "_")):
            continue
        area, found = load_area_file(folder, Area, config, f"areas/{slug}/area.yaml")
        problems.extend(found)
        if area is not None:
            out[slug] = area.postal_codes
    if problems:
        raise DataError(problems, config.root)
    return out


def import_paavo(root: Path, csv_path: Path, areas: dict[str, tuple[str, ...]],
                 years: dict[str, int | None], city: dict[str, float],
                 table: str = "data/paavo.yaml") -> ImportResult:
    """Write ``areas/<slug>/paavo.yaml`` for every area found and the table ``table``.

    Args:
        root: the project folder.
        csv_path: the Paavo CSV.
        areas: slug → postal codes, from the areas' ``area.yaml``.
        years: reference year per variable group (``population``, ``employment``, ``income``,
            ``households``); None to take it from a PxWeb header.
        city: comparison figures given by hand (indicator id → value), e.g. the city's median.
        table: where the table of all postal areas goes (relative to ``root``).

    Raises:
        LahioError: the file is unusable, or a target file is not machine-owned.
    """
    known_ids = {d.id for d in DEFINITIONS}
    unknown = sorted(set(city) - known_ids)
    if unknown:
        raise LahioError(f"--city: unknown indicator {', '.join(unknown)}; expected one of "
                         f"{', '.join(sorted(known_ids))}")
    data = read_paavo(csv_path, years)
    result = ImportResult()
    planned: list[tuple[Path, str]] = []
    present = {r.code for r in data.rows}
    for slug, codes in sorted(areas.items()):
        found = tuple(c for c in codes if c in present)
        if not found:
            result.notes.append(f"{slug}: none of its postal codes ({', '.join(codes)}) is in "
                                f"{data.file}; nothing written")
            continue
        if len(found) < len(codes):
            result.notes.append(f"{slug}: postal code(s) {', '.join(set(codes) - set(found))} "
                                f"not in {data.file}; figures cover {', '.join(found)}")
        text, notes = render_area_file(data, found, slug, city)
        result.notes.extend(notes)
        planned.append((root / "areas" / slug / "paavo.yaml", text))
    planned.append((root / table, render_table(data, city)))
    # All or nothing: every file is made and checked before the first one is written, and
    # each is written whole (a temporary file renamed over it).
    writes = [(path, text) for path, text in planned if _check(path, text, result)]
    for path, text in writes:
        write_atomic(path, text)
        result.written.append(path)
    return result
