"""Participatory budgeting: selection rules, the Decidim import, paper tallies, results pages.

Expected values are worked out by hand from the shared Decidim sample (50 000 €):

    rank id   votes cost    greedy: left after        stop-at-first-miss
    1    101  412   18 000  funded 32 000             funded
    2    102  388    6 500  funded 25 500             funded
    3    103  301    4 000  funded 21 500             funded
    4    104  297   26 000  does not fit (21 500)     does not fit: stop here
    5    105  140    3 000  funded 18 500             not funded
    6    106  139    9 000  funded  9 500             not funded
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.build import build
from generator.data.load import load
from generator.cli import main
from generator.data.model import Proposal, Round, Votes
from generator.data.schema import Text
from generator.errors import DataError
from generator.i18n import Translator
from generator.print.tally import render_tally_template
from generator.site.pages import build_language_tree
from generator.views import budget as rules
from generator.views.charts import PAD, WIDTH, Bar, Divider, Group, render_bar_chart

from .conftest import ROOT

SHARED = Path("/work/shared/data/decidim")
PROJECTS = "osallistu.example.fi-open-data-projects.csv"
RESULTS = "osallistu.example.fi-open-data-results.csv"
TODAY = dt.date(2026, 11, 28)


def _exports(tmp: Path) -> tuple[Path, Path]:
    """The shared sample export, copied (the shared folder is read-only)."""
    src = SHARED if (SHARED / PROJECTS).exists() else None
    if src is None:
        pytest.fail(f"the shared Decidim sample is missing: {SHARED / PROJECTS}")
    dest = tmp / "export"
    dest.mkdir()
    return Path(shutil.copy(src / PROJECTS, dest)), Path(shutil.copy(src / RESULTS, dest))


def _import(project: Path, *args: str) -> int:
    return main(["--root", str(project), "import", "decidim", *args])


def _funded(project: Path, slug: str = "neulamaki", rule: str | None = None) -> list[str]:
    _config, programme = load(project)
    rnd = programme.area(slug).round
    return [o.proposal.id for o in rules.select(rnd, rule) if o.funded]


def _cells(row: str) -> list[str]:
    """Cell texts of a table row, tags removed, Babel's no-break spaces as plain spaces."""
    cells = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row)]
    return [re.sub(r"[\u00a0\u202f]", " ", c) for c in cells]


def _page(project: Path, lang: str, path: str) -> str:
    config, programme = load(project)
    tr = Translator(config.language(lang))
    return build_language_tree(programme, config, tr, TODAY, []).files[path]


# --- the sample, imported for real -------------------------------------------------------

def test_import_of_the_shared_sample_gives_both_rules_results(project: Path, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]
                                                              ) -> None:
    projects, results = _exports(tmp_path)
    target = project / "areas" / "neulamaki" / "budget.decidim.yaml"
    target.unlink()
    assert _import(project, "--area", "neulamaki=budget:11", str(projects), str(results)) == 0
    out = capsys.readouterr().out
    assert "added 101" in out and "added 106" in out
    # Männistö's result (scope 2) is another area's: not reported as a problem of this one.
    assert "504" not in out and "matches no" not in out
    # The committed sample is exactly what the importer writes.
    assert target.read_bytes() == (ROOT / "areas/neulamaki/budget.decidim.yaml").read_bytes()
    assert _funded(project, rule="greedy") == ["101", "102", "103", "105", "106"]
    assert _funded(project, rule="stop-at-first-miss") == ["101", "102", "103"]

    _config, programme = load(project)
    by_id = {p.id: p for p in programme.area("neulamaki").round.proposals}
    assert by_id["106"].title.get("fi") == "-Valaistus alikulkuun"  # guard apostrophe removed
    assert (by_id["101"].status, by_id["101"].progress) == ("in-progress", 60)  # results CSV
    assert (by_id["102"].status, by_id["102"].progress) == ("done", 100)
    assert by_id["101"].theme == "infra"  # hand override in budget.yaml kept
    assert by_id["102"].summary.get("fi") == ("Kymmenen penkkiä; kuusi roska-astiaa.\n\n"
                                              "Reitti: Neulamäentie – Kuntokatu.")


