"""``build_area_view``: one area in one language, ready for any channel."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from markupsafe import Markup

from ..data.config import Config
from ..data.model import (AreaData, Event, Indicator, ParticipationFile, Picture, Project,
                          Round, Update)
from ..data.schema import WITHHELD
from ..data.picture import PRINT_MAX, WEB_MAX, copy_name, fit_within
from ..i18n import Localized, Translator
from ..templating import one_full_stop
from . import budget as budget_rules
from .phase import RoundNow, phase_state, round_now, voting_ahead
from .charts import PALETTE, Bar, Divider, Group, render_bar_chart
from .text import Rich, plain, rich
from . import urls
from .urls import area_path
from .process import ProcessView, audience_labels, ballot_round, build_process_view


@dataclass(frozen=True, slots=True)
class PictureView:
    """A picture as every channel shows it: the web copy's address and size, the alt text and
    the credit; print and social images make their own copy from ``source``.

    Attributes:
        src: the web copy, relative to the site root (``media/neulamaki/….jpg``).
        width: the web copy's width in pixels.
        height: the web copy's height in pixels.
        alt: what it shows, in the page's language (or Finnish, marked as a fallback).
        credit: who made it (printed beside it).
        source: the original file, relative to the project folder.
        print_name: the name of the larger copy for print and social images.
    """

    src: str
    width: int
    height: int
    alt: Localized
    credit: str
    source: str
    print_name: str


@dataclass(frozen=True, slots=True)
class IndicatorView:
    id: str
    label: Localized
    value: str | None  # None: withheld by the source ("no data")
    city_value: str | None
    raw: float | None
    raw_city: float | None
    unit: str
    year: int
    source: Localized
    licence: str | None
    derived: bool
    note: Localized | None
    history: tuple[tuple[int, str | None], ...]
    #: Inline SVG: this area beside the comparison figure (None without a comparison, and for
    #: counts, whose comparison is a total and would dwarf the bar).
    chart: Markup | None = None
    #: Inline SVG of the earlier values and the current one (None without history).
    history_chart: Markup | None = None


@dataclass(frozen=True, slots=True)
class StatementResult:
    """One statement of the participation indicator with its mean per shown round."""

    text: Localized
    means: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SurveyRoundView:
    phase: str
    phase_label: str
    date: str
    iso: str
    group: Localized | None
    answers: str
    overall: str
    overall_raw: float


@dataclass(frozen=True, slots=True)
class ParticipationView:
    """THL's participation indicator: results of the groups with enough answers."""

    source: Localized
    min_answers: int
    rounds: tuple[SurveyRoundView, ...]       # shown (enough answers), oldest first
    statements: tuple[StatementResult, ...]
    hidden: int                               # rounds not shown: fewer than min_answers
    chart: Markup | None


@dataclass(frozen=True, slots=True)
class ServiceView:
    name: Localized
    condition: str
    condition_label: str
    action: Localized | None
    year: int | None


@dataclass(frozen=True, slots=True)
class ContactView:
    name: str
    role: Localized
    email: str | None
    phone: str | None


@dataclass(frozen=True, slots=True)
class UpdateView:
    date: str
    iso: str
    text: Rich


@dataclass(frozen=True, slots=True)
class ProjectView:
    id: str
    title: Localized
    theme_id: str
    theme_title: Localized | None
    status: str
    status_label: str
    schedule: str
    cost: str | None
    progress: int | None
    service_area: Localized
    summary: Rich
    updates: tuple[UpdateView, ...]


@dataclass(frozen=True, slots=True)
class ThemeView:
    id: str
    title: Localized
    kind: str
    kind_label: str
    summary: Rich
    goals: tuple[Localized, ...]
    indicators: tuple[Localized, ...]
    residents_said: Rich | None
    projects: tuple[ProjectView, ...]
    #: The figures the theme answers, with their values (linked to the situation picture).
    figures: tuple[IndicatorView, ...] = ()


@dataclass(frozen=True, slots=True)
class PhaseView:
    kind: str
    label: str
    dates: str
    start: dt.date
    end: dt.date
    state: str  # past, current, upcoming


@dataclass(frozen=True, slots=True)
class NowView:
    """What the round asks of a resident today (see views.phase): one sentence and one action.

    The action leads to ``action_url`` (the participation platform) when set, else to
    ``action_anchor`` on the area's budget page.
    """

    state: str            # before, during, between, after (views.phase.RoundState)
    task: str             # propose, proposals, vote, results, follow (views.phase.Task)
    headline: str
    action_label: str
    action_url: str | None
    action_anchor: str
    next_phase: PhaseView | None
    past: bool            # the round is over: the pages speak of it in the past tense


