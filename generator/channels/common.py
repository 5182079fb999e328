"""What every channel shares: addresses, output paths, the time zone and short links.

The paths here are a contract: pages link to them (``generator/site``), printed and shared
material points to them, and tests read them.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .. import outputs
from ..shortlinks import ShortLink, load_registry, short_url
from ..views.localtime import TZ, TZID, local
from ..views.urls import (calendar_path, feed_path, newsletter_paths, og_image_path, page_url,
                          sms_path, social_dir)

if TYPE_CHECKING:
    from ..context import BuildContext


#: The year the programme's tag: URIs are minted under (RFC 4151: a date the authority held
#: the domain). Never change it: feed readers recognise entries by these ids.
TAG_YEAR = "2024"


def site_host(site_url: str) -> str:
    """The host of the public address (``www.kuopio.fi``): the authority of ids and UIDs."""
    return urlsplit(site_url).hostname or "localhost"


def tag_uri(site_url: str, specific: str) -> str:
    """A stable ``tag:`` URI (RFC 4151) such as ``tag:www.kuopio.fi,2024:neulamaki/fi/feed``."""
    return f"tag:{site_host(site_url)},{TAG_YEAR}:{specific}"


def local_midnight(day: dt.date) -> dt.datetime:
    """The start of ``day`` in Kuopio: the time a dated update or a phase change is given."""
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=TZ)


def build_stamp(today: dt.date) -> dt.datetime:
    """The build's timestamp (midnight UTC of the build date), never the wall clock."""
    return dt.datetime.combine(today, dt.time(0, 0), tzinfo=dt.timezone.utc)


class ShortLinks:
    """Short links (``<site>/q/<code>/``) from the registry, looked up by area, channel, lang."""

    def __init__(self, root: Path, site_url: str) -> None:
        self.site_url = site_url
        self.by_key: dict[tuple[str, str, str], ShortLink] = {}
        for link in sorted(load_registry(root).values(), key=lambda sl: sl.code):
            self.by_key.setdefault((link.area, link.channel, link.lang), link)

    def get(self, area: str, channel: str, lang: str) -> ShortLink | None:
        """The registered link of ``area`` × ``channel`` × ``lang``, if there is one."""
        return self.by_key.get((area, channel, lang))

    def url(self, link: ShortLink) -> str:
        """The absolute short address of ``link``."""
        return short_url(self.site_url, link.code)


def write(ctx: BuildContext, rel: str, data: str | bytes) -> Path:
    """Write ``data`` to ``rel`` under the build's output folder (UTF-8 for text)."""
    # A partial build starts from hard links to the live site: the writer never writes into
    # such a file (a new file replaces it) and never outside the build folder. Text is written
    # as it is ("\r\n" kept where a format requires it: iCalendar, CSV).
    return outputs.write(ctx.out, rel, data)


_NUMBER_RUN = re.compile(r"\d[\d:.,/\u2009\u202f\u00a0 –-]*\d")


def isolate_numbers(text: str, direction: str) -> str:
    """``text`` with each run of figures ("12:00–15:00") isolated left-to-right.

    In right-to-left text the bidirectional algorithm reverses a range of numbers ("15:00–12:00")
    while isolating the whole phrase would reverse the words around it; isolating only the
    figures keeps both in order. The isolation is Unicode's own (LRI … PDI), not ``<bdi>``:
    WeasyPrint does not reorder inline elements of a right-to-left line, but its text shaper
    handles isolates inside one run of text. Left-to-right text is returned as it is.
    """
    if direction != "rtl":
        return text
    return _NUMBER_RUN.sub(lambda m: f"\u2066{m.group(0)}\u2069", text)


__all__ = ["TAG_YEAR", "TZ", "TZID", "ShortLinks", "build_stamp", "calendar_path", "feed_path",
           "isolate_numbers", "local", "local_midnight", "newsletter_paths", "og_image_path",
           "page_url", "site_host", "sms_path", "social_dir", "tag_uri", "write"]
