"""Role fixtures shared by every test: one logged-in client per application role.

``pm`` manages ``project``; ``other_pm`` manages another project; ``member`` belongs to
``project``; ``reviewer`` and ``anonymous`` belong to nothing.
"""

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import translation

from pmo.core import roles
from tests.core.factories import PersonFactory, ProjectFactory, ProjectMemberFactory, UserFactory


def _person_user(username: str, *groups: str, **person):
    user = UserFactory(username=username, groups=list(groups))
    PersonFactory(user=user, name=person.pop("name", username), **person)
    return user


@pytest.fixture
def pmo_user(db):
    return _person_user("pmo", roles.PMO_STAFF)


@pytest.fixture
def executive_user(db):
    return _person_user("executive", roles.EXECUTIVE)


@pytest.fixture
def pm_user(db):
    return _person_user("pm", roles.PROJECT_MANAGER)


@pytest.fixture
def other_pm_user(db):
    return _person_user("other_pm", roles.PROJECT_MANAGER)


@pytest.fixture
def reviewer_user(db):
    return _person_user("reviewer", roles.REVIEWER)


@pytest.fixture
def member_user(db):
    return _person_user("member", roles.MEMBER)


@pytest.fixture
def project(pm_user, member_user):
    """An active project managed by ``pm_user`` with ``member_user`` on the team."""
    project = ProjectFactory(manager=pm_user.person, name="智慧工厂一期", name_en="Smart factory I")
    ProjectMemberFactory(project=project, person=member_user.person)
    return project


@pytest.fixture
def other_project(other_pm_user):
    return ProjectFactory(manager=other_pm_user.person)


ROLE_FIXTURES = ("pmo", "executive", "pm", "other_pm", "reviewer", "member", "anonymous")


@pytest.fixture
def client_for(request, db):
    """``client_for("pm")`` gives a test client logged in as that role's user."""

    def make(role: str) -> Client:
        client = Client()
        if role != "anonymous":
            client.force_login(request.getfixturevalue(f"{role}_user"))
        return client

    return make


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in the site's default language, whatever a request of an earlier
    test activated in this thread."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def english():
    """Assertions read English messages, whatever translations are compiled."""
    with translation.override("en"):
        yield


@pytest.fixture
def pmo(client_for):
    """A PMO staff client whose pages come back in English."""
    client = client_for("pmo")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def pytest_sessionstart(session):
    """Compile the catalogue when the .po is newer than the .mo, so text assertions in
    Chinese hold whether or not `make test` compiled it first."""
    from pathlib import Path

    po = Path(__file__).resolve().parent.parent / "locale/zh_Hans/LC_MESSAGES/django.po"
    mo = po.with_suffix(".mo")
    if po.exists() and (not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime):
        import subprocess

        subprocess.run(["msgfmt", "-o", str(mo), str(po)], check=True)  # noqa: S603,S607
