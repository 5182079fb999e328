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
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..messages import err
from ..errors import LahioError
from ..publish import worker_start
from ..views.urls import area_path

# The channel modules are imported by build_channels, not here: a build that does not run
# this stage must not pay for the PDF engine and image code it never uses.

if TYPE_CHECKING:
    from ..context import BuildContext

#: The short-link channel of social images and short texts (``qr-codes.yaml``).
CHANNEL = "social"

#: What forked drawing processes read (set just before forking): the cards to draw, each
#: with its HTML, the project folder and the cache.
_DRAW: tuple[list[tuple[Any, str]], str, Path] | None = None


def look(ctx: BuildContext) -> Any:
    """The cards' colour and logo (``extra.lahio.brand`` in mkdocs.yml)."""
    from ..data.picture import named_copy
    from .social import Look

    logo = ""
    if ctx.config.brand_logo:
        source = ctx.root / "theme" / "site" / ctx.config.brand_logo.lstrip("/")
        logo = str(named_copy(source, ctx.root / ".lahio-cache" / "pictures", "logo"))
    return Look(ctx.config.brand_primary, logo)


def _draw_one(index: int) -> dict[str, bytes] | str:
    """The images of one area's cards in one language (:data:`_DRAW`), or the reason they
    cannot be drawn."""
    from .social import draw_cards

    assert _DRAW is not None
    prepared, root, cache = _DRAW
    cards, html = prepared[index]
    try:
        return draw_cards(html, cards, root, cache)
    except ValueError as exc:
        return str(exc)


