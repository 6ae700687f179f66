#!/usr/bin/env bash
# Installs Debian's Chromium for the headless browser tests (test/**/*.browser.test.ts).
# Idempotent: does nothing when /usr/bin/chromium is already there.
# Never downloads Playwright's own browsers; playwright-core drives this system Chromium.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
  "$CHROMIUM" --version
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
else
  if ! command -v sudo >/dev/null 2>&1; then
    echo "setup-browser: not root and sudo is not available; run as root: apt-get install -y chromium" >&2
    exit 1
  fi
  SUDO=(sudo)
fi

export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update
"${SUDO[@]}" apt-get install -y --no-install-recommends chromium

"$CHROMIUM" --version
