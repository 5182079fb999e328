"""Proof that each quality gate catches what it is meant to catch, and nothing on a good page.

Each test writes a tiny site into ``tmp_path``: a good page, and variants of it with one injected
problem. A gate must report exactly that problem on the variant and nothing on the good page; a
gate that reports nothing everywhere would pass the site tests while checking nothing.
"""

from __future__ import annotations

import gzip
import http.client
import os
import random
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from . import gates

GOOD_CSS = """\
body { font-family: sans-serif; margin: 0 1rem; color: #1a1a1a; background: #fff; }
a { color: #0b4f9c; }
summary { padding: 0.25rem 0; }  /* a 24 px target (WCAG 2.2 target size) */
a:focus-visible, button:focus-visible, input:focus-visible, summary:focus-visible {
  outline: 3px solid #1a1a1a; outline-offset: 2px;
}
img { max-width: 100%; height: auto; }
"""

GOOD_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50" viewBox="0 0 100 50">'
    '<rect width="100" height="50" fill="#0b4f9c"/></svg>\n'
)

GOOD_PAGE = """\
<!doctype html>
<html lang="fi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Hyvä sivu</title>
<link rel="stylesheet" href="style.css">
<link rel="canonical" href="https://www.kuopio.fi/lahiot/fi/">
</head>
<body>
<header><a id="home" href="index.html">Etusivu</a></header>
<main>
<h1 id="top">Lähiö</h1>
<p>Tervetuloa asukasiltaan. <a id="other" href="other.html">Toinen sivu</a></p>
<img src="pic.svg" alt="Sininen suorakulmio" width="100" height="50">
<form action="index.html">
<label for="q">Haku</label> <input id="q" name="q" type="text" autocomplete="off">
<label><input id="ok" name="ok" type="checkbox"> Muista</label>
<button id="send" type="submit">Hae</button>
</form>
<details><summary>Lisää tietoa</summary><p>Lisätieto.</p></details>
<p><a id="ext" href="https://example.org/">Ulkoinen sivu</a></p>
</main>
</body>
</html>
"""

OTHER_PAGE = GOOD_PAGE.replace("<title>Hyvä sivu</title>", "<title>Toinen sivu</title>")


def variant(old: str, new: str, page: str = GOOD_PAGE) -> str:
    """The good page with one snippet replaced (the snippet must be there)."""
    assert old in page, old
    return page.replace(old, new, 1)


def in_subdir(page: str) -> str:
    """The page with its relative links adjusted for a file one directory down."""
    return page.replace('href="', 'href="../').replace('src="', 'src="../').replace(
        '"../https:', '"https:'
    )


def write_site(root: Path, pages: dict[str, str | bytes]) -> Path:
    """A site with the good page's assets plus the given files (path relative to root)."""
    files: dict[str, str | bytes] = {
        "style.css": GOOD_CSS,
        "pic.svg": GOOD_SVG,
        "index.html": GOOD_PAGE,
        "other.html": OTHER_PAGE,
    }
    files.update(pages)
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def noise(n: int, seed: int = 7) -> bytes:
    """Incompressible bytes (gzip cannot shrink them)."""
    return random.Random(seed).randbytes(n)


def words(n: int, seed: int = 7) -> str:
    """Text that gzip shrinks only about threefold, like real prose."""
    rnd = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyzäö"
    return " ".join(
        "".join(rnd.choice(letters) for _ in range(rnd.randint(2, 11))) for _ in range(n)
    )


@pytest.fixture
def good_site(tmp_path: Path) -> Path:
    return write_site(tmp_path / "site", {})


