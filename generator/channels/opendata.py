"""Open data: ``data/`` with JSON (and its JSON Schema), CSV, a README and the licence.

Everything comes from the validated model, language-neutral: each text in every language it
has (a missing translation is an empty cell or an absent key, never the Finnish text under
another language's name). Rows are sorted by area and id, keys by name, so two builds give the
same bytes.
"""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING, Any

from ..data.model import AreaData, ProcessFile, Round
from ..data.schema import Text
from ..textfiles import guard_formula
from ..views import budget as budget_rules
from ..views.process import ballot_round

if TYPE_CHECKING:
    from ..context import BuildContext

LICENCE_URLS = {
    "CC BY 4.0": "https://creativecommons.org/licenses/by/4.0/",
    "CC0 1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
    "CC BY-SA 4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
}

_TEXT_SCHEMA = {"type": "object", "additionalProperties": {"type": "string"},
                "propertyNames": {"pattern": "^[a-z]{2,8}$"}}
_OPT_NUM = {"type": ["number", "null"]}
_OPT_INT = {"type": ["integer", "null"]}
_DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}


def _obj(props: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {"type": "object", "additionalProperties": False, "properties": props,
            "required": sorted(required if required is not None else props)}


#: A participatory-budgeting round in ``data/programme.json``.
_BUDGET_SCHEMA: dict[str, Any] = _obj({
    "id": {"type": "string"}, "year": {"type": "integer"}, "title": _TEXT_SCHEMA,
    "budget": {"type": "integer"}, "rule": {"type": "string"}, "has_results": {"type": "boolean"},
    "voters": _OPT_INT, "voters_online": _OPT_INT, "voters_paper": _OPT_INT,
    "eligible": _OPT_INT,
    "phases": {"type": "array", "items": _obj({
        "kind": {"type": "string"}, "start": _DATE, "end": _DATE})},
    "proposals": {"type": "array", "items": _obj({
        "id": {"type": "string"}, "title": _TEXT_SCHEMA, "cost": {"type": "integer"},
        "votes_online": _OPT_INT, "votes_paper": _OPT_INT, "votes_total": _OPT_INT,
        "rank": {"type": "integer"}, "funded": {"type": ["boolean", "null"]},
        "outcome": {"enum": ["funded", "too-expensive", "stopped", "not-selected", None]},
        "budget_left_after": _OPT_INT, "selected": {"type": ["boolean", "null"]},
        "status": {"type": ["string", "null"]},
    })},
})


#: A decision about an area in ``data/programme.json``.
_DECISION_SCHEMA: dict[str, Any] = _obj({
    "date": _DATE,
    "kind": {"enum": ["area-chosen", "themes-approved", "bundle-funded", "results-confirmed"]},
    "body": _TEXT_SCHEMA, "section": {"type": ["string", "null"]},
    "minutes": {"type": ["string", "null"]}, "summary": _TEXT_SCHEMA,
    "project": {"type": ["string", "null"]},
})

#: An archived development year in ``data/programme.json``: its phases, decisions, what we
#: heard and its evaluation.
_PAST_DEVELOPMENT_SCHEMA: dict[str, Any] = _obj({
    "year": {"type": "integer"},
    "phases": {"type": "array", "items": _obj({
        "kind": {"type": "string"}, "start": _DATE, "end": _DATE,
        "status": {"type": ["string", "null"]}})},
    "decisions": {"type": "array", "items": _DECISION_SCHEMA},
    "heard": {"type": "array", "items": _obj({
        "id": {"type": "string"}, "kind": {"enum": ["workshop", "outreach"]}, "date": _DATE,
        "title": _TEXT_SCHEMA, "participants": {"type": "integer"}, "place": _TEXT_SCHEMA,
        "points": {"type": "array", "items": _obj({
            "point": _TEXT_SCHEMA,
            "outcome": {"enum": ["theme", "bundle", "proposal", "considered", "not-possible"]},
            "ref": {"type": ["string", "null"]}, "reason": _TEXT_SCHEMA})},
    })},
    "evaluation": {"oneOf": [{"type": "null"}, _obj({
        "year": {"type": "integer"}, "start_year": {"type": "integer"},
        "indicators": {"type": "array", "items": {"type": "string"}},
        "summary": _TEXT_SCHEMA, "short_link_visits": _OPT_INT,
        "turnout_by_age": {"type": "array", "items": _obj({
            "ages": {"type": "string"}, "voters": {"type": "integer"}, "residents": _OPT_INT})},
    })]},
})


#: JSON Schema (draft 2020-12) of ``data/programme.json``.
SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Neighbourhood programme open data",
    **_obj({
        "licence": {"type": "string"},
        "licence_url": {"type": ["string", "null"]},
        "publisher": {"type": "string"},
        "generated": _DATE,
        "areas": {"type": "array", "items": _obj({
            "slug": {"type": "string", "pattern": "^[a-z0-9-]+$"},
            "name": _TEXT_SCHEMA,
            "postal_codes": {"type": "array", "items": {"type": "string"}},
            "year": {"type": "integer"},
            "example": {"type": "boolean"},
            "indicators": {"type": "array", "items": _obj({
                "id": {"type": "string"}, "label": _TEXT_SCHEMA, "value": _OPT_NUM,
                "withheld": {"type": "boolean"}, "unit": {"type": "string"},
                "year": {"type": "integer"}, "city_value": _OPT_NUM, "source": _TEXT_SCHEMA,
                "licence": {"type": ["string", "null"]}, "derived": {"type": "boolean"},
            })},
            "projects": {"type": "array", "items": _obj({
                "id": {"type": "string"}, "title": _TEXT_SCHEMA, "theme": {"type": "string"},
                "status": {"enum": ["planned", "in-progress", "done", "cancelled"]},
                "start": _DATE, "end": _DATE, "cost": _OPT_INT,
                "progress": _OPT_INT, "service_area": _TEXT_SCHEMA,
            })},
            "budget": {"oneOf": [{"type": "null"}, _BUDGET_SCHEMA]},
            # The rounds of earlier years (archive/<year>/), newest first.
            "past_budgets": {"type": "array", "items": _BUDGET_SCHEMA},
            "reviews": {"type": "array", "items": _obj({
                "proposal": {"type": "string"},
                "status": {"enum": ["submitted", "under-review", "feasible", "not-feasible",
                                    "merged"]},
                "service_area": _TEXT_SCHEMA, "reason": _TEXT_SCHEMA,
                "merged_into": {"type": ["string", "null"]},
            })},
            "development": {"oneOf": [{"type": "null"}, _obj({
                "year": {"type": "integer"},
                "phases": {"type": "array", "items": _obj({
                    "kind": {"type": "string"}, "start": _DATE, "end": _DATE,
                    "status": {"type": ["string", "null"]}})},
            })]},
            "decisions": {"type": "array", "items": _DECISION_SCHEMA},
            # The development years of the archive (archive/<year>/process.yaml), newest first.
            "past_development": {"type": "array", "items": _PAST_DEVELOPMENT_SCHEMA},
        })},
    }),
}


