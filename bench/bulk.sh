#!/usr/bin/env bash
# A 10,000-row project import (XLSX and CSV, then 10,000 updates) and the portfolio
# status PDF of 200 projects, on PostgreSQL (see docs/performance.md).
# Uses its own database, pmo_bulk_bench, so that the imported rows do not change the
# page benchmark's data; it grows by 20,000 projects a run (drop it to start afresh).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
export DATABASE_URL=${BULK_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/pmo_bulk_bench}
export DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-bench-$($PY -c 'import secrets; print(secrets.token_hex(24))')}
export PMO_LOG_LEVEL=${PMO_LOG_LEVEL:-WARNING}
# Background tasks (the big file's check and commit, e-mails) run in this process.
export CELERY_TASK_ALWAYS_EAGER=true
scratch=$(mktemp -d)
export PMO_VAR_DIR=${PMO_VAR_DIR:-$scratch/var}
trap 'rm -rf "$scratch"' EXIT INT TERM
results=var/bench/$(date +%Y%m%d-%H%M%S)-bulk
mkdir -p "$results"

echo "== database ${DATABASE_URL##*/}: migrate and seed the demo company (a no-op once seeded)"
$PY bench/bench.py ensure-db
$PY manage.py migrate --no-input -v0
$PY manage.py seed_demo -v0
$PY bench/bulk_bench.py "$@" | tee "$results/bulk.txt"
exit "${PIPESTATUS[0]}"