@pytest.fixture
def served(good_site: Path):
    """The good site plus bad variants, served; yields (base_url, site_dir)."""
    write_site(
        good_site,
        {
            "noalt.html": variant('alt="Sininen suorakulmio" ', ""),
            "emptylink.html": variant(
                '<a id="other" href="other.html">Toinen sivu</a>',
                '<a id="other" href="other.html"><span></span></a>',
            ),
            "nofocus.html": variant(
                "</head>", "<style>#other:focus { outline: none; }</style>\n</head>"
            ),
            "unreachable.html": variant(
                '<button id="send" type="submit">', '<button id="send" type="submit" tabindex="-1">'
            ),
            "thirdparty.html": variant(
                "</head>", '<link rel="stylesheet" href="https://cdn.example.com/x.css">\n</head>'
            ),
            "heavy.png": noise(60 * 1024),
            "heavy.html": variant("</main>", '<img src="heavy.png" alt="Kohina"></main>'),
            "bightml.html": variant("</main>", f"<p>{words(6000)}</p></main>"),
            "repetitive.html": variant(
                "</main>", "<p>" + "Kuopio lähiö. " * 8000 + "</p></main>"
            ),
            "data.json": '{"n": "' + noise(30 * 1024).hex() + '"}',
            "worker.js": "fetch('data.json').then((r) => r.text())"
            ".then((t) => postMessage(t.length));",
            "worker.html": variant(
                "</main>",
                "<p id='out'></p><script>new Worker('worker.js').onmessage = (e) => "
                "{ document.getElementById('out').textContent = e.data; };</script></main>",
            ),
            "jsonly.html": variant(
                "<h1 id=\"top\">Lähiö</h1>",
                '<h1 id="top">Lähiö</h1><div id="app"></div><noscript><p>Ilman skriptejä.</p>'
                "</noscript><script>document.getElementById('app').textContent = "
                "'Vain skriptillä';</script>",
            ),
            "wide.html": variant(
                "</main>",
                '<div id="wide" style="width: 600px">Leveä</div>'
                "<script>document.getElementById('wide').style.width = '100px';</script></main>",
            ),
        },
    )
    with gates.serve(good_site) as base:
        yield base, good_site


# ------------------------------------------------------------------------------------------
# Server
# ------------------------------------------------------------------------------------------


def fetch(base: str, path: str, gzip_ok: bool = True) -> tuple[int, dict[str, str], bytes]:
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        headers = {"Accept-Encoding": "gzip, deflate"} if gzip_ok else {}
        conn.request("GET", path, headers=headers)
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def test_serve_gzip_and_sub_path(good_site: Path) -> None:
    (good_site / "fi").mkdir()
    (good_site / "fi" / "index.html").write_text(GOOD_PAGE, encoding="utf-8")
    (good_site / "img.png").write_bytes(noise(1000))
    with gates.serve(good_site, prefix="/lahiot/") as base:
        assert base.endswith("/lahiot/")
        status, headers, body = fetch(base, "/lahiot/fi/")
        assert status == 200
        assert headers["content-encoding"] == "gzip"
        assert int(headers["content-length"]) == len(body)
        assert gzip.decompress(body).decode() == GOOD_PAGE
        assert headers["content-type"].startswith("text/html")

        status, headers, body = fetch(base, "/lahiot/fi/index.html", gzip_ok=False)
        assert status == 200 and "content-encoding" not in headers and body.decode() == GOOD_PAGE

        status, headers, body = fetch(base, "/lahiot/img.png")
        assert status == 200 and "content-encoding" not in headers and len(body) == 1000

        assert fetch(base, "/lahiot/fi")[:2][0] == 301
        assert fetch(base, "/lahiot/fi")[1]["location"] == "/lahiot/fi/"
        assert fetch(base, "/lahiot")[1]["location"] == "/lahiot/"
        assert fetch(base, "/fi/")[0] == 404  # outside the prefix
        assert fetch(base, "/lahiot/../style.css")[0] == 404
        assert fetch(base, "/lahiot/missing/")[0] == 404
    with gates.serve(good_site, gzip=False) as base:
        status, headers, body = fetch(base, "/fi/")
        assert status == 200 and "content-encoding" not in headers


# ------------------------------------------------------------------------------------------
# axe-core
# ------------------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [(360, 800), (1280, 900)], ids=["360", "1280"])
def test_axe_passes_good_page(served, chromium, viewport) -> None:
    base, _ = served
    violations = gates.run_axe(base + "index.html", viewport, browser=chromium)
    assert violations == [], gates.format_axe(violations)


