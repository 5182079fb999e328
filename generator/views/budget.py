"""Participatory-budgeting results for the views (the rules live in :mod:`generator.data.rules`,
where validation checks a recorded selection against them)."""

from __future__ import annotations

from ..data.rules import (Outcome, has_results, has_selection, line_after, rank_proposals,
                          rule_disagreement, select, total_votes, votes_known)

__all__ = ["Outcome", "has_results", "has_selection", "line_after", "rank_proposals",
           "rule_disagreement", "select", "total_votes", "votes_known"]
