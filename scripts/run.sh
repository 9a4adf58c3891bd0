#!/usr/bin/env bash
# Start the web server and a Celery worker with beat; stop both on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
host=${1:-127.0.0.1}
port=${2:-8000}
mkdir -p var/celery/queue var/celery/processed var/celery/control var/log
.venv/bin/celery -A pmo worker -B -l info --concurrency 2 \
  --schedule var/celery/beat-schedule >var/log/celery.log 2>&1 &
worker=$!
trap 'kill $worker 2>/dev/null; wait $worker 2>/dev/null' EXIT INT TERM
cat <<TEXT

  PMO is starting at http://$host:$port/
  Demo logins (password demo12345):
    pmo       PMO administrator      -> PMO cockpit
    exec      executive              -> executive dashboard
    pm        project manager        -> my work
    reviewer  expert reviewer        -> my work
    member    team member            -> my work
    admin     superuser (/admin/)
  Celery worker and beat log: var/log/celery.log

TEXT
.venv/bin/python manage.py runserver "$host:$port" --noreload