@pytest.mark.browser
@pytest.mark.parametrize(
    ("page", "rule", "target"),
    [("noalt.html", "image-alt", "img"), ("emptylink.html", "link-name", "#other")],
)
def test_axe_reports_injected_violation(served, chromium, page, rule, target) -> None:
    base, _ = served
    violations = gates.run_axe(base + page, (360, 800), browser=chromium)
    assert [(v["id"], v["targets"]) for v in violations] == [(rule, [target])], gates.format_axe(
        violations
    )
    assert violations[0]["impact"] in ("serious", "critical")


# ------------------------------------------------------------------------------------------
# Keyboard
# ------------------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [(360, 800), (1280, 900)], ids=["360", "1280"])
def test_keyboard_walk_good_page(served, chromium, viewport) -> None:
    base, _ = served
    walk = gates.keyboard_walk(base + "index.html", viewport, browser=chromium)
    assert walk.problems == []
    assert [name.split(" ")[0] for name in walk.reached] == [
        'a#home[href="index.html"]',
        'a#other[href="other.html"]',
        'input#q[type="text"]',
        'input#ok[type="checkbox"]',
        'button#send[type="submit"]',
        "summary",
        'a#ext[href="https://example.org/"]',
    ]


@pytest.mark.browser
def test_keyboard_walk_reports_invisible_focus(served, chromium) -> None:
    base, _ = served
    walk = gates.keyboard_walk(base + "nofocus.html", browser=chromium)
    assert walk.no_focus_indicator == ['a#other[href="other.html"] "Toinen sivu"']
    assert walk.unreached == [] and walk.focused_invisible == []


@pytest.mark.browser
def test_keyboard_walk_reports_unreachable_control(served, chromium) -> None:
    base, _ = served
    walk = gates.keyboard_walk(base + "unreachable.html", browser=chromium)
    assert walk.unreached == ['button#send[type="submit"] "Hae"']
    assert walk.no_focus_indicator == [] and walk.focused_invisible == []


# ------------------------------------------------------------------------------------------
# Nu HTML Checker
# ------------------------------------------------------------------------------------------


def test_vnu_reports_exactly_the_invalid_markup(good_site: Path, node_tools) -> None:
    write_site(
        good_site,
        {
            "dupid.html": variant('<p><a id="ext"', '<p id="top"><a id="ext"'),
            "autocomplete.html": variant(
                '<input id="ok" name="ok" type="checkbox">',
                '<input id="ok" name="ok" type="checkbox" autocomplete="off">',
            ),
            "assets/app.js": "if (a < b && c) { document.write('<p>'); }\n",
        },
    )
    errors = gates.run_vnu([good_site])  # one run over the whole directory
    by_file: dict[str, list[str]] = {}
    for error in errors:
        by_file.setdefault(error.file.name, []).append(error.message)
    assert sorted(by_file) == ["autocomplete.html", "dupid.html"], [str(e) for e in errors]
    assert len(by_file["dupid.html"]) == 1 and "Duplicate ID “top”" in by_file["dupid.html"][0]
    assert len(by_file["autocomplete.html"]) == 1
    assert "autocomplete" in by_file["autocomplete.html"][0]
    dup = next(e for e in errors if e.file.name == "dupid.html")
    assert dup.file == good_site.resolve() / "dupid.html"
    assert dup.line == GOOD_PAGE.splitlines().index('<p><a id="ext" href="https://example.org/">'
                                                    "Ulkoinen sivu</a></p>") + 1


def test_vnu_passes_good_page(good_site: Path, node_tools) -> None:
    assert gates.run_vnu([good_site / "index.html", good_site / "other.html"]) == []


# ------------------------------------------------------------------------------------------
# Links
# ------------------------------------------------------------------------------------------


def test_lychee_passes_good_site(good_site: Path, node_tools) -> None:
    assert gates.run_lychee(good_site) == []


