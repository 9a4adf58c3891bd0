"""Closeout: checklist with evidence, goal attainment, lessons, approval closing the project;
the PDFs of the responsibility agreement and of the closeout report."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from delivery import measures
from delivery.models import Closeout, Goal
from delivery.services import closeout as services
from delivery.services import goals, reports
from knowledge import services as knowledge
from knowledge.models import Lesson
from pmo.core.models import Project, Stage, StageChange
from pmo.reports.models import ReportRun
from tests.pdf import needs_pdftotext, pdf_text

pytestmark = pytest.mark.django_db

LESSON = {
    "title": "尽早锁定关键供应商",
    "description": "核心设备交付延迟导致上线推迟三周。",
    "recommendation": "立项阶段即签订框架协议并设置违约条款。",
    "phase": "planning",
    "knowledge_area": "procurement",
    "polarity": "negative",
    "root_cause": "external",
    "impact": "schedule",
}


def test_attainment_reference_values():
    D = Decimal
    assert measures.attainment(target=D(100), actual=D(80), baseline=D(60)) == D("50.0")
    assert measures.attainment(target=D(0), actual=D(10), baseline=D(30), increase=False) == D(
        "66.7"
    )
    assert measures.attainment(target=D(200), actual=D(300)) == D("150.0")
    assert measures.attainment(target=D(50), actual=D(40), increase=False) == D("125.0")
    assert measures.attainment(target=D(5), actual=D(5), baseline=D(5)) == D(100)
    assert measures.overall_attainment([D(150), D(50), None]) == D("75.0")
    assert measures.overall_attainment([]) is None


def _complete(project, actor, closeout):
    for item in closeout.items.all():
        services.closure_item_update(
            item=item, actor=actor, done=True, evidence_note="档案号 HC-2026-001"
        )
    for goal in Goal.objects.filter(project=project):
        services.goal_actual_record(goal=goal, actor=actor, actual_value=goal.target_value)
    knowledge.lesson_create(actor=actor, project=project, source="closeout", **LESSON)
    services.closeout_save(closeout=closeout, actor=actor, summary="系统按期上线，运行稳定。")


def test_closeout_closes_the_project_through_the_core(planned, pm_user, pmo_user):
    closeout = services.closeout_start(project=planned, actor=pm_user)
    assert Project.objects.get(pk=planned.pk).stage == Stage.CLOSING
    assert {i.code for i in closeout.items.all()} >= {"deliverables", "contracts", "lessons"}
    with pytest.raises(ValidationError) as error:
        services.closeout_submit(closeout=closeout, actor=pm_user)
    assert len(error.value.messages) >= 7  # items, goals, lessons, summary
    item = closeout.items.get(code="deliverables")
    with pytest.raises(ValidationError):
        services.closure_item_update(item=item, actor=pm_user, done=True)
    _complete(planned, pm_user, closeout)
    closeout.refresh_from_db()
    assert closeout.overall_attainment == Decimal("100.0")
    services.closeout_submit(closeout=closeout, actor=pm_user)
    with pytest.raises(ValidationError):
        services.closure_item_update(item=item, actor=pm_user, done=False)
    with pytest.raises(PermissionDenied):
        services.closeout_decide(closeout=closeout, actor=pm_user, approve=True)
    services.closeout_decide(closeout=closeout, actor=pmo_user, approve=True, note="同意关闭")
    project = Project.objects.get(pk=planned.pk)
    assert project.stage == Stage.CLOSED and project.actual_finish is not None
    change = StageChange.objects.filter(project=project).first()
    assert change.to_stage == Stage.CLOSED and change.actor == pmo_user
    assert Closeout.objects.get().status == Closeout.Status.APPROVED


def test_returned_closeout_can_be_reworked(planned, pm_user, pmo_user):
    closeout = services.closeout_start(project=planned, actor=pm_user)
    _complete(planned, pm_user, closeout)
    services.closeout_submit(closeout=closeout, actor=pm_user)
    with pytest.raises(ValidationError):
        services.closeout_decide(closeout=closeout, actor=pmo_user, approve=False)
    services.closeout_decide(
        closeout=closeout, actor=pmo_user, approve=False, note="补充合同关闭证明"
    )
    closeout.refresh_from_db()
    assert closeout.status == Closeout.Status.RETURNED
    assert Project.objects.get(pk=planned.pk).stage == Stage.CLOSING
    services.closeout_save(closeout=closeout, actor=pm_user, summary="已补充")


def test_a_benefit_goal_may_wait_for_its_review_date(planned, pm_user):
    closeout = services.closeout_start(project=planned, actor=pm_user)
    _complete(planned, pm_user, closeout)
    benefit = Goal.objects.get(project=planned, dimension="benefits")
    services.goal_actual_record(
        goal=benefit, actor=pm_user, actual_value=None, benefit_review_date=dt.date(2027, 6, 30)
    )
    assert services.closeout_problems(closeout) == []


def test_closure_evidence_file_is_checked(planned, pm_user):
    closeout = services.closeout_start(project=planned, actor=pm_user)
    item = closeout.items.get(code="documents")
    bad = SimpleUploadedFile("归档清单.xlsx", b"not a workbook")
    with pytest.raises(ValidationError):
        services.closure_item_update(item=item, actor=pm_user, done=True, upload=bad)
    item.refresh_from_db()
    assert not item.done and not item.evidence_file


def test_lessons_belong_to_the_library_after_curation(project, pm_user, pmo_user, member_user):
    lesson = knowledge.lesson_create(actor=member_user, project=project, **LESSON)
    assert lesson.status == "submitted" and lesson.project_type == project.project_type
    with pytest.raises(PermissionDenied):
        knowledge.lesson_curate(lesson=lesson, actor=pm_user, approve=True)
    knowledge.lesson_curate(lesson=lesson, actor=pmo_user, approve=True)
    assert Lesson.objects.visible_to(pm_user).filter(pk=lesson.pk).exists()
    knowledge.lesson_update(lesson=lesson, actor=member_user, title="尽早锁定关键设备供应商")
    assert lesson.status == "submitted"
    with pytest.raises(TypeError):
        knowledge.lesson_create(actor=member_user, project=project, status="approved", **LESSON)


# --- PDFs ---------------------------------------------------------------------------------


@needs_pdftotext
def test_agreement_pdf_contains_the_chinese_goals_raci_and_signatures(
    planned, pm_user, django_capture_on_commit_callbacks
):
    agreement = goals.agreement_issue(project=planned, actor=pm_user)
    goals.agreement_sign(agreement=agreement, actor=pm_user, comment="同意")
    with django_capture_on_commit_callbacks(execute=True):
        run = reports.agreement_pdf_request(agreement=agreement, actor=pm_user, language="zh-hans")
    run.refresh_from_db()
    assert run.status == ReportRun.Status.DONE, run.error
    text = pdf_text(run)
    assert "智慧工厂一期" in text
    assert "需求确认" in text and "变更审批" in text  # RACI activities
    assert "schedule目标" in text  # a goal title
    assert "以验收报告日期为准" in text
    assert pm_user.person.name in text
    assert "□" not in text and "\ufffd" not in text
    assert reports.agreement_run(agreement).pk == run.pk


@needs_pdftotext
def test_closeout_pdf_contains_the_chinese_result_and_lessons(
    planned, pm_user, django_capture_on_commit_callbacks
):
    closeout = services.closeout_start(project=planned, actor=pm_user)
    _complete(planned, pm_user, closeout)
    with django_capture_on_commit_callbacks(execute=True):
        run = reports.closeout_pdf_request(project=planned, actor=pm_user, language="zh-hans")
    run.refresh_from_db()
    assert run.status == ReportRun.Status.DONE, run.error
    text = pdf_text(run)
    assert "系统按期上线，运行稳定。" in text
    assert "尽早锁定关键供应商" in text
    assert "档案号 HC-2026-001" in text
    assert "100.0%" in text
