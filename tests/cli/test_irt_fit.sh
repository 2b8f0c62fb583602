#!/usr/bin/env bash
# adept irt rasch-cml / fit against the reference vectors (README section 2):
#   rasch-cml          vs psychotools_difficulty (1e-4 abs), psychotools_se (1e-3 rel)
#   fit --model rasch  vs lme4 mml_difficulty (5e-3 abs), a = 1, c = 0
#   fit --model 2pl    vs psych::irt.fa: corr(a, 1.702 a) >= 0.9, corr(b) >= 0.95
#   fit --model 3pl    on irt_sim3pl: RMSE a <= 0.2, b <= 0.15, c <= 0.06
# plus: NA responses, column order and a quoted header do not matter,
# `irt ability` reaches its own tool, and bad input exits 2 with a message
# naming the line or the item.  Ends with "N passed, N failed".
# usage: tests/cli/test_irt_fit.sh   ($ADEPT_BIN, default build/adept;
#        $ADEPT_REF_DIR, default ../shared/reference/algorithms)
set -u
cd "$(dirname "$0")/../.."
bin=${ADEPT_BIN:-build/adept}
ref=${ADEPT_REF_DIR:-$(cd .. && pwd)/shared/reference/algorithms}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0

ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }

if [ ! -x "$bin" ] || [ ! -r "$ref/irt_raschdat1_responses.csv" ]; then
	echo "missing $bin or reference files in $ref"
	echo "0 passed, 1 failed"
	exit 1
fi

# join GOT GCOL REF RCOL TOL MODE: compares column GCOL of GOT with column
# RCOL of REF, rows matched by the "item" column; MODE abs or rel.  Prints
# "n maxdev" and fails when an item is missing or a deviation exceeds TOL.
join() {
	awk -F, -v gc="$2" -v rc="$4" -v tol="$5" -v mode="$6" '
	{ sub(/\r$/, "") }
	FNR == 1 { for (i = 1; i <= NF; i++) col[FILENAME, $i] = i; next }
	FILENAME == ARGV[1] { got[$col[FILENAME, "item"]] = $col[FILENAME, gc]; next }
	{ it = $col[FILENAME, "item"]; want = $col[FILENAME, rc]
	  if (!(it in got)) { missing++; next }
	  d = got[it] - want; if (d < 0) d = -d
	  if (mode == "rel") d /= (want < 0 ? -want : want)
	  if (d > max) max = d; n++ }
	END { printf "%d %.3g\n", n, max; exit (missing || n == 0 || max > tol) }' "$1" "$3"
}

# corr GOT GCOL REF RCOL: Pearson correlation of matched columns.
corr() {
	awk -F, -v gc="$2" -v rc="$4" '
	{ sub(/\r$/, "") }
	FNR == 1 { for (i = 1; i <= NF; i++) col[FILENAME, $i] = i; next }
	FILENAME == ARGV[1] { got[$col[FILENAME, "item"]] = $col[FILENAME, gc]; next }
	{ x = got[$col[FILENAME, "item"]]; y = $col[FILENAME, rc]
	  n++; sx += x; sy += y; sxx += x * x; syy += y * y; sxy += x * y }
	END { printf "%.4f\n", (sxy - sx * sy / n) / sqrt((sxx - sx * sx / n) * (syy - sy * sy / n)) }' "$1" "$3"
}

# rmse GOT REF COL: RMSE of column COL, rows matched by item.
rmse() {
	awk -F, -v c="$3" '
	{ sub(/\r$/, "") }
	FNR == 1 { for (i = 1; i <= NF; i++) col[FILENAME, $i] = i; next }
	FILENAME == ARGV[1] { got[$col[FILENAME, "item"]] = $col[FILENAME, c]; next }
	{ d = got[$col[FILENAME, "item"]] - $col[FILENAME, c]; s += d * d; n++ }
	END { printf "%.4f\n", sqrt(s / n) }' "$1" "$2"
}

le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 <= b + 0) }'; }

