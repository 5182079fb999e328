"""Web-server configuration written by every build: nginx, and redirect/header lists.

``site/_server/nginx.conf`` is a set of ``location`` blocks for the ``server { }`` block of the
site's host (the city's admin includes it; see README "Publishing"). It serves the site under
the path of ``site_url`` (``/lahiot/``) from ``<root>/lahiot/``, so it holds no path of this
machine and is the same wherever the site is built. It gives:

* every short link ``/q/<code>/`` (with or without the final slash) as one ``301`` to its page
  with the channel as ``?k=`` — the static ``q/<code>/index.html`` redirect page stays for
  servers that do not read this file;
* the language chooser at the site's root, each language's own 404 page;
* long cache lifetimes for files whose names carry a content hash, short ones for pages;
* security headers: a Content-Security-Policy that allows nothing from other hosts,
  ``X-Content-Type-Options`` and ``Referrer-Policy``;
* the precompressed ``.gz`` files beside each text file (``gzip_static``).

``site/_redirects`` and ``site/_headers`` say the same redirects and headers in the plain
format that static hosts such as Netlify and Cloudflare Pages read from the site's root.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from ..shortlinks import ShortLink, redirect_target

#: Where the nginx configuration is written (relative to the site folder).
NGINX_PATH = "_server/nginx.conf"
REDIRECTS_PATH = "_redirects"
HEADERS_PATH = "_headers"

#: Nothing from other hosts. Styles allow inline ``style=""`` (charts size their images so);
#: scripts run only from the site itself, and the search page's index is WebAssembly.
CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; "
       "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
       "frame-ancestors 'self'")
HEADERS = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
)
#: Cache lifetimes: pages and feeds change with any build; print files and images seldom;
#: a file whose name carries a hash of its content never changes.
PAGE_CACHE = "5m"
FILE_CACHE = "1h"
HASHED_CACHE = "1y"
#: File names that carry a content hash: Material's ``main.<8 hex>.min.css`` and Pagefind's
#: index chunks and fragments.
HASHED = r"(\.[0-9a-f]{8}\.min\.(css|js)|/pagefind/(fragment|index)/[^/]+)$"
#: Files that change seldom: printed products, images, data downloads, the theme's CSS.
SELDOM = r"\.(pdf|png|jpe?g|svg|ico|csv|css|js|wasm)$"
#: Text types nginx sends with ``charset=utf-8`` (Finnish, Cyrillic and Arabic text).
CHARSET_TYPES = ("text/plain", "text/css", "text/xml", "text/calendar", "text/csv",
                 "text/markdown", "application/json", "application/atom+xml",
                 "application/javascript")


def site_prefix(site_url: str) -> str:
    """The URL path the site lives under: ``/lahiot/`` (``/`` for a site at a host's root)."""
    path = urlsplit(site_url).path or "/"
    return path if path.endswith("/") else path + "/"


def short_redirects(registry: dict[str, ShortLink],
                    pages: set[str]) -> list[tuple[str, str]]:
    """(code, target relative to the site root) for every registered code, sorted by code
    (``pages``: every page of the site, see :func:`..shortlinks.redirect_target`)."""
    return [(code, redirect_target(link, pages)) for code, link in sorted(registry.items())]


def _headers_block(indent: str) -> list[str]:
    return [f'{indent}add_header {name} "{value}" always;' for name, value in HEADERS]


def _common(indent: str, not_found: str) -> list[str]:
    """Directives every location of the site shares."""
    return [
        f"{indent}gzip_static on;",
        f"{indent}absolute_redirect off;  # Location: /path, right behind a TLS proxy too",
        f"{indent}index index.html;",
        f"{indent}charset utf-8;",
        f"{indent}charset_types {' '.join(CHARSET_TYPES)};",
        f"{indent}error_page 404 {not_found};",
        f"{indent}expires {PAGE_CACHE};",
        *_headers_block(indent),
        f'{indent}location ~ "{HASHED}" {{ expires {HASHED_CACHE}; }}',
        f'{indent}location ~ "{SELDOM}" {{ expires {FILE_CACHE}; }}',
        f'{indent}location ~ "\\.ics$" {{ default_type text/calendar; types {{ }} '
        f"}}",
    ]


def render_nginx(site_url: str, codes: Iterable[str], redirects: list[tuple[str, str]]) -> str:
    """The nginx ``location`` blocks of the site (see the module's docstring).

    Args:
        site_url: the site's public address (its path is where the site lives).
        codes: the language codes (each gets its own 404 page), default first.
        redirects: (short code, target relative to the site root), from :func:`short_redirects`.
    """
    p = site_prefix(site_url)
    codes = list(codes)
    out = [
        f"# nginx configuration of {site_url}: written by `lahio build`; do not edit (rebuild).",
        "# Include it inside the server { } block of the site's host. That block's `root` is the",
        f"# folder that holds the built site folder as `{p.strip('/') or '(the root itself)'}`"
        " (see README: Publishing).",
        "# Needs nginx's gzip_static module (in Debian's nginx).",
        "",
    ]
    if p != "/":
        out += [f"location = {p.rstrip('/')} {{",
                "    absolute_redirect off;",
                f"    return 301 {p};",
                "}"]
    out += ["# The server's own files: nothing for visitors.",
            f"location ^~ {p}_server/ {{ return 404; }}",
            f"location = {p}{REDIRECTS_PATH} {{ return 404; }}",
            f"location = {p}{HEADERS_PATH} {{ return 404; }}",
            "",
            f"# The language chooser ({p}), short links, print, data and newsletters.",
            f"location {p} {{", *_common("    ", f"{p}{codes[0]}/404.html"), "}"]
    for code in codes:
        out += [f"location {p}{code}/ {{", *_common("    ", f"{p}{code}/404.html"), "}"]
    out += ["", "# Short links of printed QR codes (qr-codes.yaml): one 301 to the page."]
    for code, target in redirects:
        for path in (f"{p}q/{code}/", f"{p}q/{code}"):
            out += [f"location = {path} {{ absolute_redirect off; "
                    f"{' '.join(h.strip() for h in _headers_block(''))} "
                    f"return 301 {p}{target}; }}"]
    return "\n".join(out) + "\n"


def render_redirects(site_url: str, redirects: list[tuple[str, str]]) -> str:
    """``_redirects``: one ``from to 301`` line per short link (Netlify, Cloudflare Pages)."""
    p = site_prefix(site_url)
    lines = [f"# Short links of {site_url}: written by `lahio build`."]
    for code, target in redirects:
        lines.append(f"{p}q/{code}/ {p}{target} 301")
        lines.append(f"{p}q/{code} {p}{target} 301")
    return "\n".join(lines) + "\n"


def render_headers(site_url: str) -> str:
    """``_headers``: the security headers for every path, cache lifetimes for hashed files."""
    p = site_prefix(site_url)
    lines = [f"# Response headers of {site_url}: written by `lahio build`.", f"{p}*"]
    lines += [f"  {name}: {value}" for name, value in HEADERS]
    lines += [f"{p}*/assets/stylesheets/*", "  Cache-Control: public, max-age=31536000, immutable"]
    return "\n".join(lines) + "\n"
