"""Cross-checks of ``process.yaml`` (area development) and of proposal reviews.

Called by the loader once every file of an area has parsed; each problem is reported where it
is written, with the ids that would have been accepted.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..errors import Problem
from ..messages import err
from .model import Proposal, ProcessFile, Review


def check_process(process: ProcessFile, *, themes: set[str] | None,
                  projects: set[str] | None, proposals: set[str] | None,
                  events: set[str] | None, indicators: set[str],
                  problems: list[Problem]) -> None:
    """Dates in order, known ids and the reasons residents need, for one ``process.yaml``.

    An id set is None when its file failed to parse: references to it are not checked then
    (that file's own problems are reported instead).
    """
    from .load import _WHAT, _at, _ref, _unique  # the loader's message helpers (same wording)

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
    targets = {"theme": (themes, "theme", "themes.yaml"),
               "bundle": (projects, "project", "projects.yaml"),
               "proposal": (proposals, "proposal", "budget.yaml")}
    for h in process.heard:
        if h.participants < 0:
            problems.append(_at(h.loc, "participants", err("expected 0 or more people")))
        if h.event is not None and events is not None and h.event not in events:
            problems.append(_ref(h.loc, "event", "event", h.event, events, "events.yaml"))
        for k, pt in enumerate(h.points):
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


def check_reviews(items: Iterable[Proposal | Any], known: set[str],
                  problems: list[Problem]) -> None:
    """Every review that leaves a proposal out says why, and merges name a known proposal."""
    from .load import _at, _ref

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
