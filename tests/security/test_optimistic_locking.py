"""Two people edit the same record: the first save wins, the second is refused with a
clear message on the re-rendered form (their input kept), never a silent overwrite.

Each case opens the real edit page twice (as a browser would), submits the first copy
with one change and the second copy with another, then reads the database.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from pmo.core import roles
from pmo.core.locking import VERSION_FIELD, version_token
from tests.core.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


class _FormReader(HTMLParser):
    """The fields a browser would submit from the form holding the version token."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._option: dict | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"fields": [], "action": a.get("action")}
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name and "disabled" not in a:
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._form["fields"].append((name, a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and name and "disabled" not in a:
            self._select, self._select_first, self._select_chosen = name, None, False
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a:
                self._form["fields"].append((self._select, value))
                self._select_chosen = True
        elif tag == "textarea" and name and "disabled" not in a:
            self._textarea = name
            self._form["fields"].append((name, ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select:
            if not self._select_chosen and self._select_first is not None:
                self._form["fields"].append((self._select, self._select_first))
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            name, value = self._form["fields"][-1]
            self._form["fields"][-1] = (name, value + data.removeprefix("\n"))


def open_form(client, url: str) -> dict:
    """GET the edit page and return the submitted body of its versioned form."""
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200, (url, response.status_code)
    reader = _FormReader()
    reader.feed(response.content.decode())
    forms = [f for f in reader.forms if any(n == VERSION_FIELD for n, _v in f["fields"])]
    assert forms, f"{url} renders no version token"
    body: dict[str, list[str]] = {}
    for name, value in forms[0]["fields"]:
        body.setdefault(name, []).append(value)
    return body


def _errors(response):
    """The form errors of a re-rendered form, for a readable failure."""
    context = response.context or {}
    form = context.get("form")
    return form.errors if form is not None else response.content.decode()[-2000:]


def _user(username, group):
    user = UserFactory(username=username, groups=[group])
    PersonFactory(user=user, name=username)
    return user


# --- the edit views, each: make the record, return (url, field, read the stored value) ---


def _project(w):
    p = w["project"]
    return reverse("core:project_edit", args=[p.pk]), "name", lambda: _reload(p).name


def _issue(w):
    from tests.delivery.factories import IssueFactory

    issue = IssueFactory(project=w["project"], owner=w["pm_user"].person, raised_by=w["pm_user"])
    return reverse("delivery:issue_edit", args=[issue.pk]), "title", lambda: _reload(issue).title


def _goal(w):
    from tests.delivery.factories import GoalFactory

    goal = GoalFactory(project=w["project"])
    return reverse("delivery:goal_edit", args=[goal.pk]), "title", lambda: _reload(goal).title


def _status_draft(w):
    from delivery.models import StatusReport

    project = w["project"]
    url = reverse("delivery:status_edit", args=[project.pk])

    def stored():
        report = StatusReport.objects.filter(project=project).first()
        return report.accomplishments if report else None

    return url, "accomplishments", stored


def _objective(w):
    from tests.portfolio.factories import ObjectiveFactory

    objective = ObjectiveFactory()
    return (
        reverse("portfolio:objective_edit", args=[objective.pk]),
        "name",
        lambda: _reload(objective).name,
    )


def _scenario(w):
    from tests.portfolio.factories import ScenarioFactory

    scenario = ScenarioFactory()
    return (
        reverse("portfolio:scenario_edit", args=[scenario.pk]),
        "name",
        lambda: _reload(scenario).name,
    )


def _study_section(w):
    from decisions.models import StudySection
    from tests.decisions.factories import StudyFactory

    w["project"].stage = "proposed"
    w["project"].save()
    study = StudyFactory(project=w["project"], actor=w["pm_user"])
    section = StudySection.objects.filter(study=study).order_by("pk").first()
    url = reverse("decisions:study_section", args=[study.pk, section.kind])
    return url, "content", lambda: _reload(section).content


def _lesson(w):
    from tests.knowledge.factories import published_lesson

    lesson = published_lesson(author=w["pm_user"], curator=w["pmo_user"], project=w["project"])
    return (
        reverse("knowledge:lesson_edit", args=[lesson.pk]),
        "title",
        lambda: _reload(lesson).title,
    )


def _article(w):
    from knowledge import services

    article = services.article_create(actor=w["pm_user"], title="周报填写指南", body="每周五提交")
    return (
        reverse("knowledge:article_edit", args=[article.pk]),
        "title",
        lambda: _reload(article).title,
    )


def _standards_version(w):
    from tests.standards.factories import VersionFactory

    version = VersionFactory()
    return (
        reverse("standards:version_edit", args=[version.pk]),
        "change_summary",
        lambda: _reload(version).change_summary,
    )


def _evaluation_version(w):
    from evaluation.services import schemes

    version = _evaluation_draft(w["pmo_user"], schemes)
    return (
        reverse("evaluation:version_edit", args=[version.pk]),
        "organisation",
        lambda: _reload(version).organisation,
    )


def _evaluation_draft(actor, schemes):
    scheme = schemes.scheme_create(actor=actor, code="PE-LOCK", name="项目绩效评价")
    return scheme.versions.get()


def _idea(w):
    from tests.culture.factories import IdeaFactory

    idea = IdeaFactory()
    return reverse("culture:idea_edit", args=[idea.pk]), "title", lambda: _reload(idea).title


def _culture_session(w):
    from tests.culture.factories import SessionFactory

    session = SessionFactory()
    return (
        reverse("culture:session_edit", args=[session.pk]),
        "title",
        lambda: _reload(session).title,
    )


def _gate(w):
    from delivery.models import GateCriterion
    from tests.delivery.factories import GateFactory, PhaseFactory

    phase = PhaseFactory(project=w["project"])
    gate = GateFactory(project=w["project"], kind="gate", phase=phase)
    GateCriterion.objects.create(gate=gate, text="需求基线已批准", sort_order=1)
    return reverse("delivery:gate_edit", args=[gate.pk]), "name", lambda: _reload(gate).name


def _closeout(w):
    from delivery.services.closeout import closeout_start

    project = w["project"]
    closeout = closeout_start(project=project, actor=w["pmo_user"])
    return (
        reverse("delivery:closeout_edit", args=[project.pk]),
        "summary",
        lambda: _reload(closeout).summary,
    )


def _subscription(w):
    from tests.reports.factories import SubscriptionFactory

    subscription = SubscriptionFactory()
    return (
        reverse("reports:subscription_edit", args=[subscription.pk]),
        "name",
        lambda: _reload(subscription).name,
    )


def _reload(obj):
    return type(obj)._base_manager.get(pk=obj.pk)


# (case, make, first editor, second editor)
CASES = [
    ("project", _project, "pm", "pmo"),
    ("issue", _issue, "pm", "pmo"),
    ("goal", _goal, "pm", "pmo"),
    ("status-draft", _status_draft, "pm", "pmo"),
    ("objective", _objective, "pmo", "pmo2"),
    ("scenario", _scenario, "pmo", "pmo2"),
    ("study-section", _study_section, "pm", "pmo"),
    ("lesson", _lesson, "pm", "pmo"),
    ("article", _article, "pm", "pmo"),
    ("standards-version", _standards_version, "pmo", "pmo2"),
    ("evaluation-scheme", _evaluation_version, "pmo", "pmo2"),
    ("culture-idea", _idea, "pmo", "pmo2"),
    ("culture-session", _culture_session, "pmo", "pmo2"),
    ("gate", _gate, "pm", "pmo"),
    ("closeout", _closeout, "pm", "pmo"),
    ("report-subscription", _subscription, "pmo", "pmo2"),
]


@pytest.fixture
def world(client_for, project, pm_user, pmo_user):
    clients = {"pm": client_for("pm"), "pmo": client_for("pmo")}
    clients["pmo2"] = client_for("anonymous")
    clients["pmo2"].force_login(_user("pmo2", roles.PMO_STAFF))
    return {"project": project, "pm_user": pm_user, "pmo_user": pmo_user, "clients": clients}


@pytest.mark.parametrize(("case", "make", "first", "second"), CASES, ids=[c[0] for c in CASES])
def test_the_second_of_two_concurrent_saves_is_refused(english, world, case, make, first, second):
    url, field, stored = make(world)
    a, b = world["clients"][first], world["clients"][second]
    body_a, body_b = open_form(a, url), open_form(b, url)
    assert body_a[VERSION_FIELD] == body_b[VERSION_FIELD]

    body_a[field] = ["First editor's text"]
    saved = a.post(url, body_a, HTTP_ACCEPT_LANGUAGE="en")
    assert saved.status_code == 302, (case, saved.status_code, _errors(saved))
    assert stored() == "First editor's text"

    body_b[field] = ["Second editor's text"]
    refused = b.post(url, body_b, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code in (200, 422), (case, refused.status_code)
    html = refused.content.decode()
    assert "Someone else saved this record after you opened it" in html
    assert "Second editor&#x27;s text" in html  # their input is still in the form
    assert "data-reload" in html  # and a way to load the current version
    assert stored() == "First editor's text"

    # Reloading gives the current version; saving from it works.
    body_c = open_form(b, url)
    assert body_c[field] == ["First editor's text"]
    body_c[field] = ["Second editor's text"]
    assert b.post(url, body_c, HTTP_ACCEPT_LANGUAGE="en").status_code == 302
    assert stored() == "Second editor's text"


def test_a_save_without_changes_in_between_is_not_refused(world):
    url, field, stored = _project(world)
    client = world["clients"]["pm"]
    body = open_form(client, url)
    body[field] = ["智慧工厂一期（调整）"]
    assert client.post(url, body).status_code == 302
    assert stored() == "智慧工厂一期（调整）"


def test_the_token_ignores_fields_the_form_does_not_edit(world):
    """The delivery summary (health, percent complete) changes under an open project form
    without making its save a conflict."""
    project = world["project"]
    before = version_token(project, ["name", "budget"])
    project.percent_complete = 55
    project.save()
    assert version_token(project, ["name", "budget"]) == before
    project.name = "改名"
    assert version_token(project, ["name", "budget"]) != before
