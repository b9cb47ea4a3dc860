# SPDX-License-Identifier: MIT
# bench/lib.sh - the start every bench/NAME.sh shares, sourced right after `set -euo pipefail`:
# BUREAU (default build/bureau, made absolute), the admin password PW (exported for the first
# start), say (progress on stderr) and die, the sqlite3 shell with the names' collations, and
#   bench_start TOOL…   checks the tools and the binary, makes the work folder W (BENCH_DIR keeps
#                       and reuses it) and removes it, and stops the server SRV, on exit.
here=$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)
root=$(cd "$here/.." && pwd)
BUREAU=${BUREAU:-$root/build/bureau}
[[ $BUREAU == /* ]] || BUREAU=$PWD/$BUREAU
PW=Bench-Secret-2026
export BUREAU_ADMIN_PASSWORD=$PW

say() { printf '%s\n' "$*" >&2; }
die() { say "bench: $*"; exit 1; }
# the sqlite3 shell with the names' collations (src/db/collate.h), built beside the binary: an
# index of names uses them, so the shell cannot write those tables without them
sqlite3() { command sqlite3 -cmd ".load ${BUREAU%/*}/bureau-collate" "$@"; }

bench_cleanup() {
    [[ -n $SRV ]] && { kill "$SRV" 2>/dev/null; wait "$SRV" 2>/dev/null; }
    ((keep)) || rm -rf "$W"
}

bench_start() {
    local c
    for c in "$@"; do command -v "$c" >/dev/null || die "missing $c (scripts/deps.sh)"; done
    [[ -x $BUREAU ]] || die "no server binary at $BUREAU: run make"
    keep=0
    if [[ -n ${BENCH_DIR:-} ]]; then W=$BENCH_DIR; keep=1; mkdir -p "$W"; else W=$(mktemp -d); fi
    SRV=
    trap bench_cleanup EXIT
}
