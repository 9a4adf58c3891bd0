"""Fixtures of the standards tests: files go to a temporary private folder; a
published methodology for the ``project`` fixture's type."""

import datetime as dt

import pytest
from django.utils import timezone

from pmo.core.services import project_update
from tests.standards.factories import published_methodology


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


@pytest.fixture
def version(project):
    """A published version of the methodology of ``project``'s type: gate G1 (due at
    approval) requires D1-0, D1-1 and the optional D1-2; gate G2 (due at closing, or
    at the planned finish) requires D2-0. The project runs from two months ago to ten
    months ahead, so that G1 is due and G2 is not, whatever today is."""
    today = timezone.localdate()
    project_update(
        project=project,
        actor=None,
        planned_start=today - dt.timedelta(days=60),
        planned_finish=today + dt.timedelta(days=300),
    )
    return published_methodology(project.project_type)
