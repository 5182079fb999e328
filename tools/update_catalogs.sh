#!/usr/bin/env bash
# Refresh the UI-string catalogs after changing UI strings in generator/ (Python or templates):
#   1. extract every msgid into generator/i18n/messages.pot (the template tests compare against);
#   2. merge it into each language's messages.po: new strings arrive untranslated (never guessed
#      by fuzzy matching, which would publish a wrong translation as if it were right), removed
#      ones become obsolete (#~).
# Then translate the empty msgstr entries; `lahio translations` lists what is still missing.
# usage: tools/update_catalogs.sh        (from anywhere; uses the project's .venv)
set -euo pipefail
cd "$(dirname "$0")/.."
PYBABEL="${PYBABEL:-.venv/bin/pybabel}"
I18N=generator/i18n

"$PYBABEL" extract -F "$I18N/babel.cfg" \
  -k _ -k gettext -k ngettext:1,2 -k plural:1,2 \
  --no-location --sort-output --omit-header \
  -o "$I18N/messages.pot" generator

for po in "$I18N"/locale/*/LC_MESSAGES/messages.po; do
  lang="$(basename "$(dirname "$(dirname "$po")")")"
  "$PYBABEL" update --no-fuzzy-matching --ignore-pot-creation-date --ignore-obsolete -w 100 \
    -i "$I18N/messages.pot" -d "$I18N/locale" -l "$lang" -D messages
done
echo "catalogs updated: $(ls "$I18N"/locale | tr '\n' ' ')"
