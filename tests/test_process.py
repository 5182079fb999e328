"""The programme's whole process: development phases, decisions, reviewed proposals, what we
heard, youth, evaluation — as residents and the board meet them."""

from __future__ import annotations

import datetime as dt
import html as htmllib
import posixpath
import re
from dataclasses import replace
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium_raw
import pytest

from generator.context import BuildContext
from generator.data.load import load
from generator.errors import DataError
from generator.channels.opendata import area_record
from generator.i18n import Translator
from generator.print.tally import render_tally_template
from generator.print.evaluation import render_evaluation_html
from generator.render.pdf import render_pdf
from generator.site.pages import build_language_tree
from generator.views.area import format_measure
from generator.views.process import build_process_view, development_state
from generator.views.selection import build_selection_view

from .conftest import ROOT

TODAY = dt.date(2026, 11, 28)


@pytest.fixture(scope="module")
def sample():  # type: ignore[no-untyped-def]
    return load(ROOT)


def _files(sample, lang: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    config, programme = sample
    tr = Translator(config.language(lang))
    return build_language_tree(programme, config, tr, TODAY, []).files


def _text(fragment: str) -> str:
    """What a reader sees: tags dropped, entities decoded, spaces collapsed."""
    return re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", " ", fragment))).replace(
        " :", ":").replace(" ,", ",").strip()


def _section(page: str, cls: str) -> str:
    m = re.search(rf'<section class="{cls}".*?</section>', page, re.S)
    assert m, f"no {cls} section"
    return m.group(0)


# --- development phases ----------------------------------------------------------------------

def test_phase_state_uses_the_budgeting_date_rule() -> None:
    start, end = dt.date(2026, 10, 1), dt.date(2026, 12, 20)
    assert development_state(start, end, dt.date(2026, 9, 30)) == "upcoming"
    assert development_state(start, end, start) == "current"
    assert development_state(start, end, end) == "current"
    assert development_state(start, end, dt.date(2026, 12, 21)) == "past"


def test_area_page_shows_the_phase_running_today_and_how_to_take_part(sample) -> None:  # type: ignore[no-untyped-def]
    page = _files(sample, "en")["mannisto/index.md"]
    dev = _section(page, "lahio-development")
    steps = re.findall(r"<li class=\"lahio-step[^>]*>.*?</li>", dev, re.S)
    assert len(steps) == 8
    current = [s for s in steps if 'aria-current="step"' in s]
    assert len(current) == 1 and "Outreach" in current[0]
    now = _text(re.search(r'<p class="lahio-now">.*?</p>', dev, re.S).group(0))
    assert now.startswith("Now: Outreach")
    assert "How to take part: Come and talk to us" in now
    # Earlier phases read as done, later ones as coming.
    assert "Done" in _text(steps[0]) and "Coming" in _text(steps[-1])


def test_current_phase_moves_with_the_date(sample) -> None:  # type: ignore[no-untyped-def]
    config, programme = sample
    tr = Translator(config.language("fi"))
    data = programme.area("mannisto")
    later = build_process_view(data, tr, dt.date(2027, 2, 1), format_measure)
    assert later.current is not None and later.current.kind == "bundles"
    gap = build_process_view(data, tr, dt.date(2026, 8, 15), format_measure)  # between two phases
    assert gap.current is None


def test_untranslated_phase_text_falls_back_visibly(sample) -> None:  # type: ignore[no-untyped-def]
    dev = _section(_files(sample, "ar")["mannisto/index.md"], "lahio-development")
    # A Finnish fallback inside Arabic keeps its language and its own direction.
    assert '<span lang="fi" dir="ltr">Tapaamme asukkaita' in dev
    assert "lahio-fallback" in dev


# --- decisions -------------------------------------------------------------------------------

def test_decisions_on_the_area_page_with_section_and_minutes(sample) -> None:  # type: ignore[no-untyped-def]
    dec = _section(_files(sample, "fi")["neulamaki/index.md"], "lahio-decisions")
    items = re.findall(r"<li>.*?</li>", dec, re.S)
    assert len(items) == 2
    assert "Alue valittu" in items[0] and "§ 412" in _text(items[0])
    assert 'href="https://kuopio.example.fi/poytakirjat/kh-2022-11-21#412"' in items[0]
    assert '<time datetime="2023-05-15">' in items[1]


def test_open_data_has_decisions_phases_and_reviews(sample) -> None:  # type: ignore[no-untyped-def]
    _config, programme = sample
    rec = area_record(programme.area("neulamaki"))
    assert [(d["date"], d["kind"], d["section"]) for d in rec["decisions"]] == [
        ("2022-11-21", "area-chosen", "§ 412"), ("2023-05-15", "themes-approved", "§ 23")]
    assert len(rec["development"]["phases"]) == 8
    reviews = {r["proposal"]: r for r in rec["reviews"]}
    assert reviews["uimaranta"]["status"] == "not-feasible"
    assert "bathing-water" in reviews["uimaranta"]["reason"]["en"]
    assert "uimaranta" not in {p["id"] for p in rec["budget"]["proposals"]}


