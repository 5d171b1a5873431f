#!/usr/bin/env bash
# Fuzzes each fuzz target for a time (default 60s) with short minimising so it keeps fuzzing: packaging/dev/fuzz.sh [60s] [./internal/calendar ...]
set -euo pipefail
cd "$(dirname "$0")/../.."
. packaging/dev/lib.sh
need_go
fuzztime=${1:-60s}
[ $# -gt 0 ] && shift
# Go minimises every input that finds new coverage for up to 60 s by
# default; while it does, the target hardly runs (9 and 157 runs in 60 s
# were seen). 100 runs of minimising is enough to keep the corpus small.
for pkg in $(go list "${@:-./...}"); do
	dir=$(go list -f '{{.Dir}}' "$pkg")
	{ sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' "$dir"/*_test.go 2>/dev/null || true; } | while read -r target; do
		echo "== $pkg $target for $fuzztime" >&2
		go test "$pkg" -run '^$' -fuzz "^$target\$" -fuzztime "$fuzztime" -fuzzminimizetime 100x
	done
done
