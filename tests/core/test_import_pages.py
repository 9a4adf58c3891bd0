"""Who may use the import and export pages, and the blank templates they offer."""

import io

import openpyxl
import pytest
from django.urls import reverse

from pmo.core.models import ImportJob, OrgUnit, Person, Project, ResourceDemand
from pmo.core.resources import RESOURCES
from tests.core.data import upload, xlsx_bytes
from tests.core.factories import OrgUnitFactory, ProjectFactory, RoleFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media", "english")]

ROLES = ("pmo", "executive", "pm", "other_pm", "reviewer", "member", "anonymous")
PMO_ONLY = {"pmo": 200, "anonymous": 302} | dict.fromkeys(
    ("executive", "pm", "other_pm", "reviewer", "member"), 403
)
EVERYONE = dict.fromkeys(ROLES, 200) | {"anonymous": 302}


@pytest.fixture
def job(pmo_user):
    client_rows = [["code", "name"], ["HQ", "集团总部"]]
    from django.test import Client

    client = Client()
    client.force_login(pmo_user)
    client.post(
        reverse("core:import_start"),
        {"kind": "org_units", "file": upload("u.xlsx", xlsx_bytes(client_rows))},
    )
    return ImportJob.objects.get()


MATRIX = [
    ("core:project_export", lambda job: {}, "get", EVERYONE),
    ("core:import_start", lambda job: {}, "get", PMO_ONLY),
    ("core:import_start", lambda job: {}, "post", PMO_ONLY | {"pmo": 422}),
    ("core:import_preview", lambda job: {"pk": job.pk}, "get", PMO_ONLY),
    ("core:import_preview", lambda job: {"pk": job.pk}, "post", PMO_ONLY | {"pmo": 302}),
    ("core:import_template", lambda job: {"kind": "projects"}, "get", PMO_ONLY),
]


@pytest.mark.parametrize(
    ("name", "kwargs", "method", "expected"),
    MATRIX,
    ids=[f"{m[0]}-{m[2]}" for m in MATRIX],
)
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client_for, project, job, name, kwargs, method, expected, role):
    client = client_for(role)
    response = getattr(client, method)(reverse(name, kwargs=kwargs(job)))
    assert response.status_code == expected[role], (role, name, method)
    if role == "anonymous":
        assert "/accounts/login/" in response["Location"]
    job.refresh_from_db()
    if role != "pmo":  # nobody else can commit a job
        assert job.status == ImportJob.Status.PREVIEWED
        assert not OrgUnit.objects.filter(code="HQ").exists()


def test_unknown_template_kind_and_job_are_not_found(client_for):
    client = client_for("pmo")
    assert client.get(reverse("core:import_template", args=["budgets"])).status_code == 404
    assert client.get(reverse("core:import_preview", args=[999_999])).status_code == 404


@pytest.mark.parametrize("kind", list(RESOURCES))
def test_templates_list_every_column_and_explain_them(client_for, kind):
    response = client_for("pmo").get(
        reverse("core:import_template", args=[kind]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert f"template-{kind}.xlsx" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    data, instructions = workbook.worksheets
    columns = RESOURCES[kind]().import_columns()
    headers = [cell.value for cell in data[1]]
    assert headers == [c.title() + (" *" if c.required else "") for c in columns]
    keys = [row[1] for row in instructions.iter_rows(min_row=2, values_only=True)]
    assert keys == [c.key for c in columns]
    assert all(row[3] for row in instructions.iter_rows(min_row=2, values_only=True))


def test_a_filled_in_template_imports(client_for):
    """The round trip a PMO user makes: download, fill in below the header, upload."""
    OrgUnitFactory(code="RD")
    ProjectFactory(code="P-7")
    RoleFactory(code="dev")
    client = client_for("pmo")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    for kind, values in [
        ("people", {"employee_no": "E77", "name": "王五", "org_unit_code": "RD"}),
        (
            "projects",
            {"code": "P-8", "name": "新项目", "org_unit_code": "RD", "classification": "Key"},
        ),
        (
            "resource_demand",
            {"project_code": "P-7", "role_code": "dev", "month": "2026-05", "hours": 40},
        ),
        ("org_units", {"code": "RD-9", "name": "测试部", "parent_code": "RD", "kind": "Division"}),
    ]:
        template = client.get(reverse("core:import_template", args=[kind])).content
        workbook = openpyxl.load_workbook(io.BytesIO(template))
        sheet = workbook.worksheets[0]
        keys = [c.key for c in RESOURCES[kind]().import_columns()]
        sheet.append([values.get(key) for key in keys])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = client.post(
            reverse("core:import_start"),
            {"kind": kind, "file": upload(f"{kind}.xlsx", buffer.getvalue())},
        )
        assert response.status_code == 302, response.content.decode()[:3000]
        job = ImportJob.objects.get(original_name=f"{kind}.xlsx")
        assert job.status == ImportJob.Status.PREVIEWED, job.summary
        client.post(response["Location"])
    assert Person.objects.filter(employee_no="E77").exists()
    assert Project.objects.get(code="P-8").classification == "key"
    assert ResourceDemand.objects.filter(project__code="P-7", hours=40).exists()
    assert OrgUnit.objects.get(code="RD-9").kind == "division"


def test_the_sidebar_offers_import_only_to_the_pmo(client_for):
    url = reverse("core:import_start")
    assert url in client_for("pmo").get(reverse("core:my_work")).content.decode()
    assert url not in client_for("pm").get(reverse("core:my_work")).content.decode()
