# Production image: gunicorn serves the application; the same image runs the worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv PATH=/opt/venv/bin:$PATH \
    PMO_VAR_DIR=/var/lib/pmo

RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk gettext \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN pip install --no-cache-dir uv==0.13.9 && uv sync --frozen --no-dev --no-install-project

COPY . .
RUN DJANGO_SECRET_KEY=build python manage.py compilemessages --ignore=.venv -v0 \
 && DJANGO_SECRET_KEY=build python manage.py collectstatic --no-input -v0 \
 && useradd --system --home /var/lib/pmo pmo && mkdir -p /var/lib/pmo && chown -R pmo /var/lib/pmo

USER pmo
EXPOSE 8000
CMD ["gunicorn", "pmo.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "120", "--access-logfile", "-"]
