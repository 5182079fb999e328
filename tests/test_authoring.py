"""Authoring: new areas, the live preview, messages in Finnish and English, build progress."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import jsonschema
import pytest
import yaml

from generator.authoring.newarea import FILES, create_area
from generator.authoring.progress import Progress, choose_mode
from generator.authoring.serve import Server, inject_reload
from generator.build import build
from generator.data.load import load
from generator.messages import err, localize, message_language
from generator.errors import DataError, LahioError, Problem

from .conftest import ROOT

LAHIO = str(Path(sys.executable).with_name("lahio"))
#: Two rows of Statistics Finland's Paavo data (CC BY 4.0), as in the 2017 reference file.
PAAVO_ROWS = """postinumeroalue,nimi,he_vakiy,he_kika,pt_tyoll,pt_tyott,hr_mtu,te_taly,te_vuok_as
70150,Neulamäki,5109,38,2230,463,17537,2939,1685
70820,Litmanen,13484,35,5888,1060,22461,5919,2902
"""


# --- new-area ---------------------------------------------------------------------------------

def test_new_area_builds_at_once_and_shows_what_to_fill_in(project: Path) -> None:
    made = create_area(project, "petonen", "Petonen", today=dt.date(2026, 11, 28))
    assert made.files == tuple(f"areas/petonen/{f}" for f in FILES)
    for name in FILES:
        text = (project / "areas" / "petonen" / name).read_text(encoding="utf-8")
        schema_name = name.replace(".yaml", ".schema.json")
        assert text.splitlines()[0] == \
            f"# yaml-language-server: $schema=../../docs/schema/{schema_name}"
        # Comments tell the communicator what to write; the values are placeholders to replace.
        assert sum(line.lstrip().startswith("#") for line in text.splitlines()) >= 3
        schema = json.loads((ROOT / "docs" / "schema" / schema_name).read_text())
        jsonschema.validate(json.loads(json.dumps(yaml.safe_load(text), default=str)), schema)
    themes = yaml.safe_load((project / "areas/petonen/themes.yaml").read_text())["themes"]
    assert [t["kind"] for t in themes] == ["services", "infrastructure", "civic"]
    budget = yaml.safe_load((project / "areas/petonen/budget.yaml").read_text())["round"]
    assert budget["budget"] == 50000
    assert len(yaml.safe_load((project / "areas/petonen/projects.yaml").read_text())
               ["projects"]) == 1
    assert len(yaml.safe_load((project / "areas/petonen/events.yaml").read_text())
               ["events"]) == 1

    _config, programme = load(project)
    area = programme.area("petonen")
    assert area is not None and area.area.example and len(area.events) == 1
    build(project, only=("site",), strict=True, log=lambda _m: None)
    page = (project / "site" / "fi" / "petonen" / "index.html").read_text(encoding="utf-8")
    assert "<h1" in page and "Petonen" in page
    assert (project / "site" / "en" / "petonen" / "events" / "index.html").is_file()


@pytest.mark.parametrize("slug", ["Petonen", "../x", "pe tonen", "", "-x"])
def test_new_area_refuses_unsafe_slugs(project: Path, slug: str) -> None:
    with pytest.raises(LahioError, match="lower-case letters a-z"):
        create_area(project, slug, "X")
    assert sorted(p.name for p in (project / "areas").iterdir()) == ["mannisto", "neulamaki"]


def test_new_area_refuses_an_existing_folder_and_suggests_a_slug(project: Path) -> None:
    before = (project / "areas/neulamaki/area.yaml").read_bytes()
    with pytest.raises(LahioError, match="areas/neulamaki already exists"):
        create_area(project, "neulamaki", "Neulamäki")
    assert (project / "areas/neulamaki/area.yaml").read_bytes() == before
    with pytest.raises(LahioError, match="e.g. 'lansi-puijo'"):
        create_area(project, "Länsi-Puijo", "Länsi-Puijo")


def test_new_area_cli_reports_problems_without_a_traceback(project: Path) -> None:
    run = subprocess.run([LAHIO, "--root", str(project), "new-area", "neulamaki", "--name",
                          "X"], capture_output=True, text=True, timeout=60)
    assert run.returncode == 1
    assert run.stderr.strip() == ("lahio: areas/neulamaki already exists; choose another "
                                  "address or edit the files in that folder")


def test_new_area_with_postal_code_shows_the_paavo_figures(project: Path,
                                                          tmp_path: Path) -> None:
    from generator.importers.paavo import import_paavo

    csv = tmp_path / "paavo.csv"
    csv.write_text(PAAVO_ROWS, encoding="utf-8")
    # The project's Paavo table, as `lahio import paavo` writes it (years of the reference file).
    import_paavo(project, csv, {}, {"population": 2017, "employment": 2016, "income": 2016,
                                    "households": 2017}, {})
    with pytest.raises(LahioError, match="postal code 99999 is not in data/paavo.yaml"):
        create_area(project, "nowhere", "Nowhere", postal_code="99999")
    assert not (project / "areas" / "nowhere").exists()
    made = create_area(project, "petonen", "Petonen", postal_code="70820")
    assert "areas/petonen/paavo.yaml" in made.files
    build(project, only=("site",), log=lambda _m: None)
    page = (project / "site" / "fi" / "petonen" / "index.html").read_text(encoding="utf-8")
    # 70820 (Litmanen, which contains Petonen): he_vakiy 13484, hr_mtu 22461 in the CSV.
    assert re.search(r"13\s484", page), "population of 70820 not on the page"
    assert re.search(r"22\s461", page), "median income of 70820 not on the page"
    assert "Tilastokeskus" in page


# --- serve ------------------------------------------------------------------------------------

def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as resp:  # noqa: S310 - loopback only
            return resp.status, resp.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def _wait_for_version(url: str, old: str, limit_s: float = 60) -> str:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        now = _get(url + "__lahio_version")[1]
        if now != old:
            return now
        time.sleep(0.05)
    raise AssertionError(f"no rebuild within {limit_s} s")


def test_serve_rebuilds_on_change_and_shows_errors(project: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")  # English messages, whatever the developer's locale
    lines: list[str] = []
    server = Server(project, port=0, log=lines.append)
    assert server.url.startswith("http://127.0.0.1:")
    try:
        first = server.start()
        assert first.ok, first.message
        assert first.languages == ("fi",)
        status, page = _get(server.url + "fi/mannisto/projects/")
        assert status == 200 and "Rantareitin valaistus" in page
        assert "/__lahio_version" in page  # the reload script is served…
        built = project / ".lahio-cache/serve/site/fi/mannisto/projects/index.html"
        assert "__lahio_version" not in built.read_text(encoding="utf-8")  # …never written
        assert not (project / "site").exists()

        version = _get(server.url + "__lahio_version")[1]
        path = project / "areas/mannisto/projects.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace(
            "fi: Rantareitin valaistus", "fi: Rantareitin uudet valot"), encoding="utf-8")
        version = _wait_for_version(server.url, version)
        status, page = _get(server.url + "fi/mannisto/projects/")
        assert status == 200 and "Rantareitin uudet valot" in page
        last = server.preview.last
        assert last is not None and last.ok and last.languages == ("fi",)
        print(f"preview rebuild of fi after a text change: {last.seconds:.2f} s")
        assert last.seconds < 10  # about a second on an idle machine; bounded for busy CI

        # A data error: shown escaped on the page and in the terminal, the server keeps going.
        path.write_text(path.read_text(encoding="utf-8").replace(
            "cost: 150000", 'cost: "150 000 € <b>"'), encoding="utf-8")
        version = _wait_for_version(server.url, version)
        status, page = _get(server.url + "fi/mannisto/projects/")
        assert status == 500
        assert ("areas/mannisto/projects.yaml:9: projects[0].cost: expected a whole number "
                "of euros like 50000, got &#x27;150 000 € &lt;b&gt;&#x27;") in page
        assert "<b>" not in page.split("<pre", 1)[1]
        assert '<html lang="en">' in page and "The preview cannot be built" in page
        assert any("projects[0].cost" in line for line in lines)

        # Fixed again: the page comes back; another language is built when first opened.
        path.write_text(path.read_text(encoding="utf-8").replace(
            'cost: "150 000 € <b>"', "cost: 150000"), encoding="utf-8")
        _wait_for_version(server.url, version)
        assert _get(server.url + "fi/mannisto/projects/")[0] == 200
        status, page = _get(server.url + "en/mannisto/")
        assert status == 200 and 'lang="en"' in page
        assert server.preview.languages == ["fi", "en"]
    finally:
        server.stop()
    assert not server.watcher.thread.is_alive()


def test_reload_script_goes_before_the_end_of_body() -> None:
    out = inject_reload(b"<html><body><p>x</p></body></html>")
    assert out.startswith(b"<html><body><p>x</p><script>") and out.endswith(b"</body></html>")


# --- messages for people ----------------------------------------------------------------------

GOLDEN = sorted((Path(__file__).parent / "golden" / "errors").glob("*.yaml"))

#: Words that tell the reader what to do (in the English messages).
ACTIONS = ("write", "use", "add", "keep", "list", "check", "did you mean", "expected", "known:",
           "save", "remove", "give", "indent", "put", "close", "end the")


def _broken_copy(case: Path, dest: Path) -> dict:
    from .conftest import copy_project

    spec = yaml.safe_load(case.read_text(encoding="utf-8"))
    proj = copy_project(dest)
    for rel, pairs in (spec.get("edit") or {}).items():
        text = (proj / rel).read_text(encoding="utf-8")
        for old, new in pairs:
            text = text.replace(old, new, 1)
        (proj / rel).write_text(text, encoding="utf-8")
    for rel, content in (spec.get("write") or {}).items():
        (proj / rel).write_text(content, encoding="utf-8")
    spec["root"] = proj
    return spec


#: The golden cases with Finnish messages (``expect_fi``): the same broken input, read with a
#: Finnish locale.
GOLDEN_FI = [p for p in GOLDEN if "\nexpect_fi:" in p.read_text(encoding="utf-8")]


def test_the_classic_mistakes_have_finnish_goldens() -> None:
    assert {p.stem for p in GOLDEN_FI} >= {"finnish-date", "misspelt-key", "missing-finnish",
                                            "translations", "impossible-date"}


@pytest.mark.parametrize("case", GOLDEN_FI, ids=[p.stem for p in GOLDEN_FI])
def test_error_messages_in_finnish(case: Path, tmp_path: Path) -> None:
    spec = _broken_copy(case, tmp_path / "p")
    with pytest.raises(DataError) as exc:
        load(spec["root"])
    assert [p.localized("fi") for p in exc.value.problems] == spec["expect_fi"]
    assert [p.localized("en") for p in exc.value.problems] == spec["expect"]


@pytest.mark.parametrize("case", GOLDEN, ids=[p.stem for p in GOLDEN])
def test_every_golden_message_says_what_to_do(case: Path) -> None:
    spec = yaml.safe_load(case.read_text(encoding="utf-8"))
    for message in spec["expect"]:
        assert any(word in message.lower() for word in ACTIONS), \
            f"says not what to do: {message}"


def test_message_language_follows_the_locale() -> None:
    assert message_language({"LANG": "fi_FI.UTF-8"}) == "fi"
    assert message_language({"LANG": "en_GB.UTF-8"}) == "en"
    assert message_language({"LC_ALL": "C.UTF-8", "LANG": "fi_FI.UTF-8"}) == "en"
    assert message_language({"LC_MESSAGES": "fi_FI", "LANG": "en_US"}) == "fi"
    assert message_language({}) == "en"


def test_messages_keep_english_text_and_translate_nested_parts() -> None:
    msg = err("unknown key{hint}", hint=err(" — did you mean {close!r}?", close="summary"))
    assert msg == "unknown key — did you mean 'summary'?"
    assert localize(msg, "fi") == "tuntematon avain — tarkoititko 'summary'?"
    assert localize("plain text", "fi") == "plain text"
    problem = Problem("areas/x/area.yaml", 3, "sumary", msg)
    assert str(problem) == "areas/x/area.yaml:3: sumary: unknown key — did you mean 'summary'?"


def test_error_messages_catalog_is_separate_and_complete() -> None:
    from babel.messages.pofile import read_po

    locale = ROOT / "generator" / "i18n" / "locale"
    with (locale / "fi" / "LC_MESSAGES" / "errors.po").open("rb") as fh:
        errors = {m.id for m in read_po(fh) if m.id}
    with (ROOT / "generator" / "i18n" / "errors.pot").open("rb") as fh:
        template = {m.id for m in read_po(fh) if m.id}
    assert template <= errors, f"untranslated: {sorted(template - errors)}"
    with (locale / "fi" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        ui = {m.id for m in read_po(fh) if m.id}
    assert not errors & ui, "error messages leaked into the UI catalog"


def test_cli_prints_problems_in_the_locale_language(project: Path) -> None:
    path = project / "areas/mannisto/projects.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("cost: 150000",
                                                             'cost: "150 000 €"'))
    env = {k: v for k, v in os.environ.items() if not k.startswith("LC_")}
    fi = subprocess.run([LAHIO, "--root", str(project), "check"], capture_output=True,
                        text=True, timeout=120, env={**env, "LANG": "fi_FI.UTF-8"})
    en = subprocess.run([LAHIO, "--root", str(project), "check"], capture_output=True,
                        text=True, timeout=120, env={**env, "LANG": "C.UTF-8"})
    assert fi.returncode == en.returncode == 1
    assert ("projects[0].cost: odotettiin euromäärää kokonaislukuna, esim. 50000, saatiin "
            "'150 000 €'; kirjoita 150000 (pelkät numerot") in fi.stderr
    assert fi.stderr.rstrip().endswith("1 virhe 1 tiedostossa; mitään ei kirjoitettu.")
    assert "expected a whole number of euros like 50000, got '150 000 €'; write 150000" \
        in en.stderr
    assert en.stderr.rstrip().endswith("1 error in 1 file; nothing was written.")


# --- progress ---------------------------------------------------------------------------------

class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_modes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    assert choose_mode(_Tty()) == "bar"
    assert choose_mode(io.StringIO()) == "lines"
    assert choose_mode(_Tty(), quiet=True) == "quiet"
    monkeypatch.setenv("CI", "true")
    assert choose_mode(_Tty()) == "lines"

    lines = io.StringIO()
    p = Progress(3, lines, "lines")
    for label in ("views", "site: fi", "site: ru"):
        p.step(label)
    p.finish()
    assert lines.getvalue() == "[1/3] views\n[2/3] site: fi\n[3/3] site: ru\n"

    bar = _Tty()
    p = Progress(2, bar, "bar")
    p.step("views")
    p.step("site: fi")
    p.finish()
    out = bar.getvalue()
    assert out.count("\n") == 1 and out.count("\r") == 3 and "[2/2] site: fi" in out

    # A note printed while the bar is drawn gets a line of its own; the bar is drawn again.
    bar, notes = _Tty(), io.StringIO()
    p = Progress(2, bar, "bar")
    p.step("views")
    p.echo("sv: 3 texts not translated", notes)
    assert notes.getvalue() == "sv: 3 texts not translated\n"
    drawn = bar.getvalue().split("\r")
    assert drawn[-2].strip() == "" and drawn[-1].startswith("░") and "[1/2] views" in drawn[-1]


def test_build_progress_is_line_based_without_a_terminal_and_silent_with_q(
        project: Path) -> None:
    env = {**os.environ, "CI": ""}
    run = subprocess.run([LAHIO, "--root", str(project), "build", "--only", "site"],
                         capture_output=True, text=True, timeout=600, env=env)
    assert run.returncode == 0, run.stderr
    steps = [line for line in run.stderr.splitlines() if line.startswith("[")]
    codes = [line.split(": ", 1)[1] for line in steps[1:]]
    assert steps[0] == "[1/8] views" and len(steps) == 8 and "\r" not in run.stderr
    assert sorted(codes) == sorted(["fi", "sv", "en", "selko", "ru", "uk", "ar"])
    assert all(line.startswith(f"[{n}/8] ") for n, line in enumerate(steps, 1))
    first = {p.relative_to(project / "site"): p.read_bytes()
             for p in (project / "site").rglob("*") if p.is_file()}

    quiet = subprocess.run([LAHIO, "--root", str(project), "build", "--only", "site", "-q"],
                           capture_output=True, text=True, timeout=600, env=env)
    assert quiet.returncode == 0 and quiet.stdout == "" and quiet.stderr == ""
    second = {p.relative_to(project / "site"): p.read_bytes()
              for p in (project / "site").rglob("*") if p.is_file()}
    assert first == second  # progress never changes what is written
