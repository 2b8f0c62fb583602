#!/usr/bin/env bash
# The per-request floor every page pays (issues 4, 5, 6 need pages at p99 <=
# 20 ms at 64 connections): parsing, authentication, the session check, the
# layout, the response.  A throwaway stack (build/floorbench-var, on
# $FLOORBENCH_PORT) with the demo site; then, one URL after another:
#  1. statements sent to PostgreSQL per request (the workers' /metrics,
#     over 200 sequential requests; load-independent: each a round trip);
#  2. wrk at 64 connections, anonymous: a static file (nginx alone, the
#     ceiling), /healthz (one SELECT 1), the sign-in page (a template, no
#     database); then with a learner's session cookie: /healthz (auth +
#     SELECT 1) and /notifications (auth + layout + one list query).
# Prints requests/s, p50, p99 beside the static rate of the same run, and
# the same URLs over one connection (service time without queueing).
#
# usage: tests/bench/web_floor.sh
# Environment: FLOORBENCH_PORT (18096), FLOORBENCH_PGPORT (5496),
# BENCH_DURATION (10s), BENCH_THREADS (2), FLOORBENCH_CONNS (64),
# ADEPT_WORKERS (default: cores), ADEPT_THREADS (2).
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
VAR=$ROOT/build/floorbench-var
PORT=${FLOORBENCH_PORT:-18096}
PGPORT=${FLOORBENCH_PGPORT:-5496}
URL=http://127.0.0.1:$PORT
DUR=${BENCH_DURATION:-10s}
WT=${BENCH_THREADS:-2}
WC=${FLOORBENCH_CONNS:-64}
EMAIL=floorbench-learner@example.com
PASSWORD='floorbench password 1'
OUT=$(mktemp -d)
failed=()

. tests/bench/wrk_lib.sh
export ADEPT_WORKERS=${ADEPT_WORKERS:-$(nproc)}
export ADEPT_THREADS=${ADEPT_THREADS:-2}

echo "==== the per-request floor: authentication, layout, response ===="
wrk_stack_start floorbench
ADEPT_VAR=$VAR ADEPT_PGPORT=$PGPORT build/adept user add --email "$EMAIL" \
	--password "$PASSWORD" --name "Floor Bench" --role learner >/dev/null ||
	{ echo "user add failed"; exit 1; }
LEARNER=$(wrk_sign_in "$EMAIL" "$PASSWORD") || exit 1

# Round trips per request, from the workers' own counters (/metrics:
# adept_db_statements_total over adept_http_requests_total, by route):
# exact, load-independent, and blind to the background worker.
METRICS=http://$(cat "$VAR/run/metrics_addr")/metrics
counter() {	# counter NAME ROUTE: the sum of NAME's series for ROUTE
	curl -fsS "$METRICS" | awk -v n="$1" -v r="route=\"$2\"" \
		'index($0, n "{") == 1 && index($0, r) { s += $NF } END { print s + 0 }'
}
echo
echo "statements sent to PostgreSQL per request (/metrics adept_db_statements_total over"
echo "adept_http_requests_total, 200 sequential requests each; each statement is a round trip):"
printf '%-28s %10s\n' request stmts/req
for spec in "/healthz|" "/login|" "/healthz|$LEARNER" "/notifications|$LEARNER"; do
	p=${spec%%|*}
	c=${spec#*|}
	s0=$(counter adept_db_statements_total "$p"); q0=$(counter adept_http_requests_total "$p")
	for _ in $(seq 200); do curl -sS -o /dev/null -H "Cookie: $c" "$URL$p"; done
	s1=$(counter adept_db_statements_total "$p"); q1=$(counter adept_http_requests_total "$p")
	printf '%-28s %10.2f\n' "$p${c:+ (signed in)}" "$(awk -v a="$s0" -v b="$s1" -v x="$q0" -v y="$q1" \
		'BEGIN { print (y > x ? (b - a) / (y - x) : -1) }')"
done

echo
wrk_how
echo
echo "anonymous:"
names=(static healthz login)
paths=(/static/css/site.css /healthz /login)
COOKIE=
wrk_pages 24
echo
echo "signed in (the learner's session cookie on every request):"
names=(static healthz_auth notifications)
paths=(/static/css/site.css /healthz /notifications)
COOKIE=$LEARNER
for p in /healthz /notifications; do
	code=$(curl -sS -o "$OUT/page" -w '%{http_code}' -H "Cookie: $COOKIE" "$URL$p")
	[ "$code" = 200 ] || { echo "GET $p answered $code"; exit 1; }
done
grep -q 'action="/logout"' "$OUT/page" || { echo "/notifications is not signed in"; exit 1; }
wrk_pages 24
echo "(what the pages' targets need: at 64 connections p99 <= 20 ms means about 3,500-4,500"
echo " requests/s for a full page on this machine, i.e. under ~0.5 ms of CPU per page for"
echo " nginx, the worker and PostgreSQL together; this floor is what every page starts from)"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ ${#failed[@]} -gt 0 ]; then
	echo "web_floor: failed: ${failed[*]}"
	exit 1
fi
