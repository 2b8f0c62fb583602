#!/usr/bin/env bash
# `adept irt ability` and `adept cat replay` against the jscat reference
# vectors (compared numerically with awk, row by row, columns by name), then
# bad input: every case must exit 2 and name the offending line.
#   irt ability --method eap  vs jscat_eap_theta, ref_eap_jscat_grid, jscat_eap_se  (1e-9)
#   irt ability --method mle  vs ref_mle_theta (exact MLE, 1e-6; +-6 when it does not exist)
#   cat replay  --method eap  picks every recorded item; theta_after, se_after (1e-9)
#   cat replay  --method mle  jscat's MLE sessions cannot be reproduced by selection
#                             (README 1.5): first pick, item uniqueness, bounds, theta at
#                             the bound exactly while answers are all equal, and theta
#                             equal to `irt ability --method mle` on the same items.
# usage: tests/cli/test_irt_cat.sh   ($ADEPT_BIN, default build/adept;
#        $ADEPT_REF_DIR, default ../shared/reference/algorithms)
set -u
cd "$(dirname "$0")/../.."
BIN=${ADEPT_BIN:-build/adept}
REF=${ADEPT_REF_DIR:-$(cd .. && pwd)/shared/reference/algorithms}
BANK=$REF/irt_cat_item_bank.csv
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

check() {	# check NAME CMD...: one test, its output indented
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then
		pass=$((pass + 1))
		echo "ok   $name"
	else
		fail=$((fail + 1))
		echo "FAIL $name"
	fi
	[ -n "$out" ] && printf '%s\n' "$out" | sed 's/^/     /'
}

# compare OUT REF "outcol:refcol:tol ..." [FILTERCOL]: row-by-row join;
# tol "=" compares strings; an empty reference field is skipped; with
# FILTERCOL only reference rows where that column is 1 are compared.
compare() {
	awk -F, -v pairs="$3" -v filt="${4:-}" '
	BEGIN { np = split(pairs, P, " ") }
	NR == FNR {
		if (FNR == 1) for (i = 1; i <= NF; i++) oc[$i] = i
		else o[FNR] = $0
		no = FNR; next
	}
	FNR == 1 {
		for (i = 1; i <= NF; i++) rc[$i] = i
		for (k = 1; k <= np; k++) {
			split(P[k], q, ":")
			if (!(q[1] in oc) || !(q[2] in rc)) {
				print "missing column in " P[k]; err = 1
			}
		}
		if (filt != "" && !(filt in rc)) { print "no column " filt; err = 1 }
		next
	}
	{
		nr = FNR
		if (!(FNR in o)) next
		if (filt != "" && $(rc[filt]) != 1) next
		split(o[FNR], f, ",")
		for (k = 1; k <= np; k++) {
			split(P[k], q, ":")
			a = f[oc[q[1]]]; b = $(rc[q[2]])
			if (b == "" || b == "NA") continue
			n[k]++
			if (q[3] == "=") {
				if (a != b) { bad[k]++; if (bad[k] == 1) printf "line %d: %s %s, reference %s\n", FNR, q[1], a, b }
				continue
			}
			if (a == "") d = 1e300
			else { d = a - b; if (d < 0) d = -d }
			if (d > mx[k]) mx[k] = d
			if (!(d <= q[3] + 0)) { bad[k]++; if (bad[k] == 1) printf "line %d: %s %s, reference %s\n", FNR, q[1], a, b }
		}
	}
	END {
		if (no != nr) { printf "rows: output %d, reference %d\n", no - 1, nr - 1; err = 1 }
		for (k = 1; k <= np; k++) {
			split(P[k], q, ":")
			if (q[3] == "=") printf "%s vs %s: %d rows, %d differ\n", q[1], q[2], n[k], bad[k]
			else printf "%s vs %s: %d rows, max abs dev %.3g (tol %s)%s\n", q[1], q[2], n[k], mx[k], q[3], bad[k] ? ", " bad[k] " over" : ""
			if (bad[k] || n[k] == 0) err = 1
		}
		exit err
	}' "$1" "$2"
}

