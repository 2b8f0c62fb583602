#!/usr/bin/env bash
# adept fsrs replay / adept sm2 replay: reproduce fsrs_expected.csv,
# fsrs_expected_short_term_false.csv and sm2_expected.csv (integers exact;
# FSRS S within 2e-8 relative to max(1,S), D and R within 2e-8; SM-2
# efactor to 1e-12), accept interleaved cards, match ts-fsrs itself (via
# node and tests/cli/tsfsrs_oracle.mjs, when present) for --retention and
# --max-interval and on a random log, and refuse bad input with exit 2 and
# a message naming the line.
# Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
bin=${ADEPT_BIN:-build/adept}
ref=${ADEPT_REF_DIR:-$(cd .. && pwd)/shared/reference/algorithms}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0

ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }

for f in fsrs_reviews.csv fsrs_expected.csv fsrs_expected_short_term_false.csv \
	sm2_reviews.csv sm2_expected.csv; do
	if [ ! -r "$ref/$f" ]; then
		echo "missing $ref/$f"; echo "0 passed, 1 failed"; exit 1
	fi
done
if [ ! -x "$bin" ]; then
	echo "missing $bin"; echo "0 passed, 1 failed"; exit 1
fi

# compare WANT GOT KIND: compares the columns of GOT (by name) with the
# same-named columns of WANT, row by row in the order of
# (card_id, review_index).  KIND fsrs: stability relative 2e-8,
# difficulty/r_at_review absolute 2e-8 (both empty or both set), others
# exact; KIND sm2: efactor 1e-12, others exact.  Prints a summary; exit 0
# if all rows match and both files have the same rows.
compare() {
	awk -F, -v kind="$3" '
	function key(   ) { return $c["card_id"] SUBSEP $c["review_index"] }
	{ sub(/\r$/, "") }
	FNR == 1 { delete c; for (i = 1; i <= NF; i++) c[$i] = i
		if (NR == FNR) { for (i = 1; i <= NF; i++) wname[i] = $i; wn = NF }
		else { gn = NF; for (i = 1; i <= NF; i++) gname[i] = $i
			for (i = 1; i <= NF; i++) if (!(gname[i] in wc)) {
				print "column " gname[i] " not in the reference"; bad++ } }
		if (NR == FNR) for (i = 1; i <= NF; i++) wc[$i] = i
		next }
	NR == FNR { k = key(); want[k] = $0; nwant++; next }
	{	k = key(); rows++
		if (!(k in want)) { if (bad++ < 5) print "extra row " $0; next }
		split(want[k], w, ",")
		for (i = 1; i <= gn; i++) {
			n = gname[i]; if (!(n in wc)) continue
			a = $i; b = w[wc[n]]
			if (n == "card_id") { if (a != b) bad++; continue }
			if (a == "" || b == "") { if (a != b) { if (bad++ < 5)
				print "row " k ": " n " \"" a "\" vs \"" b "\"" }; continue }
			d = a - b; if (d < 0) d = -d
			tol = 0
			if (kind == "fsrs" && n == "stability") tol = 2e-8 * (b > 1 ? b : 1)
			else if (kind == "fsrs" && (n == "difficulty" || n == "r_at_review")) tol = 2e-8
			else if (kind == "sm2" && n == "efactor") tol = 1e-12
			if (d > tol) { if (bad++ < 5) print "row " k ": " n " " a " vs " b }
			if (tol > 0 && d > maxd[n]) maxd[n] = d
		}
		delete want[k] }
	END {	for (k in want) { if (bad++ < 5) print "missing row " k }
		printf "%d rows, %d mismatches", rows, bad
		for (n in maxd) printf ", max |d %s| %.2g", n, maxd[n]
		printf "\n"
		exit !(bad == 0 && rows == nwant && rows > 0) }' "$1" "$2"
}

# run NAME KIND WANT INPUT ARGS...: runs the tool on INPUT and compares.
run() {
	local name=$1 kind=$2 want=$3 input=$4; shift 4
	if "$bin" "$@" <"$input" >"$tmp/got" 2>"$tmp/err" &&
		compare "$want" "$tmp/got" "$kind" >"$tmp/msg"; then
		ok "$name: $(cat "$tmp/msg")"
	else
		bad "$name: $(head -5 "$tmp/msg" "$tmp/err" 2>/dev/null | tr '\n' ' ')"
	fi
}

run "fsrs replay (short-term on, default)" fsrs "$ref/fsrs_expected.csv" \
	"$ref/fsrs_reviews.csv" fsrs replay
run "fsrs replay --short-term on" fsrs "$ref/fsrs_expected.csv" \
	"$ref/fsrs_reviews.csv" fsrs replay --short-term on
run "fsrs replay --short-term off" fsrs \
	"$ref/fsrs_expected_short_term_false.csv" "$ref/fsrs_reviews.csv" \
	fsrs replay --short-term off
run "sm2 replay" sm2 "$ref/sm2_expected.csv" "$ref/sm2_reviews.csv" sm2 replay

