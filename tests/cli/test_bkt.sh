#!/usr/bin/env bash
# adept bkt: `filter` reproduces bkt_expected_posteriors.csv (all four
# probabilities to 1e-12, by order_id) from bkt_synthetic.csv and the true
# parameters, also with the rows shuffled; `fit` finds the maximum (at least
# as likely as the true parameters, its loglik equal to the one the filter's
# predictions give, near the truth, and within 1e-5 of
# bkt_em_reference_fit.csv when the reference folder has that file); bad
# input exits 2 with a message naming the line.  Ends with
# "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
bin=${ADEPT_BIN:-build/adept}
ref=${ADEPT_REF_DIR:-$(cd .. && pwd)/shared/reference/algorithms}
syn=$ref/bkt_synthetic.csv
exp=$ref/bkt_expected_posteriors.csv
truth=$ref/bkt_true_params.csv
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0

ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }

if [ ! -x "$bin" ] || [ ! -r "$syn" ] || [ ! -r "$exp" ] || [ ! -r "$truth" ]; then
	echo "missing $bin or reference files in $ref"
	echo "0 passed, 1 failed"
	exit 1
fi

# pick FILE NAME...: the named columns (header included), comma-separated.
pick() {
	local f=$1; shift
	awk -F, -v names="$*" '
	{ sub(/\r$/, "") }
	NR == 1 { n = split(names, want, " ")
		for (i = 1; i <= NF; i++) idx[$i] = i
		for (j = 1; j <= n; j++)
			if (!(want[j] in idx)) { print "no column " want[j] > "/dev/stderr"; exit 1 } }
	{ for (j = 1; j <= n; j++) printf "%s%s", $idx[want[j]], j < n ? "," : "\n" }' "$f"
}

# The true parameters as a params file (the pooled ALL row left out).
pick "$truth" skill_name prior learn guess slip | awk -F, '$1 != "ALL"' >"$tmp/params"

# cmp_post GOT: compares a filter output with the expected posteriors by
# order_id; prints "rows maxerr" and fails if a row is missing or off.
cmp_post() {
	awk -F, '
	{ sub(/\r$/, "") }
	FNR == 1 { for (i = 1; i <= NF; i++) col[FILENAME, $i] = i; next }
	FILENAME == ARGV[1] {
		id = $col[FILENAME, "order_id"]
		e1[id] = $col[FILENAME, "p_known_before"]; e2[id] = $col[FILENAME, "p_correct_pred"]
		e3[id] = $col[FILENAME, "p_known_posterior"]; e4[id] = $col[FILENAME, "p_known_next"]
		n++; next }
	{ id = $col[FILENAME, "order_id"]
	  if (!(id in e1) || (id in seen)) { badrow++; next }
	  seen[id] = 1; got++
	  d[1] = $col[FILENAME, "p_known_before"] - e1[id]; d[2] = $col[FILENAME, "p_correct_pred"] - e2[id]
	  d[3] = $col[FILENAME, "p_known_posterior"] - e3[id]; d[4] = $col[FILENAME, "p_known_next"] - e4[id]
	  for (k = 1; k <= 4; k++) { if (d[k] < 0) d[k] = -d[k]; if (d[k] > m) m = d[k] } }
	END { printf "%d rows, max abs error %.3g\n", got, m
	      exit !(got == n && badrow == 0 && m <= 1e-12) }' "$exp" "$1"
}

# 1. filter, file argument
if "$bin" bkt filter --params "$tmp/params" "$syn" >"$tmp/f1" 2>"$tmp/err" &&
	r=$(cmp_post "$tmp/f1"); then
	ok "filter matches bkt_expected_posteriors.csv ($r)"
else
	bad "filter vs expected: ${r:-} $(head -2 "$tmp/err")"
fi

# 2. filter, stdin, rows in reverse order: opportunity order still rules.
{ head -1 "$syn"; tail -n +2 "$syn" | tac; } >"$tmp/rev.csv"
if "$bin" bkt filter --params="$tmp/params" <"$tmp/rev.csv" >"$tmp/f2" 2>"$tmp/err" &&
	r=$(cmp_post "$tmp/f2") &&
	[ "$(sed -n 2p "$tmp/f2" | cut -d, -f1)" = "$(sed -n 2p "$tmp/rev.csv" | cut -d, -f1)" ]; then
	ok "filter on reversed rows: same values, output in input order ($r)"
