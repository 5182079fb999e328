"""Messages for people, in English or Finnish following the system locale.

Validation messages are written in English with named placeholders through :func:`err`, e.g.
``err("unknown key — did you mean {close!r}?", close="summary")``. The result is the English
text (a ``str``, so every existing use and comparison keeps working) that also remembers its
template and values; :func:`localize` formats the same template from the ``errors`` gettext
catalog (``generator/i18n/locale/<lang>/LC_MESSAGES/errors.po``). Values that are messages
themselves (hints, type names) are translated too.

The catalog is a domain of its own, separate from the site's UI strings (``messages``), and
``err`` is not one of Babel's default keywords, so extracting UI strings never picks these up.
Extract with::

    pybabel extract -F generator/i18n/errors-babel.cfg -k err --no-default-keywords \\
        -o generator/i18n/errors.pot generator
    pybabel update -D errors -i generator/i18n/errors.pot -d generator/i18n/locale
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path
from typing import Any

LOCALE_DIR = Path(__file__).resolve().parent / "i18n" / "locale"
DOMAIN = "errors"


class Msg(str):
    """A message in English that remembers its template and values for translation."""

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, params: dict[str, Any]) -> Msg:
        self = super().__new__(cls, template.format(**params) if params else template)
        self.template = template
        self.params = params
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (Msg, (self.template, self.params))


def err(template: str, /, **params: Any) -> Msg:
    """A message for people: ``template`` is English with named ``{placeholders}``.

    Args:
        template: the English text, a literal (it is the catalog's msgid).
        **params: the values; a value that is itself a :class:`Msg` is translated with it.
    """
    return Msg(template, params)


def message_language(environ: dict[str, str] | None = None) -> str:
    """``fi`` when the locale (``LC_ALL``, else ``LC_MESSAGES``, else ``LANG``) is Finnish.

    The first of these that is set decides, as in POSIX; anything but Finnish gives ``en``.
    """
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            return "fi" if value.lower().startswith("fi") else "en"
    return "en"


@functools.lru_cache(maxsize=None)
def _catalog(lang: str) -> dict[str, str]:
    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not path.is_file():
        return {}
    from babel.messages.pofile import read_po

    with path.open("rb") as fh:
        catalog = read_po(fh, locale=lang if lang != "selko" else "fi", domain=DOMAIN)
    return {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy
            and isinstance(m.id, str) and isinstance(m.string, str)}


def localize(message: str, lang: str | None = None) -> str:
    """``message`` in ``lang`` (default: :func:`message_language`); English when untranslated.

    A plain string (not made with :func:`err`) is returned as it is.
    """
    lang = lang or message_language()
    if not isinstance(message, Msg) or lang == "en":
        return str(message)
    template = _catalog(lang).get(message.template, message.template)
    params = {k: localize(v, lang) if isinstance(v, Msg) else v
              for k, v in message.params.items()}
    try:
        return template.format(**params) if params else template
    except (KeyError, IndexError, ValueError):
        # A translation with a broken placeholder must not hide the problem itself.
        return str(message)


def dump_message(message: str) -> str:
    """``message`` as JSON that :func:`load_message` reads back translatable (a :class:`Msg`
    with its template and values, nested ones included), for messages kept in a cache file."""
    def plain(value: Any) -> Any:
        if isinstance(value, Msg):
            return {"template": value.template,
                    "params": {k: plain(v) for k, v in value.params.items()}}
        return value if isinstance(value, (int, float)) else str(value)

    return json.dumps(plain(message), ensure_ascii=False, sort_keys=True)


def load_message(text: str) -> str:
    """The message :func:`dump_message` wrote.

    Raises:
        ValueError: ``text`` is not such a message (a cache file of an older format).
    """
    def message(value: Any) -> Any:
        if isinstance(value, dict):
            if not isinstance(value.get("template"), str) or not isinstance(
                    value.get("params"), dict):
                raise ValueError("not a message")
            return Msg(value["template"], {k: message(v) for k, v in value["params"].items()})
        return value

    found = message(json.loads(text))
    if not isinstance(found, str):
        raise ValueError("not a message")
    return found