# The same logs with cards interleaved (sorted by time / by review_index):
# per-card state must not depend on row order across cards.
{ head -1 "$ref/fsrs_reviews.csv"; tail -n +2 "$ref/fsrs_reviews.csv" |
	sort -t, -k3,3n -s; } >"$tmp/fsrs_mixed.csv"
run "fsrs replay, cards interleaved by time" fsrs "$ref/fsrs_expected.csv" \
	"$tmp/fsrs_mixed.csv" fsrs replay
{ head -1 "$ref/sm2_reviews.csv"; tail -n +2 "$ref/sm2_reviews.csv" |
	sort -t, -k2,2n -s; } >"$tmp/sm2_mixed.csv"
run "sm2 replay, cards interleaved" sm2 "$ref/sm2_expected.csv" \
	"$tmp/sm2_mixed.csv" sm2 replay

# The options: --max-interval caps (intervals may pass it by the 1-2 days
# of interval ordering); --retention 0.9 is the default.
"$bin" fsrs replay --max-interval 30 <"$ref/fsrs_reviews.csv" >"$tmp/got" 2>"$tmp/err"
if [ $? -eq 0 ] && awk -F, 'NR > 1 { n++; if ($10 > 32) bad++; if ($10 >= 30) hit++ }
	END { exit !(n > 1000 && !bad && hit > 0) }' "$tmp/got"; then
	ok "--max-interval 30: every interval <= 32, some at the cap"
else
	bad "--max-interval 30: $(cat "$tmp/err")"
fi
"$bin" fsrs replay --retention 0.9 --max-interval=36500 <"$ref/fsrs_reviews.csv" \
	>"$tmp/a" 2>/dev/null
"$bin" fsrs replay <"$ref/fsrs_reviews.csv" >"$tmp/b" 2>/dev/null
if [ -s "$tmp/a" ] && cmp -s "$tmp/a" "$tmp/b"; then
	ok "--retention 0.9 --max-interval=36500 is the default"
else
	bad "--retention 0.9 --max-interval=36500 differs from the default"
fi
"$bin" fsrs replay --retention 0.8 <"$ref/fsrs_reviews.csv" >"$tmp/a" 2>/dev/null
if [ -s "$tmp/a" ] && ! cmp -s "$tmp/a" "$tmp/b"; then
	ok "--retention 0.8 changes the schedule"
else
	bad "--retention 0.8 has no effect"
fi

# Against ts-fsrs itself for options the reference files do not cover.
oracle=tests/cli/tsfsrs_oracle.mjs
if command -v node >/dev/null && [ -d tests/node_modules/ts-fsrs ]; then
	for opts in "--retention 0.8" "--retention 0.97 --max-interval 365" \
		"--short-term off --retention 0.85 --max-interval 100"; do
		# shellcheck disable=SC2086
		if node "$oracle" $opts "$ref/fsrs_reviews.csv" >"$tmp/want" 2>"$tmp/err"; then
			# shellcheck disable=SC2086
			run "fsrs replay $opts vs ts-fsrs 5.4.2 on node" fsrs \
				"$tmp/want" "$ref/fsrs_reviews.csv" fsrs replay $opts
		else
			bad "ts-fsrs oracle $opts: $(head -3 "$tmp/err")"
		fi
	done
	# A random log (fixed seed): gaps from seconds to years, every rating.
	awk -v seed=7 -v ncards=1000 'BEGIN { srand(seed)
		print "card_id,review_index,review_unix,rating"
		for (c = 1; c <= ncards; c++) {
			t = 1600000000 + int(rand() * 3e8); n = 1 + int(rand() * 40)
			for (i = 0; i < n; i++) {
				u = rand()
				if (u < 0.2) t += int(rand() * 600)
				else if (u < 0.4) t += int(rand() * 86400)
				else if (u < 0.8) t += int(rand() * 30 * 86400)
				else t += int(rand() * 2000 * 86400)
				u = rand(); g = u < 0.15 ? 1 : u < 0.3 ? 2 : u < 0.85 ? 3 : 4
				printf "%d,%d,%.0f,%d\n", c, i, t, g } } }' >"$tmp/rand.csv"
	for opts in "" "--short-term off" "--retention 0.8 --max-interval 200"; do
		# shellcheck disable=SC2086
		if node "$oracle" $opts "$tmp/rand.csv" >"$tmp/want" 2>"$tmp/err"; then
			# shellcheck disable=SC2086
			run "random log ${opts:-(defaults)} vs ts-fsrs 5.4.2 on node" \
				fsrs "$tmp/want" "$tmp/rand.csv" fsrs replay $opts
		else
			bad "ts-fsrs oracle on the random log $opts: $(head -3 "$tmp/err")"
		fi
	done
else
	echo "skip ts-fsrs comparisons: node or tests/node_modules/ts-fsrs missing"
fi

