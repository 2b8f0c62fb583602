#!/usr/bin/env bash
# Runs the whole stack from the checkout: a private PostgreSQL cluster under
# var/ (socket only, no TCP), migrations, the demo site (seeded once), the
# FastCGI supervisor and nginx on 127.0.0.1:$PORT.
#
#   stack.sh start   start everything in the background; returns once the
#                    site answers
#   stack.sh stop    stop everything
#   stack.sh run     start, then stay in the foreground until Ctrl-C
#   stack.sh destroy stop and delete the runtime state (tests)
#
# Environment: PORT (default 8080), ADEPT_ROOT (default: the checkout),
# ADEPT_VAR (runtime state, default $ADEPT_ROOT/var),
# ADEPT_PGPORT (default 5433; names the socket only), ADEPT_WORKERS,
# ADEPT_METRICS_ADDR (default 127.0.0.1:PORT+1384, so 9464 for `make run`),
# ADEPT_PG_SHARED_BUFFERS (see pg_settings),
# ADEPT_STORAGE_URL (an s3:// URL adds nginx/adept-s3.conf), and the rest
# of src/base/config.h.  As root, PostgreSQL runs as the postgres user (it
# refuses to run as root), and the FastCGI workers drop to ADEPT_USER
# (default adept, a system user created here when missing; see
# src/base/sandbox.h).
set -euo pipefail

