#!/usr/bin/env bash
# Installs Debian's Chromium for the dashboard's browser tests when it is missing (idempotent).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq chromium >&2
test -x /usr/bin/chromium
