#!/usr/bin/env bash
# Installs what building, running and testing bureau needs on Debian 12, and
# nothing when all of it is present. Run as root; otherwise prints the
# apt-get line to run.
set -euo pipefail

pkgs=(
  gcc make pkg-config clang libclang-rt-14-dev     # build; clang for the fuzz targets
  libmicrohttpd-dev libsqlite3-dev libpq-dev         # HTTP server, databases
  libjansson-dev libsodium-dev libxlsxwriter-dev libcsv-dev
  libgfshare-dev                                     # Shamir shares of the bid seals (no .pc file)
  libcurl4-openssl-dev                               # outgoing webhooks
  zlib1g-dev                                         # gzip of JSON answers
  libqrencode-dev                                    # QR codes of vouchers and bookings
  libicu-dev                                         # names sorted by pinyin or strokes
  libical-dev                                        # the calendar feeds (iCalendar, RFC 5545)
  libcmocka-dev                                      # unit tests
  sqlite3 postgresql curl                            # test tools: CLI, throwaway server
  wrk nginx-light                                    # benchmarks
  chromium fonts-noto-cjk                            # browser tests (and their screenshots)
)

missing=()
for p in "${pkgs[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
# Node.js runs the black-box API tests; any node >= 18 will do
if ! command -v node >/dev/null 2>&1; then
  missing+=(nodejs)
fi
if ! command -v npm >/dev/null 2>&1; then
  missing+=(npm)
fi

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing packages; run as root:" >&2
    echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
  echo "installing: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm packages (the web UI and browser tests) come from the committed lock
# file: installed again whenever the lock file is not the one last installed
if [ -f package-lock.json ]; then
  sum=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [ "$(cat node_modules/.bureau-lock 2>/dev/null)" != "$sum" ]; then
    npm ci --no-audit --no-fund --loglevel=error
    echo "$sum" >node_modules/.bureau-lock
  fi
fi
exit 0
