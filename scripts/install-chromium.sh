#!/usr/bin/env bash
# Installs Debian's chromium for the web console's browser tests when it is missing (the tests drive /usr/bin/chromium
# through Playwright, which never downloads a browser here). Needs root or sudo on a Debian-based system; does nothing
# when chromium is already there. OFFSHORELEDGER_CHROMIUM names another executable and skips the install.
set -euo pipefail

chromium=${OFFSHORELEDGER_CHROMIUM:-/usr/bin/chromium}
if [ -x "$chromium" ]; then
  echo "chromium present: $chromium"
  exit 0
fi
if [ -n "${OFFSHORELEDGER_CHROMIUM:-}" ]; then
  echo "OFFSHORELEDGER_CHROMIUM=$chromium is not an executable" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null; then
  echo "chromium is missing and apt-get is not available: install chromium and set OFFSHORELEDGER_CHROMIUM to its path" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends chromium
"$chromium" --version
