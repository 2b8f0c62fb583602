#!/usr/bin/env bash
# What `make bench` runs: every benchmark binary given on the command line
# pinned to one core, the C / ts-fsrs ratio of the FSRS replay, and wrk
# against a throwaway stack (its own PostgreSQL cluster, supervisor and nginx
# under build/bench-var, on $BENCH_PORT), removed afterwards.
#
# The web figures are only comparable within one run: wrk, nginx, the
# workers and PostgreSQL share this machine's cores, so every run prints how
# it was measured (tool versions, threads, connections, duration, workers,
# accept threads, cores, load average).
#
# usage: bench.sh [BENCH_BINARY...]
# Environment: BENCH_PORT (18090), BENCH_PGPORT (5498), BENCH_DURATION (10s),
# BENCH_THREADS (2), BENCH_CONNS (32), BENCH_QUICK (5s, the accept-thread
# comparison), BENCH_ROUNDS (2 rounds of that comparison), ADEPT_WORKERS
# (default: cores), ADEPT_THREADS (default 2), ADEPT_REF_DIR,
# BENCH_WEB=0 to skip the web part.
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
export ADEPT_REF_DIR=${ADEPT_REF_DIR:-$(cd "$ROOT/.." && pwd)/shared/reference/algorithms}

failed=()
OUT=$(mktemp -d)
cleanup_out() { rm -rf "$OUT"; }
trap cleanup_out EXIT

PIN=()
if command -v taskset >/dev/null; then
	PIN=(taskset -c 0)
fi

heading() { printf '\n==== %s ====\n' "$*"; }

# ---- 1. the benchmark binaries ------------------------------------------

heading "machine"
echo "cores: $(nproc); $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
echo "kernel: $(uname -sr); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ ${#PIN[@]} -gt 0 ]; then
	echo "benchmark binaries run pinned to core 0 (taskset -c 0)"
else
	echo "taskset not found: benchmark binaries run unpinned"
fi
echo "ADEPT_REF_DIR=$ADEPT_REF_DIR"

for bin in "$@"; do
	name=$(basename "$bin")
	heading "$name"
	"${PIN[@]}" "$bin" 2>&1 | tee "$OUT/$name.out"
	rc=${PIPESTATUS[0]}
	if [ "$rc" -ne 0 ]; then
		echo "$name: exit status $rc"
		failed+=("$name")
	fi
done

# ---- 2. C / ts-fsrs, same run ---------------------------------------------
#
# bench_fsrs runs tests/bench/tsfsrs_replay.mjs itself right after its own
# replays (so both are measured in one run, on the same core: node inherits
# the pinning) and echoes node's lines as "  node: short_term=on
# reviews_per_s=N ...".  When it did not (no bench_fsrs given, or it
# skipped node), node is run here.  Either way the ratio is computed here
# from the two outputs: "fsrs short-term on  X M reviews/s best wall" from
# the C side, reviews_per_s (best run) from node.

fsrs_ratio() {
	local c_out=$OUT/bench_fsrs.out js_out=$OUT/tsfsrs.out st c js
	heading "FSRS replay: C / ts-fsrs"
	if [ ! -f tests/bench/tsfsrs_replay.mjs ]; then
		echo "skipped: tests/bench/tsfsrs_replay.mjs not found"
		return
	fi
	if [ ! -f "$c_out" ]; then
		echo "skipped: bench_fsrs was not run"
		return
	fi
	if grep -q '^  node: short_term=' "$c_out"; then
		sed -n 's/^  node: //p' "$c_out" >"$js_out"
		echo "ts-fsrs figures: from the node run bench_fsrs started (same process tree, core 0)"
	elif command -v node >/dev/null; then
		echo "running node tests/bench/tsfsrs_replay.mjs (pinned like the C side)"
		"${PIN[@]}" node tests/bench/tsfsrs_replay.mjs \
			"$ADEPT_REF_DIR/fsrs_reviews.csv" 2>&1 | tee "$js_out"
	else
		echo "skipped: node not found"
		return
	fi
	for st in on off; do
		c=$(awk -v st="$st" '$1 == "fsrs" && $2 == "short-term" &&
			$3 == st && $5 == "M" { print $4 * 1e6; exit }' "$c_out")
		js=$(sed -n "s/^short_term=$st reviews_per_s=\([0-9.]*\).*/\1/p" \
			"$js_out" | head -1)
		if [ -z "$c" ] || [ -z "$js" ]; then
			echo "short-term $st: could not read both figures (C '${c}', ts-fsrs '${js}')"
			failed+=("fsrs-ratio")
			continue
		fi
		awk -v st="$st" -v c="$c" -v js="$js" 'BEGIN {
			printf "short-term %-3s  C %6.2f M reviews/s, ts-fsrs %6.3f M reviews/s: C / ts-fsrs = %.1fx\n",
			    st, c / 1e6, js / 1e6, c / js }'
	done
	echo "(best wall-clock run of each side; same review log, default parameters, fuzz off;"
	echo " the C figure as bench_fsrs printed it, to 0.01 M)"
	if grep -q '^C / ts-fsrs' "$c_out"; then
		echo "bench_fsrs's own ratio (unrounded C figure): $(grep -m1 '^C / ts-fsrs' "$c_out")"
	fi
}
fsrs_ratio