@dataclass(frozen=True, slots=True)
class ProposalView:
    id: str
    rank: int
    title: Localized
    summary: Rich | None
    place: Localized | None
    cost: str
    cost_raw: int
    online: str
    paper: str
    total: str
    total_raw: int | None
    share: str
    share_raw: float
    funded: bool
    remaining: str             # budget left after this row (funded or skipped); "" before results
    status: str | None
    status_label: str | None
    progress: int | None
    updates: tuple[UpdateView, ...]
    #: Why funded or not (see views.budget.Outcome.reason) and that reason in words.
    reason: str = "funded"
    reason_label: str = ""
    above_line: bool = False   # ranked above the funding line (funded, or skipped under greedy)
    votes_known: bool = False
    url: str | None = None     # the proposal on the participation platform
    audience: tuple[str, ...] = ()         # audience codes, e.g. ("young",)
    audience_labels: tuple[str, ...] = ()  # the same in words
    theme: Localized | None = None  # the title of the development theme it belongs to
    schedule: str | None = None  # implementation timeline ("1.8.2025–31.5.2026")
    theme_id: str | None = None     # the development theme the proposal belongs to
    theme_title: Localized | None = None
    #: Set when the schedule has ended but the status still says in progress: the sentence
    #: that says so with the date of the last update (or that there is none).
    stale: str = ""
    picture: PictureView | None = None


@dataclass(frozen=True, slots=True)
class RoundView:
    id: str
    title: Localized
    budget: str
    budget_raw: int
    rule: str
    rule_explained: str
    ties_explained: str
    phases: tuple[PhaseView, ...]
    current_phase: PhaseView | None
    voting: PhaseView | None
    has_results: bool
    proposals: tuple[ProposalView, ...]
    funded_total: str
    left_over: str
    voters: str | None
    eligible: str | None
    turnout_share: str | None
    max_choices: int | None
    how_to_vote: Rich | None
    ballot_return: Localized | None
    now: NowView
    #: The voting phase while it is current or still to come (None once it is over): the
    #: pages, posters and messages invite to vote only then.
    vote_ahead: PhaseView | None
    #: Index in ``proposals`` below which a funding line is drawn (-1: above the first), or
    #: None where no single line is true (greedy skipped a proposal, or the city's selection
    #: is not the top of the vote order). Only meaningful when ``has_results``.
    line_after: int | None = None
    line_label: str = ""        # the line's text cue, e.g. "Funding line: …"
    chart: Markup | None = None  # inline SVG bar chart of the votes (None before results)
    has_paper: bool = False     # any paper votes recorded
    total_votes: str = ""
    funded_count: int = 0
    #: Funded proposals in rank order, with status/progress/updates (implementation tracking).
    funded: tuple[ProposalView, ...] = ()
    #: Until every vote is known (hidden on the platform, or not yet counted): the sentence
    #: that says so, shown instead of results ("" once results are known).
    not_published: str = ""
    online_voters: str | None = None  # people who voted online
    paper_voters: str | None = None   # paper ballots returned
    turnout_text: str = ""            # "689 people voted: 650 online and 39 on paper."


@dataclass(frozen=True, slots=True)
class EventView:
    id: str
    title: Localized
    kind: str
    kind_label: str
    when: str
    start: dt.datetime
    end: dt.datetime
    place: Localized
    address: str | None
    accessibility: Localized | None
    languages: tuple[tuple[str, str, str], ...]  # (code, name in itself, html lang)
    summary: Rich | None
    registration: str | None
    upcoming: bool
    audience: tuple[str, ...] = ()
    audience_labels: tuple[str, ...] = ()
    picture: PictureView | None = None


@dataclass(frozen=True, slots=True)
class NavItem:
    label: str
    path: str


