#!/usr/bin/env bash
# Catalog speed (issue 4): a throwaway stack (its own PostgreSQL cluster,
# supervisor and nginx under build/catbench-var, on $CATBENCH_PORT) loaded
# with tests/bench/gen_catalog.sql (10,000 published courses, 200,000
# lessons), then wrk at 64 connections against, one after another: a static
# file (nginx alone, the ceiling), a catalog search for a topic as a learner
# types it (last word a prefix), a broad search (a word in a fifth of the
# catalog), the plain catalog listing, and a course page of an enrolled
# learner with progress.  Prints requests/s, p50 and p99 for each beside the
# static rate of the same run, and the plan PostgreSQL uses for the search
# (it must use the GIN index courses_search).
#
# usage: tests/bench/web_catalog.sh
# Environment: CATBENCH_PORT (18091), CATBENCH_PGPORT (5497), BENCH_DURATION
# (10s), BENCH_THREADS (wrk threads, 2), CATBENCH_CONNS (64), ADEPT_WORKERS
# (default: cores), ADEPT_THREADS (2), ADEPT_ROOT (the checkout whose
# build/adept and cgi-bin/adept.fcgi to run; default this one).
set -uo pipefail
cd "$(dirname "$0")/../.."
REPO=$(pwd)
ROOT=${ADEPT_ROOT:-$REPO}
VAR=$REPO/build/catbench-var
PORT=${CATBENCH_PORT:-18091}
PGPORT=${CATBENCH_PGPORT:-5497}
URL=http://127.0.0.1:$PORT
DUR=${BENCH_DURATION:-10s}
WT=${BENCH_THREADS:-2}
WC=${CATBENCH_CONNS:-64}
EMAIL=catbench-learner@example.com
PASSWORD='catbench password 1'
OUT=$(mktemp -d)
failed=()

stack() {
	ADEPT_ROOT=$ROOT ADEPT_VAR=$VAR PORT=$PORT ADEPT_PGPORT=$PGPORT \
		"$ROOT/src/ops/stack.sh" "$@"
}
cleanup() { [ -d "$VAR" ] && stack stop >/dev/null 2>&1; rm -rf "$OUT"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

psql_b() {
	psql -h "$VAR/run" -p "$PGPORT" -U adept -d adept -v ON_ERROR_STOP=1 -qAt "$@"
}

. tests/bench/wrk_lib.sh

command -v wrk >/dev/null || { echo "web_catalog: wrk not found (make deps installs it)"; exit 1; }
export ADEPT_WORKERS=${ADEPT_WORKERS:-$(nproc)}
export ADEPT_THREADS=${ADEPT_THREADS:-2}

echo "==== catalog: a generated catalog under wrk ===="
stack destroy >/dev/null 2>&1
if ! stack start >"$REPO/build/catbench-stack.log" 2>&1; then
	cat "$REPO/build/catbench-stack.log"
	exit 1
fi
t0=$(date +%s.%N)
psql_b -f tests/bench/gen_catalog.sql >"$OUT/gen.out" 2>&1 || { cat "$OUT/gen.out"; exit 1; }
t1=$(date +%s.%N)
echo "generated in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s" \
	"(published courses|lessons|skills|GIN size): $(tail -1 "$OUT/gen.out")"

# A learner enrolled in one generated course, with two lessons done.
id=$(ADEPT_VAR=$VAR ADEPT_PGPORT=$PGPORT "$ROOT/build/adept" user add --email "$EMAIL" \
	--password "$PASSWORD" --name "Catalog Bench" --role learner) || { echo "user add failed"; exit 1; }
course=$(psql_b -c "SELECT id FROM courses WHERE title LIKE 'Introduction to statistics %' ORDER BY id LIMIT 1")
psql_b -c "INSERT INTO enrollments (user_id, course_id) VALUES ($id, $course);
	INSERT INTO lesson_progress (user_id, lesson_id, status, completed_at)
	SELECT $id, l.id, 'completed', now() FROM modules m JOIN lessons l ON l.module_id = m.id
	WHERE m.course_id = $course ORDER BY m.position, l.position LIMIT 2;" >/dev/null
jar=$OUT/jar
csrf=$(curl -fsS -c "$jar" -b "$jar" "$URL/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
code=$(curl -sS -c "$jar" -b "$jar" -o /dev/null -w '%{http_code}' --data-urlencode "csrf=$csrf" \
	--data-urlencode "email=$EMAIL" --data-urlencode "password=$PASSWORD" "$URL/login")
[ "$code" = 303 ] || { echo "POST /login answered $code"; exit 1; }
COOKIE=$(curl -sS -v -b "$jar" -o /dev/null "$URL/dashboard" 2>&1 | sed -n 's/^> Cookie: //p' | tr -d '\r')

broad=$(psql_b -c "SELECT translate(substr(md5('7'), 1, 4 + 7 % 5), '0123456789', 'ghijklmnop')")
names=(static search_topic search_broad listing course)
paths=(/static/css/site.css "/catalog?q=introduction+statist" "/catalog?q=$broad" /catalog "/courses/$course")
for i in "${!paths[@]}"; do
	code=$(curl -sS -o "$OUT/page.html" -w '%{http_code}' -H "Cookie: $COOKIE" "$URL${paths[$i]}")
	if [ "$code" != 200 ]; then
		echo "${names[$i]}: GET ${paths[$i]} answered $code"
		exit 1
	fi
	case ${names[$i]} in
	search_*) echo "${names[$i]}: ${paths[$i]}: $(grep -o '[0-9]* courses\? match' "$OUT/page.html" | head -1)" ;;
	course) grep -q 'Leave this course' "$OUT/page.html" || { echo "course page does not show the enrolment"; exit 1; }
		echo "course: ${paths[$i]}: $(grep -o '[0-9]*% complete ([^)]*)' "$OUT/page.html" | head -1)" ;;
	esac