# ---- 3. the web stack under wrk -------------------------------------------

VAR=$ROOT/build/bench-var
URL=http://127.0.0.1:${BENCH_PORT:-18090}
DUR=${BENCH_DURATION:-10s}
WT=${BENCH_THREADS:-2}
WC=${BENCH_CONNS:-32}
QUICK=${BENCH_QUICK:-5s}
ROUNDS=${BENCH_ROUNDS:-2}
EMAIL=bench-learner@example.com
PASSWORD='bench password 1'
COOKIE=""

stack() {	# stack start|stop, with the bench's own state and ports
	ADEPT_VAR=$VAR PORT=${BENCH_PORT:-18090} ADEPT_PGPORT=${BENCH_PGPORT:-5498} \
		src/ops/stack.sh "$@"
}

stack_stop() {
	[ -d "$VAR" ] && stack stop >/dev/null 2>&1
}
trap 'stack_stop; cleanup_out' EXIT
trap 'exit 130' INT TERM

stack_start() {	# stack_start THREADS: a fresh supervisor with THREADS per worker
	stack_stop
	if ! ADEPT_THREADS=$1 stack start >"$ROOT/build/bench-stack.log" 2>&1; then
		cat "$ROOT/build/bench-stack.log"
		return 1
	fi
}

psql_bench() {
	local pgbin
	pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
	"$pgbin/psql" -h "$VAR/run" -p "${BENCH_PGPORT:-5498}" -U adept -d adept -qAt -c "$1"
}

# Creates the learner, enrols them in the published courses (so the
# dashboard renders course rows, not only its empty state) and signs in as
# a browser would; sets COOKIE to the Cookie header curl then sends.
sign_in() {
	local jar=$VAR/cookies.txt id csrf code
	id=$(ADEPT_VAR=$VAR ADEPT_PGPORT=${BENCH_PGPORT:-5498} build/adept user add \
		--email "$EMAIL" --password "$PASSWORD" --name "Bench Learner" \
		--role learner) || { echo "adept user add failed"; return 1; }
	psql_bench "INSERT INTO enrollments (user_id, course_id)
		SELECT $id, id FROM courses WHERE status = 'published'" ||
		{ echo "enrolment failed"; return 1; }
	rm -f "$jar"
	csrf=$(curl -fsS -c "$jar" -b "$jar" "$URL/login" |
		sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
	[ -n "$csrf" ] || { echo "no CSRF token on GET /login"; return 1; }
	code=$(curl -sS -c "$jar" -b "$jar" -o /dev/null -w '%{http_code}' \
		--data-urlencode "csrf=$csrf" --data-urlencode "email=$EMAIL" \
		--data-urlencode "password=$PASSWORD" "$URL/login")
	[ "$code" = 303 ] || { echo "POST /login answered $code, not 303"; return 1; }
	COOKIE=$(curl -sS -v -b "$jar" -o /dev/null "$URL/dashboard" 2>&1 |
		sed -n 's/^> Cookie: //p' | tr -d '\r')
	[ -n "$COOKIE" ] || { echo "no session cookies after sign-in"; return 1; }
	echo "learner $EMAIL (id $id) enrolled in $(psql_bench \
		"SELECT count(*) FROM enrollments WHERE user_id = $id") published course(s), signed in"
}

check_dashboard() {	# the cookie header alone must show the learner's dashboard
	local body=$VAR/dashboard.html code
	code=$(curl -sS -o "$body" -w '%{http_code}' -H "Cookie: $COOKIE" "$URL/dashboard")
	if [ "$code" != 200 ] || ! grep -q 'Bench Learner' "$body"; then
		echo "GET /dashboard with the session cookie answered $code, not the learner's page"
		return 1
	fi
	echo "GET /dashboard with that Cookie header: 200, $(wc -c <"$body") bytes, shows the learner"
}

# wrk_run FILE DURATION URL [wrk args]: runs wrk, keeps its output in FILE.
wrk_run() {
	local file=$1 dur=$2 url=$3
	shift 3
	wrk -t"$WT" -c"$WC" -d"$dur" --latency "$@" "$url" >"$file" 2>&1
}

to_ms() {	# 1.23ms / 456.78us / 1.02s -> milliseconds
	awk -v v="$1" 'BEGIN {
		n = v + 0
		if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) ; else if (v ~ /m$/) n *= 60000;
		else if (v ~ /s$/) n *= 1000
		printf "%.3f", n }'
}

