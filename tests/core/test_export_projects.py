"""Exporting the project register: CSV and XLSX, filters, visibility, formula injection."""

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from pmo.core.models import SecurityEvent, Stage
from pmo.core.resources import FORMULA_TRIGGERS, neutralise
from tests.core.factories import ProjectFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

EXPORT = reverse("core:project_export")


def english_client(client_for, role):
    client = client_for(role)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def read_csv(response) -> list[list[str]]:
    content = response.content
    assert content.startswith("\ufeff".encode())  # Excel needs the BOM for Chinese
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def read_xlsx(response) -> list[list]:
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def test_csv_export_has_translated_headers_and_the_visible_projects(client_for, project):
    response = english_client(client_for, "pmo").get(EXPORT, {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'attachment; filename="projects-' in response["Content-Disposition"]
    header, *rows = read_csv(response)
    assert header[:4] == ["Code", "Name", "English name", "Description"]
    assert "Health" in header and "Project manager" in header
    row = dict(zip(header, rows[0], strict=True))
    assert row["Code"] == project.code
    assert row["Name"] == "智慧工厂一期"
    assert row["Lifecycle stage"] == "Active"
    assert row["Project manager's employee number"] == project.manager.employee_no
    assert row["Planned start"] == "2026-01-01"
    assert Decimal(row["Budget (CNY)"]) == Decimal("1200000")


def test_xlsx_export_keeps_dates_and_numbers_typed(client_for, project):
    response = english_client(client_for, "executive").get(EXPORT, {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    header, *rows = read_xlsx(response)
    row = dict(zip(header, rows[0], strict=True))
    assert row["Code"] == project.code
    assert row["Planned finish"] == dt.datetime(2026, 12, 31)
    assert row["Budget (CNY)"] == 1200000
    assert row["Is a programme"] == "No"


def test_xlsx_is_the_default_format_and_others_are_not_found(client_for, project):
    client = client_for("pmo")
    assert client.get(EXPORT)["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(EXPORT, {"format": "pdf"}).status_code == 404


def test_export_applies_the_list_filters(client_for, project, other_project):
    ProjectFactory(code="Z-IDEA", stage=Stage.IDEA)
    client = english_client(client_for, "pmo")
    _header, *rows = read_csv(client.get(EXPORT, {"format": "csv", "stage": "idea"}))
    assert [r[0] for r in rows] == ["Z-IDEA"]
    _header, *rows = read_csv(client.get(EXPORT, {"format": "csv", "q": project.code}))
    assert [r[0] for r in rows] == [project.code]


@pytest.mark.parametrize(
    ("role", "sees_project", "sees_other"),
    [
        ("pmo", True, True),
        ("executive", True, True),
        ("pm", True, False),
        ("other_pm", False, True),
        ("member", True, False),
        ("reviewer", False, False),
    ],
)
def test_export_respects_visibility(
    client_for, project, other_project, role, sees_project, sees_other
):
    _header, *rows = read_csv(client_for(role).get(EXPORT, {"format": "csv"}))
    codes = {r[0] for r in rows}
    assert (project.code in codes) is sees_project
    assert (other_project.code in codes) is sees_other


def test_export_requires_login(client):
    response = client.get(EXPORT)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


DANGEROUS = ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exported_text_cannot_run_as_a_formula(client_for, pm_user, fmt):
    for index, text in enumerate(DANGEROUS):
        ProjectFactory(code=f"X{index}", name=text, description=text, manager=pm_user.person)
    response = english_client(client_for, "pmo").get(EXPORT, {"format": fmt})
    header, *rows = read_csv(response) if fmt == "csv" else read_xlsx(response)
    names = {r[0]: r[header.index("Name")] for r in rows}
    for index, text in enumerate(DANGEROUS):
        expected = "'" + text
        if fmt == "xlsx":  # XML reads a carriage return back as a line feed
            expected = expected.replace("\r", "\n")
        assert names[f"X{index}"] == expected
    if fmt == "xlsx":
        workbook = openpyxl.load_workbook(io.BytesIO(response.content))
        types = {cell.data_type for row in workbook.worksheets[0].iter_rows() for cell in row}
        assert "f" not in types  # no cell is a formula


def test_neutralise_leaves_numbers_and_plain_text_alone():
    assert neutralise("智慧工厂") == "智慧工厂"
    assert neutralise(-5) == -5
    assert neutralise(None) is None
    for trigger in FORMULA_TRIGGERS:
        assert neutralise(trigger + "x") == "'" + trigger + "x"


def test_export_is_recorded_as_a_security_event(client_for, project):
    client_for("pm").get(EXPORT, {"format": "csv", "q": "智慧"})
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.EXPORT)
    assert event.username == "pm"
    assert "csv" in event.detail and "1 rows" in event.detail


@pytest.mark.parametrize("count", [5, 50])
def test_export_queries_stay_flat(client_for, pm_user, django_assert_max_num_queries, count):
    for _ in range(count):
        ProjectFactory(manager=pm_user.person)
    client = client_for("pmo")
    with django_assert_max_num_queries(10):
        response = client.get(EXPORT, {"format": "xlsx"})
    assert len(read_xlsx(response)) == count + 1
