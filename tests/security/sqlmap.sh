#!/usr/bin/env bash
# sqlmap (Debian) against the endpoints that take parameters, on a running
# stack ($ADEPT_URL, $ADEPT_BIN, as tests/security/run.sh sets them up):
# every parameter must come out "not injectable".
#
# Which endpoints (from `adept routes --fields`, so new routes are picked up):
#  - every GET route with declared fields that reads its query (the GET
#    routes without the csrf flag: catalog, search/filter and export pages
#    and their JSON twins; pages with the role's cookie session, /api/ with
#    its Bearer token), plus GET /password/reset?token= (reads its query
#    though it is a form page); every field tested;
#  - POST: the JSON API routes in $POSTS below (a representative set: the
#    anonymous auth routes, one or more per area -- accounts, courses,
#    skills, bank, assessments, goals, reviews, diagnostics, feed, tutor,
#    generation, admin -- with a Bearer token of the route's role, which
#    needs no CSRF header), and two form routes sent with the cookie and
#    the CSRF field (/login, /teach/courses/new).  At most the first
#    $SQLMAP_MAXPARAMS (6) fields of a route are tested (the bank question
#    form has 77); routes that end the session or delete the account are
#    left out.
# Techniques: boolean, error and UNION (--technique=BEU; time-based ones
# would take minutes), level 1, risk 1, payloads for PostgreSQL; each run is
# bounded by `timeout` and the whole by $SQLMAP_BUDGET seconds (routes left
# when it runs out are reported as failures, so a slow CI shows up); three
# sqlmap processes run at once ($SQLMAP_JOBS).
# A route fails if sqlmap identifies an injection point, cannot reach the
# target, or sees a 500 (bad input must be a 4xx, never a crash).  401 and
# 404 answers (a wrong password, an object that is not there) do not stop
# sqlmap: the fields are still validated and the lookups still run.
# Ends with "sqlmap: N passed, N failed".  About 50 s on 2 cores.
set -uo pipefail
cd "$(dirname "$0")/../.."
BASE=${ADEPT_URL:?ADEPT_URL is not set}
BIN=${ADEPT_BIN:-build/adept}
budget=${SQLMAP_BUDGET:-180}
maxparams=${SQLMAP_MAXPARAMS:-6}
par=${SQLMAP_JOBS:-3}		# sqlmap runs at once (they mostly wait)
out=${BUILD:-build}/sqlmap
pass=0; fail=0
start=$SECONDS

if ! command -v sqlmap >/dev/null; then
	echo "sqlmap is not installed (Debian package sqlmap; make deps installs it)"
	echo "sqlmap: 0 passed, 1 failed"
	exit 1
fi
rm -rf "$out"; mkdir -p "$out"

POSTS=(
	/api/v1/auth/register /api/v1/auth/login /api/v1/auth/refresh
	/api/v1/auth/password/forgot /api/v1/auth/password/reset
	/api/v1/admin/users /api/v1/learning/enrollments /api/v1/courses
	/api/v1/courses/{id} /api/v1/skills /api/v1/account/mail
	/api/v1/certificates /api/v1/bank/questions /api/v1/assessments
	/api/v1/goals /api/v1/review/{id} /api/v1/diagnostics
	/api/v1/feed/questions/{id} /api/v1/courses/{id}/tutor
	/api/v1/generated-items/{id}/edit /api/v1/admin/fraud/{id}
)
FORMS=(/login /teach/courses/new)

# ---- users, tokens, a cookie session with its CSRF token -------------
run=$$$(date +%s)
declare -A token
for role in learner instructor admin; do
	email="sqlmap-$role-$run@example.org"
	"$BIN" user add --email "$email" --password 'sqlmap probe 123' \
		--name "Sqlmap $role" --role "$role" >/dev/null ||
		{ echo "cannot add the $role"; echo "sqlmap: 0 passed, 1 failed"; exit 1; }
	token[$role]=$(curl -fsS -H 'content-type: application/json' \
		-d "{\"email\":\"$email\",\"password\":\"sqlmap probe 123\"}" \
		"$BASE/api/v1/auth/login" | sed -n 's/.*"access_token": *"\([^"]*\)".*/\1/p')
	[ -n "${token[$role]}" ] ||
		{ echo "no token for the $role"; echo "sqlmap: 0 passed, 1 failed"; exit 1; }
