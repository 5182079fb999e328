"""i18n layer: languages, gettext catalogs, Babel formatting; imports data and ground only.

Language is always a parameter (a :class:`Translator`), never global state. UI strings are
English msgids translated in ``locale/<code>/LC_MESSAGES/messages.po``; the catalogs are
compiled in memory when first used, so a changed ``.po`` file is picked up by the next build.
Content texts (:class:`~generator.data.schema.Text`) fall back to Finnish, and the fallback is
recorded so that the page can say so.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

import babel
from babel import Locale
from babel.dates import format_date, format_interval, format_time
from babel.numbers import format_currency, format_decimal, parse_pattern
from markupsafe import Markup, escape

from ..cache import write_file
from ..data.config import Language
from ..data.schema import Text

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"
DEFAULT = "fi"


#: Letters of right-to-left scripts (Hebrew, Arabic and their presentation forms).
_RTL_LETTER = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
#: A run of digits with the separators of times, dates and ranges ("17:00–19:00", "3–5").
_DIGIT_RUN = re.compile(r"[0-9\u0660-\u0669](?:[0-9\u0660-\u0669.,:/\u2013\u2212\u2009\u202f\u00a0\u066c -]*"
                        r"[0-9\u0660-\u0669])?")

#: A figure as Babel writes it inside a sentence: an optional bidi mark and currency sign, a digit
#: run, then an optional currency or percent sign ("€40,500", "40 500 €", "16 %").
_AMOUNT_RUN = re.compile("\u200f?(?:€\u00a0?)?" + _DIGIT_RUN.pattern + "(?:[\u00a0\u202f ]?[€%])?")


@dataclass(frozen=True, slots=True)
class Localized:
    """A content text chosen for one language.

    Attributes:
        text: the text itself.
        lang: the HTML ``lang`` of the text as shown (``fi`` when it fell back).
        fallback: True when the reader's language was missing and Finnish is shown instead.
    """

    text: str
    lang: str
    fallback: bool

    def __str__(self) -> str:
        return self.text


def catalog_path(code: str) -> Path:
    return LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def load_translations(code: str, cache: Path | None = None) -> gettext.NullTranslations:
    """The compiled catalog of ``code`` (a NullTranslations when there is none).

    The ``.po`` catalog is compiled in memory; with ``cache`` (a folder) the compiled catalog
    is kept there under a hash of the ``.po`` file and the Babel version, and read from there
    while neither changes (compiling took a few milliseconds per language and build).
    """
    path = catalog_path(code)
    if not path.exists():
        return gettext.NullTranslations()
    po = path.read_bytes()
    compiled = None
    if cache is not None:
        key = hashlib.sha256(po + babel.__version__.encode()).hexdigest()[:24]
        compiled = cache / f"{code}-{key}.mo"
        try:
            return gettext.GNUTranslations(io.BytesIO(compiled.read_bytes()))
        except (OSError, ValueError):  # not compiled yet (or damaged): compiled again
            pass
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    buf = io.BytesIO()
    write_mo(buf, read_po(io.BytesIO(po), locale=None, domain=DOMAIN), use_fuzzy=False)
    if compiled is not None:
        for old in compiled.parent.glob(f"{code}-*.mo"):  # this language's older catalogs
            old.unlink(missing_ok=True)
        write_file(compiled, buf.getvalue())
    buf.seek(0)
    return gettext.GNUTranslations(buf)


class Translator:
    """Everything language-dependent that views need, for one language."""

    def __init__(self, language: Language, cache: Path | None = None) -> None:
        self.language = language
        self.code = language.code
        self.locale = Locale.parse(language.locale)
        self._t = load_translations(language.code, cache)

    # --- UI strings ---------------------------------------------------------------------
    def gettext(self, message: str) -> str:
        return self._t.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._t.ngettext(singular, plural, n)

    _ = gettext

    # --- content ------------------------------------------------------------------------
    def text(self, value: Text | None) -> Localized | None:
        """``value`` in this language, else Finnish (marked as a fallback)."""
        if value is None:
            return None
        own = value.get(self.code)
        if own is not None:
            return Localized(own, self.language.html_lang, False)
        return Localized(value.get(DEFAULT) or "", "fi", True)

    # --- formatting ---------------------------------------------------------------------
    def money(self, euros: float) -> str:
        """Whole euros in the locale's currency format: ``50 000 €``, ``€50,000``."""
        pattern = self.locale.currency_formats["standard"].pattern.replace(".00", "")
        if self.locale.currency_symbols.get("EUR", "EUR") == "EUR":
            # Some locales (uk) have no symbol of their own and would print "EUR"; the euro
            # sign is what residents see on price tags everywhere in Finland.
            pattern = pattern.replace("¤", "'€'")
        return format_currency(euros, "EUR", format=pattern, locale=self.locale,
                               currency_digits=False)

    def number(self, value: float, digits: int = 1) -> str:
        if float(value).is_integer():
            return format_decimal(int(value), locale=self.locale)
        return format_decimal(round(value, digits), locale=self.locale)

    def percent(self, value: float, digits: int = 1) -> str:
        """``value`` given in percent (17.2 → ``17,2 %``)."""
        pattern = parse_pattern(self.locale.percent_formats[None].pattern)
        pattern.frac_prec = (0, digits)
        return str(pattern.apply(value / 100, self.locale))

    def date(self, value: dt.date, fmt: str = "long") -> str:
        return format_date(value, fmt, locale=self.locale)

    def time(self, value: dt.datetime | dt.time) -> str:
        return format_time(value, "short", locale=self.locale)

    def date_range(self, start: dt.date, end: dt.date) -> str:
        if start == end:
            return self.date(start)
        return format_interval(start, end, "yMMMd", locale=self.locale)

    def time_range(self, start: dt.datetime, end: dt.datetime) -> str:
        """``3. helmikuuta 2027 17.00–19.00`` (same day) or a full interval."""
        if start.date() == end.date():
            return f"{self.date(start.date())} {format_interval(start, end, 'Hm', locale=self.locale)}"
        return format_interval(start, end, "yMMMdHm", locale=self.locale)

    def isolate(self, value: object) -> Markup:
        """``value`` (a number, date, range, phone number) as bidi-isolated HTML.

        Numbers and ranges are shown left to right in every language, so that "17–19" or
        "17:00–19:00" never turns into "19–17" inside right-to-left text. A value written
        with right-to-left words (an Arabic date such as "3 فبراير – 5 مارس 2027") keeps the
        text's own direction, and only its runs of digits are isolated left to right.
        """
        # Plain concatenation of escaped text: the same as Markup.format, several times faster
        # (this runs for every figure of every page).
        text = str(value)
        if self.language.dir != "rtl" or not _RTL_LETTER.search(text):
            return Markup(f'<bdi class="lahio-num" dir="ltr">{escape(text)}</bdi>')
        parts, pos = [], 0
        for m in _DIGIT_RUN.finditer(text):
            parts.append(str(escape(text[pos:m.start()])))
            parts.append(f'<bdi dir="ltr">{escape(m.group())}</bdi>')
            pos = m.end()
        parts.append(str(escape(text[pos:])))
        return Markup(f'<bdi class="lahio-num">{"".join(parts)}</bdi>')

    def isolate_runs(self, text: str) -> Markup:
        """``text`` (a sentence from a view) with each amount or range in an LTR island.

        For sentences that carry formatted numbers inside them ("Funding line: €40,500 of
        €50,000 used"): the words keep the page's direction, the figures cannot be reordered.
        """
        parts, pos = [], 0
        for m in _AMOUNT_RUN.finditer(text):
            parts.append(str(escape(text[pos:m.start()])))
            parts.append(f'<bdi class="lahio-num" dir="ltr">{escape(m.group())}</bdi>')
            pos = m.end()
        parts.append(str(escape(text[pos:])))
        return Markup("".join(parts))

    def plural(self, singular: str, plural: str, n: int) -> str:
        """A counted phrase, ``{n}`` replaced by the locale-formatted number."""
        return self.ngettext(singular, plural, n).replace("{n}", format_decimal(n, locale=self.locale))
