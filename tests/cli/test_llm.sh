#!/usr/bin/env bash
# adept gen through a language model, against a local fake server that
# speaks the OpenAI chat-completions protocol (tests/cli/fake_openai.mjs).
# Said plainly: this checks the PROTOCOL AND THE FALL-BACKS, NOT MODEL
# QUALITY -- the fake writes its items mechanically from the passages in
# the prompt.  Checked: the request (POST /v1/chat/completions, Bearer key,
# model, response_format json_object, the retrieved passages of the chapter
# in the prompt); good JSON gives items from the model (backend "llm") that
# pass the same quality checks as offline ones; invalid JSON, JSON of the
# wrong shape, a reply that is not a chat completion, ungrounded items, an
# HTTP 500, a 401 and an endpoint that hangs each fall back to the offline
# generator with "backend":"offline", a fallback_reason naming the status
# and a line on stderr, exit status 0; the hang ends within the configured
# time-out; a 5xx is retried (and answers on the retry), a 401 is not; the
# key never appears in the output; the circuit breaker opens after N
# failures and later calls do not reach the server; the tutor answers
# through the model and falls back; --backend offline forces offline.
# Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
bin=${ADEPT_BIN:-build/adept}
chapter=tests/data/course/02_sql.md
course=(tests/data/course/*.md)
tmp=$(mktemp -d)
pass=0; fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }
srv=
cleanup() { [ -n "$srv" ] && kill "$srv" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

if [ ! -x "$bin" ] || ! command -v node >/dev/null ||
	! command -v python3 >/dev/null || ! command -v curl >/dev/null; then
	echo "missing $bin, node, python3 or curl"; echo "0 passed, 1 failed"; exit 1
fi

node tests/cli/fake_openai.mjs >"$tmp/port" 2>"$tmp/srv.err" &
srv=$!
for _ in $(seq 50); do grep -q '^PORT' "$tmp/port" && break; sleep 0.1; done
port=$(sed -n 's/^PORT //p' "$tmp/port")
if [ -z "$port" ]; then
	cat "$tmp/srv.err"; echo "0 passed, 1 failed"; exit 1
fi
base=http://127.0.0.1:$port
key=sk-test-0123456789abcdef
export ADEPT_LLM_URL=$base ADEPT_LLM_MODEL=fake-7b ADEPT_LLM_KEY=$key
export ADEPT_LLM_TIMEOUT_S=1 ADEPT_LLM_CONNECT_TIMEOUT_S=1
export ADEPT_LLM_RETRIES=1 ADEPT_LLM_BACKOFF_MS=50
export ADEPT_LLM_BREAKER_FAILURES=3 ADEPT_LLM_BREAKER_COOLDOWN_S=60

mode() { curl -sf "$base/_mode?m=$1" >/dev/null; }
stat() { curl -sf "$base/_stats" | python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }

# run MODE NAME [adept args...]: output in $tmp/NAME.{out,err,rc,ms}
run() {
	local m=$1 n=$2; shift 2
	mode "$m"
	local t0 t1
	t0=$(date +%s%N)
	"$bin" "$@" >"$tmp/$n.out" 2>"$tmp/$n.err"
	echo $? >"$tmp/$n.rc"
	t1=$(date +%s%N)
	echo $(((t1 - t0) / 1000000)) >"$tmp/$n.ms"
	stat count >"$tmp/$n.count"
}

# lines FILE BACKEND [REASON-PREFIX]: every JSON line has that backend
# (and a fallback_reason starting with the prefix); prints the count.
lines() {
	python3 - "$@" <<'PY'
import json, sys
path, backend = sys.argv[1], sys.argv[2]
prefix = sys.argv[3] if len(sys.argv) > 3 else None
n = 0
for line in open(path, encoding="utf-8"):
    x = json.loads(line)
    assert x["backend"] == backend, (x["backend"], backend)
    if prefix is None:
        assert "fallback_reason" not in x, x.get("fallback_reason")
    else:
        assert x["fallback_reason"].startswith(prefix), x["fallback_reason"]
    n += 1
print(n)
PY
}

# 1. good JSON: items from the model, the request as the protocol wants
run good good gen quiz --items 5 "$chapter"
r=$(python3 - "$tmp/good.out" <<'PY'
import json, sys
items = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert len(items) == 5, len(items)
for x in items:
    assert x["backend"] == "llm" and "fallback_reason" not in x
    assert x["ok"] is True, x["checks"]
    assert x["file"].endswith("02_sql.md")
    assert x["source_id"].startswith("p")
    assert x["answer"] in x["options"] or x["type"] == "cloze"
print(len(items), sorted({x["type"] for x in items}))
PY
)
if [ $? -eq 0 ] && [ "$(cat "$tmp/good.rc")" = 0 ] && [ "$(cat "$tmp/good.count")" = 1 ]; then
	ok "good JSON: $r from the model (backend llm), each passing every quality check, one request"
else
	bad "good JSON: $r rc $(cat "$tmp/good.rc") requests $(cat "$tmp/good.count")"; cat "$tmp/good.err"
fi
mode good
"$bin" gen quiz --items 2 "$chapter" >/dev/null 2>&1
if [ "$(stat auth)" = "Bearer $key" ] && [ "$(stat model)" = fake-7b ] &&
	[ "$(stat response_format)" = "{'type': 'json_object'}" ] &&
	[ "$(stat task)" = quiz ]; then
	ok "request: Bearer key, model, response_format json_object"
else
	bad "request: auth $(stat auth) model $(stat model) rf $(stat response_format)"
fi
# the prompt's passages are the chapter's own (with the whole course given,
# objectives ask per file: the 2nd file's prompt holds only its passages)
ids=$(stat passages)
curl -sf "$base/_stats" >"$tmp/stats.json"
r=$(python3 - "$tmp/stats.json" "$chapter" <<'PY'
import json, re, sys
st = json.load(open(sys.argv[1]))
text = " ".join(open(sys.argv[2], encoding="utf-8").read().split())
ps = st["texts"]
assert 1 <= len(ps) <= 8, len(ps)
for p in ps:
    assert " ".join(p.split())[:60] in text, p[:60]
print(len(ps))
PY
)
[ $? -eq 0 ] && ok "prompt: $r passages ($ids), each a passage of the chapter" ||
	bad "prompt passages: $ids $r"

# 2. a Markdown code fence around the JSON is tolerated
run fenced fenced gen quiz --items 5 "$chapter"
n=$(lines "$tmp/fenced.out" llm 2>/dev/null) && [ "$n" = 5 ] &&
	ok "JSON in a code fence: $n items from the model" ||
	bad "fenced: $(head -c 300 "$tmp/fenced.out")"

# 3. failures: each falls back to offline with its status, exit 0
check_fallback() {	# NAME PREFIX REQUESTS WHAT
	local n=$1 prefix=$2 want=$3 what=$4 c
	c=$(lines "$tmp/$n.out" offline "$prefix" 2>"$tmp/$n.py")
	if [ $? -eq 0 ] && [ "$c" -ge 1 ] && [ "$(cat "$tmp/$n.rc")" = 0 ] &&
		grep -q "the language model was not used ($prefix" "$tmp/$n.err" &&
		[ "$(cat "$tmp/$n.count")" = "$want" ]; then
		ok "$what: offline fall-back, \"$(sed -n 's/.*not used (\(.*\)); the offline.*/\1/p' "$tmp/$n.err" | head -1 | cut -c1-110)\", $want request(s)"
	else
		bad "$what: rc $(cat "$tmp/$n.rc"), requests $(cat "$tmp/$n.count"), $(cat "$tmp/$n.py" "$tmp/$n.err" | tail -3)"
	fi
}
run invalid invalid gen quiz --items 5 "$chapter"
check_fallback invalid "invalid_json: the model's answer is not JSON" 1 "invalid JSON content"
run envelope envelope gen quiz --items 5 "$chapter"
check_fallback envelope "invalid_json: the endpoint's reply is not JSON" 1 "reply not a chat completion"
run schema schema gen quiz --items 5 "$chapter"
check_fallback schema "schema_mismatch: item 1: type \"essay\"" 1 "schema-wrong JSON"
run ungrounded ungrounded gen quiz --items 5 "$chapter"
check_fallback ungrounded "quality checks: none of the model's 1 items passed (item 1 fails grounded" 1 "ungrounded items"
run 500 http500 gen quiz --items 5 "$chapter"
check_fallback http500 "http_status: HTTP 500" 2 "HTTP 500 (retried once)"
run 401 http401 gen quiz --items 5 "$chapter"
check_fallback http401 "http_status: HTTP 401" 1 "HTTP 401 (not retried)"
if grep -q -- "$key" "$tmp/http401.out" "$tmp/http401.err"; then
	bad "the key reached the output"
