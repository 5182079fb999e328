"""The programme's data model: frozen, slotted dataclasses, one per YAML structure.

Field documentation (``doc(...)``) is what communicators see in their editor (JSON Schema) and
in docs/data-format.md. YAML keys are the field names.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from .schema import Euros, LangCode, Loc, Measure, Slug, Text, Url, doc

Unit = Literal["count", "percent", "eur", "years", "per-km2", "ratio"]
Condition = Literal["good", "fair", "poor", "unknown"]
Status = Literal["planned", "in-progress", "done", "cancelled"]
ThemeKind = Literal["services", "infrastructure", "civic", "residents"]
PhaseKind = Literal["ideas", "co-creation", "voting", "results", "implementation"]
Rule = Literal["greedy", "stop-at-first-miss", "official"]
EventKind = Literal["workshop", "outreach", "vote", "info", "other"]


@dataclass(frozen=True, slots=True)
class Point:
    """One earlier value of an indicator."""

    year: int = doc("The reference year of the value.")
    value: Measure = doc("The value; -1 when the source withheld it for privacy.")


@dataclass(frozen=True, slots=True)
class Indicator:
    """A welfare or infrastructure figure in the situation picture."""

    id: Slug = doc("Identifier, used by themes to say which indicators they answer.")
    label: Text = doc("What the figure is, e.g. 'Asukkaita'.")
    value: Measure = doc("The area's value. -1 (or the text '..') means withheld for privacy: "
                       "shown as 'no data', never as a number.")
    unit: Unit = doc("How the value is formatted: count, percent, eur, years, per-km2, ratio.")
    year: int = doc("Reference year of the value (shown beside every figure).")
    source: Text = doc("Who produced the figure, e.g. 'Tilastokeskus, Paavo'.")
    city_value: Measure | None = doc("The same figure for the whole city, for comparison.",
                                   default=None)
    licence: str | None = doc("Licence of the source data, e.g. 'CC BY 4.0'.", default=None)
    derived: bool = doc("True when computed from other figures (labelled as derived).",
                        default=False)
    note: Text | None = doc("How the figure was derived or what to keep in mind.", default=None)
    history: tuple[Point, ...] = doc("Earlier values, oldest first.", default=())
    loc: Loc | None = None

    @property
    def protected(self) -> bool:
        """True when the source withheld the value (Paavo writes -1)."""
        return self.value == -1


@dataclass(frozen=True, slots=True)
class Service:
    """A service or a piece of infrastructure in the area, with its condition."""

    name: Text = doc("E.g. 'Neulamäen koulu', 'Lähiliikuntapaikka'.")
    condition: Condition = doc("good, fair, poor or unknown.")
    action: Text | None = doc("What is planned for it.", default=None)
    year: int | None = doc("When the planned action is due.", default=None)
    loc: Loc | None = None


@dataclass(frozen=True, slots=True)
class Contact:
    """A person residents can contact."""

    name: str = doc("Full name.")
    role: Text = doc("E.g. 'Osallisuuskoordinaattori'.")
    email: str | None = doc("E-mail address.", default=None)
    phone: str | None = doc("Phone number as residents should dial it.", default=None)


@dataclass(frozen=True, slots=True)
class Links:
    """Where residents can act: the feedback service and the participation platform."""

    feedback: Url = doc("The city's feedback service (palautepalvelu).")
    participation: Url | None = doc("The area's page on the participation platform (Decidim).",
                                    default=None)
    survey: Url | None = doc("The area's participation survey.", default=None)


@dataclass(frozen=True, slots=True)
class Area:
    """``areas/<slug>/area.yaml``: the area snapshot."""

    name: Text = doc("The area's name as residents know it.")
    postal_codes: tuple[str, ...] = doc("Postal codes the area covers, e.g. ['70340'].")
    summary: Text = doc("Two or three sentences about the area and why it is in the programme "
                        "(Markdown allowed, no HTML).")
    links: Links = doc("Feedback service and participation platform.")
    year: int = doc("The programme year the area was chosen.")
    example: bool = doc("True while the area's texts are example content, not real facts: "
                        "every page then says so.", default=False)
    indicators: tuple[Indicator, ...] = doc("Figures of the situation picture.", default=())
    services: tuple[Service, ...] = doc("Services and infrastructure, with condition.",
                                        default=())
    contacts: tuple[Contact, ...] = doc("People to contact.", default=())
    loc: Loc | None = None


@dataclass(frozen=True, slots=True)
class Theme:
    """A development theme shaped with residents."""

    id: Slug = doc("Identifier that projects and proposals refer to.")
    title: Text = doc("Short title.")
    kind: ThemeKind = doc("services, infrastructure, civic (the programme's three themes) or "
                          "residents (added by residents).")
    summary: Text = doc("What the theme is about (Markdown allowed).")
    goals: tuple[Text, ...] = doc("Goals, one per item.", default=())
    indicators: tuple[Slug, ...] = doc("Ids of indicators in area.yaml this theme answers.",
                                       default=())
    residents_said: Text | None = doc("Summary of what residents said in workshops and "
                                      "outreach.", default=None)
    loc: Loc | None = None


@dataclass(frozen=True, slots=True)
class ThemesFile:
    """``areas/<slug>/themes.yaml``."""

    themes: tuple[Theme, ...] = doc("The area's development themes.")


@dataclass(frozen=True, slots=True)
class Update:
    """A dated progress note."""

    date: dt.date = doc("Date of the update, e.g. 2025-03-01.")
    text: Text = doc("What happened.")
    loc: Loc | None = None


@dataclass(frozen=True, slots=True)
class Project:
    """A project bundle (hankekokonaisuus)."""

    id: Slug = doc("Identifier (stable: used in addresses).")
    title: Text = doc("Short title.")
    theme: Slug = doc("Id of the theme in themes.yaml this project belongs to.")
    status: Status = doc("planned, in-progress, done or cancelled.")
    start: dt.date = doc("Planned or actual start.")
    end: dt.date = doc("Planned or actual end (not before start).")
    summary: Text = doc("What will be done (Markdown allowed).")
    service_area: Text = doc("The city's service area responsible for it.")
    cost: Euros | None = doc("Estimated cost in euros.", default=None)
    progress: int | None = doc("Progress in percent, 0–100.", default=None)
    updates: tuple[Update, ...] = doc("Dated updates, newest last.", default=())
    loc: Loc | None = None


@dataclass(frozen=True, slots=True)
class ProjectsFile:
    """``areas/<slug>/projects.yaml``."""

    projects: tuple[Project, ...] = doc("The area's project bundles.")


@dataclass(frozen=True, slots=True)
class Phase:
    """A phase of the participatory-budgeting round."""

    kind: PhaseKind = doc("ideas, co-creation, voting, results or implementation.")
    start: dt.date = doc("First day.")
    end: dt.date = doc("Last day (not before start).")
    loc: Loc | None = None


@dataclass(frozen=True, slots=True)
class Votes:
    """Votes a proposal got. Leave a count out when it is not known."""

    online: int | None = doc("Votes on the participation platform.", default=None)
    paper: int | None = doc("Votes on paper ballots.", default=None)


@dataclass(frozen=True, slots=True)
class Proposal:
    """A proposal residents made and voted on."""

    id: Slug = doc("Identifier; the platform's id works well (e.g. '101').")
    title: Text = doc("Title of the proposal.")
    cost: Euros = doc("Cost estimate in euros.")
    summary: Text | None = doc("What the proposal is (Markdown allowed).", default=None)
    theme: Slug | None = doc("Id of the theme it belongs to.", default=None)
    place: Text | None = doc("Where in the area.", default=None)
    votes: Votes | None = doc("Votes online and on paper.", default=None)
    selected: bool | None = doc("Selection recorded by the platform (rule 'official').",
                                default=None)
    status: Status | None = doc("Implementation status once funded.", default=None)
    progress: int | None = doc("Implementation progress in percent.", default=None)
    platform_id: str | None = doc("Id on the participation platform (set by the importer).",
                                  default=None)
    updates: tuple[Update, ...] = doc("Dated implementation updates.", default=())
    url: Url | None = doc("The proposal's page on the participation platform.", default=None)
    loc: Loc | None = None


@dataclass(frozen=True, slots=True)
class ProposalOverride:
    """Hand changes to a proposal imported into ``budget.decidim.yaml``, found by its id.

    Only the keys written here change; the rest comes from the import. ``votes`` is merged key
    by key, so ``votes: {paper: 12}`` keeps the imported online votes.
    """

    id: Slug = doc("Id of the imported proposal (the platform's id, e.g. '101').")
    title: Text | None = doc("Replaces the imported title.", default=None)
    cost: Euros | None = doc("Replaces the imported cost.", default=None)
    summary: Text | None = doc("Replaces the imported description (Markdown allowed).",
                               default=None)
    theme: Slug | None = doc("Id of the theme it belongs to.", default=None)
    place: Text | None = doc("Where in the area.", default=None)
    votes: Votes | None = doc("Votes to set; a count left out keeps the imported one.",
                              default=None)
    selected: bool | None = doc("Replaces the platform's selection.", default=None)
    status: Status | None = doc("Implementation status once funded.", default=None)
    progress: int | None = doc("Implementation progress in percent.", default=None)
    updates: tuple[Update, ...] = doc("Dated implementation updates, newest last.", default=())
    url: Url | None = doc("Replaces the imported address.", default=None)
    loc: Loc | None = None


@dataclass(frozen=True, slots=True)
class Turnout:
    """How many took part."""

    voters: int | None = doc("People who voted.", default=None)
    eligible: int | None = doc("Residents who could vote, where known.", default=None)


@dataclass(frozen=True, slots=True)
class Round:
    """A participatory-budgeting round (osallistuva budjetointi)."""

    id: Slug = doc("Identifier of the round, e.g. 'neulamaki-2025'.")
    title: Text = doc("Title, e.g. 'Neulamäen osallistuva budjetointi 2025'.")
    budget: Euros = doc("Money to share, in euros (about 50000).")
    rule: Rule = doc("How winners are chosen: greedy (in vote order, fund each proposal that "
                     "still fits), stop-at-first-miss, or official (the platform's selection).")
    phases: tuple[Phase, ...] = doc("The phases with their dates, in order.")
    proposals: tuple[Proposal, ...] = doc("The proposals.", default=())
    max_choices: int | None = doc("How many proposals one voter may choose.", default=None)
    turnout: Turnout | None = doc("How many took part.", default=None)
    how_to_vote: Text | None = doc("How to vote online, on paper and in person.", default=None)
    ballot_return: Text | None = doc("Where paper ballots are returned.", default=None)
    overrides: tuple[ProposalOverride, ...] = doc(
        "Hand changes to proposals imported into budget.decidim.yaml, by id (they win over "
        "the import).", default=())
    loc: Loc | None = None


@dataclass(frozen=True, slots=True)
class BudgetFile:
    """``areas/<slug>/budget.yaml``."""

    round: Round = doc("The area's participatory-budgeting round.")


@dataclass(frozen=True, slots=True)
class ImportSource:
    """Where imported proposals came from."""

    platform: Literal["decidim"] = doc("The participation platform.")
    selection: str = doc("Which rows were taken, e.g. 'budget:11' or 'scope:1'.")
    files: tuple[str, ...] = doc("Names of the imported files.", default=())


@dataclass(frozen=True, slots=True)
class ImportedBudgetFile:
    """``areas/<slug>/budget.decidim.yaml``: written by ``lahio import decidim``; not edited.

    budget.yaml keeps the round (budget, rule, phases) and may change any imported proposal
    under ``round.overrides``.
    """

    source: ImportSource = doc("Where the proposals came from.")
    proposals: tuple[Proposal, ...] = doc("The imported proposals, by platform id.", default=())


@dataclass(frozen=True, slots=True)
class PaperCount:
    """Paper votes counted for one proposal."""

    id: Slug = doc("Id of the proposal.")
    paper: int = doc("Paper votes (0 or more).")
    loc: Loc | None = None


@dataclass(frozen=True, slots=True)
class TallyFile:
    """``areas/<slug>/budget.tally.yaml``: written by ``lahio import tally``; not edited.

    A paper count written by hand in budget.yaml (``votes.paper``) wins over this file.
    """

    source: str = doc("Name of the imported tally sheet.")
    counts: tuple[PaperCount, ...] = doc("Paper votes per proposal.", default=())


@dataclass(frozen=True, slots=True)
class Place:
    """Where an event happens."""

    name: Text = doc("E.g. 'Neulamäen koulu, ruokasali'.")
    address: str | None = doc("Street address.", default=None)


@dataclass(frozen=True, slots=True)
class Event:
    """A workshop, outreach visit, voting day or info event."""

    id: Slug = doc("Identifier (stable: calendars use it to update the event).")
    title: Text = doc("Title.")
    kind: EventKind = doc("workshop, outreach, vote, info or other.")
    start: dt.datetime = doc("Start, local time, e.g. 2025-05-12 17:00.")
    end: dt.datetime = doc("End, local time (after start).")
    place: Place = doc("Where.")
    summary: Text | None = doc("What happens (Markdown allowed).", default=None)
    accessibility: Text | None = doc("Step-free access, hearing loop, quiet room …", default=None)
    languages: tuple[LangCode, ...] = doc("Languages spoken at the event.", default=("fi",))
    registration: Url | None = doc("Where to sign up, if needed.", default=None)
    loc: Loc | None = None


@dataclass(frozen=True, slots=True)
class EventsFile:
    """``areas/<slug>/events.yaml``."""

    events: tuple[Event, ...] = doc("The area's events.")


@dataclass(frozen=True, slots=True)
class AreaData:
    """Everything known about one area, validated and cross-checked."""

    slug: str
    area: Area
    themes: tuple[Theme, ...]
    projects: tuple[Project, ...]
    round: Round | None
    events: tuple[Event, ...]

    def theme(self, theme_id: str) -> Theme | None:
        return next((t for t in self.themes if t.id == theme_id), None)


@dataclass(frozen=True, slots=True)
class Page:
    """A general page from ``content/<lang>/<name>.md``."""

    name: str
    lang: str
    title: str
    markdown: str
    file: str


@dataclass(frozen=True, slots=True)
class Programme:
    """The whole validated input of one build."""

    areas: tuple[AreaData, ...]
    pages: tuple[Page, ...]

    def area(self, slug: str) -> AreaData | None:
        return next((a for a in self.areas if a.slug == slug), None)


#: The files of an area folder and the model each holds. ``area.yaml`` is required.
AREA_FILES: dict[str, type] = {
    "area.yaml": Area,
    "themes.yaml": ThemesFile,
    "projects.yaml": ProjectsFile,
    "budget.yaml": BudgetFile,
    "budget.decidim.yaml": ImportedBudgetFile,
    "budget.tally.yaml": TallyFile,
    "events.yaml": EventsFile,
}
