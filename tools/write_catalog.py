#!/usr/bin/env python3
"""Write or update a language's UI catalog from a Python dict of translations.

usage: tools/write_catalog.py LANG translations.py
The translations file defines TRANSLATIONS = {msgid: msgstr, (singular, plural): [forms…]}.
Messages of messages.pot missing from the dict stay untranslated (and `lahio translations`
lists them).
"""
import runpy
import sys
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
I18N = ROOT / "generator" / "i18n"


def main() -> None:
    lang, source = sys.argv[1], sys.argv[2]
    translations = runpy.run_path(source)["TRANSLATIONS"]
    locale = {"selko": "fi"}.get(lang, lang)
    with (I18N / "messages.pot").open("rb") as fh:
        template = read_po(fh)
    catalog = Catalog(locale=Locale.parse(locale), domain="messages", project="Lähiö",
                      fuzzy=False)
    for message in template:
        if not message.id:
            continue
        key = tuple(message.id) if isinstance(message.id, (list, tuple)) else message.id
        value = translations.get(key, "" if isinstance(key, str) else ["", ""])
        catalog.add(message.id, value)
    out = I18N / "locale" / lang / "LC_MESSAGES" / "messages.po"
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as fh:
        write_po(fh, catalog, omit_header=False, sort_output=True, width=100,
                 include_lineno=False)
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
