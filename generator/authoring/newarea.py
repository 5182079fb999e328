"""``lahio new-area``: the five files of a new area, commented, valid and buildable at once.

Every value the generated files hold is a placeholder a communicator replaces; the comments
say what to write. The files pass validation as they are (the area is marked ``example: true``
so every page says its texts are examples until the team replaces them), so the first
``lahio build`` or ``lahio serve`` already shows the new area.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from string import Template

from ..data.schema import SLUG_RE
from ..errors import LahioError

#: The five files written, in the order a communicator fills them in.
FILES = ("area.yaml", "themes.yaml", "projects.yaml", "budget.yaml", "events.yaml")


@dataclass(frozen=True, slots=True)
class NewArea:
    """What ``new-area`` wrote.

    Attributes:
        folder: the new area folder.
        files: the files written, relative to the project root.
        paavo: the postal area whose Paavo figures were imported, if any.
    """

    folder: Path
    files: tuple[str, ...]
    paavo: str | None = None


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML); safe for any name."""
    return json.dumps(text, ensure_ascii=False)


def _header(filename: str, what: str) -> str:
    schema = filename.rsplit(".", 1)[0] + ".schema.json"
    return (f"# yaml-language-server: $schema=../../docs/schema/{schema}\n"
            f"# {what}\n")


AREA = Template("""\
$header\
# Every key is explained in docs/data-format.md; an editor with the YAML extension (VS Code:
# "YAML" by Red Hat) completes keys and underlines mistakes as you type.
# A text is plain Finnish (title: Nuorten olohuone) or a map of languages
# ({fi: …, en: …}); a missing language shows the Finnish text, marked as not translated.

# The area's name as residents know it. Add other languages as you get them.
name: {fi: $name, selko: $name, en: $name}
# Postal codes the area covers (quoted: "70150"). Used for the Paavo figures.
postal_codes: [$postal_codes]
# The programme year the area was chosen.
year: $year
# true while the texts below are examples: every page then says so. Set to false (or delete
# the line) once the facts are real.
example: true
# Two or three sentences: what the area is and why it is in the programme. Markdown allowed.
summary:
  fi: >-
    KIRJOITA TÄHÄN: $name_plain on lähiö Kuopiossa. Kerro kahdella tai kolmella lauseella,
    millainen alue on ja miksi se on mukana lähiöohjelmassa.
  selko: KIRJOITA TÄHÄN sama lyhyesti selkokielellä.
  en: WRITE HERE in two or three sentences what the area is like and why it is in the programme.
links:
  # The city's feedback service (required).
  feedback: https://www.kuopio.fi/palaute
  # The area's page on the participation platform (Decidim), once it exists:
  # participation: https://osallistu.kuopio.fi/processes/...
# Figures of the situation picture.$indicators_note
indicators: []
#  - id: asukkaat                      # identifier; themes refer to it
#    label: {fi: Asukkaita, en: Residents}
#    value: 1234                       # digits only; .. when the source withheld it
#    unit: count                       # count, percent, eur, years, per-km2 or ratio
#    year: 2024
#    source: {fi: "Tilastokeskus, Paavo", en: "Statistics Finland, Paavo"}
#    licence: CC BY 4.0
# Services and infrastructure with their condition (good, fair, poor, unknown).
services: []
#  - name: {fi: Lähiliikuntapaikka, en: Local sports ground}
#    condition: fair
#    action: {fi: Valaistus uusitaan, en: New lighting}
#    year: 2027
# People residents can contact.
contacts: []
#  - name: Etunimi Sukunimi
#    role: {fi: Osallisuuskoordinaattori, en: Participation coordinator}
#    email: etunimi.sukunimi@kuopio.fi
""")

