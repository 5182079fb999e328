"""The programme's data model: frozen, slotted dataclasses, one per YAML structure.

Field documentation (``doc(...)``) is what communicators see in their editor (JSON Schema) and
in docs/data-format.md. YAML keys are the field names.
"""

from __future__ import annotations

import datetime as dt
import pickle
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal, overload

from .picture import PictureFile
from .schema import WITHHELD, Euros, LangCode, Loc, Measure, Slug, Text, Url, doc

Unit = Literal["count", "percent", "eur", "years", "per-km2", "ratio"]
Condition = Literal["good", "fair", "poor", "unknown"]
Status = Literal["planned", "in-progress", "done", "cancelled"]
ThemeKind = Literal["services", "infrastructure", "civic", "residents"]
Audience = Literal["young", "families", "seniors", "everyone"]
ReviewStatus = Literal["submitted", "under-review", "feasible", "not-feasible", "merged"]
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
        return self.value == WITHHELD


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
class Picture:
    """A photo or drawing, shown with its alt text and its credit."""

    file: str = doc("The picture file, relative to the area's folder, e.g. "
                    "'images/skeittiparkki.jpg': a JPEG, PNG or WebP.")
    alt: Text = doc("What the picture shows, for people who do not see it (alt text): in "
                    "every required language.")
    credit: str = doc("Who made the picture and under what licence, printed beside it, e.g. "
                      "'Matti Meikäläinen, CC BY 4.0'.")
    loc: Loc | None = None


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
    image: Picture | None = doc("A picture of the area: at the top of its page, on posters, "
                                "flyers and social images.", default=None)
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
class Review:
    """The city's feasibility review of a proposal before the vote."""

    status: ReviewStatus = doc("submitted, under-review, feasible, not-feasible or merged "
                               "(merged with another proposal). Only feasible proposals (and "
                               "those without a review) go to the ballot.")
    service_area: Text | None = doc("The service area that reviewed it, e.g. "
                                    "'Kaupunkiympäristön palvelualue'.", default=None)
    reason: Text | None = doc("Why it is not feasible or what it was merged with, in words "
                              "residents understand (required for not-feasible and merged).",
                              default=None)
    merged_into: Slug | None = doc("Id of the proposal it was merged into (status merged).",
                                   default=None)
    loc: Loc | None = None


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
    start: dt.date | None = doc("Implementation starts (the platform's result start_date).",
                                default=None)
    end: dt.date | None = doc("Implementation ends (the platform's result end_date).",
                              default=None)
    platform_id: str | None = doc("Id on the participation platform (set by the importer).",
                                  default=None)
    updates: tuple[Update, ...] = doc("Dated implementation updates.", default=())
    url: Url | None = doc("The proposal's page on the participation platform.", default=None)
    review: Review | None = doc("The city's feasibility review; without it the proposal counts "
                                "as feasible (it is on the ballot).", default=None)
    audience: tuple[Audience, ...] = doc("Who the proposal is especially for: young, families, "
                                         "seniors or everyone.", default=())
    image: Picture | None = doc("A picture of the proposal, on its card.", default=None)
    loc: Loc | None = None

    @property
    def on_ballot(self) -> bool:
        """Whether it goes to the ballot: the review found it feasible, or there is none."""
        return self.review is None or self.review.status == "feasible"


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
    start: dt.date | None = doc("Implementation starts (the platform's result start_date).",
                                default=None)
    end: dt.date | None = doc("Implementation ends (the platform's result end_date).",
                              default=None)
    updates: tuple[Update, ...] = doc("Dated implementation updates, newest last.", default=())
    url: Url | None = doc("Replaces the imported address.", default=None)
    review: Review | None = doc("Replaces the imported review (status, service area, reason).",
                                default=None)
    audience: tuple[Audience, ...] = doc("Who the proposal is especially for (replaces the "
                                         "imported marks when given).", default=())
    image: Picture | None = doc("A picture of the proposal, on its card.", default=None)
    loc: Loc | None = None


