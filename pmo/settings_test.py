"""Test settings: PostgreSQL and Redis as in production, tasks run eagerly."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pmo")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")

from pmo.settings import *  # noqa: E402,F403

CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
LANGUAGE_CODE = "zh-hans"

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
# UTF-8 whatever the cluster's default, or Chinese search would break.
DATABASES["default"]["TEST"] = {"CHARSET": "UTF8", "TEMPLATE": "template0"}  # noqa: F405
