#!/usr/bin/env bash
# Builds both flavours (release, ASan+UBSan), starts a throwaway PostgreSQL,
# and runs every test: unit tests, snapshot diffs, lint, black-box API tests
# on SQLite and PostgreSQL (release and sanitizer builds) and time-bounded
# fuzzing. Ends with the line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
JOBS=${JOBS:-$(nproc)}
FUZZ_SECONDS=${FUZZ_SECONDS:-20}
ART=$ROOT/tests/artifacts
mkdir -p "$ART"
TMP=$(mktemp -d /tmp/bureau-test.XXXXXX)
export BUREAU_TEST_TEMPLATE_DIR=$TMP/templates # the demo district, built once per flavour and database
chmod 755 "$TMP" # the postgres user creates the throwaway cluster inside
PGDIR=$TMP/pg
passed=0
failed=0
skipped=0
failures=()

cleanup() {
  [ -d "$PGDIR" ] && scripts/pg.sh stop "$PGDIR" >/dev/null 2>&1
  rm -rf "$TMP"
}
trap cleanup EXIT

note() { printf '\n=== %s\n' "$*"; }
count() { # name passed failed
  passed=$((passed + $2))
  failed=$((failed + $3))
  if [ "$3" -gt 0 ]; then failures+=("$1 ($3 failed)"); fi
  printf '%s: %d passed, %d failed\n' "$1" "$2" "$3"
}
# one step that is a single test: name, command...
step() {
  local name=$1; shift
  if "$@" >"$ART/$name.log" 2>&1; then count "$name" 1 0; else
    tail -40 "$ART/$name.log"; count "$name" 0 1; fi
}

note "build (release and ASan+UBSan)"
step build-release make -j"$JOBS" bureau units
step build-asan make -j"$JOBS" asan
if [ ! -x build/bureau ]; then
  echo "the build failed; nothing else can run"
  printf '%d passed, %d failed\n' "$passed" "$failed"
  exit 1
fi

note "snapshots (DDL per dialect, OpenAPI, meta, error codes)"
step snapshots scripts/snap.sh check
step lint scripts/lint.sh

note "PostgreSQL (throwaway cluster)"
if PGURL=$(scripts/pg.sh start "$PGDIR" 2>"$ART/pg-start.log"); then
  count pg-start 1 0
else
  cat "$ART/pg-start.log"; count pg-start 0 1; PGURL=
fi

run_units() { # flavour dir
  local dir=$1 p=0 f=0 t out
  for t in "$dir"/tests/t_*; do
    [ -x "$t" ] || continue
    out=$ART/unit-$(basename "$dir")-$(basename "$t").tap
    CMOCKA_MESSAGE_OUTPUT=TAP BUREAU_TEST_PG=$PGURL "$t" >"$out" 2>&1
    local rc=$?
    local ok nok
    ok=$(grep -c '^ok ' "$out")
    nok=$(grep '^not ok ' "$out" | grep -vc '# SKIP')
    skipped=$((skipped + $(grep -c '^not ok .*# SKIP' "$out")))
    if [ "$rc" -ne 0 ] && [ "$nok" -eq 0 ]; then nok=1; echo "$t exited $rc"; tail -20 "$out"; fi
    [ "$nok" -gt 0 ] && grep -A5 '^not ok ' "$out" | head -40
    p=$((p + ok)); f=$((f + nok))
  done
  count "unit tests ($(basename "$dir"))" "$p" "$f"
}

note "unit tests"
run_units build
run_units build-asan

run_api() { # label binary backend
  local label=$1 bin=$2 backend=$3 out=$ART/api-$1.tap
  if [ "$backend" = pg ] && [ -z "$PGURL" ]; then count "api ($label)" 0 1; return; fi
  BUREAU_BIN=$bin BUREAU_TEST_DB=$backend BUREAU_TEST_PG_DIR=$PGDIR \
    node --test --test-reporter=tap --test-concurrency=2 tests/api/ >"$out" 2>&1
  local p f
  p=$(awk '/^# pass /{print $3}' "$out" | tail -1)
  f=$(awk '/^# fail /{print $3}' "$out" | tail -1)
  p=${p:-0}; f=${f:-1}
  [ "$f" -gt 0 ] && grep -B2 -A25 '^not ok\|^    not ok' "$out" | head -120
  count "api ($label)" "$p" "$f"
}

note "black-box API tests"
run_api sqlite build/bureau sqlite
run_api pg build/bureau pg
run_api asan-sqlite build-asan/bureau sqlite
run_api asan-pg build-asan/bureau pg

note "browser tests (Chromium, release build, SQLite)"
if [ -d tests/ui ]; then
  out=$ART/ui.tap
  BUREAU_BIN=build/bureau BUREAU_UI_ARTIFACTS=$ART/ui \
    node --test --test-reporter=tap --test-concurrency=1 tests/ui/ >"$out" 2>&1
  p=$(awk '/^# pass /{print $3}' "$out" | tail -1)
  f=$(awk '/^# fail /{print $3}' "$out" | tail -1)
  p=${p:-0}; f=${f:-1}
  [ "$f" -gt 0 ] && grep -B2 -A25 '^not ok\|^    not ok' "$out" | head -120
  grep '^# ui-perf' "$out" || true
  count "browser" "$p" "$f"
fi

note "fuzzing (${FUZZ_SECONDS}s per target)"
if [ -x fuzz/run.sh ]; then
  fuzz/run.sh "$FUZZ_SECONDS" >"$ART/fuzz.log" 2>&1
  fp=$(grep -c '^ok ' "$ART/fuzz.log"); ff=$(grep -c '^not ok ' "$ART/fuzz.log")
  [ "$ff" -gt 0 ] && tail -60 "$ART/fuzz.log"
  [ "$fp" -eq 0 ] && [ "$ff" -eq 0 ] && { tail -20 "$ART/fuzz.log"; ff=1; }
  count fuzz "$fp" "$ff"
fi

echo
if [ ${#failures[@]} -gt 0 ]; then
  printf 'failed: %s\n' "${failures[@]}"
fi
[ "$skipped" -gt 0 ] && printf '(%d unit tests skipped: PostgreSQL unavailable)\n' "$skipped"
printf '%d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
