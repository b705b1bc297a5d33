#!/usr/bin/env bash
# The preview page's browser tests drive Debian's Chromium (never a downloaded browser); emoji need a font.
# Runs before `npm test` (pretest) and in CI, so a fresh clone's test command installs what it needs.
set -euo pipefail
command -v chromium >/dev/null && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "netcheck tests need Debian's chromium at /usr/bin/chromium: apt-get install chromium fonts-noto-color-emoji" >&2
  exit 1
fi
apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-color-emoji >/dev/null
