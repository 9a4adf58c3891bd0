"""Projects imported in bulk: the same result as row by row, all or nothing, flat queries."""

from decimal import Decimal

import pytest
from django.db import connection, models, transaction
from django.test.utils import CaptureQueriesContext

from pmo.core import importing, uploads
from pmo.core.models import ImportJob, Project, ProjectMember, SearchEntry
from pmo.core.resources import ProjectResource
from tests.core.data import csv_bytes, upload
from tests.core.factories import OrgUnitFactory, PersonFactory, ProjectFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media", "english")]

HEADERS = [
    "code",
    "name",
    "name_en",
    "org_unit_code",
    "manager_employee_no",
    "sponsor_employee_no",
    "program_code",
    "is_program",
    "classification",
    "stage",
    "planned_start",
    "planned_finish",
    "budget",
]


class RowByRowProjectResource(ProjectResource):
    """The same columns, written one row at a time through the services (the old path)."""

    class Meta(ProjectResource.Meta):
        use_bulk = False


def table(rows: list[list]) -> uploads.Table:
    return uploads.read_table(csv_bytes(rows), uploads.CSV)


def project_rows(count: int, *, unit: str = "RD", people=("E1", "E2")) -> list[list]:
    rows = [HEADERS]
    for n in range(count):
        programme = n % 10 == 0
        rows.append(
            [
                f"P-{n:05d}",
                f"项目{n}",
                f"Project {n}",
                unit,
                people[n % len(people)],
                people[(n + 1) % len(people)],
                "" if programme else f"P-{n - n % 10:05d}",
                "是" if programme else "否",
                "重大" if n % 3 == 0 else "一般",
                "active",
                "2026-01-01",
                "2026-12-31",
                str(1000 + n),
            ]
        )
    return rows


def snapshot() -> dict:
    """What an import leaves behind, independent of ids and timestamps."""
    projects = {
        p.code: (
            p.name,
            p.name_en,
            p.org_unit.code,
            p.manager.employee_no if p.manager else None,
            p.sponsor.employee_no if p.sponsor else None,
            p.program.code if p.program else None,
            p.is_program,
            p.classification,
            p.stage,
            p.planned_start,
            p.planned_finish,
            p.budget,
            p.history.count(),
            p.history.first().history_user_id,
        )
        for p in Project.objects.select_related("org_unit", "manager", "sponsor", "program")
    }
    members = sorted(
        ProjectMember.objects.values_list(
            "project__code", "person__employee_no", "project_role", "allocation_percent"
        )
    )
    entries = sorted(
        (e.kind, e.title, e.body, e.url.replace(str(e.object_id), "#"), e.access)
        for e in SearchEntry.objects.filter(kind="projects")
    )
    assert len(entries) == len(projects)  # every project is in the search index
    return {"projects": projects, "members": members, "entries": entries}


def run_both(rows, actor, monkeypatch):
    """Import the rows row by row, undo, then in bulk: both summaries and both states."""
    results = []
    for resource in (RowByRowProjectResource, ProjectResource):
        monkeypatch.setitem(importing.RESOURCES, "projects", resource)
        with transaction.atomic():
            summary = importing.run_import("projects", table(rows), actor=actor, commit=True)
            results.append((summary, snapshot()))
            transaction.set_rollback(True)
    return results


def test_bulk_import_writes_exactly_what_the_row_by_row_import_writes(pmo_user, monkeypatch):
    OrgUnitFactory(code="RD")
    OrgUnitFactory(code="OPS")
    PersonFactory(employee_no="E1")
    PersonFactory(employee_no="E2")
    PersonFactory(employee_no="E3")
    # An existing project the file updates (name, unit, manager and sponsor).
    ProjectFactory(code="P-00001", name="旧名", org_unit__code="OLD")
    rows = project_rows(25)
    (old_path, old_state), (bulk, bulk_state) = run_both(rows, pmo_user, monkeypatch)
    assert not importing.has_problems(bulk), bulk
    assert bulk == old_path
    assert bulk_state == old_state
    assert bulk["counts"] == {"new": 24, "update": 1, "skip": 0, "invalid": 0}

    # A second file over the first: other managers and sponsors from row 10 on, and a
    # unit moved; the first rows are unchanged.
    importing.run_import("projects", table(rows), actor=pmo_user, commit=True)
    again = [*rows[:11], *project_rows(25, people=("E3", "E1"))[11:]]
    again[12][3] = "OPS"
    (old_path, old_state), (bulk, bulk_state) = run_both(again, pmo_user, monkeypatch)
    assert bulk == old_path
    assert bulk_state == old_state
    assert bulk["counts"] == {"new": 0, "update": 15, "skip": 10, "invalid": 0}


