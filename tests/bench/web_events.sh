#!/usr/bin/env bash
# Sustained event ingestion through the whole stack: POST /api/v1/events
# batches (5,000 events, ~1 MB each) through nginx to the FastCGI workers
# into PostgreSQL, with the background worker running, all on this machine,
# against a throwaway stack (its own cluster under build/bench-events-var,
# on $BENCH_EV_PORT), removed afterwards.  Then it counts what PostgreSQL
# holds: every acknowledged event must be there once (lost = acknowledged
# but absent, duplicated = stored more than once).
#
# The load generator (tests/bench/web_events.mjs, node) builds every batch
# before the clock starts and retries any batch not acknowledged, as a
# client should; its own CPU use competes with the server on the same
# cores, so the figure is a floor for the server.
#
# Environment: BENCH_EV_PORT (18473), BENCH_EV_PGPORT (5473),
# BENCH_EV_SECONDS (20), BENCH_EV_CONC (concurrent requests, 4),
# BENCH_EV_BATCH (5000), ADEPT_WORKERS, ADEPT_THREADS.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
VAR=$ROOT/build/bench-events-var
PORT=${BENCH_EV_PORT:-18473}
PGPORT=${BENCH_EV_PGPORT:-5473}
SECS=${BENCH_EV_SECONDS:-20}
CONC=${BENCH_EV_CONC:-4}
BATCH=${BENCH_EV_BATCH:-5000}
URL=http://127.0.0.1:$PORT

stack() { ADEPT_VAR=$VAR PORT=$PORT ADEPT_PGPORT=$PGPORT src/ops/stack.sh "$@"; }
psql_() { psql -h "$VAR/run" -p "$PGPORT" -U adept -d adept -qAt -c "$1"; }
trap 'stack destroy >/dev/null 2>&1 || true' EXIT

stack destroy >/dev/null 2>&1 || true
if ! stack start >"$ROOT/build/bench-events-stack.log" 2>&1; then
	cat "$ROOT/build/bench-events-stack.log"
	exit 1
fi
# BENCH_EV_PGSET="name=value ...": PostgreSQL settings to try (ALTER
# SYSTEM on the throwaway cluster, then a reload), printed with the result.
for kv in ${BENCH_EV_PGSET:-}; do
	psql -h "$VAR/run" -p "$PGPORT" -U postgres -d adept -qAt \
		-c "ALTER SYSTEM SET ${kv%%=*} = '${kv#*=}'" >/dev/null
done
[ -n "${BENCH_EV_PGSET:-}" ] && psql -h "$VAR/run" -p "$PGPORT" -U postgres -d adept -qAt -c "SELECT pg_reload_conf()" >/dev/null
email=bench-events-$$@example.org
ADEPT_VAR=$VAR ADEPT_PGPORT=$PGPORT build/adept user add --email "$email" \
	--password 'bench events 1' --name 'Bench Learner' --role learner >/dev/null
uid=$(psql_ "SELECT id FROM users WHERE email = '$email'")
token=$(curl -fsS -X POST "$URL/api/v1/auth/login" -H 'content-type: application/json' \
	-d "{\"email\":\"$email\",\"password\":\"bench events 1\"}" |
	sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
[ -n "$token" ] || { echo "web_events: cannot sign in"; exit 1; }

# Enough pre-built batches for the run at up to ~250,000 events/s.
pool=$(( (SECS * 250000 + BATCH - 1) / BATCH ))
[ "$pool" -lt 20 ] && pool=20
# Warm-up (connections, statement caches, partitions), not counted.
node tests/bench/web_events.mjs "$URL" "$token" "$CONC" 3 "$BATCH" 8 >/dev/null
warm=$(psql_ "SELECT count(*) FROM learner_events WHERE user_id = $uid")
psql -h "$VAR/run" -p "$PGPORT" -U postgres -d adept -qAt -c CHECKPOINT >/dev/null

# CPU time (user + system) of the server side, per part: PostgreSQL (the
# postmaster and all its children), the FastCGI supervisor and workers,
# nginx, the background worker.
. tests/bench/wrk_lib.sh
pid_pg() { head -1 "$(readlink -f "$VAR/pgdata")/postmaster.pid"; }
cpu_ticks() {	# "pg fcgi nginx worker"
	echo "$(tree_ticks "$(pid_pg)") $(tree_ticks "$(cat "$VAR/run/adept.pid")")" \
		"$(tree_ticks "$(cat "$VAR/run/nginx.pid")") $(tree_ticks "$(cat "$VAR/run/worker.pid")")"
}
c0=$(cpu_ticks)
out=$(node tests/bench/web_events.mjs "$URL" "$token" "$CONC" "$SECS" "$BATCH" "$pool")
c1=$(cpu_ticks)
rows=$(psql_ "SELECT count(*) FROM learner_events WHERE user_id = $uid")
distinct=$(psql_ "SELECT count(DISTINCT event_id) FROM learner_events WHERE user_id = $uid")
acked=$(printf '%s' "$out" | sed -n 's/.*"acked":\([0-9]*\).*/\1/p')
rate=$(printf '%s' "$out" | sed -n 's/.*"events_per_s":\([0-9]*\).*/\1/p')
stored=$((rows - warm))
lost=$(( acked + warm - distinct ))
dups=$(( rows - distinct ))
[ "$lost" -lt 0 ] && lost=0

echo "web_events: sustained ingestion, POST /api/v1/events, $BATCH events per batch,"
echo "  $CONC concurrent requests for ${SECS}s (wall clock, node performance.now()),"
echo "  nginx + ${ADEPT_WORKERS:-$(nproc)} FastCGI workers x ${ADEPT_THREADS:-2} threads + adept worker + PostgreSQL"
echo "  (fsync on, synchronous_commit on${BENCH_EV_PGSET:+, $BENCH_EV_PGSET}) on $(nproc) cores, with the load generator on the same cores"
echo "  generator: $out"
echo "  events/s acknowledged: $rate (target 100000)"
gcpu=$(printf '%s' "$out" | sed -n 's/.*"gen_cpu_us_per_event":\([0-9.]*\).*/\1/p')
gshare=$(printf '%s' "$out" | sed -n 's/.*"gen_cpu_share":\([0-9.]*\).*/\1/p')
echo "  load generator's own CPU: $gcpu us per event, $gshare of a core over the run (of $(nproc))"
echo "  counted afterwards: acknowledged $acked, stored $stored, lost $lost, duplicated $dups"
hz=$(getconf CLK_TCK)
if [ "$acked" -gt 0 ]; then
	read -r a0 b0 n0 w0 <<<"$c0"
	read -r a1 b1 n1 w1 <<<"$c1"
	per() { awk -v t="$1" -v hz="$hz" -v n="$acked" 'BEGIN { printf "%.2f", t / hz * 1e6 / n }'; }
	total=$(( (a1 - a0) + (b1 - b0) + (n1 - n0) + (w1 - w0) ))
	us=$(per "$total")
	cap=$(awk -v us="$us" -v c="$(nproc)" 'BEGIN { printf "%d", c * 1e6 / us }')
	echo "  server CPU per event (user+system from /proc over the timed run): $us us ="
	echo "    PostgreSQL $(per $((a1 - a0))) + FastCGI $(per $((b1 - b0))) + nginx $(per $((n1 - n0))) + worker $(per $((w1 - w0)))"
	echo "  so $(nproc) otherwise idle cores would allow about $cap events/s (server side only)"
fi
echo "  load average: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine lowers events/s, not CPU per event)"
[ "$lost" -eq 0 ] && [ "$dups" -eq 0 ]
