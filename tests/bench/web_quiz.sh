#!/usr/bin/env bash
# The exam-start spike (issue 5): a throwaway stack (its own PostgreSQL
# cluster, supervisor and nginx under build/quizbench-var, on
# $QUIZBENCH_PORT), then tests/bench/web_quiz.mjs: 1,000 learners start the
# same quiz within one second and each answers 10 questions; it prints p50 /
# p99 per request and counts lost or duplicated answers in the database
# against what the clients were acknowledged (exit 1 if any).
#
# usage: tests/bench/web_quiz.sh
# Environment: QUIZBENCH_PORT (18095), QUIZBENCH_PGPORT (5495),
# SPIKE_LEARNERS (1000), SPIKE_WINDOW_MS (1000), SPIKE_CONNS (256),
# SPIKE_THINK_MS (0: answers back to back; else 0..2x that before each),
# ADEPT_WORKERS (default:
# cores), ADEPT_THREADS (2).
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
VAR=$ROOT/build/quizbench-var
PORT=${QUIZBENCH_PORT:-18095}
PGPORT=${QUIZBENCH_PGPORT:-5495}

stack() { ADEPT_VAR=$VAR PORT=$PORT ADEPT_PGPORT=$PGPORT src/ops/stack.sh "$@"; }
trap 'stack destroy >/dev/null 2>&1 || true' EXIT
trap 'exit 130' INT TERM

export ADEPT_WORKERS=${ADEPT_WORKERS:-$(nproc)}
export ADEPT_THREADS=${ADEPT_THREADS:-2}
echo "==== quiz: the exam-start spike ===="
echo "host: $(nproc) cores; workers $ADEPT_WORKERS x $ADEPT_THREADS threads"
stack destroy >/dev/null 2>&1
if ! stack start >"$ROOT/build/quizbench-stack.log" 2>&1; then
	cat "$ROOT/build/quizbench-stack.log"
	exit 1
fi
ADEPT_URL=http://127.0.0.1:$PORT ADEPT_VAR=$VAR ADEPT_PGPORT=$PGPORT \
    ADEPT_BIN=$ROOT/build/adept node tests/bench/web_quiz.mjs