@dataclass(frozen=True, slots=True)
class Turnout:
    """How many took part."""

    voters: int | None = doc("People who voted in all, online and on paper (leave it out when "
                             "online and paper are given: it is their sum).", default=None)
    online: int | None = doc("People who voted online (the platform's count of voters).",
                             default=None)
    paper: int | None = doc("Paper ballots returned, all places together (else the tally "
                            "sheet's 'ballots returned' counts).", default=None)
    eligible: int | None = doc("Residents who could vote, where known.", default=None)
    loc: Loc | None = None


@dataclass(frozen=True, slots=True)
class RoundLinks:
    """The round's pages on the participation platform: the pages link straight to them."""

    proposals: Url | None = doc("Where residents leave an idea (the platform's proposal form); "
                                "the ideas phase's button leads here.", default=None)
    vote: Url | None = doc("Where residents vote online; the voting phase's button leads here.",
                           default=None)
    results: Url | None = doc("The results on the platform, if it publishes them.",
                              default=None)


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
    links: RoundLinks | None = doc("The round's pages on the participation platform (proposal "
                                   "form, voting); without them the area's participation link "
                                   "is used.", default=None)
    overrides: tuple[ProposalOverride, ...] = doc(
        "Hand changes to proposals imported into budget.decidim.yaml, by id (they win over "
        "the import).", default=())
    loc: Loc | None = None

    @property
    def year(self) -> int:
        """The round's year: the year its vote starts (its first phase's without a vote).

        It is the round's address among the area's years (``budget/2023/``) and the name of
        its folder once it is archived (``archive/2023/``)."""
        voting = [ph.start for ph in self.phases if ph.kind == "voting"]
        firsts = voting or [ph.start for ph in self.phases]
        return min(firsts).year if firsts else 0


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


#: The columns of the paper-vote tally sheet (written by the print stage, read back by
#: ``lahio import tally``).
TALLY_COLUMNS = ("id", "title", "cost", "paper_votes")


@dataclass(frozen=True, slots=True)
class BallotCount:
    """Paper ballots returned at one place (each is one person who voted on paper)."""

    place: str = doc("Where the ballots were returned, as written on the tally sheet.")
    ballots: int = doc("Ballots returned there (0 or more).")
    loc: Loc | None = None


@dataclass(frozen=True, slots=True)
class TallyFile:
    """``areas/<slug>/budget.tally.yaml``: written by ``lahio import tally``; not edited.

    A paper count written by hand in budget.yaml (``votes.paper``) wins over this file.
    """

    source: str = doc("Name of the imported tally sheet.")
    counts: tuple[PaperCount, ...] = doc("Paper votes per proposal.", default=())
    ballots: tuple[BallotCount, ...] = doc("Paper ballots returned, per place.", default=())


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
    audience: tuple[Audience, ...] = doc("Who the event is especially for: young, families, "
                                         "seniors or everyone (leave out for everyone).",
                                         default=())
    image: Picture | None = doc("A picture of the event, on its card.", default=None)
    loc: Loc | None = None


@dataclass(frozen=True, slots=True)
class EventsFile:
    """``areas/<slug>/events.yaml``."""

    events: tuple[Event, ...] = doc("The area's events.")


@dataclass(frozen=True, slots=True)
class PaavoFile:
    """``areas/<slug>/paavo.yaml``: figures written by ``lahio import paavo`` (do not edit).

    The loader adds these indicators to the area's own. An indicator with the same ``id`` in
    ``area.yaml`` wins, so a hand-corrected figure is never overwritten by a re-import.
    """

    source_file: str = doc("The Paavo file the figures were imported from.")
    indicators: tuple[Indicator, ...] = doc("Figures computed from the Paavo file.")


Statement = Text
"""One statement of the participation indicator, in the official wording."""

ParticipationPhase = Literal["before", "after"]


