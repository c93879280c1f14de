#!/usr/bin/env bash
# Sets up a fresh machine for pando: Debian's Chromium (for volunteer tabs and the browser tests), the npm
# packages, and the build. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${PANDO_CHROMIUM:-}" ] && ! [ -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing Debian's chromium (for volunteer tabs and the browser tests)…"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "setup: Chromium not found. Install it (Debian: sudo apt-get install chromium), or set PANDO_CHROMIUM to a Chromium binary." >&2
  fi
fi

# The network lab of the e2e tests (harness/network-lab.ts): nft for the routers' NAT, coturn's
# turnserver for STUN and TURN on the lab's public segment. Without them those tests are skipped.
if ! command -v nft >/dev/null || ! command -v turnserver >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing Debian's nftables and coturn (for the network lab tests)…"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nftables coturn >/dev/null
  else
    echo "setup: nft or turnserver not found: the network lab tests will be skipped (Debian: sudo apt-get install nftables coturn)." >&2
  fi
fi

npm ci --no-audit --no-fund
npm run build
