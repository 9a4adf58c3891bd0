"""What users see and do on the core pages."""

import re

import pytest
from django.urls import reverse

from pmo.core import services
from pmo.core.models import Project, SecurityEvent, Stage, UserPreference
from tests.core.factories import OrgUnitFactory, PersonFactory, ProjectFactory, RoleFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "landing"),
    [
        ("pmo", "core:cockpit"),
        ("executive", "core:dashboard"),
        ("pm", "core:my_work"),
        ("reviewer", "core:my_work"),
        ("member", "core:my_work"),
    ],
)
def test_home_sends_each_role_to_its_landing_page(client_for, role, landing):
    response = client_for(role).get(reverse("core:home"))
    assert response["Location"] == reverse(landing)


def test_sidebar_shows_only_what_the_role_may_open(client_for):
    pmo_html = client_for("pmo").get(reverse("core:my_work")).content.decode()
    pm_html = client_for("pm").get(reverse("core:my_work")).content.decode()
    assert reverse("core:cockpit") in pmo_html and reverse("core:import_start") in pmo_html
    assert reverse("core:cockpit") not in pm_html and reverse("core:import_start") not in pm_html


def test_sidebar_links_follow_the_script_prefix_they_are_served_under(pmo_user):
    from django.urls import get_script_prefix, set_script_prefix

    from pmo.core.registry import registry

    entries = registry.nav_for(pmo_user)
    assert [e.url() for e in entries] == [reverse(e.url_name) for e in entries]
    before = get_script_prefix()
    set_script_prefix("/pmo/")
    try:
        assert all(e.url() == reverse(e.url_name) for e in entries)
        assert entries[0].url().startswith("/pmo/")
    finally:
        set_script_prefix(before)
    assert not entries[0].url().startswith("/pmo/")


def test_pages_carry_a_strict_csp_and_no_inline_script(client_for, project):
    response = client_for("pm").get(reverse("core:project_detail", args=[project.pk]))
    policy = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", policy).group(1)
    assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
    html = response.content.decode()
    assert not re.search(r"<script(?![^>]*\b(src|type=\"application/json\")=?)[^>]*>", html)
    assert response["X-Frame-Options"] == "DENY"


def test_project_list_filters_sorts_and_paginates(client_for):
    unit = OrgUnitFactory(name="信息技术部")
    for i in range(55):
        ProjectFactory(code=f"IT-{i:03d}", org_unit=unit, budget=1000 * i)
    ProjectFactory(code="FIN-001", name="财务共享中心", stage=Stage.PROPOSED, budget=0)
    client = client_for("pmo")
    page1 = client.get(reverse("core:project_list"), {"sort": "-budget"})
    codes = [p.code for p in page1.context["page"].object_list]
    assert len(codes) == 50 and codes[0] == "IT-054"
    assert page1.context["totals"]["count"] == 56
    found = client.get(reverse("core:project_list"), {"q": "财务共享"})
    assert [p.code for p in found.context["page"].object_list] == ["FIN-001"]
    by_stage = client.get(reverse("core:project_list"), {"stage": "proposed"})
    assert [p.code for p in by_stage.context["page"].object_list] == ["FIN-001"]
    by_unit = client.get(reverse("core:project_list"), {"org_unit": unit.pk, "page": 2})
    assert len(by_unit.context["page"].object_list) == 5