def test_lychee_reports_broken_internal_link(good_site: Path, node_tools) -> None:
    (good_site / "fi" / "nolist").mkdir(parents=True)
    write_site(
        good_site,
        {
            "fi/index.html": in_subdir(GOOD_PAGE),
            "index.html": variant(
                "</main>",
                '<a href="/fi/">ok</a> <a href="fi/#top">ok</a> <a href="/puuttuu/">rikki</a>'
                '<a href="/fi/nolist/">ei indeksiä</a> <a href="other.html#nope">ei kohdetta</a>'
                "</main>",
            ),
        },
    )
    broken = gates.run_lychee(good_site)
    found = sorted((str(b.file.relative_to(good_site)), b.url) for b in broken)
    assert found == [
        ("index.html", "/fi/nolist"),  # a directory without index.html
        ("index.html", "/other.html#nope"),
        ("index.html", "/puuttuu"),
    ], [str(b) for b in broken]
    assert all(b.line == GOOD_PAGE.splitlines().index("</main>") + 1 for b in broken)


def test_lychee_sub_path_deployment(tmp_path: Path, node_tools) -> None:
    site = write_site(
        tmp_path / "sub",
        {
            "fi/index.html": variant(
                "</main>",
                '<a href="/lahiot/">juuri</a> <a href="/lahiot/fi/#top">tämä</a>'
                '<a href="https://www.kuopio.fi/lahiot/other.html">absoluuttinen</a></main>',
                in_subdir(GOOD_PAGE),
            ),
            "sitemap.xml": '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            "<url><loc>https://www.kuopio.fi/lahiot/fi/</loc></url>\n</urlset>\n",
        },
    )
    url = "https://www.kuopio.fi/lahiot/"
    assert gates.run_lychee(site, "/lahiot/") == []
    assert gates.run_lychee(site, site_url=url) == []
    # the same site deployed at the root: every /lahiot/ link is broken
    assert len(gates.run_lychee(site)) == 2

    (site / "fi" / "index.html").write_text(
        variant("</main>", '<a href="/fi/">unohtunut etuliite</a></main>',
                (site / "fi" / "index.html").read_text(encoding="utf-8")),
        encoding="utf-8",
    )
    (site / "sitemap.xml").write_text(
        (site / "sitemap.xml").read_text(encoding="utf-8").replace("/fi/", "/sv/"),
        encoding="utf-8",
    )
    broken = gates.run_lychee(site, site_url=url)
    assert sorted((b.file.name, b.url) for b in broken) == [
        ("index.html", "/fi"),
        ("sitemap.xml", "/lahiot/sv/"),
    ]


# ------------------------------------------------------------------------------------------
# Third parties
# ------------------------------------------------------------------------------------------


def test_third_party_references_pass_good_site(good_site: Path) -> None:
    write_site(
        good_site,
        {
            "sitemap.xml": '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            "<url><loc>https://www.kuopio.fi/lahiot/fi/</loc></url></urlset>\n",
            "feed.xml": '<feed xmlns="http://www.w3.org/2005/Atom"><link rel="alternate" '
            'href="https://www.kuopio.fi/lahiot/fi/"/></feed>\n',
            "event.html": variant(
                "</head>",
                '<script type="application/ld+json">{"@context": "https://schema.org", '
                '"@type": "Event", "url": "https://www.kuopio.fi/lahiot/fi/"}</script>\n</head>',
            ),
            "app.js": "// see https://example.org/docs\nconst ns = 'http://www.w3.org/2000/svg';\n"
            "fetch('data.json');\nif (ch == '\\u00A0' || ch == '\\u2003'//nbsp and emsp\n) {}\n"
            # Parsing an address against a placeholder base (as Pagefind does) fetches nothing.
            "const a = new URL(p, new URL(b || '/', 'https://p')).pathname;\n"
            "const c = new URL(`https://example.com${anchored}`);\n",
            "meta.html": variant(
                "</head>",
                '<meta property="og:image" content="https://www.kuopio.fi/x.png">\n'
                '<link rel="alternate" hreflang="sv" href="https://www.kuopio.fi/lahiot/sv/">\n'
                "</head>",
            ),
        },
    )
    assert gates.third_party_references(good_site) == []