# expect_bad NAME WANT_IN_MESSAGE INPUT ARGS...: exit 2 and the message.
expect_bad() {
	local name=$1 want=$2 input=$3; shift 3
	printf '%b' "$input" >"$tmp/in.csv"
	"$bin" "$@" <"$tmp/in.csv" >/dev/null 2>"$tmp/err"
	local rc=$?
	if [ $rc -eq 2 ] && grep -qF -- "$want" "$tmp/err"; then
		ok "$name: exit 2, $(head -1 "$tmp/err")"
	else
		bad "$name: exit $rc, stderr: $(head -1 "$tmp/err") (wanted \"$want\")"
	fi
}

h='card_id,review_index,review_unix,rating\n'
g="${h}1,0,1700000000,3\n"
F="fsrs replay"
expect_bad "fsrs NaN time" "line 3: column review_unix" "${g}1,1,nan,3\n" $F
expect_bad "fsrs fractional time" "line 2: column review_unix" \
	"${h}1,0,1700000000.5,3\n" $F
expect_bad "fsrs negative time" "line 2: column review_unix: -5 is negative" \
	"${h}1,0,-5,3\n" $F
expect_bad "fsrs time past the JS Date range" \
	"line 2: column review_unix: 8640000000001 is past" \
	"${h}1,0,8640000000001,3\n" $F
expect_bad "fsrs time past int64" "line 2: column review_unix" \
	"${h}1,0,99999999999999999999,3\n" $F
expect_bad "fsrs time before the previous review" \
	"line 3: card 1: review_unix 1699999999 is before" \
	"${g}1,1,1699999999,3\n" $F
expect_bad "fsrs rating 5" "line 3: column rating: unknown rating \"5\"" \
	"${g}1,1,1700000600,5\n" $F
expect_bad "fsrs rating 0" "line 2: column rating: unknown rating \"0\"" \
	"${h}1,0,1700000000,0\n" $F
expect_bad "fsrs rating word" "line 2: column rating: unknown rating \"Good\"" \
	"${h}1,0,1700000000,Good\n" $F
expect_bad "fsrs empty rating" "line 2: column rating" \
	"${h}1,0,1700000000,\n" $F
expect_bad "fsrs ragged row" "line 3: 3 fields, header has 4" \
	"${g}1,1,1700000600\n" $F
expect_bad "fsrs empty input" "empty input" "" $F
expect_bad "fsrs missing column" "missing column \"rating\"" \
	'card_id,review_index,review_unix\n1,0,5\n' $F
expect_bad "fsrs review_index going back" "line 3: card 1: review_index 0 after 0" \
	"${g}1,0,1700000600,3\n" $F
expect_bad "fsrs empty card_id" "line 2: column card_id: empty" \
	"${h},0,1700000000,3\n" $F
expect_bad "fsrs --short-term maybe" "--short-term \"maybe\"" "$g" $F --short-term maybe
expect_bad "fsrs --retention 0" "--retention \"0\"" "$g" $F --retention 0
expect_bad "fsrs --retention 1.5" "--retention \"1.5\"" "$g" $F --retention 1.5
expect_bad "fsrs --retention nan" "--retention \"nan\"" "$g" $F --retention nan
expect_bad "fsrs --max-interval 0" "--max-interval \"0\"" "$g" $F --max-interval 0
expect_bad "fsrs --max-interval 2.5" "--max-interval \"2.5\"" "$g" $F --max-interval 2.5
expect_bad "fsrs --max-interval 1e14" "--max-interval \"100000000000000\"" "$g" \
	$F --max-interval 100000000000000
expect_bad "fsrs unknown option" "usage:" "$g" $F --fuzz
expect_bad "fsrs no subcommand" "usage:" "$g" fsrs

h='card_id,review_index,grade\n'
S="sm2 replay"
expect_bad "sm2 grade 6" "line 3: column grade: unknown grade \"6\"" "${h}1,0,3\n1,1,6\n" $S
expect_bad "sm2 grade -1" "line 2: column grade: unknown grade \"-1\"" "${h}1,0,-1\n" $S
expect_bad "sm2 grade NaN" "line 2: column grade" "${h}1,0,nan\n" $S
expect_bad "sm2 ragged row" "line 3: 2 fields, header has 3" "${h}1,0,3\n1,1\n" $S
expect_bad "sm2 empty input" "empty input" "" $S
expect_bad "sm2 review_index going back" "line 3: card 7: review_index 1 after 1" \
	"${h}7,1,3\n7,1,4\n" $S
expect_bad "sm2 unknown option" "usage:" "${h}1,0,3\n" $S --x

# A small log by hand: output is exactly the documented columns.
printf 'card_id,review_index,grade\n"a,b",0,5\n' | "$bin" sm2 replay >"$tmp/got" 2>"$tmp/err"
if [ $? -eq 0 ] && [ "$(cat "$tmp/got")" = "$(printf 'card_id,review_index,grade,interval,repetition,efactor\n"a,b",0,5,1,1,2.6000000000000001')" ]; then
	ok "sm2 quoted card_id echoed quoted, efactor %.17g"
else
	bad "sm2 quoted card_id: $(cat "$tmp/got" "$tmp/err")"
fi

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
