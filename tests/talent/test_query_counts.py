"""List pages run the same number of queries for 3 rows as for 30."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from talent import services
from talent.models import TalentProfile
from tests.core.factories import PersonFactory, ProjectFactory, ProjectMemberFactory
from tests.talent.factories import CourseFactory, SessionFactory


def _count(client, url) -> int:
    client.get(url)  # the first request of a session also loads the user's groups and person
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _people(model, n, today):
    """``n`` PMs in the pool, each with an assessment, a certificate, a managed project
    with a member row, an attended course session and a closed appraisal."""
    made = []
    course = CourseFactory(category="pm_system", hours=Decimal(4))
    course.competencies.set(model.competencies)
    for _i in range(n):
        person = PersonFactory()
        TalentProfile.objects.create(
            person=person, level=model.levels[0], pool_since=today - dt.timedelta(days=30)
        )
        services.certificate_add(
            person=person, certification=model.pmp, issued_on=today - dt.timedelta(days=5)
        )
        services.assessment_record(
            person=person, kind="self", ratings={model.competencies[0]: 3}, actor=None
        )
        ProjectFactory(manager=person, budget=Decimal(2_000_000))
        services.enrolment_create_attended(person=person, course=course, on=today)
        made.append(person)
    return made


PAGES = [
    ("pool", lambda w: reverse("talent:pool")),
    ("pool filtered", lambda w: reverse("talent:pool") + "?certificate=PMP&readiness=far"),
    ("home", lambda w: reverse("talent:home")),
    ("training", lambda w: reverse("talent:training")),
    ("gap", lambda w: reverse("talent:gap")),
    ("matching", lambda w: reverse("talent:matching") + f"?project={w['project'].pk}"),
    ("tile", lambda w: reverse("talent:adoption_tile")),
    ("teams", lambda w: reverse("talent:teams")),
]


@pytest.mark.parametrize("label,url", PAGES)
def test_pool_pages_stay_flat(client_for, model, label, url):
    today = timezone.localdate()
    client = client_for("pmo")
    project = ProjectFactory(stage="proposed", budget=Decimal(5_000_000))
    _people(model, 3, today)
    few = _count(client, url({"project": project}))
    _people(model, 27, today)
    assert _count(client, url({"project": project})) == few


def test_session_enrolments_stay_flat(client_for, model, pmo_user):
    today = timezone.localdate()
    client = client_for("pmo")
    session = SessionFactory(capacity=100)

    def add(n):
        for _i in range(n):
            services.enrolment_create(session=session, person=PersonFactory(), actor=pmo_user)

    add(3)
    few = _count(client, reverse("talent:session_detail", args=[session.pk]))
    add(27)
    assert _count(client, reverse("talent:session_detail", args=[session.pk])) == few
    assert today


def test_appraisal_round_and_selection_stay_flat(client_for, model, pmo_user):
    today = timezone.localdate()
    client = client_for("pmo")
    scheme = services.appraisal_scheme_save(
        code="S",
        name="方案",
        kpis={"evaluation_score": (Decimal(100), Decimal(90))},
        actor=pmo_user,
    )
    selection = services.selection_round_open(title="R", level=model.levels[1], actor=pmo_user)

    def build(people):
        round = services.appraisal_round_open(
            scheme=scheme,
            title=f"R{len(people)}",
            period_start=today - dt.timedelta(days=90),
            period_end=today,
            actor=pmo_user,
        )
        for p in people:
            services.selection_candidate_add(round=selection, person=p, actor=pmo_user)
        return round

    small = build(_people(model, 3, today))
    few = (
        _count(client, reverse("talent:appraisal_round", args=[small.pk])),
        _count(client, reverse("talent:selection_detail", args=[selection.pk])),
    )
    big = build(_people(model, 27, today))
    assert big.appraisals.count() == 30
    many = (
        _count(client, reverse("talent:appraisal_round", args=[big.pk])),
        _count(client, reverse("talent:selection_detail", args=[selection.pk])),
    )
    assert many == few


def test_recruitment_plan_and_profile_history_stay_flat(client_for, model, pmo_user, pm_user):
    today = timezone.localdate()
    client = client_for("pmo")
    plan = services.recruitment_plan_save(title="P", year=today.year, actor=pmo_user)
    vacancy = services.vacancy_save(plan=plan, title="V", level=model.levels[1], actor=pmo_user)
    TalentProfile.objects.create(person=pm_user.person, level=model.levels[0], pool_since=today)

    def add(n):
        for i in range(n):
            services.candidate_add(vacancy=vacancy, name=f"C{i}", applied_on=today, actor=pmo_user)
            ProjectMemberFactory(project=ProjectFactory(), person=pm_user.person)

    add(3)
    urls = (
        reverse("talent:recruitment_plan", args=[plan.pk]),
        reverse("talent:profile", args=[pm_user.person.pk]),
    )
    few = [_count(client, u) for u in urls]
    add(27)
    assert [_count(client, u) for u in urls] == few