THIRD_PARTY_INJECTIONS = {
    "stylesheet": ("index.html", "</head>",
                   '<link rel="stylesheet" href="https://cdn.example.com/x.css">\n</head>',
                   "https://cdn.example.com/x.css"),
    "preconnect": ("index.html", "</head>",
                   '<link rel="preconnect" href="https://fonts.example.com">\n</head>',
                   "https://fonts.example.com"),
    "script": ("index.html", "</main>",
               '<script src="//stats.example.com/t.js"></script></main>',
               "//stats.example.com/t.js"),
    "srcset": ("index.html", 'src="pic.svg"',
               'src="pic.svg" srcset="pic.svg 1x, https://img.example.com/p.png 2x"',
               "https://img.example.com/p.png"),
    "css-import": ("style.css", "body {", '@import "https://cdn.example.com/f.css";\nbody {',
                   "https://cdn.example.com/f.css"),
    "css-url": ("style.css", "body {",
                "body { background: url(https://img.example.com/bg.png);",
                "https://img.example.com/bg.png"),
    "inline-style": ("index.html", "<main>",
                     "<main style=\"background-image: url('https://img.example.com/m.png')\">",
                     "https://img.example.com/m.png"),
    "js-fetch": ("index.html", "</main>",
                 "<script>fetch(`https://api.example.com/v1/${id}`);</script></main>",
                 "https://api.example.com/v1/${id}"),
    "js-fetch-of-a-parsed-url": ("index.html", "</main>",
                                 "<script>fetch(new URL('https://api.example.com/q'));</script></main>",
                                 "https://api.example.com/q"),
    "js-protocol-relative": ("index.html", "</main>",
                             "<script>load('//cdn.example.com/lib.js');</script></main>",
                             "//cdn.example.com/lib.js"),
    "svg-image": ("pic.svg", "</svg>",
                  '<image href="https://img.example.com/s.png" width="1" height="1"/></svg>',
                  "https://img.example.com/s.png"),
}


@pytest.mark.parametrize("case", list(THIRD_PARTY_INJECTIONS))
def test_third_party_references_report_injection(good_site: Path, case: str) -> None:
    rel, old, new, url = THIRD_PARTY_INJECTIONS[case]
    path = good_site / rel
    path.write_text(variant(old, new, path.read_text(encoding="utf-8")), encoding="utf-8")
    refs = gates.third_party_references(good_site)
    assert [(r.file, r.url) for r in refs] == [(path, url)], [str(r) for r in refs]
    assert refs[0].line >= 1


def test_third_party_own_hosts(good_site: Path) -> None:
    path = good_site / "index.html"
    path.write_text(
        variant("</head>", '<link rel="icon" href="https://www.kuopio.fi/favicon.ico">\n</head>'),
        encoding="utf-8",
    )
    assert len(gates.third_party_references(good_site)) == 1
    assert gates.third_party_references(good_site, own_hosts=["www.kuopio.fi"]) == []


# ------------------------------------------------------------------------------------------
# Page weight
# ------------------------------------------------------------------------------------------


@pytest.mark.browser
def test_page_weight_good_page(served, chromium) -> None:
    base, site = served
    weight = gates.page_weight(base + "index.html", browser=chromium)
    html = gzip.compress((site / "index.html").read_bytes(), compresslevel=gates.GZIP_LEVEL)
    assert weight["html_gzip_bytes"] == len(html)
    assert {urlsplit(u).path for u, _, _ in weight["resources"]} == {
        "/index.html", "/style.css", "/pic.svg"
    }
    assert weight["total_gzip_bytes"] == sum(size for _, size, _ in weight["resources"])
    assert weight["total_gzip_bytes"] < 2000
    assert weight["third_party"] == [] and weight["failed"] == []


@pytest.mark.browser
def test_page_weight_counts_gzip_bytes(served, chromium) -> None:
    base, site = served
    weight = gates.page_weight(base + "repetitive.html", browser=chromium)
    assert os.path.getsize(site / "repetitive.html") > 100_000
    assert 0 < weight["html_gzip_bytes"] < 3000


@pytest.mark.browser
def test_page_weight_reports_third_party_request(served, chromium) -> None:
    base, _ = served
    weight = gates.page_weight(base + "thirdparty.html", browser=chromium)
    assert weight["third_party"] == ["https://cdn.example.com/x.css"]
    assert weight["failed"] == []


