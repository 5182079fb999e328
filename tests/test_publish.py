"""Publishing behind a real web server: Debian's nginx with the configuration the build wrote,
and the precompressed copies it serves."""

from __future__ import annotations

import gzip
import http.client
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import brotli
import pytest
import yaml

from generator.hosting.compress import precompress
from generator.hosting.server import render_nginx

from .conftest import ROOT
from .nginx_server import NGINX, serve

SITE_URL = "https://www.kuopio.fi/lahiot/"  # the sample's own address: a sub-path
needs_nginx = pytest.mark.skipif(not Path(NGINX).exists(),
                                 reason="needs Debian's nginx (tools/setup.sh --test)")

TEXT = (".html", ".css", ".svg", ".xml", ".json", ".txt")


def _get(port: int, path: str, method: str = "GET",
         gzip_ok: bool = True) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
        resp = conn.getresponse()
        body = resp.read()
        headers = {k.lower(): v for k, v in resp.getheaders()}
        if headers.get("content-encoding") == "gzip":
            body = gzip.decompress(body)
        return resp.status, headers, body
    finally:
        conn.close()


def _registry(site_root: Path) -> list[dict[str, str]]:
    data = yaml.safe_load((site_root / "qr-codes.yaml").read_text(encoding="utf-8"))
    return data["codes"]


def _max_age(headers: dict[str, str]) -> int:
    m = re.search(r"max-age=(\d+)", headers.get("cache-control", ""))
    assert m, headers
    return int(m.group(1))