# ---- rasch-cml -------------------------------------------------------------
for set in raschdat1 verbalaggression; do
	if "$bin" irt rasch-cml "$ref/irt_${set}_responses.csv" >"$tmp/$set.cml" 2>"$tmp/err"; then
		ok "rasch-cml $set: exit 0"
	else
		bad "rasch-cml $set: exit $? ($(cat "$tmp/err"))"
	fi
	if [ "$(head -1 "$tmp/$set.cml")" = "item,difficulty,se" ]; then
		ok "rasch-cml $set: header"
	else
		bad "rasch-cml $set: header $(head -1 "$tmp/$set.cml")"
	fi
	if r=$(join "$tmp/$set.cml" difficulty "$ref/irt_${set}_rasch_cml_items.csv" psychotools_difficulty 1e-4 abs); then
		ok "rasch-cml $set: difficulty vs psychotools (n, max abs dev: $r)"
	else
		bad "rasch-cml $set: difficulty vs psychotools (n, max abs dev: $r)"
	fi
	if r=$(join "$tmp/$set.cml" se "$ref/irt_${set}_rasch_cml_items.csv" psychotools_se 1e-3 rel); then
		ok "rasch-cml $set: se vs psychotools (n, max rel dev: $r)"
	else
		bad "rasch-cml $set: se vs psychotools (n, max rel dev: $r)"
	fi
	s=$(awk -F, 'NR > 1 { s += $2 } END { printf "%.3g", s < 0 ? -s : s }' "$tmp/$set.cml")
	if le "$s" 1e-9; then ok "rasch-cml $set: sum zero ($s)"; else bad "rasch-cml $set: sum $s"; fi
	if grep -q '\.[0-9]\{12,\}' "$tmp/$set.cml"; then
		ok "rasch-cml $set: full precision (%.17g)"
	else
		bad "rasch-cml $set: numbers not printed with %.17g"
	fi
done

# same data, person_id last and rows reversed, one header quoted: same output
awk -F, -v OFS=, 'NR == 1 { $2 = "\"" $2 "\"" }
	{ id = $1; for (i = 1; i < NF; i++) $i = $(i + 1); $NF = id; print }' \
	"$ref/irt_raschdat1_responses.csv" | { read -r h; echo "$h"; tac; } >"$tmp/perm.csv"
if "$bin" irt rasch-cml <"$tmp/perm.csv" >"$tmp/perm.cml" 2>"$tmp/err" &&
    r=$(join "$tmp/perm.cml" difficulty "$tmp/raschdat1.cml" difficulty 1e-12 abs); then
	ok "rasch-cml: columns by name, row order, stdin (n, max dev: $r)"
else
	bad "rasch-cml: permuted input differs ($r $(cat "$tmp/err"))"
fi

# NA: a booklet design with holes still fits, sums to zero, and differs
awk -F, -v OFS=, 'NR > 1 { for (i = 2; i <= NF; i++)
		if ((NR <= 41 && i > 21) || (NR > 71 && i <= 11) || ((NR * 7 + i * 3) % 23 == 0)) $i = "NA" }
	{ print }' "$ref/irt_raschdat1_responses.csv" >"$tmp/na.csv"
if "$bin" irt rasch-cml "$tmp/na.csv" >"$tmp/na.cml" 2>"$tmp/err"; then
	s=$(awk -F, 'NR > 1 { s += $2; n++; if (!($3 > 0)) badse++ } END { printf "%d %d %.3g", n, badse, s < 0 ? -s : s }' "$tmp/na.cml")
	set -- $s
	if [ "$1" = 30 ] && [ "$2" = 0 ] && le "$3" 1e-9; then
		ok "rasch-cml with NA: 30 items, SEs > 0, sum zero"
	else
		bad "rasch-cml with NA: $s"
	fi
else
	bad "rasch-cml with NA: exit $? ($(cat "$tmp/err"))"
fi
if "$bin" irt fit --model 2pl "$tmp/na.csv" >/dev/null 2>"$tmp/err"; then
	ok "fit 2pl with NA: exit 0"
else
	bad "fit 2pl with NA: exit $? ($(cat "$tmp/err"))"
fi

# ---- fit -------------------------------------------------------------------
for set in raschdat1 verbalaggression; do
	if "$bin" irt fit --model rasch <"$ref/irt_${set}_responses.csv" >"$tmp/$set.mml" 2>"$tmp/err"; then
		ok "fit rasch $set: exit 0"
	else
		bad "fit rasch $set: exit $? ($(cat "$tmp/err"))"
	fi
	if r=$(join "$tmp/$set.mml" b "$ref/irt_${set}_rasch_mml_lme4.csv" mml_difficulty 5e-3 abs); then
		ok "fit rasch $set: b vs lme4 (n, max abs dev: $r)"
	else
		bad "fit rasch $set: b vs lme4 (n, max abs dev: $r)"
	fi
	if awk -F, 'NR == 1 && $0 != "item,a,b,c" { exit 1 } NR > 1 && ($2 != 1 || $4 != 0) { exit 1 }' "$tmp/$set.mml"; then
		ok "fit rasch $set: header item,a,b,c with a = 1, c = 0"
	else
		bad "fit rasch $set: header or a/c wrong"
	fi
done

"$bin" irt fit --model 2pl "$ref/irt_raschdat1_responses.csv" >"$tmp/2pl" 2>"$tmp/err"
ra=$(awk -F, 'NR > 1 { print }' "$tmp/2pl" | wc -l)
r1=$(corr "$tmp/2pl" a "$ref/irt_raschdat1_2pl_psych_irtfa.csv" a_logistic_D1_approx)
r2=$(corr "$tmp/2pl" b "$ref/irt_raschdat1_2pl_psych_irtfa.csv" b_normal_ogive)
if [ "$ra" = 30 ] && le 0.9 "$r1" && le 0.95 "$r2"; then
	ok "fit 2pl raschdat1 vs psych::irt.fa: corr a $r1, b $r2"
