#!/usr/bin/env bash
# make test: build, unit tests (plain and under ASan+UBSan), the fuzz
# harnesses over their seed corpora, the CLI tests, then the integration and
# browser suites against a throwaway stack, then the security and fault
# suite (tests/security/run.sh).  Ends with one
# line "N passed, N failed" summing every suite.
set -uo pipefail
cd "$(dirname "$0")/.."
only=${1:-all}
jobs=$(nproc 2>/dev/null || echo 2)
total_pass=0; total_fail=0

tally() {	# tally LOGFILE: adds the last "N passed, N failed" line
	local l
	l=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$1" | tail -1)
	if [ -z "$l" ]; then total_fail=$((total_fail + 1)); return; fi
	total_pass=$((total_pass + $(grep -oE '[0-9]+ passed' <<<"$l" | grep -oE '[0-9]+')))
	total_fail=$((total_fail + $(grep -oE '[0-9]+ failed' <<<"$l" | grep -oE '[0-9]+')))
}

suite() {	# suite NAME CMD...: runs a suite, shows and tallies its output
	local name=$1 log; shift
	log=$(mktemp)
	echo "== $name"
	"$@" 2>&1 | tee "$log"
	local rc=${PIPESTATUS[0]}
	tally "$log"
	if [ "$rc" -ne 0 ] && ! grep -qE '[1-9][0-9]* failed' "$log"; then
		total_fail=$((total_fail + 1)); echo "$name: exit $rc"
	fi
	rm -f "$log"
}

make -s -j"$jobs" all || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }
if [ "$only" = all ] || [ "$only" = unit ]; then
	suite unit make -s -j"$jobs" --no-print-directory unit
	suite unit-asan make -s -j"$jobs" --no-print-directory unit-asan
	suite fuzz-smoke tests/fuzz/smoke.sh
	for s in tests/cli/test_*.sh; do
		[ -f "$s" ] && suite "cli $(basename "$s" .sh)" bash "$s"
	done
fi
if [ "$only" = all ] || [ "$only" = integration ] || [ "$only" = browser ]; then
	for s in tests/integration/run.sh; do
		[ -x "$s" ] && suite integration "$s" "$only"
	done
fi
# The security and fault suite (issue 9; `make test-security` runs just
# it): libFuzzer for a fixed time per harness, then faults (workers killed,
# PostgreSQL restarted, nginx reloaded under load; slow clients; disk full)
# and sqlmap on a throwaway stack of their own, then part of the
# integration suite against the ASan + UBSan build.  About 4 minutes.
if [ "$only" = all ] || [ "$only" = security ]; then
	suite fuzz-timed tests/security/run.sh fuzz
	suite security tests/security/run.sh stack
	suite asan-integration tests/security/run.sh asan
fi
echo "all suites: $total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