@dataclass(frozen=True, slots=True)
class AreaView:
    slug: str
    lang: str
    name: Localized
    summary: Rich
    example: bool
    year: int
    postal_codes: tuple[str, ...]
    indicators: tuple[IndicatorView, ...]
    services: tuple[ServiceView, ...]
    contacts: tuple[ContactView, ...]
    feedback_url: str
    participation_url: str | None
    survey_url: str | None
    themes: tuple[ThemeView, ...]
    projects: tuple[ProjectView, ...]
    round: RoundView | None
    events: tuple[EventView, ...]
    upcoming_events: tuple[EventView, ...]
    nav: tuple[NavItem, ...]
    participation: ParticipationView | None = None
    #: The area-development model (process.yaml) and the proposals the review left out.
    process: ProcessView | None = None
    #: The newest date in the area's data on or before the build date (an update, a phase
    #: start, an event): "last updated" without the build's clock, so builds stay identical.
    updated: str | None = None
    updated_iso: str | None = None
    #: Which postal area the figures describe ("Figures of postal area 70820."): a Paavo area
    #: is statistical and may be larger than the neighbourhood ("" without figures).
    figures_area: str = ""
    #: The area's picture (area.yaml ``image``), or None.
    picture: PictureView | None = None
    #: Every year of the area's budgeting, newest first: the current round's and those of the
    #: archive (``budget/<year>/``). Empty without a round.
    years: tuple[RoundYear, ...] = ()
    #: The archived rounds' views, by year (their pages: ``budget/<year>/``).
    past_rounds: tuple[tuple[int, RoundView], ...] = ()
    #: Every development year, newest first: the current ``process.yaml`` and those of the
    #: archive (``evaluation/<year>/``). Empty without ``process.yaml`` and archive.
    development_years: tuple[DevelopmentYear, ...] = ()
    #: The archived development years' views, by year (their pages: ``evaluation/<year>/``).
    past_processes: tuple[tuple[int, ProcessView], ...] = ()

    def pictures(self) -> tuple[PictureView, ...]:
        """Every picture the area's pages show: the area's, its events' and proposals' (those
        of archived years too)."""
        found = [self.picture, *(e.picture for e in self.events)]
        for rnd in (self.round, *(view for _year, view in self.past_rounds)):
            if rnd is not None:
                found += [p.picture for p in rnd.proposals]
        return tuple(p for p in found if p is not None)


@dataclass(frozen=True, slots=True)
class RoundYear:
    """One year of an area's participatory budgeting, for the list of years."""

    year: int
    title: Localized
    #: The year's page under the language root (``neulamaki/budget/2023/``).
    path: str
    current: bool


@dataclass(frozen=True, slots=True)
class DevelopmentYear:
    """One year of an area's development (``process.yaml``), for the list of years."""

    year: int
    #: The year its evaluation sums up (None before the evaluation is written).
    evaluation_year: int | None
    #: The year's page under the language root: ``neulamaki/evaluation/2023/``, or the area
    #: page (``anchor`` ``development``) for the current year before its evaluation.
    path: str
    anchor: str
    current: bool
    #: Its page's heading: "Evaluation 2025", or "Area development 2023" without one.
    title: str = ""


def development_year_path(slug: str, year: int) -> str:
    """The address of a development year, ``neulamaki/evaluation/2023/``: its evaluation
    and, once archived, its phases and what we heard; it never changes."""
    return area_path(slug, f"evaluation/{year}")


def development_years(data: AreaData, tr: Translator) -> tuple[DevelopmentYear, ...]:
    """The area's development years, newest first (see :attr:`AreaView.development_years`)."""
    _ = tr.gettext
    years = []
    for proc in ((data.process,) if data.process else ()) + data.past_processes:
        ev = proc.evaluation
        current = proc is data.process
        title = (_("Evaluation %(year)s") % {"year": ev.year} if ev
                 else _("Area development %(year)s") % {"year": proc.year})
        # The current year without an evaluation has no page of its own yet: its phases are
        # on the area page.
        own = ev is not None or not current
        years.append(DevelopmentYear(
            proc.year, ev.year if ev else None,
            development_year_path(data.slug, proc.year) if own else area_path(data.slug),
            "" if own else "development", current, title))
    return tuple(years)


def round_year_path(slug: str, year: int) -> str:
    """The address of a year's round, ``neulamaki/budget/2023/``: it never changes, also
    when a later year's round takes the unversioned address ``neulamaki/budget/``."""
    return area_path(slug, f"budget/{year}")


def last_updated(data: AreaData, today: dt.date) -> dt.date | None:
    """The newest dated item of ``data`` that is not in the future (None without any)."""
    dates = [u.date for p in data.projects for u in p.updates]
    if data.round:
        dates += [ph.start for ph in data.round.phases]
        dates += [u.date for p in data.round.proposals for u in p.updates]
    dates += [e.end.date() for e in data.events]
    past = [d for d in dates if d <= today]
    return max(past) if past else None


def build_picture_view(tr: Translator, picture: Picture | None,
                       data: AreaData) -> PictureView | None:
    """``picture`` of ``data`` in ``tr``'s language (None without one)."""
    if picture is None:
        return None
    found = data.picture(picture.file)
    if found is None:  # not measured: the data was not validated (never in a build)
        return None
    width, height = fit_within(found.width, found.height, WEB_MAX)
    return PictureView(
        src=urls.picture_path(data.slug, copy_name(found, WEB_MAX)), width=width,
        height=height, alt=plain(tr, picture.alt), credit=picture.credit,  # type: ignore[arg-type]
        source=f"areas/{data.slug}/{found.file}", print_name=copy_name(found, PRINT_MAX))


