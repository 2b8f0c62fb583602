#!/usr/bin/env bash
# adept linucb replay: reproduces linucb_expected.csv (arms, rewards and
# cumulative rewards as text; ucb_* to 1e-9 with --ucb) from
# linucb_contexts.csv for both alphas, and refuses bad input with exit 2 and
# a message naming the line.  Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
bin=${ADEPT_BIN:-build/adept}
ref=${ADEPT_REF_DIR:-$(cd .. && pwd)/shared/reference/algorithms}
ctx=$ref/linucb_contexts.csv
exp=$ref/linucb_expected.csv
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0

ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }

if [ ! -x "$bin" ] || [ ! -r "$ctx" ] || [ ! -r "$exp" ]; then
	echo "missing $bin or reference files in $ref"
	echo "0 passed, 1 failed"
	exit 1
fi

# cols FILE ALPHA NAME...: the named columns of linucb_expected.csv rows
# whose alpha is ALPHA, with a header line, comma-separated.
cols() {
	local f=$1 a=$2; shift 2
	awk -F, -v a="$a" -v names="$*" '
	{ sub(/\r$/, "") }	# the reference files end lines with CRLF
	NR == 1 { n = split(names, want, " ")
		for (i = 1; i <= NF; i++) idx[$i] = i
		for (j = 1; j <= n; j++) {
			if (!(want[j] in idx)) { print "no column " want[j] > "/dev/stderr"; exit 1 }
			printf "%s%s", want[j], j < n ? "," : "\n"
		}
		next }
	a == "" || $idx["alpha"] + 0 == a + 0 {
		for (j = 1; j <= n; j++) printf "%s%s", $idx[want[j]], j < n ? "," : "\n" }' "$f"
}

for alpha in 0.25 1.0; do
	cols "$exp" "$alpha" round chosen_arm reward cumulative_reward >"$tmp/want"
	if "$bin" linucb replay --alpha "$alpha" "$ctx" >"$tmp/got" 2>"$tmp/err" &&
		cmp -s "$tmp/want" "$tmp/got"; then
		ok "alpha $alpha: 500 rounds, arms/rewards/cumulative exact ($(tail -1 "$tmp/got"))"
	else
		bad "alpha $alpha replay differs: $(diff "$tmp/want" "$tmp/got" | head -3 | tr '\n' ' ') $(cat "$tmp/err")"
	fi
	names="round chosen_arm"
	for i in 0 1 2 3 4 5 6 7; do names="$names ucb_$i"; done
	cols "$exp" "$alpha" $names >"$tmp/wantu"
	"$bin" linucb replay --ucb --alpha="$alpha" - <"$ctx" >"$tmp/gotu" 2>"$tmp/err"
	rc=$?
	cols "$tmp/gotu" "" $names >"$tmp/gotu2" 2>>"$tmp/err"
	if [ $rc -eq 0 ] && paste -d, "$tmp/wantu" "$tmp/gotu2" | awk -F, '
		NR == 1 { next }
		{ rows++; if ($1 != $11 || $2 != $12) bad++
		  for (i = 3; i <= 10; i++) { d = $i - $(i + 10); if (d < 0) d = -d
			if (d > 1e-9) bad++; if (d > m) m = d } }
		END { printf "max |ucb diff| %.3g over %d rows\n", m, rows
		      exit !(rows == 500 && bad == 0) }' >"$tmp/msg"; then
		ok "alpha $alpha --ucb from stdin: ucb_0..7 within 1e-9 ($(cat "$tmp/msg"))"
	else
		bad "alpha $alpha --ucb: $(cat "$tmp/msg" "$tmp/err")"
	fi
done

# expect_bad NAME WANT_IN_MESSAGE INPUT [ARGS...]: exit 2 and the message.
expect_bad() {
	local name=$1 want=$2 input=$3; shift 3
	printf '%b' "$input" >"$tmp/in.csv"
	"$bin" linucb replay "$@" "$tmp/in.csv" >/dev/null 2>"$tmp/err"
	local rc=$?
	if [ $rc -eq 2 ] && grep -qF -- "$want" "$tmp/err"; then
		ok "$name: exit 2, $(head -1 "$tmp/err")"
	else
		bad "$name: exit $rc, stderr: $(head -1 "$tmp/err") (wanted \"$want\")"
	fi
}

h='round,arm,x0,x1,reward_if_chosen\n'
good="${h}0,0,1,0.5,1\n0,1,1,-0.5,0\n"
expect_bad "not a number" "line 3: column x1" \
	"${h}0,0,1,0.5,1\n0,1,1,abc,0\n" --alpha 1
expect_bad "NA reward" "line 2: column reward_if_chosen" \
	"${h}0,0,1,0.5,NA\n" --alpha 1
expect_bad "missing column" "line 1: missing column \"reward_if_chosen\"" \
	'round,arm,x0\n0,0,1\n' --alpha 1
expect_bad "ragged row" "line 4:" "${good}1,0,1\n" --alpha 1
expect_bad "arm out of order" "line 3: arm 2 where arm 1" \
	"${h}0,0,1,0.5,1\n0,2,1,-0.5,0\n" --alpha 1
expect_bad "round with too few arms" "line 4: round 1 ends with 1 arms" \
	"${good}1,0,1,0.1,1\n2,0,1,0.2,0\n2,1,1,0.3,0\n" --alpha 1
expect_bad "round with too many arms" "line 6: round 1 has more than the 2" \
	"${good}1,0,1,0.1,1\n1,1,1,0.2,0\n1,2,1,0.3,0\n" --alpha 1
expect_bad "rounds going back" "line 6: round 0 after round 1" \
	"${good}1,0,1,0.1,1\n1,1,1,0.2,0\n0,0,1,0.3,0\n" --alpha 1
expect_bad "infinite feature" "line 2: column x0" "${h}0,0,inf,0.5,1\n" --alpha 1
expect_bad "no --alpha" "--alpha is required" "$good"
expect_bad "negative alpha" "--alpha \"-1\"" "$good" --alpha -1
expect_bad "non-numeric alpha" "--alpha \"x\"" "$good" --alpha x
expect_bad "unknown option" "usage:" "$good" --alpha 1 --beta
expect_bad "empty input" "empty input" "" --alpha 1

"$bin" linucb replay --alpha 1 "$tmp/nonexistent.csv" >/dev/null 2>"$tmp/err"
rc=$?
if [ $rc -eq 2 ] && grep -q nonexistent "$tmp/err"; then ok "missing file: exit 2"
else bad "missing file: exit $rc"; fi

printf "$good" | "$bin" linucb replay --alpha 0 >"$tmp/got" 2>"$tmp/err"
if [ $? -eq 0 ] && [ "$(cat "$tmp/got")" = "$(printf 'round,chosen_arm,reward,cumulative_reward\n0,0,1,1')" ]; then
	ok "two-arm round, alpha 0, stdin: tie goes to arm 0"
else
	bad "two-arm round: $(cat "$tmp/got" "$tmp/err")"
fi

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
