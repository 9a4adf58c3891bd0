#!/usr/bin/env bash
# `make bench`: latency and throughput of every page at 5,000 projects, query counts at
# two scales, then the other benchmarks (see bench/README.md and docs/performance.md).
# Everything stays on the loopback interface; gunicorn is stopped on exit. Exits 1 when
# a target is missed, after running every part.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
SCALE=${BENCH_SCALE:-5000}
SMALL_SCALE=${BENCH_SMALL_SCALE:-100}
DURATION=${BENCH_DURATION:-8s}
WARMUP=${BENCH_WARMUP:-2s}
CONNECTIONS=${BENCH_CONNECTIONS:-16}
THREADS=${BENCH_THREADS:-2}
WORKERS=${BENCH_WORKERS:-4}
WORKER_CLASS=${BENCH_WORKER_CLASS:-sync}
WORKER_THREADS=${BENCH_WORKER_THREADS:-1}
ONLY=${BENCH_ONLY:-}

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
[ -x "$PY" ] || { echo "no virtualenv at .venv: run make bootstrap-test" >&2; exit 1; }

LARGE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/pmo_bench}
SMALL_URL=${BENCH_SMALL_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/pmo_bench100}
export DJANGO_DEBUG=false
export DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-bench-$($PY -c 'import secrets; print(secrets.token_hex(24))')}
export DJANGO_ALLOWED_HOSTS=127.0.0.1,testserver
export PMO_LOG_LEVEL=${PMO_LOG_LEVEL:-WARNING}
scratch=$(mktemp -d)
export PMO_VAR_DIR=${PMO_VAR_DIR:-$scratch/var}
mkdir -p "$PMO_VAR_DIR/static"
results=var/bench/$(date +%Y%m%d-%H%M%S)
mkdir -p "$results"
export BENCH_RESULTS=$results

server=""
cleanup() {
  if [ -n "$server" ]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$scratch"
}
trap cleanup EXIT INT TERM

seed() { # database URL, scale, optional template database URL
  echo "== database ${1##*/}: migrate and seed --scale $2 (tops up; a quick no-op once seeded)"
  DATABASE_URL=$1 $PY bench/bench.py ensure-db "${3:-}"
  DATABASE_URL=$1 $PY manage.py migrate --no-input -v0
  local started=$SECONDS
  DATABASE_URL=$1 $PY manage.py seed_demo --scale "$2" -v1 >"$results/seed-${1##*/}.txt"
  grep -E "^(Scale|Demo data|Finished)" "$results/seed-${1##*/}.txt" | grep -v ": done" || true
  # Bulk-inserted rows have no planner statistics until autovacuum gets to them; a
  # production database has them, so measure with them.
  DATABASE_URL=$1 $PY -c "import os, psycopg; psycopg.connect(os.environ['DATABASE_URL'], autocommit=True).execute('ANALYZE')"
  echo "   seeded in $((SECONDS - started)) s"
}
# The large database starts as a copy of the small one when it is missing: the demo
# company is applied through the services once, and the scale rows are added in bulk.
seed "$SMALL_URL" "$SMALL_SCALE"
seed "$LARGE_URL" "$SCALE" "$SMALL_URL"
export DATABASE_URL=$LARGE_URL

status=0
port=$($PY bench/bench.py free-port)
base="http://127.0.0.1:$port"
echo "== gunicorn pmo.wsgi: $WORKERS $WORKER_CLASS workers × $WORKER_THREADS threads on $base"
.venv/bin/gunicorn pmo.wsgi:application --workers "$WORKERS" --worker-class "$WORKER_CLASS" \
  --threads "$WORKER_THREADS" --preload --bind "127.0.0.1:$port" --log-level warning \
  --error-logfile "$results/gunicorn.log" &
server=$!
$PY bench/bench.py wait "$base/accounts/login/" 300

declare -A cookies
cookies[pmo]=$($PY bench/bench.py login "$base" pmo demo12345)
cookies[exec]=$($PY bench/bench.py login "$base" exec demo12345)
mapfile -t endpoints < <($PY bench/bench.py endpoints)
printf '%s\n' "${endpoints[@]}" >"$results/endpoints.txt"

echo "== wrk: ${#endpoints[@]} pages, $DURATION each after $WARMUP of warm-up, $CONNECTIONS connections, $THREADS threads"
n=0
for entry in "${endpoints[@]}"; do
  IFS='|' read -r label path user <<<"$entry"
  n=$((n + 1))
  # BENCH_ONLY=regex measures the trivial view and the pages whose label matches.
  if [ -n "$ONLY" ] && [ "$n" -gt 1 ] && ! [[ $label =~ $ONLY ]]; then continue; fi
  export BENCH_COOKIE=${cookies[$user]:-}
  $PY bench/bench.py check "$base$path"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s bench/wrk.lua "$base$path" >/dev/null
  out="$results/$n.txt"
  echo "LABEL $label" >"$out"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/wrk.lua "$base$path" >>"$out"
done
kill "$server" && wait "$server" 2>/dev/null || true
server=""

echo
echo "== results ($SCALE generated projects; raw wrk output in $results/)"
$PY bench/bench.py report "$results" | tee "$results/table.txt" || status=1

echo
echo "== query counts at --scale $SMALL_SCALE and --scale $SCALE"
$PY bench/queries.py "$SMALL_URL" "$LARGE_URL" | tee "$results/queries.txt" || status=1

echo
echo "== portfolio optimisation: selection and efficient frontier over 500 candidates"
$PY bench/portfolio_bench.py | tee "$results/portfolio.txt" || status=1
$PY bench/knowledge_bench.py | tee "$results/knowledge.txt" || status=1

for part in bulk load; do
  if [ -x "bench/$part.sh" ]; then
    echo
    echo "== bench/$part.sh"
    "bench/$part.sh" || status=1
  fi
done

echo
if [ "$status" -ne 0 ]; then
  echo "== some targets were missed (see above); results in $results/"
else
  echo "== every target met; results in $results/"
fi
exit "$status"
