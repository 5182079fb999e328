"""The area-selection report: candidate postal areas ranked by a transparent need score.

The programme chooses at most two areas a year by welfare data (positive discrimination).
``selection.yaml`` names the indicators, their weights and which way is "more need"; the
figures come from the Paavo table ``data/paavo.yaml`` (written by ``lahio import paavo``).

The score, step by step (the page and the PDF say the same):

1. Every candidate postal area whose figures are all available is ranked; an area with a
   withheld figure (-1) is listed apart, never given a made-up value.
2. Each indicator is min-max scaled over the ranked areas: ``(x - min) / (max - min)`` when a
   higher value means more need, ``(max - x) / (max - min)`` when a lower value does; so 1 is
   the area with the most need on that indicator and 0 the one with the least (all 0 when every
   area has the same value).
3. The score is the weighted mean of the scaled values times 100: ``100 * Σ wᵢ·sᵢ / Σ wᵢ``,
   from 0 to 100. Each indicator's part of it (``100 * wᵢ·sᵢ / Σ wᵢ`` points) is shown.
4. Areas are ordered by score, highest first; equal scores by postal code.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from ..cache import PROTOCOL, code_fingerprint, digest, write_file
from ..data.model import FigureInfo, PostalArea, Programme, SelectionData
from ..data.schema import WITHHELD
from ..i18n import Localized, Translator
from .area import format_measure
from .charts import PALETTE, Bar, Group, render_bar_chart
from .text import plain

#: The page's address in every language tree.
SELECTION_PATH = "valinta/"


@dataclass(frozen=True, slots=True)
class Scored:
    """One ranked postal area (language-neutral numbers)."""

    code: str
    name: str
    score: float
    parts: tuple[float, ...]      # points per criterion, in criteria order; they sum to score
    scaled: tuple[float, ...]     # 0–1 per criterion
    values: tuple[float, ...]     # the raw figures per criterion


@dataclass(frozen=True, slots=True)
class Ranking:
    """The result of :func:`rank`."""

    ranked: tuple[Scored, ...]
    unranked: tuple[tuple[str, str, tuple[str, ...]], ...]  # code, name, withheld figure ids


def _value(area: PostalArea, figure_id: str) -> float | None:
    for f in area.figures:
        if f.id == figure_id:
            return None if f.value == WITHHELD else float(f.value)
    return None


#: The id of the planned investments when ``selection.yaml`` gives them a weight.
INVESTMENTS = "investments"


def planned_investments(selection: SelectionData) -> dict[str, int]:
    """Euros of the investment programme's key measures by postal code (all years listed)."""
    sums: dict[str, int] = {}
    for inv in selection.investments.investments if selection.investments else ():
        sums[inv.postal_code] = sums.get(inv.postal_code, 0) + int(inv.amount)
    return sums


def _criteria(selection: SelectionData) -> list[tuple[str, float, str]]:
    """(id, weight, direction) of every indicator of the score, the planned investments last
    when they have a weight (an area with more investment planned gets more points)."""
    found: list[tuple[str, float, str]] = [(c.id, c.weight, c.direction)
                                           for c in selection.config.criteria]
    if selection.investments is not None and selection.config.investment_weight > 0:
        found.append((INVESTMENTS, selection.config.investment_weight, "higher-is-more-need"))
    return found


def rank(selection: SelectionData) -> Ranking:
    """Score and order every candidate postal area (see the module docstring)."""
    criteria = _criteria(selection)
    planned = planned_investments(selection)
    total_weight = sum(weight for _id, weight, _dir in criteria)
    complete: list[tuple[PostalArea, tuple[float, ...]]] = []
    unranked = []
    for area in selection.table.postal_areas:
        values = [float(planned.get(area.code, 0)) if cid == INVESTMENTS else _value(area, cid)
                  for cid, _w, _d in criteria]
        missing = tuple(cid for (cid, _w, _d), v in zip(criteria, values, strict=True)
                        if v is None)
        if missing:
            unranked.append((area.code, area.name, missing))
        else:
            complete.append((area, tuple(v for v in values if v is not None)))
    lows = [min((v[k] for _, v in complete), default=0.0) for k in range(len(criteria))]
    highs = [max((v[k] for _, v in complete), default=0.0) for k in range(len(criteria))]
    scored = []
    for area, figures in complete:
        scaled = []
        for k, (_cid, _weight, direction) in enumerate(criteria):
            span = highs[k] - lows[k]
            if span == 0:
                s = 0.0
            elif direction == "higher-is-more-need":
                s = (figures[k] - lows[k]) / span
            else:
                s = (highs[k] - figures[k]) / span
            scaled.append(s)
        parts = tuple(100 * weight * s / total_weight
                      for (_cid, weight, _dir), s in zip(criteria, scaled, strict=True))
        scored.append(Scored(area.code, area.name, sum(parts), parts, tuple(scaled), figures))
    scored.sort(key=lambda s: (-round(s.score, 9), s.code))
    return Ranking(tuple(scored), tuple(unranked))


