"""Situation picture, Paavo import, area selection and the participation indicator.

Expected figures are computed here by hand from the shared Paavo file (``csv`` + arithmetic),
never by calling the code under test.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import pypdfium2
import pytest
import yaml

from generator.build import build
from generator.context import BuildContext
from generator.data.load import load
from generator.cli import main
from generator.errors import DataError, LahioError
from generator.i18n import Translator
from generator.site.pages import build_language_tree

from .conftest import ROOT, copy_project

#: The real Paavo file of 21 Kuopio postal areas (CC BY 4.0, Tilastokeskus), kept in the repository.
PAAVO = ROOT / "data" / "paavo_kuopio_2017.csv"
YEARS = ["--year-population", "2017", "--year-employment", "2016", "--year-income", "2016",
         "--year-households", "2017"]
LANGS = ("fi", "selko", "en", "sv", "ru", "uk", "ar")


def _rows(path: Path = PAAVO) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _fresh(dest: Path, csv_path: Path = PAAVO) -> Path:
    """A copy of the sample without any imported file, then ``lahio import paavo``."""
    proj = copy_project(dest)
    for f in proj.glob("areas/*/paavo.yaml"):
        f.unlink()
    (proj / "data" / "paavo.yaml").unlink()  # the imported table; hand-written files stay
    assert main(["--root", str(proj), "import", "paavo", str(csv_path), *YEARS]) == 0
    return proj


def _tree(proj: Path, lang: str) -> dict[str, str]:
    config, programme = load(proj)
    tr = Translator(config.language(lang))
    return build_language_tree(programme, config, tr, dt.date(2026, 11, 28), []).files


def _figure(page: str, ind: str) -> str:
    m = re.search(rf'<li id="figure-{ind}">(.*?)</li>', page, re.S)
    assert m, f"figure {ind} not on the page"
    return m.group(1)


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _fresh(tmp_path_factory.mktemp("imported") / "p")


@pytest.fixture(scope="module")
def imported_site(imported: Path) -> Path:
    build(imported, only=("site",), log=lambda _m: None)
    return imported / "site"


# --- import ------------------------------------------------------------------------------------

def test_import_fills_figures_with_year_source_and_comparison(imported: Path) -> None:
    rows = _rows()
    neula = next(r for r in rows if r["postinumeroalue"] == "70150")
    # By hand: 463 / (2230 + 463) = 17.19 %; over all 21 areas: Σ unemployed / Σ labour force.
    unemployed = 100 * int(neula["pt_tyott"]) / (int(neula["pt_tyoll"]) + int(neula["pt_tyott"]))
    city = 100 * sum(int(r["pt_tyott"]) for r in rows) / sum(
        int(r["pt_tyoll"]) + int(r["pt_tyott"]) for r in rows)
    assert round(unemployed, 1) == 17.2 and round(city, 1) == 13.6  # sanity of the hand sums
    _config, programme = load(imported)
    ind = {i.id: i for i in programme.area("neulamaki").area.indicators}
    assert ind["asukkaat"].value == int(neula["he_vakiy"]) == 5109
    assert ind["asukkaat"].year == 2017
    assert ind["tyottomien-osuus"].value == round(unemployed, 1)
    assert ind["tyottomien-osuus"].city_value == round(city, 1)
    assert ind["tyottomien-osuus"].year == 2016 and ind["tyottomien-osuus"].derived
    assert "21" in ind["tyottomien-osuus"].note.get("fi")
    assert "Ei virallinen työttömyysaste" in ind["tyottomien-osuus"].note.get("fi")
    assert ind["mediaanitulo"].value == int(neula["hr_mtu"]) == 17537
    assert ind["mediaanitulo"].year == 2016
    assert ind["mediaanitulo"].city_value is None  # medians cannot be combined
    renting = 100 * int(neula["te_vuok_as"]) / int(neula["te_taly"])
    assert ind["vuokra-asunnot"].value == round(renting, 1)
    for i in ind.values():
        assert i.source.get("fi") == "Tilastokeskus, Paavo"
        assert i.source.get("en") == "Statistics Finland, Paavo"
        assert i.licence == "CC BY 4.0"
    text = (imported / "areas" / "neulamaki" / "paavo.yaml").read_text(encoding="utf-8")
    assert "written by `lahio import paavo`" in text.lower().splitlines()[1]


def test_pages_show_figures_beside_the_comparison(imported_site: Path) -> None:
    fi = (imported_site / "fi" / "neulamaki" / "index.html").read_text(encoding="utf-8")
    en = (imported_site / "en" / "neulamaki" / "index.html").read_text(encoding="utf-8")
    item = _figure(fi, "tyottomien-osuus")
    assert "17,2\u00a0%" in item and "13,6\u00a0%" in item and "2016" in item
    assert "Tilastokeskus, Paavo" in item and "CC BY 4.0" in item
    item = _figure(en, "tyottomien-osuus")
    assert "17.2%" in item and "13.6%" in item and "Statistics Finland, Paavo" in item
    assert "not the official unemployment rate" in item.lower()
    income = _figure(en, "mediaanitulo")
    assert "€17,537" in income and "2016" in income
    assert "5,109" in _figure(en, "asukkaat")


def test_reimport_is_byte_identical(imported: Path) -> None:
    files = sorted([*imported.glob("areas/*/paavo.yaml"), imported / "data" / "paavo.yaml"])
    before = {f: f.read_bytes() for f in files}
    assert main(["--root", str(imported), "import", "paavo", str(PAAVO), *YEARS]) == 0
    assert {f: f.read_bytes() for f in files} == before


def test_hand_edits_win_and_are_never_overwritten(tmp_path: Path) -> None:
    proj = _fresh(tmp_path / "p")
    area = proj / "areas" / "neulamaki" / "area.yaml"
    text = area.read_text(encoding="utf-8")
    own = ("  - id: mediaanitulo\n    label: Korjattu mediaanitulo\n    value: 18000\n"
           "    unit: eur\n    year: 2016\n    source: Kuopion kaupunki\n")
    text = text.replace("indicators:\n", "indicators:\n" + own) if "indicators:\n" in text \
        else text.replace("services:\n", "indicators:\n" + own + "services:\n")
    area.write_text(text, encoding="utf-8")
    _config, programme = load(proj)
    ind = {i.id: i for i in programme.area("neulamaki").area.indicators}
    assert ind["mediaanitulo"].value == 18000 and ind["asukkaat"].value == 5109
    # A paavo.yaml a person wrote is not replaced by an import.
    target = proj / "areas" / "mannisto" / "paavo.yaml"
    target.write_text("# my own notes\nsource_file: x\nindicators: []\n", encoding="utf-8")
    with pytest.raises(LahioError, match="not written by lahio import paavo"):
        from generator.importers.paavo import import_paavo
        import_paavo(proj, PAAVO, {"mannisto": ("70500",)}, dict.fromkeys(
            ("population", "employment", "income", "households"), 2017), {})
    assert target.read_text(encoding="utf-8").startswith("# my own notes")


def test_withheld_value_is_no_data_in_every_language(tmp_path: Path) -> None:
    rows = _rows()
    for r in rows:
        if r["postinumeroalue"] == "70150":
            r["pt_tyott"] = "-1"
    hidden = tmp_path / "paavo.csv"
    with hidden.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    proj = _fresh(tmp_path / "p", hidden)
    config, _programme = load(proj)
    for lang in LANGS:
        tr = Translator(config.language(lang))
        no_data = tr.gettext("no data")
        if lang not in ("en",):
            assert no_data != "no data", f"'no data' is not translated in {lang}"
        page = _tree(proj, lang)["neulamaki/index.md"]
        item = _figure(page, "tyottomien-osuus")
        value = re.search(r'class="lahio-figure__value">(.*?)</span>', item, re.S).group(1)
        assert value == no_data, lang
        assert not re.search(r"\d", value)
        assert "17,2" not in item and "17.2" not in item and "-1" not in item, lang
    # PxWeb's ".." means the same, and years come from PxWeb headers.
    px = tmp_path / "px.csv"
    px.write_text(
        '"Postinumeroalue";"Asukkaat yhteensä, 2018 (HE)";"Asukkaiden keski-ikä, 2018 (HE)";'
        '"Työlliset, 2017 (PT)";"Työttömät, 2017 (PT)";"Asukkaiden mediaanitulot, 2017 (HR)";'
        '"Taloudet yhteensä, 2018 (TE)";'
        '"Vuokra- ja asumisoikeusasunnoissa asuvat taloudet, 2018 (TE)"\n'
        '"70150 Neulamäki (Kuopio)";5000;39;2200;"..";17600;2900;1700\n', encoding="utf-8")
    proj2 = copy_project(tmp_path / "p2")
    (proj2 / "data" / "paavo.yaml").unlink()
    assert main(["--root", str(proj2), "import", "paavo", str(px)]) == 0
    data = yaml.safe_load((proj2 / "areas" / "neulamaki" / "paavo.yaml").read_text("utf-8"))
    got = {i["id"]: (i["value"], i["year"]) for i in data["indicators"]}
    assert got["asukkaat"] == (5000, 2018) and got["tyottomien-osuus"] == (-1, 2017)


# --- area selection ----------------------------------------------------------------------------

def _hand_ranking() -> list[tuple[str, float]]:
    """The composite score by hand: min-max per indicator, weighted mean × 100."""
    config = yaml.safe_load((ROOT / "selection.yaml").read_text(encoding="utf-8"))
    assert config["method"] == "min-max"
    rows = _rows()
    raw = {
        "tyottomien-osuus": {r["postinumeroalue"]: int(r["pt_tyott"]) /
                             (int(r["pt_tyoll"]) + int(r["pt_tyott"])) for r in rows},
        "mediaanitulo": {r["postinumeroalue"]: float(r["hr_mtu"]) for r in rows},
        "vuokra-asunnot": {r["postinumeroalue"]: int(r["te_vuok_as"]) / int(r["te_taly"])
                           for r in rows},
        "asukkaat": {r["postinumeroalue"]: float(r["he_vakiy"]) for r in rows},
        "keski-ika": {r["postinumeroalue"]: float(r["he_kika"]) for r in rows},
    }
    total = sum(c["weight"] for c in config["criteria"])
    scores = {}
    for r in rows:
        code = r["postinumeroalue"]
        s = 0.0
        for c in config["criteria"]:
            values = raw[c["id"]]
            lo, hi = min(values.values()), max(values.values())
            x = values[code]
            scaled = (x - lo) / (hi - lo) if c["direction"] == "higher-is-more-need" \
                else (hi - x) / (hi - lo)
            s += c["weight"] * scaled
        scores[code] = 100 * s / total
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


def test_selection_ranks_all_areas_like_the_hand_computation(imported: Path) -> None:
    hand = _hand_ranking()
    assert len(hand) == 21
    page = _tree(imported, "fi")["valinta.md"]
    body = page.split('id="investments"')[0].split("<tbody>")[-1]  # the ranking table
    codes = re.findall(r'<th scope="row"><bdi class="lahio-num" dir="ltr">(\d{5})</bdi>', body)
    assert len(codes) == 21
    assert codes[:5] == [code for code, _ in hand[:5]]
    assert codes == [code for code, _ in hand]
    # The top score as shown (one decimal, Finnish comma) equals the hand score.
    top = f"{hand[0][1]:.1f}".replace(".", ",")
    assert f"<strong>{top}</strong>" in body.replace('<bdi class="lahio-num" dir="ltr">', "") \
        .replace("</bdi>", "")
    config, _programme = load(imported)
    most_need = Translator(config.language("fi")).gettext("most need")
    assert page.count(most_need) >= 2  # the two areas a year the programme can take
    assert "data/paavo.yaml" not in page  # the page speaks to residents, not of files


def test_selection_pdf_is_a4_and_names_the_top_areas(imported: Path, tmp_path: Path) -> None:
    from generator.print.selection import build_selection_report

    config, programme = load(imported)
    trs = {lang.code: Translator(lang) for lang in config.languages}
    ctx = BuildContext(imported, config, programme, dt.date(2026, 11, 28), tmp_path, None, trs)
    build_selection_report(ctx)
    hand = _hand_ranking()
    names = {r["postinumeroalue"]: r["nimi"] for r in _rows()}
    for lang in ("fi", "ar"):
        pdf = pypdfium2.PdfDocument(tmp_path / "print" / "selection" / lang /
                                    "selection-report.pdf")
        w, h = pdf[0].get_size()
        assert (round(w / 72 * 25.4), round(h / 72 * 25.4)) == (210, 297)
        text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
        for code, _score in hand[:2]:
            assert code in text and names[code] in text
        assert "Paavo" in text
        if lang == "fi":  # text extraction returns right-to-left lines in visual order
            assert "CC BY 4.0" in text and "Lähde: Tilastokeskus, Paavo" in text
        pdf.close()


def test_selection_errors_are_located(tmp_path: Path) -> None:
    proj = copy_project(tmp_path / "p")
    text = (proj / "selection.yaml").read_text(encoding="utf-8")
    (proj / "selection.yaml").write_text(text.replace("id: mediaanitulo", "id: mediaanitulot")
                                         .replace("weight: 1\n", "weight: -1\n"), "utf-8")
    with pytest.raises(DataError) as err:
        load(proj)
    report = err.value.report()
    assert re.search(r"selection\.yaml:\d+: criteria\[1\]\.id: unknown figure 'mediaanitulot' "
                     r"— did you mean 'mediaanitulo'\?", report)
    assert re.search(r"selection\.yaml:\d+: criteria\[2\]\.weight: expected a positive weight",
                     report)


# --- charts ------------------------------------------------------------------------------------

def test_charts_are_images_with_a_text_alternative(imported_site: Path) -> None:
    for lang in ("fi", "ar"):
        html = (imported_site / lang / "neulamaki" / "index.html").read_text(encoding="utf-8")
        svgs = re.findall(r"<svg\b[^>]*>.*?</svg>", html, re.S)
        assert len(svgs) >= 3  # unemployment, mean age, renting: each beside its comparison
        for svg in svgs:
            assert 'role="img"' in svg
            title_id = re.search(r'aria-labelledby="([^"]+)"', svg).group(1)
            assert re.search(rf'<title id="{title_id}">[^<]+</title>', svg)
            assert "<script" not in svg
        assert ('direction="rtl"' in svgs[0]) == (lang == "ar")
        # The table alternative holds every figure of the charts.
        table = html.split('class="lahio-figures-table"')[1].split("</table>")[0]
        assert ("13,6" if lang == "fi" else "13.6") in table


def test_history_gets_a_small_chart(tmp_path: Path) -> None:
    proj = _fresh(tmp_path / "p")
    area = proj / "areas" / "neulamaki" / "area.yaml"
    own = ("  - id: tyottomien-osuus\n    label: Työttömien osuus työvoimasta\n    value: 17.2\n"
           "    city_value: 13.6\n    unit: percent\n    year: 2016\n    derived: true\n"
           "    source: Tilastokeskus, Paavo\n    history:\n      - {year: 2014, value: 19.0}\n"
           "      - {year: 2015, value: ..}\n")
    text = area.read_text(encoding="utf-8")
    text = text.replace("indicators:\n", "indicators:\n" + own) if "indicators:\n" in text \
        else text.replace("services:\n", "indicators:\n" + own + "services:\n")
    area.write_text(text, encoding="utf-8")
    page = _tree(proj, "fi")["neulamaki/index.md"]
    item = _figure(page, "tyottomien-osuus")
    history = re.findall(r'<svg\b[^>]*aria-labelledby="history-[^"]+".*?</svg>', item, re.S)
    assert len(history) == 1
    assert ">2014<" in history[0] and "19\u00a0%" in history[0]
    assert ">2015<" in history[0] and "ei tietoa" in history[0]


# --- participation indicator -------------------------------------------------------------------

def _participation(n_statements: int = 10, after_answers: int = 6, minimum: int | None = None,
                   ) -> str:
    # Placeholder statements: the programme copies THL's official wording into this file.
    lines = ["# test data", "source: THL, osallisuusindikaattori", "statements:"]
    lines += [f"  - Testiväittämä {k}" for k in range(1, n_statements + 1)]
    if minimum is not None:
        lines.append(f"min_answers: {minimum}")
    means = ", ".join(["3.0"] * 9 + ["4.0"])
    lines += ["rounds:",
              "  - {date: 2024-03-31, phase: before, answers: 34, means: [" + means + "]}",
              f"  - {{date: 2025-10-31, phase: after, answers: {after_answers}, means: "
              f"[{', '.join(['4.5'] * 10)}]}}"]
    return "\n".join(lines) + "\n"


def test_participation_results_hidden_below_the_minimum(tmp_path: Path) -> None:
    proj = copy_project(tmp_path / "p")
    target = proj / "areas" / "neulamaki" / "participation.yaml"
    target.write_text(_participation(), encoding="utf-8")
    page = _tree(proj, "en")["neulamaki/index.md"]
    section = page.split('class="lahio-participation"')[1].split("</section>")[0]
    assert "Testiväittämä 10" in section and ">34<" in section
    assert "4.5" not in section  # the after round had 6 answers < 10
    assert "1 group is not shown: results are shown only for groups of at least 10 answers" \
        in re.sub(r"<[^>]+>", "", section)
    # By hand: the before round's overall mean is (9 × 3 + 4) / 10 = 3.1.
    assert "<strong>" in section and "3.1" in section
    assert "osallistu.example.fi/processes/neulamaki-kysely" in section  # links.survey
    target.write_text(_participation(minimum=5), encoding="utf-8")
    section = _tree(proj, "en")["neulamaki/index.md"].split('class="lahio-participation"')[1]
    assert "4.5" in section.split("</section>")[0]


def test_participation_needs_ten_statements(tmp_path: Path) -> None:
    proj = copy_project(tmp_path / "p")
    (proj / "areas" / "neulamaki" / "participation.yaml").write_text(
        _participation(n_statements=9), encoding="utf-8")
    with pytest.raises(DataError) as err:
        load(proj)
    report = err.value.report()
    assert re.search(r"areas/neulamaki/participation\.yaml:\d+: statements: has 9 statements; "
                     r"THL's participation indicator has exactly 10", report)
    assert re.search(r"participation\.yaml:\d+: rounds\[0\]\.means: has 10 means", report)


def test_themes_page_shows_the_figures_each_theme_answers() -> None:
    page = _tree(ROOT, "fi")["neulamaki/themes.md"]
    section = page.split('<section id="palvelut">')[1].split("</section>")[0]
    assert 'href="../#figure-tyottomien-osuus"' in section
    assert "17,2\u00a0%" in section and "13,6\u00a0%" in section  # value beside the comparison
    assert "2016" in section