def test_selection_marks_areas_already_chosen(sample) -> None:  # type: ignore[no-untyped-def]
    config, programme = sample
    view = build_selection_view(programme, Translator(config.language("fi")))
    rows = {r.code: r for r in view.rows}
    assert rows["70150"].chosen_year == 2023 and not rows["70150"].top
    assert "Kaupunginhallitus" in rows["70150"].chosen_by.text
    assert rows["70500"].chosen_year == 2026 and not rows["70500"].top
    top = [r for r in view.rows if r.top]
    assert len(top) == config_areas(programme) and all(r.chosen_year is None for r in top)
    # The highlighted ones are the best-ranked areas not yet in the programme.
    free = [r for r in view.rows if r.chosen_year is None]
    assert top == free[: len(top)]


def config_areas(programme) -> int:  # type: ignore[no-untyped-def]
    return programme.selection.config.areas_per_year


# --- investment key measures in area selection ------------------------------------------------

def test_selection_lists_key_investments_beside_the_score_without_changing_it(sample) -> None:  # type: ignore[no-untyped-def]
    config, programme = sample
    sel = programme.selection
    assert sel.investments is not None and sel.config.investment_weight == 0
    tr = Translator(config.language("fi"))
    view = build_selection_view(programme, tr)
    without = build_selection_view(
        replace(programme, selection=replace(sel, investments=None)), tr)
    # Shown beside the score, not in it: the same ranks and scores as without the file.
    assert [(r.code, r.score) for r in view.rows] == [(r.code, r.score) for r in without.rows]
    assert [c.id for c in view.criteria] == [c.id for c in without.criteria]
    # Each row sums its area's key measures (every year listed), 0 € where none is planned.
    total: dict[str, int] = {}
    for inv in sel.investments.investments:
        total[inv.postal_code] = total.get(inv.postal_code, 0) + int(inv.amount)
    rows = {r.code: r for r in view.rows}
    for code, euros in total.items():
        assert rows[code].investment == tr.money(euros)
    assert rows["70700"].investment == tr.money(0)
    # The list follows the ranking, and the page says the measures do not change the score.
    assert [i.rank for i in view.investments] == sorted(i.rank for i in view.investments)
    page = _files(sample, "en")["valinta.md"]
    section = _text(page[page.index('id="investments"'):page.index("Source and limits")])
    assert "Renovation of Saarijärvi school" in section and "4,200,000" in section
    assert "Growth and learning service area" in section
    assert "do not change the score" in section
    assert "Kuopio investment programme 2026–2030" in section


def test_a_weight_makes_planned_investments_an_indicator_of_the_score(sample) -> None:  # type: ignore[no-untyped-def]
    config, programme = sample
    sel = programme.selection
    weighted = replace(programme, selection=replace(
        sel, config=replace(sel.config, investment_weight=1)))
    tr = Translator(config.language("en"))
    view = build_selection_view(weighted, tr)
    assert view.criteria[-1].id == "investments"
    weights = [c.weight for c in sel.config.criteria] + [1]
    assert view.investment_share == tr.percent(100 / sum(weights))
    rows = {r.code: r for r in view.rows}
    # The area with the most euros planned gets the indicator's full points, one with none 0.
    most = max(rows.values(), key=lambda r: float(r.values[-1].replace(",", "").split()[0]
                                                   .replace("€", "")))
    assert most.code == "70460"
    assert most.parts[-1] == tr.number(100 / sum(weights), 1)
    assert rows["70700"].parts[-1] == tr.number(0, 1)
    # Saarijärvi's 5 million euros lift it above Neulamäki, ranked ahead of it without them.
    before = {r.code: r.rank for r in build_selection_view(programme, tr).rows}
    assert before["70460"] > before["70150"] and rows["70460"].rank < rows["70150"].rank
    page = build_language_tree(weighted, config, tr, TODAY, []).files["valinta.md"]
    assert "They count in the score" in _text(page)