def status_labels(tr: Translator) -> dict[str, str]:
    _ = tr.gettext
    return {"planned": _("Planned"), "in-progress": _("In progress"), "done": _("Done"),
            "cancelled": _("Cancelled")}


def phase_labels(tr: Translator) -> dict[str, str]:
    _ = tr.gettext
    return {"ideas": _("Ideas"), "co-creation": _("Co-creation"), "voting": _("Voting"),
            "results": _("Results"), "implementation": _("Implementation")}


def event_kind_labels(tr: Translator) -> dict[str, str]:
    _ = tr.gettext
    return {"workshop": _("Workshop"), "outreach": _("Outreach"), "vote": _("Voting"),
            "info": _("Information event"), "other": _("Event")}


def format_measure(tr: Translator, value: float | None, unit: str) -> str | None:
    """A figure formatted for ``unit``; None when withheld (-1) or missing."""
    if value is None or value == -1:
        return None
    if unit == "percent":
        return tr.percent(value)
    if unit == "eur":
        return tr.money(value)
    if unit == "years":
        return tr.plural("{n} year", "{n} years", int(value)) if float(value).is_integer() \
            else tr.number(value)
    return tr.number(value)


def indicator_charts(tr: Translator, ind: Indicator) -> tuple[Markup | None, Markup | None]:
    """The comparison chart and the history chart of an indicator (either may be None).

    Withheld values get no bar and the text "no data", never a number.
    """
    _ = tr.gettext
    rtl = tr.language.dir == "rtl"
    label = plain(tr, ind.label).text  # type: ignore[union-attr]
    no_data = _("no data")
    desc = _("The same figures are in the table of the situation picture below.")
    comparison = None
    if ind.city_value is not None and ind.city_value != WITHHELD and ind.unit != "count":
        area_text = format_measure(tr, ind.value, ind.unit)
        bars = [Bar(_("This area"), None if ind.protected else ind.value, area_text or no_data),
                Bar(_("Comparison"), ind.city_value,
                    format_measure(tr, ind.city_value, ind.unit) or no_data, group="city")]
        comparison = render_bar_chart(
            bars, title=f"{label}: {_('this area and the comparison')}", desc=desc,
            id_prefix=f"chart-{ind.id}", groups=(Group(""), Group("city", PALETTE[1], True)),
            rtl=rtl)
    history = None
    if ind.history:
        points = [*((p.year, p.value) for p in ind.history), (ind.year, ind.value)]
        bars = [Bar(str(year), None if value == WITHHELD else value,
                    format_measure(tr, value, ind.unit) or no_data) for year, value in points]
        history = render_bar_chart(
            bars, title=f"{label}: {_('change over the years')}", desc=desc,
            id_prefix=f"history-{ind.id}", rtl=rtl)
    return comparison, history


def build_indicator_view(tr: Translator, ind: Indicator) -> IndicatorView:
    chart, history_chart = indicator_charts(tr, ind)
    return IndicatorView(
        id=ind.id, label=plain(tr, ind.label), value=format_measure(tr, ind.value, ind.unit),  # type: ignore[arg-type]
        city_value=format_measure(tr, ind.city_value, ind.unit),
        raw=None if ind.protected else ind.value,
        raw_city=None if ind.city_value in (None, WITHHELD) else ind.city_value,
        unit=ind.unit, year=ind.year, source=plain(tr, ind.source),  # type: ignore[arg-type]
        licence=ind.licence, derived=ind.derived, note=plain(tr, ind.note),
        history=tuple((p.year, format_measure(tr, p.value, ind.unit)) for p in ind.history),
        chart=chart, history_chart=history_chart,
    )


def build_participation_view(tr: Translator, part: ParticipationFile) -> ParticipationView:
    """Results per statement and overall for the rounds with at least ``min_answers`` answers.

    Rounds with fewer answers are counted but never shown: the indicator describes groups, and
    a small group's means could point at individuals.
    """
    _ = tr.gettext
    phases = {"before": _("Before"), "after": _("After")}
    shown = [r for r in sorted(part.rounds, key=lambda r: (r.date, r.phase))
             if r.answers >= part.min_answers]
    rounds = []
    for r in shown:
        overall = sum(r.means) / len(r.means) if r.means else 0.0
        rounds.append(SurveyRoundView(
            r.phase, phases[r.phase], tr.date(r.date), r.date.isoformat(), plain(tr, r.group),
            tr.number(r.answers), tr.number(overall, 2), overall))
    statements = tuple(
        StatementResult(plain(tr, text), tuple(tr.number(r.means[k], 2) for r in shown))  # type: ignore[arg-type]
        for k, text in enumerate(part.statements))
    chart = None
    if rounds:
        bars = [Bar(" · ".join(x for x in (rv.phase_label, rv.group.text if rv.group else "",
                                           rv.date) if x),
                    rv.overall_raw, rv.overall, group=rv.phase) for rv in rounds]
        chart = render_bar_chart(
            bars, title=_("Participation indicator: mean of the ten statements (1–5)"),
            desc=_("The same figures are in the table below."), id_prefix="chart-participation",
            groups=(Group("before", PALETTE[1], True), Group("after", PALETTE[0])),
            rtl=tr.language.dir == "rtl", max_value=5)
    return ParticipationView(plain(tr, part.source), part.min_answers, tuple(rounds),  # type: ignore[arg-type]
                             statements, len(part.rounds) - len(shown), chart)


