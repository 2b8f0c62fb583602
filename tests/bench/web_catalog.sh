#!/usr/bin/env bash
# Catalog speed (issue 4): a throwaway stack (its own PostgreSQL cluster,
# supervisor and nginx under build/catbench-var, on $CATBENCH_PORT) loaded
# with tests/bench/gen_catalog.sql (10,000 published courses, 200,000
# lessons), then wrk at 64 connections against, one after another: a static
# file (nginx alone, the ceiling); a catalog search for a topic as a learner
# types it (last word a prefix) and a broad search (a word in a fifth of the
# catalog), each one URL, so after the first request both are served from
# the search cache (migration 032), and after a thread's first from that
# thread's kept pages (src/pages/catalog.c, migration 036: no statement
# at all while the catalog's version has not moved); search_mix, a wrk Lua
# script cycling through 32 searches learners would type (printed below; 3
# of them broad, some with filters or on page 2), also cached once each
# has been seen;
# search_uncached, the same mix with each search's text given 0 to 99
# leading dots and its letters in random case, so that nearly every
# request misses both caches (that changes the cache keys, not the result)
# -- the cost of a search never seen before; the plain catalog listing; and a course page of an enrolled
# learner with progress (its shared part kept by each thread after the
# first request, its learner's part one statement per request; see
# src/pages/course_shared.c).  Prints requests/s, p50 and p99 for each beside
# the static rate of the same run, the same over one connection, and the
# planning and execution times of each page's statement (EXPLAIN ANALYZE,
# least of 20 runs), with the plan PostgreSQL uses for an uncached search
# (it must use the GIN index courses_search).
#
# usage: tests/bench/web_catalog.sh
# Environment: CATBENCH_PORT (18091), CATBENCH_PGPORT (5497), BENCH_DURATION
# (10s), BENCH_THREADS (wrk threads, 2), CATBENCH_CONNS (64), ADEPT_WORKERS
# (default: cores), ADEPT_THREADS (2), ADEPT_ROOT (the checkout whose
# build/adept and cgi-bin/adept.fcgi to run; default this one),
# CATBENCH_PAGES (which pages wrk measures, by the names printed: e.g.
# "course" or "search_topic,listing"; the static file always runs, as the
# ceiling; default all).  The statements' timings are printed for all.
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
# A site's tables are vacuumed; a bulk load's are not until autovacuum
# gets to them, which it would do during the measurements (PostgreSQL 13+
# vacuums after inserts too), setting hint bits and visibility maps on
# 200,000 fresh rows on the same two cores.  Do it now, then checkpoint
# (as the cluster's superuser: CHECKPOINT needs it).
t0=$(date +%s.%N)
psql -h "$VAR/run" -p "$PGPORT" -U postgres -d adept -v ON_ERROR_STOP=1 -qAt \
	-c "VACUUM (ANALYZE)" -c "CHECKPOINT" >/dev/null || { echo "VACUUM failed"; exit 1; }
echo "vacuumed and checkpointed in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"

# A learner enrolled in one generated course, with two lessons done.
id=$(ADEPT_VAR=$VAR ADEPT_PGPORT=$PGPORT "$ROOT/build/adept" user add --email "$EMAIL" \
	--password "$PASSWORD" --name "Catalog Bench" --role learner) || { echo "user add failed"; exit 1; }
course=$(psql_b -c "SELECT id FROM courses WHERE title LIKE 'Introduction to statistics %' ORDER BY id LIMIT 1")
psql_b -c "INSERT INTO enrollments (user_id, course_id) VALUES ($id, $course);
	INSERT INTO lesson_progress (user_id, lesson_id, status, completed_at)
	SELECT $id, l.id, 'completed', now() FROM modules m JOIN lessons l ON l.module_id = m.id
	WHERE m.course_id = $course ORDER BY m.position, l.position LIMIT 2;" >/dev/null
