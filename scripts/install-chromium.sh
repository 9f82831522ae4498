#!/usr/bin/env bash
# Installs Debian's chromium package when /usr/bin/chromium is missing: the admin page's browser tests drive it with
# Playwright for .NET, which cannot download its own browser here. Idempotent and quiet; prints nothing on success.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi

echo "Installing Chromium (apt-get)..." >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >&2
$sudo apt-get install -y -qq chromium >&2

if [ ! -x /usr/bin/chromium ]; then
  echo "apt-get installed chromium but /usr/bin/chromium is still missing." >&2
  exit 1
fi
