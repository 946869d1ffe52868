#!/usr/bin/env bash
# `make serve`: jixing as a province runs it on one machine — gunicorn with several worker processes and
# background task workers (`jixing db_worker`) as processes of their own, all stopped together.
#
#   JIXING_WEB_WORKERS   gunicorn worker processes (default: 2 × cores + 1)
#   JIXING_TASK_WORKERS  task worker processes: evaluation refreshes, imports (default: 2)
#   HOST, PORT           where gunicorn listens (default 127.0.0.1:8000, behind the reverse proxy)
#
# The database, cache and keys come from the environment as for every jixing process (README, 部署):
# DATABASE_URL (PostgreSQL at scale), JIXING_REDIS_URL (the shared cache), JIXING_SECRET_KEY, ...
# To spread over several machines, run this with JIXING_TASK_WORKERS=0 on the web machines and
# `jixing db_worker --no-reload` (as many as wanted) on the worker machines, with the same environment.
set -euo pipefail
BIN=${BIN:-.venv/bin}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
WEB_WORKERS=${JIXING_WEB_WORKERS:-$(($(nproc) * 2 + 1))}
TASK_WORKERS=${JIXING_TASK_WORKERS:-2}
# Each web worker keeps its database connection for a minute instead of opening one per request (a new
# PostgreSQL connection costs a few milliseconds and a server process); health-checked before reuse.
export JIXING_DB_CONN_MAX_AGE=${JIXING_DB_CONN_MAX_AGE:-60}

"$BIN/jixing" migrate --noinput
workers=()
stop() {
    trap - EXIT INT TERM
    if [ ${#workers[@]} -gt 0 ]; then kill "${workers[@]}" 2>/dev/null || true; fi
    wait
}
trap stop EXIT INT TERM
for _ in $(seq 1 "$TASK_WORKERS"); do
    "$BIN/jixing" db_worker --no-reload --interval 0.5 &
    workers+=($!)
done
# --max-requests recycles each web worker now and then (memory stays flat over a long campaign).
"$BIN/gunicorn" jixing.wsgi:application \
    --bind "$HOST:$PORT" \
    --workers "$WEB_WORKERS" \
    --timeout 120 \
    --graceful-timeout 30 \
    --max-requests 2000 --max-requests-jitter 200 \
    --access-logfile - &
workers+=($!)
wait -n
