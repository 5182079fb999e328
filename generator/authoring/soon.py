"""``lahio check``: what is valid today but will read wrong soon.

The data can be valid and still tell residents something untrue: a vote that has ended
without results, a project past its end date still "in progress", a published site that still
lists an event that is over, a required language with gaps. Each is a warning (the check
still passes) located like a data problem, in the reader's language.

Whether every printed product fits on its page is not decided here (it takes the PDF engine):
``lahio check`` asks the build (:func:`generator.build.check_print`), which runs the print
stage's own plan. A product laid out before gives the warning recorded then, at no cost; the
others are laid out (seconds each) into the build cache, so the next ``lahio build`` links them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..data.config import Config
from ..messages import err, localize
from ..data.model import Programme
from ..errors import Problem
from ..i18n.report import build_translation_report, incomplete_required
from ..views.budget import has_results
from ..views.process import ballot_round


def _where(loc: object, file: str) -> tuple[str, int]:
    return (getattr(loc, "file", "") or file, getattr(loc, "line", 0) or 0)


def soon_problems(config: Config, programme: Programme, today: dt.date,
                  published: dt.date | None = None) -> list[str]:
    """The warnings of :mod:`this module <generator.authoring.soon>`, each ``file:line: key:
    what``, in the reader's language.

    Args:
        config: the project's configuration.
        programme: the validated data.
        today: the build date (``SOURCE_DATE_EPOCH`` or the local date).
        published: the date the live site (``site/``) was built, when there is one.
    """
    found: list[Problem] = []
    for data in programme.areas:
        rel = f"areas/{data.slug}"
        rnd = data.round
        # Only the ballot's proposals get votes (ideas the review left out have none).
        if rnd is not None and not has_results(ballot_round(rnd)):
            for n, ph in enumerate(rnd.phases):
                if ph.kind == "voting" and ph.end < today:
                    file, line = _where(ph.loc, f"{rel}/budget.yaml")
                    found.append(Problem(file, line, f"round.phases[{n}]", err(
                        "the vote ended on {end} but no votes are recorded, so the site shows "
                        "no results; import them (lahio import decidim, lahio import tally)",
                        end=ph.end.isoformat())))
        for n, p in enumerate(data.projects):
            if p.status == "in-progress" and p.end < today:
                file, line = _where(p.loc, f"{rel}/projects.yaml")
                found.append(Problem(file, line, f"projects[{n}].status", err(
                    "still 'in-progress' although its end date {end} has passed; write "
                    "status: done, or a later end date", end=p.end.isoformat())))
        for n, e in enumerate(data.events):
            end = e.end.date()
            if published is not None and published <= end < today:
                file, line = _where(e.loc, f"{rel}/events.yaml")
                found.append(Problem(file, line, f"events[{n}]", err(
                    "ended on {end}, but the published site (built on {built}) still lists "
                    "it as upcoming; run lahio build", end=end.isoformat(),
                    built=published.isoformat())))
    lines = [p.localized() for p in sorted(found)]
    reports = build_translation_report(config, programme)
    # A required language is set in mkdocs.yml (``required: true``).
    lines += [f"mkdocs.yml: {localize(problem)}" for problem in incomplete_required(reports)]
    return lines


def published_date(site: Path) -> dt.date | None:
    """The local date of the last build of ``site`` (its language chooser is written by every
    build); None when there is no site yet."""
    try:
        return dt.date.fromtimestamp((site / "index.html").stat().st_mtime)
    except OSError:
        return None
