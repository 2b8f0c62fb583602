#!/usr/bin/env bash
# Runs cmocka test binaries and sums their results into one closing line.
# usage: run_unit.sh BUILD_DIR BIN...
set -u
build=$1; shift
pass=0; fail=0; bad=()
export ADEPT_REF_DIR=${ADEPT_REF_DIR:-$(cd "$(dirname "$0")/../../.." && pwd)/shared/reference/algorithms}
for t in "$@"; do
	out=$("$t" 2>&1); rc=$?
	p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	p=${p:-0}; f=${f:-0}
	if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi	# crashed
	pass=$((pass + p)); fail=$((fail + f))
	if [ "$f" -ne 0 ]; then
		bad+=("$t"); printf '%s\n' "$out" | tail -40
	fi
	printf '  %-50s %3d passed, %d failed\n' "${t#$build/tests/}" "$p" "$f"
done
[ ${#bad[@]} -eq 0 ] || echo "failing: ${bad[*]}"
echo "unit ($build): $pass passed, $fail failed"
[ $fail -eq 0 ]
