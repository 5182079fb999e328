"""Golden tests of what the ``lahio`` commands print, in English and in Finnish.

Each ``golden/messages/*.yaml`` changes a copy of the sample (``edit``, ``write``, ``remove``;
``warm: true`` brings the sample build's cache along, for commands that lay out print products),
may write log files into a temporary folder (``logs``; a name ending in ``.gz`` is written
compressed), runs one command (``{tmp}`` stands for that folder) with the locale set to
English and then to Finnish, and gives per language the exit status and the lines expected:
``stdout``/``stderr`` exactly (progress lines ``[n/m] …`` left out, seconds written ``N.N``)
or ``stdout_has``: lines that must be among them.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
import yaml

from generator.cli import main

from .conftest import copy_project

GOLDEN = sorted((Path(__file__).parent / "golden" / "messages").glob("*.yaml"))
_PROGRESS = re.compile(r"^\[\d+/\d+\] ")
_SECONDS = re.compile(r"\b\d+\.\d\b")
LOCALES = {"en": "C.UTF-8", "fi": "fi_FI.UTF-8"}


def _lines(text: str, tmp: Path) -> list[str]:
    text = text.replace(str(tmp), "{tmp}")
    return [_SECONDS.sub("N.N", line) for line in text.splitlines() if not _PROGRESS.match(line)]


@pytest.mark.parametrize("case", GOLDEN, ids=[p.stem for p in GOLDEN])
def test_command_messages(case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                          monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    spec = yaml.safe_load(case.read_text(encoding="utf-8"))
    warm = Path(request.getfixturevalue("sample_site")).parent if spec.get("warm") else None
    proj = copy_project(tmp_path / "p", warm_from=warm)
    for rel, pairs in (spec.get("edit") or {}).items():
        text = (proj / rel).read_text(encoding="utf-8")
        for old, new in pairs:
            assert old in text, f"{case.name}: {old!r} not in {rel}"
            text = text.replace(old, new, 1)
        (proj / rel).write_text(text, encoding="utf-8")
    for rel, content in (spec.get("write") or {}).items():
        (proj / rel).write_text(content, encoding="utf-8")
    for rel in spec.get("remove") or ():
        (proj / rel).unlink()
    tmp = tmp_path / "t"
    tmp.mkdir()
    for name, content in (spec.get("logs") or {}).items():
        data = content.encode("utf-8")
        (tmp / name).write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    args = [a.replace("{tmp}", str(tmp)) for a in spec["run"]]
    for lang, locale in LOCALES.items():
        monkeypatch.setenv("LC_ALL", locale)
        status = main(["--root", str(proj), *args])
        out = capsys.readouterr()
        stdout, stderr = _lines(out.out, tmp), _lines(out.err, tmp)
        assert status == spec["status"], (lang, out.err)
        if "stdout" in spec:
            assert stdout == spec["stdout"][lang], lang
        for line in (spec.get("stdout_has") or {}).get(lang, ()):
            assert line in stdout, (lang, line, stdout)
        if "stderr" in spec:
            assert stderr == spec["stderr"][lang], lang


def test_check_warns_of_a_vote_without_results_and_a_site_listing_past_events(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """On 10 Feb 2027 the sample's Männistö vote (ended 31 Jan) has no votes recorded, and a
    site published on 1 Jan 2027 still lists the events of 14 Jan and 3 Feb as upcoming."""
    import datetime as dt

    from generator.authoring.soon import soon_problems
    from generator.build import load

    from .conftest import ROOT

    config, programme = load(ROOT)
    expected = {
        "en": ["areas/mannisto/budget.yaml:11: round.phases[2]: the vote ended on 2027-01-31 "
               "but no votes are recorded, so the site shows no results; import them (lahio "
               "import decidim, lahio import tally)",
               "areas/mannisto/events.yaml:3: events[0]: ended on 2027-01-14, but the "
               "published site (built on 2027-01-01) still lists it as upcoming; run lahio "
               "build",
               "areas/neulamaki/events.yaml:4: events[0]: ended on 2027-02-03, but the "
               "published site (built on 2027-01-01) still lists it as upcoming; run lahio "
               "build"],
        "fi": ["areas/mannisto/budget.yaml:11: round.phases[2]: äänestys päättyi 2027-01-31, "
               "mutta ääniä ei ole kirjattu, joten sivustolla ei näy tuloksia; tuo ne (lahio "
               "import decidim, lahio import tally)",
               "areas/mannisto/events.yaml:3: events[0]: päättyi 2027-01-14, mutta julkaistu "
               "sivusto (rakennettu 2027-01-01) näyttää sen yhä tulevana; aja lahio build",
               "areas/neulamaki/events.yaml:4: events[0]: päättyi 2027-02-03, mutta julkaistu "
               "sivusto (rakennettu 2027-01-01) näyttää sen yhä tulevana; aja lahio build"],
    }
    for lang, locale in LOCALES.items():
        monkeypatch.setenv("LC_ALL", locale)
        found = soon_problems(config, programme, dt.date(2027, 2, 10), dt.date(2027, 1, 1))
        assert [w for w in found if "projects[" not in w] == expected[lang], lang
