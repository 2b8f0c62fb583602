#!/usr/bin/env bash
# adept gen over the sample course (tests/data/course): quiz items and
# objectives are counted and must be 100 % grounded, duplicate-free and
# with distinct distractors, by the CLI's own checks and by this script's
# recount (answer among the options once, options distinct after folding,
# the claim's words in the cited source, no repeated question); the output
# is the same on a second run; the tutor answers a covered question with a
# citation and refuses an uncovered one; and bad input (empty file,
# non-UTF-8, damaged PDF, password-protected PDF, a 20 MB one-line text,
# usage errors) gives a clear message and the documented exit status.
# Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
bin=${ADEPT_BIN:-build/adept}
unset ADEPT_LLM_URL	# the offline generator; test_llm.sh covers the model
course=(tests/data/course/*.md)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }

if [ ! -x "$bin" ] || ! command -v python3 >/dev/null; then
	echo "missing $bin or python3"; echo "0 passed, 1 failed"; exit 1
fi

# 1. quiz: 20 items per module (file), counted
for f in "${course[@]}"; do
	"$bin" gen quiz --items 20 "$f" >>"$tmp/quiz.jsonl" 2>>"$tmp/quiz.err" ||
		bad "gen quiz $f exit status $?"
done
"$bin" gen quiz --items 40 "${course[@]}" >"$tmp/all.jsonl" 2>>"$tmp/quiz.err" ||
	bad "gen quiz over the whole course"
r=$(python3 - "$tmp/quiz.jsonl" "$tmp/all.jsonl" <<'PY'
import json, re, sys
def norm(s):
    w = re.findall(r"[0-9a-z\u0080-\uffff]+(?:[-'_][0-9a-z\u0080-\uffff]+)*", s.lower())
    return " ".join(x[:-1] if len(x) > 3 and x.endswith("s") and not x.endswith("ss") else x for x in w)
bad = []
tot = g = d = dd = 0
types = {}
for path in sys.argv[1:]:
    seen = set()
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        x = json.loads(line)
        tot += 1
        for k in ("type", "question", "options", "answer", "explanation", "source", "checks"):
            if k not in x: bad.append(f"{path}:{n}: no {k}")
        types[x["type"]] = types.get(x["type"], 0) + 1
        c = x["checks"]
        src = set(norm(x["source"]).split())
        quote = re.search(r'says "(.*)"', x["explanation"])
        claim = quote.group(1) if quote else ""
        claim = re.sub(r'": .*$', "", claim)
        words_ok = claim and all(w in src for w in norm(claim).split())
        if c["grounded"] == "ok" and words_ok: g += 1
        else: bad.append(f"{path}:{n}: not grounded: {c['grounded']}")
        q = norm(x["question"])
        if c["duplicate_free"] == "ok" and q not in seen: d += 1
        else: bad.append(f"{path}:{n}: duplicate")
        seen.add(q)
        o = [norm(v) for v in x["options"]]
        if x["type"] == "single_choice":
            good = len(o) >= 3 and len(set(o)) == len(o) and o.count(norm(x["answer"])) == 1
        elif x["type"] == "true_false":
            good = x["answer"] in ("True", "False") and x["options"] == ["True", "False"]
        else:
            good = o == []
        if c["distractors_distinct"] == "ok" and good: dd += 1
        else: bad.append(f"{path}:{n}: distractors: {c['distractors_distinct']}")
print(tot, g, d, dd, len(types), " ".join(f"{k}={v}" for k, v in sorted(types.items())))
for b in bad[:5]: print(b, file=sys.stderr)
PY
)
set -- $r
if [ "${1:-0}" -ge $((20 * ${#course[@]})) ] && [ "$1" = "$2" ] && [ "$1" = "$3" ] &&
	[ "$1" = "$4" ] && [ "${5:-0}" = 3 ]; then
	ok "quiz: $1 items; grounded $2/$1, duplicate-free $3/$1, distractors distinct $4/$1 (100 %); ${*:6}"
else
	bad "quiz counts: $r"
fi

# 2. deterministic
"$bin" gen quiz --items 40 "${course[@]}" >"$tmp/all2.jsonl" 2>/dev/null
if cmp -s "$tmp/all.jsonl" "$tmp/all2.jsonl"; then
	ok "quiz: the same input gives byte-identical output"
else
	bad "quiz output differs between two runs"
fi

# 3. objectives: every one with a Bloom level, grounded, tied to passages
"$bin" gen objectives "${course[@]}" >"$tmp/obj.jsonl" 2>"$tmp/obj.err"
r=$(python3 -c '
import json, sys
n = g = 0; levels = set()
for l in open(sys.argv[1]):
    x = json.loads(l); n += 1
    assert x["objective"] and x["source"] and x["passages"]
    levels.add(x["bloom_level"])
    g += x["checks"]["grounded"] == "ok"
print(n, g, len(levels))' "$tmp/obj.jsonl")
set -- $r
if [ "${1:-0}" -ge $((4 * ${#course[@]})) ] && [ "$1" = "$2" ] && [ "${3:-0}" -ge 3 ]; then
	ok "objectives: $1, all grounded, $3 Bloom levels"
else
	bad "objectives: $r $(head -2 "$tmp/obj.err")"
fi

# 4. lesson draft: headings, key terms, every paragraph cited
"$bin" gen lesson "${course[0]}" >"$tmp/lesson.md" 2>&1
if grep -q '^# ' "$tmp/lesson.md" && grep -q '^## Key terms' "$tmp/lesson.md" &&
	! awk 'BEGIN { RS = "" } !/^#/ && !/\[p[0-9]+\]/ { print; bad = 1 } END { exit !bad }' "$tmp/lesson.md"; then
	ok "lesson: Markdown with key terms, every paragraph cites a passage"
else
	bad "lesson draft: $(head -5 "$tmp/lesson.md")"
fi

# 5. tutor
out=$("$bin" gen ask --question "What is a foreign key?" "${course[@]}")
if printf '%s' "$out" | grep -q '"refused":false' && printf '%s' "$out" | grep -qi 'foreign key' &&
	printf '%s' "$out" | grep -q '\[p[0-9]*\]'; then
	ok "ask: a covered question is answered with a quoted, cited passage"
else
	bad "ask covered: $out"
fi
out=$("$bin" gen ask --question "Who won the football world cup in Brazil?" "${course[@]}")
if printf '%s' "$out" | grep -q '"refused":true'; then
	ok "ask: an uncovered question is refused"
else
	bad "ask uncovered: $out"
fi

# 6. bad input
: >"$tmp/empty.txt"
printf 'caf\xe9 au lait\n' >"$tmp/latin1.txt"
printf '%%PDF-1.4\n1 0 obj garbage\n' >"$tmp/corrupt.pdf"
expect() {	# expect NAME STATUS PATTERN -- command...
	local name=$1 want=$2 pat=$3; shift 4
	"$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?
	if [ "$rc" = "$want" ] && grep -q -- "$pat" "$tmp/err"; then
		ok "$name: exit $rc, \"$(head -1 "$tmp/err" | cut -c1-100)\""
	else
		bad "$name: exit $rc (want $want), stderr: $(head -2 "$tmp/err")"
	fi
}
expect "empty file" 1 "empty" -- "$bin" gen quiz --items 3 "$tmp/empty.txt"
expect "non-UTF-8" 1 "not UTF-8: byte 0xe9 at offset 3" -- "$bin" gen quiz --items 3 "$tmp/latin1.txt"
expect "corrupt PDF" 1 "pdf_corrupt" -- "$bin" gen quiz --items 3 "$tmp/corrupt.pdf"
if cc -o "$tmp/mkpdf" tests/cli/mkpdf.c -lhpdf 2>"$tmp/cc.err"; then
	"$tmp/mkpdf" "$tmp/locked.pdf" "A primary key is a column." user-pw
	"$tmp/mkpdf" "$tmp/plain.pdf" "A primary key is a column that identifies each row."
	expect "password-protected PDF" 1 "password-protected" -- "$bin" gen quiz --items 3 "$tmp/locked.pdf"
	out=$("$bin" gen ask --question "What is a primary key?" "$tmp/plain.pdf")
	if printf '%s' "$out" | grep -q 'identifies each row'; then
		ok "a readable PDF is read through pdftotext"
	else
		bad "plain PDF: $out"
	fi
else
	bad "cannot build tests/cli/mkpdf.c: $(head -1 "$tmp/cc.err")"
fi
expect "a bad file among good ones" 1 "latin1.txt: not_utf8" -- "$bin" gen quiz --items 3 "${course[0]}" "$tmp/latin1.txt"
expect "usage: quiz without --items" 2 "needs --items" -- "$bin" gen quiz "${course[0]}"
expect "usage: bad --items" 2 "a number from 1" -- "$bin" gen quiz --items 0 "${course[0]}"
expect "usage: unknown backend" 2 "offline or llm, not" -- "$bin" gen quiz --items 3 --backend gpt "${course[0]}"
expect "usage: no files" 2 "no material files" -- "$bin" gen objectives
head -c $((20 * 1024 * 1024 + 1)) /dev/zero | tr '\0' a >"$tmp/big.txt"
expect "over 20 MB" 1 "over the limit" -- "$bin" gen quiz --items 3 "$tmp/big.txt"
# 20 MB on one line: words, no paragraph break, no full stop
yes 'the buffer pool keeps recently used pages in memory' | tr '\n' ' ' |
	head -c $((20 * 1024 * 1024)) >"$tmp/line.txt"
start=$(date +%s.%N)
"$bin" gen quiz --items 5 "$tmp/line.txt" >"$tmp/line.out" 2>"$tmp/line.err"; rc=$?
secs=$(echo "$(date +%s.%N) - $start" | bc)
if [ $rc = 0 ] && [ "$(echo "$secs < 60" | bc)" = 1 ]; then
	ok "20 MB one-line text: exit 0 in ${secs%??????} s, $(wc -l <"$tmp/line.out") item(s); $(head -1 "$tmp/line.err" | cut -c1-90)"
else
	bad "20 MB one-line text: exit $rc after $secs s: $(head -2 "$tmp/line.err")"
fi

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
