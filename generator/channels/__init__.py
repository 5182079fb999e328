"""Stage ``channels``: calendars, feeds, newsletters, social images; imports context and below.

Each output has its own module; this one walks the areas and languages and writes:

* ``<lang>/<area>/events.ics`` — :mod:`.calendar`
* ``<lang>/<area>/feed.xml`` — :mod:`.feeds`
* ``<lang>/<area>/sms.txt`` and ``newsletter/short-texts.json`` — :mod:`.shorttext`
* ``newsletter/<area>/<lang>.html`` and ``.txt`` — :mod:`.newsletter`
* ``social/<area>/<lang>/*.png`` — :mod:`.social`
* ``data/`` — :mod:`.opendata`

The access-log report (``lahio channels``) is :mod:`.report`.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from ..errors import LahioError
from ..views.urls import area_path

# The channel modules are imported by build_channels, not here: a build that does not run
# this stage must not pay for the PDF engine and image code it never uses.

if TYPE_CHECKING:
    from ..context import BuildContext

#: The short-link channel of social images and short texts (``qr-codes.yaml``).
CHANNEL = "social"

#: What forked drawing processes read (set just before forking).
_DRAW: BuildContext | None = None


def _draw_one(job: tuple[str, int, str]) -> dict[str, bytes] | str:
    """One area's social images in one language, or the reason they cannot be drawn."""
    from .social import render_social_images

    ctx = _DRAW
    assert ctx is not None
    lang, n, url = job
    try:
        return render_social_images(ctx.area_views(lang)[n], ctx.translators[lang], url,
                                    ctx.config.site_name, str(ctx.root),
                                    cache=ctx.root / ".lahio-cache" / "social")
    except ValueError as exc:
        return str(exc)


def _draw(ctx: BuildContext, jobs: list[tuple[str, int, str]]) -> list[dict[str, bytes] | str]:
    """:func:`_draw_one` for every job, in order, in one process per core."""
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor

    global _DRAW
    _DRAW = ctx
    try:
        workers = min(len(jobs), os.cpu_count() or 1)
        if workers <= 1:
            return [_draw_one(job) for job in jobs]
        with ProcessPoolExecutor(max_workers=workers,
                                 mp_context=multiprocessing.get_context("fork")) as pool:
            return list(pool.map(_draw_one, jobs, chunksize=max(1, len(jobs) // (workers * 4))))
    finally:
        _DRAW = None


def build_channels(ctx: BuildContext) -> None:
    """Write every channel output of every area and language into ``ctx.out``."""
    from .calendar import render_calendar
    from .common import (ShortLinks, calendar_path, feed_path, newsletter_paths, page_url,
                         sms_path, social_dir, write)
    from .feeds import render_feed
    from .newsletter import render_newsletter
    from .opendata import write_open_data
    from .shorttext import render_short_text

    config = ctx.config
    links = ShortLinks(ctx.root, config.site_url)
    missing: list[str] = []
    short_texts: dict[str, dict[str, str]] = {}
    social: list[tuple[str, int, str]] = []  # (language, area index, short link) to draw
    for lang in config.codes:
        tr = ctx.translators[lang]
        for n, area in enumerate(ctx.area_views(lang)):
            link = links.get(area.slug, CHANNEL, lang)
            if link is None:
                # Without a registered code the full address still works; it is only longer
                # and not counted by `lahio channels`.
                missing.append(f"{area.slug}/{lang}")
                url = page_url(config.site_url, lang, area_path(area.slug))
            else:
                url = links.url(link)
            if area.events:
                write(ctx, calendar_path(lang, area.slug),
                      render_calendar(area, tr, config.site_url, config.site_name, ctx.today))
            write(ctx, feed_path(lang, area.slug),
                  render_feed(area, tr, config.site_url, config.site_name,
                              config.organisation, ctx.today))
            letter = render_newsletter(area, tr, config.site_url, config.site_name,
                                       config.organisation, ctx.today)
            html_path, text_path = newsletter_paths(area.slug, lang)
            write(ctx, html_path, letter.html)
            write(ctx, text_path, letter.text)
            # SMS visits get their own short link, so the channel report tells them apart.
            sms_link = links.get(area.slug, "sms", lang)
            sms = render_short_text(area, tr, links.url(sms_link) if sms_link else url)
            write(ctx, sms_path(lang, area.slug), sms + "\n")
            short_texts.setdefault(area.slug, {})[lang] = sms
            social.append((lang, n, url))
    # Drawing the images is most of this stage: one process per core, and images whose
    # card HTML is unchanged come from the cache.
    for (lang, n, _url), images in zip(social, _draw(ctx, social), strict=True):
        slug = ctx.area_views(lang)[n].slug
        if isinstance(images, str):
            # A card that overflows its one page: the texts on it are too long.
            raise LahioError(
                f"social images for {slug} ({lang}): {images}; shorten the area's event "
                "or budgeting-round titles shown on the cards (areas/"
                f"{slug}/events.yaml, budget.yaml)")
        for name, png in images.items():
            write(ctx, f"{social_dir(slug, lang)}/{name}", png)
    write(ctx, "newsletter/short-texts.json",
          json.dumps(short_texts, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    write_open_data(ctx)
    if missing:
        ctx.warnings.append(
            f"{len(missing)} area pages have no '{CHANNEL}' short link in qr-codes.yaml "
            f"({', '.join(missing[:3])}{', …' if len(missing) > 3 else ''}): social images "
            "and short texts use the full address")
