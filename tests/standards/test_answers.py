"""The questions of seed section 4 (项目管理规范建设), each answered by a page."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from pmo.core import roles
from pmo.core.models import Stage
from pmo.core.services import project_summary_update
from standards import services
from standards.models import Suggestion
from tests.core.factories import (
    OrgUnitFactory,
    PersonFactory,
    ProjectFactory,
    ProjectTypeFactory,
    UserFactory,
)
from tests.standards.factories import StepFactory, published_methodology

pytestmark = pytest.mark.django_db


@pytest.fixture
def en(client_for):
    def make(role):
        client = client_for(role)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return make


def test_library_shows_each_project_type_covered_by_a_published_methodology(en):
    """项目管理流程是否系统化和标准化?"""
    published_methodology(ProjectTypeFactory(code="it", name="信息化", name_en="IT"))
    ProjectTypeFactory(code="rd", name="研发", name_en="R&D")
    html = en("member").get(reverse("standards:library")).content.decode()
    assert "1 / 2" in html  # project types with a published methodology
    assert "no published methodology" in html  # R&D has none
    assert "(1 optional)" in html  # of the four deliverables the version requires


def test_review_lists_duplicated_deliverables_and_steps_without_owner(en, pmo_user):
    """流程间是否存在矛盾或重复?"""
    version = published_methodology()
    init = version.processes.get(code="P-INIT")
    other = version.processes.create(
        code="P-DUP", name="重复过程", phase=init.phase, owner_responsibility="PMO"
    )
    version.deliverables.create(
        code="DUP", name="立项文件0", gate=version.gates.get(code="G1"), process=other
    )
    StepFactory(process=init, name="无人负责", responsibility="")
    html = en("member").get(reverse("standards:review")).content.decode()
    assert "Required from 2 processes of one phase" in html
    assert "No role and no responsibility carries out this step." in html
    assert "Findings on this page: 2" in html


def test_adoption_shows_active_users_by_role_and_unit(en, pmo_user, pm_user):
    """项目管理软件使用是否广泛便捷?"""
    now = timezone.now()
    for user, days in ((pmo_user, 1), (pm_user, 45)):
        user.last_login = now - dt.timedelta(days=days)
        user.save(update_fields=["last_login"])
    response = en("executive").get(reverse("standards:adoption"))
    by_role = {r.key: (r.accounts, r.active) for r in response.context["by_role"]}
    assert by_role[roles.PMO_STAFF] == (1, 1)
    assert by_role[roles.PROJECT_MANAGER] == (1, 0)  # last login 45 days ago
    assert 'data-testid="usage-by-unit"' in response.content.decode()


def test_adoption_shows_data_quality_per_unit(en):
    """数据是否精准反映项目实际进展?"""
    unit = OrgUnitFactory(code="UQ", name="质量部", name_en="Quality")
    today = timezone.localdate()
    fresh = ProjectFactory(org_unit=unit, stage=Stage.ACTIVE)
    project_summary_update(project=fresh, last_status_date=today)
    ProjectFactory(org_unit=unit, stage=Stage.ACTIVE)  # never reported
    ProjectFactory(org_unit=unit, stage=Stage.APPROVED, manager=None)  # no manager
    ProjectFactory(org_unit=unit, stage=Stage.APPROVED)
    response = en("pmo").get(reverse("standards:adoption") + f"?unit={unit.pk}")
    row = next(r for r in response.context["quality"] if r.key == unit.pk)
    assert (row.open, row.stale, row.no_status, row.no_manager, row.clean) == (4, 1, 1, 1, 2)
    assert row.quality_rate == 50.0 and row.current_rate == 50.0
    assert 'data-testid="quality-rate">50%' in response.content.decode()


def test_suggestions_show_their_status_and_answer(en, member_user, pmo_user):
    """信息系统功能是否完善且持续优化?"""
    suggestion = services.suggestion_submit(
        title="周报支持手机填写", description="出差时填写", area="status", actor=member_user
    )
    services.suggestion_respond(
        suggestion=suggestion,
        status=Suggestion.Status.PLANNED,
        response="已列入三季度计划",
        actor=pmo_user,
    )
    html = en("member").get(reverse("standards:suggestion_list")).content.decode()
    assert "周报支持手机填写" in html and "Planned" in html and "已列入三季度计划" in html


def test_compliance_by_unit_and_tailoring_show_department_differences(en, pmo_user):
    """规范建设是否充分考虑部门特点?"""
    ptype = ProjectTypeFactory(code="construction", name="基建", name_en="Construction")
    version = published_methodology(ptype)
    items = {d.code: d for d in version.deliverables.all()}
    rates = {}
    for code, present in (("UA", ["D1-0", "D1-1"]), ("UB", [])):
        unit = OrgUnitFactory(code=code)
        manager = PersonFactory(user=UserFactory(username=f"pm-{code}"), org_unit=unit)
        project = ProjectFactory(
            org_unit=unit, project_type=ptype, stage=Stage.ACTIVE, manager=manager
        )
        services.project_methodology_assign(project=project, version=version, actor=pmo_user)
        for item in present:
            services.deliverable_record_submit(
                project=project, deliverable=items[item], link="https://d.example", actor=pmo_user
            )
        rates[code] = project
    request = services.tailoring_request_submit(
        project=rates["UA"], deliverables=[items["D1-2"]], reason="部门特点", actor=pmo_user
    )
    services.tailoring_request_decide(request=request, approve=True, actor=pmo_user)
    response = en("executive").get(reverse("standards:compliance"))
    units = {g.key.code: (g.rate, g.tally.tailored) for g in response.context["overview"].by_unit}
    assert units == {"UA": (100.0, 1), "UB": (0.0, 0)}
    assert '<tr data-unit="UA">' in response.content.decode()
