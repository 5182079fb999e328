"""Short texts for SMS and social posts: one message each, short link included.

Per area and language, ``<lang>/<area>/sms.txt``, and all of them in
``newsletter/short-texts.json``. The text is built from parts in order of importance (the area
and what one can do now, then the next event) and shortened at word boundaries with an
ellipsis; the address is never cut: it is reserved first.

Languages in Latin script (fi, selko, sv, en) are written in the GSM 7-bit alphabet only: no
no-break or thin spaces, en dashes or ellipsis characters (one of those turns the whole message
into UCS-2, 70 characters a segment, and a 160-character text into three messages); "€" counts
as two. Cyrillic and Arabic travel as UCS-2: a text longer than 70 characters is split at
words into numbered messages of at most 70 characters ("1/3 …"), the address whole in the last.
"""

from __future__ import annotations

from ..i18n import Translator
from ..views.area import AreaView
from ..views.text import shorten

#: One SMS. (Texts outside the GSM alphabet — Cyrillic, Arabic — travel as UCS-2 and take
#: 70 characters a segment; the limit is the characters, the operator counts the segments.)
LIMIT = 160
#: Characters a UCS-2 message holds; split messages carry "n/N " in each.
UCS2_LIMIT = 70
#: The GSM 03.38 basic alphabet (one septet each) and its extension table (two septets each).
GSM_BASIC = set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLM"
                "NOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM_EXTENSION = set("^{}\\[~]|€")
#: Typographic characters and their GSM equivalents.
_TO_GSM = {"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2013": "-", "\u2014": "-",
           "\u2212": "-", "\u2010": "-", "\u2011": "-", "…": "...", "\u2019": "'", "\u2018": "'",
           "\u201c": '"', "\u201d": '"', "\u00ab": '"', "\u00bb": '"', "\u200e": "", "\u200f": "",
           "\u00b7": "-"}


def to_gsm(text: str) -> str:
    """``text`` with typographic characters replaced by their GSM 7-bit equivalents."""
    return "".join(_TO_GSM.get(c, c) for c in text)


def is_gsm(text: str) -> bool:
    return all(c in GSM_BASIC or c in GSM_EXTENSION for c in text)


def gsm_length(text: str) -> int:
    """Septets ``text`` takes in one GSM 7-bit message (extension characters take two)."""
    return sum(2 if c in GSM_EXTENSION else 1 for c in text)


def split_ucs2(text: str, url: str, limit: int = UCS2_LIMIT) -> list[str]:
    """``text`` and ``url`` as numbered UCS-2 messages of at most ``limit`` characters each.

    Split at spaces; each message starts with "n/N "; the address is whole in the last one.
    """
    words = text.split(" ") if text else []
    for total in range(1, 20):
        prefix = len(f"{total}/{total} ") if total > 1 else 0
        messages: list[str] = []
        current = ""
        for word in words:
            candidate = f"{current} {word}" if current else word
            if len(candidate) + prefix <= limit:
                current = candidate
            else:
                messages.append(current)
                current = word
        last = f"{current} {url}" if current else url
        if len(last) + prefix > limit:
            messages.append(current)
            last = url
        messages.append(last)
        messages = [m for m in messages if m]
        if len(messages) == total:
            if total == 1:
                return messages
            return [f"{n}/{total} {m}" for n, m in enumerate(messages, 1)]
    raise ValueError("text too long to split into messages")



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
    if area.example:
        parts.insert(0, _("Example") + ":")
    text = fit(parts, url)
    if tr.language.dir == "ltr" and is_gsm(to_gsm(text.replace(url, ""))):
        # Latin script: one GSM 7-bit message of at most 160 septets ("€" takes two).
        parts = [to_gsm(p) for p in parts]
        limit = LIMIT
        text = to_gsm(fit(parts, url, limit))  # a shortened part ends in "…": "..." in GSM
        while gsm_length(text) > LIMIT:
            limit -= gsm_length(text) - LIMIT
            text = to_gsm(fit(parts, url, limit))
        return text
    # Cyrillic, Arabic: UCS-2, 70 characters a message; split at words and numbered.
    body = text[: -len(url)].rstrip() if text.endswith(url) else text
    return "\n".join(split_ucs2(body, url))
