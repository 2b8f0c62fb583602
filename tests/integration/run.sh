#!/usr/bin/env bash
# Integration and browser suites against a throwaway stack: its own
# PostgreSQL cluster, supervisor and nginx under build/test-var, on
# $TEST_PORT (default 18080), removed afterwards.  Everything goes through
# real nginx to the real worker.
#
# usage: run.sh [all|integration|browser]
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
which=${1:-all}
[ "$which" = unit ] && exit 0

export ADEPT_VAR=$ROOT/build/test-var
export PORT=${TEST_PORT:-18080}
export ADEPT_PGPORT=${TEST_PGPORT:-5499}
export ADEPT_WORKERS=2 ADEPT_THREADS=2
export ADEPT_URL=http://127.0.0.1:$PORT
# Mail (issue 7): the stack's worker and mail.test.mjs's SMTP server on
# loopback agree on this address; retries after 1 s, not a minute.
export ADEPT_SMTP_URL=${TEST_SMTP_URL:-smtp://adept:mail%20secret@127.0.0.1:$((PORT + 25))}
export ADEPT_MAIL_RETRY_BASE=1 ADEPT_BASE_URL=$ADEPT_URL
export ADEPT_MAIL_FROM='Adept Académie <noreply@adept.test>'
export ADEPT_BIN=$ROOT/build/adept
# Admins need a second factor (issue 9, harden); the suites sign admins in
# with a password only, so the stack makes it optional.  security.test.mjs
# tests the requirement per account (users.mfa_required).
export ADEPT_ADMIN_MFA=optional
export ADEPT_REF_DIR=${ADEPT_REF_DIR:-$(cd "$ROOT/.." && pwd)/shared/reference/algorithms}

src/ops/stack.sh destroy >/dev/null 2>&1
if ! src/ops/stack.sh start >"$ROOT/build/test-stack.log" 2>&1; then
	cat "$ROOT/build/test-stack.log"
	echo "integration: 0 passed, 1 failed"
	exit 1
fi
trap 'src/ops/stack.sh stop >/dev/null 2>&1' EXIT

pass=0; fail=0
count() {	# count LOG: adds node's "# pass N" / "# fail N"
	local p f
	p=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$1" | tail -1)
	f=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$1" | tail -1)
	pass=$((pass + ${p:-0})); fail=$((fail + ${f:-1}))
}

run_node() {	# run_node NAME FILES...
	local name=$1 log; shift
	log=$(mktemp)
	echo "-- $name"
	node --test --test-concurrency=1 --test-reporter=tap "$@" >"$log" 2>&1
	grep -E '^(not ok|ok|# (pass|fail|tests))' "$log" | sed 's/^/   /'
	if grep -q '^not ok' "$log"; then
		# Show the failures' details.
		awk '/^not ok/{p=1} p{print} /^  \.\.\.$/{p=0}' "$log" | head -150
	fi
	count "$log"
	rm -f "$log"
}

if [ "$which" = all ] || [ "$which" = integration ]; then
	# faults.test.mjs restarts PostgreSQL and mounts over the uploads:
	# tests/security/run.sh runs it on a stack of its own.
	files=()
	for f in tests/integration/*.test.mjs; do
		[ "$(basename "$f")" = faults.test.mjs ] || files+=("$f")
	done
	run_node integration "${files[@]}"
fi
if [ "$which" = all ] || [ "$which" = browser ]; then
	run_node browser tests/browser/*.test.mjs
fi
echo "integration: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
