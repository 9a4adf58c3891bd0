"""Fixtures of the talent tests: the ladder with a competency model, and the ``pm`` in
the pool with ``pmo`` as line manager's stand-in (``other_pm`` reports to ``pm``)."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.core.conftest import english  # noqa: F401 - shared fixture
from tests.talent.factories import ladder


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def model(db):
    """Two dimensions with two competencies each, three levels, PMP and IPMP."""
    return ladder()


@pytest.fixture
def pool(model, pm_user, other_pm_user, today):
    """``pm`` at level 1 in the pool, line manager of ``other_pm`` (also level 1)."""
    from talent.models import TalentProfile

    pm = TalentProfile.objects.create(
        person=pm_user.person,
        level=model.levels[0],
        pool_since=today - dt.timedelta(days=800),
        pm_since=today - dt.timedelta(days=1200),
    )
    other = TalentProfile.objects.create(
        person=other_pm_user.person,
        level=model.levels[0],
        line_manager=pm_user.person,
        pool_since=today - dt.timedelta(days=400),
        pm_since=today - dt.timedelta(days=400),
    )
    return pm, other
