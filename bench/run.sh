#!/usr/bin/env bash
# Throughput and latency of the main pages with 5,000 projects (see bench/README.md).
# Everything stays on the loopback interface; gunicorn is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
SCALE=${BENCH_SCALE:-5000}
DURATION=${BENCH_DURATION:-10s}
WARMUP=${BENCH_WARMUP:-2s}
CONNECTIONS=${BENCH_CONNECTIONS:-4}
THREADS=${BENCH_THREADS:-2}
WORKERS=${BENCH_WORKERS:-2}
PROJECT=${BENCH_PROJECT:-HC-PRJ-001}

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
[ -x "$PY" ] || { echo "no virtualenv at .venv: run make bootstrap-test" >&2; exit 1; }

export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/pmo_bench}
export DJANGO_DEBUG=false
export DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-bench-$($PY -c 'import secrets; print(secrets.token_hex(24))')}
export DJANGO_ALLOWED_HOSTS=127.0.0.1
export PMO_LOG_LEVEL=${PMO_LOG_LEVEL:-WARNING}
scratch=$(mktemp -d)
export PMO_VAR_DIR=${PMO_VAR_DIR:-$scratch/var}
mkdir -p "$PMO_VAR_DIR/static"
results=var/bench/$(date +%Y%m%d-%H%M%S)
mkdir -p "$results"

server=""
cleanup() {
  if [ -n "$server" ]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$scratch"
}
trap cleanup EXIT INT TERM

echo "== database ${DATABASE_URL##*/}: migrate and seed (--scale $SCALE; a no-op once seeded)"
$PY bench/bench.py ensure-db
$PY manage.py migrate --no-input -v0
$PY manage.py seed_demo --scale "$SCALE" -v0

port=$($PY bench/bench.py free-port)
base="http://127.0.0.1:$port"
echo "== gunicorn pmo.wsgi, $WORKERS workers, on $base"
.venv/bin/gunicorn pmo.wsgi:application --workers "$WORKERS" --bind "127.0.0.1:$port" \
  --log-level warning --error-logfile "$results/gunicorn.log" &
server=$!
$PY bench/bench.py wait "$base/accounts/login/"

cookie=$($PY bench/bench.py login "$base" pmo demo12345)
project_id=$($PY bench/bench.py project-id "$PROJECT")

# label | path | signed in?
endpoints=(
  "/accounts/login/ (trivial template view)|/accounts/login/|no"
  "/account/ (signed in, base layout)|/account/|yes"
  "/projects/|/projects/|yes"
  "/projects/?stage=active&sort=-budget|/projects/?stage=active&sort=-budget|yes"
  "/projects/<id>/ ($PROJECT)|/projects/$project_id/|yes"
)

echo "== wrk: $DURATION per endpoint, $CONNECTIONS connections, $THREADS threads"
n=0
for entry in "${endpoints[@]}"; do
  IFS='|' read -r label path signed_in <<<"$entry"
  n=$((n + 1))
  if [ "$signed_in" = yes ]; then export BENCH_COOKIE=$cookie; else export BENCH_COOKIE=""; fi
  $PY bench/bench.py check "$base$path"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s bench/wrk.lua "$base$path" >/dev/null
  out="$results/$n.txt"
  echo "LABEL $label" >"$out"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/wrk.lua "$base$path" >>"$out"
done

echo
echo "== results ($SCALE generated projects; raw wrk output in $results/)"
$PY bench/bench.py report "$results"

echo
echo "== portfolio optimisation: selection and efficient frontier over 500 candidates"
$PY bench/portfolio_bench.py | tee "$results/portfolio.txt"
$PY bench/knowledge_bench.py | tee "$results/knowledge.txt"