else
	bad "filter on reversed rows: ${r:-} $(head -2 "$tmp/err")"
fi

# 3. extra columns and a different column order are fine.
awk -F, -v OFS=, '{ sub(/\r$/, ""); print $5, "x" NR, $4, $3, $2, $1 }' "$syn" |
	sed '1s/x1/extra/' >"$tmp/perm.csv"
if "$bin" bkt filter --params "$tmp/params" "$tmp/perm.csv" >"$tmp/f3" 2>"$tmp/err" &&
	r=$(cmp_post "$tmp/f3"); then
	ok "filter with columns reordered and an extra column ($r)"
else
	bad "filter with permuted columns: ${r:-} $(head -2 "$tmp/err")"
fi

# loglik_by_skill FILTER_OUT: per skill, sum of log P(answer) from the
# filter's p_correct_pred, joined to the input by order_id.
loglik_by_skill() {
	awk -F, '
	{ sub(/\r$/, "") }
	FNR == 1 { for (i = 1; i <= NF; i++) col[FILENAME, $i] = i; next }
	FILENAME == ARGV[1] { sk[$col[FILENAME, "order_id"]] = $col[FILENAME, "skill_name"]
		c[$col[FILENAME, "order_id"]] = $col[FILENAME, "correct"]; next }
	{ id = $col[FILENAME, "order_id"]; p = $col[FILENAME, "p_correct_pred"]
	  ll[sk[id]] += log(c[id] == 1 ? p : 1 - p) }
	END { for (s in ll) printf "%s,%.12f\n", s, ll[s] }' "$syn" "$1" | sort
}

# 4. fit: converges, is at least as likely as the truth, and its loglik is
# the filter's at the fitted parameters.
if "$bin" bkt fit --tol 1e-10 "$syn" >"$tmp/fit" 2>"$tmp/err"; then
	ok "fit --tol 1e-10 converges ($(($(wc -l <"$tmp/fit") - 1)) skills)"
else
	bad "fit: exit $? $(head -2 "$tmp/err")"