def _updates(tr: Translator, updates: tuple[Update, ...]) -> tuple[UpdateView, ...]:
    return tuple(UpdateView(tr.date(u.date), u.date.isoformat(), rich(tr, u.text, True))  # type: ignore[arg-type]
                 for u in updates)


def build_project_view(tr: Translator, p: Project, data: AreaData) -> ProjectView:
    theme = data.theme(p.theme)
    return ProjectView(
        id=p.id, title=plain(tr, p.title), theme_id=p.theme,  # type: ignore[arg-type]
        theme_title=plain(tr, theme.title) if theme else None,
        status=p.status, status_label=status_labels(tr)[p.status],
        schedule=tr.date_range(p.start, p.end),
        cost=tr.money(p.cost) if p.cost is not None else None, progress=p.progress,
        service_area=plain(tr, p.service_area), summary=rich(tr, p.summary),  # type: ignore[arg-type]
        updates=_updates(tr, p.updates),
    )


def rule_explanation(tr: Translator, rule: str) -> str:
    _ = tr.gettext
    return {
        "greedy": _("Proposals are funded in order of votes. A proposal that no longer fits "
                    "in the remaining budget is skipped, and the next one that fits is funded."),
        "stop-at-first-miss": _("Proposals are funded in order of votes until the first one "
                                "that does not fit in the remaining budget. The rest are not "
                                "funded."),
        "official": _("The funded proposals are the ones the participation platform "
                      "recorded as selected."),
    }[rule]


def reason_labels(tr: Translator) -> dict[str, str]:
    """Why a proposal was or was not funded, in words (the table's text cue)."""
    _ = tr.gettext
    return {"funded": _("Funded"),
            "too-expensive": _("Skipped: did not fit in the money left"),
            "stopped": _("Not funded: below the first proposal that did not fit"),
            "no-votes": _("Votes not known"),
            "not-selected": _("Not selected by the city")}


def outcome_label(tr: Translator, o: budget_rules.Outcome) -> str:
    """One proposal's outcome in words, with the amounts that decided it.

    "Skipped: 26 000 € did not fit the remaining 21 500 €" says why a proposal above others
    that were funded is not funded itself; every product shows this same sentence.
    """
    _ = tr.gettext
    if o.reason == "too-expensive":
        return _("Skipped: %(cost)s did not fit the remaining %(left)s") % {
            "cost": tr.money(o.proposal.cost), "left": tr.money(o.available)}
    return reason_labels(tr)[o.reason]


def stale_note(tr: Translator, status: str | None, end: dt.date | None, updates: tuple,  # type: ignore[type-arg]
               today: dt.date) -> str:
    """"Still in progress, though the schedule ended on …; last update …", or ""."""
    if status != "in-progress" or end is None or end >= today:
        return ""
    _ = tr.gettext
    last = max((u.date for u in updates), default=None)
    if last is None:
        return _("The schedule ended on %(end)s and the status still says in progress; no "
                 "update has been published.") % {"end": tr.date(end)}
    return one_full_stop(_("The schedule ended on %(end)s and the status still says in "
                           "progress; last update %(last)s.")
                         % {"end": tr.date(end), "last": tr.date(last)})


def turnout_sentence(tr: Translator, voters: int | None, online: int | None,
                     paper: int | None) -> str:
    """How many voted, and how: "689 people voted: 650 online and 39 on paper." """
    if voters is None:
        return ""
    total = tr.plural("{n} person voted.", "{n} people voted.", voters)
    if paper is None:
        return total
    _ = tr.gettext
    if online is None:
        return total + " " + tr.plural("{n} of them voted on paper.",
                                       "{n} of them voted on paper.", paper)
    return total + " " + _("Online: %(online)s. On paper: %(paper)s.") % {
        "online": tr.number(online), "paper": tr.number(paper)}


