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
#   run.sh asan    a representative subset of the integration suite
#                  ($ASAN_FILES: events, bad input, uploads, quizzes,
#                  account security) against the FastCGI program and CLI
#                  built with ASan + UBSan (build/asan, the objects `make
#                  unit-asan` compiled, so mostly links); fails on any
#                  sanitizer report in the logs.  Seccomp is in log mode
#                  there: the sanitizer runtime makes calls outside the
#                  allow-list.  The whole integration suite under ASan does
#                  not fit CI's time budget.
#   run.sh [all]   all three
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
if [ "$which" = all ] || [ "$which" = asan ]; then
	echo "-- integration subset under ASan + UBSan"
	san="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
	if ! make -s -j"$(nproc 2>/dev/null || echo 2)" --no-print-directory BUILD=build/asan OPT=-O1 \
		SAN="$san" build/asan/adept.fcgi build/asan/adept; then
		echo "asan: the sanitizer build failed"; fail=$((fail + 1))
	else
		# A checkout whose build/adept and cgi-bin/adept.fcgi are the
		# sanitizer builds; everything else links back here.
		aroot=$ROOT/build/asan-root
		rm -rf "$aroot"; mkdir -p "$aroot/build" "$aroot/cgi-bin"
		for d in nginx static templates sql src tests; do ln -s "$ROOT/$d" "$aroot/$d"; done
		ln -s "$ROOT/build/asan/adept" "$aroot/build/adept"
		ln -s "$ROOT/build/asan/adept.fcgi" "$aroot/cgi-bin/adept.fcgi"
		(
			cd "$aroot" || exit 1
			export ADEPT_ROOT=$aroot ADEPT_VAR=$aroot/var ADEPT_BIN=$aroot/build/adept
			export PORT=${TEST_PORT:-18080} ADEPT_PGPORT=${TEST_PGPORT:-5499}
			export ADEPT_WORKERS=2 ADEPT_THREADS=2 ADEPT_ADMIN_MFA=optional
			export ADEPT_URL=http://127.0.0.1:$PORT ADEPT_BASE_URL=http://127.0.0.1:$PORT
			export ADEPT_SMTP_URL=smtp://127.0.0.1:9 ADEPT_SECCOMP=log
			export ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1
			src/ops/stack.sh destroy >/dev/null 2>&1
			if ! src/ops/stack.sh start >"$ROOT/build/asan-stack.log" 2>&1; then
				cat "$ROOT/build/asan-stack.log"; echo "asan: 0 passed, 1 failed"; exit 1
			fi
			trap 'src/ops/stack.sh destroy >/dev/null 2>&1' EXIT
			files=()
			for f in ${ASAN_FILES:-events bad_input uploads quiz security}; do
				files+=("tests/integration/$f.test.mjs")
			done
			log=$(mktemp)
			node --test --test-concurrency=1 --test-reporter=tap "${files[@]}" >"$log" 2>&1
			grep -E '^(not ok|# (pass|fail))' "$log" | sed 's/^/   /'
			p=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$log" | tail -1)
			f=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$log" | tail -1)
			rm -f "$log"
			f=${f:-1}
			# Any sanitizer report is a failure, even if the
			# request's test passed.
			if grep -hE 'runtime error|ERROR: AddressSanitizer|ERROR: LeakSanitizer' \
				var/log/adept.log var/log/worker.log >"$ROOT/build/asan-reports.log" 2>/dev/null; then
				echo "   sanitizer reports (build/asan-reports.log, logs in $aroot/var/log):"
				sort "$ROOT/build/asan-reports.log" | uniq -c | head -20 | sed 's/^/     /'
				f=$((f + 1))
			fi
			echo "asan: ${p:-0} passed, $f failed"
			[ "$f" -eq 0 ]
		) >"$ROOT/build/asan-suite.log" 2>&1
		cat "$ROOT/build/asan-suite.log"
		add "$ROOT/build/asan-suite.log"
	fi
fi
echo "security: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
