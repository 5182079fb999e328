"""Which phase of a participatory-budgeting round is now, and what it asks of a resident.

The one place that decides it: the area and budget pages, the home page, print products and
every channel read the answer from the views (``RoundView.now``, ``PhaseView.state``), so a
poster, a newsletter and the web page never disagree about whether voting is on.

Days are whole: a phase is current from its first day to its last day inclusive. Between two
phases (e.g. co-creation has ended and voting starts next week) no phase is current; the round
is then ``between`` and the next phase decides the task.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

PhaseState = Literal["past", "current", "upcoming"]
#: Where the round is: before its first phase, inside a phase, between two, or after the last.
RoundState = Literal["before", "during", "between", "after"]
#: What the round asks of a resident now (the one action the area and budget pages offer):
#: ``propose`` an idea, ``proposals``: see the proposals being shaped before voting, ``vote``,
#: ``results``: read them, ``follow``: follow the funded proposals being carried out.
Task = Literal["propose", "proposals", "vote", "results", "follow"]

#: The phases in the order a round goes through them.
PHASE_KINDS = ("ideas", "co-creation", "voting", "results", "implementation")


class Dated(Protocol):
    @property
    def kind(self) -> str: ...
    @property
    def start(self) -> dt.date: ...
    @property
    def end(self) -> dt.date: ...


def phase_state(start: dt.date, end: dt.date, today: dt.date) -> PhaseState:
    """``past`` after its last day, ``current`` from its first to its last day, else
    ``upcoming``."""
    if end < today:
        return "past"
    if start <= today:
        return "current"
    return "upcoming"


@dataclass(frozen=True, slots=True)
class RoundNow:
    """Where a round is on ``today``.

    ``current`` is the phase ``today`` falls in (``during``); ``previous`` the last phase that
    has ended; ``next`` the first that has not started.
    """

    state: RoundState
    task: Task
    current: int | None   # indices into the round's phases
    previous: int | None
    next: int | None


_TASK_OF_PHASE: dict[str, Task] = {"ideas": "propose", "co-creation": "proposals",
                                   "voting": "vote", "results": "results",
                                   "implementation": "follow"}


def round_now(phases: Sequence[Dated], today: dt.date, has_results: bool = False) -> RoundNow:
    """Which phase of ``phases`` (in date order) is now, and the task it calls for.

    Before the first phase the task is the first phase's; between phases it is the next
    phase's (a vote starting next week is what matters), except that once voting has ended the
    results come first. After the last phase: follow implementation when the round had one,
    else read the results. ``has_results`` (votes recorded) turns a round whose phases say
    nothing more into ``results``.
    """
    states = [phase_state(p.start, p.end, today) for p in phases]
    current = next((n for n, s in enumerate(states) if s == "current"), None)
    previous = max((n for n, s in enumerate(states) if s == "past"), default=None)
    upcoming = next((n for n, s in enumerate(states) if s == "upcoming"), None)
    kinds = [p.kind for p in phases]
    if current is not None:
        return RoundNow("during", _TASK_OF_PHASE[kinds[current]], current, previous, upcoming)
    if not phases:
        return RoundNow("before", "results" if has_results else "propose", None, None, None)
    if previous is None:
        return RoundNow("before", _TASK_OF_PHASE[kinds[0]], None, None, upcoming)
    voted = "voting" in kinds[: previous + 1] or has_results
    if upcoming is not None:
        task = _TASK_OF_PHASE[kinds[upcoming]]
        if voted and task not in ("results", "follow"):
            task = "results"
        elif task == "follow" and voted:
            task = "results"  # implementation about to start: the results say what comes
        return RoundNow("between", task, None, previous, upcoming)
    task = "follow" if "implementation" in kinds else ("results" if voted else "proposals")
    return RoundNow("after", task, None, previous, None)


def voting_ahead(phases: Sequence[Dated], today: dt.date) -> int | None:
    """Index of the voting phase while it is current or still to come, else None.

    Posters, ballots, newsletters and short messages invite to vote only then."""
    for n, p in enumerate(phases):
        if p.kind == "voting" and phase_state(p.start, p.end, today) != "past":
            return n
    return None