else
	ok "the key the server echoed back is redacted from the message"
fi

# 4. retry: a 503, then an answer on the retry
run 500once retry gen quiz --items 5 "$chapter"
n=$(lines "$tmp/retry.out" llm 2>/dev/null)
[ $? -eq 0 ] && [ "$n" = 5 ] && [ "$(cat "$tmp/retry.count")" = 2 ] &&
	ok "503 then success: retried, 2 requests, $n items from the model" ||
	bad "retry: requests $(cat "$tmp/retry.count"), $(tail -2 "$tmp/retry.err")"

# 5. hang: time-out (1 s per attempt, 2 attempts, 50 ms back-off)
ADEPT_LLM_RETRIES=0 run hang hang gen quiz --items 5 "$chapter"
ms=$(cat "$tmp/hang.ms")
check_fallback hang "timeout: no answer within 1.0 s" 1 "endpoint that hangs"
[ "$ms" -ge 900 ] && [ "$ms" -lt 2500 ] &&
	ok "hang: gave up after $ms ms (ADEPT_LLM_TIMEOUT_S=1, no retry)" ||
	bad "hang: took $ms ms"
run hang hang2 gen quiz --items 5 "$chapter"
ms=$(cat "$tmp/hang2.ms")
[ "$ms" -ge 1900 ] && [ "$ms" -lt 3500 ] && [ "$(cat "$tmp/hang2.count")" = 2 ] &&
	ok "hang with one retry: 2 requests, $ms ms (within 2 x 1 s + back-off)" ||
	bad "hang2: $ms ms, $(cat "$tmp/hang2.count") requests"