# learning_course_mine's arrays as the kept copy passes them: the
# course's lesson ids, its prerequisite courses, its prerequisite skills'
# ids and names (SQL literals).
mine_args=$(psql_b -c "SELECT quote_literal(COALESCE((SELECT array_agg(l.id ORDER BY l.id)
	FROM modules m JOIN lessons l ON l.module_id = m.id WHERE m.course_id = $course), '{}'))
	|| ', ' || quote_literal(COALESCE((SELECT array_agg(prereq_id ORDER BY prereq_id)
	FROM course_prereq_courses WHERE course_id = $course), '{}'))
	|| ', ' || quote_literal(COALESCE((SELECT array_agg(k ORDER BY s.name, n)
	FROM course_prereq_skills ps JOIN skills s ON s.id = ps.skill_id,
	LATERAL (VALUES (1, s.id::text), (2, s.name)) v(n, k) WHERE ps.course_id = $course), '{}'))")
jar=$OUT/jar
csrf=$(curl -fsS -c "$jar" -b "$jar" "$URL/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
code=$(curl -sS -c "$jar" -b "$jar" -o /dev/null -w '%{http_code}' --data-urlencode "csrf=$csrf" \
	--data-urlencode "email=$EMAIL" --data-urlencode "password=$PASSWORD" "$URL/login")
[ "$code" = 303 ] || { echo "POST /login answered $code"; exit 1; }
COOKIE=$(curl -sS -v -b "$jar" -o /dev/null "$URL/dashboard" 2>&1 | sed -n 's/^> Cookie: //p' | tr -d '\r')

# The filler word n of gen_catalog.sql: each is in about a fifth of the
# catalog.
filler() { psql_b -c "SELECT translate(substr(md5('$1'), 1, 4 + $1 % 5), '0123456789', 'ghijklmnop')"; }
broad=$(filler 7)
# What learners type: topic words whole or cut short (the last word is a
# prefix), two words, a filter or a second page, broad words, stop words.
mix=("statis" "python" "photog" "chemi" "introduction statist" "applied crypt"
	"foundations of algeb" "a practical guide to cook" "essentials of market"
	"advanced topics in rob" "history" "medic" "philosoph" "databases"
	"linux shell" "japan" "chess" "yoga" "spanish" "econometr"
	"python&level=beginner" "statistics&language=fr" "photography&duration=2to5"
	"history&page=2" "introduction&page=3" "netw" "ethics" "bayesian regression"
	"$broad" "$(filler 11)" "$(filler 23)" "the")
{
	echo "-- search_mix: one path after another (each thread from its own start)."
	echo "local paths = {"
	for m in "${mix[@]}"; do printf '  "/catalog?q=%s",\n' "${m// /+}"; done
	echo "}"
	cat <<'LUA'
local i = 0
init = function(args)
	math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
	i = math.random(#paths)
end
-- A new cache key for the same search: 0 to 99 leading dots (words
-- only count) and each letter in a random case.
local function shuffle_case(q)
	return string.rep(".", math.random(0, 99)) .. (q:gsub("%a", function(c)
		if math.random() < 0.5 then return c:upper() end
		return c
	end))
end
request = function()
	i = i % #paths + 1
	local p = paths[i]
	if uncached then
		p = p:gsub("^(/catalog%?q=)([^&]*)", function(a, q)
			return a .. shuffle_case(q)
		end)
	end
	return wrk.format(nil, p)
end
LUA
} >"$OUT/mix.body"
{ echo "local uncached = false"; cat "$OUT/mix.body"; } >"$OUT/mix.lua"
{ echo "local uncached = true"; cat "$OUT/mix.body"; } >"$OUT/mix_uncached.lua"

names=(static search_topic search_broad search_mix search_uncached listing course)
# (The mixes' path is a placeholder: their script picks each request's.)
paths=(/static/css/site.css "/catalog?q=introduction+statist" "/catalog?q=$broad" "/catalog?q=(mix)"
	"/catalog?q=(mix,+random+case)" /catalog "/courses/$course")
scripts=("" "" "" "$OUT/mix.lua" "$OUT/mix_uncached.lua" "" "")
if [ -n "${CATBENCH_PAGES:-}" ]; then
	want=" static ${CATBENCH_PAGES//,/ } "
	for w in $want; do
		case " ${names[*]} " in *" $w "*) ;; *) echo "CATBENCH_PAGES: no page $w (pages: ${names[*]})"; exit 1 ;; esac
	done
	for i in "${!names[@]}"; do
		case $want in *" ${names[$i]} "*) ;; *) unset "names[$i]" "paths[$i]" "scripts[$i]" ;; esac
	done
	names=("${names[@]}"); paths=("${paths[@]}"); scripts=("${scripts[@]}")