def test_key_investments_outside_the_statistics_are_listed_apart(tmp_path: Path) -> None:
    from .conftest import copy_project

    root = copy_project(tmp_path / "p")
    path = root / "data" / "investments.yaml"
    text = path.read_text(encoding="utf-8").replace('postal_code: "70110"',
                                                    'postal_code: "70999"')
    path.write_text(text, encoding="utf-8")
    config, programme = load(root)
    view = build_selection_view(programme, Translator(config.language("en")))
    # A table imported for part of the city does not stop the build: the measure is listed
    # last, unranked, and says why.
    last = view.investments[-1]
    assert (last.rank, last.code, last.name) == (None, "70999", "not in the statistics")
    page = build_language_tree(programme, config, Translator(config.language("en")), TODAY,
                               []).files["valinta.md"]
    assert "70999" in _text(page) and "not in the statistics" in _text(page)
    # A code that is not a postal code, a weight below 0 and a missing file are errors.
    path.write_text(text.replace('postal_code: "70999"', 'postal_code: "7011"'),
                    encoding="utf-8")
    sel = root / "selection.yaml"
    sel.write_text(sel.read_text(encoding="utf-8").replace(
        "investment_weight: 0", "investment_weight: -1"), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load(root)
    report = str(caught.value)
    code_line = next(n for n, line in enumerate(text.splitlines(), 1) if '"70999"' in line)
    assert (f"data/investments.yaml:{code_line}: investments[2].postal_code: '7011' is not a "
            "postal code; expected five digits, e.g. '70460'") in report
    assert "investment_weight: expected 0 or a positive weight, got -1" in report
    sel.write_text(sel.read_text(encoding="utf-8").replace(
        "investments: data/investments.yaml", "investments: data/investointi.yaml"),
        encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load(root)
    assert "selection.yaml:" in str(caught.value)
    assert "'data/investointi.yaml' not found" in str(caught.value)


# --- proposal review -------------------------------------------------------------------------

def test_not_feasible_idea_is_left_off_the_ballot_with_its_reason(sample) -> None:  # type: ignore[no-untyped-def]
    config, programme = sample
    page = _files(sample, "en")["neulamaki/budget.md"]
    table = re.search(r'<table class="lahio-results">.*?</table>', page, re.S).group(0)
    assert "beach" not in table.lower() and "Lights for the skatepark" not in table
    left = _text(_section(page, "lahio-left-out"))
    assert "A beach at the Neulamäki pond – Not feasible" in left
    assert "Why: The pond's water does not meet the bathing-water standards" in left
    assert "Reviewed by: City environment service area" in left
    assert "Merged with another proposal: Renovating the Neulamäki skatepark" in left
    # Funding is decided among the ballot's proposals only: the same winners as before.
    rnd = programme.area("neulamaki").round
    sheet = render_tally_template(rnd, Translator(config.language("fi"))).decode("utf-8-sig")
    assert "uimaranta" not in sheet and "skeittivalot" not in sheet and "101;" in sheet
    # The sample's greedy result (see test_budget.py) is unchanged by the ideas left out.
    funded = re.findall(r'<tr id="p-(\w+)" class="lahio-funded-row"', page)
    assert funded == ["101", "102", "103", "105", "106"]


# --- what we heard ---------------------------------------------------------------------------

def test_themes_page_says_what_we_heard_and_what_became_of_it(sample) -> None:  # type: ignore[no-untyped-def]
    page = _files(sample, "en")["neulamaki/themes.md"]
    heard = page[page.index('<section class="lahio-heard"'):]
    text = _text(heard)
    assert "Strategic workshop 1" in text and "34 participants" in text
    assert "With: Neulamäki residents' association, Kuopio Settlement Puijola" in text
    assert "Became a project bundle: Renovation of the schoolyard" in text
    assert "Became a budgeting proposal: Renovating the Neulamäki skatepark" in text
    assert 'href="../projects/#koulun-piha"' in heard
    assert 'href="../budget/#p-101"' in heard
    assert "Not possible Why: A swimming hall serves the whole city" in text
    assert "Being considered Passed on to public transport" in text


# --- youth -----------------------------------------------------------------------------------

def test_youth_page_lists_what_is_marked_for_young_people(sample) -> None:  # type: ignore[no-untyped-def]
    files = _files(sample, "en")
    page = files["neulamaki/young.md"]
    text = _text(page)
    assert "Ideas workshop for young people" in text      # the event marked young
    assert "The neighbourhood team at the shopping centre" not in text
    assert "Renovating the Neulamäki skatepark" in text and "A legal graffiti wall" in text
    assert "Outdoor gym" not in text                        # marked for seniors and everyone
    assert 'href="young/"' in files["neulamaki/index.md"]  # linked from the area's pages
    assert "mannisto/young.md" not in files                 # nothing marked: no page


# --- evaluation ------------------------------------------------------------------------------

def test_evaluation_page_shows_the_year_in_figures(sample) -> None:  # type: ignore[no-untyped-def]
    text = _text(_files(sample, "en")["neulamaki/evaluation.md"])
    assert "Evaluation 2025" in text
    # Each figure with its own year: the latest at or before the start year (2017).
    assert "Unemployed as a share of the labour force 17.2% ( 2016 ) no newer figure yet" in text
    assert "Workshop participants: 34" in text and "People met in outreach: 87" in text
    assert "Votes on paper" not in text   # not known: never shown as 0
    assert "52.9%" in text.replace("\u00a0", "").replace(" ", "")  # 164 of 310 aged 12-17
    assert "City Board § 412" in text


@pytest.mark.parametrize("lang", ["fi", "ar"])
def test_evaluation_pdf_is_one_tagged_a4_page(sample, lang: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    config, programme = sample
    trs = {lg.code: Translator(lg) for lg in config.languages}
    ctx = BuildContext(ROOT, config, programme, TODAY, tmp_path, None, trs)
    html = render_evaluation_html(ctx, "neulamaki", lang)
    path = tmp_path / "evaluation-a4.pdf"
    path.write_bytes(render_pdf(html, base_url=str(ROOT)))
    pdf = pypdfium2.PdfDocument(path)
    assert len(pdf) == 1
    w, h = pdf[0].get_size()
    assert (round(w / 72 * 25.4), round(h / 72 * 25.4)) == (210, 297)
    assert pdfium_raw.FPDFCatalog_IsTagged(pdf.raw)
    text = pdf[0].get_textpage().get_text_range()
    assert "412" in text and "Kaupunginhallitus" in text and "1 240" in text.replace(
        "\u00a0", " ").replace(",", " ")
    pdf.close()
    assert render_evaluation_html(ctx, "mannisto", lang) is None  # no evaluation yet


# --- reviews imported from the platform ------------------------------------------------------

def test_decidim_proposal_states_become_reviews(project: Path, tmp_path: Path) -> None:
    from generator.cli import main

    export = tmp_path / "proposals.csv"
    export.write_text(
        "id;title/fi;budget_amount;budget/id;state;answer/fi;answer/en\n"
        "501;Penkit;5000;11;accepted;;\n"
        "502;Uimahalli;900000;11;rejected;<p>Liian kallis.</p>;<p>Too expensive.</p>\n"
        "503;Valot;7000;11;evaluating;;\n"
        "504;Aita;3000;11;withdrawn;;\n", encoding="utf-8")
    (project / "areas" / "neulamaki" / "budget.yaml").write_text(
        "round: {id: n, title: N, budget: 10000, rule: greedy, phases: []}\n", encoding="utf-8")
    (project / "areas" / "neulamaki" / "process.yaml").unlink()  # it names the old proposals
    assert main(["--root", str(project), "import", "decidim", "--area",
                 "neulamaki=budget:11", str(export)]) == 0
    _config, programme = load(project)
    by_id = {p.id: p for p in programme.area("neulamaki").round.proposals}
    assert by_id["501"].review.status == "feasible" and by_id["501"].on_ballot
    assert by_id["502"].review.status == "not-feasible" and not by_id["502"].on_ballot
    assert by_id["502"].review.reason.get("en") == "Too expensive."
    assert by_id["503"].review.status == "under-review" and not by_id["503"].on_ballot
    assert by_id["504"].review is None  # withdrawn: no review of the city's


def test_unknown_decidim_state_is_reported_with_its_line(project: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    from generator.cli import main

    export = tmp_path / "proposals.csv"
    export.write_text("id;title/fi;budget_amount;budget/id;state\n"
                      "501;Penkit;5000;11;maybe\n", encoding="utf-8")
    before = (project / "areas" / "neulamaki" / "budget.decidim.yaml").read_bytes()
    assert main(["--root", str(project), "import", "decidim", "--area",
                 "neulamaki=budget:11", str(export)]) != 0
    err = capsys.readouterr().err
    assert "proposals.csv:2: state: 'maybe' is not a Decidim proposal state" in err
    assert (project / "areas" / "neulamaki" / "budget.decidim.yaml").read_bytes() == before


# --- the development phase on posters ---------------------------------------------------------

def _poster(project: Path, day: dt.date):  # type: ignore[no-untyped-def]
    from generator.print.message import poster_message
    from generator.views.area import build_area_view

    config, programme = load(project)
    tr = Translator(config.language("fi"))
    data = next(a for a in programme.areas if a.slug == "mannisto")
    return poster_message(build_area_view(data, tr, config, day), tr)


def test_posters_invite_to_the_development_phase_event_before_a_distant_vote(
        project: Path) -> None:
    """Männistö, 28.11.2026: outreach is under way and the vote is in January. With an
    outreach event next week, the poster invites to it; in the bundle workshops of April, to
    the workshop."""
    assert _poster(project, TODAY).kind == "vote"  # no outreach event yet: the coming vote
    path = project / "areas" / "mannisto" / "events.yaml"
    path.write_text(path.read_text(encoding="utf-8") + """\
  - id: kauppakeskus-2026
    kind: outreach
    title: {fi: Lähiötiimi Männistön torilla}
    start: 2026-12-05 12:00
    end: 2026-12-05 15:00
    place:
      name: {fi: Männistön tori}
  - id: hankepaja-2027
    kind: workshop
    title: {fi: Hankepaja Männistössä}
    start: 2027-04-20 17:00
    end: 2027-04-20 19:00
    place:
      name: {fi: Männistön asukastupa}
""", encoding="utf-8")
    now = _poster(project, TODAY)
    assert (now.kind, now.action, now.event.id) == ("workshop", "Tule mukaan", "kauppakeskus-2026")
    assert "5. joulukuuta 2026" in now.when
    april = _poster(project, dt.date(2027, 4, 10))
    assert (april.kind, april.action, april.event.id) == (
        "workshop", "Tule työpajaan", "hankepaja-2027")


# --- years as an archive ---------------------------------------------------------------------

_NEXT_ROUND = """\
round:
  id: neulamaki-2025
  title: {fi: Neulamäen osallistuva budjetointi 2025, en: Neulamäki participatory budgeting 2025}
  budget: 40000
  rule: greedy
  phases:
    - {kind: ideas, start: 2025-01-13, end: 2025-02-16}
    - {kind: voting, start: 2025-03-24, end: 2025-04-06}
  proposals:
    - {id: "301", title: {fi: Penkit kävelyreitille, en: Benches on the walking route}, cost: 8000}
"""


def _next_year(tmp_path: Path, year: str = "2023") -> Path:
    """A copy of the sample where Neulamäki's 2023 round is archived and a 2025 round began."""
    from .conftest import copy_project

    root = copy_project(tmp_path / "p")
    area = root / "areas" / "neulamaki"
    (area / "archive" / year).mkdir(parents=True)
    for name in ("budget.yaml", "budget.decidim.yaml", "budget.tally.yaml"):
        if (area / name).exists():
            (area / name).rename(area / "archive" / year / name)
    (area / "budget.yaml").write_text(_NEXT_ROUND, encoding="utf-8")
    return root


def test_a_new_year_keeps_the_last_round_readable_at_its_own_address(
        tmp_path: Path, sample) -> None:  # type: ignore[no-untyped-def]
    root = _next_year(tmp_path)
    config, programme = load(root)
    data = programme.area("neulamaki")
    assert data.round.id == "neulamaki-2025"
    assert [r.id for r in data.past_rounds] == ["neulamaki-2023"]
    files = build_language_tree(programme, config, Translator(config.language("en")),
                                TODAY, []).files
    # The current round at the unversioned address and at its year's; 2023 at its own.
    assert "Neulamäki participatory budgeting 2025" in files["neulamaki/budget.md"]
    assert "Neulamäki participatory budgeting 2025" in files["neulamaki/budget/2025.md"]
    assert 'lahio_canonical: "https://www.kuopio.fi/lahiot/en/neulamaki/budget/"' in \
        files["neulamaki/budget/2025.md"]
    old = files["neulamaki/budget/2023.md"]
    assert "lahio_canonical" not in old
    note = _text(re.search(r'<p class="lahio-archive-note">.*?</p>', old, re.S).group(0)
                 ).replace(" .", ".")
    assert note == ("Archive: the participatory budgeting of 2023. The current round: "
                    "Neulamäki participatory budgeting 2025")
    # The archived page shows the year's results as they were: the same funded proposals.
    before = _files(sample, "en")["neulamaki/budget.md"]
    funded = re.compile(r'<tr id="p-(\w+)" class="lahio-funded-row"')
    assert funded.findall(old) == funded.findall(before) == ["101", "102", "103", "105", "106"]
    # The area page and both budget pages list every year, each linked to its address.
    for page, here in (("neulamaki/index.md", "neulamaki/"),
                       ("neulamaki/budget.md", "neulamaki/budget/"),
                       ("neulamaki/budget/2023.md", "neulamaki/budget/2023/")):
        years = re.search(r'<section class="lahio-years".*?</section>', files[page], re.S)
        assert years, page
        links = re.findall(r'href="([^"]+)"', years.group(0))
        resolved = [posixpath.normpath(posixpath.join(here, link)) + "/" for link in links]
        assert resolved == ["neulamaki/budget/2025/", "neulamaki/budget/2023/"], page
        assert "(current round)" in _text(years.group(0))
    # What residents said about a 2023 proposal leads to the 2023 page.
    themes = files["neulamaki/themes.md"]
    assert 'href="../budget/2023/#p-101"' in themes
    # Open data keeps the year too: the 2023 round with its results, valid by the schema.
    import jsonschema

    from generator.channels.opendata import SCHEMA

    record = area_record(data)
    assert record["budget"]["year"] == 2025
    assert [(b["id"], b["year"]) for b in record["past_budgets"]] == [("neulamaki-2023", 2023)]
    assert [p["id"] for p in record["past_budgets"][0]["proposals"] if p["funded"]] == [
        "101", "102", "103", "105", "106"]
    jsonschema.validate(record, SCHEMA["properties"]["areas"]["items"])
    # Every short link printed for the area still leads to a page.
    registry = (root / "qr-codes.yaml").read_text(encoding="utf-8")
    targets = re.findall(r"target: (en/neulamaki/\S*)}", registry)
    assert targets
    pages = {("" if f.endswith("index.md") else f[:-3] + "/") if not f.endswith("/index.md")
             else f[: -len("index.md")] for f in files}
    for target in targets:
        assert target.removeprefix("en/") in pages, target


def test_an_archived_round_in_the_wrong_year_or_with_a_used_id_is_reported(
        tmp_path: Path) -> None:
    root = _next_year(tmp_path, year="2022")
    area = root / "areas" / "neulamaki"
    (area / "budget.yaml").write_text(_NEXT_ROUND.replace("neulamaki-2025", "neulamaki-2023"),
                                      encoding="utf-8")
    (area / "archive" / "old").mkdir()
    with pytest.raises(DataError) as caught:
        load(root)
    report = str(caught.value)
    assert ("areas/neulamaki/archive/2022/budget.yaml:16: round.phases: the round's vote is in "
            "2023, but it is archived under 2022/; move it to archive/2023/") in report
    assert ("areas/neulamaki/budget.yaml:2: round.id: round id 'neulamaki-2023' is already the "
            "id of the 2023 round; give each year's round its own id, e.g. 'neulamaki-2025'"
            ) in report
    assert "areas/neulamaki/archive/old: folder name 'old' is not a year" in report


def test_an_edit_in_the_archive_is_read_by_the_next_build(tmp_path: Path) -> None:
    root = _next_year(tmp_path)
    _config, programme = load(root)  # fills the cache of loaded areas
    path = root / "areas" / "neulamaki" / "archive" / "2023" / "budget.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "en: Neulamäki participatory budgeting 2023",
        "en: Neulamäki participatory budgeting 2023 (archived)"), encoding="utf-8")
    _config, again = load(root)
    old = again.area("neulamaki").past_rounds[0]
    assert old.title.get("en") == "Neulamäki participatory budgeting 2023 (archived)"
    assert programme.area("neulamaki").past_rounds[0].title.get("en") != old.title.get("en")


# --- development years as an archive ---------------------------------------------------------

_NEXT_DEVELOPMENT_YEAR = """\
year: 2026
phases:
  - {kind: preparation, start: 2026-01-12, end: 2026-03-31}
  - kind: situation-picture
    start: 2026-11-02
    end: 2026-12-18
    what: {fi: Uusi tilannekuva kerrotaan asukkaille., en: The new situation picture is told to residents.}
decisions:
  - {date: 2026-02-16, kind: area-chosen, body: {fi: Kaupunginhallitus, en: City Board}, section: "§ 58"}
"""


def _next_development_year(tmp_path: Path) -> Path:
    """A copy of the sample where Neulamäki's development year 2023 (with its evaluation) is
    archived and the year 2026 began (no evaluation yet)."""
    from .conftest import copy_project

    root = copy_project(tmp_path / "p")
    area = root / "areas" / "neulamaki"
    (area / "archive" / "2023").mkdir(parents=True)
    (area / "process.yaml").rename(area / "archive" / "2023" / "process.yaml")
    (area / "process.yaml").write_text(_NEXT_DEVELOPMENT_YEAR, encoding="utf-8")
    return root


def _links(section: str, here: str) -> list[str]:
    """The section's links, resolved from the page ``here`` (anchors kept)."""
    out = []
    for href in re.findall(r'href="([^"]+)"', section):
        path, _, anchor = href.partition("#")
        target = posixpath.normpath(posixpath.join(here, path)) + "/"
        out.append(target + (f"#{anchor}" if anchor else ""))
    return out


def test_an_archived_development_year_stays_readable_at_its_own_address(
        tmp_path: Path) -> None:
    config, programme = load(_next_development_year(tmp_path))
    data = programme.area("neulamaki")
    assert data.process.year == 2026
    assert [p.year for p in data.past_processes] == [2023]
    files = build_language_tree(programme, config, Translator(config.language("en")),
                                TODAY, []).files
    # The year 2023 at its own address, with that year's evaluation in figures and decisions.
    page = files["neulamaki/evaluation/2023.md"]
    assert "lahio_canonical" not in page
    text = _text(page)
    assert "Evaluation 2025: Neulamäki" in text
    assert "Workshop participants: 34" in text and "People met in outreach: 87" in text
    assert "Voters: 689" in text  # the 2023 round's turnout, archived with the year
    assert "City Board § 412" in text and "Local-democracy subcommittee § 23" in text
    note = _text(re.search(r'<p class="lahio-archive-note">.*?</p>', page, re.S).group(0))
    assert note.replace(" .", ".") == ("Archive: the area development of 2023. The current "
                                       "year: Area development 2026")
    assert 'href="../../#development"' in page   # the current year's phases, on the area page
    # What only the current year's pages show otherwise: the year's phases and what we heard.
    assert "Area development 2023" in _text(_section(page, "lahio-development"))
    heard = _text(_section(page, "lahio-heard"))
    assert "The schoolyard is run down" in heard and "A swimming hall in Neulamäki" in heard
    assert "lahio-decisions" not in page   # the evaluation lists the decisions once
    assert 'href="../../../../print/neulamaki/en/evaluation-2023-a4.pdf"' in page
    # The area page shows the current year and lists both, each linked to its page.
    area_page = files["neulamaki/index.md"]
    assert "Area development 2026" in _text(_section(area_page, "lahio-development"))
    assert "The schoolyard is run down" not in _text(area_page)
    years = _section(area_page, "lahio-years lahio-years--development")
    assert _links(years, "neulamaki/") == ["neulamaki/#development",
                                          "neulamaki/evaluation/2023/"]
    assert _text(years) == ("Area development by year Area development 2026 (current year) "
                            "Area development 2023: Evaluation 2025")
    assert _links(_section(page, "lahio-years lahio-years--development"),
                  "neulamaki/evaluation/2023/") == _links(years, "neulamaki/")
    # No current evaluation yet: no unversioned evaluation page, and no year page for 2026.
    assert "neulamaki/evaluation.md" not in files and "neulamaki/evaluation/2026.md" not in files
    # Other languages say the same in their own words.
    fi = build_language_tree(programme, config, Translator(config.language("fi")), TODAY,
                             []).files["neulamaki/evaluation/2023.md"]
    assert "Arkisto: alueen kehittäminen vuonna" in fi and "Arviointi" in fi


def test_the_current_year_page_names_the_unversioned_page_canonical(sample) -> None:  # type: ignore[no-untyped-def]
    from generator.site.pages import canonical_elsewhere

    files = _files(sample, "en")
    year = files["neulamaki/evaluation/2023.md"]
    assert 'lahio_canonical: "https://www.kuopio.fi/lahiot/en/neulamaki/evaluation/"' in year
    assert "lahio_canonical" not in files["neulamaki/evaluation.md"]
    # The same evaluation at both addresses; the year page links the year's own PDF.
    assert "Evaluation 2025: Neulamäki" in _text(year)
    assert "Workshop participants: 34" in _text(year)
    assert "evaluation-2023-a4.pdf" in year and "evaluation-a4.pdf" in files[
        "neulamaki/evaluation.md"]
    assert "lahio-archive-note" not in year
    # Only one year, the current one: no list of years.
    assert "lahio-years--development" not in files["neulamaki/index.md"]
    assert set(canonical_elsewhere(files)) == {"neulamaki/budget/2023.md",
                                               "neulamaki/evaluation/2023.md",
                                               "mannisto/budget/2027.md"}


def test_an_archived_development_year_with_problems_is_reported_all_at_once(
        tmp_path: Path) -> None:
    root = _next_development_year(tmp_path)
    area = root / "areas" / "neulamaki"
    (area / "archive" / "2023").rename(area / "archive" / "2022")
    archived = area / "archive" / "2022" / "process.yaml"
    text = archived.read_text(encoding="utf-8")
    archived.write_text(text.replace("ref: koulun-piha", "ref: koulun-pihaa"), encoding="utf-8")
    (area / "process.yaml").write_text(_NEXT_DEVELOPMENT_YEAR.replace("year: 2026",
                                                                      "year: 2021"),
                                       encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load(root)
    report = str(caught.value)
    rel = "areas/neulamaki/archive/2022/process.yaml"
    assert (f"{rel}:4: year: the development year is 2023, but it is archived under 2022/; "
            "move it to archive/2023/") in report
    assert re.search(rf"{re.escape(rel)}:\d+: heard\[0\]\.points\[0\]\.ref: unknown project "
                     r"'koulun-pihaa' — did you mean 'koulun-piha'\?", report), report
    assert ("areas/neulamaki/process.yaml:1: year: the current development year is 2021, but "
            "the archive holds the year 2023; process.yaml must be the newest year, e.g. 2024"
            ) in report
    # A file that does not parse still has its year checked, in the same run.
    archived.write_text(text.replace("  - kind: outreach\n", "  - kind: jalkautuminen\n"),
                        encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load(root)
    report = str(caught.value)
    assert f"{rel}:37: phases[3].kind: got 'jalkautuminen'; expected one of" in report
    assert f"{rel}:4: year: the development year is 2023, but it is archived" in report


def test_an_archived_year_may_keep_its_development_year_only(tmp_path: Path) -> None:
    root = _next_development_year(tmp_path)
    # archive/2023/ holds process.yaml and no round: the 2023 round is still the current one.
    _config, programme = load(root)
    data = programme.area("neulamaki")
    assert data.round.year == 2023 and data.past_rounds == ()


def test_each_years_evaluation_pdf_is_one_a4_page_naming_its_year(tmp_path: Path) -> None:
    from generator.print.evaluation import build_evaluation_reports

    root = _next_development_year(tmp_path)
    config, programme = load(root)
    fi = config.language("fi")
    out = tmp_path / "out"
    ctx = BuildContext(root, config, programme, TODAY, out, None, {"fi": Translator(fi)})
    assert build_evaluation_reports(ctx) == 1
    folder = out / "print" / "neulamaki" / "fi"
    assert sorted(p.name for p in folder.iterdir()) == ["evaluation-2023-a4.pdf"]
    pdf = pypdfium2.PdfDocument(folder / "evaluation-2023-a4.pdf")
    assert len(pdf) == 1
    w, h = pdf[0].get_size()
    assert (round(w / 72 * 25.4), round(h / 72 * 25.4)) == (210, 297)
    assert pdfium_raw.FPDFCatalog_IsTagged(pdf.raw)
    text = re.sub(r"\s+", " ", pdf[0].get_textpage().get_text_range())
    assert "Arviointi 2025: Neulamäki" in text
    assert "fi/neulamaki/evaluation/2023/" in text.replace(" ", "")  # the year's own page
    assert "Kaupunginhallitus § 412" in text
    pdf.close()
    assert render_evaluation_html(ctx, "neulamaki", "fi", 2026) is None  # not archived


def test_an_unchanged_evaluation_is_not_made_again_and_an_edited_one_is(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build whose area files, settings and date are unchanged takes the evaluation PDFs
    from the cache without making their HTML; an edit of the archived year's file makes that
    year's PDF again, with the edit in it."""
    from generator.print import evaluation

    root = _next_development_year(tmp_path)
    real = evaluation.render_evaluation_html
    pdf = tmp_path / "out" / "print" / "neulamaki" / "fi" / "evaluation-2023-a4.pdf"

    def build_once() -> list[tuple[str, str, int | None]]:
        config, programme = load(root)
        ctx = BuildContext(root, config, programme, TODAY, tmp_path / "out", None,
                           {"fi": Translator(config.language("fi"))})
        made: list[tuple[str, str, int | None]] = []

        def counted(ctx_: BuildContext, slug: str, lang: str,
                    year: int | None = None) -> str | None:
            made.append((slug, lang, year))
            return real(ctx_, slug, lang, year)

        monkeypatch.setattr(evaluation, "render_evaluation_html", counted)
        assert evaluation.build_evaluation_reports(ctx) == 1
        return made

    assert build_once() == [("neulamaki", "fi", 2023)]
    first = pdf.read_bytes()
    assert build_once() == []
    assert pdf.read_bytes() == first
    archived = root / "areas" / "neulamaki" / "archive" / "2023" / "process.yaml"
    archived.write_text(archived.read_text(encoding="utf-8").replace("§ 412", "§ 413"),
                        encoding="utf-8")
    assert build_once() == [("neulamaki", "fi", 2023)]
    text = pypdfium2.PdfDocument(pdf)[0].get_textpage().get_text_range()
    assert "§ 413" in text and "§ 412" not in text


def test_the_current_years_evaluation_pdf_is_also_at_its_years_address(
        sample, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from generator.print.evaluation import build_evaluation_reports

    config, programme = sample
    ctx = BuildContext(tmp_path, config, programme, TODAY, tmp_path / "out", None,
                       {"en": Translator(config.language("en"))})
    assert build_evaluation_reports(ctx) == 2
    folder = tmp_path / "out" / "print" / "neulamaki" / "en"
    assert sorted(p.name for p in folder.iterdir()) == ["evaluation-2023-a4.pdf",
                                                        "evaluation-a4.pdf"]
    assert (folder / "evaluation-2023-a4.pdf").read_bytes() == \
        (folder / "evaluation-a4.pdf").read_bytes()


def test_open_data_keeps_every_development_year(tmp_path: Path) -> None:
    import jsonschema

    from generator.channels.opendata import SCHEMA

    _config, programme = load(_next_development_year(tmp_path))
    rec = area_record(programme.area("neulamaki"))
    assert rec["development"]["year"] == 2026
    assert [d["section"] for d in rec["decisions"]] == ["§ 58"]
    [past] = rec["past_development"]
    assert past["year"] == 2023 and len(past["phases"]) == 8
    assert [d["section"] for d in past["decisions"]] == ["§ 412", "§ 23"]
    assert [(h["id"], h["participants"]) for h in past["heard"]] == [
        ("tyopaja-1", 34), ("jalkautuminen-nuoret", 87)]
    assert past["heard"][0]["points"][0]["ref"] == "koulun-piha"
    assert (past["evaluation"]["year"], past["evaluation"]["start_year"],
            past["evaluation"]["short_link_visits"]) == (2025, 2017, 1240)
    doc = {"licence": "CC-BY-4.0", "licence_url": None, "publisher": "Kuopio",
           "generated": "2026-11-28", "areas": [rec]}
    jsonschema.validate(doc, SCHEMA)
    from generator.channels.opendata import render_csvs

    decisions = render_csvs([rec], ("fi", "en"))["decisions.csv"].splitlines()
    assert [row.split(",")[1] for row in decisions[1:]] == ["2026-02-16", "2022-11-21",
                                                            "2023-05-15"]


def test_short_links_lead_to_a_page_after_the_last_round_was_archived(tmp_path: Path) -> None:
    from generator.context import page_url_of
    from generator.shortlinks import load_registry, redirect_target

    root = _next_year(tmp_path)
    (root / "areas" / "neulamaki" / "budget.yaml").unlink()  # no new round has begun yet
    config, programme = load(root)
    pages = set()
    for code in ("fi", "en"):
        tree = build_language_tree(programme, config, Translator(config.language(code)), TODAY,
                                   [])
        pages |= {f"{code}/{page_url_of(rel)}" for rel in tree.files}
    assert "en/neulamaki/budget/" not in pages and "en/neulamaki/budget/2023/" in pages
    registry = load_registry(root)
    checked = 0
    for link in registry.values():
        if link.area != "neulamaki" or link.lang not in ("fi", "en"):
            continue
        target = redirect_target(link, pages).split("?")[0]
        assert target in pages, (link, target)
        if link.channel in ("ballot", "results"):
            # The page that moved under its year, not the area page.
            assert target == f"{link.lang}/neulamaki/budget/2023/", link
        else:
            assert target == link.target, link
        checked += 1
    assert checked >= 10


def test_the_sitemap_lists_the_current_year_at_its_canonical_address_only(
        sample, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from generator.site.stage import write_sitemap

    config, programme = sample
    trs = {"fi": Translator(config.language("fi"))}
    ctx = BuildContext(tmp_path, config, programme, TODAY, tmp_path / "out", None, trs)
    ctx.trees["fi"] = build_language_tree(programme, config, trs["fi"], TODAY, [])
    (tmp_path / "out").mkdir()
    write_sitemap(ctx)
    sitemap = (tmp_path / "out" / "sitemap.xml").read_text(encoding="utf-8")
    locs = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    root = "https://www.kuopio.fi/lahiot/fi/"
    for canonical in ("neulamaki/budget/", "neulamaki/evaluation/", "mannisto/budget/"):
        assert root + canonical in locs, canonical
    # The current year's pages repeat those: no address of theirs, nor an alternate.
    for duplicate in ("neulamaki/budget/2023/", "neulamaki/evaluation/2023/",
                      "mannisto/budget/2027/"):
        assert duplicate not in sitemap, duplicate
    # Every other page is listed, in every language.
    pages = set(ctx.trees["fi"].page_urls()) - {"neulamaki/budget/2023/",
                                                "neulamaki/evaluation/2023/",
                                                "mannisto/budget/2027/"}
    assert len(locs) == len(pages) * len(config.languages)
