#!/usr/bin/env bash
# The browser of the UI tests: Debian's chromium (Playwright drives it; `playwright install` is never run).
# Installs it with apt when missing; prints its path.
set -euo pipefail
if ! [ -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >&2
  else
    echo "chromium is missing: run 'apt-get install chromium' as root" >&2
    exit 1
  fi
fi
echo /usr/bin/chromium
