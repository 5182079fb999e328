"""Soft hyphens for long Finnish words.

WeasyPrint hyphenates with Pyphen, which has no Finnish dictionary, so a long compound such as
"asukasosallistumismahdollisuudet" would overflow a narrow flyer column. Finnish syllables
follow one main rule: a syllable boundary comes before a consonant that is followed by a
vowel (kau-pun-gin-val-tuus-to). Inserting soft hyphens (U+00AD) there lets the line breaker
split the word only where it must; nothing changes when the word fits.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

SHY = "\u00ad"
#: Words shorter than this are never split: they fit any column we print.
MIN_WORD = 12
_VOWELS = set("aeiouyäöåAEIOUYÄÖÅ")
_WORD = re.compile(r"[^\W\d_]{%d,}" % MIN_WORD)
_TAG = re.compile(r"(<[^>]*>|&[#a-zA-Z0-9]+;)")


def hyphenate_word(word: str) -> str:
    """``word`` with soft hyphens before each consonant+vowel (Finnish syllable rule).

    At least two letters stay on each side of a break, so no line ends or starts with a
    single letter.
    """
    out = []
    for i, ch in enumerate(word):
        if (2 <= i <= len(word) - 2 and ch not in _VOWELS and ch.isalpha()
                and word[i + 1] in _VOWELS and word[i - 1] != "-"):
            out.append(SHY)
        out.append(ch)
    return "".join(out)


def hyphenate_fi(text: str) -> str:
    """Soft hyphens in every word of at least :data:`MIN_WORD` letters of plain ``text``."""
    return _WORD.sub(lambda m: hyphenate_word(m.group()), text)


def hyphenate_markup(html: Markup | str) -> Markup:
    """:func:`hyphenate_fi` applied to the text (not the tags or entities) of ``html``.

    A plain ``str`` is escaped first; ``Markup`` is trusted HTML (rendered by the views).
    """
    source = html if isinstance(html, Markup) else escape(html)
    parts = _TAG.split(str(source))
    return Markup("".join(p if i % 2 else hyphenate_fi(p) for i, p in enumerate(parts)))
