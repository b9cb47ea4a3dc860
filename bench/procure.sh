#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/procure.sh - the procurement module's figures, printed beside their goals; nothing is
# asserted. One section per part. Environment: BUREAU_BIN (default build/bureau),
# BENCH_RUNS (20); BUREAU_TEST_DB=pg with BUREAU_TEST_PG_DIR for PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${BENCH_RUNS:-20}

# ---- the project's life ----
# ---- end of the project's life ----

# ---- the sealed bids ----
# ---- end of the sealed bids ----

# ---- the committee ----
echo "== procure: the committee (draw over 10,000 experts; evaluation of 20 × 50) =="
node bench/procure_committee.mjs "$RUNS"
# ---- end of the committee ----
