#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/procure.sh - the procurement module's figures, printed beside their goals; nothing is
# asserted. One section per part of the module, each between its markers.
#
# Environment: BUREAU (default build/bureau), BENCH_DIR (keep and reuse the database),
# BENCH_RUNS (20: runs of each committee figure); BUREAU_TEST_DB=pg with BUREAU_TEST_PG_DIR runs
# the committee's figures on PostgreSQL.
set -euo pipefail

source "$(dirname "$0")/lib.sh"
bench_start sqlite3 curl node
RUNS=${BENCH_RUNS:-20}

# --- the sealed bids ---
# The opening of 500 bids (POST /api/v1/procurement_projects/{id}/open with k = 2 shares: the
# shares checked against their hashes, the key rebuilt and checked, 500 sealed boxes of ~2 KB
# opened and parsed, each bid's row updated, the seal and the project moved, one transaction),
# on a fresh demo district (SQLite); the bids sealed beforehand by Node with libsodium-wrappers.
node "$here/procure_bids.mjs" "$BUREAU" "$W" "$PW"
# --- end of the sealed bids ---

# --- the committee ---
# A draw over a pool of 10,000 experts with 50 bidders' recusal, and the evaluation totals of
# 20 experts × 50 bids, each as the whole HTTP request.
echo "== procure: the committee (draw over 10,000 experts; evaluation of 20 × 50) =="
BUREAU_BIN=$BUREAU node "$here/procure_committee.mjs" "$RUNS"
# --- end of the committee ---