@pytest.mark.slow
@needs_nginx
def test_nginx_serves_the_site_short_links_404s_and_headers(sample_site: Path) -> None:
    project = sample_site.parent
    codes = _registry(project)
    assert len(codes) > 10
    languages = {"fi": "fi", "selko": "fi", "en": "en", "sv": "sv", "ru": "ru", "uk": "uk",
                 "ar": "ar"}
    with serve(sample_site, SITE_URL) as srv:
        # The language chooser at the site's root, the root without its slash one redirect.
        status, headers, body = _get(srv.port, "/lahiot/")
        assert status == 200 and b'lang="ar"' in body and "Suomi" in body.decode()
        status, headers, _ = _get(srv.port, "/lahiot")
        assert (status, headers["location"]) == (301, "/lahiot/")

        # Every short link: one 301 to its page with the channel, then 200.
        scans: Counter[str] = Counter()  # short-link requests made, by code
        for entry in codes:
            status, headers, _ = _get(srv.port, f"/lahiot/q/{entry['code']}/")
            scans[entry["code"]] += 1
            assert status == 301, entry
            location = headers["location"]
            area_page = f"/lahiot/{entry['target']}?k={entry['channel']}"
            home = f"/lahiot/{entry['lang']}/?k={entry['channel']}"
            assert location in (area_page, home), (entry, location)
            status, headers, body = _get(srv.port, location)
            assert status == 200, location
            assert f'lang="{languages[entry["lang"]]}"'.encode() in body, location

        # Each language's own 404 page, with the status 404.
        for code, html_lang in languages.items():
            status, headers, body = _get(srv.port, f"/lahiot/{code}/no-such-page/")
            assert status == 404, code
            assert f'<html lang="{html_lang}"'.encode() in body, code
            assert body == (sample_site / code / "404.html").read_bytes(), code

        # Pages compressed in advance: gzip to a browser that takes it, the same page.
        status, headers, body = _get(srv.port, "/lahiot/fi/neulamaki/")
        assert headers.get("content-encoding") == "gzip"
        assert body == (sample_site / "fi/neulamaki/index.html").read_bytes()
        assert "utf-8" in headers["content-type"]
        status, headers, plain = _get(srv.port, "/lahiot/fi/neulamaki/", gzip_ok=False)
        assert "content-encoding" not in headers and plain == body

        # Security headers on pages, files, redirects and 404s alike.
        for path in ("/lahiot/fi/neulamaki/", "/lahiot/fi/neulamaki/feed.xml",
                     f"/lahiot/q/{codes[0]['code']}/", "/lahiot/ar/missing"):
            _s, headers, _b = _get(srv.port, path)
            if "/q/" in path:
                scans[codes[0]["code"]] += 1
            csp = headers["content-security-policy"]
            assert "default-src 'self'" in csp and "http" not in csp and "*" not in csp, csp
            assert "'unsafe-eval'" not in csp
            assert headers["x-content-type-options"] == "nosniff"
            assert headers["referrer-policy"] in ("no-referrer", "same-origin",
                                                  "strict-origin-when-cross-origin")

        # Cache lifetimes: a year for a file named by its hash, minutes for pages.
        css = next((sample_site / "fi/assets/stylesheets").glob("main.*.min.css")).name
        _s, headers, _b = _get(srv.port, f"/lahiot/fi/assets/stylesheets/{css}")
        assert _max_age(headers) >= 365 * 24 * 3600
        _s, headers, _b = _get(srv.port, "/lahiot/fi/neulamaki/")
        assert 0 < _max_age(headers) <= 3600
        # A calendar is a calendar to phones, in UTF-8.
        _s, headers, _b = _get(srv.port, "/lahiot/fi/neulamaki/events.ics")
        assert headers["content-type"].startswith("text/calendar")
        # The server's own files are not for visitors.
        for path in ("/lahiot/_server/nginx.conf", "/lahiot/_redirects"):
            assert _get(srv.port, path)[0] == 404, path
        access_log = srv.access_log.read_text(encoding="utf-8")

    # The access log nginx wrote counts each scan once.
    log = project / "access.log"
    log.write_text(access_log, encoding="utf-8")
    out = project / "visits.csv"
    run = subprocess.run([sys.executable, "-m", "generator.cli", "--root", str(project),
                          "channels", str(log), "--csv", str(out)],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    rows = out.read_text(encoding="utf-8").splitlines()[1:]
    counted = sum(int(r.rsplit(",", 1)[1]) for r in rows)
    # The first code was scanned twice by this one client within a minute: one visit (the
    # report's rule); every other code once.
    assert scans[codes[0]["code"]] == 2
    assert counted == len(scans), run.stdout
    assert "total" in run.stdout and run.stdout.split()[-1] == str(len(scans))
    assert "1 repeated requests of one visit" in run.stderr
    expected: Counter[tuple[str, str, str]] = Counter()
    for entry in codes:
        expected[entry["area"], entry["channel"], entry["lang"]] += 1
    got = {tuple(r.split(",")[:3]): int(r.rsplit(",", 1)[1]) for r in rows}
    assert got == expected


@needs_nginx
def test_nginx_accepts_the_configuration_of_a_site_at_a_hosts_root(tmp_path: Path) -> None:
    """A site published at the root of its own host (no sub-path)."""
    conf_dir = tmp_path / "_server"
    conf_dir.mkdir()
    (conf_dir / "nginx.conf").write_text(
        render_nginx("https://lahiot.example.fi/", ["fi", "ar"], [("abcd", "fi/x/?k=poster")]),
        encoding="utf-8")
    main = tmp_path / "main.conf"
    main.write_text(f"""events {{}}
http {{ include /etc/nginx/mime.types;
  server {{ listen 127.0.0.1:1; root {tmp_path}; include {conf_dir}/nginx.conf; }} }}
""", encoding="utf-8")
    text = (conf_dir / "nginx.conf").read_text(encoding="utf-8")
    assert "location = /q/abcd/ " in text and "return 301 /fi/x/?k=poster;" in text
    assert "error_page 404 /ar/404.html;" in text
    run = subprocess.run([NGINX, "-t", "-p", str(tmp_path), "-c", str(main),
                          "-g", f"pid {tmp_path}/nginx.pid; error_log stderr;"],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr


@pytest.mark.slow
def test_every_text_file_has_identical_compressed_copies(sample_site: Path) -> None:
    checked = 0
    for path in sorted(sample_site.rglob("*")):
        if not path.is_file() or not path.name.endswith(TEXT):
            continue
        if path.relative_to(sample_site).as_posix().startswith("_server/"):
            continue
        data = path.read_bytes()
        gz = path.with_name(path.name + ".gz").read_bytes()
        assert gzip.decompress(gz) == data, path
        assert gz[3] == 0 and gz[4:8] == b"\0\0\0\0", f"{path}: gzip with a name or a time"
        assert brotli.decompress(path.with_name(path.name + ".br").read_bytes()) == data, path
        checked += 1
    assert checked > 200
    assert not list(sample_site.rglob("*.pdf.gz")) and not list(sample_site.rglob("*.png.gz"))


def test_precompressing_again_writes_only_what_changed(tmp_path: Path) -> None:
    from generator import outputs

    site, cache = tmp_path / "site", tmp_path / "cache"
    (site / "fi").mkdir(parents=True)
    (site / "fi/index.html").write_text("<p>Neulamäki</p>" * 100, encoding="utf-8")
    (site / "fi/feed.xml").write_text("<feed>" + "x" * 900 + "</feed>", encoding="utf-8")
    (site / "print.pdf").write_bytes(b"%PDF-1.7")
    first = precompress(site, None, cache)
    assert first == {"fi/index.html.gz", "fi/index.html.br", "fi/feed.xml.gz", "fi/feed.xml.br"}
    gz = (site / "fi/index.html.gz").read_bytes()
    # Nothing changed: nothing written; the same bytes as from scratch.
    assert precompress(site, outputs.files(site), cache) == set()
    copy = tmp_path / "copy"
    shutil.copytree(site, copy)
    for p in copy.rglob("*.[gb][zr]"):
        p.unlink()
    precompress(copy, None, tmp_path / "other-cache")
    assert (copy / "fi/index.html.gz").read_bytes() == gz
    # One file rewritten (a new file, as every stage writes): only its copies are.
    (site / "fi/feed.xml").unlink()
    (site / "fi/feed.xml").write_text("<feed>new</feed>", encoding="utf-8")
    assert precompress(site, outputs.files(site), cache) == {"fi/feed.xml.gz", "fi/feed.xml.br"}
    assert gzip.decompress((site / "fi/feed.xml.gz").read_bytes()) == b"<feed>new</feed>"
    # A file removed: its copies go too.
    (site / "fi/feed.xml").unlink()
    assert precompress(site, outputs.files(site), cache) == {"fi/feed.xml.gz", "fi/feed.xml.br"}
    assert not (site / "fi/feed.xml.gz").exists()


# --- search ----------------------------------------------------------------------------------

LANGS = ("fi", "sv", "en", "selko", "ru", "uk", "ar")


@pytest.mark.slow
def test_search_page_lists_every_area_and_proposal_without_javascript(sample_site: Path) -> None:
    from generator.data.load import load

    _config, programme = load(sample_site.parent)
    for lang in LANGS:
        html = (sample_site / lang / "haku/index.html").read_text(encoding="utf-8")
        hrefs = set(re.findall(r'href="([^"]+)"', html))
        for area in programme.areas:
            assert f"../{area.slug}/" in hrefs, (lang, area.slug)
            for prop in area.round.proposals if area.round else ():
                assert f"../{area.slug}/budget/#p-{prop.id}" in hrefs, (lang, prop.id)
                # … and the anchor is there on the budget page.
                budget = (sample_site / lang / area.slug / "budget/index.html").read_text(
                    encoding="utf-8")
                assert f'id="p-{prop.id}"' in budget
        assert '<script src="../pagefind/pagefind-ui.js"></script>' in html
        # Every language's footer leads to its search page.
        home = (sample_site / lang / "index.html").read_text(encoding="utf-8")
        assert 'href="haku/"' in home, lang


@pytest.mark.slow
def test_search_script_and_index_load_only_on_the_search_page(sample_site: Path) -> None:
    for path in sample_site.rglob("*.html"):
        rel = path.relative_to(sample_site).as_posix()
        if rel.endswith("/haku/index.html") or "/pagefind/" in rel:
            continue
        text = path.read_text(encoding="utf-8")
        # (JSON-LD event data is data, not a script.)
        assert "pagefind" not in text, rel
        assert not re.search(r'<script(?![^>]*type="application/ld\+json")', text), rel
    # One index per language, each its own language.
    for lang in LANGS:
        entry = (sample_site / lang / "pagefind/pagefind-entry.json").read_text(encoding="utf-8")
        want = "fi" if lang == "selko" else lang
        assert f'"{want}"' in entry, (lang, entry[:200])
    # The area page's first view: HTML and the CSS it loads, compressed as nginx sends them.
    page = sample_site / "fi/neulamaki/index.html"
    css = [sample_site / "fi" / href[3:] for href in re.findall(
        r'<link rel="stylesheet" href="([^"]+)"', page.read_text(encoding="utf-8"))]
    weight = sum(len(p.with_name(p.name + ".gz").read_bytes()) for p in [page, *css])
    assert weight <= 50_000, weight


@pytest.mark.slow
@pytest.mark.browser
@needs_nginx
def test_search_finds_words_in_finnish_russian_and_arabic(sample_site: Path) -> None:
    from playwright.sync_api import sync_playwright

    with serve(sample_site, SITE_URL) as srv, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium")
        try:
            page = browser.new_page(viewport={"width": 360, "height": 800})
            problems: list[str] = []
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            for lang, word, title in (("fi", "skeittiparkki", "skeittiparkin kunnostus"),
                                      ("ru", "скейт", "скейт-парка"),
                                      ("ar", "التزلج", "التزلج")):
                page.goto(f"{srv.origin}/lahiot/{lang}/haku/")
                page.fill(".pagefind-ui__search-input", word)
                page.wait_for_selector(".pagefind-ui__result-link", timeout=15_000)
                links = [a.get_attribute("href")
                         for a in page.query_selector_all(".pagefind-ui__result-link")]
                assert f"/lahiot/{lang}/neulamaki/budget/" in links, (lang, links)
                assert all(link.startswith(f"/lahiot/{lang}/") for link in links), links
                assert title in page.inner_text(".pagefind-ui__results"), lang
            # Nothing refused by the Content-Security-Policy, no script errors.
            assert problems == []
        finally:
            browser.close()


@pytest.mark.slow
def test_search_index_is_made_again_only_for_changed_pages(project: Path) -> None:
    from generator.build import build

    build(project, log=lambda _m: None)
    site = project / "site"

    def entry_ino(lang: str) -> int:
        return (site / lang / "pagefind/pagefind-entry.json").stat().st_ino

    before = {lang: entry_ino(lang) for lang in LANGS}
    build(project, log=lambda _m: None)
    assert {lang: entry_ino(lang) for lang in LANGS} == before  # nothing changed: kept
    page = project / "content/en/osallistu.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nZyxwvut landmark.\n",
                    encoding="utf-8")
    build(project, log=lambda _m: None)
    after = {lang: entry_ino(lang) for lang in LANGS}
    assert after["en"] != before["en"]
    assert {k: v for k, v in after.items() if k != "en"} == {
        k: v for k, v in before.items() if k != "en"}


# --- follow ----------------------------------------------------------------------------------

@pytest.mark.slow
def test_area_page_follow_block(sample_site: Path) -> None:
    from generator.data.load import load_config_only

    newsletter = load_config_only(sample_site.parent).newsletter_url
    assert newsletter.startswith("https://")
    for lang in LANGS:
        html = (sample_site / lang / "neulamaki/index.html").read_text(encoding="utf-8")
        block = html.split('class="lahio-follow"', 1)[1].split("</section>", 1)[0]
        assert f'href="webcal://www.kuopio.fi/lahiot/{lang}/neulamaki/events.ics"' in block
        assert 'href="events.ics"' in block and 'href="feed.xml"' in block
        assert (sample_site / lang / "neulamaki/events.ics").is_file()
        assert (sample_site / lang / "neulamaki/feed.xml").is_file()
        assert f'href="{newsletter}"' in block
        assert "16123" not in block  # no SMS number configured in the sample


def test_follow_links_offer_sms_when_configured() -> None:
    from dataclasses import replace

    from generator.data.load import load_config_only
    from generator.site.pages import follow_links

    config = replace(load_config_only(ROOT), sms_keyword="LAHIO", sms_number="16123")

    class Area:
        slug, lang, events = "neulamaki", "sv", ()

    links = follow_links(Area(), config)  # type: ignore[arg-type]
    assert links["sms_keyword"] == "LAHIO NEULAMAKI" and links["sms_number"] == "16123"
    assert links["calendar"] == "" and links["webcal"] == ""  # no events: no calendar


@pytest.mark.slow
@pytest.mark.browser
@needs_nginx
def test_lighthouse_text_compression_passes_behind_nginx(sample_site: Path) -> None:
    from .quality.gates import run_lighthouse

    with serve(sample_site, SITE_URL) as srv:
        for path in ("/lahiot/fi/neulamaki/", "/lahiot/ar/haku/"):
            report = run_lighthouse(srv.origin + path, categories=("performance",))
            audit = report["audits"]["uses-text-compression"]
            assert audit["score"] == 1, (path, audit.get("details"))
