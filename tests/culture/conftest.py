"""Fixtures of the culture tests: files go to a temporary folder; the ``member`` and
``pm`` work in one department under a division, the ``pmo`` elsewhere."""

import pytest


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.PMO_PRIVATE_ROOT = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    return settings.PMO_PRIVATE_ROOT


@pytest.fixture(autouse=True)
def fresh_outcomes(monkeypatch):
    """Each test computes the dashboard's outcome indicators from its own rows (the
    shared cache would otherwise hand it the figures of an earlier test)."""
    from culture import insights

    monkeypatch.setattr(insights, "OUTCOMES_TTL", 0)