@dataclass(frozen=True, slots=True)
class SurveyRound:
    """Aggregated answers of one group to the participation survey at one time."""

    date: dt.date = doc("When the answers were collected (the last day), e.g. 2024-03-31.")
    phase: ParticipationPhase = doc("before (the baseline) or after (the follow-up).")
    answers: int = doc("How many people answered. Results are shown only when this is at least "
                       "min_answers.")
    means: tuple[float, ...] = doc("Mean agreement per statement, 1 (strongly disagree) to "
                                   "5 (strongly agree), in the order of the statements.")
    group: Text | None = doc("Who answered, when results are given per group (e.g. 'Nuoret "
                             "15–29 v.'); leave out for all respondents.", default=None)
    loc: Loc | None = None


@dataclass(frozen=True, slots=True)
class ParticipationFile:
    """``areas/<slug>/participation.yaml``: THL's participation indicator (osallisuusindikaattori).

    The ten statements are copied from THL's official wording, per language: the indicator is
    validated only in that wording, so they may not be shortened or rephrased.
    """

    statements: tuple[Statement, ...] = doc("THL's ten statements, word for word, in THL's "
                                            "order (fi required; other languages only from "
                                            "THL's official translations).")
    source: Text = doc("Where the wording comes from, e.g. 'THL, osallisuusindikaattori'.")
    rounds: tuple[SurveyRound, ...] = doc("Aggregated results, before and after.", default=())
    min_answers: int = doc("Groups with fewer answers than this are not shown (privacy, and "
                           "the indicator describes groups, not individuals).", default=10)
    loc: Loc | None = None


# --- Area development: phases, decisions, what residents said, evaluation (``process.yaml``) --

DevelopmentKind = Literal["preparation", "situation-picture", "strategic-workshops", "outreach",
                          "bundles", "bundle-workshops", "implementation", "evaluation"]
DecisionKind = Literal["area-chosen", "themes-approved", "bundle-funded", "results-confirmed"]
OutcomeKind = Literal["theme", "bundle", "proposal", "considered", "not-possible"]
HeardKind = Literal["workshop", "outreach"]


@dataclass(frozen=True, slots=True)
class DevelopmentPhase:
    """A phase of the area-development model."""

    kind: DevelopmentKind = doc("preparation, situation-picture, strategic-workshops, outreach, "
                                "bundles, bundle-workshops, implementation or evaluation.")
    start: dt.date = doc("First day.")
    end: dt.date = doc("Last day (not before start).")
    status: Status | None = doc("planned, in-progress, done or cancelled, when it differs from "
                                "what the dates say (e.g. a phase running late); leave out "
                                "otherwise.", default=None)
    what: Text | None = doc("What happens in this phase, in a sentence or two.", default=None)
    how: Text | None = doc("How residents can take part in it.", default=None)
    loc: Loc | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    """A decision of a city body about the area."""

    date: dt.date = doc("Date of the meeting, e.g. 2023-01-23.")
    kind: DecisionKind = doc("area-chosen, themes-approved, bundle-funded or results-confirmed.")
    body: Text = doc("Who decided, e.g. 'Kaupunginhallitus'.")
    section: str | None = doc("Section of the minutes, e.g. '§ 12'.", default=None)
    minutes: Url | None = doc("Link to the minutes.", default=None)
    summary: Text | None = doc("What was decided, in a sentence.", default=None)
    project: Slug | None = doc("Id of the project bundle (kind bundle-funded).", default=None)
    loc: Loc | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    """One thing residents said and what became of it."""

    point: Text = doc("What residents said, in a line.")
    outcome: OutcomeKind = doc("theme, bundle, proposal, considered (still being looked at) or "
                               "not-possible.")
    ref: Slug | None = doc("Id of the theme, project bundle or proposal it became.",
                           default=None)
    reason: Text | None = doc("Why it is not possible (required for not-possible) or what "
                              "happens next.", default=None)
    loc: Loc | None = None