# 6. circuit breaker: objectives call the model once per file (module);
# after 2 failures the other files do not reach the server
ADEPT_LLM_BREAKER_FAILURES=2 ADEPT_LLM_RETRIES=0 run 500 breaker gen objectives "${course[@]}"
open=$(grep -c "not used (circuit_open" "$tmp/breaker.err")
http=$(grep -c "not used (http_status" "$tmp/breaker.err")
reasons=$(python3 -c "
import json, sys
print(' '.join(sorted({json.loads(l)['fallback_reason'].split(':')[0] for l in open('$tmp/breaker.out')})))")
if [ "$(cat "$tmp/breaker.count")" = 2 ] && [ "$http" = 2 ] &&
	[ "$open" = $((${#course[@]} - 2)) ] && [ "$reasons" = "circuit_open http_status" ] &&
	[ "$(cat "$tmp/breaker.rc")" = 0 ]; then
	ok "breaker: 2 failures, then $open files skipped without a request (circuit_open), all answered offline"
else
	bad "breaker: requests $(cat "$tmp/breaker.count"), http $http, open $open, reasons $reasons"
fi
run good objs gen objectives "${course[@]}"
n=$(lines "$tmp/objs.out" llm 2>/dev/null)
[ $? -eq 0 ] && [ "$(cat "$tmp/objs.count")" = ${#course[@]} ] && ! grep -q '"ok":false' "$tmp/objs.out" &&
	ok "objectives: $n from the model, one request per file, all passing the checks" ||
	bad "objectives: $(tail -2 "$tmp/objs.err")"

# 7. lesson through the model, and its fall-back
run good lesson gen lesson "$chapter"
grep -q '\[p[0-9]*\]' "$tmp/lesson.out" &&
	[ "$(cat "$tmp/lesson.count")" = 1 ] && ! grep -q "not used" "$tmp/lesson.err" &&
	ok "lesson: Markdown from the model citing [pN]" || bad "lesson: $(head -3 "$tmp/lesson.out")"
run invalid lesson2 gen lesson "$chapter"
grep -q "not used (invalid_json" "$tmp/lesson2.err" && [ -s "$tmp/lesson2.out" ] &&
	ok "lesson fall-back: the offline draft, the reason on stderr" || bad "lesson fall-back"

# 8. the tutor: through the model, a refusal without a request, fall-back
run good ask gen ask --question "What is a primary key?" "${course[@]}"
r=$(python3 -c "
import json
x = json.load(open('$tmp/ask.out'))
assert x['backend'] == 'llm' and not x['refused'] and x['citations'], x
assert all(c['source_id'] in x['answer'] for c in x['citations'])
print(x['citations'][0]['source_id'])" 2>&1)
[ $? -eq 0 ] && ok "ask: answered by the model, citing $r" || bad "ask: $r"
run good ask2 gen ask --question "What is the capital of France?" "${course[@]}"
grep -q '"refused":true' "$tmp/ask2.out" && [ "$(cat "$tmp/ask2.count")" = 0 ] &&
	ok "ask: an uncovered question is refused before any request" || bad "ask refusal"
ADEPT_LLM_RETRIES=0 run hang ask3 gen ask --question "What is a primary key?" "${course[@]}"
r=$(python3 -c "
import json
x = json.load(open('$tmp/ask3.out'))
assert x['backend'] == 'offline' and x['fallback_reason'].startswith('timeout'), x
assert x['citations'] and x['answer']
print('ok')" 2>&1)
[ "$r" = ok ] && ok "ask: the model hangs, the offline tutor answers and says why" || bad "ask fall-back: $r"

# 9. --backend offline forces offline; no URL means offline without a reason
run good forced gen quiz --backend offline --items 5 "$chapter"
n=$(lines "$tmp/forced.out" offline 2>/dev/null)
[ $? -eq 0 ] && [ "$(cat "$tmp/forced.count")" = 0 ] &&
	ok "--backend offline: $n offline items, no request" || bad "--backend offline"
mode good
env -u ADEPT_LLM_URL "$bin" gen quiz --items 5 "$chapter" >"$tmp/nourl.out" 2>/dev/null
n=$(lines "$tmp/nourl.out" offline 2>/dev/null)
[ "$n" = 5 ] && ok "no ADEPT_LLM_URL: offline by default, no fallback_reason" || bad "default offline: $n"
env -u ADEPT_LLM_URL "$bin" gen quiz --backend llm --items 5 "$chapter" >"$tmp/nourl2.out" 2>/dev/null
n=$(lines "$tmp/nourl2.out" offline "disabled" 2>/dev/null)
[ "$n" = 5 ] && ok "--backend llm without ADEPT_LLM_URL: offline, reason \"disabled\"" || bad "llm disabled: $n"

# 10. nothing listening: a connection error, retried, then offline
kill "$srv" 2>/dev/null; wait "$srv" 2>/dev/null; srv=
"$bin" gen quiz --items 3 "$chapter" >"$tmp/down.out" 2>"$tmp/down.err"
n=$(lines "$tmp/down.out" offline "connect" 2>/dev/null)
[ $? -eq 0 ] && grep -q "after 2 attempts" "$tmp/down.err" &&
	ok "endpoint down: connect error after 2 attempts, $n offline items" ||
	bad "endpoint down: $(tail -1 "$tmp/down.err")"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