def test_project_list_htmx_returns_only_the_results(client_for, project):
    response = client_for("pm").get(reverse("core:project_list"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'id="project-table"' in html and "<html" not in html


def test_unit_head_sees_the_projects_of_their_unit(client):
    from pmo.core import roles
    from tests.core.factories import UserFactory

    division = OrgUnitFactory(code="DIV")
    dept = OrgUnitFactory(code="DEPT", parent=division)
    head_user = UserFactory(username="head", groups=[roles.MEMBER])
    head = PersonFactory(user=head_user, org_unit=division)
    services.orgunit_save(unit=division, code="DIV", name=division.name, head=head)
    inside = ProjectFactory(org_unit=dept)
    outside = ProjectFactory()
    client.force_login(head_user)
    codes = [p.code for p in client.get(reverse("core:project_list")).context["page"].object_list]
    assert inside.code in codes and outside.code not in codes


def test_pm_creates_a_project_and_becomes_its_manager(client_for, pm_user):
    unit = OrgUnitFactory()
    response = client_for("pm").post(
        reverse("core:project_create"),
        {
            "code": "RD-2027-001",
            "name": "新一代储能控制器研发",
            "name_en": "Next-generation storage controller",
            "org_unit": unit.pk,
            "manager": pm_user.person.pk,
            "classification": "key",
            "budget": "3500000",
            "planned_start": "2027-01-01",
            "planned_finish": "2027-12-31",
        },
    )
    project = Project.objects.get(code="RD-2027-001")
    assert response["Location"] == project.get_absolute_url()
    assert project.stage == Stage.IDEA and project.manager == pm_user.person


def test_project_form_shows_errors_and_keeps_input(client_for):
    unit = OrgUnitFactory()
    ProjectFactory(code="DUP-1")
    response = client_for("pmo").post(
        reverse("core:project_create"),
        {
            "code": "DUP-1",
            "name": "重复编号的项目",
            "org_unit": unit.pk,
            "classification": "general",
            "budget": "-5",
            "planned_start": "2027-05-01",
            "planned_finish": "2027-01-01",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"code", "planned_finish"} <= set(errors)
    assert "重复编号的项目" in response.content.decode()
    assert Project.objects.filter(code="DUP-1").count() == 1


def test_member_cannot_edit_and_pm_edits_own_project(client_for, project):
    url = reverse("core:project_edit", args=[project.pk])
    assert client_for("member").get(url).status_code == 403
    data = {
        "code": project.code,
        "name": "智慧工厂一期（调整）",
        "org_unit": project.org_unit_id,
        "manager": project.manager_id,
        "classification": "major",
        "budget": "2000000",
    }
    before = (project.classification, project.budget)
    assert client_for("pm").post(url, data).status_code == 302
    project.refresh_from_db()
    assert project.name == "智慧工厂一期（调整）"
    # The project is active: its classification and budget are the PMO's baseline now.
    assert (project.classification, project.budget) == before


def test_denied_access_is_logged(client_for, project):
    client_for("member").get(reverse("core:project_edit", args=[project.pk]))
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.PERMISSION_DENIED)
    assert event.username == "member" and "project_edit" not in event.detail
    assert f"/projects/{project.pk}/edit/" in event.detail


def test_stage_change_through_the_page(client_for, project):
    url = reverse("core:project_stage", args=[project.pk])
    response = client_for("pmo").post(url, {"to_stage": "on_hold", "reason": ""})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    client_for("pmo").post(url, {"to_stage": "on_hold", "reason": "等待预算批复"})
    project.refresh_from_db()
    assert project.stage == Stage.ON_HOLD


def test_members_tab_adds_and_removes_with_htmx(client_for, project):
    person = PersonFactory(name="李工程师")
    client = client_for("pm")
    add = reverse("core:member_add", args=[project.pk])
    response = client.post(
        add,
        {"person": person.pk, "project_role": "member", "allocation_percent": 60},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and "李工程师" in response.content.decode()
    bad = client.post(
        add,
        {"person": person.pk, "project_role": "member", "allocation_percent": 150},
        HTTP_HX_REQUEST="true",
    )
    assert bad.status_code == 422 and "allocation_percent" in bad.context["form"].errors
    member = project.members.get(person=person)
    assert member.allocation_percent == 60
    client.post(reverse("core:member_remove", args=[project.pk, member.pk]))
    assert not project.members.filter(person=person).exists()


def test_demand_tab_saves_a_month_and_rejects_bad_hours(client_for, project):
    role = RoleFactory(name="架构师")
    client = client_for("pm")
    url = reverse("core:demand_add", args=[project.pk])
    client.post(url, {"role": role.pk, "month": "2027-03", "hours": "120", "source": "plan"})
    demand = project.demands.get()
    assert str(demand.month) == "2027-03-01" and demand.hours == 120
    bad = client.post(url, {"role": role.pk, "month": "2027-13", "hours": "-1", "source": "plan"})
    assert bad.status_code == 422
    page = client.get(reverse("core:project_detail", args=[project.pk]) + "?tab=demand")
    assert "架构师" in page.content.decode()


def test_language_switch_is_remembered(client_for, pm_user):
    client = client_for("pm")
    client.post(reverse("core:language"), {"language": "en", "next": "/projects/"})
    assert UserPreference.objects.get(user=pm_user).language == "en"
    html = client.get(reverse("core:project_list")).content.decode()
    assert '<html lang="en">' in html


def test_language_switch_refuses_foreign_redirects(client_for):
    response = client_for("pm").post(
        reverse("core:language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_search_finds_visible_projects_and_people(client_for, project):
    ProjectFactory(name="智慧工厂二期")  # not visible to the PM
    PersonFactory(name="赵智慧")
    response = client_for("pm").get(reverse("core:search"), {"q": "智慧"})
    titles = [hit.title for _s, hits in response.context["groups"] for hit in hits]
    assert any("智慧工厂一期" in t for t in titles)
    assert not any("智慧工厂二期" in t for t in titles)
    assert "赵智慧" in titles


def test_notifications_mark_read(client_for, pm_user):
    services.notification_send(recipients=[pm_user], title="请提交周报")
    client = client_for("pm")
    assert "请提交周报" in client.get(reverse("core:notifications")).content.decode()
    client.post(reverse("core:notifications_read"))
    assert not pm_user.notifications.filter(read_at__isnull=True).exists()


def test_login_and_failed_login_are_logged(client, pm_user):
    client.post(reverse("login"), {"username": "pm", "password": "wrong"})
    client.post(reverse("login"), {"username": "pm", "password": "Secret-pass-123"})
    # The fixture's role grant is logged too (as a role change); the sign-ins follow it.
    signins = SecurityEvent.objects.filter(kind__in=["login", "login_failed"])
    kinds = list(signins.order_by("id").values_list("kind", "success"))
    assert kinds == [("login_failed", False), ("login", True)]


def test_password_change_keeps_the_session(client_for, pm_user):
    client = client_for("pm")
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "Secret-pass-123",
            "new_password1": "An0ther-long-pass!",
            "new_password2": "An0ther-long-pass!",
        },
    )
    assert response.status_code == 302
    pm_user.refresh_from_db()
    assert pm_user.check_password("An0ther-long-pass!")
    assert client.get(reverse("core:my_work")).status_code == 200


def test_org_tree_lists_units_with_counts(client_for, project):
    response = client_for("member").get(reverse("core:orgunit_tree"))
    assert project.org_unit.name in response.content.decode()