def build_round_chart(tr: Translator, rv: RoundView, rtl: bool) -> Markup:
    """The votes per proposal as an SVG bar chart; the results table is its text version."""
    _ = tr.gettext
    # The bar's note is the table's outcome, short: a skipped proposal is "skipped", so the
    # chart never contradicts the row ("did not fit the remaining …").
    notes = {"funded": _("funded"), "too-expensive": _("skipped")}
    bars = [Bar(f"{p.rank}. {p.title.text}", p.total_raw, p.total if p.votes_known else _(
                "votes not known"), "funded" if p.funded else "other",
                notes.get(p.reason) or _("not funded"))
            for p in rv.proposals]
    divider = (Divider(rv.line_after, rv.line_label)
               if rv.proposals and rv.line_after is not None else None)
    return render_bar_chart(
        bars, title=_("Votes per proposal"),
        desc=_("Bars show the total votes of each proposal in order of votes. Funded "
               "proposals have solid bars, the others striped bars. The same figures are in "
               "the results table."),
        id_prefix=f"chart-{rv.id}", rtl=rtl,
        groups=(Group("funded", PALETTE[0]), Group("other", "#595959", hatched=True)),
        divider=divider)


def build_now_view(tr: Translator, rnd: Round, phases: tuple[PhaseView, ...], now: RoundNow,
                   funded: int, participation_url: str | None) -> NowView:
    """The sentence and the one action for where the round is (``now``, from views.phase)."""
    _ = tr.gettext
    links = rnd.links
    current = phases[now.current] if now.current is not None else None
    upcoming = phases[now.next] if now.next is not None else None
    ends = tr.date(current.end) if current else ""
    starts = tr.date(upcoming.start) if upcoming else ""
    url: str | None = None
    anchor = "#results"
    if now.task == "propose":
        label = _("Send your idea")
        url = (links.proposals if links else None) or participation_url
        anchor = ""
        headline = (_("Now: send your idea for how to use %(amount)s, by %(date)s.")
                    % {"amount": tr.money(rnd.budget), "date": ends} if current else
                    _("Ideas can be sent from %(date)s.") % {"date": starts})
    elif now.task == "vote" and current:
        label = _("Vote now")
        url = (links.vote if links else None) or participation_url
        headline = _("Now: voting on how to use %(amount)s, until %(date)s.") % {
            "amount": tr.money(rnd.budget), "date": ends}
    elif now.task in ("vote", "proposals"):
        label = _("See the proposals")
        if upcoming and upcoming.kind == "voting":
            headline = _("Voting opens on %(date)s.") % {"date": starts}
        elif current:
            headline = _("Now: the ideas are shaped into proposals, until %(date)s.") % {
                "date": ends}
        else:
            headline = _("The ideas have been shaped into proposals.")
    elif now.task == "results" and upcoming and upcoming.kind == "results" and \
            not budget_rules.has_results(rnd):
        label = _("See the proposals")
        headline = _("Voting has ended. The results are published on %(date)s.") % {
            "date": starts}
    elif now.task == "follow" and now.state == "during":
        label = _("Follow the work")
        anchor = "#implementation" if funded else "#results"
        headline = _("Now: the funded proposals are carried out, until %(date)s.") % {
            "date": ends}
    else:
        label = _("See the results")
        if now.state == "after":
            year = phases[-1].end.year if phases else rnd.phases[-1].end.year
            headline = tr.ngettext("This round ended in %(year)s. %(num)s proposal was funded.",
                                   "This round ended in %(year)s. %(num)s proposals were funded.",
                                   funded) % {"year": year, "num": tr.number(funded)}
        else:
            headline = tr.ngettext("The results are out: %(num)s proposal was funded.",
                                   "The results are out: %(num)s proposals were funded.",
                                   funded) % {"num": tr.number(funded)}
    return NowView(now.state, now.task, one_full_stop(headline), label, url, anchor, upcoming,
                   now.state == "after")


