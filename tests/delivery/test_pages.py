"""Every delivery page renders in Chinese and in English, and shows what it is for."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.delivery.test_permissions import MATRIX

pytestmark = pytest.mark.django_db

TABS = ("goals", "plan", "status", "issues", "gates", "closeout")
PAGES = [(name, key) for name, key, method, _expected in MATRIX if method == "get"]


def _client(user, language):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_page_renders_in_both_languages(world, pmo_user, language):
    client = _client(pmo_user, language)
    for name, key in PAGES:
        url = reverse(f"delivery:{name}", kwargs=world[key] if key else None)
        response = client.get(url)
        if name in ("agreement_download", "closeout_download"):
            assert response.status_code == 404, name  # no PDF rendered yet
            continue
        assert response.status_code == 200, (name, response.status_code)
        if response.get("Content-Type", "").startswith("text/html"):
            assert f'lang="{language}"' in response.content.decode() or name == "widget", name


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("role", ["pm", "member", "executive"])
def test_project_tabs_render_for_each_reader(request, world, role, language):
    client = _client(request.getfixturevalue(f"{role}_user"), language)
    base = reverse("core:project_detail", kwargs=world["project"])
    for tab in TABS:
        response = client.get(f"{base}?tab={tab}")
        assert response.status_code == 200, (tab, role)
        html = response.content.decode()
        assert f'data-testid="tab-{tab}"' in html
        htmx = client.get(
            reverse("core:project_tab", kwargs={**world["project"], "key": tab}),
            HTTP_HX_REQUEST="true",
        )
        assert htmx.status_code == 200, (tab, role)


def test_tabs_show_the_records_and_only_managers_get_edit_buttons(world, client_for, english):
    base = reverse("core:project_detail", kwargs=world["project"])
    pm = client_for("pm")
    member = client_for("member")
    for client in (pm, member):
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    goals = pm.get(f"{base}?tab=goals").content.decode()
    assert "以验收报告日期为准" in goals and "需求确认" in goals
    assert reverse("delivery:goal_create", kwargs=world["project"]) in goals
    member_goals = member.get(f"{base}?tab=goals").content.decode()
    assert "以验收报告日期为准" in member_goals
    assert reverse("delivery:goal_create", kwargs=world["project"]) not in member_goals
    status = pm.get(f"{base}?tab=status").content.decode()
    assert "SPI = EV ÷ PV" in status and "测试人员不足" in status
    issues = pm.get(f"{base}?tab=issues").content.decode()
    assert "接口延期" in issues and "每日站会" in issues
    gates = pm.get(f"{base}?tab=gates").content.decode()
    assert "设计评审关口" in gates and "In review" in gates
    plan = pm.get(f"{base}?tab=plan").content.decode()
    assert "需求规格说明书" in plan and "awaits the PMO" in plan
    closeout = pm.get(f"{base}?tab=closeout").content.decode()
    assert "已归档" in closeout and "Closure checklist" in closeout


def test_status_form_is_prefilled_from_last_week(world, client_for, planned):
    import datetime as dt

    from delivery.models import StatusReport

    report = StatusReport.objects.get(pk=world["report"]["pk"])
    StatusReport.objects.filter(pk=report.pk).update(
        period_start=report.period_start - dt.timedelta(days=7),
        period_end=report.period_end - dt.timedelta(days=7),
        next_steps="完成系统集成测试",
    )
    client = client_for("pm")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = client.get(reverse("delivery:status_edit", kwargs=world["project"]))
    html = response.content.decode()
    assert 'data-testid="prefilled"' in html
    form = response.context["form"]
    assert form.initial["resources_rag"] == "amber"
    assert form.initial["resources_reason"] == "测试人员不足"
    assert form.initial["accomplishments"] == "完成系统集成测试"
    assert "SPI = EV ÷ PV" in html


def test_status_preview_recomputes_earned_value(world, client_for):
    client = client_for("pm")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    url = reverse("delivery:status_preview", kwargs=world["project"])
    from delivery.models import Deliverable

    data = {"actual_cost": "100000"}
    for d in Deliverable.objects.filter(project_id=world["project"]["pk"]):
        data[f"progress_{d.pk}"] = "100"
    response = client.post(url, data, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and 'id="evm-panel"' in html
    assert "100.0% complete" in html
    assert "<html" not in html


def test_invalid_status_form_rerenders_with_errors_and_writes_nothing(world, client_for):
    from delivery.models import StatusReport

    client = client_for("pm")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    url = reverse("delivery:status_edit", kwargs=world["project"])
    count = StatusReport.objects.count()
    response = client.post(url, {"period": "1999-01-04", "actual_cost": "-5", "submit": "1"})
    assert response.status_code == 422
    assert "errorlist" in response.content.decode() or "text-danger" in response.content.decode()
    assert StatusReport.objects.count() == count


def test_raci_form_shows_the_accountable_error(world, client_for, planned):
    from delivery.models import RaciActivity

    client = client_for("pm")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    url = reverse("delivery:raci_edit", kwargs=world["project"])
    data = {f"cell_{a.pk}_{planned.manager_id}": "R" for a in RaciActivity.objects.all()}
    response = client.post(url, data)
    assert response.status_code == 422
    assert "No one is Accountable" in response.content.decode()
