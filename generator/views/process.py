"""The area-development model in one language: phases, decisions, what we heard, evaluation.

Built from ``process.yaml`` beside the budgeting round; the area page shows the phases as the
development stepper, the themes page shows what we heard, and the evaluation page (and its
A4 PDF) sums up a year.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from ..data.model import AreaData, Heard, ProcessFile, Proposal, Round
from ..i18n import Localized, Translator
from . import budget as budget_rules
from .phase import phase_state
from .text import plain


def development_state(start: dt.date, end: dt.date, today: dt.date) -> str:
    """``past``, ``current`` or ``upcoming``: the budgeting phases' rule (:func:`.phase.
    phase_state`), so both steppers agree on what is happening now."""
    return phase_state(start, end, today)


@dataclass(frozen=True, slots=True)
class DevelopmentPhaseView:
    kind: str
    label: str
    dates: str
    start: dt.date
    end: dt.date
    state: str                   # past, current, upcoming (from the dates)
    state_label: str             # what the reader is told: the status when given, else the dates'
    status: str | None
    what: Localized | None
    how: Localized | None


@dataclass(frozen=True, slots=True)
class DecisionView:
    date: str
    iso: str
    kind: str
    kind_label: str
    body: Localized
    section: str | None
    minutes: str | None
    summary: Localized | None
    project_id: str | None
    project_title: Localized | None


@dataclass(frozen=True, slots=True)
class PointView:
    point: Localized
    outcome: str
    outcome_label: str
    ref: str | None
    ref_title: Localized | None
    #: Page (docs-relative) and anchor of the theme, bundle or proposal it became.
    target: str | None
    anchor: str
    reason: Localized | None


@dataclass(frozen=True, slots=True)
class HeardView:
    id: str
    kind: str
    kind_label: str
    date: str
    iso: str
    title: Localized
    participants: str
    participants_raw: int
    place: Localized
    partners: tuple[Localized, ...]
    points: tuple[PointView, ...]


@dataclass(frozen=True, slots=True)
class ReviewView:
    """A proposal the review left off the ballot, and why."""

    id: str
    title: Localized
    status: str
    status_label: str
    service_area: Localized | None
    reason: Localized | None
    merged_into: str | None
    merged_title: Localized | None


@dataclass(frozen=True, slots=True)
class IndicatorChange:
    label: Localized
    start: str | None     # None: no figure for that year
    start_year: int
    end: str | None
    end_year: int | None


@dataclass(frozen=True, slots=True)
class Count:
    label: str
    value: str


@dataclass(frozen=True, slots=True)
class AgeBandView:
    ages: str
    voters: str
    residents: str | None
    share: str | None


@dataclass(frozen=True, slots=True)
class EvaluationView:
    year: int
    start_year: int
    summary: Localized | None
    indicators: tuple[IndicatorChange, ...]
    #: THL's participation indicator: (label, mean) per shown round, before then after.
    participation: tuple[Count, ...]
    participation_min: int | None
    channels: tuple[Count, ...]
    budget: tuple[Count, ...]
    age_bands: tuple[AgeBandView, ...]
    age_source: Localized | None


@dataclass(frozen=True, slots=True)
class ProcessView:
    year: int
    phases: tuple[DevelopmentPhaseView, ...]
    current: DevelopmentPhaseView | None
    decisions: tuple[DecisionView, ...]
    heard: tuple[HeardView, ...]
    left_out: tuple[ReviewView, ...]
    evaluation: EvaluationView | None


def development_labels(tr: Translator) -> dict[str, str]:
    _ = tr.gettext
    return {"preparation": _("Preparation"), "situation-picture": _("Situation picture told"),
            "strategic-workshops": _("Strategic workshops"), "outreach": _("Outreach"),
            "bundles": _("Project bundles"), "bundle-workshops": _("Bundle workshops"),
            "implementation": _("Implementation"), "evaluation": _("Evaluation")}


def decision_labels(tr: Translator) -> dict[str, str]:
    _ = tr.gettext
    return {"area-chosen": _("Area chosen"), "themes-approved": _("Themes approved"),
            "bundle-funded": _("Project bundle funded"),
            "results-confirmed": _("Results confirmed")}


def review_labels(tr: Translator) -> dict[str, str]:
    _ = tr.gettext
    return {"submitted": _("Submitted"), "under-review": _("Under review"),
            "feasible": _("Feasible"), "not-feasible": _("Not feasible"),
            "merged": _("Merged with another proposal")}


def audience_labels(tr: Translator) -> dict[str, str]:
    _ = tr.gettext
    return {"young": _("For young people"), "families": _("For families"),
            "seniors": _("For seniors"), "everyone": _("For everyone")}


def on_ballot(pr: Proposal) -> bool:
    """Whether a proposal goes to the ballot: it passed the review, or has none."""
    return pr.on_ballot


def ballot_round(rnd: Round) -> Round:
    """The round with only the proposals that go to the ballot (and so to the results)."""
    if all(on_ballot(pr) for pr in rnd.proposals):
        return rnd
    return dataclasses.replace(rnd, proposals=tuple(pr for pr in rnd.proposals if on_ballot(pr)))


def build_left_out(tr: Translator, rnd: Round) -> tuple[ReviewView, ...]:
    labels = review_labels(tr)
    titles = {pr.id: pr.title for pr in rnd.proposals}
    out = []
    for pr in rnd.proposals:
        rv = pr.review
        if rv is None or rv.status == "feasible":
            continue
        out.append(ReviewView(
            pr.id, plain(tr, pr.title), rv.status, labels[rv.status],  # type: ignore[arg-type]
            plain(tr, rv.service_area), plain(tr, rv.reason), rv.merged_into,
            plain(tr, titles.get(rv.merged_into)) if rv.merged_into else None))
    return tuple(out)


def _outcome_label(tr: Translator, outcome: str) -> str:
    _ = tr.gettext
    return {"theme": _("Became a development theme"), "bundle": _("Became a project bundle"),
            "proposal": _("Became a budgeting proposal"), "considered": _("Being considered"),
            "not-possible": _("Not possible")}[outcome]


#: How a figure is formatted for its unit (``views.area.format_measure``; passed in, so that
#: this module stays below the area view).
MeasureFormat = Callable[[Translator, "float | None", str], "str | None"]


def year_round(data: AreaData, year: int) -> Round | None:
    """The budgeting round of ``year`` (the current one or an archived one), if any."""
    return next((r for r in (*((data.round,) if data.round else ()), *data.past_rounds)
                 if r.year == year), None)


def _year_parts(data: AreaData, past: ProcessFile | None) -> tuple[ProcessFile | None,
                                                                   Round | None]:
    """A development year and the round it sums up: the current ``process.yaml`` with the
    current round, or an archived year (``past``) with the round of the same year."""
    if past is None:
        return data.process, data.round
    return past, year_round(data, past.year)


def build_process_view(data: AreaData, tr: Translator, today: dt.date,
                       measure: MeasureFormat,
                       past: ProcessFile | None = None) -> ProcessView | None:
    """The area's development model in ``tr``'s language (None without ``process.yaml``).

    ``measure`` formats the evaluation's figures (``views.area.format_measure``); ``past``:
    an archived development year (one of ``data.past_processes``) instead of the current one.
    """
    proc, rnd = _year_parts(data, past)
    left_out = build_left_out(tr, rnd) if rnd else ()
    if proc is None:
        if not left_out:
            return None
        return ProcessView(0, (), None, (), (), left_out, None)
    _ = tr.gettext
    labels = development_labels(tr)
    state_words = {"past": _("Done"), "current": _("Now"), "upcoming": _("Coming")}
    status_words = {"planned": _("Planned"), "in-progress": _("In progress"), "done": _("Done"),
                    "cancelled": _("Cancelled")}
    phases = []
    for ph in proc.phases:
        state = development_state(ph.start, ph.end, today)
        phases.append(DevelopmentPhaseView(
            ph.kind, labels[ph.kind], tr.date_range(ph.start, ph.end), ph.start, ph.end, state,
            status_words[ph.status] if ph.status else state_words[state], ph.status,
            plain(tr, ph.what), plain(tr, ph.how)))
    projects = {p.id: p for p in data.projects}
    dlabels = decision_labels(tr)
    decisions = tuple(DecisionView(
        tr.date(d.date), d.date.isoformat(), d.kind, dlabels[d.kind], plain(tr, d.body),  # type: ignore[arg-type]
        d.section, d.minutes, plain(tr, d.summary), d.project,
        plain(tr, projects[d.project].title) if d.project in projects else None)
        for d in proc.decisions)
    heard = tuple(_heard_view(tr, h, data) for h in proc.heard)
    view = ProcessView(proc.year, tuple(phases),
                       next((p for p in phases if p.state == "current"), None),
                       decisions, heard, left_out, None)
    if proc.evaluation is not None:
        view = dataclasses.replace(
            view, evaluation=build_evaluation_view(data, tr, view, measure, past))
    return view


def _heard_view(tr: Translator, h: Heard, data: AreaData) -> HeardView:
    _ = tr.gettext
    titles: dict[str, dict[str, object]] = {
        "theme": {t.id: t.title for t in data.themes},
        "bundle": {p.id: p.title for p in data.projects},
        "proposal": {p.id: p.title for r in (*((data.round,) if data.round else ()),
                                              *data.past_rounds) for p in r.proposals}}
    subs = {"theme": "themes", "bundle": "projects"}
    # A proposal's page: the current round's, or its archived year's (budget/2023/); the
    # newest year wins where an id was used twice.
    budget_pages: dict[str, str] = {p.id: f"budget/{r.year}"
                                    for r in reversed(data.past_rounds) for p in r.proposals}
    budget_pages.update({p.id: "budget" for p in (data.round.proposals if data.round else ())})
    anchors = {"theme": "", "bundle": "", "proposal": "p-"}
    points = []
    for pt in h.points:
        title = titles.get(pt.outcome, {}).get(pt.ref) if pt.ref else None
        sub = budget_pages.get(pt.ref or "") if pt.outcome == "proposal" else \
            subs.get(pt.outcome)
        target = f"{data.slug}/{sub}/" if title is not None else None
        anchor = f"{anchors.get(pt.outcome, '')}{pt.ref}" if title is not None else ""
        points.append(PointView(plain(tr, pt.point), pt.outcome,  # type: ignore[arg-type]
                                _outcome_label(tr, pt.outcome), pt.ref,
                                plain(tr, title), target, anchor,  # type: ignore[arg-type]
                                plain(tr, pt.reason)))
    kinds = {"workshop": _("Workshop"), "outreach": _("Outreach")}
    return HeardView(h.id, h.kind, kinds[h.kind], tr.date(h.date), h.date.isoformat(),
                     plain(tr, h.title), tr.number(h.participants), h.participants,  # type: ignore[arg-type]
                     plain(tr, h.place), tuple(plain(tr, p) for p in h.partners),  # type: ignore[arg-type, misc]
                     tuple(points))


def build_evaluation_view(data: AreaData, tr: Translator, process: ProcessView,
                          format_measure: MeasureFormat,
                          past: ProcessFile | None = None) -> EvaluationView | None:
    """One year summed up: figures at the start and the end, participation, money, decisions
    (``past``: an archived development year, with the round of its year)."""

    proc, rnd = _year_parts(data, past)
    if proc is None or proc.evaluation is None:
        return None
    ev = proc.evaluation
    _ = tr.gettext
    by_id = {i.id: i for i in data.area.indicators}
    changes = []
    for ind_id in ev.indicators:
        ind = by_id[ind_id]
        values = {p.year: p.value for p in ind.history}
        values[ind.year] = ind.value
        # The latest figure at or before the start, and the latest one after it (each with
        # its own year: the sources publish different variables for different years).
        before = [y for y in sorted(values) if y <= ev.start_year]
        later = [y for y in sorted(values) if ev.start_year < y <= ev.year]
        start_year = before[-1] if before else ev.start_year
        end_year = later[-1] if later else None
        changes.append(IndicatorChange(
            plain(tr, ind.label),  # type: ignore[arg-type]
            format_measure(tr, values[start_year], ind.unit) if before else None, start_year,
            format_measure(tr, values[end_year], ind.unit) if end_year else None, end_year))
    part: list[Count] = []
    part_min = None
    if data.participation is not None:
        pf = data.participation
        part_min = pf.min_answers
        phases = {"before": _("Before"), "after": _("After")}
        for r in sorted(pf.rounds, key=lambda r: (r.date, r.phase)):
            # A survey after the evaluated year belongs to a later year's evaluation.
            if r.answers >= pf.min_answers and r.means and r.date.year <= ev.year:
                part.append(Count(f"{phases[r.phase]} ({tr.date(r.date)})",
                                  tr.number(sum(r.means) / len(r.means), 2)))
    channels = [
        Count(_("Workshop participants"),
              tr.number(sum(h.participants_raw for h in process.heard if h.kind == "workshop"))),
        Count(_("People met in outreach"),
              tr.number(sum(h.participants_raw for h in process.heard if h.kind == "outreach")))]
    money: list[Count] = []
    if rnd is not None:
        ballot = ballot_round(rnd)
        # A channel whose counts are not known is left out, never shown as 0.
        for key, label in (("online", _("Votes online")), ("paper", _("Votes on paper"))):
            counts = [getattr(p.votes, key) for p in ballot.proposals if p.votes]
            if any(c is not None for c in counts):
                channels.append(Count(label, tr.number(sum(c or 0 for c in counts))))
        if rnd.turnout and rnd.turnout.voters is not None:
            channels.append(Count(_("Voters"), tr.number(rnd.turnout.voters)))
        if budget_rules.has_results(ballot):
            funded = [o.proposal for o in budget_rules.select(ballot) if o.funded]
            total = sum(p.cost for p in funded)
            money = [
                Count(_("Funded"), f"{tr.money(total)} ({tr.percent(total / rnd.budget * 100)})"),
                Count(_("Done"), tr.number(sum(1 for p in funded if p.status == "done"))),
                Count(_("In progress"),
                      tr.number(sum(1 for p in funded if p.status == "in-progress"))),
                Count(_("Planned"),
                      tr.number(sum(1 for p in funded if p.status in (None, "planned"))))]
    if ev.short_link_visits is not None:
        channels.append(Count(_("Visits through QR codes and short links"),
                              tr.number(ev.short_link_visits)))
    bands = tuple(AgeBandView(
        b.ages, tr.number(b.voters), tr.number(b.residents) if b.residents else None,
        tr.percent(b.voters / b.residents * 100) if b.residents else None)
        for b in ev.turnout_by_age)
    return EvaluationView(ev.year, ev.start_year, plain(tr, ev.summary), tuple(changes),
                          tuple(part), part_min, tuple(channels), tuple(money), bands,
                          plain(tr, ev.turnout_source))
