#!/usr/bin/env bash
# Install the pinned Node test tools (axe-core, vnu-jar, Lighthouse, Lighthouse CI) from package-lock.json into node_modules/.
# Called by `tools/setup.sh --test`; safe to run again: skipped while node_modules matches the lock.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v npm >/dev/null 2>&1; then
  echo "setup-test: npm not found (install Node.js 20 or newer)" >&2
  exit 1
fi

stamp=node_modules/.lahio-lock.sha256
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] \
   && [ -f node_modules/axe-core/axe.min.js ] && [ -f node_modules/vnu-jar/build/dist/vnu.jar ] \
   && [ -f node_modules/lighthouse/cli/index.js ]; then
  exit 0
fi

echo "setup-test: npm ci (axe-core, vnu-jar, lighthouse, @lhci/cli)"
# --ignore-scripts: vnu-jar's postinstall tries to download a Java runtime; Debian's JRE is used instead.
# PUPPETEER_SKIP_DOWNLOAD: Lighthouse CI's puppeteer would fetch its own Chrome; Debian's is used.
PUPPETEER_SKIP_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
echo "$want" > "$stamp"
