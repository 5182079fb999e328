"""What area pages carry for the channels: feed link, Open Graph tags and schema.org events.

Used by the site stage (``generator/site/pages.py``) with the addresses the channels write to
(``views/urls.py``), so that pages and channel outputs agree; nothing here knows about the
site engine.
"""

from __future__ import annotations

import json

from markupsafe import Markup

from .area import AreaView
from .localtime import local
from .text import shorten
from .urls import (area_path, feed_path, og_image_path, og_locale, page_url,
                   programme_og_image_path)


def area_page_meta(area: AreaView, site_url: str, site_name: str, sub: str = "",
                   html_langs: tuple[str, ...] = ("fi",)) -> dict[str, str]:
    """Front-matter keys for an area page (``sub`` is ``""`` or a sub-page name).

    ``html_langs``: the page's HTML language first, then the site's languages (for
    ``og:locale`` and its alternates: every other locale once).

    ``lahio_feed`` is relative to the language root (the theme resolves it per page);
    Open Graph addresses are absolute, as the protocol requires.
    """
    description = shorten(" ".join(area.summary.plain.split()), 160)
    return {
        "description": description,
        "lahio_feed": feed_path(area.lang, area.slug).split("/", 1)[1],
        "lahio_feed_title": f"{area.name.text} – {site_name}",
        "og_title": area.name.text,
        "og_description": description,
        "og_url": page_url(site_url, area.lang, area_path(area.slug, sub)),
        "og_image": site_url + og_image_path(area.slug, area.lang),
        # What the image names: the programme over the area (its call to act is the
        # description's business).
        "og_image_alt": f"{site_name}: {area.name.text}",
        "og_locale": og_locale(html_langs[0]),
        "og_locale_alternates": " ".join(sorted(
            {og_locale(h) for h in html_langs} - {og_locale(html_langs[0])})),
        "og_site_name": site_name,
    }


def general_page_meta(title: str, description: str, site_url: str, site_name: str, lang: str,
                      path: str, area_names: list[str],
                      html_langs: tuple[str, ...] = ("fi",)) -> dict[str, str]:
    """Front-matter keys for the home page and a general page of language ``lang`` (``path``:
    its address in the language, ``""`` for home): the programme's preview image
    (``social/_programme/<lang>/og.png``) and the Open Graph tags area pages have.

    ``area_names``: the areas the image lists, for its alt text.
    """
    description = shorten(" ".join(description.split()), 160)
    shows = f"{site_name}: {' · '.join(area_names)}" if area_names else site_name
    meta = {"description": description} if description else {}
    return {
        **meta,
        "og_title": title,
        "og_description": description,
        "og_url": page_url(site_url, lang, path),
        "og_image": site_url + programme_og_image_path(lang),
        "og_image_alt": shows,
        "og_locale": og_locale(html_langs[0]),
        "og_locale_alternates": " ".join(sorted(
            {og_locale(h) for h in html_langs} - {og_locale(html_langs[0])})),
        "og_site_name": site_name,
    }


def events_jsonld(area: AreaView, site_url: str) -> Markup:
    """schema.org ``Event`` data of the area's events as a JSON-LD ``<script>`` (data, not code).

    ``<``, ``>`` and ``&`` are written as ``\\u003c`` etc., so no text from data can end the
    script element.
    """
    url = page_url(site_url, area.lang, area_path(area.slug, "events"))
    items = []
    for e in area.events:
        place: dict[str, object] = {"@type": "Place", "name": e.place.text}
        if e.address:
            place["address"] = e.address
        item: dict[str, object] = {
            "@context": "https://schema.org", "@type": "Event", "name": e.title.text,
            "startDate": local(e.start).isoformat(), "endDate": local(e.end).isoformat(),
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            "eventStatus": "https://schema.org/EventScheduled",
            "location": place, "url": url, "isAccessibleForFree": True,
            "inLanguage": [html_lang for _c, _n, html_lang in e.languages],
        }
        if e.summary:
            item["description"] = e.summary.plain.strip()
        items.append(item)
    if not items:
        return Markup("")
    data = json.dumps(items, ensure_ascii=False, sort_keys=True)
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup('<script type="application/ld+json">') + Markup(data) + Markup("</script>")
