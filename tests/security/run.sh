#!/usr/bin/env bash
# The security and fault suite (issue 9): `make test-security`, and part of
# `make test` (tests/run.sh runs "fuzz" and "stack" as two suites).
#
#   run.sh fuzz    every tests/fuzz/fuzz_*.c harness under libFuzzer (clang,
#                  ASan + UBSan) for $FUZZ_SECONDS (default 5) each, from
#                  its seed corpus (tests/fuzz/run.sh; `make fuzz` runs 60 s)
#   run.sh stack   on one throwaway stack (PostgreSQL, supervisor, worker,
#                  nginx on $TEST_PORT, like tests/integration/run.sh):
#                  tests/integration/faults.test.mjs (worker SIGKILLs,
#                  PostgreSQL restarts and nginx reloads under a load with
#                  a ledger of acknowledged writes; slowhttptest; disk full
#                  on upload), then tests/security/sqlmap.sh
#   run.sh [all]   both
#
# The authorization matrix (tests/integration/authz_matrix.test.mjs) runs
# with the integration suite.  Each part ends with "NAME: N passed, N
# failed"; the last line sums them.
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
which=${1:-all}
pass=0; fail=0

add() {	# add LOG: adds the last "N passed, N failed" line of LOG
	local l
	l=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$1" | tail -1)
	if [ -z "$l" ]; then fail=$((fail + 1)); return; fi
	pass=$((pass + $(grep -oE '[0-9]+ passed' <<<"$l" | grep -oE '[0-9]+')))
	fail=$((fail + $(grep -oE '[0-9]+ failed' <<<"$l" | grep -oE '[0-9]+')))
}

part() {	# part CMD...: runs, shows and adds one part
	local log rc
	log=$(mktemp)
	"$@" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	add "$log"
	if [ "$rc" -ne 0 ] && ! grep -qE '[1-9][0-9]* failed' "$log"; then
		fail=$((fail + 1)); echo "$*: exit $rc"
	fi
	rm -f "$log"
}

if [ "$which" = all ] || [ "$which" = fuzz ]; then
	echo "-- libFuzzer, ${FUZZ_SECONDS:-5} s per harness"
	part env FUZZ_SECONDS="${FUZZ_SECONDS:-5}" FUZZ_OUT="${BUILD:-build}/fuzz-timed" tests/fuzz/run.sh
fi

node_part() {	# node_part FILES...: node --test, reported as "faults: N passed, N failed"
	local log p f
	log=$(mktemp)
	node --test --test-concurrency=1 --test-reporter=tap "$@" >"$log" 2>&1
	grep -E '^(not ok|ok|# (pass|fail|skip|tests)|# \\# )' "$log" | sed 's/^/   /'
	if grep -q '^not ok' "$log"; then
		awk '/^not ok/{p=1} p{print} /^  \.\.\.$/{p=0}' "$log" | head -150
	fi
	p=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$log" | tail -1)
	f=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$log" | tail -1)
	echo "faults: ${p:-0} passed, ${f:-1} failed"
	rm -f "$log"
	[ "${f:-1}" -eq 0 ]
}

if [ "$which" = all ] || [ "$which" = stack ]; then
	export ADEPT_VAR=$ROOT/build/security-var
	export PORT=${TEST_PORT:-18080}
	export ADEPT_PGPORT=${TEST_PGPORT:-5499}
	export ADEPT_WORKERS=2 ADEPT_THREADS=2
	export ADEPT_URL=http://127.0.0.1:$PORT ADEPT_BASE_URL=http://127.0.0.1:$PORT
	export ADEPT_BIN=$ROOT/build/adept
	export ADEPT_ADMIN_MFA=optional
	# No mail server here: the outbox keeps its mail, nothing waits on it.
	export ADEPT_SMTP_URL=smtp://127.0.0.1:9
	src/ops/stack.sh destroy >/dev/null 2>&1
	if ! src/ops/stack.sh start >"$ROOT/build/security-stack.log" 2>&1; then
		cat "$ROOT/build/security-stack.log"
		fail=$((fail + 1))
	else
		trap 'src/ops/stack.sh destroy >/dev/null 2>&1' EXIT
		echo "-- faults (tests/integration/faults.test.mjs)"
		part node_part tests/integration/faults.test.mjs
		echo "-- sqlmap (tests/security/sqlmap.sh)"
		part tests/security/sqlmap.sh
	fi
fi
echo "security: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