# wrk_field FILE rps|p50|p99|requests|bad|errors
wrk_field() {
	case $2 in
	rps) awk '/^Requests\/sec:/ { print $2 }' "$1" ;;
	p50) to_ms "$(awk '$1 == "50%" { print $2; exit }' "$1")" ;;
	p99) to_ms "$(awk '$1 == "99%" { print $2; exit }' "$1")" ;;
	requests) awk '/requests in/ { print $1; exit }' "$1" ;;
	bad) awk '/Non-2xx or 3xx responses:/ { print $NF; exit }
		END { }' "$1" | grep . || echo 0 ;;
	errors) sed -n 's/^ *Socket errors: *//p' "$1" | head -1 ;;
	esac
}

web_bench() {
	local nginx_workers names=(static login dashboard) \
		paths=(/static/css/site.css /login /dashboard) i f rps static_rps bad err
	heading "web: wrk against nginx + FastCGI workers"
	if ! command -v wrk >/dev/null; then
		echo "skipped: wrk not found (make deps installs it)"
		failed+=("web")
		return
	fi
	export ADEPT_WORKERS=${ADEPT_WORKERS:-$(nproc)}
	local threads=${ADEPT_THREADS:-2}
	stack stop >/dev/null 2>&1
	rm -rf "$VAR"
	stack_start "$threads" || { failed+=("web"); return; }
	sign_in || { failed+=("web"); return; }
	check_dashboard || { failed+=("web"); return; }
	nginx_workers=$(sed -n 's/^worker_processes \([0-9a-z]*\);/\1/p' "$VAR/nginx.conf")

	echo
	echo "how measured: $(wrk --version 2>&1 | head -1 | sed 's/ Copyright.*//');"
	echo "  wrk -t$WT -c$WC -d$DUR --latency, one URL at a time, one after another, same settings;"
	echo "  a 2 s unrecorded warm-up of each URL first; dashboard requests carry the session"
	echo "  cookies (-H 'Cookie: ...') of a learner enrolled in the seeded course;"
	echo "  server: nginx ($nginx_workers worker processes, access log off) -> FastCGI over a unix socket ->"
	echo "  ADEPT_WORKERS=$ADEPT_WORKERS workers x ADEPT_THREADS=$threads accept threads -> PostgreSQL (unix socket);"
	echo "  $(grep -m1 'supervisor:' "$VAR/log/adept.log" 2>/dev/null | sed 's/^.*supervisor:/supervisor:/')"
	echo "  wrk, nginx, the workers and PostgreSQL all share this machine's $(nproc) cores (nothing pinned)."
	wrk_run "$OUT/warm.out" 2s "$URL${paths[0]}"
	wrk_run "$OUT/warm.out" 2s "$URL${paths[1]}"
	wrk_run "$OUT/warm.out" 2s "$URL${paths[2]}" -H "Cookie: $COOKIE"
	echo "  load average before the measured runs: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo
	for i in 0 1 2; do
		f=$OUT/web_${names[$i]}.out
		if [ "${names[$i]}" = dashboard ]; then
			wrk_run "$f" "$DUR" "$URL${paths[$i]}" -H "Cookie: $COOKIE"
		else
			wrk_run "$f" "$DUR" "$URL${paths[$i]}"
		fi
	done
	printf '%-10s %-22s %12s %10s %10s %10s %s\n' page path requests/s p50_ms p99_ms \
		vs_static "requests (non-2xx/3xx)"
	static_rps=$(wrk_field "$OUT/web_static.out" rps)
	for i in 0 1 2; do
		f=$OUT/web_${names[$i]}.out
		rps=$(wrk_field "$f" rps)
		if [ -z "$rps" ]; then
			echo "${names[$i]}: wrk printed no figures:"; sed 's/^/  /' "$f"
			failed+=("web-${names[$i]}")
			continue
		fi
		bad=$(wrk_field "$f" bad)
		awk -v n="${names[$i]}" -v p="${paths[$i]}" -v r="$rps" -v s="$static_rps" \
			-v p50="$(wrk_field "$f" p50)" -v p99="$(wrk_field "$f" p99)" \
			-v req="$(wrk_field "$f" requests)" -v bad="$bad" 'BEGIN {
			printf "%-10s %-22s %12.0f %10.3f %10.3f %9.3fx %s (%s)\n",
			    n, p, r, p50, p99, (s > 0 ? r / s : 0), req, bad }'
		err=$(wrk_field "$f" errors)
		[ -n "$err" ] && echo "  ${names[$i]}: socket errors: $err"
		if [ "$bad" != 0 ]; then
			echo "  ${names[$i]}: $bad responses were not 2xx/3xx"
			failed+=("web-${names[$i]}")
		fi
	done
	echo "(vs_static = the page's requests/s divided by the static file's)"

	heading "web: accept threads per worker (dashboard, ${QUICK} runs)"
	echo "how measured: the same wrk -t$WT -c$WC --latency -d$QUICK against /dashboard with the same"
	echo "  session cookie; the supervisor (and the stack) restarted for each ADEPT_THREADS value"
	echo "  with ADEPT_WORKERS=$ADEPT_WORKERS; 2 s unrecorded warm-up after each restart;"
	echo "  $ROUNDS round(s) of 1, 2, 4 in turn, so drift on this shared machine shows."
	printf '%-6s %-14s %12s %10s %10s %s\n' round ADEPT_THREADS requests/s p50_ms p99_ms \
		"non-2xx/3xx"
	local round t
	for round in $(seq 1 "$ROUNDS"); do
		for t in 1 2 4; do
			stack_start "$t" || { failed+=("web-threads"); return; }
			if ! check_dashboard >/dev/null; then
				echo "ADEPT_THREADS=$t: the dashboard did not answer 200 with the cookie"
				failed+=("web-threads")
				continue
			fi
			wrk_run "$OUT/warm.out" 2s "$URL/dashboard" -H "Cookie: $COOKIE"
			f=$OUT/threads_${round}_$t.out
			wrk_run "$f" "$QUICK" "$URL/dashboard" -H "Cookie: $COOKIE"
			printf '%-6s %-14s %12.0f %10s %10s %s\n' "$round" "$t" \
				"$(wrk_field "$f" rps)" "$(wrk_field "$f" p50)" \
				"$(wrk_field "$f" p99)" "$(wrk_field "$f" bad)"
			echo "$t $(wrk_field "$f" rps)" >>"$OUT/threads.txt"
		done
	done
	awk '{ s[$1] += $2; n[$1]++ }
	END {
		printf "mean requests/s over the rounds:"
		for (t = 1; t <= 4; t *= 2)
			if (n[t]) printf "  %d thread(s) %.0f", t, s[t] / n[t]
		printf "\n"
	}' "$OUT/threads.txt"
	stack_stop
}

if [ "${BENCH_WEB:-1}" != 0 ]; then
	web_bench
	# Feature benches, each with its own throwaway stack and ports, each
	# printing how it measured: catalog search and course pages over a
	# generated 10,000-course catalog, event ingestion, the exam-start
	# spike.
	for s in tests/bench/web_*.sh; do
		[ -f "$s" ] || continue
		heading "$(basename "$s" .sh)"
		bash "$s" || failed+=("$(basename "$s")")
	done
fi

echo
if [ ${#failed[@]} -gt 0 ]; then
	echo "bench: failed: ${failed[*]}"
	exit 1
fi
echo "bench: done"