THEMES = Template("""\
$header\
# The programme's three themes. Keep the ids (projects and proposals refer to them); rewrite
# titles and summaries with what residents said in workshops. Add themes residents raise with
# kind: residents.
themes:
  - id: palvelut
    kind: services
    title: {fi: Palvelut, selko: Palvelut, en: Services}
    summary:
      fi: KIRJOITA TÄHÄN mitä palveluille alueella tehdään.
      selko: KIRJOITA TÄHÄN sama selkokielellä.
      en: WRITE HERE what is done for the area's services.
    # goals:
    #   - {fi: Nuorille oma kohtaamispaikka, en: A meeting place for young people}
    # residents_said: {fi: Mitä asukkaat sanoivat työpajoissa., en: What residents said.}
  - id: infra
    kind: infrastructure
    title: {fi: Infrastruktuuri ja sen ylläpito, selko: Kadut ja puistot, en: Infrastructure and its upkeep}
    summary:
      fi: KIRJOITA TÄHÄN mitä kaduille, puistoille ja valaistukselle tehdään.
      selko: KIRJOITA TÄHÄN sama selkokielellä.
      en: WRITE HERE what is done for streets, parks and lighting.
  - id: yhteiso
    kind: civic
    title: {fi: Kansalaistoiminta ja asukkaiden omistajuus, selko: Asukkaat mukaan, en: Civic activity and residents' ownership}
    summary:
      fi: KIRJOITA TÄHÄN miten asukkaat ja järjestöt tulevat mukaan.
      selko: KIRJOITA TÄHÄN sama selkokielellä.
      en: WRITE HERE how residents and associations take part.
""")

PROJECTS = Template("""\
$header\
# One entry per project bundle (hankekokonaisuus). Replace the example; copy the block (from
# "- id:" down) for each further project.
projects:
  - id: esimerkkihanke                 # a-z, digits, hyphens; it becomes the address
    title: {fi: Esimerkkihanke, selko: Esimerkkihanke, en: Example project}
    theme: infra                       # the id of a theme in themes.yaml
    status: planned                    # planned, in-progress, done or cancelled
    start: $project_start                  # year-month-day
    end: $project_end
    cost: 50000                        # euros, digits only (not "50 000 €")
    service_area: {fi: Kaupunkiympäristön palvelualue, selko: Kaupungin katu- ja puistopalvelut, en: Urban environment services}
    summary:
      fi: KIRJOITA TÄHÄN mitä hankkeessa tehdään ja milloin.
      selko: KIRJOITA TÄHÄN sama selkokielellä.
      en: WRITE HERE what the project does and when.
    # progress: 40                     # percent, once work has started
    # updates:                         # dated notes, newest last
    #   - {date: $project_start, text: {fi: Työt alkoivat., en: Work started.}}
""")

BUDGET = Template("""\
$header\
# The participatory-budgeting round: about 50 000 euros residents decide on. Fill in the phases'
# dates when they are decided; add proposals as residents make them (or import them from the
# participation platform: lahio import decidim).
round:
  id: $slug-$round_year
  title: {fi: $name_fi_round, selko: $name_fi_round, en: $name_en_round}
  budget: 50000                        # euros, digits only
  rule: greedy                         # greedy, stop-at-first-miss or official
  max_choices: 3                       # how many proposals one voter may choose
  phases:                              # in date order; each end on or after its start
    - {kind: ideas, start: $ideas_start, end: $ideas_end}
    - {kind: co-creation, start: $co_start, end: $co_end}
    - {kind: voting, start: $vote_start, end: $vote_end}
    - {kind: results, start: $results, end: $results}
    - {kind: implementation, start: $impl_start, end: $impl_end}
  how_to_vote:
    fi: KIRJOITA TÄHÄN miten äänestetään verkossa ja paperilla ja kuka saa äänestää.
    selko: KIRJOITA TÄHÄN sama selkokielellä.
    en: WRITE HERE how to vote online and on paper, and who can vote.
  # ballot_return: {fi: Asukastupa, en: Residents' room}
  proposals: []
  #  - id: "101"                        # the platform's id works well (quoted)
  #    title: {fi: Penkkejä puistoon, en: Benches for the park}
  #    cost: 8000
  #    theme: infra
  #    votes: {online: 120, paper: 14}  # once voting has closed
""")

