"""Participatory-budgeting results: which proposals are funded under the round's rule.

Rules (``Round.rule``):

* ``greedy`` — in vote order, fund each proposal that still fits in the remaining budget
  (Barcelona, Helsinki OmaStadi).
* ``stop-at-first-miss`` — in vote order, fund proposals until the first that does not fit.
* ``official`` — the selection recorded by the platform (``selected: true``).

Ties (equal total votes) are ordered by lower cost first, then by id, so the result never
depends on file order. A proposal whose votes are unknown counts as zero votes and is ranked
after every proposal with known votes; while any vote count is unknown, a rule that works
from votes has no results yet.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from .model import Proposal, Round


@dataclass(frozen=True, slots=True)
class Outcome:
    """One proposal's place in the results."""

    proposal: Proposal
    rank: int
    online: int | None
    paper: int | None
    total: int | None
    funded: bool
    #: Budget left after this row: lower than ``available`` when it was funded, the same when
    #: it was skipped (so every row shows where the money stands).
    remaining: int | None
    #: Why: ``funded``, ``too-expensive`` (did not fit in what was left: skipped), ``stopped``
    #: (below the first proposal that did not fit), ``no-votes`` (votes unknown: never funded)
    #: or ``not-selected`` (rule ``official``: the city did not select it).
    reason: str = "funded"
    available: int = 0  # budget left when its turn came


def total_votes(p: Proposal) -> int | None:
    if p.votes is None or (p.votes.online is None and p.votes.paper is None):
        return None
    return (p.votes.online or 0) + (p.votes.paper or 0)


def rank_proposals(rnd: Round) -> list[Proposal]:
    """Proposals in result order: most votes first; ties by lower cost, then id."""
    def key(p: Proposal) -> tuple[int, int, int, str]:
        t = total_votes(p)
        return (1 if t is None else 0, -(t or 0), p.cost, p.id)

    return sorted(rnd.proposals, key=key)


def select(rnd: Round, rule: str | None = None) -> list[Outcome]:
    """Apply ``rule`` (default: the round's own) and return every proposal's outcome."""
    rule = rule or rnd.rule
    remaining: int = rnd.budget
    stopped = False
    out: list[Outcome] = []
    for rank, p in enumerate(rank_proposals(rnd), 1):
        known = total_votes(p) is not None
        available = remaining
        if rule == "official":
            funded = bool(p.selected)
            reason = "funded" if funded else "not-selected"
        elif not known:
            funded, reason = False, "no-votes"
            stopped = True
        elif rule == "stop-at-first-miss" and stopped:
            funded, reason = False, "stopped"
        elif p.cost > remaining:
            funded, reason = False, "too-expensive"
            stopped = True
        else:
            funded, reason = True, "funded"
        if funded:
            remaining -= p.cost
        out.append(Outcome(p, rank, p.votes.online if p.votes else None,
                           p.votes.paper if p.votes else None, total_votes(p), funded,
                           remaining, reason, available))
    return out


def line_after(outcomes: list[Outcome]) -> int | None:
    """Where a funding line is true: below index n (-1: above the first), or None.

    A line says "everything above is funded, nothing below is". It is drawn only where that
    holds: under ``stop-at-first-miss`` always; under ``greedy`` or ``official`` only when the
    funded proposals happen to be the top ones in vote order.
    """
    funded = [o.funded for o in outcomes]
    n = sum(funded)
    if funded == [True] * n + [False] * (len(funded) - n):
        return n - 1
    return None


def votes_known(rnd: Round) -> bool:
    """True when every proposal's vote count is known (the platform hides them until the end)."""
    return bool(rnd.proposals) and all(total_votes(p) is not None for p in rnd.proposals)


def has_selection(rnd: Round) -> bool:
    """True when the platform (or a hand edit) recorded which proposals were selected."""
    return any(p.selected is not None for p in rnd.proposals)


def has_results(rnd: Round) -> bool:
    """True once the results are known: the official selection, or every proposal's votes.

    While any vote count is unknown (hidden on the platform, or not yet counted), a rule that
    works from votes cannot say who is funded, so nobody is called unfunded.
    """
    if rnd.rule == "official":
        return has_selection(rnd)
    return votes_known(rnd)


def rule_disagreement(rnd: Round) -> tuple[list[str], list[str]] | None:
    """When the round's rule and a recorded selection disagree: (funded, selected) ids.

    A round with ``selected`` values and a rule other than ``official`` must give the same
    proposals; otherwise the products would show a result the city did not decide.
    """
    # Only the proposals on the ballot are ranked (ideas the review left out are not).
    if not all(p.on_ballot for p in rnd.proposals):
        rnd = dataclasses.replace(rnd, proposals=tuple(p for p in rnd.proposals if p.on_ballot))
    if rnd.rule == "official" or not has_selection(rnd) or not votes_known(rnd):
        return None
    funded = [str(o.proposal.id) for o in select(rnd) if o.funded]
    selected = [str(p.id) for p in rank_proposals(rnd) if p.selected]
    if set(funded) == set(selected):
        return None
    return funded, selected
