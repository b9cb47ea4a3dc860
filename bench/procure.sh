#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/procure.sh - the procurement module's figures, printed beside their goals; nothing is
# asserted. One section per part of the module, each between its markers.
#
# Environment: BUREAU (default build/bureau), BENCH_DIR (keep and reuse the database).
set -euo pipefail

source "$(dirname "$0")/lib.sh"
bench_start sqlite3 curl node

# --- the sealed bids ---
# The opening of 500 bids (POST /api/v1/procurement_projects/{id}/open with k = 2 shares: the
# shares checked against their hashes, the key rebuilt and checked, 500 sealed boxes of ~2 KB
# opened and parsed, each bid's row updated, the seal and the project moved, one transaction),
# on a fresh demo district (SQLite); the bids sealed beforehand by Node with libsodium-wrappers.
node "$here/procure_bids.mjs" "$BUREAU" "$W" "$PW"
# --- end of the sealed bids ---