@dataclass(frozen=True, slots=True)
class Heard:
    """What we heard in one workshop or outreach round."""

    id: Slug = doc("Identifier (stable: used in addresses).")
    kind: HeardKind = doc("workshop or outreach.")
    date: dt.date = doc("When (the last day of the round).")
    title: Text = doc("E.g. 'Strateginen työpaja 1'.")
    participants: int = doc("How many people took part.")
    place: Text = doc("Where, e.g. 'Neulamäen koulu' or 'Ostoskeskuksen piha'.")
    partners: tuple[Text, ...] = doc("Partner organisations, one per item.", default=())
    event: Slug | None = doc("Id of the event in events.yaml, when it was one.", default=None)
    points: tuple[Outcome, ...] = doc("The main points and what became of each.", default=())
    loc: Loc | None = None


@dataclass(frozen=True, slots=True)
class AgeBand:
    """Turnout of one age band (the platform's export has no ages: counted by hand)."""

    ages: str = doc("The band, e.g. '12-17' or '65-'.")
    voters: int = doc("Voters in the band.")
    residents: int | None = doc("Residents in the band, for the share.", default=None)
    loc: Loc | None = None


@dataclass(frozen=True, slots=True)
class Evaluation:
    """The evaluation at the end of the pilot year."""

    year: int = doc("The year evaluated.")
    start_year: int = doc("The year of the starting figures (usually the year before the "
                          "area was chosen).")
    indicators: tuple[Slug, ...] = doc("Ids of the indicators compared at the start and at the "
                                       "end (from area.yaml or paavo.yaml).", default=())
    summary: Text | None = doc("The evaluation's conclusion in a few sentences.", default=None)
    short_link_visits: int | None = doc("Visits through printed QR codes and short links "
                                        "(from `lahio channels`).", default=None)
    turnout_by_age: tuple[AgeBand, ...] = doc("Voters by age band, when counted.", default=())
    turnout_source: Text | None = doc("Where the age figures come from (required with "
                                      "turnout_by_age).", default=None)
    loc: Loc | None = None


@dataclass(frozen=True, slots=True)
class ProcessFile:
    """``areas/<slug>/process.yaml``: the area-development model of one programme year."""

    year: int = doc("The programme year these phases belong to (an earlier year's file is kept "
                    "as `archive/<year>/process.yaml`, under this year).")
    phases: tuple[DevelopmentPhase, ...] = doc("The development phases with dates, in order.",
                                               default=())
    decisions: tuple[Decision, ...] = doc("Decisions about the area, oldest first.", default=())
    heard: tuple[Heard, ...] = doc("What we heard in workshops and outreach, oldest first.",
                                   default=())
    evaluation: Evaluation | None = doc("The evaluation at the end of the year.", default=None)
    loc: Loc | None = None


@dataclass(frozen=True, slots=True)
class AreaData:
    """Everything known about one area, validated and cross-checked."""

    slug: str
    area: Area
    themes: tuple[Theme, ...]
    projects: tuple[Project, ...]
    round: Round | None
    events: tuple[Event, ...]
    participation: ParticipationFile | None = None
    process: ProcessFile | None = None
    #: Rounds of earlier years (``archive/<year>/budget*.yaml``), newest first.
    past_rounds: tuple[Round, ...] = ()
    #: Development years before the current one (``archive/<year>/process.yaml``), newest
    #: first.
    past_processes: tuple[ProcessFile, ...] = ()
    #: The pictures the area's files name, measured (each file once).
    pictures: tuple[PictureFile, ...] = ()

    def theme(self, theme_id: str) -> Theme | None:
        return next((t for t in self.themes if t.id == theme_id), None)

    def picture(self, file: str) -> PictureFile | None:
        """The measured picture file ``file`` (as the data writes it), if it was found."""
        return next((p for p in self.pictures if p.file == file), None)


@dataclass(frozen=True, slots=True)
class Page:
    """A general page from ``content/<lang>/<name>.md``."""

    name: str
    lang: str
    title: str
    markdown: str
    file: str