# MLE sessions: properties of our own replay (see the header).
mle_props() {	# mle_props OUT REF
	awk -F, '
	NR == FNR {
		if (FNR == 1) { for (i = 1; i <= NF; i++) oc[$i] = i; next }
		sid[FNR] = $(oc["session_id"]); st[FNR] = $(oc["step"])
		it[FNR] = $(oc["item_id"]); th[FNR] = $(oc["theta_after"])
		se[FNR] = $(oc["se_after"]); no = FNR; next
	}
	FNR == 1 { for (i = 1; i <= NF; i++) rc[$i] = i; next }
	{
		nr = FNR; r = $(rc["response"])
		if (sid[FNR] != $(rc["session_id"]) || st[FNR] != $(rc["step"])) { print "line " FNR ": session/step differ"; err = 1 }
		if (st[FNR] == 1) { delete seen; first = r; same = 1; if (it[FNR] != $(rc["item_id"])) { print "line " FNR ": first pick " it[FNR] " not " $(rc["item_id"]); err = 1 } }
		else if (r != first) same = 0
		if (it[FNR] in seen) { print "line " FNR ": " it[FNR] " administered twice"; err = 1 }
		seen[it[FNR]] = 1
		if (!(th[FNR] >= -6 && th[FNR] <= 6) || !(se[FNR] > 0)) { print "line " FNR ": theta/se out of range"; err = 1 }
		if (same && th[FNR] != (first ? 6 : -6)) { print "line " FNR ": all-equal answers but theta " th[FNR]; err = 1 }
		if (same) nb++
	}
	END {
		if (no != nr) { print "rows differ"; err = 1 }
		printf "%d rows, %d at the bound (all answers equal so far)\n", nr - 1, nb
		exit err
	}' "$1" "$2"
}

# Patterns (items and answers so far) from a cat replay output and its input.
replay_patterns() {	# replay_patterns OUT REF > patterns.csv
	awk -F, '
	NR == FNR { if (FNR > 1) { it[FNR] = $3 }; next }
	FNR == 1 { for (i = 1; i <= NF; i++) rc[$i] = i; print "pattern_id,item_ids,responses"; next }
	{
		if ($(rc["step"]) == 1) { ids = ""; rs = "" }
		ids = ids (ids == "" ? "" : " ") it[FNR]
		rs = rs (rs == "" ? "" : " ") $(rc["response"])
		print FNR "," ids "," rs
	}' "$1" "$2"
}

if [ ! -x "$BIN" ] || [ ! -r "$BANK" ]; then
	echo "need $BIN and $BANK"
	echo "0 passed, 1 failed"
	exit 1
fi

# ---- reference vectors ----------------------------------------------------

"$BIN" irt ability --bank "$BANK" --method eap < "$REF/irt_ability_patterns.csv" > "$tmp/eap.csv" 2> "$tmp/err"
check "irt ability eap: exit 0" test $? -eq 0
check "irt ability eap vs jscat (1e-9)" compare "$tmp/eap.csv" "$REF/irt_ability_patterns.csv" \
    "pattern_id:pattern_id:= theta:jscat_eap_theta:1e-9 theta:ref_eap_jscat_grid:1e-9 se:jscat_eap_se:1e-9"

"$BIN" irt ability --bank "$BANK" --method mle < "$REF/irt_ability_patterns.csv" > "$tmp/mle.csv" 2> "$tmp/err"
check "irt ability mle: exit 0" test $? -eq 0
check "irt ability mle vs exact MLE (1e-6)" compare "$tmp/mle.csv" "$REF/irt_ability_patterns.csv" \
    "pattern_id:pattern_id:= theta:ref_mle_theta:1e-6"
check "irt ability mle vs jscat Powell (0.03, README)" compare "$tmp/mle.csv" "$REF/irt_ability_patterns.csv" \
    "theta:jscat_mle_theta:0.03"

"$BIN" cat replay --bank "$BANK" --method eap < "$REF/irt_cat_sessions_eap.csv" > "$tmp/cat_eap.csv" 2> "$tmp/err"
check "cat replay eap: exit 0" test $? -eq 0
check "cat replay eap vs jscat: items exact, theta/se 1e-9" compare "$tmp/cat_eap.csv" "$REF/irt_cat_sessions_eap.csv" \
    "session_id:session_id:= step:step:= item_id:item_id:= theta_after:theta_after:1e-9 theta_after:ref_theta_after:1e-9 se_after:se_after:1e-9"

"$BIN" cat replay --bank "$BANK" --method mle < "$REF/irt_cat_sessions_mle.csv" > "$tmp/cat_mle.csv" 2> "$tmp/err"
check "cat replay mle: exit 0" test $? -eq 0
check "cat replay mle: first pick, no repeats, bounds" mle_props "$tmp/cat_mle.csv" "$REF/irt_cat_sessions_mle.csv"
replay_patterns "$tmp/cat_mle.csv" "$REF/irt_cat_sessions_mle.csv" > "$tmp/cat_mle_pat.csv"
"$BIN" irt ability --bank "$BANK" --method mle < "$tmp/cat_mle_pat.csv" > "$tmp/cat_mle_ab.csv"
check "cat replay mle theta = irt ability mle on its items (1e-12)" \
    compare "$tmp/cat_mle.csv" <(awk -F, 'NR == 1 { print "theta,se"; next } { print $2 "," $3 }' "$tmp/cat_mle_ab.csv") \
    "theta_after:theta:1e-12 se_after:se:1e-12"