def _draw(ctx: BuildContext, jobs: list[tuple[str, int, str]]) -> list[dict[str, bytes] | str]:
    """Every job's social images, in order: each area's cards are made here, those drawn
    before come from the cache, and the others are drawn in one process per core (none is
    started when one or no area is to be drawn)."""
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor

    from .social import area_cards, cached_images

    global _DRAW
    cache = ctx.root / ".lahio-cache" / "social"
    style = look(ctx)
    results: list[dict[str, bytes] | str | None] = []
    prepared: list[tuple[Any, str]] = []
    for lang, n, url in jobs:
        found: dict[str, bytes] | str | None
        try:
            cards, html = area_cards(ctx.area_views(lang)[n], ctx.translators[lang], url,
                                     ctx.config.site_name, cache, style)
        except ValueError as exc:
            cards, html, found = [], "", str(exc)
        else:
            found = cached_images(html, str(ctx.root), cache)
        prepared.append((cards, html))
        results.append(found)
    todo = [i for i, result in enumerate(results) if result is None]
    _DRAW = (prepared, str(ctx.root), cache)
    try:
        workers = min(len(todo), os.cpu_count() or 1)
        if workers <= 1:
            drawn = [_draw_one(i) for i in todo]
        else:
            with ProcessPoolExecutor(max_workers=workers,
                                     mp_context=multiprocessing.get_context("fork"),
                                     initializer=worker_start) as pool:
                drawn = list(pool.map(_draw_one, todo,
                                      chunksize=max(1, len(todo) // (workers * 4))))
    finally:
        _DRAW = None
    for i, images in zip(todo, drawn, strict=True):
        results[i] = images
    assert None not in results
    return results  # type: ignore[return-value]


def _area_keys(ctx: BuildContext, urls: dict[tuple[str, str], str],
               sms_urls: dict[tuple[str, str], str]) -> dict[tuple[str, str], str]:
    """What an area's channel outputs in a language depend on, hashed: its view in that
    language (see :func:`generator.cache.view_digests`), its short address, the configuration,
    the build date and the project folder (social cards resolve references in it); the
    generator's own code and templates are in every cache entry's key."""
    from ..cache import digest, view_digests

    shared = digest(repr(ctx.config), ctx.today.isoformat(), str(ctx.root))
    keys = {}
    slugs = ctx.programme.slugs
    for lang in ctx.config.codes:
        views = ctx.area_views(lang)
        for n, view_key in enumerate(view_digests(views)):
            # The views are made in the programme's order; else each is looked at.
            slug = slugs[n] if len(slugs) == len(views) else views[n].slug
            keys[slug, lang] = digest(shared, lang, view_key, urls.get((slug, lang), ""),
                                      sms_urls.get((slug, lang), ""))
    return keys


def build_channels(ctx: BuildContext) -> None:
    """Write every channel output of every area and language into ``ctx.out``.

    An area's outputs in a language (calendar, feed, newsletter, short text, social images)
    are kept in ``.lahio-cache/channels/`` and written from there while their inputs are
    unchanged (:func:`_area_keys`): nothing is rendered or drawn for them.
    """
    from ..cache import Store
    from .common import ShortLinks, write
    from .opendata import write_open_data

    config = ctx.config
    links = ShortLinks(ctx.root, config.site_url)
    missing: list[str] = []
    urls: dict[tuple[str, str], str] = {}
    sms_urls: dict[tuple[str, str], str] = {}
    for lang in config.codes:
        for slug in _slugs(ctx, lang):
            link = links.get(slug, CHANNEL, lang)
            if link is None:
                # Without a registered code the full address still works; it is only longer
                # and not counted by `lahio channels`.
                missing.append(f"{slug}/{lang}")
            else:
                urls[slug, lang] = links.url(link)
            # SMS visits get their own short link, so the channel report tells them apart.
            sms_link = links.get(slug, "sms", lang)
            if sms_link is not None:
                sms_urls[slug, lang] = links.url(sms_link)
    keys = _area_keys(ctx, urls, sms_urls)
    store = Store(ctx.root / ".lahio-cache" / "channels")
    made: dict[tuple[str, str], dict] = {}
    todo: list[tuple[str, int, str]] = []
    for lang in config.codes:
        for n, slug in enumerate(_slugs(ctx, lang)):
            hit = store.get(f"{slug}.{lang}", keys[slug, lang])
            if isinstance(hit, dict):
                made[slug, lang] = hit
            else:
                todo.append((lang, n, urls.get((slug, lang), "")))
    for (lang, n, _url), entry in zip(todo, _render_areas(ctx, todo, sms_urls), strict=True):
        slug = ctx.area_views(lang)[n].slug
        made[slug, lang] = entry
        store.put(f"{slug}.{lang}", keys[slug, lang], entry)
    short_texts: dict[str, dict[str, str]] = {}
    for (slug, lang), entry in made.items():
        for rel, data in entry["files"].items():
            write(ctx, rel, data)
        short_texts.setdefault(slug, {})[lang] = entry["sms"]
    store.save()
    write(ctx, "newsletter/short-texts.json",
          json.dumps(short_texts, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    write_programme_images(ctx)
    write_open_data(ctx)
    if missing:
        ctx.warnings.append(err(
            "{n} area pages have no {channel!r} short link in qr-codes.yaml ({examples}): "
            "social images and short texts use the full address", n=len(missing),
            channel=CHANNEL,
            examples=", ".join(missing[:3]) + (", …" if len(missing) > 3 else "")))


def write_programme_images(ctx: BuildContext) -> None:
    """``social/_programme/<lang>/og.png``: the preview of the home and general pages in each
    language (drawn again only when its card changed: see ``social.render_programme_image``)."""
    from ..views.urls import programme_og_image_path
    from .common import write
    from .social import render_programme_image

    style = look(ctx)
    for lang in ctx.config.codes:
        tree = ctx.trees.get(lang)
        names = ([name for _slug, name, _lang in tree.area_names] if tree is not None
                 else [view.name.text for view in ctx.area_views(lang)])
        png = render_programme_image(ctx.translators[lang], ctx.config.site_name, names,
                                     ctx.config.sample, str(ctx.root),
                                     cache=ctx.root / ".lahio-cache" / "social", look=style)
        write(ctx, programme_og_image_path(lang), png)


def _slugs(ctx: BuildContext, lang: str) -> list[str]:
    """The slugs of the area views of ``lang``, in their order (unpickled only if need be)."""
    views = ctx.area_views(lang)
    slugs = ctx.programme.slugs
    return list(slugs) if len(slugs) == len(views) else [v.slug for v in views]


def _render_areas(ctx: BuildContext, todo: list[tuple[str, int, str]],
                  sms_urls: dict[tuple[str, str], str]) -> list[dict]:
    """The channel outputs of each (language, area index, short address or "") in ``todo``:
    ``{"files": {path: text or bytes}, "sms": short text}``; ``sms_urls`` holds the short
    addresses of the SMS texts."""
    if not todo:  # nothing changed: not even the renderers are imported
        return []
    from .calendar import render_calendar
    from .common import (calendar_path, feed_path, newsletter_paths, page_url, sms_path,
                         social_dir)
    from .feeds import render_feed
    from .newsletter import make_env, render_newsletter
    from .shorttext import render_short_text

    config = ctx.config
    envs: dict[str, Any] = {}
    entries: list[dict[str, Any]] = []
    social: list[tuple[str, int, str]] = []  # (language, area index, short link) to draw
    for lang, n, url in todo:
        tr = ctx.translators[lang]
        area = ctx.area_views(lang)[n]
        url = url or page_url(config.site_url, lang, area_path(area.slug))
        files: dict[str, str | bytes] = {}
        if area.events:
            files[calendar_path(lang, area.slug)] = render_calendar(
                area, tr, config.site_url, config.site_name, ctx.today)
        files[feed_path(lang, area.slug)] = render_feed(
            area, tr, config.site_url, config.site_name, config.organisation, ctx.today)
        env = envs.get(lang)
        if env is None:
            env = envs[lang] = make_env(tr)
        letter = render_newsletter(area, tr, config.site_url, config.site_name,
                                   config.organisation, ctx.today, env=env)
        html_path, text_path = newsletter_paths(area.slug, lang)
        files[html_path] = letter.html
        files[text_path] = letter.text
        sms = render_short_text(area, tr, sms_urls.get((area.slug, lang)) or url)
        files[sms_path(lang, area.slug)] = sms + "\n"
        entries.append({"files": files, "sms": sms})
        social.append((lang, n, url))
    # Drawing the images is most of this stage: one process per core when there are several
    # areas to draw, and images whose card HTML is unchanged come from the cache.
    for (lang, n, _url), entry, images in zip(social, entries, _draw(ctx, social), strict=True):
        slug = ctx.area_views(lang)[n].slug
        if isinstance(images, str):
            # A card that overflows its one page: the texts on it are too long.
            raise LahioError(
                f"social images for {slug} ({lang}): {images}; shorten the area's event "
                "or budgeting-round titles shown on the cards (areas/"
                f"{slug}/events.yaml, budget.yaml)")
        for name, png in images.items():
            entry["files"][f"{social_dir(slug, lang)}/{name}"] = png
    return entries