done
# A cookie session per role (HTML pages take no Bearer token), and the
# instructor's CSRF token for the form routes.
declare -A cookie csrftok
for role in learner instructor admin; do
	jar=$out/cookies-$role
	csrf=$(curl -fsS -c "$jar" -b "$jar" "$BASE/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
	curl -fsS -o /dev/null -c "$jar" -b "$jar" --data-urlencode "csrf=$csrf" \
		--data-urlencode "email=sqlmap-$role-$run@example.org" \
		--data-urlencode 'password=sqlmap probe 123' "$BASE/login"
	csrf=$(curl -fsS -c "$jar" -b "$jar" "$BASE/account" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
	cookie[$role]=$(sed 's/^#HttpOnly_//' "$jar" | awk '!/^#/ && NF >= 7 { printf "%s%s=%s", n++ ? "; " : "", $6, $7 }')
	[ -n "$csrf" ] && [ -n "${cookie[$role]}" ] ||
		{ echo "no cookie session for the $role"; echo "sqlmap: 0 passed, 1 failed"; exit 1; }
	csrftok[$role]=$csrf
done
# An object of the instructor's own for {id} (so handlers get past the
# ownership check); other {id}s are 1.
course=$(curl -fsS -H "authorization: Bearer ${token[instructor]}" -H 'content-type: application/json' \
	-d '{"title":"Sqlmap course","summary":"s","level":"beginner","language":"en","estimated_hours":1}' \
	"$BASE/api/v1/courses" | sed -n 's/.*"id": *\([0-9]*\).*/\1/p' | head -1)
course=${course:-1}

value() {	# value TYPE: a valid-looking value for a field type
	case $1 in
	int) echo 1 ;; double) echo 1.5 ;; bool) echo 1 ;;
	email) echo "probe-$run@example.org" ;; id) echo abc123 ;;
	password) echo 'sqlmap probe 123' ;; text) echo 'some text' ;;
	enum=*) echo "${1#enum=}" ;; *) echo test ;;
	esac
}

# check NAME LOG: judges one sqlmap run.
check() {
	local name=$1 log=$2 why=""
	# sqlmap's verdict, after its own false-positive check ("appears to
	# be injectable" alone is a candidate it may then discard).
	if grep -qE 'identified the following injection point|is vulnerable' "$log"; then
		why="injectable"
	elif grep -qE "redirect to '[^']*/login" "$log"; then
		why="sent to the sign-in page: the session was not used"
	elif grep -qE '500 \(Internal Server Error\)' "$log"; then
		why="500 under injected input"
	elif grep -qE "unable to connect|connection timed out to the target|target URL content is not stable" "$log" &&
		! grep -q 'do not appear to be injectable' "$log"; then
		why="target unreachable"
	elif ! grep -qE 'do not appear to be injectable|does not seem to be injectable' "$log"; then
		why="no verdict"
	fi
	if [ -z "$why" ]; then
		pass=$((pass + 1)); echo "  ok   $name"
	else
		fail=$((fail + 1)); echo "  FAIL $name: $why (log $log)"
		grep -E 'CRITICAL|injection point|Parameter:|Type:|Payload:|HTTP error codes|^[0-9]{3} \(' "$log" | head -15 | sed 's/^/       /'
	fi
}

names=(); logs=()
sqlmap_run() {	# sqlmap_run NAME ARGS...: in the background, $par at a time
	local name=$1 log; shift
	while [ "$(jobs -rp | wc -l)" -ge "$par" ]; do wait -n; done
	if [ $((SECONDS - start)) -ge "$budget" ]; then
		fail=$((fail + 1)); echo "  FAIL $name: not run, the ${budget} s budget ran out"
		return
	fi
	log=$out/$(echo "$name" | tr -c 'A-Za-z0-9_\n' _).log
	names+=("$name"); logs+=("$log")
	timeout 90 sqlmap --batch --level=1 --risk=1 --dbms=PostgreSQL --technique=BEU \
		--disable-coloring --flush-session --output-dir="$out/sessions" -v 1 \
		--timeout=10 --retries=1 --skip=csrf --skip-waf --drop-set-cookie \
		--ignore-code=401,404 \
		"$@" >"$log" 2>&1 &
}