# --- view --------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class CriterionView:
    id: str
    label: Localized
    weight: str
    share: str
    direction: str
    year: int
    derived: bool
    note: Localized | None


@dataclass(frozen=True, slots=True)
class RowView:
    rank: int
    code: str
    name: str
    score: str
    parts: tuple[str, ...]
    values: tuple[str, ...]
    top: bool
    area_slug: str | None
    area_name: Localized | None
    #: The year the area was chosen, when it is in the programme already (then not "top":
    #: the highlighted rows are the next candidates).
    chosen_year: int | None = None
    #: The decision that chose it, e.g. "Kaupunginhallitus 21.11.2022 § 412" (None: unknown).
    chosen_by: Localized | None = None
    #: The investment programme's key measures planned in the area, in euros ("" when the
    #: project has no file of key measures, "0 €" when none is planned there).
    investment: str = ""


@dataclass(frozen=True, slots=True)
class InvestmentView:
    """One key measure of the investment programme, for the list beside the ranking."""

    rank: int | None          # the area's rank (None: the area is not ranked)
    code: str
    name: str
    title: Localized
    amount: str
    year: int
    service_area: Localized


@dataclass(frozen=True, slots=True)
class SelectionView:
    """The report in one language, for the web page and the PDF."""

    lang: str
    criteria: tuple[CriterionView, ...]
    rows: tuple[RowView, ...]
    unranked: tuple[tuple[str, str, str], ...]  # code, name, withheld figure labels
    areas_per_year: int
    count: int
    source: Localized
    licence: str
    source_file: str
    years: str
    chart: Markup
    top_names: tuple[str, ...]
    #: The key measures of the investment programme, in the ranking's order (empty: none).
    investments: tuple[InvestmentView, ...] = ()
    #: Where they come from (None: the project has no file of key measures).
    investment_source: Localized | None = None
    #: The planned investments' share of the score ("" when they are only shown beside it).
    investment_share: str = ""


