"""The project register printed to PDF: Chinese text with real glyphs, money in 万元."""

import datetime as dt
import shutil
from decimal import Decimal

import pytest

from pmo.core.models import Health, Stage
from pmo.core.services import project_summary_update
from pmo.reports import services
from pmo.reports.models import ReportRun
from pmo.reports.periods import period_containing
from tests.core.factories import OrgUnitFactory, PersonFactory, ProjectFactory
from tests.pdf import pdf_text

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")


@pytest.fixture
def register_projects(db):
    unit = OrgUnitFactory(name="智能制造事业部", name_en="Smart Manufacturing")
    manager = PersonFactory(name="王建国", name_en="Wang Jianguo", org_unit=unit)
    factory_project = ProjectFactory(
        code="ZH-001",
        name="智慧工厂",
        name_en="Smart factory",
        org_unit=unit,
        manager=manager,
        budget=Decimal("12500000"),
        planned_finish=dt.date(2026, 12, 31),
    )
    project_summary_update(
        project=factory_project,
        health=Health.RED,
        percent_complete=Decimal("45"),
        spend_to_date=Decimal("5600000"),
    )
    ProjectFactory(code="ZH-002", name="数据中台建设", name_en="Data platform", org_unit=unit)
    ProjectFactory(code="ZH-003", name="已关闭项目", stage=Stage.CLOSED)
    return factory_project


def render(language: str) -> ReportRun:
    run = services.report_run_request(
        kind="project_register",
        period=period_containing("weekly", dt.date(2026, 3, 4)),
        language=language,
        enqueue=False,
    )
    return services.report_run_render(run_id=run.pk)


def test_project_register_prints_chinese_text_without_tofu(register_projects):
    run = render("zh-hans")
    assert run.status == ReportRun.Status.DONE, run.error
    text = pdf_text(run)
    assert "智慧工厂" in text
    assert "数据中台建设" in text
    assert "智能制造事业部" in text
    assert "王建国" in text
    assert "项目台账" in text or "Project register" in text
    assert "1,250.00万元" in text  # the budget, in units of ten thousand yuan
    assert "560.00万元" in text
    assert "已关闭项目" not in text  # only active projects are listed
    assert "□" not in text and "\ufffd" not in text


def test_project_register_stores_file_and_checksum(register_projects):
    run = render("zh-hans")
    with run.file.open("rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF")
    import hashlib

    assert run.checksum == hashlib.sha256(data).hexdigest()
    assert run.finished_at is not None


def test_project_register_in_english_uses_english_names_and_yuan(register_projects):
    run = render("en")
    text = pdf_text(run)
    assert "Smart factory" in text
    assert "Project register" in text
    assert "¥12,500,000" in text
    assert "Off track" in text  # the health badge, in the report language


def test_charts_are_embedded_with_their_labels(register_projects):
    run = render("en")
    text = pdf_text(run)
    assert "Health of active projects" in text
    assert "Budget and spend by unit" in text
    assert "Smart Manufacturing" in text
