"""Page addresses. Every page is a folder (``neulamaki/budget/``) relative to a language root.

The addresses of the channels' files are here too: pages link to them, printed and shared
material points to them, and tests read them (a contract: see README's output layout).
"""

from __future__ import annotations

import functools
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..data.model import AreaData


@dataclass(frozen=True, slots=True)
class AreaPage:
    """One page of every area: the overview or a sub-page (see docs/area-pages.md)."""

    #: The address segment under the area (``neulamaki/<sub>/``); ``""`` is the overview.
    sub: str
    #: The page template (``theme/pages/`` first, then ``generator/site/templates/``).
    template: str
    #: Its name in the area's navigation, given the language's gettext.
    label: Callable[[Callable[[str], str]], str]
    #: Whether an area has the page (an area without events has no events page).
    shown: Callable[[AreaData], bool]


#: An area's pages, in the order of its navigation. Adding a page is one entry here, its
#: template and its strings in the catalogs.
AREA_PAGES: tuple[AreaPage, ...] = (
    AreaPage("", "area.html", lambda _: _("Overview"), lambda area: True),
    AreaPage("themes", "themes.html", lambda _: _("Themes"), lambda area: bool(area.themes)),
    AreaPage("projects", "projects.html", lambda _: _("Projects"),
             lambda area: bool(area.projects)),
    AreaPage("budget", "budget.html", lambda _: _("Participatory budgeting"),
             lambda area: area.round is not None),
    AreaPage("events", "events.html", lambda _: _("Events"), lambda area: bool(area.events)),
    AreaPage("young", "young.html", lambda _: _("For young people"),
             lambda area: _for_young(area)),
    AreaPage("evaluation", "evaluation.html", lambda _: _("Evaluation"),
             lambda area: area.process is not None and area.process.evaluation is not None),
)


def _for_young(area: AreaData) -> bool:
    """Whether the area has events or proposals marked for young people (its youth page)."""
    return any("young" in e.audience for e in area.events) or bool(
        area.round and any("young" in p.audience for p in area.round.proposals))

#: Files a channel writes beside an area's pages (``<lang>/<area>/<name>``).
CALENDAR_FILE, FEED_FILE, SMS_FILE = "events.ics", "feed.xml", "sms.txt"
#: Top-level folders of the site written by a stage other than the site, by folder.
STAGE_FOLDERS = {"print": "print", "q": "print", "newsletter": "channels", "social": "channels",
                 "data": "channels"}


def area_path(slug: str, sub: str = "") -> str:
    """``neulamaki/`` or ``neulamaki/budget/``."""
    return f"{slug}/{sub}/" if sub else f"{slug}/"


@functools.lru_cache(maxsize=8192)
def relative(from_path: str, to_path: str) -> str:
    """A relative link between two page folders of the same language (``""`` is home)."""
    if from_path == to_path:
        return "./"
    rel = posixpath.relpath(to_path or ".", from_path or ".")
    return "./" if rel == "." else rel + "/"


def to_root(from_path: str) -> str:
    """Relative link from a page of a language tree to the site root (``../../``)."""
    depth = from_path.count("/") + 1  # the language folder itself
    return "../" * depth


def calendar_path(lang: str, slug: str) -> str:
    """``fi/neulamaki/events.ics`` (relative to the site root)."""
    return f"{lang}/{slug}/{CALENDAR_FILE}"


def feed_path(lang: str, slug: str) -> str:
    """``fi/neulamaki/feed.xml`` (relative to the site root)."""
    return f"{lang}/{slug}/{FEED_FILE}"


def sms_path(lang: str, slug: str) -> str:
    """``fi/neulamaki/sms.txt`` (relative to the site root)."""
    return f"{lang}/{slug}/{SMS_FILE}"


def social_dir(slug: str, lang: str) -> str:
    """``social/neulamaki/fi`` (relative to the site root)."""
    return f"social/{slug}/{lang}"


def og_image_path(slug: str, lang: str) -> str:
    """The area's Open Graph image (1200×630), relative to the site root."""
    return f"{social_dir(slug, lang)}/og.png"


#: The site's folder of picture copies (one for every language: a picture has no language).
PICTURES_DIR = "media"


def picture_path(slug: str, name: str) -> str:
    """``media/neulamaki/<name>``: an area's picture copy (relative to the site root); the
    name carries a hash of the picture (see ``render.picture.copy_name``)."""
    return f"{PICTURES_DIR}/{slug}/{name}"


def programme_og_image_path(lang: str) -> str:
    """The programme's Open Graph image in ``lang`` (home and general pages), relative to the
    site root. ``_programme`` cannot be an area's slug (slugs start with a letter or digit)."""
    return f"{social_dir('_programme', lang)}/og.png"


def newsletter_paths(slug: str, lang: str) -> tuple[str, str]:
    """``newsletter/neulamaki/fi.html`` and ``.txt`` (relative to the site root)."""
    return f"newsletter/{slug}/{lang}.html", f"newsletter/{slug}/{lang}.txt"


def hreflang(code: str, html_lang: str) -> str:
    """The ``hreflang`` of a language: its HTML language, marked private where two languages
    share one (selkosuomi is ``fi-x-selko``)."""
    return html_lang if code in ("fi", html_lang) else f"{html_lang}-x-{code}"


#: Open Graph locales (language_TERRITORY) of the languages whose usual territory is not
#: their own code in capitals; Finland's Swedish is sv_FI, Facebook names Arabic ar_AR.
_OG_TERRITORY = {"fi": "FI", "sv": "FI", "en": "GB", "uk": "UA", "ar": "AR"}


def og_locale(html_lang: str) -> str:
    """The ``og:locale`` of an HTML language: ``fi`` → ``fi_FI``, ``ru`` → ``ru_RU``."""
    base = html_lang.split("-")[0].lower()
    return f"{base}_{_OG_TERRITORY.get(base, base.upper())}"


def page_url(site_url: str, lang: str, path: str = "") -> str:
    """The absolute address of a page: ``https://…/lahiot/fi/neulamaki/events/``."""
    return f"{site_url}{lang}/{path}"


def stage_of(rel: str) -> str:
    """The stage that writes ``rel`` (a ``/``-separated path relative to the site folder)."""
    parts = rel.split("/")
    if len(parts) > 1 and parts[0] in STAGE_FOLDERS:
        return STAGE_FOLDERS[parts[0]]
    if len(parts) == 3 and parts[2] in (CALENDAR_FILE, FEED_FILE, SMS_FILE):
        return "channels"
    return "site"
