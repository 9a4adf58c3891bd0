"""Builders of knowledge objects for the tests, through the services."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from knowledge import services
from knowledge.models import Case, Category

LESSON = {
    "description": "关键设备到货延迟两个月，影响联调。",
    "recommendation": "立项阶段即启动长周期设备采购。",
    "phase": "planning",
    "knowledge_area": "procurement",
    "polarity": "negative",
    "root_cause": "process",
    "impact": "schedule",
}


def text_upload(name="纪要.txt", text="归档文件内容"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/plain")


def published_lesson(*, author, curator, project=None, title="尽早锁定关键设备供应商", **fields):
    lesson = services.lesson_create(
        actor=author, project=project, title=title, **{**LESSON, **fields}
    )
    return services.lesson_curate(lesson=lesson, actor=curator, approve=True)


def published_case(*, author, curator, project=None, title="数据中心迁移零停机", **fields):
    case = services.case_create(
        actor=author,
        title=title,
        outcome_kind=Case.Outcome.SUCCESS,
        project=project,
        background="旧机房租约到期。",
        what_happened="分三批迁移，每批前演练回切。",
        outcome="零停机完成迁移。",
        lessons="演练回切是关键。",
        **fields,
    )
    services.case_curate(case=case, actor=curator, to="reviewed")
    return services.case_curate(case=case, actor=curator, to="published")


def category(code="PM", name="项目管理", parent=None, actor=None):
    if actor is None:
        return Category.objects.create(code=code, name=name, name_en=code, parent=parent)
    return services.category_save(actor=actor, code=code, name=name, name_en=code, parent=parent)


def filed_record(
    *, submitter, archivist, project=None, security_level="internal", title="项目验收报告"
):
    record = services.record_create(
        actor=submitter,
        title=title,
        responsible="信息中心",
        record_date=timezone.localdate(),
        project=project,
        retention="D30",
        security_level=security_level,
        pieces=1,
        pages=12,
        carrier="electronic",
        location="",
        upload=text_upload(),
        submit=True,
    )
    return services.record_check(
        record=record,
        actor=archivist,
        complete=True,
        legible=True,
        metadata=True,
        accept=True,
        location="档案室A-01-03",
    )


def due(days=14):
    return timezone.localdate() + dt.timedelta(days=days)