class Areas(Sequence[AreaData]):
    """The areas of a programme, in order; those loaded from the cache stay pickled until used.

    A rebuild after one area changed needs the data of that area only (every other area's
    pages come from the cache too), so the others are not unpickled unless a stage asks.
    """

    __slots__ = ("_items", "slugs")

    def __init__(self, items: Iterable[tuple[str, AreaData | bytes]]) -> None:
        pairs = list(items)
        self.slugs: tuple[str, ...] = tuple(slug for slug, _ in pairs)
        self._items: list[AreaData | bytes] = [item for _, item in pairs]

    def _get(self, i: int) -> AreaData:
        item = self._items[i]
        if isinstance(item, bytes):
            item = self._items[i] = pickle.loads(item)  # noqa: S301 - the build's own cache
        return item

    @overload
    def __getitem__(self, i: int) -> AreaData: ...
    @overload
    def __getitem__(self, i: slice) -> tuple[AreaData, ...]: ...

    def __getitem__(self, i: int | slice) -> AreaData | tuple[AreaData, ...]:
        if isinstance(i, slice):
            return tuple(self._get(j) for j in range(len(self._items))[i])
        return self._get(range(len(self._items))[i])

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[AreaData]:
        return (self._get(i) for i in range(len(self._items)))

    def __repr__(self) -> str:
        return f"Areas({', '.join(self.slugs)})"


@dataclass(frozen=True, slots=True)
class Programme:
    """The whole validated input of one build."""

    areas: Sequence[AreaData]
    pages: tuple[Page, ...]
    selection: SelectionData | None = None
    #: A hash of each area's input files, by slug: what cached results of the area are keyed by.
    sources: tuple[tuple[str, str], ...] = ()

    @property
    def slugs(self) -> tuple[str, ...]:
        """Every area's slug, in order (without unpickling a cached area)."""
        if isinstance(self.areas, Areas):
            return self.areas.slugs
        return tuple(a.slug for a in self.areas)

    def area(self, slug: str) -> AreaData | None:
        try:
            return self.areas[self.slugs.index(slug)]
        except ValueError:
            return None


#: The files of an area folder and the model each holds. ``area.yaml`` is required.
AREA_FILES: dict[str, type] = {
    "area.yaml": Area,
    "themes.yaml": ThemesFile,
    "projects.yaml": ProjectsFile,
    "budget.yaml": BudgetFile,
    "budget.decidim.yaml": ImportedBudgetFile,
    "budget.tally.yaml": TallyFile,
    "events.yaml": EventsFile,
    "paavo.yaml": PaavoFile,
    "participation.yaml": ParticipationFile,
    "process.yaml": ProcessFile,
}


# --- Area selection (``selection.yaml`` and the Paavo table ``data/paavo.yaml``) -------------

Direction = Literal["higher-is-more-need", "lower-is-more-need"]


@dataclass(frozen=True, slots=True)
class Criterion:
    """One indicator of the selection score."""

    id: Slug = doc("Id of a figure in the Paavo table (data/paavo.yaml), e.g. 'mediaanitulo'.")
    weight: float = doc("How much the indicator counts (any positive number; weights are "
                        "divided by their sum).")
    direction: Direction = doc("higher-is-more-need or lower-is-more-need.")
    loc: Loc | None = None


@dataclass(frozen=True, slots=True)
class SelectionConfig:
    """``selection.yaml``: how candidate areas are ranked by need."""

    criteria: tuple[Criterion, ...] = doc("The indicators, their weights and directions.")
    data: str = doc("The Paavo table written by lahio import paavo.", default="data/paavo.yaml")
    method: Literal["min-max"] = doc("min-max: each indicator is scaled to 0–1 over the "
                                    "candidates (1 = most need).", default="min-max")
    areas_per_year: int = doc("How many areas the programme takes a year (highlighted).",
                              default=2)
    investments: str | None = doc(
        "A file of the investment programme's key measures per postal area (e.g. "
        "data/investments.yaml), shown beside the score.", default=None)
    investment_weight: float = doc(
        "How much the planned investments count in the score: 0 (the default) shows them "
        "beside the score only; a positive weight adds each area's planned euros as an "
        "indicator (more investment = more points).", default=0)
    loc: Loc | None = None