fi
for i in "${!paths[@]}"; do
	[ -n "${scripts[$i]}" ] && continue
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
echo "search_mix and search_uncached cycle through these ${#mix[@]} searches (q=...):"
printf '%s | ' "${mix[@]}" | fold -s -w 96 | sed 's/^/  /'; echo
for m in "${mix[@]}"; do
	code=$(curl -sS -o /dev/null -w '%{http_code}' -H "Cookie: $COOKIE" "$URL/catalog?q=${m// /+}")
	[ "$code" = 200 ] || { echo "search_mix: q=$m answered $code"; exit 1; }
done

# Each page's statement as the workers run it when the thread has not kept
# the page (a search: catalog_search_hit, then catalog_search when the
# search cache has not got the page either): prepared from sql/queries,
# run 20 times (parameters as the page passes them), least planning +
# execution time.
x1() { echo "EXPLAIN (ANALYZE, COSTS OFF, SUMMARY) EXECUTE $1;"; }
x20() { local k; for k in $(seq 20); do x1 "$1"; done; }
stmt() {	# stmt FILE NAME: the SQL of a named statement
	awk -v n="$2" '$0 == "-- name: " n { on = 1; next } on { print; if (/;[[:space:]]*$/) exit }' "$1"
}
{
	for n in catalog_search_hit catalog_search catalog_list; do
		echo "PREPARE $n AS $(stmt sql/queries/catalog.sql $n)"
	done
	for n in learning_course_mine learning_course_content; do
		echo "PREPARE $n AS $(stmt sql/queries/learning.sql $n)"
	done
	# Cached: what the page runs when the search cache has the page.
	x20 "catalog_search_hit(NULL, NULL, NULL, NULL, NULL, 0, 'introduction statist')"
	x20 "catalog_search_hit(NULL, NULL, NULL, NULL, NULL, 0, '$broad')"
	# Uncached: the catalog's version moved on before each run, as a
	# catalog change would, so the cached pages are all stale.
	for q in 'introduction statist' "$broad"; do
		for k in $(seq 20); do
			echo "UPDATE catalog_version SET version = version + 1;"
			x1 "catalog_search(NULL, NULL, NULL, NULL, NULL, 0, '$q')"
		done
	done
	x20 "catalog_list(NULL, NULL, NULL, NULL, NULL, 0)"
	# The course page: the learner's part, every request (with the
	# arrays the kept shared part passes); the shared part, when a
	# thread's copy is not current.
	x20 "learning_course_mine($course, $id, false, $mine_args)"
	x20 "learning_course_content($course)"
	echo "SELECT 'plans', name, generic_plans, custom_plans FROM pg_prepared_statements ORDER BY name;"
} >"$OUT/stmts.sql"
psql_b -f "$OUT/stmts.sql" >"$OUT/stmts.out" 2>&1 || { cat "$OUT/stmts.out"; exit 1; }
echo
echo "each page's statement (EXPLAIN ANALYZE of the prepared statement, least of 20 runs, ms):"
awk -v labels="search_topic (cached, _hit)|search_broad (cached, _hit)|search_topic (uncached)|search_broad (uncached)|listing (catalog_list)|course (learning_course_mine)|course, shared part (_content)" '
BEGIN { n = split(labels, L, "|"); printf "  %-32s %9s %9s %9s\n", "statement", "planning", "execution", "total" }
/Planning Time/ { p = $3 }
/Execution Time/ { k = int(r / 20) + 1; r++; t = p + $3; if (!(k in best) || t < best[k]) { best[k] = t; bp[k] = p; be[k] = $3 } }
END { for (k = 1; k <= n; k++) printf "  %-32s %9.3f %9.3f %9.3f\n", L[k], bp[k], be[k], best[k] }' "$OUT/stmts.out"
echo "  plan cache (generic / custom plans chosen over the runs above):"
awk -F'|' '$1 == "plans" { printf "    %-22s generic %s, custom %s\n", $2, $3, $4 }' "$OUT/stmts.out"
echo
echo "search plan (an uncached search, broad word):"
awk 'e == 60 { print } /Execution Time/ { e++ }' "$OUT/stmts.out" >"$OUT/plan.txt"
grep -E "CTE (hits|snip)|Bitmap|Planning Time|Execution Time" "$OUT/plan.txt" | sed 's/^/  /'
if grep -q 'Bitmap Index Scan on courses_search' "$OUT/plan.txt"; then
	echo "  -> the search uses the GIN index courses_search"
