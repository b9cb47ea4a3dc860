#!/bin/bash
# SPDX-License-Identifier: MIT
# snap.sh - the documents derived from the entity registry, diffed against their committed
# snapshots so that every schema change shows up in review.
#   scripts/snap.sh check    compare; prints "ok snapshot NAME" or "not ok snapshot NAME" and
#                            the diff, exits 1 when any snapshot differs
#   scripts/snap.sh update   rewrite the snapshots from the current binary
# BUREAU names the binary (default build/bureau); it needs no database.
set -eu

here=$(pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
if [ -n "${BUREAU:-}" ]; then
    case $BUREAU in
    /*) bin=$BUREAU ;;
    */*) bin=$here/$BUREAU ;;
    *) bin=$(command -v "$BUREAU" || echo "$BUREAU") ;;
    esac
else
    bin=$root/build/bureau
fi

# name | bureau arguments | snapshot file (relative to the repository)
SNAPS=(
    "ddl.sqlite|dump-ddl sqlite|tests/snap/ddl.sqlite.sql"
    "ddl.pg|dump-ddl pg|tests/snap/ddl.pg.sql"
    "openapi|dump-openapi|tests/snap/openapi.json"
    "meta|dump-meta|tests/snap/meta.json"
)

usage() {
    echo "usage: scripts/snap.sh check|update   (BUREAU=path/to/bureau)" >&2
    exit 2
}

[ $# -eq 1 ] || usage
mode=$1
case $mode in check | update) ;; *) usage ;; esac

if [ ! -x "$bin" ]; then
    echo "snap.sh: no bureau binary at $bin (run make, or set BUREAU)" >&2
    exit 2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail=0
for s in "${SNAPS[@]}"; do
    IFS='|' read -r name args file <<<"$s"
    out=$tmp/$name
    # shellcheck disable=SC2086 # args is a word list on purpose
    if ! "$bin" $args >"$out" 2>"$tmp/$name.err"; then
        echo "not ok snapshot $name: bureau $args failed"
        head -20 "$tmp/$name.err"
        fail=1
        continue
    fi
    if [ "$mode" = update ]; then
        mkdir -p "$root/$(dirname "$file")"
        if [ -f "$root/$file" ] && cmp -s "$out" "$root/$file"; then
            echo "ok snapshot $name (unchanged)"
        else
            cp "$out" "$root/$file"
            echo "ok snapshot $name (written $file)"
        fi
        continue
    fi
    if [ ! -f "$root/$file" ]; then
        echo "not ok snapshot $name: $file is missing (scripts/snap.sh update makes it)"
        fail=1
    elif cmp -s "$out" "$root/$file"; then
        echo "ok snapshot $name"
    else
        echo "not ok snapshot $name: $file differs from bureau $args" \
            "(if the change is intended: scripts/snap.sh update, and commit the result)"
        diff -u --label "$file" --label "bureau $args" "$root/$file" "$out" | head -50 || true
        fail=1
    fi
done
exit $fail
