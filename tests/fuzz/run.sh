#!/usr/bin/env bash
# make fuzz: builds every tests/fuzz/fuzz_*.c with clang's libFuzzer plus
# ASan/UBSan, together with the sources its "// SOURCES: ..." line names
# (and the flags of an optional "// LDFLAGS: ..." line), and runs each for
# $FUZZ_SECONDS (default 60), one after the other.  The corpus grows in
# build/fuzz/corpus/NAME/ (seeded from tests/fuzz/corpus/NAME/); crashes
# land in build/fuzz/artifacts/NAME/.  FUZZ_OUT overrides build/fuzz;
# FUZZ_ONLY=NAME runs one harness.  Installs clang and libclang-rt-14-dev if
# missing.  Ends with "N passed, N failed": a harness fails if it does not
# build or libFuzzer reports a crash, leak, timeout or sanitizer error.
set -uo pipefail
cd "$(dirname "$0")/../.."
secs=${FUZZ_SECONDS:-60}
only=${FUZZ_ONLY:-}
out=${FUZZ_OUT:-build/fuzz}
pass=0; fail=0

clang=
for c in clang clang-14; do
	command -v "$c" >/dev/null && { clang=$c; break; }
done
need=()
[ -n "$clang" ] || need+=(clang)
# libFuzzer's runtime lives in libclang-rt-14-dev on Debian 12.
if [ -n "$clang" ] && [ ! -e "$("$clang" -print-file-name=libclang_rt.fuzzer-x86_64.a 2>/dev/null)" ] &&
	! ls "$("$clang" -print-resource-dir 2>/dev/null)"/lib/linux/libclang_rt.fuzzer-*.a >/dev/null 2>&1; then
	need+=(libclang-rt-14-dev)
fi
if [ ${#need[@]} -gt 0 ]; then
	echo "fuzz: installing ${need[*]}"
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	$sudo apt-get update -qq &&
		DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
			--no-install-recommends clang libclang-rt-14-dev >/dev/null ||
		{ echo "fuzz: cannot install clang"; echo "0 passed, 1 failed"; exit 1; }
	clang=clang
	command -v clang >/dev/null || clang=clang-14
fi

mkdir -p "$out"
for src in tests/fuzz/fuzz_*.c; do
	[ -e "$src" ] || continue
	name=$(basename "$src" .c)
	[ -z "$only" ] || [ "$only" = "$name" ] || continue
	sources=$(sed -n 's|^// SOURCES: *||p' "$src" | tr '\n' ' ')
	ldflags=$(sed -n 's|^// LDFLAGS: *||p' "$src" | tr '\n' ' ')
	bin=$out/$name
	echo "== $name (sources: ${sources:-none})"
	# shellcheck disable=SC2086
	if ! "$clang" -g -O1 -std=c11 -D_GNU_SOURCE -Isrc \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-o "$bin" "$src" $sources $ldflags -lm; then
		echo "$name: build failed"; fail=$((fail + 1)); continue
	fi
	corpus=$out/corpus/$name
	art=$out/artifacts/$name
	mkdir -p "$corpus" "$art"
	[ -d "tests/fuzz/corpus/$name" ] && cp -n "tests/fuzz/corpus/$name"/* "$corpus"/ 2>/dev/null
	log=$out/$name.log
	"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$art/" "$corpus" >"$log" 2>&1
	rc=$?
	grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb|cov: .* ft: ' "$log" |
		tail -3 | sed 's/^/  /'
	if [ $rc -eq 0 ]; then
		echo "$name: ok, $(ls "$corpus" | wc -l) corpus files"
		pass=$((pass + 1))
	else
		echo "$name: FAILED (exit $rc), log $log, artifacts in $art:"
		grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$log" | head -10 | sed 's/^/  /'
		fail=$((fail + 1))
	fi
done
echo "fuzz: $pass passed, $fail failed"
[ $fail -eq 0 ]
