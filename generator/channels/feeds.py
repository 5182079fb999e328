"""Atom feeds: one per area and language (``<lang>/<area>/feed.xml``).

Entries are the area's dated news: project updates, implementation updates of funded
proposals, and the start of each participatory-budgeting phase — everything dated on or before
the build date — and, in the feed only, the area's events and a budgeting round's results. Ids are ``tag:`` URIs made of the area, language and the item, so a reader
never shows an entry twice; "updated" is the item's own date, so the feed changes only when
the data does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from feedgen.feed import FeedGenerator

from markupsafe import escape

from ..i18n import Localized, Translator
from ..views.area import AreaView
from ..views.urls import area_path
from .common import feed_path, local_midnight, page_url, tag_uri


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One dated item of an area's news, in one language.

    Attributes:
        key: the language-independent part of the entry's id (``projects/koulun-piha/2024-09-02``).
        date: the item's date.
        title: a plain-text title.
        html: the item as safe HTML (rendered Markdown from the views, or escaped text).
        text: the item as plain text.
        url: the page the item is on (absolute).
        title_lang: the HTML language of the title (``fi`` when it fell back to Finnish).
        text_lang: the HTML language of the text.
    """

    key: str
    date: dt.date
    title: str
    html: str
    text: str
    url: str
    title_lang: str
    text_lang: str


def collect_entries(area: AreaView, tr: Translator, site_url: str,
                    today: dt.date) -> list[FeedEntry]:
    """The area's news up to ``today``, newest first (ties in a fixed order).

    Shared by the feed and the newsletter so both tell the same story.
    """
    _ = tr.gettext
    entries: list[FeedEntry] = []

    def add(key: str, date: dt.date, title: Localized, html: str, text: str, url: str,
            text_lang: str) -> None:
        if date > today:
            return
        # Two notes on the same item and day get their position as suffix: ids stay unique.
        taken = {e.key for e in entries}
        unique, n = key, 2
        while unique in taken:
            unique, n = f"{key}-{n}", n + 1
        # Example content says so in every entry a feed reader shows on its own.
        shown = _("Example") + ": " + title.text if area.example else title.text
        entries.append(FeedEntry(unique, date, shown, html, text, url, title.lang,
                                 text_lang))

    projects_url = page_url(site_url, area.lang, area_path(area.slug, "projects"))
    for p in area.projects:
        for u in p.updates:
            add(f"projects/{p.id}/{u.iso}", dt.date.fromisoformat(u.iso), p.title,
                str(u.text.html), u.text.plain, f"{projects_url}#{p.id}", u.text.lang)
    rnd = area.round
    if rnd is not None:
        budget_url = page_url(site_url, area.lang, area_path(area.slug, "budget"))
        for ph in rnd.phases:
            title = Localized(f"{rnd.title.text}: {ph.label}", rnd.title.lang, False)
            text = _("%(phase)s: %(dates)s") % {"phase": ph.label, "dates": ph.dates}
            add(f"budget/{rnd.id}/phases/{ph.kind}", ph.start, title,
                str(escape(text)), text, budget_url, tr.language.html_lang)
        for prop in rnd.proposals:
            for u in prop.updates:
                add(f"budget/{rnd.id}/proposals/{prop.id}/{u.iso}",
                    dt.date.fromisoformat(u.iso), prop.title, str(u.text.html),
                    u.text.plain, budget_url, u.text.lang)
    entries.sort(key=lambda e: (e.date, e.key), reverse=True)
    return entries


def event_and_result_entries(area: AreaView, tr: Translator, site_url: str,
                             today: dt.date) -> list[FeedEntry]:
    """The feed's entries besides the news: every event of the area (dated by its day, so
    an upcoming one is in the feed from the day it is published), and the results of a
    budgeting round once they are out (dated by the start of the results phase)."""
    _ = tr.gettext
    entries: list[FeedEntry] = []
    events_url = page_url(site_url, area.lang, area_path(area.slug, "events"))
    for e in area.events:
        text = f"{e.when} · {e.place.text}"
        html = str(escape(text))
        if e.summary is not None:
            html += str(e.summary.html)
            text += "\n" + e.summary.plain
        entries.append(FeedEntry(f"events/{e.id}", e.start.date(),
                                 f"{e.kind_label}: {e.title.text}", html, text,
                                 events_url, e.title.lang, tr.language.html_lang))
    rnd = area.round
    if rnd is not None and rnd.has_results:
        starts = [ph.start for ph in rnd.phases if ph.kind == "results"]
        day = starts[0] if starts else (rnd.voting.end if rnd.voting else None)
        if day is not None and day <= today:
            head = tr.ngettext("%(num)s proposal was funded:", "%(num)s proposals were funded:",
                               rnd.funded_count) % {"num": rnd.funded_count}
            lines = [f"{p.title.text} ({p.cost})" for p in rnd.funded]
            html = f"<p>{escape(head)}</p><ul>" + "".join(
                f"<li>{escape(line)}</li>" for line in lines) + "</ul>"
            title = Localized(f"{rnd.title.text}: {_('Results')}", rnd.title.lang, False)
            entries.append(FeedEntry(
                f"budget/{rnd.id}/results", day, title.text, html,
                "\n".join([head, *lines]),
                page_url(site_url, area.lang, area_path(area.slug, "budget")),
                title.lang, tr.language.html_lang))
    return entries


def render_feed(area: AreaView, tr: Translator, site_url: str, site_name: str,
                organisation: str, today: dt.date) -> bytes:
    """The area's Atom feed (UTF-8 XML bytes).

    Args:
        area: the area in the feed's language.
        tr: that language's translator.
        site_url: the public address of the site (ends with ``/``).
        site_name: the site's name (in the feed's title).
        organisation: the author of every entry.
        today: the build date: later items are left out.
    """
    entries = collect_entries(area, tr, site_url, today)
    entries += event_and_result_entries(area, tr, site_url, today)
    entries.sort(key=lambda e: (e.date, e.key), reverse=True)
    fg = FeedGenerator()
    fg.id(tag_uri(site_url, f"{area.slug}/{area.lang}/feed"))
    fg.title(f"{area.name.text} – {site_name}")
    fg.subtitle(area.summary.plain.strip())
    fg.language(tr.language.html_lang)
    fg.author({"name": organisation})
    fg.link(href=page_url(site_url, area.lang, area_path(area.slug)), rel="alternate",
            type="text/html")
    fg.link(href=site_url + feed_path(area.lang, area.slug), rel="self",
            type="application/atom+xml")
    fg.generator("Lähiö")
    # With no news yet the feed is as old as the area's programme year: still deterministic.
    newest = entries[0].date if entries else dt.date(area.year, 1, 1)
    fg.updated(local_midnight(newest))
    for e in entries:
        fe = fg.add_entry(order="append")
        fe.id(tag_uri(site_url, f"{area.slug}/{area.lang}/{e.key}"))
        fe.title(e.title)
        fe.link(href=e.url, rel="alternate", type="text/html")
        fe.updated(local_midnight(e.date))
        fe.published(local_midnight(e.date))
        fe.content(e.html, type="html")
    return fg.atom_str(pretty=True)
