"""Newsletters: per area and language, an HTML e-mail and its plain-text twin.

``newsletter/<area>/<lang>.html`` and ``.txt`` are ready to paste into the city's mailing
tool. Mail clients ignore style sheets and much of CSS, so the HTML uses nested tables and
inline styles only, loads no images and no fonts, and sets ``lang`` and ``dir`` on the document
and on its main table (some clients drop the ``<html>`` element).
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from dataclasses import dataclass

import jinja2

from ..i18n import Translator
from ..templating import CHANNEL_TEMPLATES, one_full_stop
from ..templating import make_env as make_template_env
from ..views.area import AreaView, EventView
from ..views.urls import area_path
from .common import calendar_path, feed_path, page_url
from .feeds import FeedEntry, collect_entries

TEMPLATES = CHANNEL_TEMPLATES

#: How many news items and events a newsletter shows (the rest are a click away).
MAX_NEWS = 5
MAX_EVENTS = 5


@dataclass(frozen=True, slots=True)
class Newsletter:
    """One newsletter: the HTML e-mail and the plain-text version."""

    html: str
    text: str


def _wrap(text: str, width: int = 72) -> str:
    """Paragraphs wrapped for plain-text mail (URLs and amounts are never broken).

    Only ordinary spaces are line-break points: the no-break spaces inside "26 000 €" stay.
    """
    paras = [" ".join(re.split(r"[ \t\r\n]+", p.strip())) for p in text.strip().split("\n\n")]
    return "\n\n".join(textwrap.fill(p, width, break_long_words=False, break_on_hyphens=False)
                       for p in paras if p)


def make_env(tr: Translator) -> jinja2.Environment:
    """Strict templates; HTML escaped, plain text not (it is never read as HTML)."""
    env = make_template_env([TEMPLATES], tr,
                            autoescape=jinja2.select_autoescape(["html"],
                                                                default_for_string=True))
    env.filters["wrap"] = _wrap
    return env


def take_part(area: AreaView, tr: Translator) -> list[str]:
    """The ways to take part right now, as sentences (vote first while a vote is coming)."""
    _ = tr.gettext
    lines = []
    rnd = area.round
    if rnd and rnd.vote_ahead:
        lines.append(one_full_stop(_("Vote on how to use %(amount)s: %(dates)s.")
                                   % {"amount": rnd.budget, "dates": rnd.vote_ahead.dates}))
    if area.upcoming_events:
        lines.append(one_full_stop(_("Come to an event: the next one is on %(when)s.")
                                   % {"when": area.upcoming_events[0].when}))
    lines.append(_("Tell us what works and what does not in the city's feedback service."))
    return lines


def render_newsletter(area: AreaView, tr: Translator, site_url: str, site_name: str,
                      organisation: str, today: dt.date,
                      env: jinja2.Environment | None = None) -> Newsletter:
    """The area's newsletter in ``tr``'s language.

    Args:
        area: the area in that language.
        tr: the translator.
        site_url: the public address of the site (ends with ``/``).
        site_name: shown at the top.
        organisation: the sender, shown at the bottom.
        today: the build date: only news up to it, only events from it on.
        env: :func:`make_env` of ``tr``, when the caller keeps one (its templates are then
            compiled once for every area).
    """
    env = env or make_env(tr)
    news: list[FeedEntry] = collect_entries(area, tr, site_url, today)[:MAX_NEWS]
    events: list[EventView] = list(area.upcoming_events[:MAX_EVENTS])
    context = {
        "area": area, "lang": tr.language, "site_name": site_name,
        "organisation": organisation, "news": news, "events": events,
        "take_part": take_part(area, tr),
        "date": tr.date,
        "area_url": page_url(site_url, area.lang, area_path(area.slug)),
        "budget_url": page_url(site_url, area.lang, area_path(area.slug, "budget"))
        if area.round else None,
        "events_url": page_url(site_url, area.lang, area_path(area.slug, "events"))
        if area.events else None,
        "calendar_url": site_url + calendar_path(area.lang, area.slug) if area.events else None,
        "feed_url": site_url + feed_path(area.lang, area.slug),
        "vote": area.round if area.round and area.round.vote_ahead else None,
        # The same results as the budget page: each proposal's outcome and the money left.
        "results": area.round if area.round and (area.round.has_results
                                                 or area.round.not_published) else None,
        "isolate": tr.isolate, "isolate_runs": tr.isolate_runs,
    }
    html = env.get_template("newsletter.html").render(context)
    text = env.get_template("newsletter.txt").render(context)
    return Newsletter(html, text)
