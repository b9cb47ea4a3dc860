#!/usr/bin/env bash
# bench/kit.sh - the module kit's figures (issue 11) beside their goals, read from the source
# (no server): workflow and rules lines before and after, the longest functions, the lines a
# collection and a declared step cost, and the copied regions in src/ when the `duplicates`
# tool is installed. BASE (default 715c024) is the commit before the kit.
set -euo pipefail
exec node "$(cd "$(dirname "$0")" && pwd)/kit.mjs" "${BASE:-715c024}"