idsub() {	# idsub PATTERN: {id}s filled in
	local p=$1
	case $p in /api/v1/courses/\{id\}*) p=${p/\{id\}/$course} ;; esac
	echo "${p//\{id\}/1}"
}

# "|"-separated: read keeps empty columns (a tab would be collapsed).
routes=$("$BIN" routes --fields | tr '\t' '|')

# ---- GET routes that read their query ----------------------------------
echo "-- GET routes with query parameters (started)"
while IFS='|' read -r method pattern role flags fields; do
	[ "$method" = GET ] && [ "$fields" != - ] || continue
	case "$flags" in *csrf*) [ "$pattern" = /password/reset ] || continue ;; esac
	q=""
	IFS=, read -ra fs <<<"$fields"
	for f in "${fs[@]}"; do
		n=${f%%:*}; t=${f#*:}; t=${t%!}
		q+="${q:+&}$n=$(value "$t")"
	done
	auth=()
	if [ "$role" != none ]; then
		case $pattern in
		/api/*) auth=(-H "Authorization: Bearer ${token[$role]}") ;;
		*) auth=(--cookie="${cookie[$role]}") ;;
		esac
	fi
	sqlmap_run "GET $pattern" -u "$BASE$(idsub "$pattern")?$q" "${auth[@]}"
done <<<"$routes"

# ---- POST JSON routes (Bearer) -----------------------------------------
echo "-- POST JSON routes (a representative set, at most $maxparams fields each)"
for pattern in "${POSTS[@]}"; do
	line=$(awk -F'|' -v p="$pattern" '$1 == "POST" && $2 == p' <<<"$routes")
	[ -n "$line" ] || { fail=$((fail + 1)); echo "  FAIL POST $pattern: no such route"; continue; }
	IFS='|' read -r _ _ role _ fields <<<"$line"
	body=""; k=0
	IFS=, read -ra fs <<<"$fields"
	for f in "${fs[@]}"; do
		[ $k -lt "$maxparams" ] || break
		n=${f%%:*}; t=${f#*:}; t=${t%!}
		v=$(value "$t")
		case $t in int|double|bool) body+="${body:+,}\"$n\":$v" ;; *) body+="${body:+,}\"$n\":\"$v\"" ;; esac
		k=$((k + 1))
	done
	auth=()
	[ "$role" != none ] && auth=(-H "Authorization: Bearer ${token[$role]}")
	sqlmap_run "POST $pattern" -u "$BASE$(idsub "$pattern")" --data="{$body}" \
		-H 'Content-Type: application/json' "${auth[@]}"
done

# ---- POST forms (cookie + CSRF field) ------------------------------------
echo "-- POST forms (cookie session, CSRF field)"
for pattern in "${FORMS[@]}"; do
	fields=$(awk -F'|' -v p="$pattern" '$1 == "POST" && $2 == p { print $5 }' <<<"$routes")
	data="csrf=${csrftok[instructor]}"; k=0
	IFS=, read -ra fs <<<"$fields"
	for f in "${fs[@]}"; do
		[ $k -lt "$maxparams" ] || break
		n=${f%%:*}; t=${f#*:}; t=${t%!}
		data+="&$n=$(value "$t" | sed 's/ /+/g; s/@/%40/g')"
		k=$((k + 1))
	done
	sqlmap_run "POST $pattern (form)" -u "$BASE$pattern" --data="$data" --cookie="${cookie[instructor]}"
done

wait
echo "-- verdicts"
for i in "${!names[@]}"; do
	check "${names[$i]}" "${logs[$i]}"
done
echo "sqlmap: $pass passed, $fail failed ($((SECONDS - start)) s)"
[ "$fail" -eq 0 ]