EVENTS = Template("""\
$header\
# Workshops, outreach visits, voting days and info events. Replace the example; copy the block
# for each further event. Times are local, year-month-day hours:minutes.
events:
  - id: aloitustilaisuus               # stable: calendars use it to update the event
    kind: info                         # workshop, outreach, vote, info or other
    title: {fi: $name_fi_event, selko: $name_fi_event, en: $name_en_event}
    start: $event_start
    end: $event_end
    place:
      name: {fi: KIRJOITA TÄHÄN paikka, selko: KIRJOITA TÄHÄN paikka, en: WRITE HERE the place}
      address: Katuosoite 1, $postal_code_or_default Kuopio
    summary:
      fi: KIRJOITA TÄHÄN mitä tilaisuudessa tapahtuu.
      selko: KIRJOITA TÄHÄN sama selkokielellä.
      en: WRITE HERE what happens at the event.
    accessibility: {fi: Esteetön sisäänkäynti., selko: Sisään pääsee ilman portaita., en: Step-free entrance.}
    languages: [fi]                    # languages spoken at the event
    # registration: https://...        # where to sign up, if needed
""")


def _first_of_next_month(day: dt.date, months: int = 1) -> dt.date:
    month = day.month - 1 + months
    return dt.date(day.year + month // 12, month % 12 + 1, 1)


def render_area_files(slug: str, name: str, today: dt.date,
                      postal_code: str | None = None, paavo_note: str = "",
                      languages: tuple[str, ...] = ("fi", "selko", "en")) -> dict[str, str]:
    """The five YAML texts of a new area (file name → text).

    Args:
        slug: the area's address segment (``petonen``).
        name: the area's name as residents know it.
        today: the day the files are written; example dates follow it.
        postal_code: the area's postal code, when known.
        paavo_note: a comment line about imported figures, added to area.yaml.
        languages: the site's language codes; example texts in ``selko`` and ``en`` are
            written only when the site has those languages.
    """
    start = _first_of_next_month(today)
    ideas_end = _first_of_next_month(today, 2) - dt.timedelta(days=1)
    co_end = _first_of_next_month(today, 4) - dt.timedelta(days=1)
    vote_start = _first_of_next_month(today, 4)
    vote_end = vote_start + dt.timedelta(days=20)
    results = vote_end + dt.timedelta(days=5)
    impl_start = _first_of_next_month(results)
    impl_end = dt.date(impl_start.year, 12, 31)
    event_day = start + dt.timedelta(days=14)
    event_start = dt.datetime.combine(event_day, dt.time(17, 0))
    values = {
        "slug": slug, "name": _q(name), "name_plain": name, "year": today.year,
        "postal_codes": _q(postal_code) if postal_code else "",
        "indicators_note": paavo_note,
        "project_start": start.isoformat(),
        "project_end": dt.date(start.year + 1, start.month, 1).isoformat(),
        "round_year": vote_start.year,
        "name_fi_round": _q(f"{name}: osallistuva budjetointi {vote_start.year}"),
        "name_en_round": _q(f"{name} participatory budgeting {vote_start.year}"),
        "ideas_start": start.isoformat(), "ideas_end": ideas_end.isoformat(),
        "co_start": (ideas_end + dt.timedelta(days=1)).isoformat(), "co_end": co_end.isoformat(),
        "vote_start": vote_start.isoformat(), "vote_end": vote_end.isoformat(),
        "results": results.isoformat(),
        "impl_start": impl_start.isoformat(), "impl_end": impl_end.isoformat(),
        "name_fi_event": _q(f"{name}: aloitustilaisuus"),
        "name_en_event": _q(f"{name}: kick-off meeting"),
        "event_start": f"{event_start:%Y-%m-%d %H:%M}",
        "event_end": f"{event_start + dt.timedelta(hours=2):%Y-%m-%d %H:%M}",
        "postal_code_or_default": postal_code or "70100",
    }
    templates = {
        "area.yaml": (AREA, f"{name}: the area snapshot. Replace every KIRJOITA TÄHÄN / "
                      "WRITE HERE text."),
        "themes.yaml": (THEMES, f"{name}: development themes."),
        "projects.yaml": (PROJECTS, f"{name}: project bundles."),
        "budget.yaml": (BUDGET, f"{name}: participatory budgeting."),
        "events.yaml": (EVENTS, f"{name}: events."),
    }
    out = {}
    for filename, (template, what) in templates.items():
        text = template.substitute(values, header=_header(filename, what))
        out[filename] = _drop_languages(text, [c for c in ("selko", "en") if c not in languages])
    return out


def _drop_languages(text: str, codes: list[str]) -> str:
    """Remove the example texts in ``codes`` (the templates keep such values on one line)."""
    for code in codes:
        text = re.sub(rf', {code}: (?:"(?:[^"\\]|\\.)*"|[^,}}\n]*)', "", text)
        text = re.sub(rf"(?m)^ +{code}: .*\n", "", text)
    return text


def check_slug(root: Path, slug: str) -> Path:
    """The folder of a new area, or a :class:`LahioError` saying what to write instead."""
    if not SLUG_RE.match(slug):
        suggestion = _suggest_slug(slug)
        hint = f", e.g. {suggestion!r}" if suggestion else ""
        raise LahioError(f"{slug!r} cannot be an area's address: use lower-case letters a-z, "
                         f"digits and hyphens{hint}")
    folder = root / "areas" / slug
    if folder.exists():
        raise LahioError(f"areas/{slug} already exists; choose another address or edit the "
                         "files in that folder")
    return folder


def _suggest_slug(text: str) -> str:
    table = str.maketrans({"ä": "a", "ö": "o", "å": "a", "Ä": "a", "Ö": "o", "Å": "a"})
    out = []
    for ch in text.translate(table).lower():
        if "a" <= ch <= "z" or ch.isdigit():
            out.append(ch)
        elif out and out[-1] != "-":
            out.append("-")
    slug = "".join(out).strip("-")[:64]
    return slug if SLUG_RE.match(slug) else ""


def create_area(root: Path, slug: str, name: str, *, postal_code: str | None = None,
                today: dt.date | None = None) -> NewArea:
    """Write a new area folder under ``root/areas`` (refuses an existing one).

    With ``postal_code`` the area's Paavo figures are imported into ``paavo.yaml`` from the
    project's Paavo table (``data/paavo.yaml``, written by ``lahio import paavo``).

    Raises:
        LahioError: unsafe slug, existing folder, empty name, malformed postal code, or no
            Paavo data for the postal code.
    """
    root = root.resolve()
    folder = check_slug(root, slug)
    if not name.strip() or any(ch < " " for ch in name):
        raise LahioError('--name must be one line of text; write the area\'s name, e.g. '
                         '--name "Petonen"')
    if postal_code is not None and not (postal_code.isdigit() and len(postal_code) == 5):
        raise LahioError(f"--postal-code {postal_code!r}: write five digits, e.g. 70150")
    today = today or dt.date.today()
    paavo_text = None
    note = ""
    if postal_code:
        paavo_text = paavo_for_postal_code(root, slug, postal_code)
        note = ("\n# paavo.yaml (machine-written by lahio import paavo) adds this postal area's "
                "Paavo figures;\n# an indicator written here with the same id replaces the "
                "imported one.")
    texts = render_area_files(slug, name.strip(), today, postal_code, note, _codes(root))
    folder.mkdir(parents=True)
    written = []
    for filename in FILES:
        (folder / filename).write_text(texts[filename], encoding="utf-8")
        written.append(f"areas/{slug}/{filename}")
    if paavo_text is not None:
        (folder / "paavo.yaml").write_text(paavo_text, encoding="utf-8")
        written.append(f"areas/{slug}/paavo.yaml")
    return NewArea(folder, tuple(written), postal_code)


def paavo_for_postal_code(root: Path, slug: str, postal_code: str) -> str:
    """The text of ``paavo.yaml`` for one postal area, written by the Paavo importer.

    Raises:
        LahioError: the importer or the project's Paavo table is not there, or the table has no
            such postal code.
    """
    try:
        from ..importers import paavo
    except ImportError as exc:
        raise LahioError("--postal-code needs the Paavo importer (lahio import paavo), which "
                         "this installation does not have; leave --postal-code out") from exc
    return paavo.area_file_text(root, slug, postal_code)


def _codes(root: Path) -> tuple[str, ...]:
    """The site's language codes (mkdocs.yml); the default set when it cannot be read."""
    from ..data.load import load_config_only

    try:
        return load_config_only(root).codes
    except LahioError:
        return ("fi", "selko", "en")
