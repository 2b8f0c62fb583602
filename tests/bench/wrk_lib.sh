# Shared by the web benchmarks (sourced, not run): reading wrk's output and
# driving a list of pages under wrk.
#
# wrk_pages: for each names[i] / paths[i] (arrays set by the caller), a 2 s
# unrecorded warm-up then wrk -t$WT -c$WC -d$DUR --latency with the header
# "Cookie: $COOKIE", then the same over one connection; prints one table row
# per page (requests/s, p50, p99, the ratio to the first page's rate, the
# request count and non-2xx/3xx count) and the one-connection table.
# Appends failing page names to the caller's failed array.  Needs $OUT, $URL,
# $WT, $WC, $DUR, $COOKIE.  Optional: scripts[i], a wrk Lua script that
# picks each request's path (a mix of URLs) for page i.
#
# wrk_stack_start NAME: checks wrk is there, starts a fresh throwaway stack
# under $VAR on $PORT / $PGPORT (its log: build/NAME-stack.log) and stops it,
# removing $OUT, when the script exits.
# wrk_sign_in EMAIL PASSWORD: signs in through the form at $URL/login and
# prints the Cookie header value the session needs (status 1 on failure).
# wrk_how: prints how wrk_pages measures (wrk version, flags, the stack, the
# load average).
# tree_ticks PID...: the CPU time (user + system, clock ticks, from /proc)
# of these processes and their children.

to_ms() {	# 1.23ms / 456.78us / 1.02s -> milliseconds
	awk -v v="$1" 'BEGIN {
		n = v + 0
		if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) ; else if (v ~ /m$/) n *= 60000;
		else if (v ~ /s$/) n *= 1000
		printf "%.3f", n }'
}

field() {	# field FILE rps|p50|p99|requests|bad
	case $2 in
	rps) awk '/^Requests\/sec:/ { print $2 }' "$1" ;;
	p50) to_ms "$(awk '$1 == "50%" { print $2; exit }' "$1")" ;;
	p99) to_ms "$(awk '$1 == "99%" { print $2; exit }' "$1")" ;;
	requests) awk '/requests in/ { print $1; exit }' "$1" ;;
	bad) awk '/Non-2xx or 3xx responses:/ { print $NF; exit }' "$1" | grep . || echo 0 ;;
	esac
}

# wrk_run INDEX ARGS...: wrk with the cookie, page INDEX's script if it has
# one, and its URL.
wrk_run() {
	local i=$1 s
	shift
	s=${scripts[$i]:-}
	wrk "$@" -H "Cookie: $COOKIE" ${s:+-s "$s"} "$URL${paths[$i]}"
}

wrk_pages() {	# wrk_pages PATHWIDTH
	local w=${1:-40} i f rps bad base
	printf "%-13s %-${w}s %10s %9s %9s %9s %s\n" page path requests/s p50_ms p99_ms vs_static "requests (non-2xx/3xx)"
	for i in "${!paths[@]}"; do
		wrk_run "$i" -t"$WT" -c"$WC" -d2s >/dev/null 2>&1
		wrk_run "$i" -t"$WT" -c"$WC" -d"$DUR" --latency >"$OUT/${names[$i]}.out" 2>&1
	done
	for i in "${!paths[@]}"; do
		wrk_run "$i" -t1 -c1 -d"$DUR" --latency >"$OUT/${names[$i]}.c1" 2>&1
	done
	base=$(field "$OUT/${names[0]}.out" rps)
	for i in "${!paths[@]}"; do
		f=$OUT/${names[$i]}.out
		rps=$(field "$f" rps)
		if [ -z "$rps" ]; then
			echo "${names[$i]}: wrk printed no figures"; sed 's/^/  /' "$f"; failed+=("${names[$i]}"); continue
		fi
		bad=$(field "$f" bad)
		awk -v n="${names[$i]}" -v p="${paths[$i]}" -v r="$rps" -v s="$base" -v p50="$(field "$f" p50)" \
			-v p99="$(field "$f" p99)" -v req="$(field "$f" requests)" -v bad="$bad" -v w="$w" 'BEGIN {
			printf "%-13s %-" w "s %10.0f %9.3f %9.3f %8.3fx %s (%s)\n", n, p, r, p50, p99, (s > 0 ? r / s : 0), req, bad }'
		[ "$bad" != 0 ] && failed+=("${names[$i]}")
	done
	echo
	echo "the same URLs over one connection (wrk -t1 -c1 -d$DUR): service time without queueing"
	printf '%-13s %10s %9s %9s\n' page requests/s p50_ms p99_ms
	for i in "${!paths[@]}"; do
		f=$OUT/${names[$i]}.c1
		printf '%-13s %10.0f %9.3f %9.3f\n' "${names[$i]}" "$(field "$f" rps)" "$(field "$f" p50)" "$(field "$f" p99)"
	done
}

wrk_sign_in() {
	local jar csrf code
	jar=$(mktemp)
	csrf=$(curl -fsS -c "$jar" -b "$jar" "$URL/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
	code=$(curl -sS -c "$jar" -b "$jar" -o /dev/null -w '%{http_code}' --data-urlencode "csrf=$csrf" \
		--data-urlencode "email=$1" --data-urlencode "password=$2" "$URL/login")
	if [ "$code" != 303 ]; then
		echo "POST /login answered $code" >&2
		rm -f "$jar"
		return 1
	fi
	curl -sS -v -b "$jar" -o /dev/null "$URL/" 2>&1 | sed -n 's/^> Cookie: //p' | tr -d '\r'
	rm -f "$jar"
}

wrk_how() {
	echo "how measured: $(wrk --version 2>&1 | head -1 | sed 's/ Copyright.*//'); wrk -t$WT -c$WC -d$DUR --latency,"
	echo "  one URL after another, each after a 2 s unrecorded warm-up; nginx -> FastCGI ->"
	echo "  ADEPT_WORKERS=$ADEPT_WORKERS x ADEPT_THREADS=$ADEPT_THREADS -> PostgreSQL, all on this machine's"
	echo "  $(nproc) cores with wrk; load average $(cut -d' ' -f1-3 /proc/loadavg)."
}

wrk_stack() { ADEPT_VAR=$VAR PORT=$PORT ADEPT_PGPORT=$PGPORT src/ops/stack.sh "$@"; }

wrk_stack_start() {
	command -v wrk >/dev/null || { echo "$1: wrk not found (make deps installs it)"; exit 1; }
	trap '[ -d "$VAR" ] && wrk_stack stop >/dev/null 2>&1; rm -rf "$OUT"' EXIT
	trap 'exit 130' INT TERM
	wrk_stack destroy >/dev/null 2>&1
	if ! wrk_stack start >"build/$1-stack.log" 2>&1; then
		cat "build/$1-stack.log"
		exit 1
	fi
}

tree_ticks() {	# tree_ticks PID...: CPU ticks of these processes and their children
	local t=0 p a
	for p in "$@" $(pgrep -d' ' -P "$(echo "$@" | tr ' ' ',')"); do
		read -r a <"/proc/$p/stat" 2>/dev/null || continue
		set -- ${a#*) }
		t=$((t + ${12} + ${13}))
	done
	echo "$t"
}
