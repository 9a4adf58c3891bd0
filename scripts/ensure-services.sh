#!/usr/bin/env bash
# Make sure a PostgreSQL and a Redis answer for the tests; print the environment to use.
# Uses DATABASE_URL / REDIS_URL when set; else 127.0.0.1 defaults; starts local servers
# (installing them when root and missing) when nothing answers.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

db_url=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/pmo}
redis_url=${REDIS_URL:-redis://127.0.0.1:6379/15}

pg_ok() {
  "$PY" - "$1" <<'PYEOF' >/dev/null 2>&1
import sys, psycopg, urllib.parse as u
p = u.urlparse(sys.argv[1])
psycopg.connect(host=p.hostname, port=p.port or 5432, user=p.username, password=p.password,
                dbname="postgres", connect_timeout=3).close()
PYEOF
}
redis_ok() {
  "$PY" -c "import redis,sys; redis.Redis.from_url(sys.argv[1], socket_timeout=3).ping()" "$1" >/dev/null 2>&1
}

if ! pg_ok "$db_url"; then
  if [ -z "${DATABASE_URL:-}" ]; then
    if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
      echo "Installing PostgreSQL …" >&2
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    fi
    if command -v pg_lsclusters >/dev/null 2>&1; then
      if [ -z "$(pg_lsclusters -h 2>/dev/null)" ]; then
        v=$(ls /usr/lib/postgresql | sort -n | tail -1)
        pg_createcluster --locale C.UTF-8 "$v" main >/dev/null
      fi
      pg_lsclusters -h | while read -r ver name _; do
        pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" start 2>/dev/null || true
      done
      sleep 2
      # A fresh cluster only trusts local socket peers: give the test user a password.
      su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null 2>&1 || true
      pg_ok "$db_url" || db_url=postgres://postgres:postgres@127.0.0.1:5432/pmo
    fi
  fi
  pg_ok "$db_url" || { echo "No PostgreSQL answers at $db_url" >&2; exit 1; }
fi

# The application database itself (the test runner makes its own test_ copy).
"$PY" - "$db_url" <<'PYEOF' >/dev/null 2>&1 || true
import sys, psycopg, urllib.parse as u
p = u.urlparse(sys.argv[1])
name = p.path.lstrip("/") or "pmo"
with psycopg.connect(host=p.hostname, port=p.port or 5432, user=p.username, password=p.password,
                     dbname="postgres", autocommit=True) as conn:
    if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
        conn.execute(f'CREATE DATABASE "{name}" ENCODING \'UTF8\' TEMPLATE template0')
PYEOF

if ! redis_ok "$redis_url"; then
  if [ -z "${REDIS_URL:-}" ]; then
    if ! command -v redis-server >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
      echo "Installing Redis …" >&2
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
    fi
    if command -v redis-server >/dev/null 2>&1; then
      redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
      sleep 1
    fi
  fi
  redis_ok "$redis_url" || { echo "No Redis answers at $redis_url" >&2; exit 1; }
fi

echo "export DATABASE_URL='$db_url' REDIS_URL='$redis_url'"
