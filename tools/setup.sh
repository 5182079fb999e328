#!/usr/bin/env bash
# Set up a fresh Debian machine for Lähiö: system libraries, a virtual environment, the package.
#   tools/setup.sh          what building the site needs
#   tools/setup.sh --test   also what the test suite needs (Chromium, Java, nginx, Node packages)
#   tools/setup.sh --bench  also what `make bench` compares against (Hugo, mkdocs-static-i18n)
# Safe to run again: every step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1
want_bench=0
[ "${1:-}" = "--bench" ] && want_bench=1

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Pango/HarfBuzz for WeasyPrint (libharfbuzz-subset0 makes font subsetting ~4x faster);
# Noto fonts cover Latin, Cyrillic and Arabic so every language prints with embedded fonts.
sys_pkgs=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libharfbuzz0b fontconfig
          fonts-noto-core fonts-dejavu-core)
if [ "$want_test" = 1 ]; then
  # nginx: the tests serve the built site with the configuration the build writes.
  sys_pkgs+=(chromium default-jre-headless nginx)
fi
if [ "$want_bench" = 1 ]; then
  sys_pkgs+=(hugo)  # the reference static-site generator of bench/run.py
fi
missing=()
for p in "${sys_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing system packages: ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
extras=""
[ "$want_test" = 1 ] && extras="[test]"
[ "$want_bench" = 1 ] && extras="[bench]"
stamp=".venv/.installed$extras"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/pip install -q --disable-pip-version-check -e ".$extras"
  touch "$stamp"
fi

# The package is installed in place (editable), so pip compiles none of it: compile it now, so
# that every `lahio` run starts from bytecode even where writing it at run time is turned off
# (PYTHONDONTWRITEBYTECODE). Only changed files are compiled again.
.venv/bin/python -m compileall -q generator bench

if [ "$want_test" = 1 ] && [ -f tools/setup-test.sh ]; then
  bash tools/setup-test.sh
fi
echo "setup: ready (.venv)"
