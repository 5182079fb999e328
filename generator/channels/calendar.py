"""Calendars: one iCalendar file per area and language (``<lang>/<area>/events.ics``).

A calendar app that subscribes to the file recognises each event by its UID
(``<event-id>@<area>.<site host>``), so a changed time or place replaces the event instead of
adding a second one. Times are local Kuopio times with the Europe/Helsinki VTIMEZONE included,
so every app shows them right whatever its own zone. DTSTAMP is the build date, never the wall
clock: two builds of the same input are byte-identical.
"""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar, Event

from ..i18n import Translator
from ..views.area import AreaView, EventView
from ..views.urls import area_path
from .common import TZID, build_stamp, local, page_url, site_host


def event_uid(event_id: str, slug: str, site_url: str) -> str:
    """The stable UID of an event: ``nuorten-tyopaja-2027@neulamaki.www.kuopio.fi``."""
    return f"{event_id}@{slug}.{site_host(site_url)}"


def event_location(event: EventView) -> str:
    """``Neulamäen nuorisotalo, Neulamäentie 5, 70150 Kuopio``."""
    return ", ".join(x for x in (event.place.text, event.address) if x)


def event_description(tr: Translator, event: EventView, url: str) -> str:
    """Plain-text description: what happens, accessibility, languages and the page address."""
    _ = tr.gettext
    parts = []
    if event.summary:
        parts.append(event.summary.plain.strip())
    if event.accessibility:
        parts.append(f"{_('Accessibility')}: {event.accessibility.text}")
    if event.languages:
        parts.append(f"{_('Languages')}: {', '.join(name for _c, name, _h in event.languages)}")
    if event.registration:
        parts.append(f"{_('Sign up')}: {event.registration}")
    parts.append(url)
    return "\n\n".join(parts)


def render_calendar(area: AreaView, tr: Translator, site_url: str, site_name: str,
                    today: dt.date) -> bytes:
    """The area's events as an iCalendar file (RFC 5545 bytes, CRLF line ends).

    Args:
        area: the area in the calendar's language.
        tr: that language's translator.
        site_url: the public address of the site (ends with ``/``).
        site_name: the site's name (the calendar's name starts with it).
        today: the build date (DTSTAMP).
    """
    _ = tr.gettext
    events_url = page_url(site_url, area.lang, area_path(area.slug, "events"))
    name = " ".join(f"{area.name.text}: {_('Events')} – {site_name}".split())
    cal = Calendar.new(
        prodid=f"-//{site_host(site_url)}//Lahio//{area.lang.upper()}",
        # One line each: icalendar writes NAME, X-WR-CALNAME and X-WR-CALDESC unescaped.
        name=name, description=" ".join(area.summary.plain.split()), url=events_url,
        language=tr.language.html_lang, method="PUBLISH",
        refresh_interval=dt.timedelta(days=1), uid=f"{area.slug}.{area.lang}@"
        f"{site_host(site_url)}",
    )
    # Calendar.new writes RFC 7986 NAME and the X-WR-CALNAME older apps read; X-WR-TIMEZONE is
    # what Google and Outlook use as the calendar's zone when subscribing.
    cal.add("X-WR-TIMEZONE", TZID)
    stamp = build_stamp(today)
    for e in area.events:
        ev = Event.new(
            uid=event_uid(e.id, area.slug, site_url), summary=e.title.text,
            start=local(e.start), end=local(e.end), stamp=stamp,
            location=event_location(e), url=events_url, description=event_description(tr, e, events_url),
            categories=[e.kind_label],
        )
        cal.add_component(ev)
    if area.events:
        # The VTIMEZONE covers exactly the years the events need: a fixed range keeps the file
        # small and identical from build to build.
        first = min(e.start for e in area.events).date().replace(month=1, day=1)
        last = max(e.end for e in area.events).date().replace(month=12, day=31)
        cal.add_missing_timezones(first, last + dt.timedelta(days=1))
    return cal.to_ical()
