"""Channel outputs read back by real parsers: iCalendar, Atom, HTML e-mail, PNG + QR, open
data, short texts, and the access-log report."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from generator.channels.report import count_visits, format_table
from generator.channels.shorttext import fit
from generator.shortlinks import ShortLink

from .conftest import ROOT, copy_project

LANGS = ("fi", "sv", "en", "selko", "ru", "uk", "ar")
AREAS = ("mannisto", "neulamaki")
SITE_URL = "https://www.kuopio.fi/lahiot/"
TODAY = dt.date(2026, 11, 28)  # conftest.EPOCH
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def _code(area: str, lang: str) -> str:
    return f"s{area[:3]}{lang}"


@pytest.fixture(scope="module")
def channels(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    """The sample's channel stage, with a 'social' short link registered per area and language."""
    from generator.build import build

    proj = copy_project(tmp_path_factory.mktemp("channels") / "project")
    lines = ["codes:"]
    for area in AREAS:
        for lang in LANGS:
            lines += [f"  - code: {_code(area, lang)}", f"    area: {area}",
                      "    channel: social", f"    lang: {lang}", f"    target: {lang}/{area}/"]
    (proj / "qr-codes.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    ctx = build(proj, only=("channels",), log=lambda _m: None)
    return proj / "site", ctx


# --- calendars -------------------------------------------------------------------------------

def test_calendars_parse_with_zone_uids_and_times(channels) -> None:
    from icalendar import Calendar

    site, ctx = channels
    for area in ctx.programme.areas:
        for lang in LANGS:
            cal = Calendar.from_ical((site / lang / area.slug / "events.ics").read_bytes())
            assert [tz.tz_name for tz in cal.timezones] == ["Europe/Helsinki"]
            events = {str(e["UID"]): e for e in cal.events}
            assert set(events) == {f"{e.id}@{area.slug}.www.kuopio.fi" for e in area.events}
            for e in area.events:
                ev = events[f"{e.id}@{area.slug}.www.kuopio.fi"]
                assert ev.start == e.start.replace(tzinfo=ZoneInfo("Europe/Helsinki"))
                assert ev.start.tzinfo.key == "Europe/Helsinki"
                assert ev["DTSTAMP"].dt == dt.datetime(2026, 11, 28, tzinfo=dt.timezone.utc)
                assert ev["LOCATION"]
                assert f"{SITE_URL}{lang}/{area.slug}/events/" in str(ev["DESCRIPTION"])
    # Hand-checked: 3 February 2027 17:00 in Kuopio (EET, UTC+2) is 15:00 UTC.
    cal = Calendar.from_ical((site / "fi/neulamaki/events.ics").read_bytes())
    ev = next(e for e in cal.events if str(e["UID"]).startswith("nuorten-tyopaja-2027@"))
    assert ev.start.astimezone(dt.timezone.utc) == dt.datetime(2027, 2, 3, 15, 0,
                                                              tzinfo=dt.timezone.utc)
    text = (site / "fi/neulamaki/events.ics").read_text(encoding="utf-8")
    assert "DTSTART;TZID=Europe/Helsinki:20270203T170000" in text
    assert "Esteetön" in text  # accessibility is in the description


# --- feeds -----------------------------------------------------------------------------------

def _expected_keys(area) -> set[str]:
    """Ids the feed must have, worked out from the model (not from the feed code)."""
    keys = {f"projects/{p.id}/{u.date.isoformat()}" for p in area.projects for u in p.updates
            if u.date <= TODAY}
    if area.round:
        keys |= {f"budget/{area.round.id}/phases/{ph.kind}" for ph in area.round.phases
                 if ph.start <= TODAY}
        keys |= {f"budget/{area.round.id}/proposals/{p.id}/{u.date.isoformat()}"
                 for p in area.round.proposals for u in p.updates if u.date <= TODAY}
        # The results, once the ballot's proposals have votes and the results phase has begun
        # (ideas the review left off the ballot get no votes).
        from generator.views.budget import has_results
        from generator.views.process import ballot_round

        if has_results(ballot_round(area.round)) and any(ph.kind == "results" and ph.start <= TODAY
                                           for ph in area.round.phases):
            keys.add(f"budget/{area.round.id}/results")
    # Every event, upcoming ones included.
    keys |= {f"events/{e.id}" for e in area.events}
    return keys


def test_feeds_parse_without_bozo_and_have_the_entries(channels) -> None:
    import feedparser

    site, ctx = channels
    for area in ctx.programme.areas:
        for lang in LANGS:
            feed = feedparser.parse((site / lang / area.slug / "feed.xml").read_bytes())
            assert not feed.bozo, feed.get("bozo_exception")
            prefix = f"tag:www.kuopio.fi,2024:{area.slug}/{lang}/"
            ids = [e.id for e in feed.entries]
            assert all(i.startswith(prefix) for i in ids)
            # A second note on the same day gets "-2": compare without that suffix.
            keys = {re.sub(r"(?<=\d{4}-\d{2}-\d{2})-\d+$", "", i[len(prefix):]) for i in ids}
            assert keys == _expected_keys(area)
            dates = [e.updated_parsed for e in feed.entries]
            assert dates == sorted(dates, reverse=True)
    # Männistö's vote starts on 2027-01-12, after the build date: not news yet.
    feed = feedparser.parse((site / "fi/mannisto/feed.xml").read_bytes())
    ids = {e.id for e in feed.entries}
    assert "tag:www.kuopio.fi,2024:mannisto/fi/budget/mannisto-2027/phases/ideas" in ids
    assert not any(i.endswith("/phases/voting") for i in ids)


# --- newsletter ------------------------------------------------------------------------------

def test_newsletters_exist_with_lang_dir_and_no_images(channels) -> None:
    site, _ctx = channels
    for area in AREAS:
        for lang in LANGS:
            html = (site / "newsletter" / area / f"{lang}.html").read_text(encoding="utf-8")
            text = (site / "newsletter" / area / f"{lang}.txt").read_text(encoding="utf-8")
            html_lang = "fi" if lang == "selko" else lang
            direction = "rtl" if lang == "ar" else "ltr"
            assert f'<html lang="{html_lang}" dir="{direction}">' in html
            assert "<img" not in html and "<style" not in html and "<link" not in html
            # Every paragraph's inline style is CSS (a mail client's only styling), never a
            # value of the page's data that took the style's name.
            styles = re.findall(r'<p style="([^"]*)"', html)
            assert styles and all(s.startswith("font-family:") for s in styles), (area, lang)
            assert f"{SITE_URL}{lang}/{area}/" in text
    assert "Paperiäänestys asukastuvalla" in (site / "newsletter/mannisto/fi.txt").read_text(
        encoding="utf-8")


def test_newsletter_html_passes_the_nu_checker(channels, tmp_path: Path) -> None:
    if not VNU.exists() or shutil.which("java") is None:
        pytest.fail("the Nu HTML Checker is missing: run tools/setup.sh --test (make test)")
    site, _ctx = channels
    files = sorted(str(p) for p in (site / "newsletter").rglob("*.html"))
    assert len(files) == len(AREAS) * len(LANGS)
    result = subprocess.run(["java", "-jar", str(VNU), "--errors-only", *files],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr


# --- short texts -----------------------------------------------------------------------------

def test_short_texts_fit_and_end_with_the_whole_short_url(channels) -> None:
    site, _ctx = channels
    collected = json.loads((site / "newsletter/short-texts.json").read_text(encoding="utf-8"))
    for area in AREAS:
        for lang in LANGS:
            sms = (site / lang / area / "sms.txt").read_text(encoding="utf-8").rstrip("\n")
            url = f"{SITE_URL}q/{_code(area, lang)}/"
            assert len(sms) <= 160, sms
            assert sms.endswith(" " + url)
            assert collected[area][lang] == sms


def test_fit_shortens_words_never_the_url() -> None:
    url = "https://www.kuopio.fi/lahiot/q/abcd/"
    long = "Neulamäki: " + "sana " * 60
    out = fit([long, "second part"], url)
    assert len(out) <= 160
    assert out.endswith(" " + url) and "…" in out
    assert "second part" not in out
    # Parts that fit are kept whole, in order; a later part that does not fit is left out.
    assert fit(["A.", "B."], url) == f"A. B. {url}"
    assert fit(["A.", "x" * 150], url) == f"A. {url}"
    with pytest.raises(ValueError):
        fit(["A"], "https://example.fi/" + "x" * 160)


# --- social images ---------------------------------------------------------------------------

def test_social_images_have_sizes_and_qr_codes_that_decode(channels) -> None:
    import zxingcpp
    from PIL import Image

    site, ctx = channels
    sizes = {"square": (1080, 1080), "story": (1080, 1920)}
    for lang in LANGS:
        for area in ctx.area_views(lang):
            folder = site / "social" / area.slug / lang
            names = {p.name for p in folder.glob("*.png")}
            expected = {"og.png"}
            rnd = area.round
            if rnd and rnd.voting and rnd.voting.end >= TODAY:
                expected |= {f"vote-{rnd.id}-{f}.png" for f in sizes}
            expected |= {f"event-{e.id}-{f}.png" for e in area.events if e.end.date() >= TODAY
                         for f in sizes}
            assert names == expected
            with Image.open(folder / "og.png") as og:
                assert og.size == (1200, 630)
            for name in sorted(expected - {"og.png"}):
                with Image.open(folder / name) as im:
                    assert im.size == sizes[name.rsplit("-", 1)[1][:-4]]
                    results = zxingcpp.read_barcodes(im)
                    found = [r.text for r in results]
                    if results:
                        # The quiet zone must be light, whatever colour the card is: look
                        # just outside the symbol's corners (within 4 modules of it).
                        pos = results[0].position
                        width = pos.top_right.x - pos.top_left.x
                        rgb = im.convert("RGB")
                        for corner, (dx, dy) in ((pos.top_left, (-1, -1)),
                                                 (pos.bottom_right, (1, 1))):
                            x = corner.x + dx * width // 20
                            y = corner.y + dy * width // 20
                            assert min(rgb.getpixel((x, y))) > 200, (name, corner)
                assert found == [f"{SITE_URL}q/{_code(area.slug, lang)}/"], name
    # The sample has a vote coming in Männistö (12–31 January 2027) and events in both areas.
    assert (site / "social/mannisto/fi/vote-mannisto-2027-story.png").exists()


# --- open data -------------------------------------------------------------------------------

def test_open_data_validates_and_csv_round_trips(channels) -> None:
    import jsonschema

    site, ctx = channels
    data = json.loads((site / "data/programme.json").read_text(encoding="utf-8"))
    schema = json.loads((site / "data/programme.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(data, schema)
    assert [a["slug"] for a in data["areas"]] == sorted(a.slug for a in ctx.programme.areas)
    assert data["licence"] == "CC BY 4.0"
    assert "CC BY 4.0" in (site / "data/LICENSE.txt").read_text(encoding="utf-8")
    assert "programme.schema.json" in (site / "data/README.md").read_text(encoding="utf-8")

    def rows(name: str) -> list[dict[str, str]]:
        text = (site / "data" / name).read_text(encoding="utf-8")
        return list(csv.DictReader(io.StringIO(text, newline="")))

    budget = rows("budget.csv")
    proposals = [(a["slug"], p) for a in data["areas"] if a["budget"]
                 for p in a["budget"]["proposals"]]
    assert len(budget) == len(proposals)
    for row, (slug, p) in zip(budget, proposals, strict=True):
        assert (row["area"], row["proposal"], int(row["cost"])) == (slug, p["id"], p["cost"])
        for lang in LANGS:
            title = p["title"].get(lang, "")
            # Cells a spreadsheet would run as a formula carry an apostrophe guard.
            expected = "'" + title if title[:1] in ("=", "+", "-", "@") else title
            assert row[f"title_{lang}"] == expected
        # Before results are known nobody is funded or turned down: the cell is empty.
        assert row["funded"] == {True: "true", False: "false", None: ""}[p["funded"]]
    # Greedy rule in Neulamäki 2023 (hand-checked: 18000+6500+4000 fit, 26000 does not
    # (21500 left), then 3000 and 9000 fit): 101, 102, 103, 105, 106 funded, 104 not.
    nm = {r["proposal"]: r["funded"] for r in budget if r["area"] == "neulamaki"}
    if set(nm) == {"101", "102", "103", "104", "105", "106"}:
        assert nm == {"101": "true", "102": "true", "103": "true", "104": "false",
                      "105": "true", "106": "true"}
    projects = rows("projects.csv")
    assert len(projects) == sum(len(a["projects"]) for a in data["areas"])
    indicators = rows("indicators.csv")
    withheld = [r for r in indicators if r["withheld"] == "true"]
    assert all(r["value"] == "" for r in withheld)


# --- pages link the channels -----------------------------------------------------------------

def test_area_pages_link_feed_calendar_og_and_event_data(sample_site: Path) -> None:
    for lang in LANGS:
        area = (sample_site / lang / "neulamaki/index.html").read_text(encoding="utf-8")
        m = re.search(r'<link rel="alternate" type="application/atom\+xml" title="[^"]+" '
                      r'href="([^"]+)">', area)
        assert m and (sample_site / lang / "neulamaki" / m.group(1)).resolve() == (
            sample_site / lang / "neulamaki/feed.xml").resolve()
        assert (sample_site / lang / "neulamaki/feed.xml").exists()
        og = f'<meta property="og:image" content="{SITE_URL}social/neulamaki/{lang}/og.png">'
        assert og in area
        assert (sample_site / "social/neulamaki" / lang / "og.png").exists()
        # A shared link says in which language the page is and which others there are, and
        # what the image shows (the programme's and the area's names, as drawn on it).
        locales = re.findall(r'<meta property="og:locale(?::alternate)?" content="([^"]+)">',
                             area)
        own = {"fi": "fi_FI", "selko": "fi_FI", "sv": "sv_FI", "en": "en_GB", "ru": "ru_RU",
               "uk": "uk_UA", "ar": "ar_AR"}[lang]
        assert locales[0] == own and len(locales) == len(set(locales)) == 6, locales
        alt = re.search(r'<meta property="og:image:alt" content="([^"]+)">', area).group(1)
        name = re.search(r"<h1[^>]*>(.*?)</h1>", area, re.S).group(1)
        assert alt.startswith("Lähiöohjelma") and re.sub(r"<[^>]+>", "", name).strip() in alt
        events = (sample_site / lang / "neulamaki/events/index.html").read_text(encoding="utf-8")
        href = re.search(r'<a href="([^"]+events\.ics)"', events).group(1)
        assert (sample_site / lang / "neulamaki/events" / href).resolve().exists()
        ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', events, re.S)
        items = json.loads(ld.group(1))
        work = next(i for i in items if i["startDate"].startswith("2027-02-03"))
        assert work["@type"] == "Event" and work["startDate"] == "2027-02-03T17:00:00+02:00"


# --- channel report --------------------------------------------------------------------------

LOG = """\
203.0.113.5 - - [11/Jan/2027:10:00:00 +0200] "GET /lahiot/q/ab2c/ HTTP/1.1" 200 512 "-" "Mozilla/5.0"
203.0.113.5 - - [11/Jan/2027:10:00:01 +0200] "GET /lahiot/q/ab2c/?utm=x HTTP/1.1" 200 512 "-" "Mozilla/5.0"
203.0.113.6 - - [17/Jan/2027:23:59:59 +0200] "HEAD /q/ab2c HTTP/1.1" 301 0 "-" "curl"
203.0.113.7 - - [18/Jan/2027:00:00:00 +0200] "GET /q/ab2c/ HTTP/2.0" 200 512 "-" "Mozilla/5.0"
203.0.113.7 - - [18/Jan/2027:08:00:00 +0200] "GET /q/fo4k/index.html HTTP/2.0" 304 0 "-" "x"
203.0.113.8 - - [18/Jan/2027:09:00:00 +0200] "POST /q/ab2c/ HTTP/1.1" 200 5 "-" "x"
203.0.113.8 - - [18/Jan/2027:09:00:00 +0200] "GET /q/ab2c/ HTTP/1.1" 404 5 "-" "x"
203.0.113.8 - - [18/Jan/2027:09:00:00 +0200] "GET /fi/q/ HTTP/1.1" 200 5 "-" "x"
203.0.113.8 - - [18/Jan/2027:09:00:00 +0200] "GET /fi/neulamaki/ HTTP/1.1" 200 5 "-" "x"
203.0.113.9 - - [19/Jan/2027:12:00:00 +0200] "GET /q/zz9z/ HTTP/1.1" 200 5 "-" "x"
this is not a log line
203.0.113.9 - - [99/Foo/2027:12:00:00 +0200] "GET /q/ab2c/ HTTP/1.1" 200 5 "-" "x"

\x16\x03\x01 garbage
"""


def test_channel_report_counts_by_area_channel_lang_and_week() -> None:
    registry = {
        "ab2c": ShortLink("ab2c", "neulamaki", "poster", "fi", "fi/neulamaki/"),
        "fo4k": ShortLink("fo4k", "mannisto", "social", "ar", "ar/mannisto/"),
    }
    report = count_visits(LOG.splitlines(), registry)
    # Hand count: 11 Jan (Mon, W02) one client twice within a second → 1 visit; 17 Jan (Sun,
    # still W02) a HEAD by curl → none; 18 Jan (Mon, W03) GET 200 → 1; POST, 404, /fi/q/ and a
    # page are not short-link visits.
    assert report.rows() == [
        ("?", "?", "?", "2027-W03", 1),
        ("mannisto", "social", "ar", "2027-W03", 1),
        ("neulamaki", "poster", "fi", "2027-W02", 1),
        ("neulamaki", "poster", "fi", "2027-W03", 1),
    ]
    assert dict(report.skipped) == {"head": 1, "repeat": 1}
    assert report.junk == 4  # prose, bad date, empty line, binary
    assert report.lines == 14
    assert dict(report.unknown_codes) == {"zz9z": 1}
    table = format_table(report)
    assert table.splitlines()[0].split() == ["area", "channel", "lang", "week", "visits"]
    assert table.splitlines()[-1].split() == ["total", "4"]


VISITS = """\
198.51.100.1 - - [12/Jan/2027:08:00:00 +0200] "GET /lahiot/q/ab2c HTTP/1.1" 301 162 "-" "Mozilla/5.0 (Linux; Android 14) Mobile"
198.51.100.1 - - [12/Jan/2027:08:00:01 +0200] "GET /lahiot/q/ab2c/ HTTP/1.1" 200 512 "-" "Mozilla/5.0 (Linux; Android 14) Mobile"
198.51.100.2 - - [12/Jan/2027:08:05:00 +0200] "GET /lahiot/q/ab2c/ HTTP/1.1" 200 512 "-" "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
198.51.100.3 - - [12/Jan/2027:08:06:00 +0200] "HEAD /lahiot/q/ab2c/ HTTP/1.1" 200 0 "-" "Mozilla/5.0 (iPhone)"
198.51.100.1 - - [12/Jan/2027:12:00:00 +0200] "GET /lahiot/q/ab2c/ HTTP/1.1" 200 512 "-" "Mozilla/5.0 (Linux; Android 14) Mobile"
"""


def test_a_visit_is_counted_once_bots_and_head_not_and_rotated_logs_are_read(
        project: Path, tmp_path: Path, capsys) -> None:
    """A phone that follows the redirect to the address with a slash makes one visit (301 +
    200), a crawler and a HEAD request none; the same phone scanning again hours later is a
    second visit. A log rotated and compressed by logrotate (.gz) counts as the plain one."""
    import gzip

    from generator.cli import main

    (project / "qr-codes.yaml").write_text(
        "codes:\n  - {code: ab2c, area: neulamaki, channel: poster, lang: fi, "
        "target: fi/neulamaki/}\n", encoding="utf-8")
    rotated = tmp_path / "access.log.2.gz"
    rotated.write_bytes(gzip.compress(VISITS.encode("utf-8")))
    out = tmp_path / "counts.csv"
    assert main(["--root", str(project), "channels", str(rotated), "--csv", str(out)]) == 0
    printed = capsys.readouterr()
    with out.open(encoding="utf-8", newline="") as fh:
        rows = [(r["area"], r["channel"], r["lang"], r["week"], r["visits"])
                for r in csv.DictReader(fh)]
    assert rows == [("neulamaki", "poster", "fi", "2027-W02", "2")]
    assert "5 lines read, 0 not access-log lines" in printed.err


def test_channels_command_writes_csv(project: Path, tmp_path: Path, capsys) -> None:
    from generator.cli import main

    (project / "qr-codes.yaml").write_text(
        "codes:\n  - {code: ab2c, area: neulamaki, channel: poster, lang: fi, "
        "target: fi/neulamaki/}\n", encoding="utf-8")
    log = tmp_path / "access.log"
    log.write_text(LOG, encoding="utf-8")
    out = tmp_path / "counts.csv"
    assert main(["--root", str(project), "channels", str(log), "--csv", str(out)]) == 0
    printed = capsys.readouterr()
    assert "4 not access-log lines" in printed.err and "zz9z" in printed.err
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    # fo4k is not registered here: it joins zz9z under '?'.
    assert [(r["area"], r["week"], r["visits"]) for r in rows] == [
        ("?", "2027-W03", "2"), ("neulamaki", "2027-W02", "1"), ("neulamaki", "2027-W03", "1")]


def test_social_images_are_drawn_once_and_then_taken_from_the_cache(
        channels, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A rebuild with unchanged cards draws nothing (the PDF engine is never called) and
    gives the same image bytes; a changed card is drawn again."""
    from generator.channels.social import render_social_images
    from generator.render import pdf as render

    _site, ctx = channels
    area = ctx.area_views("fi")[0]
    tr = ctx.translators["fi"]
    cache = tmp_path / "social"
    first = render_social_images(area, tr, "https://example.org/q/abcd/", "Lähiö",
                                 str(ctx.root), cache=cache)
    assert first and len(list(cache.iterdir())) == 1

    def no_drawing(*_args: object, **_kwargs: object) -> bytes:
        raise AssertionError("an unchanged card was drawn again")

    monkeypatch.setattr(render, "render_pdf", no_drawing)
    again = render_social_images(area, tr, "https://example.org/q/abcd/", "Lähiö",
                                 str(ctx.root), cache=cache)
    assert again == first
    with pytest.raises(AssertionError, match="drawn again"):  # another address: a new card
        render_social_images(area, tr, "https://example.org/q/wxyz/", "Lähiö", str(ctx.root),
                             cache=cache)


def test_social_images_in_the_cache_start_no_drawing_processes(
        channels, monkeypatch: pytest.MonkeyPatch) -> None:
    """The channel stage looks in the cache before it starts drawing processes: with every
    card drawn before none is started, and with one card changed it is drawn in the build's
    own process."""
    import concurrent.futures

    import generator.channels as stage
    from generator.render import pdf as render

    _site, ctx = channels
    jobs = [(lang, 0, f"https://example.org/q/{lang}t/") for lang in ("fi", "ar")]
    first = stage._draw(ctx, jobs)  # noqa: SLF001 - the stage's drawing step itself
    assert all(isinstance(images, dict) and images for images in first)

    drawn: list[str] = []
    real_render = render.render_pdf

    def counted(html: str, *args: object, **kwargs: object) -> bytes:
        drawn.append(html)
        return real_render(html, *args, **kwargs)

    def no_pool(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a drawing process was started")

    monkeypatch.setattr(render, "render_pdf", counted)
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", no_pool)
    assert stage._draw(ctx, jobs) == first  # noqa: SLF001
    assert drawn == []
    changed = [jobs[0], ("ar", 0, "https://example.org/q/art2/")]
    again = stage._draw(ctx, changed)  # noqa: SLF001
    assert again[0] == first[0] and again[1] != first[1]
    assert len(drawn) == 1


def test_stories_keep_text_and_qr_inside_the_safe_zone(channels) -> None:
    from PIL import Image

    site, _ctx = channels
    stories = sorted((site / "social").glob("*/*/*-story.png"))
    assert stories
    for path in stories:
        with Image.open(path) as im:
            rgb = im.convert("RGB")
            background = rgb.getpixel((5, 5))
            px = rgb.load()
            w, h = rgb.size
            # The profile bar (top 250 px), the reply field (bottom 340 px), the side buttons
            # (120 px each side): only the card's own colour there.
            zones = [(0, 0, w, 250), (0, h - 340, w, h), (0, 0, 120, h), (w - 120, 0, w, h)]
            for x0, y0, x1, y1 in zones:
                stray = [(x, y) for y in range(y0, y1, 4) for x in range(x0, x1, 4)
                         if px[x, y] != background]
                assert not stray, (path.relative_to(site), stray[:3])
            # Something is drawn in the safe zone's lower half (the QR and the address).
            lower = [(x, y) for y in range(h // 2, h - 340, 8) for x in range(120, w - 120, 8)
                     if px[x, y] != background]
            assert len(lower) > 500, path.relative_to(site)


def test_a_programme_card_with_many_long_area_names_stays_one_image() -> None:
    # Twenty areas with long names: the list is cut at the card's edge, never carried onto a
    # second page (which made the whole channel stage fail).
    import io

    from PIL import Image

    from generator.channels.social import render_programme_image
    from generator.data.load import load
    from generator.i18n import Translator

    root = Path(__file__).resolve().parents[1]
    config, _programme = load(root)
    names = [f"Alue {i} Pitkänniminen kaupunginosa" for i in range(20)]
    png = render_programme_image(Translator(config.languages[0]), "Lähiöohjelma", names, True,
                                 str(root))
    assert Image.open(io.BytesIO(png)).size == (1200, 630)