def _text(value: Text | None) -> dict[str, str]:
    return dict(sorted(value.values)) if value is not None else {}


def _num(value: float | None) -> float | int | None:
    if value is None or value == -1:
        return None
    return int(value) if float(value).is_integer() else value


def area_record(a: AreaData, sample: bool = False) -> dict[str, Any]:
    """One area as a JSON-ready dict (see :data:`SCHEMA`); ``sample``: the whole site is an
    example (``extra.lahio.sample``), so this area is too."""
    ar = a.area
    reviews = []
    if a.round is not None:
        reviews = [{"proposal": p.id, "status": p.review.status,
                    "service_area": _text(p.review.service_area), "reason": _text(p.review.reason),
                    "merged_into": p.review.merged_into}
                   for p in sorted(a.round.proposals, key=lambda p: p.id) if p.review is not None]
    return {
        "slug": a.slug, "name": _text(ar.name), "postal_codes": list(ar.postal_codes),
        "year": ar.year, "example": ar.example or sample,
        "indicators": sorted(({
            "id": i.id, "label": _text(i.label), "value": _num(i.value),
            "withheld": i.protected, "unit": i.unit, "year": i.year,
            "city_value": _num(i.city_value), "source": _text(i.source), "licence": i.licence,
            "derived": i.derived,
        } for i in ar.indicators), key=lambda r: r["id"]),
        "projects": sorted(({
            "id": p.id, "title": _text(p.title), "theme": p.theme, "status": p.status,
            "start": p.start.isoformat(), "end": p.end.isoformat(), "cost": p.cost,
            "progress": p.progress, "service_area": _text(p.service_area),
        } for p in a.projects), key=lambda r: r["id"]),
        "budget": budget_record(a.round) if a.round is not None else None,
        "past_budgets": [budget_record(r) for r in a.past_rounds],
        "reviews": reviews,
        **process_record(a),
    }