def build_round_view(tr: Translator, rnd: Round, today: dt.date,
                     participation_url: str | None = None,
                     themes: dict[str, Localized] | None = None,
                     data: AreaData | None = None) -> RoundView:
    _ = tr.gettext
    labels = phase_labels(tr)
    phases = tuple(PhaseView(ph.kind, labels[ph.kind], tr.date_range(ph.start, ph.end),
                             ph.start, ph.end, phase_state(ph.start, ph.end, today))
                   for ph in rnd.phases)
    outcomes = budget_rules.select(rnd)
    results = budget_rules.has_results(rnd)
    now = round_now(rnd.phases, today, results)
    current = phases[now.current] if now.current is not None else None
    voting = next((p for p in phases if p.kind == "voting"), None)
    ahead = voting_ahead(rnd.phases, today)
    all_votes = sum(o.total or 0 for o in outcomes)
    statuses = status_labels(tr)
    audiences = audience_labels(tr)
    line = budget_rules.line_after(outcomes) if results else None
    props = []
    for n, o in enumerate(outcomes):
        p = o.proposal
        share = (o.total or 0) / all_votes * 100 if all_votes else 0.0
        funded = o.funded and results
        # A funded proposal with no reported status is still to be done: planned.
        status = p.status or ("planned" if funded else None)
        props.append(ProposalView(
            id=p.id, rank=o.rank, title=plain(tr, p.title), summary=rich(tr, p.summary),  # type: ignore[arg-type]
            place=plain(tr, p.place), cost=tr.money(p.cost), cost_raw=p.cost,
            online="–" if o.online is None else tr.number(o.online),
            paper="–" if o.paper is None else tr.number(o.paper),
            total="–" if o.total is None else tr.number(o.total), total_raw=o.total,
            share=tr.percent(share) if o.total is not None else "–", share_raw=share,
            funded=funded,
            remaining=tr.money(o.remaining) if o.remaining is not None and results else "",
            status=status, status_label=statuses[status] if status else None,
            progress=p.progress, updates=_updates(tr, p.updates),
            reason=o.reason if results else "",
            reason_label=outcome_label(tr, o) if results else "",
            above_line=results and line is not None and n <= line,
            votes_known=o.total is not None,
            schedule=tr.date_range(p.start, p.end) if p.start and p.end else None,
            stale=stale_note(tr, p.status, p.end, p.updates, today),
            theme_id=p.theme, theme_title=(themes or {}).get(p.theme) if p.theme else None,
            url=p.url, audience=p.audience,
            audience_labels=tuple(audiences[a] for a in p.audience),
            theme=(themes or {}).get(p.theme) if p.theme else None,
            picture=build_picture_view(tr, p.image, data) if data is not None else None,
        ))
    funded_total = sum(o.proposal.cost for o in outcomes if o.funded) if results else 0
    t = rnd.turnout
    not_published = ""
    if rnd.proposals and any(o.total is None for o in outcomes) and (
            voting is None or voting.state == "past"):
        not_published = _("Results not published yet: the votes are not known. No proposal "
                          "has been turned down.")
    line_label = _("Funding line: %(used)s of %(budget)s used, %(left)s left. Proposals below "
                   "the line are not funded.") % {
        "used": tr.money(funded_total), "budget": tr.money(rnd.budget),
        "left": tr.money(rnd.budget - funded_total)}
    view = RoundView(
        id=rnd.id, title=plain(tr, rnd.title), budget=tr.money(rnd.budget),  # type: ignore[arg-type]
        budget_raw=rnd.budget, rule=rnd.rule, rule_explained=rule_explanation(tr, rnd.rule),
        ties_explained=_("When two proposals have the same number of votes, the cheaper one "
                         "comes first. Proposals without a known vote count come last."),
        phases=phases, current_phase=current, voting=voting, has_results=results,
        now=build_now_view(tr, rnd, phases, now, sum(1 for p in props if p.funded),
                           participation_url),
        vote_ahead=phases[ahead] if ahead is not None else None,
        proposals=tuple(props), funded_total=tr.money(funded_total),
        left_over=tr.money(rnd.budget - funded_total),
        voters=tr.number(t.voters) if t and t.voters is not None else None,
        eligible=tr.number(t.eligible) if t and t.eligible is not None else None,
        turnout_share=tr.percent(t.voters / t.eligible * 100)
        if t and t.voters is not None and t.eligible else None,
        max_choices=rnd.max_choices, how_to_vote=rich(tr, rnd.how_to_vote),
        ballot_return=plain(tr, rnd.ballot_return),
        line_after=line, line_label=line_label if results and line is not None else "",
        has_paper=any(o.paper is not None for o in outcomes),
        total_votes=tr.number(all_votes), funded_count=sum(1 for p in props if p.funded),
        funded=tuple(p for p in props if p.funded),
        not_published="" if results else not_published,
        online_voters=tr.number(t.online) if t and t.online is not None else None,
        paper_voters=tr.number(t.paper) if t and t.paper is not None else None,
        turnout_text=turnout_sentence(tr, t.voters, t.online, t.paper) if t else "",
    )
    if results:
        view = dataclasses.replace(
            view, chart=build_round_chart(tr, view, tr.language.dir == "rtl"))
    return view


def build_event_view(tr: Translator, e: Event, config: Config, today: dt.date,
                     data: AreaData | None = None) -> EventView:
    langs = []
    for code in e.languages:
        lang = config.language(code) if code in config.codes else None
        if lang:
            langs.append((code, lang.name, lang.html_lang))
    return EventView(
        id=e.id, title=plain(tr, e.title), kind=e.kind,  # type: ignore[arg-type]
        kind_label=event_kind_labels(tr)[e.kind], when=tr.time_range(e.start, e.end),
        start=e.start, end=e.end, place=plain(tr, e.place.name),  # type: ignore[arg-type]
        address=e.place.address, accessibility=plain(tr, e.accessibility),
        languages=tuple(langs), summary=rich(tr, e.summary), registration=e.registration,
        upcoming=e.end.date() >= today, audience=e.audience,
        audience_labels=tuple(audience_labels(tr)[a] for a in e.audience),
        picture=build_picture_view(tr, e.image, data) if data is not None else None,
    )


