"""What other apps rely on: article_create, contribution_counts, the lesson services."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from knowledge import services
from knowledge.models import Article, Case, Category, Lesson
from knowledge.selectors import contribution_counts

LESSON = {
    "title": "尽早锁定关键设备供应商",
    "description": "关键设备到货延迟两个月，影响联调。",
    "recommendation": "立项阶段即启动长周期设备采购。",
    "phase": "planning",
    "knowledge_area": "procurement",
    "polarity": "negative",
    "root_cause": "process",
    "impact": "schedule",
}


def test_article_create_publishes_a_first_version_with_files(member_user):
    category = Category.objects.create(code="PM", name="项目管理", name_en="Project management")
    upload = SimpleUploadedFile("纪要.txt", "分享会纪要".encode(), content_type="text/plain")
    article = services.article_create(
        actor=member_user,
        title="敏捷转型分享会材料",
        body="# 要点\n\n- 迭代评审",
        category=category,
        files=[upload],
        source_label="知识分享活动 2026-03",
    )
    assert article.status == Article.Status.PUBLISHED and article.published_at
    assert article.owner == member_user.person and article.label == "敏捷转型分享会材料"
    assert article.versions.get().number == 1
    assert article.files.get().original_name == "纪要.txt"
    assert article.get_absolute_url() == f"/knowledge/articles/{article.pk}/"
    draft = services.article_create(actor=member_user, title="草稿", body="x", publish=False)
    assert draft.status == Article.Status.DRAFT and draft.published_at is None


def test_contribution_counts_by_person(member_user, pmo_user, pm_user, project):
    lesson = services.lesson_create(actor=member_user, project=project, **LESSON)
    services.lesson_curate(lesson=lesson, actor=pmo_user, approve=True)
    services.usage_apply(actor=pm_user, item=lesson, project=project, result="helped")
    case = services.case_create(
        actor=member_user,
        title="数据中心迁移",
        outcome_kind=Case.Outcome.SUCCESS,
        background="b",
        what_happened="w",
        outcome="o",
    )
    services.case_curate(case=case, actor=pmo_user, to="reviewed")
    services.case_curate(case=case, actor=pmo_user, to="published")
    services.article_create(actor=member_user, title="t", body="b")
    today = timezone.localdate()
    counts = contribution_counts(start=today - dt.timedelta(days=1), end=today)
    assert counts[member_user.person.pk] == {
        "lessons_published": 1,
        "lessons_applied_by_others": 1,
        "cases_published": 1,
        "articles_published": 1,
    }
    assert (
        contribution_counts(start=today - dt.timedelta(days=9), end=today - dt.timedelta(days=2))
        == {}
    )


def test_lesson_curation_reviews_then_publishes_or_returns(member_user, pmo_user, project):
    lesson = services.lesson_create(actor=member_user, project=project, **LESSON)
    with pytest.raises(Exception):  # noqa: B017 - a ValidationError: not reviewed yet
        services.lesson_publish(lesson=lesson, actor=pmo_user)
    services.lesson_review(lesson=lesson, actor=pmo_user)
    services.lesson_publish(lesson=lesson, actor=pmo_user)
    assert lesson.status == Lesson.Status.PUBLISHED and lesson.published_at
    services.lesson_return(lesson=lesson, actor=pmo_user, reason="请补充适用范围")
    assert lesson.status == Lesson.Status.RETURNED and lesson.return_reason == "请补充适用范围"
    services.lesson_update(lesson=lesson, actor=member_user, applicability="设备采购类项目")
    assert lesson.status == Lesson.Status.SUBMITTED