def test_bulk_and_row_by_row_report_the_same_errors(pmo_user, monkeypatch):
    OrgUnitFactory(code="RD")
    PersonFactory(employee_no="E1")
    PersonFactory(employee_no="E2")
    rows = project_rows(12)
    rows[2][12] = "-5"  # a negative budget: a check constraint
    rows[3][11] = "2025-01-01"  # finish before start: another one
    rows[4][3] = "NOWHERE"  # an unknown unit
    rows[5][0] = rows[6][0]  # a key given twice
    rows[7][6] = "P-00002"  # a programme that is not one
    (old_path, _old), (bulk, _new) = run_both(rows, pmo_user, monkeypatch)
    assert bulk == old_path
    errors = {row["line"]: row["errors"] for row in bulk["rows"] if row["errors"]}
    assert errors[3] == {"budget": ["The budget cannot be negative."]}
    assert errors[4] == {
        "planned_finish": ["The planned finish cannot be before the planned start."]
    }
    assert list(errors[5]) == ["org_unit_code"]
    assert list(errors[7]) == ["code"]
    assert list(errors[8]) == ["program_code"]


def test_every_check_constraint_of_projects_has_an_in_memory_test():
    names = {c.name for c in Project._meta.constraints if isinstance(c, models.CheckConstraint)}
    assert names == set(ProjectResource.constraint_checks)


def _queries(callable_) -> int:
    with CaptureQueriesContext(connection) as captured:
        callable_()
    return len(captured)


def test_preview_and_commit_cost_the_same_queries_for_10_or_400_rows(pmo_user):
    OrgUnitFactory(code="RD")
    PersonFactory(employee_no="E1")
    PersonFactory(employee_no="E2")
    counts = {}
    for size in (10, 400):
        rows = project_rows(size)
        rows[1:] = [[f"S{size}-{row[0]}", *row[1:6], "", *row[7:]] for row in rows[1:]]
        preview = _queries(
            lambda rows=rows: importing.run_import(
                "projects", table(rows), actor=pmo_user, commit=False
            )
        )
        commit = _queries(
            lambda rows=rows: importing.run_import(
                "projects", table(rows), actor=pmo_user, commit=True
            )
        )
        counts[size] = (preview, commit)
    assert counts[10] == counts[400]
    assert Project.objects.filter(code__startswith="S400-").count() == 400


def test_a_bad_row_at_line_9999_of_10000_blocks_the_file(
    pmo_user, settings, django_capture_on_commit_callbacks
):
    settings.PMO_IMPORT_MAX_ROWS = 10_000
    OrgUnitFactory(code="RD")
    last_unit = OrgUnitFactory(code="LATE")
    PersonFactory(employee_no="E1")
    PersonFactory(employee_no="E2")
    rows = project_rows(10_000)
    rows[9_998][3] = "LATE"  # line 9,999 of the file (line 1 is the header)

    with django_capture_on_commit_callbacks(execute=True):  # checked by a task
        job = importing.import_job_create(
            kind="projects", upload=upload("big.csv", csv_bytes(rows)), actor=pmo_user
        )
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEWED
    assert job.summary["counts"]["new"] == 10_000

    last_unit.delete()  # the data changes between the preview and the confirmation
    with django_capture_on_commit_callbacks(execute=True):  # written by a task
        importing.import_job_commit(job=job, actor=pmo_user)
    job.refresh_from_db()

    assert job.status == ImportJob.Status.FAILED
    bad = [row for row in job.summary["rows"] if row["action"] == importing.INVALID]
    assert [row["line"] for row in bad] == [9_999]
    assert "There is no organisational unit" in bad[0]["errors"]["org_unit_code"][0]
    assert not Project.objects.filter(code__startswith="P-").exists()
    assert not ProjectMember.objects.exists()
    assert not SearchEntry.objects.filter(kind="projects").exists()


def test_a_10000_row_file_is_written_with_members_history_and_search_entries(pmo_user, settings):
    settings.PMO_IMPORT_MAX_ROWS = 10_000
    settings.PMO_IMPORT_BACKGROUND_ROWS = 10_000  # within the request this time
    OrgUnitFactory(code="RD")
    PersonFactory(employee_no="E1")
    PersonFactory(employee_no="E2")
    job = importing.import_job_create(
        kind="projects", upload=upload("big.csv", csv_bytes(project_rows(10_000))), actor=pmo_user
    )
    job = importing.import_job_commit(job=job, actor=pmo_user)

    assert job.status == ImportJob.Status.COMMITTED, job.summary["file_errors"]
    assert Project.objects.count() == 10_000
    assert Project.objects.filter(program__code="P-09990").count() == 9
    assert ProjectMember.objects.count() == 20_000
    assert SearchEntry.objects.filter(kind="projects").count() == 10_000
    assert Project.history.filter(history_user=pmo_user).count() == 10_000
    assert Project.objects.get(code="P-09999").budget == Decimal(10_999)
