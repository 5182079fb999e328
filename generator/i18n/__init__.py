"""Languages, UI-string catalogs (gettext, managed with Babel) and locale formatting.

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
import io
from dataclasses import dataclass
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_interval, format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal, parse_pattern

from ..data.config import Language
from ..data.schema import Text

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"
DEFAULT = "fi"


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
def load_translations(code: str) -> gettext.NullTranslations:
    """The compiled catalog of ``code`` (a NullTranslations when there is none)."""
    path = catalog_path(code)
    if not path.exists():
        return gettext.NullTranslations()
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=None, domain=DOMAIN)
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    buf.seek(0)
    return gettext.GNUTranslations(buf)


class Translator:
    """Everything language-dependent that views need, for one language."""

    def __init__(self, language: Language) -> None:
        self.language = language
        self.code = language.code
        self.locale = Locale.parse(language.locale)
        self._t = load_translations(language.code)
        self.fallbacks: list[Text] = []

    # --- UI strings ---------------------------------------------------------------------
    def gettext(self, message: str) -> str:
        return self._t.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._t.ngettext(singular, plural, n)

    _ = gettext

    # --- content ------------------------------------------------------------------------
    def text(self, value: Text | None) -> Localized | None:
        """``value`` in this language, else Finnish (recorded as a fallback)."""
        if value is None:
            return None
        own = value.get(self.code)
        if own is not None:
            return Localized(own, self.language.html_lang, False)
        self.fallbacks.append(value)
        return Localized(value.get(DEFAULT) or "", "fi", True)

    # --- formatting ---------------------------------------------------------------------
    def money(self, euros: float) -> str:
        """Whole euros in the locale's currency format: ``50 000 €``, ``€50,000``."""
        pattern = self.locale.currency_formats["standard"].pattern.replace(".00", "")
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
        return pattern.apply(value / 100, self.locale)

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

    def plural(self, singular: str, plural: str, n: int) -> str:
        """A counted phrase, ``{n}`` replaced by the locale-formatted number."""
        return self.ngettext(singular, plural, n).replace("{n}", format_decimal(n, locale=self.locale))
