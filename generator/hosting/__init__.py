"""Publishing: what a web server needs beside the pages.

* :mod:`.server` — the nginx configuration and a plain redirect list (``_redirects``,
  ``_headers``) for hosts that read those;
* :mod:`.compress` — ``.gz`` and ``.br`` copies of every text file, made once per content.

Both run after the stages, on the whole build folder, just before it replaces the live site.
"""

from __future__ import annotations

from pathlib import Path

from .. import outputs
from ..data.config import Config
from ..shortlinks import load_registry
from .server import (HEADERS_PATH, NGINX_PATH, REDIRECTS_PATH, render_headers, render_nginx,
                     render_redirects, short_redirects)


def write_server_files(root: Path, config: Config, out: Path, pages: set[str]) -> set[str]:
    """Write the nginx configuration, ``_redirects`` and ``_headers`` into ``out``.

    A file whose text is unchanged is left as it is (it stays linked to the live one).

    Args:
        root: the project folder (its ``qr-codes.yaml`` as the print stage left it).
        config: the project's configuration.
        out: the build folder.
        pages: every page of the site (``fi/neulamaki/budget/2023/``).

    Returns:
        The files written (relative paths).
    """
    redirects = short_redirects(load_registry(root), pages)
    texts = {NGINX_PATH: render_nginx(config.site_url, config.codes, redirects),
             REDIRECTS_PATH: render_redirects(config.site_url, redirects),
             HEADERS_PATH: render_headers(config.site_url)}
    written = set()
    for rel, text in texts.items():
        data = text.encode("utf-8")
        try:
            if (out / rel).read_bytes() == data:
                continue
        except OSError:
            pass
        outputs.replace(out / rel, data)
        written.add(rel)
    return written
