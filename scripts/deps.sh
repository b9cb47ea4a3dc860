#!/usr/bin/env bash
# Installs what building, running and testing bureau needs on Debian 12, and
# nothing when all of it is present. Run as root; otherwise prints the
# apt-get line to run.
set -euo pipefail

pkgs=(
  gcc make pkg-config clang libclang-rt-14-dev     # build; clang for the fuzz targets
  libmicrohttpd-dev libsqlite3-dev libpq-dev         # HTTP server, databases
  libjansson-dev libsodium-dev libxlsxwriter-dev libcsv-dev
  libcmocka-dev                                      # unit tests
  sqlite3 postgresql curl                            # test tools: CLI, throwaway server
  wrk nginx-light                                    # benchmarks
)

missing=()
for p in "${pkgs[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
# Node.js runs the black-box API tests; any node >= 18 will do
if ! command -v node >/dev/null 2>&1; then
  missing+=(nodejs)
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

# npm packages (the web UI and browser tests) come from the committed lock file
if [ -f package-lock.json ] && [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
exit 0
