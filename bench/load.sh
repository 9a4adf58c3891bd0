#!/usr/bin/env bash
# Mixed load for 5 minutes with 50 users (see docs/performance.md, "Bulk work and mixed
# load"): executives browsing, project managers saving status reports, the PMO importing.
# Fails on any failed request or a 95th percentile above 500 ms.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
USERS=${LOAD_USERS:-50}
SPAWN_RATE=${LOAD_SPAWN_RATE:-5}
RUN_TIME=${LOAD_RUN_TIME:-5m}
WORKERS=${BENCH_WORKERS:-2}
P95_LIMIT_MS=${LOAD_P95_MS:-500}

[ -x .venv/bin/locust ] || { echo "locust is missing: uv sync --group bench" >&2; exit 1; }

export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/pmo_bench}
export DJANGO_DEBUG=false
export DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-bench-$($PY -c 'import secrets; print(secrets.token_hex(24))')}
export DJANGO_ALLOWED_HOSTS=127.0.0.1
export PMO_LOG_LEVEL=${PMO_LOG_LEVEL:-WARNING}
# The status drafts and imports of the run enqueue e-mails and refreshes: no worker runs.
export CELERY_TASK_ALWAYS_EAGER=${CELERY_TASK_ALWAYS_EAGER:-false}
scratch=$(mktemp -d)
export PMO_VAR_DIR=${PMO_VAR_DIR:-$scratch/var}
mkdir -p "$PMO_VAR_DIR/static"
results=var/bench/$(date +%Y%m%d-%H%M%S)-load
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

echo "== database ${DATABASE_URL##*/} (seeded by bench/run.sh: seed_demo --scale 5000)"
$PY bench/bench.py ensure-db
$PY manage.py migrate --no-input -v0

port=$($PY bench/bench.py free-port)
base="http://127.0.0.1:$port"
echo "== gunicorn pmo.wsgi, $WORKERS workers, on $base"
.venv/bin/gunicorn pmo.wsgi:application --workers "$WORKERS" --bind "127.0.0.1:$port" \
  --log-level warning --error-logfile "$results/gunicorn.log" &
server=$!
$PY bench/bench.py wait "$base/accounts/login/" 300

echo "== locust: $USERS users, spawn rate $SPAWN_RATE/s, $RUN_TIME"
# locust patches the standard library with gevent when imported: it runs as its own process.
.venv/bin/locust -f bench/locustfile.py --headless --host "$base" \
  --users "$USERS" --spawn-rate "$SPAWN_RATE" --run-time "$RUN_TIME" \
  --csv "$results/load" --only-summary --loglevel WARNING 2>&1 | tee "$results/locust.txt" || true

$PY - "$results/load_stats.csv" "$P95_LIMIT_MS" <<'PYEOF'
import csv, sys

path, limit = sys.argv[1], float(sys.argv[2])
rows = list(csv.DictReader(open(path, encoding="utf-8")))
total = next(r for r in rows if r["Name"] == "Aggregated")
failures = int(total["Failure Count"])
p95 = float(total["95%"])
print(f"requests {total['Request Count']}  failures {failures}  "
      f"rps {float(total['Requests/s']):.1f}  p50 {total['50%']} ms  p95 {p95:.0f} ms  "
      f"p99 {total['99%']} ms")
for r in rows:
    if r["Name"] != "Aggregated":
        print(f"  {r['Type']:<5} {r['Name']:<48} n={r['Request Count']:>6} "
              f"fail={r['Failure Count']:>3} p50={r['50%']:>5} p95={r['95%']:>5} ms")
bad = []
if failures:
    bad.append(f"{failures} failed requests")
if p95 > limit:
    bad.append(f"p95 {p95:.0f} ms > {limit:.0f} ms")
if bad:
    print("FAIL: " + ", ".join(bad))
    sys.exit(1)
print("ok")
PYEOF
