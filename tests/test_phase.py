"""Which phase is now (views/phase.py): the answer every page, poster and message shares."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from generator.views.phase import phase_state, round_now, voting_ahead

D = dt.date


@dataclass(frozen=True)
class Ph:
    kind: str
    start: dt.date
    end: dt.date


# Männistö's round in the sample: a gap between co-creation and voting, and between voting
# and the results day.
ROUND = (Ph("ideas", D(2026, 9, 1), D(2026, 10, 15)),
         Ph("co-creation", D(2026, 10, 16), D(2026, 12, 15)),
         Ph("voting", D(2027, 1, 12), D(2027, 1, 31)),
         Ph("results", D(2027, 2, 5), D(2027, 2, 5)),
         Ph("implementation", D(2027, 3, 1), D(2027, 12, 31)))


def test_a_phase_is_current_on_its_first_and_last_day() -> None:
    assert phase_state(D(2027, 1, 12), D(2027, 1, 31), D(2027, 1, 12)) == "current"
    assert phase_state(D(2027, 1, 12), D(2027, 1, 31), D(2027, 1, 31)) == "current"
    assert phase_state(D(2027, 1, 12), D(2027, 1, 31), D(2027, 2, 1)) == "past"
    assert phase_state(D(2027, 1, 12), D(2027, 1, 31), D(2027, 1, 11)) == "upcoming"


@pytest.mark.parametrize(("today", "state", "task"), [
    (D(2026, 8, 1), "before", "propose"),          # ideas not open yet: where to send them
    (D(2026, 9, 1), "during", "propose"),
    (D(2026, 11, 28), "during", "proposals"),     # co-creation
    (D(2026, 12, 20), "between", "vote"),         # the vote ahead decides
    (D(2027, 1, 12), "during", "vote"),
    (D(2027, 1, 31), "during", "vote"),
    (D(2027, 2, 2), "between", "results"),        # voting over, results day ahead
    (D(2027, 2, 5), "during", "results"),
    (D(2027, 2, 20), "between", "results"),       # implementation not started: results
    (D(2027, 6, 1), "during", "follow"),
    (D(2028, 1, 1), "after", "follow"),
])
def test_round_now_names_the_phase_and_the_task(today, state, task) -> None:
    now = round_now(ROUND, today)
    assert (now.state, now.task) == (state, task)


def test_round_now_points_at_the_current_previous_and_next_phase() -> None:
    now = round_now(ROUND, D(2026, 12, 20))
    assert now.current is None
    assert ROUND[now.previous].kind == "co-creation"
    assert ROUND[now.next].kind == "voting"
    during = round_now(ROUND, D(2027, 1, 20))
    assert ROUND[during.current].kind == "voting" and ROUND[during.next].kind == "results"


def test_a_round_without_implementation_ends_with_its_results() -> None:
    assert round_now(ROUND[:4], D(2028, 1, 1)).task == "results"


def test_voting_is_ahead_until_its_last_day() -> None:
    assert voting_ahead(ROUND, D(2026, 9, 1)) == 2
    assert voting_ahead(ROUND, D(2027, 1, 31)) == 2
    assert voting_ahead(ROUND, D(2027, 2, 1)) is None
    assert voting_ahead(ROUND[:2], D(2026, 9, 1)) is None
