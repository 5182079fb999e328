"""Short texts for SMS and social posts: at most 160 characters, short link included.

Per area and language, ``<lang>/<area>/sms.txt``, and all of them in
``newsletter/short-texts.json``. The text is built from parts in order of importance (the area
and what one can do now, then the next event) and shortened at word boundaries with an
ellipsis; the address is never cut: it is reserved first.
"""

from __future__ import annotations

from ..i18n import Translator
from ..views.area import AreaView
from ..views.text import shorten

#: One SMS. (Texts outside the GSM alphabet — Cyrillic, Arabic — travel as UCS-2 and take
#: 70 characters a segment; the limit is the characters, the operator counts the segments.)
LIMIT = 160


def fit(parts: list[str], url: str, limit: int = LIMIT) -> str:
    """Join ``parts`` and ``url`` with spaces into at most ``limit`` characters.

    The URL is always whole and last. The first part is shortened if it must be; later parts
    are added only if they fit whole, in order.

    Raises:
        ValueError: the URL alone is longer than ``limit``.
    """
    if len(url) > limit:
        raise ValueError(f"the address {url} is longer than {limit} characters")
    room = limit - len(url) - 1  # one space before the URL
    text = ""
    for i, part in enumerate(p.strip() for p in parts if p.strip()):
        candidate = f"{text} {part}" if text else part
        if len(candidate) <= room:
            text = candidate
        elif i == 0:
            text = shorten(part, room)
        else:
            continue
    return f"{text} {url}" if text else url


def _end(sentence: str) -> str:
    """``sentence`` with one full stop ("2027 г." does not get a second one)."""
    return sentence if sentence.endswith((".", "!", "?")) else sentence + "."


def render_short_text(area: AreaView, tr: Translator, url: str) -> str:
    """The area's short text in ``tr``'s language, ending with ``url``."""
    _ = tr.gettext
    rnd = area.round
    parts = []
    if rnd and rnd.vote_ahead:
        parts.append(_end(_("%(area)s: vote on how to use %(amount)s, %(dates)s")
                          % {"area": area.name.text, "amount": rnd.budget,
                             "dates": rnd.vote_ahead.dates}))
        if area.upcoming_events:
            e = area.upcoming_events[0]
            parts.append(_end(f"{e.title.text}: {e.when}"))
    elif area.upcoming_events:
        e = area.upcoming_events[0]
        parts.append(_end(f"{area.name.text}: {e.title.text}, {e.when}, {e.place.text}"))
    else:
        parts.append(_end(_("%(area)s: see what is being done and have your say")
                          % {"area": area.name.text}))
    return fit(parts, url)