def budget_record(rnd: Round) -> dict[str, Any]:
    """A round with its proposals in result order (only those on the ballot)."""
    rnd = ballot_round(rnd)  # ideas the review left out are not ranked
    results = budget_rules.has_results(rnd)
    outcomes = budget_rules.select(rnd)
    return {
        "id": rnd.id, "year": rnd.year, "title": _text(rnd.title), "budget": rnd.budget,
        "rule": rnd.rule, "has_results": results,
        "voters": rnd.turnout.voters if rnd.turnout else None,
        "voters_online": rnd.turnout.online if rnd.turnout else None,
        "voters_paper": rnd.turnout.paper if rnd.turnout else None,
        "eligible": rnd.turnout.eligible if rnd.turnout else None,
        "phases": [{"kind": p.kind, "start": p.start.isoformat(), "end": p.end.isoformat()}
                   for p in rnd.phases],
        "proposals": [{
            "id": o.proposal.id, "title": _text(o.proposal.title), "cost": o.proposal.cost,
            "votes_online": o.online, "votes_paper": o.paper, "votes_total": o.total,
            # Before results are known nobody is funded or unfunded: empty, not false.
            "rank": o.rank, "funded": o.funded if results else None,
            "outcome": o.reason if results else None,
            "budget_left_after": o.remaining if results else None,
            "selected": o.proposal.selected, "status": o.proposal.status,
        } for o in sorted(outcomes, key=lambda o: o.rank)],
    }


def process_record(a: AreaData) -> dict[str, Any]:
    """The area-development phases and the decisions of ``process.yaml`` (empty without it),
    and every archived development year (``past_development``)."""
    proc = a.process
    past = [_past_development(p) for p in a.past_processes]
    if proc is None:
        return {"development": None, "decisions": [], "past_development": past}
    return {
        "development": {"year": proc.year, "phases": _phases(proc)},
        "decisions": _decisions(proc),
        "past_development": past,
    }


def _phases(proc: ProcessFile) -> list[dict[str, Any]]:
    return [{"kind": p.kind, "start": p.start.isoformat(), "end": p.end.isoformat(),
             "status": p.status} for p in proc.phases]


def _decisions(proc: ProcessFile) -> list[dict[str, Any]]:
    return [{"date": d.date.isoformat(), "kind": d.kind, "body": _text(d.body),
             "section": d.section, "minutes": d.minutes, "summary": _text(d.summary),
             "project": d.project} for d in proc.decisions]


def _past_development(proc: ProcessFile) -> dict[str, Any]:
    """An archived development year: phases, decisions, what we heard, the evaluation."""
    ev = proc.evaluation
    return {
        "year": proc.year, "phases": _phases(proc), "decisions": _decisions(proc),
        "heard": [{
            "id": h.id, "kind": h.kind, "date": h.date.isoformat(), "title": _text(h.title),
            "participants": h.participants, "place": _text(h.place),
            "points": [{"point": _text(pt.point), "outcome": pt.outcome, "ref": pt.ref,
                        "reason": _text(pt.reason)} for pt in h.points],
        } for h in proc.heard],
        "evaluation": None if ev is None else {
            "year": ev.year, "start_year": ev.start_year,
            "indicators": list(ev.indicators), "summary": _text(ev.summary),
            "short_link_visits": ev.short_link_visits,
            "turnout_by_age": [{"ages": b.ages, "voters": b.voters, "residents": b.residents}
                               for b in ev.turnout_by_age],
        },
    }