ROOT=${ADEPT_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
export ADEPT_ROOT=$ROOT
PORT=${PORT:-8080}
export ADEPT_PGPORT=${ADEPT_PGPORT:-5433}
VAR=${ADEPT_VAR:-$ROOT/var}
export ADEPT_VAR=$VAR
RUN=$VAR/run
PGDATA=$VAR/pgdata
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
# /metrics listens beside the site, never through nginx.
export ADEPT_METRICS_ADDR=${ADEPT_METRICS_ADDR:-127.0.0.1:$((PORT + 1384))}

say() { printf 'adept: %s\n' "$*"; }
die() { printf 'adept: %s\n' "$*" >&2; exit 1; }

as_pg() {	# runs a PostgreSQL binary as the cluster's owner
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

pid_alive() { [ -f "$1" ] && kill -0 "$(head -1 "$1")" 2>/dev/null; }

# PostgreSQL is given real paths: it may not traverse var/ (see prepare_dirs).
pgdata() { readlink -f "$PGDATA"; }
pg_running() { as_pg "$PGBIN/pg_ctl" -D "$(pgdata)" status >/dev/null 2>&1; }

PGLOG=$VAR/log/postgres.log

prepare_dirs() {
	mkdir -p "$VAR/log" "$VAR/nginx" "$VAR/uploads"
	if [ "$(id -u)" -ne 0 ]; then
		mkdir -p "$RUN"
		return
	fi
	# As root, PostgreSQL runs as postgres, which must reach its data,
	# socket and log directories.  A checkout under a private directory
	# (/root, a mode-0700 temporary folder) is out of its reach: then
	# those live under /var/tmp and var/ holds symbolic links to them.
	chmod 0755 "$VAR"
	if [ ! -e "$RUN" ] && ! runuser -u postgres -- test -x "$VAR"; then
		local alt
		alt=/var/tmp/adept-$(printf '%s' "$VAR" | sha1sum | cut -c1-12)
		mkdir -p "$alt/run" "$alt/pgdata" "$alt/log"
		chmod 0755 "$alt" "$alt/run"
		chown postgres "$alt/pgdata" "$alt/log"
		ln -sfn "$alt/run" "$RUN"
		ln -sfn "$alt/pgdata" "$PGDATA"
		ln -sfn "$alt/log/postgres.log" "$PGLOG"
		say "PostgreSQL cannot reach $VAR; its files are in $alt"
	fi
	mkdir -p "$RUN"
	chown postgres "$RUN"
	chmod 0755 "$RUN"
	[ -e "$PGLOG" ] || touch "$PGLOG"
	chown postgres "$(readlink -f "$PGLOG")"
	worker_user
}

# As root, the FastCGI workers drop to ADEPT_USER (the supervisor does the
# dropping and gives it the uploads and certificates directories).  The
# user is created here when missing, as a system user without a home or a
# shell.  A checkout it cannot enter (under /root) keeps root workers, said
# here: a development set-up only.
worker_user() {
	export ADEPT_USER=${ADEPT_USER:-adept}
	[ "$ADEPT_USER" = root ] && return
	if ! id -u "$ADEPT_USER" >/dev/null 2>&1; then
		useradd --system --user-group --no-create-home \
			--home-dir /nonexistent --shell /usr/sbin/nologin "$ADEPT_USER" ||
			die "cannot create the worker user $ADEPT_USER (set ADEPT_USER)"
		say "created the system user $ADEPT_USER for the FastCGI workers"
	fi
	if ! runuser -u "$ADEPT_USER" -- test -x "$VAR"; then
		say "the worker user $ADEPT_USER cannot reach $VAR; the FastCGI workers keep root (development only)"
		export ADEPT_USER=root
	fi
}

# The server settings this application wants (README, "PostgreSQL
# settings"); the same lines belong in postgresql.conf of a deployment.
#  - fsync and synchronous_commit stay on: an acknowledged write (an answer,
#    an enrolment) must survive a crash or a power cut.
#  - jit off: every statement here is a short OLTP query; JIT compiling one
#    whose estimated cost crosses jit_above_cost (a catalogue search over
#    200,000 lessons can) spends tens of milliseconds to save microseconds.
#  - shared_buffers: PostgreSQL's default 128 MB is sized for a laptop; an
#    eighth of the machine's memory (the rest is shared by the page cache,
#    nginx and the workers on the same VPS), between 128 MB and 1 GB, unless
#    ADEPT_PG_SHARED_BUFFERS (e.g. 2GB) says otherwise.
pg_settings() {
	local mb
	mb=$(awk '/^MemTotal:/ { m = int($2 / 1024 / 8); if (m < 128) m = 128;
		if (m > 1024) m = 1024; print m }' /proc/meminfo 2>/dev/null)
	printf '%s' "-c fsync=on -c synchronous_commit=on -c jit=off"
	printf ' %s' "-c shared_buffers=${ADEPT_PG_SHARED_BUFFERS:-${mb:-128}MB}"
}

pg_start() {
	[ -n "$PGBIN" ] || die "PostgreSQL server binaries not found (run make deps)"
	if [ ! -f "$PGDATA/PG_VERSION" ]; then
		say "creating the PostgreSQL cluster in $PGDATA"
		mkdir -p "$PGDATA"
		[ "$(id -u)" -eq 0 ] && chown postgres "$PGDATA"
		chmod 0700 "$PGDATA"
		as_pg "$PGBIN/initdb" -D "$(pgdata)" -U postgres -A trust \
			-E UTF8 --locale=C.UTF-8 >"$VAR/log/initdb.log" 2>&1 ||
			die "initdb failed: see $VAR/log/initdb.log"
	fi
	if ! pg_running; then
		as_pg "$PGBIN/pg_ctl" -D "$(pgdata)" -w -t 60 \
			-l "$(readlink -f "$PGLOG")" \
			-o "-k $(readlink -f "$RUN") -p $ADEPT_PGPORT -c listen_addresses='' $(pg_settings)" \
			start >/dev/null ||
			die "PostgreSQL did not start: see $PGLOG"
	fi
	local psql=("$PGBIN/psql" -h "$RUN" -p "$ADEPT_PGPORT" -U postgres -qAt)
	if [ "$("${psql[@]}" -d postgres -c "SELECT 1 FROM pg_roles WHERE rolname='adept'")" != 1 ]; then
		"${psql[@]}" -d postgres -c "CREATE ROLE adept LOGIN" >/dev/null
	fi
	if [ "$("${psql[@]}" -d postgres -c "SELECT 1 FROM pg_database WHERE datname='adept'")" != 1 ]; then
		"${psql[@]}" -d postgres -c "CREATE DATABASE adept OWNER adept" >/dev/null
	fi
}

pg_stop() {
	if [ -f "$PGDATA/PG_VERSION" ] && pg_running; then
		as_pg "$PGBIN/pg_ctl" -D "$(pgdata)" -m fast -w stop >/dev/null || true
	fi
}

nginx_conf() {
	local user=""
	if [ "$(id -u)" -eq 0 ]; then
		# nginx's workers drop to nobody when nobody can read static/
		# and var/;
		# in a private checkout they stay root (a development server).
		if runuser -u nobody -- test -r "$ROOT/static/css/site.css" &&
			runuser -u nobody -- test -x "$VAR/uploads"; then
			user="user nobody nogroup;"
		else
			user="user root root;"
		fi
	fi
	sed -e "s|@VAR@|$VAR|g" -e "s|@ROOT@|$ROOT|g" -e "s|@PORT@|$PORT|g" \
		-e "s|@USER@|$user|g" \
		"$ROOT/nginx/adept-dev.conf.in" >"$VAR/nginx.conf"
	sed -e "s|@VAR@|$VAR|g" -e "s|@ROOT@|$ROOT|g" "$ROOT/nginx/adept-common.conf" \
		>"$VAR/nginx-common.conf"
	# Uploads in an S3-compatible store: the internal location nginx
	# fetches presigned objects through (nginx/adept-s3.conf).
	case "${ADEPT_STORAGE_URL:-}" in
	s3://*)
		sed -e "s|@S3_ENDPOINT@|$(s3_endpoint "$ADEPT_STORAGE_URL")|g" \
			"$ROOT/nginx/adept-s3.conf" >"$VAR/nginx-s3.conf" ;;
	*)	echo "# uploads are in $VAR/uploads (ADEPT_STORAGE_URL unset)" \
			>"$VAR/nginx-s3.conf" ;;
	esac
	nginx -t -q -c "$VAR/nginx.conf" -g 'daemon on;' 2>"$VAR/log/nginx-test.log" ||
		die "nginx configuration invalid: $(cat "$VAR/log/nginx-test.log")"
}

# The endpoint of an s3:// storage URL, as src/out/s3.c reads it: the
# endpoint= parameter, else AWS's endpoint for region= (us-east-1).
s3_endpoint() {
	local q ep region
	case "$1" in *\?*) q=${1#*\?} ;; *) q= ;; esac
	ep=$(printf '%s' "$q" | tr '&' '\n' | sed -n 's/^endpoint=//p' | head -1)
	region=$(printf '%s' "$q" | tr '&' '\n' | sed -n 's/^region=//p' | head -1)
	ep=${ep:-https://s3.${region:-us-east-1}.amazonaws.com}
	printf '%s' "${ep%/}"
}

wait_http() {
	local i
	for i in $(seq 1 100); do
		if curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" 2>/dev/null; then
			return 0
		fi
		sleep 0.1
	done
	die "the site did not answer on http://127.0.0.1:$PORT/healthz (see $VAR/log/)"
}

start() {
	if pid_alive "$RUN/adept.pid" || pid_alive "$RUN/nginx.pid"; then
		say "already running on http://127.0.0.1:$(cat "$RUN/port" 2>/dev/null || echo "$PORT")/ (make stop first)"
		exit 0
	fi
	if command -v ss >/dev/null && ss -ltn "sport = :$PORT" | grep -q LISTEN; then
		die "port $PORT is taken by another program; set PORT=... to use another"
	fi
	prepare_dirs
	pg_start
	"$ROOT/build/adept" migrate
	"$ROOT/build/adept" seed
	echo "$PORT" >"$RUN/port"
	echo "$ADEPT_METRICS_ADDR" >"$RUN/metrics_addr"
	"$ROOT/cgi-bin/adept.fcgi" >>"$VAR/log/adept.log" 2>&1 &
	echo $! >"$RUN/adept.pid"
	for _ in $(seq 1 50); do
		[ -S "$RUN/adept.sock" ] && break
		pid_alive "$RUN/adept.pid" || die "the FastCGI supervisor exited: $(tail -3 "$VAR/log/adept.log")"
		sleep 0.1
	done
	# The background worker (src/jobs/): stops on SIGTERM after its job.
	"$ROOT/build/adept" worker >>"$VAR/log/worker.log" 2>&1 &
	echo $! >"$RUN/worker.pid"
	nginx_conf
	nginx -c "$VAR/nginx.conf" -g 'daemon on;' ||
		die "nginx did not start: see $VAR/log/nginx-error.log"
	wait_http
	say "running on http://127.0.0.1:$PORT/ (logs in $VAR/log/)"
}

stop() {
	local any=0
	if pid_alive "$RUN/nginx.pid"; then
		nginx -c "$VAR/nginx.conf" -g 'daemon on;' -s quit 2>/dev/null || true
		any=1
	fi
	if pid_alive "$RUN/adept.pid"; then
		local pid
		pid=$(cat "$RUN/adept.pid")
		kill -TERM "$pid" 2>/dev/null || true
		for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$pid" 2>/dev/null || true
		any=1
	fi
	if pid_alive "$RUN/worker.pid"; then
		local wpid
		wpid=$(cat "$RUN/worker.pid")
		kill -TERM "$wpid" 2>/dev/null || true
		# It finishes the job in hand; a job cut short runs again.
		for _ in $(seq 1 100); do kill -0 "$wpid" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$wpid" 2>/dev/null || true
		any=1
	fi
	rm -f "$RUN/adept.pid" "$RUN/worker.pid" "$RUN/port" "$RUN/metrics_addr"
	if [ -f "$PGDATA/PG_VERSION" ] && pg_running; then any=1; fi
	pg_stop
	[ $any -eq 1 ] && say "stopped" || say "not running"
}

destroy() {	# stop, then remove all runtime state (tests use it)
	stop >/dev/null
	local alt
	alt=$(readlink "$PGDATA" 2>/dev/null || true)
	[ -n "$alt" ] && rm -rf "$(dirname "$alt")"
	rm -rf "$VAR"
}

case "${1:-}" in
start) start ;;
stop) stop ;;
destroy) destroy ;;
run)
	tailpid=""
	trap 'echo; [ -n "$tailpid" ] && kill "$tailpid" 2>/dev/null; stop; exit 0' INT TERM
	start
	say "press Ctrl-C to stop"
	tail -n 0 -F "$VAR/log/adept.log" &
	tailpid=$!
	wait "$tailpid" || true
	;;
*) die "usage: stack.sh start|stop|run|destroy" ;;
esac