def build_area_view(data: AreaData, tr: Translator, config: Config,
                    today: dt.date) -> AreaView:
    """Everything about ``data`` in ``tr``'s language, formatted and resolved."""
    a = data.area
    projects = tuple(build_project_view(tr, p, data) for p in data.projects)
    ind_views = {i.id: build_indicator_view(tr, i) for i in a.indicators}
    ind_labels = {i: v.label for i, v in ind_views.items()}
    themes = tuple(
        ThemeView(
            id=t.id, title=plain(tr, t.title), kind=t.kind,  # type: ignore[arg-type]
            kind_label=theme_kind_label(tr, t.kind), summary=rich(tr, t.summary),  # type: ignore[arg-type]
            goals=tuple(plain(tr, g) for g in t.goals),  # type: ignore[misc]
            indicators=tuple(ind_labels[i] for i in t.indicators if i in ind_labels),
            residents_said=rich(tr, t.residents_said),
            projects=tuple(p for p in projects if p.theme_id == t.id),
            figures=tuple(ind_views[i] for i in t.indicators if i in ind_views),
        )
        for t in data.themes
    )
    events = tuple(sorted((build_event_view(tr, e, config, today, data)
                           for e in data.events),
                          key=lambda e: (e.start, e.id)))
    nav = [NavItem(page.label(tr.gettext), area_path(data.slug, page.sub))
           for page in urls.AREA_PAGES if page.shown(data)]
    process = build_process_view(data, tr, today, format_measure)
    conditions = condition_labels(tr)
    updated = last_updated(data, today)
    return AreaView(
        slug=data.slug, lang=tr.code, name=plain(tr, a.name), summary=rich(tr, a.summary),  # type: ignore[arg-type]
        example=a.example or config.sample, year=a.year, postal_codes=a.postal_codes,
        figures_area=tr.ngettext("Figures of postal area {n}.", "Figures of postal areas {n} "
                                 "together.", len(a.postal_codes)).replace(
            "{n}", ", ".join(a.postal_codes)) if a.indicators and a.postal_codes else "",
        indicators=tuple(ind_views.values()),
        services=tuple(ServiceView(plain(tr, s.name), s.condition, conditions[s.condition],  # type: ignore[arg-type]
                                   plain(tr, s.action), s.year) for s in a.services),
        contacts=tuple(ContactView(c.name, plain(tr, c.role), c.email, c.phone)  # type: ignore[arg-type]
                       for c in a.contacts),
        feedback_url=a.links.feedback, participation_url=a.links.participation,
        survey_url=a.links.survey, themes=themes, projects=projects,
        round=build_round_view(tr, ballot_round(data.round), today, a.links.participation,
                               {th.id: th.title for th in themes}, data)
        if data.round else None,
        events=events, upcoming_events=tuple(e for e in events if e.upcoming),
        nav=tuple(nav),
        participation=build_participation_view(tr, data.participation)
        if data.participation else None,
        process=process,
        updated=tr.date(updated) if updated else None,
        updated_iso=updated.isoformat() if updated else None,
        years=tuple(RoundYear(r.year, plain(tr, r.title), round_year_path(data.slug, r.year),  # type: ignore[arg-type]
                              r is data.round)
                    for r in ((data.round,) if data.round else ()) + data.past_rounds),
        past_rounds=tuple(
            (r.year, build_round_view(tr, ballot_round(r), today, None,
                                      {th.id: th.title for th in themes}))
            for r in data.past_rounds),
        development_years=development_years(data, tr),
        past_processes=tuple((p.year, pv) for p in data.past_processes
                             if (pv := build_process_view(data, tr, today, format_measure, p))),
        picture=build_picture_view(tr, a.image, data),
    )



def theme_kind_label(tr: Translator, kind: str) -> str:
    _ = tr.gettext
    return {"services": _("Access to services"),
            "infrastructure": _("Infrastructure and its upkeep"),
            "civic": _("Civic activity and residents' ownership"),
            "residents": _("Raised by residents")}[kind]


def condition_labels(tr: Translator) -> dict[str, str]:
    _ = tr.gettext
    return {"good": _("Good condition"), "fair": _("Fair condition"),
            "poor": _("Poor condition"), "unknown": _("Condition not known")}
