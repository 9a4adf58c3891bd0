"""The PMO imports a small Excel file through the preview, then exports the register."""

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from pmo.core import roles
from pmo.core.models import Project
from tests.browser.conftest import login
from tests.core.data import xlsx_bytes
from tests.core.factories import OrgUnitFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def pmo_and_file(tmp_path):
    user = UserFactory(username="pmo.zhang", groups=[roles.PMO_STAFF])
    PersonFactory(user=user, name="张主任", name_en="Zhang Wei")
    OrgUnitFactory(code="IT", name="信息技术部", name_en="IT department")
    PersonFactory(employee_no="E90001", name="陈项目经理", name_en="Chen Jun")
    rows = [
        [
            "code",
            "name",
            "name_en",
            "org_unit_code",
            "manager_employee_no",
            "classification",
            "planned_start",
            "planned_finish",
            "budget",
        ],
        [
            "IT-2027-101",
            "主数据治理",
            "Master data governance",
            "IT",
            "E90001",
            "key",
            "2027-01-01",
            "2027-06-30",
            1800000,
        ],
        [
            "IT-2027-102",
            "移动办公平台",
            "Mobile office platform",
            "IT",
            "E90001",
            "general",
            "2027-02-01",
            "2027-09-30",
            950000,
        ],
    ]
    path = tmp_path / "projects.xlsx"
    path.write_bytes(xlsx_bytes(rows))
    return user, path


def test_pmo_imports_through_the_preview_and_exports(page, live_server, pmo_and_file, shoot):
    user, path = pmo_and_file
    login(page, live_server, user.username)
    page.goto(f"{live_server.url}/import/")
    page.check("input[name=kind][value=projects]")
    page.set_input_files("input[type=file]", str(path))
    shoot("import-start-zh")
    page.get_by_test_id("import-form").locator("button[type=submit]").click()

    rows = page.get_by_test_id("preview-rows")
    expect(rows).to_contain_text("主数据治理")
    expect(rows).to_contain_text("移动办公平台")
    assert not Project.objects.filter(
        code__startswith="IT-2027-"
    ).exists()  # preview writes nothing
    shoot("import-preview-zh")
    page.get_by_test_id("commit-form").locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert set(
        Project.objects.filter(code__startswith="IT-2027-").values_list("code", flat=True)
    ) == {
        "IT-2027-101",
        "IT-2027-102",
    }

    page.goto(f"{live_server.url}/projects/?q=IT-2027")
    expect(page.locator("#project-table tbody tr")).to_have_count(2)
    with page.expect_download() as download_info:
        page.get_by_test_id("export-xlsx").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
    codes = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert codes == {"IT-2027-101", "IT-2027-102"}
