#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# fuzz/run.sh - builds the libFuzzer targets with clang into build-fuzz/ and
# runs each for SECONDS seconds, starting from the committed corpus copied to
# fuzz/corpus-run/ (git-ignored; new inputs accumulate there between runs).
# Prints "ok fuzz_NAME (N runs)" or "not ok fuzz_NAME" with the reproducer,
# and exits non-zero when any target crashed.
#
#   fuzz/run.sh [SECONDS] [NAME...]     e.g. fuzz/run.sh 60 query csv
set -uo pipefail

cd "$(dirname "$0")/.." || exit 2
secs=${1:-30}
shift || true
case $secs in
'' | *[!0-9]*) echo "usage: fuzz/run.sh [SECONDS] [NAME...]" >&2; exit 2 ;;
esac

cc=${FUZZ_CC:-}
if [ -z "$cc" ]; then
    for c in clang clang-14; do
        if command -v "$c" >/dev/null 2>&1; then cc=$c; break; fi
    done
fi
if [ -z "$cc" ]; then
    echo "fuzz: clang not found (apt-get install clang libclang-rt-14-dev)" >&2
    exit 2
fi

jobs=$(nproc 2>/dev/null || echo 2)
if ! make --no-print-directory -s -f fuzz/build.mk -j"$jobs" FUZZ_CC="$cc"; then
    echo "fuzz: build failed" >&2
    exit 2
fi

if [ $# -gt 0 ]; then
    names=("$@")
else
    names=()
    for f in fuzz/fuzz_*.c; do
        n=${f#fuzz/fuzz_}
        names+=("${n%.c}")
    done
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

mkdir -p build-fuzz/logs
failed=0
for name in "${names[@]}"; do
    bin=build-fuzz/fuzz_$name
    if [ ! -x "$bin" ]; then
        echo "not ok fuzz_$name"
        echo "  no such target: $bin"
        failed=1
        continue
    fi
    work=fuzz/corpus-run/$name
    arts=fuzz/corpus-run/$name-artifacts
    log=build-fuzz/logs/fuzz_$name.log
    mkdir -p "$work" "$arts"
    if [ -d "fuzz/corpus/$name" ]; then
        cp -n "fuzz/corpus/$name"/* "$work"/ 2>/dev/null || true
    fi
    maxlen=4096
    [ "$name" = csv ] && maxlen=65536
    dict=()
    [ -f "fuzz/$name.dict" ] && dict=(-dict="fuzz/$name.dict")
    : >"$log"
    "$bin" "$work" "${dict[@]}" -max_total_time="$secs" -max_len="$maxlen" -timeout=10 \
        -rss_limit_mb=2048 -artifact_prefix="$arts/" -print_final_stats=1 >"$log" 2>&1
    rc=$?
    runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -n 1)
    if [ $rc -eq 0 ] && [ -n "$runs" ]; then
        echo "ok fuzz_$name ($runs runs)"
    else
        failed=1
        echo "not ok fuzz_$name"
        repro=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
        [ -n "$repro" ] && echo "  reproducer: $repro (replay: $bin $repro)"
        echo "  log: $log"
        what='invariant failed|ERROR: (Address|Leak)Sanitizer|ERROR: libFuzzer|runtime error'
        grep -m1 -E "$what" "$log" | sed 's/^/  /'
    fi
done
exit $failed