def test_reimport_is_byte_identical_and_says_so(project: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    projects, results = _exports(tmp_path)
    target = project / "areas" / "neulamaki" / "budget.decidim.yaml"
    args = ("--area", "neulamaki=budget:11", str(projects), str(results))
    assert _import(project, *args) == 0
    first = target.read_bytes()
    stat = target.stat().st_mtime_ns
    assert _import(project, *args) == 0
    assert target.read_bytes() == first
    assert target.stat().st_mtime_ns == stat  # not even rewritten
    assert "no changes (6 proposals)" in capsys.readouterr().out


def test_reimport_reports_what_changed(project: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    projects, _results = _exports(tmp_path)
    text = projects.read_text(encoding="utf-8").replace(";11;6500;388;", ";11;6500;400;")
    projects.write_text(text, encoding="utf-8")
    assert _import(project, "--area", "neulamaki=budget:11", str(projects)) == 0
    out = capsys.readouterr().out
    # 102's votes changed; without the results file status, progress and dates are gone.
    assert "changed 102: end, progress, start, status, votes" in out
    assert "changed 104" not in out


def test_results_page_draws_a_funding_line_only_where_it_is_true(project: Path) -> None:
    html = _page(project, "fi", "neulamaki/budget.md")
    rows = re.findall(r'<tr (?:id="p-(\d+)"|class="lahio-line")', html)
    # Greedy skipped 104 and funded 105 and 106 below it: no line would be true.
    assert rows == ["101", "102", "103", "104", "105", "106"]
    assert "Rahoitusraja" not in html and "Funding line" not in html
    assert "kaikki rajan alapuolella" not in html
    assert html.count('class="lahio-funded-row"') == 5
    # Each row: its outcome where it stands and the money left after it.
    left = {pid: _cells(re.search(rf'<tr id="p-{pid}".*?</tr>', html, re.S).group(0))[7:9]
            for pid in ("101", "102", "103", "104", "105", "106")}
    assert left["101"] == ["32 000 €", "✓ Rahoitetaan"]
    assert left["104"] == ["21 500 €",
                           "Ohitettu: 26 000 € ei mahtunut jäljellä olevaan rahaan (21 500 €)"]
    assert left["105"][0] == "18 500 €" and left["106"][0] == "9 500 €"
    # Every amount is one isolated run, never split at its no-break space.
    assert not re.search(r"</bdi>[\u00a0 ]<bdi[^>]*>\d", html)
    budget = project / "areas" / "neulamaki" / "budget.yaml"
    budget.write_text(budget.read_text(encoding="utf-8").replace(
        "rule: greedy", "rule: stop-at-first-miss"), encoding="utf-8")
    html = _page(project, "fi", "neulamaki/budget.md")
    rows = re.findall(r'<tr (?:id="p-(\d+)"|class="lahio-line")', html)
    assert rows == ["101", "102", "103", "", "104", "105", "106"]
    assert html.count('class="lahio-funded-row"') == 3
    # Votes online, paper, total, share, cost and the money left after each funded proposal.
    row = re.search(r'<tr id="p-102".*?</tr>', html, re.S).group(0)
    cells = _cells(row)
    assert cells[2:8] == ["388", "–", "388", "23,1 %", "6 500 €", "25 500 €"]  # 388/1677


def test_implementation_is_tracked_on_the_area_and_budget_pages(project: Path) -> None:
    for path in ("neulamaki/index.md", "neulamaki/budget.md"):
        html = _page(project, "en", path)
        assert "In progress" in html and re.search(r">60[\u00a0 ]?%<", html)
        assert '<time datetime="2023-08-01">' in html  # dated update of proposal 101
    area = _page(project, "en", "neulamaki/index.md")
    assert area.count('href="budget/#impl-') == 5  # every funded proposal, linked
    assert "Done" in area


# --- rules -------------------------------------------------------------------------------

def _round(rule: str, budget: int, *props: tuple[str, int, int | None]) -> Round:
    return Round(id="r", title=Text.fi("r"), budget=budget, rule=rule, phases=(),  # type: ignore[arg-type]
                 proposals=tuple(Proposal(id=i, title=Text.fi(i), cost=cost,  # type: ignore[arg-type]
                                          votes=None if v is None else Votes(online=v))
                                 for i, cost, v in props))


def test_ties_go_to_the_cheaper_then_lower_id() -> None:
    rnd = _round("greedy", 25000, ("a", 20000, 100), ("c", 10000, 100), ("b", 10000, 100),
                 ("d", 1000, 101))
    assert [p.id for p in rules.rank_proposals(rnd)] == ["d", "b", "c", "a"]
    # 25 000: d (24 000 left), b (14 000), c (4 000), a does not fit.
    assert [o.proposal.id for o in rules.select(rnd) if o.funded] == ["d", "b", "c"]
    assert [o.reason for o in rules.select(rnd)][-1] == "too-expensive"


def test_unknown_votes_come_last_and_are_never_funded() -> None:
    rnd = _round("greedy", 100000, ("x", 1000, None), ("y", 5000, 0), ("z", 9000, 3))
    outcomes = rules.select(rnd)
    assert [o.proposal.id for o in outcomes] == ["z", "y", "x"]
    assert [o.funded for o in outcomes] == [True, True, False]  # 85 000 € left, still not x
    assert outcomes[-1].reason == "no-votes"
    stop = rules.select(rnd, "stop-at-first-miss")
    assert [o.funded for o in stop] == [True, True, False]
    assert not rules.has_results(rnd)


# --- hostile export ------------------------------------------------------------------------

HOSTILE = [
    ("301", "<script>alert(1)</script>Pahis",
     '<p onclick="steal()">Hei<img src=x onerror=alert(2)><a href="javascript:alert(3)">'
     'klik</a><script>alert(4)</script></p><iframe src="https://evil.example"></iframe>'),
    ("302", "'=HYPERLINK(\"http://evil.example\";\"x\")",
     '<p><a href=" JaVaScRiPt:alert(5)">toinen</a> <a href="https://ok.example/a">hyvä</a></p>'),
    ("303", "'+cmd|' /C calc'!A0", "<p style=\"x\" onmouseover=\"alert(6)\">kolmas</p>"),
    ("304", "'-2+3", "<svg onload=alert(7)><p>neljäs</p></svg><p>näkyy</p>"),
    ("305", "'@SUM(1+1)*cmd", "<p>[x](javascript:alert(8)) &lt;script&gt;alert(9)&lt;/script&gt;</p>"),
]


def _hostile_csv(path: Path) -> Path:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\n")
    w.writerow(["id", "budget/id", "title/fi", "title/en", "description/fi", "budget_amount",
                "confirmed_votes", "selected_at", "url", "surprise/column"])
    for n, (pid, title, desc) in enumerate(HOSTILE):
        w.writerow([pid, "12", title, "", desc, 1000 * (n + 1), 10 - n, "", "javascript:alert(0)",
                    "x"])
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.bad: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.lower().startswith("on"):
                self.bad.append(f"<{tag} {name}>")
            if name.lower() in ("href", "src", "action", "formaction", "xlink:href") and \
                    re.match(r"\s*(javascript|data|vbscript):", value or "", re.I):
                self.bad.append(f"<{tag} {name}={value}>")
        if tag in ("iframe", "object", "embed"):
            self.bad.append(f"<{tag}>")
        self.in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script and "alert" in data:
            self.bad.append(f"script: {data[:40]}")


def test_hostile_export_leaves_nothing_active(project: Path, tmp_path: Path) -> None:
    (project / "areas" / "mannisto" / "budget.yaml").unlink()
    export = _hostile_csv(tmp_path / "hostile.csv")
    assert _import(project, "--area", "mannisto=budget:12", "--budget", "50000",
                   str(export)) == 0
    written = (project / "areas" / "mannisto" / "budget.yaml").read_text(encoding="utf-8")
    assert "budget: 50000" in written and "rule: greedy" in written  # the starter round
    build(project, only=("site",), log=lambda _m: None)
    pages = sorted((project / "site").glob("*/mannisto/**/*.html"))
    assert len(pages) >= 7
    for page in pages:
        html = page.read_text(encoding="utf-8")
        checker = _Tags()
        checker.feed(html)
        assert checker.bad == [], page
    budget = (project / "site" / "fi" / "mannisto" / "budget" / "index.html").read_text(
        encoding="utf-8")
    # The texts are there, as text: the test would fail if they had been dropped.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Pahis" in budget
    assert "=HYPERLINK(" in budget and "klik" in budget and "näkyy" in budget
    assert "neljäs" not in budget  # inside <svg>: dropped with it
    assert 'href="https://ok.example/a"' in budget
    # The tally sheet: no cell a spreadsheet would run as a formula.
    _config, programme = load(project)
    tr = Translator(_config.language("fi"))
    sheet = render_tally_template(programme.area("mannisto").round, tr).decode("utf-8-sig")
    cells = [c for row in csv.reader(io.StringIO(sheet), delimiter=";") for c in row]
    assert "'=HYPERLINK(\"http://evil.example\";\"x\")" in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]


# --- paper votes ---------------------------------------------------------------------------

def test_tally_round_trip_shows_paper_and_total_votes(warm_project: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    project = warm_project  # with the sample's build cache: only what changed is drawn
    build(project, only=("print",), log=lambda _m: None)
    sheet_path = project / "site" / "print" / "neulamaki" / "fi" / "tally.csv"
    raw = sheet_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads it as UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["id", "title", "cost", "paper_votes"]
    assert rows[1] == ["101", "Neulamäen skeittiparkin kunnostus", "18000", ""]
    assert (project / "site" / "print" / "neulamaki" / "ar" / "tally.csv").is_file()
    # The last row counts the ballots returned at the round's return place.
    assert rows[-1] == ["ballots", "Palautettuja lomakkeita: Neulamäen kirjasto, palautuslaatikko",
                        "", ""]
    paper = {"101": "10", "102": "5", "103": "0", "104": "120", "105": "7", "106": "",
             "ballots": "61"}
    filled = tmp_path / "laskettu.csv"
    with filled.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(rows[0])
        for row in rows[1:]:
            w.writerow(row[:3] + [paper[row[0]]])
        w.writerow(["ballots", "Nuorisotalo", "", "20"])  # a second place, added by hand
    assert main(["--root", str(project), "import", "tally", "neulamaki", str(filled)]) == 0
    out = capsys.readouterr().out
    assert "5 paper counts, 142 votes in total" in out and "left blank" in out and "106" in out
    assert "81 paper ballots returned" in out
    # Turnout: 689 online voters (budget.yaml) + 81 paper ballots, and the page says how.
    html = _page(project, "fi", "neulamaki/budget.md")
    text = re.sub(r"<[^>]+>", "", html).replace("\u00a0", " ")
    assert "770 henkilöä äänesti. Verkossa: 689. Paperilla: 81." in text
    assert "(Äänestysaktiivisuus: 17,9 %" in text  # 770 / 4 300
    html = _page(project, "fi", "neulamaki/budget.md")
    row = re.search(r'<tr id="p-104".*?</tr>', html, re.S).group(0)
    cells = _cells(row)
    assert cells[2:5] == ["297", "120", "417"]
    # 101 (422), 104 (417), 102 (393), 103 (301), 105 (147), 106 (139): greedy funds 101
    # (32 000 left), 104 (6 000 left), skips 102 (6 500), funds 103 (2 000), skips the rest.
    assert _funded(project) == ["101", "104", "103"]


def test_tally_errors_are_all_reported_with_their_place(project: Path, tmp_path: Path) -> None:
    bad = tmp_path / "tally.csv"
    bad.write_text("id,title,cost,paper_votes\n101,a,1,12\n107,b,1,3\n102,c,1,-3\n"
                   "103,d,1,12.5\n101,e,1,4\n104,f,1,kaksi\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        from generator.data.load import load_config_only
        from generator.importers.tally import import_tally
        import_tally(load_config_only(project), "neulamaki", bad, shown="tally.csv")
    assert [str(p) for p in err.value.problems] == [
        "tally.csv:3: id: unknown proposal '107' — did you mean '106'?",
        "tally.csv:4: paper_votes: expected a whole number 0 or more, got '-3'",
        "tally.csv:5: paper_votes: expected a whole number 0 or more, got '12.5'",
        "tally.csv:6: id: proposal '101' is listed twice (first on line 2)",
        "tally.csv:7: paper_votes: expected a whole number 0 or more, got 'kaksi'",
    ]
    assert not (project / "areas" / "neulamaki" / "budget.tally.yaml").exists()


def test_decidim_errors_are_located_and_nothing_is_written(project: Path, tmp_path: Path) -> None:
    bad = tmp_path / "p.csv"
    bad.write_text("id;budget/id;title/en;budget_amount;confirmed_votes\n"
                   "101;11;Skatepark;18 000 €;x\n102;11;Benches;6500;\n", encoding="utf-8")
    before = (project / "areas" / "neulamaki" / "budget.decidim.yaml").read_bytes()
    with pytest.raises(DataError) as err:
        from generator.data.load import load_config_only
        from generator.importers.decidim import import_decidim, parse_selection
        import_decidim(load_config_only(project), [parse_selection("neulamaki=11")], bad,
                       shown=("p.csv", None))
    assert [str(p) for p in err.value.problems] == [
        "p.csv:2: budget_amount: expected a whole number of euros, got '18 000 €'",
        "p.csv:2: confirmed_votes: expected a whole number 0 or more (or empty when not "
        "known), got 'x'",
        "p.csv:2: title/fi: no Finnish title; every text needs Finnish (the language every "
        "other one falls back to) — add it on the platform",
        "p.csv:3: title/fi: no Finnish title; every text needs Finnish (the language every "
        "other one falls back to) — add it on the platform",
    ]
    assert (project / "areas" / "neulamaki" / "budget.decidim.yaml").read_bytes() == before


def test_decidim_030_columns_and_hidden_votes(project: Path, tmp_path: Path) -> None:
    """0.30: taxonomies instead of scopes, selected_at, empty confirmed_votes, new columns."""
    export = tmp_path / "p030.csv"
    export.write_text(
        "title/sv;title/fi;taxonomies/id;taxonomies/name/fi;budget/title/fi;id;budget_amount;"
        "confirmed_votes;selected_at;latitude;title/machine_translations/en;description/fi\n"
        "Bänkar;Penkit;3, 7;Neulamäki;Budjetti;401;5000;;2025-05-01 10:00:00 UTC;62.8;Benches;"
        "<p>Rivi yksi<br>rivi kaksi</p>\n"
        "Lampor;Valot;7;Neulamäki;Budjetti;402;7000;;;62.8;Lights;\n",
        encoding="utf-8")
    (project / "areas" / "neulamaki" / "budget.yaml").write_text(
        "round: {id: n, title: N, budget: 10000, rule: official, phases: []}\n", encoding="utf-8")
    # A new round: what residents said no longer points at the old round's proposals.
    (project / "areas" / "neulamaki" / "process.yaml").unlink()
    assert _import(project, "--area", "neulamaki=taxonomy:7", str(export)) == 0
    _config, programme = load(project)
    rnd = programme.area("neulamaki").round
    by_id = {p.id: p for p in rnd.proposals}
    assert by_id["401"].votes is None and by_id["402"].votes is None  # hidden = not known
    assert (by_id["401"].selected, by_id["402"].selected) == (True, False)
    assert by_id["401"].title.get("sv") == "Bänkar"
    assert by_id["401"].summary.get("fi") == "Rivi yksi  \nrivi kaksi"  # line break kept
    assert [o.proposal.id for o in rules.select(rnd) if o.funded] == ["401"]


# --- the chart -----------------------------------------------------------------------------

def test_svg_chart_is_an_image_with_text_and_one_bar_per_proposal(project: Path) -> None:
    html = _page(project, "en", "neulamaki/budget.md")
    svg_text = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    svg = ET.fromstring(svg_text)  # well-formed
    ns = "{http://www.w3.org/2000/svg}"
    assert svg.get("role") == "img"
    labelled = svg.get("aria-labelledby")
    title = svg.find(f"{ns}title")
    desc = svg.find(f"{ns}desc")
    assert title is not None and title.get("id") == labelled and title.text
    assert desc is not None and svg.get("aria-describedby") == desc.get("id")
    assert "table" in desc.text.lower()
    bars = [r for r in svg.iter(f"{ns}rect") if r.get("stroke")]
    assert len(bars) == 6
    texts = " ".join(t.text or "" for t in svg.iter(f"{ns}text"))
    for title_text in ("Renovating the Neulamäki skatepark", "412", "139"):
        assert title_text in texts
    assert "<canvas" not in html and "<script" not in html
    # Funded bars are solid, the others patterned: told apart without colour.
    fills = [r.get("fill") for r in bars]
    assert fills.count(fills[0]) == 5 and fills[3].startswith("url(#")
    # The table is the text alternative, on the same page.
    assert '<table class="lahio-results">' in html


def test_chart_mirrors_in_right_to_left_pages() -> None:
    bars = [Bar("أ", 100, "100"), Bar("ب", 50, "50", "n")]
    groups = (Group(""), Group("n", "#595959", hatched=True))
    ltr = ET.fromstring(str(render_bar_chart(bars, title="t", desc="d", id_prefix="c",
                                             groups=groups, divider=Divider(0, "line"))))
    rtl = ET.fromstring(str(render_bar_chart(bars, title="t", desc="d", id_prefix="c",
                                             groups=groups, rtl=True, divider=Divider(0, "line"))))
    ns = "{http://www.w3.org/2000/svg}"

    def rects(svg: ET.Element) -> list[tuple[float, float]]:
        return [(float(r.get("x")), float(r.get("width"))) for r in svg.iter(f"{ns}rect")
                if r.get("stroke")]
    assert [x for x, _w in rects(ltr)] == [PAD, PAD]
    assert [x + w for x, w in rects(rtl)] == [WIDTH - PAD, WIDTH - PAD]  # grow from the right
    assert [w for _x, w in rects(ltr)] == [w for _x, w in rects(rtl)]
    assert rtl.get("direction") == "rtl"
    assert all(t.get("direction") == "rtl" for t in rtl.iter(f"{ns}text"))
    # Half the votes, half the bar.
    (_, w1), (_, w2) = rects(ltr)
    assert w2 == pytest.approx(w1 / 2, abs=0.1)


# --- a Decidim 0.30 export with the city's selection (tests/fixtures/decidim030) ------------

FIX030 = Path(__file__).parent / "fixtures" / "decidim030"


def _new_area_with_030_import(project: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["--root", str(project), "new-area", "petonen", "--name", "Petonen"]) == 0
    capsys.readouterr()
    assert _import(project, "--area", "petonen=budget:41", "--budget", "50000",
                   str(FIX030 / "lahiobudjetti-open-data-projects.csv"),
                   str(FIX030 / "lahiobudjetti-open-data-results.csv")) == 0
    return capsys.readouterr().out


def test_030_import_shows_exactly_the_platforms_selection(project: Path,
                                                          capsys: pytest.CaptureFixture[str]
                                                          ) -> None:
    out = _new_area_with_030_import(project, capsys)
    # The import sets the rule and says so; the other area's rows are not reported.
    budget_yaml = (project / "areas" / "petonen" / "budget.yaml").read_text(encoding="utf-8")
    assert re.search(r"^  rule: official +# greedy, stop-at-first-miss or official$",
                     budget_yaml, re.M)
    assert "rule: greedy → official" in out
    assert "selected 3 proposal(s) (701, 702, 704)" in out
    assert "904" not in out and "801" not in out
    _config, programme = load(project)
    rnd = programme.area("petonen").round
    assert rnd.rule == "official"
    assert [o.proposal.id for o in rules.select(rnd) if o.funded] == ["701", "702", "704"]
    by_id = {p.id: p for p in rnd.proposals}
    assert by_id["704"].title.get("fi") == "+Kuntoportaat mäelle"  # guard removed
    assert by_id["706"].title.get("fi") == "=Pyörätelineet kouluille"
    # Web page: the three selected funded, 705 (1 000 €, greedy would fund it) not.
    html = _page(project, "fi", "petonen/budget.md")
    funded = re.findall(r'<tr id="p-(\d+)" class="lahio-funded-row"', html)
    assert funded == ["701", "702", "704"]
    row705 = _cells(re.search(r'<tr id="p-705".*?</tr>', html, re.S).group(0))
    assert row705[-1] == "Kaupunki ei valinnut"
    assert "Nuorten olohuone &amp; kahvila &lt;3" in html and "<script>alert" not in html
    # Ties: 702 before 703 (same 290 votes, cheaper first).
    order = re.findall(r'<tr id="p-(\d+)"', html)
    assert order == ["701", "702", "703", "704", "705", "706"]
    # The selection is not the top of the vote order: no funding line is drawn.
    assert 'class="lahio-line"' not in html
    # Open data says the same.
    from generator.channels.opendata import area_record, render_csvs
    record = area_record(programme.area("petonen"))
    rows = {p["id"]: p for p in record["budget"]["proposals"]}
    assert [i for i, p in rows.items() if p["funded"]] == ["701", "702", "704"]
    assert rows["705"]["outcome"] == "not-selected" and rows["705"]["selected"] is False
    assert rows["704"]["budget_left_after"] == 21000
    csv_text = render_csvs([record], ("fi", "en"))["budget.csv"]
    line = next(r for r in csv_text.splitlines() if ",705," in r)
    assert ",false,not-selected,21000," in line  # 50 000 − 29 000


def test_a_rule_that_contradicts_the_selection_is_a_located_error(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _new_area_with_030_import(project, capsys)
    path = project / "areas" / "petonen" / "budget.yaml"
    text = path.read_text(encoding="utf-8")
    lineno = next(n for n, line in enumerate(text.splitlines(), 1) if "rule:" in line)
    path.write_text(text.replace("rule: official", "rule: greedy"), encoding="utf-8")
    with pytest.raises(DataError) as err:
        load(project)
    messages = [str(p) for p in err.value.problems]
    assert messages == [
        f"areas/petonen/budget.yaml:{lineno}: round.rule: rule greedy would fund 701, 702, "
        "703, 705, but the selection recorded in budget.decidim.yaml (the platform's "
        "selected_at) is 701, 702, 704; write rule: official (the platform's selection is the "
        "result), or correct the selection"]


def test_hand_entered_selection_is_checked_against_the_rule(project: Path) -> None:
    budget = project / "areas" / "neulamaki" / "budget.yaml"
    text = budget.read_text(encoding="utf-8")
    # The city's decision, written by hand: 101, 102 and 104 selected, the others not.
    for pid, sel in (("101", "true"), ("102", "true"), ("103", "false"), ("104", "true")):
        text = text.replace(f'    - id: "{pid}"\n', f'    - id: "{pid}"\n      selected: {sel}\n', 1)
    budget.write_text(text, encoding="utf-8")
    lineno = next(n for n, line in enumerate(text.splitlines(), 1) if "rule:" in line)
    with pytest.raises(DataError) as err:
        load(project)
    assert [str(p) for p in err.value.problems] == [
        f"areas/neulamaki/budget.yaml:{lineno}: round.rule: rule greedy would fund 101, 102, "
        "103, 105, 106, but the selection recorded in budget.yaml (selected:) is 101, 102, "
        "104; write rule: official (the platform's selection is the "
        "result), or correct the selection"]
    budget.write_text(text.replace("rule: greedy", "rule: official"), encoding="utf-8")
    assert _funded(project) == ["101", "102", "104"]


def test_hidden_votes_say_results_not_published_and_nobody_unfunded(
        project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = (FIX030 / "lahiobudjetti-open-data-projects.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(src), delimiter=";"))
    head = rows[0]
    for row in rows[1:]:  # votes hidden, nothing selected yet
        row[head.index("confirmed_votes")] = ""
        row[head.index("selected_at")] = ""
    hidden = tmp_path / "hidden.csv"
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\n").writerows(rows)
    hidden.write_text(buf.getvalue(), encoding="utf-8")
    assert main(["--root", str(project), "new-area", "petonen", "--name", "Petonen"]) == 0
    assert _import(project, "--area", "petonen=budget:41", str(hidden)) == 0
    budget_yaml = (project / "areas" / "petonen" / "budget.yaml").read_text(encoding="utf-8")
    assert re.search(r"^  rule: greedy", budget_yaml, re.M)  # no selection: rule untouched
    # Put the voting in the past so the page is about results.
    budget_yaml = re.sub(r"\{kind: (\w[\w-]*), start: \d{4}-\d\d-\d\d, end: \d{4}-\d\d-\d\d\}",
                         lambda m: f"{{kind: {m.group(1)}, start: 2025-01-01, end: 2025-02-01}}",
                         budget_yaml)
    (project / "areas" / "petonen" / "budget.yaml").write_text(budget_yaml, encoding="utf-8")
    for lang, sentence in (("fi", "Tuloksia ei ole vielä julkaistu"),
                           ("en", "Results not published yet")):
        html = _page(project, lang, "petonen/budget.md")
        assert sentence in html
        assert "lahio-unfunded-row" not in html and "lahio-funded-row" not in html
        assert "ei rahoitusta" not in html.lower() and "not funded" not in html.lower()
    _config, programme = load(project)
    from generator.channels.opendata import area_record
    record = area_record(programme.area("petonen"))
    assert {p["funded"] for p in record["budget"]["proposals"]} == {None}


def test_results_dates_become_the_timeline_and_stale_status_is_flagged(project: Path) -> None:
    """101: in progress, 2023-08-01 – 2024-05-31 (results CSV), last update 2023-08-01."""
    html = _page(project, "fi", "neulamaki/budget.md")
    item = re.search(r'<li id="impl-101">.*?</li>', html, re.S).group(0)
    text = re.sub(r"<[^>]+>", "", item).replace("\u00a0", " ")
    assert "Aikataulu: 1. elokuuta 2023\u2009–\u200931. toukokuuta 2024" in text
    assert ("Aikataulu päättyi 31. toukokuuta 2024, mutta tila on yhä käynnissä; viimeisin "
            "päivitys 1. elokuuta 2023.") in text
    done = re.sub(r"<[^>]+>", "", re.search(r'<li id="impl-102">.*?</li>', html, re.S).group(0))
    assert "Aikataulu:" in done and "päättyi" not in done  # done: nothing stale


def test_proposal_theme_is_shown_on_the_budget_and_themes_pages(project: Path) -> None:
    budget = _page(project, "fi", "neulamaki/budget.md")
    about = re.sub(r"<[^>]+>", "", re.search(r'<section id="about-101">.*?</section>', budget,
                                             re.S).group(0))
    _config, programme = load(project)
    area = programme.area("neulamaki")
    infra = next(t for t in area.themes if t.id == "infra").title.get("fi")
    assert f"Teema: {infra}" in about
    themes = _page(project, "fi", "neulamaki/themes.md")
    assert "Asukkaiden ehdotukset" in themes and 'href="../budget/#about-101"' in themes
