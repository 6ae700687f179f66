#!/usr/bin/env bash
# Installs Debian's Prometheus package for `promtool check rules deploy/prometheus/alerts.yml` (CI and operators).
# Idempotent: does nothing when promtool is already on the PATH.
set -euo pipefail

if command -v promtool >/dev/null 2>&1; then
  promtool --version 2>&1 | head -n 1
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
else
  if ! command -v sudo >/dev/null 2>&1; then
    echo "setup-promtool: not root and sudo is not available; run as root: apt-get install -y prometheus" >&2
    exit 1
  fi
  SUDO=(sudo)
fi

export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update
# Only promtool is used. On a machine run by systemd the package also enables a Prometheus service of its own.
"${SUDO[@]}" apt-get install -y --no-install-recommends prometheus

promtool --version 2>&1 | head -n 1