# ---- bad input ------------------------------------------------------------

bad() {	# bad NAME EXPECT INPUT CMD...: exit 2, stderr contains EXPECT
	local name=$1 expect=$2 input=$3 rc
	shift 3
	printf '%b' "$input" | "$@" > /dev/null 2> "$tmp/err"
	rc=$?
	check "bad input: $name" sh -c '[ "$1" -eq 2 ] && grep -qF -- "$2" "$3" && cat "$3"' _ "$rc" "$expect" "$tmp/err"
}
AB="$BIN irt ability --bank $BANK --method eap"
CR="$BIN cat replay --bank $BANK --method eap"
printf 'item_id,a,b,c\nX1,1,0,0\nX2,1,0.5,1.5\n' > "$tmp/badbank.csv"
printf 'item_id,a,b,c\nX1,1,0,0\nX2,1,0.5\n' > "$tmp/raggedbank.csv"
printf 'item_id,a,b,c\nX1,1,0,0\nX1,1,1,0\n' > "$tmp/dupbank.csv"
printf 'item_id,a,b,c\nX1,1,0,0\nX2,1.2,0.5,0.1\n' > "$tmp/smallbank.csv"

bad "ability unknown item" "line 3: unknown item \"Q999\"" 'pattern_id,item_ids,responses\n1,Q001,1\n2,Q001 Q999,1 0\n' $AB
bad "ability response not 0/1" "line 2: response \"2\"" 'pattern_id,item_ids,responses\n1,Q001 Q002,1 2\n' $AB
bad "ability length mismatch" "line 2: 2 item_ids but 1 responses" 'pattern_id,item_ids,responses\n1,Q001 Q002,1\n' $AB
bad "ability ragged row" "line 3" 'pattern_id,item_ids,responses\n1,Q001,1\n2,Q001\n' $AB
bad "ability no items" "line 2: no item_ids" 'pattern_id,item_ids,responses\n1,,\n' $AB
bad "ability empty input" "empty input" '' $AB
bad "ability missing column" "item_ids" 'pattern_id,items,responses\n1,Q001,1\n' $AB
bad "ability bad method" "--method must be eap or mle" 'x\n' "$BIN" irt ability --bank "$BANK" --method map
bad "ability no bank" "usage" 'x\n' "$BIN" irt ability --method eap
bad "ability bank missing file" "bank $tmp/nope.csv" 'x\n' "$BIN" irt ability --bank "$tmp/nope.csv" --method eap
bad "ability bank c out of range" "line 3: need 0 <= c < d <= 1" 'x\n' "$BIN" irt ability --bank "$tmp/badbank.csv" --method mle
bad "ability bank ragged" "line 3" 'x\n' "$BIN" irt ability --bank "$tmp/raggedbank.csv" --method mle
bad "ability bank duplicate id" "duplicate item_id X1" 'x\n' "$BIN" irt ability --bank "$tmp/dupbank.csv" --method mle
bad "cat unknown item" "line 3: unknown item \"Q999\"" 'session_id,step,item_id,response\n1,1,Q001,1\n1,2,Q999,0\n' $CR
bad "cat response not 0/1" "line 2: response \"yes\"" 'session_id,step,item_id,response\n1,1,Q001,yes\n' $CR
bad "cat step gap" "line 3: session 1: step 3 after step 1" 'session_id,step,item_id,response\n1,1,Q001,1\n1,3,Q002,0\n' $CR
bad "cat session not at step 1" "line 2: session 7 starts at step 2" 'session_id,step,item_id,response\n7,2,Q001,1\n' $CR
bad "cat ragged row" "line 3" 'session_id,step,item_id,response\n1,1,Q001,1\n1,2,Q002\n' $CR
bad "cat empty input" "empty input" '' $CR
bad "cat missing column" "response" 'session_id,step,item_id,answer\n1,1,Q001,1\n' $CR
bad "cat bank exhausted" "line 4: session 1: step 3 but the bank has only 2 items" \
    'session_id,step,item_id,response\n1,1,X1,1\n1,2,X2,0\n1,3,X1,1\n' "$BIN" cat replay --bank "$tmp/smallbank.csv" --method mle
bad "cat no subcommand" "usage" '' "$BIN" cat --bank "$BANK"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
