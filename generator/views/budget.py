"""Participatory-budgeting results: which proposals are funded under the round's rule.

Rules (``Round.rule``):

* ``greedy`` — in vote order, fund each proposal that still fits in the remaining budget
  (Barcelona, Helsinki OmaStadi).
* ``stop-at-first-miss`` — in vote order, fund proposals until the first that does not fit.
* ``official`` — the selection recorded by the platform (``selected: true``).

Ties (equal total votes) are ordered by lower cost first, then by id, so the result never
depends on file order. A proposal whose votes are unknown counts as zero votes and is ranked
after every proposal with known votes.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..data.model import Proposal, Round


@dataclass(frozen=True, slots=True)
class Outcome:
    """One proposal's place in the results."""

    proposal: Proposal
    rank: int
    online: int | None
    paper: int | None
    total: int | None
    funded: bool
    remaining: int | None  # budget left after funding it (None when not funded)
    #: Why: ``funded``, ``too-expensive`` (did not fit in what was left), ``stopped`` (after the
    #: first proposal that did not fit), ``no-votes`` (votes unknown: never funded) or
    #: ``not-selected`` (rule ``official``).
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
                           remaining if funded else None, reason, available))
    return out


def line_after(outcomes: list[Outcome]) -> int:
    """Index of the last funded outcome: the funding line is drawn below it (-1: none funded).

    Everything below the line is not funded. Under ``greedy`` a proposal above the line may
    still be unfunded (it did not fit and a cheaper one after it did); its ``reason`` says so.
    """
    return max((n for n, o in enumerate(outcomes) if o.funded), default=-1)


def has_results(rnd: Round) -> bool:
    """True once any votes are recorded (or, for ``official``, any selection)."""
    if rnd.rule == "official":
        return any(p.selected is not None for p in rnd.proposals)
    return any(total_votes(p) is not None for p in rnd.proposals)
