"""Fixtures of the decisions tests: a proposed project managed by ``pm`` (with ``member``
on the team) and its study in each state of its life."""

import pytest

from pmo.core.models import Stage
from tests.core.factories import PersonFactory, ProjectFactory, ProjectMemberFactory
from tests.decisions import factories


@pytest.fixture
def proposed_project(pm_user, member_user):
    """A major proposal of ``pm`` with a sponsor and ``member`` on the team."""
    project = ProjectFactory(
        stage=Stage.PROPOSED,
        classification="major",
        manager=pm_user.person,
        sponsor=PersonFactory(name="赵总", name_en="Zhao"),
        name="智能仓储二期",
        name_en="Smart warehouse II",
    )
    ProjectMemberFactory(project=project, person=member_user.person)
    return project


@pytest.fixture
def draft(proposed_project, pm_user):
    """An empty draft study of ``project``."""
    return factories.StudyFactory(project=proposed_project, actor=pm_user)


@pytest.fixture
def complete_draft(draft, pm_user):
    return factories.complete(draft, pm_user)


@pytest.fixture
def submitted_study(complete_draft, pm_user):
    return factories.submitted(complete_draft, pm_user)


@pytest.fixture
def review(submitted_study, pmo_user, reviewer_user):
    """The study in review with ``reviewer_user`` assigned."""
    (assigned,) = factories.in_review(submitted_study, pmo_user, reviewer_user.person)
    return assigned


@pytest.fixture
def reviewed_study(review, reviewer_user):
    factories.submit_review(review, reviewer_user)
    study = review.study
    study.refresh_from_db()
    return study


@pytest.fixture
def en_client(client_for):
    """``en_client("pm")``: a role's client whose pages come back in English."""

    def make(role: str):
        client = client_for(role)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return make