else
	bad "fit 2pl raschdat1 vs psych::irt.fa: rows $ra, corr a $r1, b $r2"
fi

"$bin" irt fit --model 3pl "$ref/irt_sim3pl_responses.csv" >"$tmp/3pl" 2>"$tmp/err"
ea=$(rmse "$tmp/3pl" "$ref/irt_sim3pl_true_items.csv" a)
eb=$(rmse "$tmp/3pl" "$ref/irt_sim3pl_true_items.csv" b)
ec=$(rmse "$tmp/3pl" "$ref/irt_sim3pl_true_items.csv" c)
if le "$ea" 0.2 && le "$eb" 0.15 && le "$ec" 0.06; then
	ok "fit 3pl sim3pl recovery: RMSE a $ea, b $eb, c $ec"
else
	bad "fit 3pl sim3pl recovery: RMSE a $ea, b $eb, c $ec"
fi

# ---- dispatch --------------------------------------------------------------
"$bin" irt ability >/dev/null 2>"$tmp/err"
rc=$?
if [ $rc = 2 ] && grep -q "irt ability" "$tmp/err" && ! grep -q "not built" "$tmp/err"; then
	ok "irt ability is dispatched to its tool"
else
	bad "irt ability: exit $rc, $(cat "$tmp/err")"
fi

# ---- bad input -------------------------------------------------------------
# expect_fail NAME PATTERN ARGS... (stdin from $tmp/in): exit 2, message
# matching PATTERN, nothing on stdout.
expect_fail() {
	local name=$1 pat=$2; shift 2
	"$bin" irt "$@" <"$tmp/in" >"$tmp/out" 2>"$tmp/err"
	local rc=$?
	if [ $rc = 2 ] && grep -q -- "$pat" "$tmp/err" && [ ! -s "$tmp/out" ]; then
		ok "bad input: $name ($(head -1 "$tmp/err"))"
	else
		bad "bad input: $name: exit $rc, stderr '$(cat "$tmp/err")', stdout $(wc -c <"$tmp/out") bytes"
	fi
}

printf 'person_id,A,B,C\n1,0,1,1\n2,1,2,0\n3,1,0,1\n' >"$tmp/in"
expect_fail "value 2" "line 3: column B: \"2\" is not 0, 1 or NA" rasch-cml
expect_fail "value 2 (fit)" "line 3" fit --model 2pl
printf 'person_id,A,B,C\n1,0,1,1\n2,1,yes,0\n' >"$tmp/in"
expect_fail "value yes" "line 3: column B" rasch-cml
printf 'person_id,A,B,C\n1,0,1,1\n2,1,0,0\n3,1,0\n' >"$tmp/in"
expect_fail "ragged row" "line 4" rasch-cml
printf '' >"$tmp/in"
expect_fail "empty input" "empty" rasch-cml
printf 'person_id,A,B\n' >"$tmp/in"
expect_fail "header only" "no response rows" fit --model rasch
printf 'A,B,C\n0,1,1\n1,0,1\n' >"$tmp/in"
expect_fail "no person_id" "person_id" rasch-cml
printf 'person_id,A,B,C\n1,0,NA,1\n2,1,NA,0\n3,1,NA,1\n' >"$tmp/in"
expect_fail "item with no responses" "item B has no responses" rasch-cml
printf 'person_id,A,B,C\n1,0,1,1\n2,1,1,0\n3,1,NA,1\n' >"$tmp/in"
expect_fail "item with all-same responses" "item B: all 2 responses are 1" fit --model 3pl
printf 'person_id,A,B,C\n1,1,0,1\n2,1,1,0\n3,0,0,0\n4,1,1,1\n' >"$tmp/in"
expect_fail "CML estimates do not exist" "item A: CML estimates do not exist" rasch-cml
printf 'person_id,A,B,C\n1,1,0,1\n2,0,1,0\n3,1,1,0\n4,0,1,1\n' >"$tmp/in"
expect_fail "unknown model" "--model must be" fit --model 4pl
expect_fail "missing --model" "--model" fit
expect_fail "bad --nodes" "--nodes" fit --model 2pl --nodes 1
expect_fail "unknown subcommand" "usage" frobnicate
"$bin" irt rasch-cml <"$tmp/in" >"$tmp/out" 2>"$tmp/err"
if [ $? = 0 ] && [ "$(wc -l <"$tmp/out")" = 4 ]; then
	ok "a tiny connected design fits"
else
	bad "tiny design: $(cat "$tmp/err")"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
