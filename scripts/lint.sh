#!/usr/bin/env bash
# Banned functions outside src/base (which owns the heap), a file header on
# every C source, the layers of src/ (scripts/layers.mjs: who includes whom,
# and no module's SQL naming another module's table), and the web UI's module
# graph (scripts/webcheck.mjs: no import cycle, nothing in web/components or
# web/lib importing web/views). Prints what it finds; exits non-zero when
# anything is.
set -uo pipefail
cd "$(dirname "$0")/.."
bad=0
banned='\b(malloc|calloc|realloc|free|strcpy|strcat|sprintf|vsprintf|atoi|atol|strtok|gets)\s*\('
while IFS= read -r f; do
  case $f in src/base/*) continue ;; esac
  # comments and string literals are not calls: drop // and /* */ lines crudely
  if grep -nP "$banned" "$f" | grep -vP '^\d+:\s*(/?\*|//)' | grep -vP 'json_|csv_|lxw_|sqlite3_|PQ' >/dev/null; then
    grep -nP "$banned" "$f" | grep -vP '^\d+:\s*(/?\*|//)' | grep -vP 'json_|csv_|lxw_|sqlite3_|PQ' | sed "s|^|$f:|"
    bad=1
  fi
done < <(find src -name '*.c' | sort)
for f in $(find src tests/unit fuzz -name '*.[ch]' 2>/dev/null | sort); do
  if ! head -1 "$f" | grep -q 'SPDX-License-Identifier'; then
    echo "$f: missing the SPDX header line"
    bad=1
  fi
done
# every error key the C code can send is translated, and docs/ERRORS.md is current
if ! node scripts/errkeys.mjs --check; then
  bad=1
fi
# the layers: the include graph, and each module's SQL on its own tables only
if ! node scripts/layers.mjs; then
  bad=1
fi
# the web UI's modules: no import cycles, components/ and lib/ never import views/
if ! out=$(node scripts/webcheck.mjs 2>&1); then
  echo "$out"
  bad=1
fi
exit $bad
