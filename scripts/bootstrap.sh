#!/usr/bin/env bash
# Install what the application needs on a Debian/Ubuntu machine, then the virtualenv.
#   scripts/bootstrap.sh          packages for running the application
#   scripts/bootstrap.sh test     plus what the test suite needs (Chromium, pdftotext …)
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(python3-venv libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk gettext)
if [ "${1:-}" = "test" ]; then
  # redis-server and postgresql: the reliability tests start private servers to stop.
  packages+=(chromium poppler-utils docker-compose postgresql-client redis-tools redis-server postgresql)
fi

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing system packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "Missing system packages (install them as root): ${missing[*]}" >&2
  fi
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
if [ ! -x .venv/bin/uv ]; then
  .venv/bin/python -m pip --version >/dev/null 2>&1 || .venv/bin/python -m ensurepip >/dev/null
  .venv/bin/python -m pip install -q --disable-pip-version-check "uv==0.13.9"
fi
stamp=.venv/.synced
if [ ! -f "$stamp" ] || [ uv.lock -nt "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  UV_PROJECT_ENVIRONMENT=.venv .venv/bin/uv sync --frozen --python .venv/bin/python -q
  touch "$stamp"
fi
mkdir -p var/celery/queue var/celery/processed var/media var/mail var/static