def build_selection_view(programme: Programme, tr: Translator) -> SelectionView | None:
    """The ranking in ``tr``'s language, or None when the project has no ``selection.yaml``."""
    sel = programme.selection
    if sel is None:
        return None
    _ = tr.gettext
    ranking = rank(sel)
    info: dict[str, FigureInfo] = {f.id: f for f in sel.table.figures}
    directions = {"higher-is-more-need": _("higher value = more need"),
                  "lower-is-more-need": _("lower value = more need")}
    weighted = _criteria(sel)
    total_weight = sum(weight for _id, weight, _dir in weighted)
    criteria = tuple(
        CriterionView(c.id, plain(tr, info[c.id].label), tr.number(c.weight, 2),  # type: ignore[arg-type]
                      tr.percent(100 * c.weight / total_weight), directions[c.direction],
                      info[c.id].year, info[c.id].derived, plain(tr, info[c.id].note))
        for c in sel.config.criteria)
    inv_years = sorted({inv.year for inv in sel.investments.investments}) if sel.investments else []
    scored_investments = len(weighted) > len(criteria)
    if scored_investments:
        weight = sel.config.investment_weight
        criteria += (CriterionView(
            INVESTMENTS, Localized(_("Planned key investments (euros)"), tr.language.html_lang,
                                   False),
            tr.number(weight, 2), tr.percent(100 * weight / total_weight),
            _("more investment planned = more points"), inv_years[-1] if inv_years else 0,
            False, plain(tr, sel.investments.source) if sel.investments else None),)
    planned = planned_investments(sel)
    by_code = {code: a for a in programme.areas for code in a.area.postal_codes}
    rows = []
    candidates = 0
    for n, s in enumerate(ranking.ranked, 1):
        area = by_code.get(s.code)
        chosen = chosen_by = None
        if area is not None:
            chosen = area.area.year
            decision = next((d for d in (area.process.decisions if area.process else ())
                             if d.kind == "area-chosen"), None)
            if decision is not None:
                body = plain(tr, decision.body)
                text = " ".join(x for x in (body.text if body else "", tr.date(decision.date),
                                            decision.section or "") if x)
                chosen_by = Localized(text, body.lang if body else tr.language.html_lang,
                                      bool(body and body.fallback))
        top = chosen is None and candidates < sel.config.areas_per_year
        candidates += top
        rows.append(RowView(
            n, s.code, s.name, tr.number(s.score, 1),
            tuple(tr.number(p, 1) for p in s.parts),
            tuple(format_measure(tr, v, info[c.id].unit if c.id != INVESTMENTS else "eur")
                  or _("no data") for c, v in zip(criteria, s.values, strict=True)),
            top, area.slug if area else None,
            plain(tr, area.area.name) if area else None, chosen, chosen_by,
            tr.money(planned.get(s.code, 0)) if sel.investments is not None else ""))
    unranked = tuple((code, name, ", ".join(plain(tr, info[i].label).text for i in ids))  # type: ignore[union-attr]
                     for code, name, ids in ranking.unranked)
    bars = [Bar(f"{r.rank}. {r.code} {r.name}", float(s.score), r.score,
                group="top" if r.top else "", note=_("most need") if r.top else "")
            for r, s in zip(rows, ranking.ranked, strict=True)]
    chart = render_bar_chart(
        bars, title=_("Need score of each postal area (0–100)"),
        desc=_("The same scores are in the ranking table below."), id_prefix="chart-selection",
        groups=(Group("", PALETTE[0], True), Group("top", PALETTE[5])),
        rtl=tr.language.dir == "rtl", max_value=100)
    years = sorted({info[c.id].year for c in sel.config.criteria})
    ranks = {r.code: r.rank for r in rows}
    names = {a.code: a.name for a in sel.table.postal_areas}
    investments = tuple(sorted(
        (InvestmentView(ranks.get(inv.postal_code), inv.postal_code,
                        names.get(inv.postal_code) or _("not in the statistics"),
                        plain(tr, inv.title),  # type: ignore[arg-type]
                        tr.money(int(inv.amount)), inv.year,
                        plain(tr, inv.service_area))  # type: ignore[arg-type]
         for inv in (sel.investments.investments if sel.investments else ())),
        key=lambda v: (v.rank is None, v.rank or 0, v.code, v.year, v.title.text)))
    return SelectionView(
        tr.code, criteria, tuple(rows), unranked, sel.config.areas_per_year, len(rows),
        plain(tr, sel.table.source), sel.table.licence, sel.table.source_file,  # type: ignore[arg-type]
        "–".join(str(y) for y in (years[0], years[-1])) if len(years) > 1 else str(years[0]),
        chart, tuple(f"{r.code} {r.name}" for r in rows if r.top), investments,
        plain(tr, sel.investments.source) if sel.investments else None,
        criteria[-1].share if scored_investments else "")


#: Views made or read in this process, by key (the site and the print stage both show them).
_MADE: dict[str, SelectionView | None] = {}


def selection_key(programme: Programme, tr: Translator) -> str:
    """A hash of what :func:`build_selection_view` reads: the selection data, the areas'
    slugs, postal codes, names and years and their "area chosen" decisions, and the language.

    Keep it in step with :func:`build_selection_view`: a field read there and not hashed
    here would leave the report stale (tests/test_incremental.py builds both ways).
    """
    areas = [(a.slug, a.area.postal_codes, a.area.name, a.area.year,
              tuple(d for d in (a.process.decisions if a.process else ())
                    if d.kind == "area-chosen"))
             for a in programme.areas]
    # repr, not pickle: an area taken from the cache pickles differently from one just read
    # (pickle records which values share an object), its repr is the same.
    return digest(pickle.dumps(programme.selection, protocol=PROTOCOL), repr(areas),
                  repr(tr.language))


def selection_view(programme: Programme, tr: Translator,
                   cache: Path | None = None) -> SelectionView | None:
    """:func:`build_selection_view`, kept in ``cache`` (a folder) and in memory by a hash of
    what it reads: the selection data, the areas' slugs, postal codes and names, and the
    language (the generator's own code and catalogs are in every entry's key)."""
    if programme.selection is None:
        return None
    key = selection_key(programme, tr)
    if key in _MADE:
        return _MADE[key]
    path = cache / f"{tr.code}.pickle" if cache is not None else None
    view = None
    if path is not None:
        try:
            stored = pickle.loads(path.read_bytes())  # noqa: S301 - the build's own cache
            if stored[0] == (code_fingerprint(), key):
                view = stored[1]
        except Exception:  # noqa: BLE001 - missing, old or damaged: made again
            view = None
    if view is None:
        view = build_selection_view(programme, tr)
        if path is not None:
            write_file(path, pickle.dumps(((code_fingerprint(), key), view), protocol=PROTOCOL))
    if len(_MADE) > 32:  # a long-running preview: views of older inputs are not asked again
        _MADE.clear()
    _MADE[key] = view
    return view
