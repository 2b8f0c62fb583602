#!/usr/bin/env bash
# Quick fuzz-harness check for `make test`, without libFuzzer: compiles each
# tests/fuzz/fuzz_*.c with gcc -fsanitize=address,undefined, together with
# tests/fuzz/standalone_main.c and the sources named on its
# "// SOURCES: ..." line (plus an optional "// LDFLAGS: ..." line), and
# replays its seed corpus tests/fuzz/corpus/NAME/ (one empty input if it has
# none).  One test per harness.  Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
out=${BUILD:-build}/fuzz-smoke
cc=${FUZZ_CC:-gcc}
pass=0; fail=0
mkdir -p "$out"
for src in tests/fuzz/fuzz_*.c; do
	[ -e "$src" ] || continue
	name=$(basename "$src" .c)
	sources=$(sed -n 's|^// SOURCES: *||p' "$src" | tr '\n' ' ')
	ldflags=$(sed -n 's|^// LDFLAGS: *||p' "$src" | tr '\n' ' ')
	bin=$out/$name
	# shellcheck disable=SC2086
	if ! "$cc" -g -O1 -std=c11 -D_GNU_SOURCE -Isrc -Wall -Wextra \
		-fsanitize=address,undefined -fno-sanitize-recover=all \
		-fno-omit-frame-pointer -o "$bin" "$src" \
		tests/fuzz/standalone_main.c $sources $ldflags -lm 2>"$out/$name.log"; then
		cat "$out/$name.log"
		echo "  $name: build failed"; fail=$((fail + 1)); continue
	fi
	corpus=tests/fuzz/corpus/$name
	args=()
	if [ -d "$corpus" ] && [ -n "$(ls -A "$corpus")" ]; then
		args=("$corpus")
	else
		echo "  $name: no seed corpus in $corpus, feeding one empty input"
	fi
	if res=$(ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		"$bin" "${args[@]}" 2>&1); then
		echo "  $name: ok, $(tail -1 <<<"$res")"
		pass=$((pass + 1))
	else
		printf '%s\n' "$res" | tail -30
		echo "  $name: FAILED"
		fail=$((fail + 1))
	fi
done
echo "fuzz smoke: $pass passed, $fail failed"
[ $fail -eq 0 ]