def _csv(header: list[str], rows: list[list[Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        # Texts written by residents must not run as spreadsheet formulas (=, +, -, @).
        writer.writerow(["" if v is None else str(v).lower() if isinstance(v, bool)
                         else guard_formula(v) if isinstance(v, str) else v for v in row])
    return buf.getvalue()


def render_csvs(records: list[dict[str, Any]], langs: tuple[str, ...]) -> dict[str, str]:
    """``indicators.csv``, ``projects.csv`` and ``budget.csv`` (RFC 4180, CRLF, UTF-8)."""
    def titles(value: dict[str, str]) -> list[str]:
        return [value.get(lang, "") for lang in langs]

    ind, proj, bud, dec = [], [], [], []
    for r in records:
        # The current year's decisions, then the archived years' (newest first).
        for d in [*r["decisions"], *(d for y in r["past_development"] for d in y["decisions"])]:
            dec.append([r["slug"], d["date"], d["kind"], *titles(d["body"]), d["section"],
                        d["minutes"], *titles(d["summary"]), d["project"]])
        for i in r["indicators"]:
            ind.append([r["slug"], r["example"], i["id"], *titles(i["label"]), i["value"], i["withheld"],
                        i["unit"], i["year"], i["city_value"], i["source"].get("fi", ""),
                        i["licence"], i["derived"]])
        for p in r["projects"]:
            proj.append([r["slug"], r["example"], p["id"], *titles(p["title"]), p["theme"], p["status"],
                         p["start"], p["end"], p["cost"], p["progress"]])
        for b in ([r["budget"]] if r["budget"] else []) + r["past_budgets"]:
            for p in b["proposals"]:
                bud.append([r["slug"], r["example"], b["id"], p["id"], *titles(p["title"]), p["cost"],
                            p["votes_online"], p["votes_paper"], p["votes_total"], p["rank"],
                            p["funded"], p["outcome"], p["budget_left_after"], p["status"]])
    t = [f"title_{lang}" for lang in langs]
    return {
        "indicators.csv": _csv(["area", "example", "id", *[f"label_{lang}" for lang in langs], "value",
                                "withheld", "unit", "year", "city_value", "source", "licence",
                                "derived"], ind),
        "projects.csv": _csv(["area", "example", "id", *t, "theme", "status", "start", "end", "cost",
                              "progress"], proj),
        "budget.csv": _csv(["area", "example", "round", "proposal", *t, "cost", "votes_online",
                            "votes_paper", "votes_total", "rank", "funded", "outcome",
                            "budget_left_after", "status"], bud),
        "decisions.csv": _csv(["area", "date", "kind", *[f"body_{lang}" for lang in langs],
                               "section", "minutes", *[f"summary_{lang}" for lang in langs],
                               "project"], dec),
    }


README = """# {site_name}: open data

Published by {publisher} under {licence}{licence_url}. Data date: {generated}.

| file | what |
|---|---|
| `programme.json` | every area: names, postal codes, indicators, projects, the participatory-budgeting round (phases, proposals, votes, funded) and those of earlier years (`past_budgets`), the review of each proposal, the area-development phases and the decisions, and the development years of earlier years (`past_development`: phases, decisions, what we heard, evaluation) |
| `programme.schema.json` | JSON Schema (draft 2020-12) of `programme.json` |
| `indicators.csv` | one row per area and indicator |
| `projects.csv` | one row per area and project |
| `budget.csv` | one row per proposal of each area's rounds (the current one, then earlier years'), in result order (only those on the ballot) |
| `decisions.csv` | one row per decision about an area (area chosen, themes approved, bundle funded, results confirmed), with the body, section and minutes: the current development year's, then earlier years' |
| `LICENSE.txt` | the licence |

`example` is true for example content (the sample, or an area still marked `example: true`):
only its Paavo statistics are real; its texts, plans, events, proposals and votes are made up.
Texts are given in every language they exist in (`title_fi`, `title_sv`, … in CSV; an object
of language codes in JSON); a missing translation is empty, not filled in.
A value withheld by the source for privacy is empty (`value` null) with `withheld` true.
Money is in whole euros. Dates are ISO 8601 (local time in Kuopio). CSV files are UTF-8,
comma-separated, with a header row and CRLF line ends (RFC 4180). `funded` follows the round's
rule (`rule`): greedy, stop-at-first-miss or official (the platform's selection, `selected`).
`outcome` says why: `funded`, `too-expensive` (skipped: it did not fit the money left),
`stopped` (below the first proposal that did not fit) or `not-selected`; `budget_left_after`
is the money left after that row. Until the results are known (votes hidden or not counted)
`funded`, `outcome` and `budget_left_after` are empty: no proposal is turned down yet.
`voters` is everyone who voted: `voters_online` plus `voters_paper` (paper ballots returned).
Indicator sources keep their own licences (column `licence`), e.g. Statistics Finland's Paavo
data (CC BY 4.0, "Lähde: Tilastokeskus").
"""

LICENCE_TEXT = """{site_name} – open data
Copyright {publisher}

This data is licensed under {licence}{licence_url}.

You may share and adapt the data for any purpose, also commercially, provided that you give
appropriate credit ("{publisher}"), provide a link to the licence and indicate if changes were
made. Indicator values keep the licence of their source, named in the data.
"""


def write_open_data(ctx: BuildContext) -> list[str]:
    """Write ``data/*``; returns the written paths relative to the site root."""
    from .common import write

    config = ctx.config
    records = [area_record(a, config.sample)
               for a in sorted(ctx.programme.areas, key=lambda a: a.slug)]
    url = LICENCE_URLS.get(config.licence)
    doc = {"licence": config.licence, "licence_url": url, "publisher": config.organisation,
           "generated": ctx.today.isoformat(), "areas": records}
    fields = {"site_name": config.site_name, "publisher": config.organisation,
              "licence": config.licence, "licence_url": f" ({url})" if url else "",
              "generated": ctx.today.isoformat()}
    files = {
        "programme.json": json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
        "programme.schema.json": json.dumps(SCHEMA, ensure_ascii=False, indent=1,
                                            sort_keys=True) + "\n",
        **render_csvs(records, config.codes),
        "README.md": README.format(**fields),
        "LICENSE.txt": LICENCE_TEXT.format(**fields),
    }
    for name, text in files.items():
        write(ctx, f"data/{name}", text)
    return [f"data/{name}" for name in files]