done

echo
echo "search plan (EXPLAIN ANALYZE of the catalog_search statement's core, 'introduction statist'):"
psql_b -c "EXPLAIN (ANALYZE, COSTS OFF, TIMING ON)
	WITH q AS MATERIALIZED (SELECT * FROM catalog_search_queries('introduction statist', NULL))
	SELECT c.id, ts_rank_cd(c.search_doc, q.rankq) AS rank, count(*) OVER ()
	FROM courses c, q WHERE c.status = 'published' AND c.search_doc @@ q.tsq
	ORDER BY rank DESC, c.id LIMIT 20" >"$OUT/plan.txt"
sed 's/^/  /' "$OUT/plan.txt"
if grep -q 'courses_search' "$OUT/plan.txt"; then
	echo "  -> the search uses the GIN index courses_search"
else
	echo "  -> the search does NOT use the GIN index"
	failed+=("gin")
fi

echo
echo "how measured: $(wrk --version 2>&1 | head -1 | sed 's/ Copyright.*//'); wrk -t$WT -c$WC -d$DUR --latency,"
echo "  one URL after another, each after a 2 s unrecorded warm-up; every request carries the"
echo "  learner's session cookie (the course page shows their progress); nginx -> FastCGI ->"
echo "  ADEPT_WORKERS=$ADEPT_WORKERS x ADEPT_THREADS=$ADEPT_THREADS -> PostgreSQL, all on this machine's"
echo "  $(nproc) cores with wrk (nothing pinned); load average $(cut -d' ' -f1-3 /proc/loadavg)."
wrk_pages 40
echo "(vs_static = requests/s divided by the static file's; the issue's target: p99 <= 20 ms"
echo " for catalog search and the course page at 64 connections)"
if [ ${#failed[@]} -gt 0 ]; then
	echo "web_catalog: failed: ${failed[*]}"
	exit 1
fi
