"""Importing through the browser flow: upload → preview → confirm, for each kind of data."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from pmo.core.models import (
    ImportJob,
    OrgUnit,
    Person,
    Project,
    ResourceDemand,
    SecurityEvent,
    Stage,
)
from tests.core.data import csv_bytes, table_file, xlsx_bytes
from tests.core.data import upload as upload_file
from tests.core.factories import (
    OrgUnitFactory,
    PersonFactory,
    ProjectFactory,
    ProjectTypeFactory,
    RoleFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media", "english")]
FORMATS = ("csv", "xlsx")


def upload(client, kind, file):
    """Upload a file; return the response and the job it created (if any)."""
    before = set(ImportJob.objects.values_list("pk", flat=True))
    response = client.post(reverse("core:import_start"), {"kind": kind, "file": file})
    created = ImportJob.objects.exclude(pk__in=before).first()
    return response, created


def preview_and_confirm(client, kind, file):
    """The whole happy path; returns the committed job."""
    response, job = upload(client, kind, file)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == reverse("core:import_preview", args=[job.pk])
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    assert job.status == ImportJob.Status.PREVIEWED, job.summary
    assert 'data-testid="commit-form"' in preview.content.decode()
    confirmed = client.post(response["Location"], follow=True)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.COMMITTED, job.summary
    assert job.committed_at is not None
    assert "alert-success" in confirmed.content.decode()
    return job


# --- org units --------------------------------------------------------------------------

UNIT_ROWS = [
    ["code", "name", "name_en", "kind", "parent_code"],
    # The child comes before its parent: rows are ordered parents first.
    ["RD", "研发中心", "R&D centre", "division", "HQ"],
    ["HQ", "集团总部", "Head office", "Company", ""],
    ["RD-1", "平台部", "Platform", "", "RD"],
]


@pytest.mark.parametrize("fmt", FORMATS)
def test_org_units_import_builds_the_tree(pmo, fmt):
    job = preview_and_confirm(pmo, "org_units", table_file(UNIT_ROWS, fmt))

    hq, rd, platform = (OrgUnit.objects.get(code=c) for c in ("HQ", "RD", "RD-1"))
    assert (hq.kind, hq.parent, hq.name_en) == ("company", None, "Head office")
    assert (rd.kind, rd.parent) == ("division", hq)
    assert platform.kind == "department"  # empty cell → the default kind
    assert platform.path == f"/{hq.pk}/{rd.pk}/{platform.pk}/"
    assert platform.depth == 2
    assert job.summary["counts"] == {"new": 3, "update": 0, "skip": 0, "invalid": 0}
    event = SecurityEvent.objects.filter(kind="import", success=True).first()
    assert event is not None and f"commit #{job.pk}" in event.detail


def test_org_units_import_moves_a_subtree_with_its_paths(pmo):
    old_parent = OrgUnitFactory(code="OLD")
    new_parent = OrgUnitFactory(code="NEW")
    unit = OrgUnitFactory(code="U1", parent=old_parent)
    child = OrgUnitFactory(code="U1-1", parent=unit)

    rows = [["code", "name", "parent_code"], ["U1", "单元一", "NEW"]]
    preview_and_confirm(pmo, "org_units", table_file(rows, "csv"))

    child.refresh_from_db()
    assert child.path == f"{new_parent.path}{unit.pk}/{child.pk}/"
    old_parent.refresh_from_db()
    assert old_parent.path == f"/{old_parent.pk}/"


def test_org_units_heads_are_named_by_employee_number(pmo):
    OrgUnitFactory(code="HQ")
    head = PersonFactory(employee_no="E9001")
    rows = [["code", "name", "head_employee_no"], ["HQ", "集团总部", "E9001"]]
    preview_and_confirm(pmo, "org_units", table_file(rows, "xlsx"))
    assert OrgUnit.objects.get(code="HQ").head == head


# --- people -------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_people_import_creates_and_updates(pmo, fmt):
    unit = OrgUnitFactory(code="RD")
    role = RoleFactory(code="dev")
    existing = PersonFactory(employee_no="E0001", name="旧名字", org_unit=unit)
    # Headers in English labels (as in a template downloaded in English).
    rows = [
        [
            "Employee number *",
            "Name",
            "E-mail",
            "Organisational unit code",
            "Resource role code",
            "Weekly capacity (hours)",
            "Cost rate (CNY per hour)",
            "Active",
        ],
        ["E0001", "张三", "zhang@example.com", "RD", "dev", "32", "450.5", "是"],
        ["E0002", "李四", "", "RD", "", "", "", "否"],
    ]
    job = preview_and_confirm(pmo, "people", table_file(rows, fmt))

    existing.refresh_from_db()
    assert (existing.name, existing.email, existing.role) == ("张三", "zhang@example.com", role)
    assert existing.weekly_capacity_hours == Decimal("32")
    assert existing.cost_rate == Decimal("450.5")
    new = Person.objects.get(employee_no="E0002")
    assert (new.org_unit, new.role, new.is_active) == (unit, None, False)
    assert new.weekly_capacity_hours == Decimal(40)
    assert (job.summary["counts"]["new"], job.summary["counts"]["update"]) == (1, 1)


# --- projects -----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_projects_import_with_programme_people_and_dates(pmo, fmt):
    unit = OrgUnitFactory(code="RD")
    manager = PersonFactory(employee_no="E0100")
    sponsor = PersonFactory(employee_no="E0200")
    ProjectTypeFactory(code="it")
    rows = [
        [
            "code",
            "name",
            "type_code",
            "org_unit_code",
            "sponsor_employee_no",
            "manager_employee_no",
            "program_code",
            "is_program",
            "classification",
            "stage",
            "planned_start",
            "planned_finish",
            "budget",
            "description",
        ],
        [
            "PRJ-2",
            "数据中台",
            "it",
            "RD",
            "E0200",
            "E0100",
            "PGM-1",
            "否",
            "Key",
            "active",
            dt.date(2026, 2, 1) if fmt == "xlsx" else "2026/2/1",
            "2026-11-30",
            "1,500,000",
            "=cmd|' /C calc'!A0",
        ],
        ["PGM-1", "数字化转型", "", "RD", "", "E0100", "", "是", "major", "", "", "", "", ""],
    ]
    preview_and_confirm(pmo, "projects", table_file(rows, fmt))

    programme = Project.objects.get(code="PGM-1")
    project = Project.objects.get(code="PRJ-2")
    assert programme.is_program and programme.stage == Stage.IDEA
    assert project.program == programme
    assert (project.org_unit, project.manager, project.sponsor) == (unit, manager, sponsor)
    assert (project.classification, project.stage) == ("key", "active")
    assert (project.planned_start, project.planned_finish) == (
        dt.date(2026, 2, 1),
        dt.date(2026, 11, 30),
    )
    assert project.budget == Decimal("1500000")
    # A CSV cell is text; an XLSX formula cell is read for its cached value, never run.
    assert project.description == ("=cmd|' /C calc'!A0" if fmt == "csv" else "")
    # The service keeps member rows for the manager and the sponsor.
    assert set(project.members.values_list("person__employee_no", "project_role")) == {
        ("E0100", "manager"),
        ("E0200", "sponsor"),
    }


def test_projects_import_never_changes_the_stage_of_an_existing_project(pmo):
    project = ProjectFactory(code="P-1", stage=Stage.ACTIVE)
    rows = [
        ["code", "name", "org_unit_code", "stage"],
        ["P-1", "新名称", project.org_unit.code, "closed"],
    ]
    response, job = upload(pmo, "projects", table_file(rows, "csv"))
    page = pmo.get(response["Location"]).content.decode()
    assert "existing project changes stage" in page
    pmo.post(response["Location"])
    project.refresh_from_db()
    assert (project.name, project.stage) == ("新名称", Stage.ACTIVE)


# --- resource demand ----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_resource_demand_import_sets_hours_per_month(pmo, fmt):
    project = ProjectFactory(code="P-9")
    dev = RoleFactory(code="dev")
    RoleFactory(code="test")
    ResourceDemand.objects.create(
        project=project, role=dev, month=dt.date(2026, 3, 1), hours=10, source="plan"
    )
    rows = [
        ["project_code", "role_code", "month", "hours", "source", "note"],
        ["P-9", "dev", "2026-03", "160", "plan", "更新"],
        ["P-9", "dev", dt.datetime(2026, 4, 1) if fmt == "xlsx" else "2026年4月", "120.5", "", ""],
        ["P-9", "test", "2026/4", "80", "Business case", ""],
    ]
    job = preview_and_confirm(pmo, "resource_demand", table_file(rows, fmt))

    demand = {
        (d.role.code, d.month, d.source): (d.hours, d.note)
        for d in ResourceDemand.objects.filter(project=project).select_related("role")
    }
    assert demand == {
        ("dev", dt.date(2026, 3, 1), "plan"): (Decimal("160"), "更新"),
        ("dev", dt.date(2026, 4, 1), "manual"): (Decimal("120.5"), ""),
        ("test", dt.date(2026, 4, 1), "business_case"): (Decimal("80"), ""),
    }
    assert job.summary["counts"] == {"new": 2, "update": 1, "skip": 0, "invalid": 0}


# --- errors, all or nothing, re-import -------------------------------------------------------


def test_a_bad_row_blocks_the_whole_file_and_is_shown_per_cell(pmo):
    OrgUnitFactory(code="RD")
    rows = [
        ["code", "name", "org_unit_code", "budget", "planned_start", "planned_finish", "stage"],
        ["OK-1", "好项目", "RD", "100", "2026-01-01", "2026-06-30", "idea"],
        ["BAD-1", "坏项目", "NOPE", "abc", "2026-05-01", "2026-04-01", "whatever"],
        ["OK-2", "另一个好项目", "RD", "", "", "", ""],
    ]
    response, job = upload(pmo, "projects", table_file(rows, "csv"))
    assert job.status == ImportJob.Status.INVALID
    page = pmo.get(response["Location"]).content.decode()
    assert 'data-testid="commit-form"' not in page
    assert "There is no organisational unit with code “NOPE”." in page
    assert "“abc” is not a number." in page
    assert "“whatever” is not an allowed value." in page
    bad = next(r for r in job.summary["rows"] if r["line"] == 3)
    assert set(bad["errors"]) == {"org_unit_code", "budget", "stage", "planned_finish"}
    assert [r["action"] for r in job.summary["rows"]] == ["new", "invalid", "new"]

    # Confirming anyway writes nothing.
    followed = pmo.post(response["Location"], follow=True)
    assert not Project.objects.filter(code__in=["OK-1", "OK-2", "BAD-1"]).exists()
    assert "alert-danger" in followed.content.decode()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.INVALID


def test_model_rules_are_errors_of_their_column(pmo):
    OrgUnitFactory(code="RD")
    rows = [
        ["code", "name", "org_unit_code", "planned_start", "planned_finish"],
        ["P-1", "", "RD", "2026-05-01", "2026-04-01"],
    ]
    _response, job = upload(pmo, "projects", table_file(rows, "csv"))
    (row,) = job.summary["rows"]
    assert "name" in row["errors"]
    assert row["errors"]["planned_finish"] == [
        "The planned finish cannot be before the planned start."
    ]


def test_a_key_given_twice_in_one_file_is_an_error(pmo):
    rows = [["code", "name"], ["X", "一"], ["X", "二"]]
    _response, job = upload(pmo, "org_units", table_file(rows, "csv"))
    assert job.status == ImportJob.Status.INVALID
    second = job.summary["rows"][1]
    assert second["errors"]["code"] == ["Line 2 of this file already has this key."]


def test_missing_required_columns_are_named(pmo):
    rows = [["name", "colour"], ["研发中心", "red"]]
    response, job = upload(pmo, "org_units", table_file(rows, "csv"))
    page = pmo.get(response["Location"]).content.decode()
    assert job.status == ImportJob.Status.INVALID
    assert "The file has no column for: Code" in page
    assert "colour" in page  # listed as ignored


def test_commit_writes_nothing_when_a_row_has_become_invalid(pmo):
    OrgUnitFactory(code="RD")
    role = RoleFactory(code="gone")
    rows = [
        ["employee_no", "name", "org_unit_code", "role_code"],
        ["E1", "甲", "RD", ""],
        ["E2", "乙", "RD", "gone"],
    ]
    response, job = upload(pmo, "people", table_file(rows, "csv"))
    assert job.status == ImportJob.Status.PREVIEWED
    role.delete()  # the data changed between preview and confirm

    pmo.post(response["Location"])

    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert not Person.objects.filter(employee_no__in=["E1", "E2"]).exists()
    assert job.summary["rows"][1]["errors"]["role_code"]
    assert SecurityEvent.objects.filter(kind="import", success=False).exists()


def test_a_job_is_committed_only_once(pmo):
    rows = [["code", "name"], ["HQ", "集团总部"]]
    response, job = upload(pmo, "org_units", table_file(rows, "csv"))
    pmo.post(response["Location"])
    followed = pmo.post(response["Location"], follow=True)
    assert "This file has already been imported." in followed.content.decode()
    assert OrgUnit.objects.filter(code="HQ").count() == 1


@pytest.mark.parametrize("fmt", FORMATS)
def test_importing_the_same_file_again_changes_nothing(pmo, fmt):
    OrgUnitFactory(code="RD")
    rows = [
        ["code", "name", "org_unit_code", "budget", "planned_start", "is_program"],
        ["P-1", "项目一", "RD", "1000", "2026-01-01", "否"],
        ["P-2", "项目二", "RD", "2000.50", "", ""],
    ]
    # The very same bytes twice: a workbook saved again carries a new timestamp.
    content = xlsx_bytes(rows) if fmt == "xlsx" else csv_bytes(rows)
    preview_and_confirm(pmo, "projects", upload_file(f"projects.{fmt}", content))
    before = list(Project.objects.order_by("code").values_list("pk", "code", "budget"))

    response, again = upload(pmo, "projects", upload_file(f"projects.{fmt}", content))
    page = pmo.get(response["Location"]).content.decode()
    assert again.summary["counts"] == {"new": 0, "update": 0, "skip": 2, "invalid": 0}
    assert "already imported" in page
    assert len(re.findall(r'<tr data-line="\d+" data-action="skip">', page)) == 2
    pmo.post(response["Location"])

    assert list(Project.objects.order_by("code").values_list("pk", "code", "budget")) == before


def test_a_changed_file_updates_and_marks_the_changed_cells(pmo):
    OrgUnitFactory(code="RD")
    rows = [["code", "name", "org_unit_code"], ["P-1", "项目一", "RD"], ["P-2", "项目二", "RD"]]
    preview_and_confirm(pmo, "projects", table_file(rows, "csv"))
    rows[2][1] = "项目二（改）"
    response, job = upload(pmo, "projects", table_file(rows, "csv"))
    assert [r["action"] for r in job.summary["rows"]] == ["skip", "update"]
    assert job.summary["rows"][1]["changes"] == ["name"]
    assert "table-info" in pmo.get(response["Location"]).content.decode()
    pmo.post(response["Location"])
    assert Project.objects.get(code="P-2").name == "项目二（改）"
    assert Project.objects.filter(code__in=["P-1", "P-2"]).count() == 2


# --- the pages ------------------------------------------------------------------------------


def test_import_page_lists_recent_imports_and_documents_the_columns(pmo):
    upload(pmo, "org_units", table_file([["code", "name"], ["HQ", "总部"]], "csv"))
    page = pmo.get(reverse("core:import_start")).content.decode()
    assert 'data-testid="recent-imports"' in page
    assert "data.csv" in page
    for kind in ("org_units", "people", "projects", "resource_demand"):
        assert reverse("core:import_template", args=[kind]) in page
    assert "<code>employee_no</code>" in page


def test_a_form_without_a_file_is_shown_again_with_its_error(pmo):
    response = pmo.post(reverse("core:import_start"), {"kind": "people"})
    assert response.status_code == 422
    assert "is-invalid" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_preview_can_show_only_the_rows_with_problems(pmo):
    rows = [["code", "name"], ["A", "一"], ["B", ""], ["C", "三"]]
    response, _job = upload(pmo, "org_units", table_file(rows, "csv"))
    page = pmo.get(response["Location"] + "?problems=1").content.decode()
    assert page.count("<tr data-line=") == 1
    assert 'data-line="3"' in page


@pytest.mark.parametrize("rows", [5, 50])
def test_preview_queries_stay_flat_as_rows_grow(pmo, django_assert_max_num_queries, rows):
    OrgUnitFactory(code="RD")
    data = [["code", "name", "org_unit_code", "budget"]]
    data += [[f"P-{i}", f"项目{i}", "RD", str(i * 1000)] for i in range(rows)]
    response, _job = upload(pmo, "projects", table_file(data, "xlsx"))
    with django_assert_max_num_queries(8):
        page = pmo.get(response["Location"])
    assert page.content.decode().count("<tr data-line=") == rows