fi
loglik_by_skill "$tmp/f1" >"$tmp/ll_true"
"$bin" bkt filter --params "$tmp/fit" "$syn" >"$tmp/ffit" 2>"$tmp/err"
loglik_by_skill "$tmp/ffit" >"$tmp/ll_fit"
pick "$tmp/fit" skill_name loglik | tail -n +2 | sort >"$tmp/ll_rep"
if r=$(join -t, "$tmp/ll_rep" "$tmp/ll_fit" | join -t, - "$tmp/ll_true" | awk -F, '
	{ n++; d = $2 - $3; if (d < 0) d = -d; if (d > m) m = d
	  if ($2 < $4 - 1e-9) worse++; gain += $2 - $4 }
	END { printf "%d skills, |reported - filter loglik| <= %.2g, fit beats truth by %.3f in total\n", n, m, gain
	      exit !(n == 5 && m <= 1e-6 && worse == 0) }'); then
	ok "fit loglik: $r"
else
	bad "fit loglik: ${r:-no rows}"
fi

# 5. fit near the truth (README recovery bounds, doubled: half the data).
if r=$(join -t, <(tail -n +2 "$tmp/fit" | sort) <(tail -n +2 "$tmp/params" | sort) | awk -F, '
	{ n++; for (k = 2; k <= 5; k++) { d = $k - $(k + 5); if (d < 0) d = -d
		lim = k == 2 ? 0.2 : 0.06; if (d > lim) off++; if (k > 2 && d > m) m = d } }
	END { printf "%d skills, max |learn/guess/slip - truth| %.3f\n", n, m; exit !(n == 5 && off == 0) }'); then
	ok "fit recovers the truth: $r"
else
	bad "fit recovery: ${r:-no rows}"
fi

# 6. A looser tolerance lands near the tight fit; guess, slip <= 0.5.
"$bin" bkt fit --tol=1e-6 "$syn" >"$tmp/fit6" 2>"$tmp/err"
if r=$(paste -d, "$tmp/fit" "$tmp/fit6" | awk -F, '
	NR > 1 { for (k = 2; k <= 5; k++) { d = $k - $(k + 6); if (d < 0) d = -d; if (d > m) m = d }
		if ($4 > 0.5 || $5 > 0.5) gs++ }
	END { printf "max |tol 1e-6 - tol 1e-10| %.2g", m; exit !(NR == 6 && m <= 1e-4 && gs == 0) }'); then
	ok "fit --tol=1e-6: $r"
else
	bad "fit --tol=1e-6: ${r:-}"
fi

# 7. Against the reference MLE when the folder has it.
if [ -r "$ref/bkt_em_reference_fit.csv" ]; then
	pick "$ref/bkt_em_reference_fit.csv" skill_name prior learn guess slip loglik |
		tail -n +2 | sort >"$tmp/reffit"
	if r=$(join -t, <(tail -n +2 "$tmp/fit" | sort) "$tmp/reffit" | awk -F, '
		{ n++; for (k = 2; k <= 5; k++) { d = $k - $(k + 5); if (d < 0) d = -d; if (d > m) m = d }
		  if ($6 < $11 - 1e-6) worse++ }
		END { printf "%d skills, max param diff %.2g", n, m; exit !(n > 0 && m <= 1e-5 && worse == 0) }'); then
		ok "fit vs bkt_em_reference_fit.csv: $r"
	else
		bad "fit vs bkt_em_reference_fit.csv: ${r:-}"
	fi
else
	echo "skip fit vs bkt_em_reference_fit.csv (not in $ref)"
fi

# Bad input: exit 2 and a message matching PATTERN.
# expect2 NAME PATTERN INPUTFILE ARGS...
expect2() {
	local name=$1 pat=$2 input=$3; shift 3
	"$bin" bkt "$@" <"$input" >/dev/null 2>"$tmp/err"
	local rc=$?
	if [ $rc -eq 2 ] && grep -qE -e "$pat" "$tmp/err"; then
		ok "$name: exit 2, $(head -1 "$tmp/err")"
	else
		bad "$name: exit $rc, stderr: $(head -1 "$tmp/err") (wanted /$pat/)"
	fi
}

head -6 "$syn" | tr -d '\r' >"$tmp/small.csv"
mk() {	# mk NAME SED-SCRIPT: a copy of small.csv edited by sed
	sed "$2" "$tmp/small.csv" >"$tmp/$1.csv"
}
mk nan '4s/,[01]$/,NaN/'
mk two '3s/,[01]$/,2/'
mk empty_correct '5s/,[01]$/,/'
mk ragged '4s/$/,9/'
mk opp '3s/,S3,1,/,S3,one,/'
mk dup '6s/^.*$/5,1,S1,2,1/'
mk unknown '5s/,S[0-9],/,S9,/'
mk nocol '1s/correct/right/'
: >"$tmp/empty.csv"
head -1 "$syn" >"$tmp/header.csv"
sed '3s/0\.[0-9]*/NaN/' "$tmp/params" >"$tmp/params_nan"
sed '2s/,[0-9.]*$/,1.5/' "$tmp/params" >"$tmp/params_range"

expect2 "NaN in correct" 'line 4: .*correct.*not 0 or 1' "$tmp/nan.csv" filter --params "$tmp/params"
expect2 "correct = 2" 'line 3: .*not 0 or 1' "$tmp/two.csv" fit
expect2 "empty correct" 'line 5: .*not 0 or 1' "$tmp/empty_correct.csv" fit
expect2 "ragged row" 'line 4: .*fields' "$tmp/ragged.csv" filter --params "$tmp/params"
expect2 "opportunity not an integer" 'line 3: .*opportunity' "$tmp/opp.csv" fit
expect2 "duplicate opportunity" 'line 6: .*opportunity 2 .*line 5' "$tmp/dup.csv" fit
expect2 "skill not in params" 'line 5: skill "S9" is not in the params' "$tmp/unknown.csv" filter --params "$tmp/params"
expect2 "missing column" 'line 1: .*"correct"' "$tmp/nocol.csv" fit
expect2 "empty input" 'empty input' "$tmp/empty.csv" fit
expect2 "header only" 'no observations' "$tmp/header.csv" filter --params "$tmp/params"
expect2 "NaN in params" 'params.*line 3: .*not a finite number' "$tmp/small.csv" filter --params "$tmp/params_nan"
expect2 "slip out of range" 'params.*line 2: .*0 < guess, slip < 1' "$tmp/small.csv" filter --params "$tmp/params_range"
expect2 "filter without --params" 'needs --params' "$tmp/small.csv" filter
expect2 "bad --tol" '--tol' "$tmp/small.csv" fit --tol abc
expect2 "unknown subcommand" 'usage' "$tmp/small.csv" smooth

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
