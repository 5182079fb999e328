"""The paper-vote tally sheet: ``print/<area>/<lang>/tally.csv`` beside the posters.

It lists every proposal — id, title in that language, cost — with an empty ``paper_votes``
column for the people who count the ballots, then a ``ballots`` row (ballots returned at the
return place), for spreadsheet programs as they are set up in
Finland: ``;`` between columns and UTF-8 with a byte order mark. A title a spreadsheet would
run as a formula gets a leading apostrophe. ``lahio import tally`` reads the filled-in sheet
back (``generator/importers/tally.py``).
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from .. import outputs
from ..data.model import TALLY_COLUMNS, Round
from ..i18n import Translator
from ..textfiles import guard_formula

if TYPE_CHECKING:
    from ..context import BuildContext

#: The ``id`` of the row that counts the ballots returned at one place (not a proposal); the
#: same as ``generator.importers.tally.BALLOTS``, which reads it back.
BALLOTS = "ballots"


def render_tally_template(rnd: Round, tr: Translator) -> bytes:
    """The tally sheet of ``rnd`` in ``tr``'s language (titles fall back to Finnish)."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow(TALLY_COLUMNS)
    for p in sorted((p for p in rnd.proposals if p.on_ballot),
                    key=lambda p: (len(p.id), p.id)):
        title = tr.text(p.title)
        writer.writerow([p.id, guard_formula(title.text if title else ""), p.cost, ""])
    # Then the ballots returned at the round's return place: each is one paper voter, so the
    # turnout counts them with the online voters (copy the row for another place).
    place = tr.text(rnd.ballot_return) if rnd.ballot_return else None
    label = tr.gettext("Ballots returned")
    writer.writerow([BALLOTS, guard_formula(f"{label}: {place.text}" if place else label), "",
                     ""])
    return "\ufeff".encode() + buf.getvalue().encode("utf-8")


def write_tally_templates(ctx: BuildContext) -> int:
    """Write ``print/<area>/<lang>/tally.csv`` for every area with a round; returns the count."""
    written = 0
    for area in ctx.programme.areas:
        if area.round is None or not area.round.proposals:
            continue
        for code, tr in ctx.translators.items():
            outputs.write(ctx.out, f"print/{area.slug}/{code}/tally.csv",
                          render_tally_template(area.round, tr))
            written += 1
    return written