@pytest.mark.browser
def test_page_weight_over_budget(served, chromium) -> None:
    base, _ = served
    heavy = gates.page_weight(base + "heavy.html", browser=chromium)
    assert heavy["html_gzip_bytes"] <= gates.HTML_BUDGET_BYTES
    assert heavy["total_gzip_bytes"] > gates.FIRST_VIEW_BUDGET_BYTES
    big = gates.page_weight(base + "bightml.html", browser=chromium)
    assert big["html_gzip_bytes"] > gates.HTML_BUDGET_BYTES
    assert big["total_gzip_bytes"] <= gates.FIRST_VIEW_BUDGET_BYTES


@pytest.mark.browser
def test_page_weight_counts_worker_requests(served, chromium) -> None:
    base, _ = served
    weight = gates.page_weight(base + "worker.html", browser=chromium)
    paths = {urlsplit(u).path: size for u, size, _ in weight["resources"]}
    assert "/worker.js" in paths and paths["/data.json"] > 30 * 1024
    assert weight["total_gzip_bytes"] > 30 * 1024


@pytest.mark.browser
def test_page_weight_reports_missing_resource(served, chromium) -> None:
    base, site = served
    (site / "broken.html").write_text(
        variant('src="pic.svg"', 'src="nope.svg"'), encoding="utf-8"
    )
    weight = gates.page_weight(base + "broken.html", browser=chromium)
    assert weight["failed"] == [base + "nope.svg: HTTP 404"]


# ------------------------------------------------------------------------------------------
# No JavaScript
# ------------------------------------------------------------------------------------------


@pytest.mark.browser
def test_no_js_render_good_page(served, chromium) -> None:
    base, _ = served
    render = gates.no_js_render(base + "index.html", browser=chromium)
    assert render.status == 200
    assert "Tervetuloa asukasiltaan." in render.text
    assert "Lisätieto." not in render.text  # closed <details> content is not visible text
    assert not render.overflow and render.overflowing == []
    assert render.scroll_width == 360


@pytest.mark.browser
def test_no_js_render_runs_no_scripts(served, chromium) -> None:
    base, _ = served
    render = gates.no_js_render(base + "jsonly.html", browser=chromium)
    assert "Vain skriptillä" not in render.text
    assert "Ilman skriptejä." in render.text


@pytest.mark.browser
def test_no_js_render_reports_horizontal_overflow(served, chromium) -> None:
    base, _ = served
    render = gates.no_js_render(base + "wide.html", browser=chromium)
    assert render.overflow and render.scroll_width > 360
    assert render.overflowing == ["div#wide [16..616]"]


# ------------------------------------------------------------------------------------------
# Lighthouse
# ------------------------------------------------------------------------------------------


@pytest.mark.browser
def test_lighthouse_thresholds_pass_good_and_fail_bad_page(good_site: Path, lighthouse) -> None:
    """The good page meets every threshold; one bad page fails all three categories.

    The bad page has an image without alt text (accessibility), a 2 MB render-blocking
    stylesheet that gzip cannot shrink (performance: seconds of blank screen on slow 4G), and
    no doctype plus a missing image that logs a console error (best practices).
    """
    bad = variant("<!doctype html>\n", "")
    bad = variant('alt="Sininen suorakulmio" ', "", bad)
    bad = variant("</head>", '<link rel="stylesheet" href="blocking.css">\n</head>', bad)
    bad = variant("</main>", '<img src="missing.png" alt="Puuttuu" width="10" height="10"></main>',
                  bad)
    write_site(good_site, {"bad.html": bad, "blocking.css": f"/* {noise(1024 * 1024).hex()} */\n"})
    with gates.serve(good_site) as base:
        good = gates.run_lighthouse(base + "index.html")
        poor = gates.run_lighthouse(base + "bad.html")
    assert gates.lighthouse_failures(good) == [], gates.lighthouse_scores(good)
    failures = gates.lighthouse_failures(poor)
    by_category = {line.split(" ")[0]: line for line in failures}
    assert sorted(by_category) == ["accessibility", "best-practices", "performance"], failures
    assert "image-alt (0)" in by_category["accessibility"]
    assert "first-contentful-paint" in by_category["performance"]
    assert "doctype (0)" in by_category["best-practices"]
    assert "errors-in-console (0)" in by_category["best-practices"]
    # a category that was not run never passes
    assert gates.lighthouse_failures(good, {"seo": 0.5}) == ["seo missing"]