@dataclass(frozen=True, slots=True)
class Investment:
    """A key measure of the city's investment programme in one postal area."""

    postal_code: str = doc("Postal code of the area it is in, e.g. '70460'.")
    title: Text = doc("What is built or renovated.")
    amount: Euros = doc("Planned cost in whole euros.")
    year: int = doc("Year it is planned for (its start).")
    service_area: Text = doc("The service area that carries it out, e.g. the city "
                             "environment service area.")
    loc: Loc | None = None


@dataclass(frozen=True, slots=True)
class InvestmentsFile:
    """``data/investments.yaml``: the investment programme's key measures by postal area,
    written by hand (or by a script from the programme's spreadsheet)."""

    source: Text = doc("Where the figures come from, e.g. 'Investointiohjelma 2026–2030, "
                       "kaupunginvaltuusto 9.12.2025'.")
    investments: tuple[Investment, ...] = doc("The key measures.", default=())


@dataclass(frozen=True, slots=True)
class FigureInfo:
    """What a figure of the Paavo table is."""

    id: Slug = doc("Identifier (the same as the area indicators').")
    label: Text = doc("What the figure is.")
    unit: Unit = doc("count, percent, eur, years, per-km2 or ratio.")
    year: int = doc("Reference year.")
    derived: bool = doc("True when computed from other Paavo variables.", default=False)
    note: Text | None = doc("How it was computed.", default=None)


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure of one postal area."""

    id: Slug = doc("Id of the figure.")
    value: Measure = doc("The value; -1 when Paavo withheld it.")


@dataclass(frozen=True, slots=True)
class Variable:
    """A Paavo variable as read from the file."""

    name: str = doc("Paavo's attribute name, e.g. 'he_vakiy'.")
    value: Measure = doc("The value; -1 when Paavo withheld it.")


@dataclass(frozen=True, slots=True)
class GroupYear:
    """The reference year of a group of Paavo variables."""

    group: Literal["population", "employment", "income", "households"] = doc("Variable group.")
    year: int = doc("Reference year.")


@dataclass(frozen=True, slots=True)
class PostalArea:
    """A postal-code area of the Paavo table."""

    code: str = doc("Postal code, e.g. '70150'.")
    name: str = doc("Paavo's name of the area (statistical, not always the district's).")
    figures: tuple[Figure, ...] = doc("The area's figures, computed from the variables.")
    variables: tuple[Variable, ...] = doc("The Paavo variables as read.", default=())
    loc: Loc | None = None


@dataclass(frozen=True, slots=True)
class PaavoTable:
    """``data/paavo.yaml``: every postal area of the imported Paavo file (machine-written)."""

    source_file: str = doc("The Paavo file imported.")
    source: Text = doc("Credit, e.g. 'Tilastokeskus, Paavo'.")
    licence: str = doc("Licence of the data.")
    years: tuple[GroupYear, ...] = doc("Reference year of each variable group.")
    figures: tuple[FigureInfo, ...] = doc("What each figure is.")
    postal_areas: tuple[PostalArea, ...] = doc("The postal areas.")
    city_values: tuple[Figure, ...] = doc("Comparison figures given at import (--city).",
                                          default=())


@dataclass(frozen=True, slots=True)
class SelectionData:
    """``selection.yaml`` with the Paavo table it ranks, validated together."""

    config: SelectionConfig
    table: PaavoTable
    investments: InvestmentsFile | None = None


#: Files of the whole project (not of one area) that the data-format guide and the JSON
#: Schemas describe, by their usual path.
PROJECT_FILES: dict[str, type] = {
    "selection.yaml": SelectionConfig,
    "data/investments.yaml": InvestmentsFile,
}