else
	echo "  -> the search does NOT use the GIN index"
	failed+=("gin")
fi
echo
echo "how measured: $(wrk --version 2>&1 | head -1 | sed 's/ Copyright.*//'); wrk -t$WT -c$WC -d$DUR --latency,"
echo "  one page after another, each after a 2 s unrecorded warm-up (which fills the search cache"
echo "  for the cached pages); every request carries the"
echo "  learner's session cookie (the course page shows their progress); nginx -> FastCGI ->"
echo "  ADEPT_WORKERS=$ADEPT_WORKERS x ADEPT_THREADS=$ADEPT_THREADS -> PostgreSQL, all on this machine's"
echo "  $(nproc) cores with wrk (nothing pinned); load average $(cut -d' ' -f1-3 /proc/loadavg)."
wrk_pages 40

# Server CPU per request, far less sensitive to other load on the machine
# than the wall-clock figures: the CPU time (user + system, from /proc)
# that PostgreSQL (all its processes), the FastCGI supervisor and workers
# and nginx spend while wrk -t1 -c2 runs each page for 5 s, divided by the
# requests served (tree_ticks: wrk_lib.sh).
pgpid=$(head -1 "$VAR/pgdata/postmaster.pid")
apppids="$(cat "$VAR/run/adept.pid") $(cat "$VAR/run/nginx.pid")"
echo
echo "server CPU per request (wrk -t1 -c2 -d5s; CPU ms of PostgreSQL, of FastCGI + nginx, both):"
printf '%-16s %9s %9s %9s %9s\n' page requests pg_ms app_ms total_ms
for i in "${!paths[@]}"; do
	p0=$(tree_ticks "$pgpid"); a0=$(tree_ticks $apppids)
	wrk_run "$i" -t1 -c2 -d5s >"$OUT/${names[$i]}.cpu" 2>&1
	p1=$(tree_ticks "$pgpid"); a1=$(tree_ticks $apppids)
	awk -v n="${names[$i]}" -v r="$(field "$OUT/${names[$i]}.cpu" requests)" -v pg=$((p1 - p0)) \
		-v app=$((a1 - a0)) -v hz="$(getconf CLK_TCK)" 'BEGIN {
		f = 1000 / hz / (r > 0 ? r : 1)
		printf "%-16s %9d %9.3f %9.3f %9.3f\n", n, r, pg * f, app * f, (pg + app) * f }'
done
echo "(vs_static = requests/s divided by the static file's; the issue's target: p99 <= 20 ms"
echo " for catalog search and the course page at 64 connections)"
if [ ${#failed[@]} -gt 0 ]; then
	echo "web_catalog: failed: ${failed[*]}"
	exit 1
fi
