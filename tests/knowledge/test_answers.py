"""Each 核心关注 question of section 7 (and the knowledge items of section 4) answered
by a page: the test reads the page as its users would."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from knowledge import services
from knowledge.models import Case, Lesson
from pmo.core.registry import ProjectMetric, registry
from tests.core.factories import ProjectFactory
from tests.knowledge.factories import (
    category,
    filed_record,
    published_case,
    published_lesson,
    text_upload,
)

pytestmark = pytest.mark.usefixtures("english")


def _page(client, name, *args, **params):
    response = client.get(reverse(name, args=args), params)
    assert response.status_code == 200
    return response.content.decode()


def test_framework_shows_categories_with_levels_and_contents(client_for, pmo_user, member_user):
    top = category(code="MTH", name="方法与工具", actor=pmo_user)
    child = category(code="MTH-RISK", name="风险管理", parent=top, actor=pmo_user)
    assert child.level == 2
    services.article_create(actor=member_user, title="风险登记册指南", body="x", category=child)
    html = _page(client_for("member"), "knowledge:category_list")
    assert "MTH-RISK" in html and 'data-testid="categories"' in html
    services.category_move(category=child, actor=pmo_user, up=True)  # alone: stays first
    assert "风险登记册指南" in _page(client_for("member"), "knowledge:category_detail", child.pk)


def test_project_tab_suggests_similar_lessons_and_records_their_use(
    client_for, pmo_user, member_user, pm_user, project
):
    older = ProjectFactory(project_type=project.project_type, stage="closed")
    lesson = published_lesson(
        author=member_user,
        curator=pmo_user,
        project=older,
        phase="execution",
        title="智慧工厂接口联调经验",
    )
    url = reverse("core:project_detail", args=[project.pk]) + "?tab=knowledge_reuse"
    html = client_for("pm").get(url).content.decode()
    assert "智慧工厂接口联调经验" in html and 'data-testid="apply-suggestion"' in html
    services.usage_apply(
        actor=pm_user, item=lesson, project=project, result="helped", note="提前冻结接口"
    )
    html = client_for("pm").get(url).content.decode()
    assert "提前冻结接口" in html


def test_cases_list_successes_and_failures(client_for, pmo_user, member_user):
    published_case(author=member_user, curator=pmo_user, title="ERP上线零停机")
    failure = services.case_create(
        actor=member_user,
        title="厂房工期延误",
        outcome_kind="failure",
        background="b",
        what_happened="w",
        outcome="o",
    )
    services.case_curate(case=failure, actor=pmo_user, to="reviewed")
    services.case_curate(case=failure, actor=pmo_user, to="published")
    html = _page(client_for("reviewer"), "knowledge:case_list")
    assert "ERP上线零停机" in html and "厂房工期延误" in html
    assert "Success" in html and "Failure" in html


def test_cases_are_classified_by_category_and_rated(client_for, pmo_user, member_user):
    node = category(code="IND-IT", name="信息化项目")
    case = published_case(author=member_user, curator=pmo_user, category=node, title="数据迁移案例")
    services.case_rate(case=case, actor=pmo_user, stars=4)
    services.case_rate(case=case, actor=member_user, stars=5)
    html = _page(client_for("member"), "knowledge:case_list", category=node.pk)
    assert "数据迁移案例" in html and "★★★★★" in html  # 4.5 rounds to five stars
    assert Case.objects.get(pk=case.pk).rating == 4.5


def test_lessons_are_curated_before_publication(client_for, pmo_user, member_user, project):
    lesson = services.lesson_create(
        actor=member_user,
        project=project,
        title="验收标准写进里程碑",
        description="验收时标准理解不一致。",
        phase="closing",
        knowledge_area="quality",
        polarity="negative",
        root_cause="governance",
        impact="cost",
    )
    assert "验收标准写进里程碑" in _page(client_for("pmo"), "knowledge:curation")
    pmo = client_for("pmo")
    pmo.post(
        reverse("knowledge:lesson_curate", args=[lesson.pk]),
        {"action": "return", "reason": "请补充建议"},
    )
    lesson.refresh_from_db()
    assert lesson.status == Lesson.Status.RETURNED
    assert "请补充建议" in _page(client_for("member"), "knowledge:lesson_detail", lesson.pk)
    services.lesson_update(
        lesson=lesson, actor=member_user, recommendation="里程碑验收标准写入合同附件。"
    )
    pmo.post(reverse("knowledge:lesson_curate", args=[lesson.pk]), {"action": "review"})
    pmo.post(reverse("knowledge:lesson_curate", args=[lesson.pk]), {"action": "publish"})
    lesson.refresh_from_db()
    assert lesson.status == Lesson.Status.PUBLISHED


def test_lesson_library_filters_by_facets(client_for, pmo_user, member_user):
    published_lesson(
        author=member_user, curator=pmo_user, title="采购经验", knowledge_area="procurement"
    )
    published_lesson(author=member_user, curator=pmo_user, title="风险经验", knowledge_area="risk")
    html = _page(client_for("reviewer"), "knowledge:lesson_list", knowledge_area="risk")
    assert "风险经验" in html and "采购经验" not in html


def test_reuse_page_shows_use_by_unit_and_the_most_applied(
    client_for, pmo_user, member_user, pm_user, project
):
    lesson = published_lesson(author=member_user, curator=pmo_user, title="每周评审风险")
    services.usage_record_view(actor=pm_user, item=lesson)
    services.usage_apply(actor=pm_user, item=lesson, project=project, result="helped")
    html = _page(client_for("executive"), "knowledge:reuse")
    assert "每周评审风险" in html and 'data-testid="reuse-units"' in html


def test_applications_are_tracked_with_outcomes(
    client_for, pmo_user, member_user, pm_user, project
):
    lesson = published_lesson(author=member_user, curator=pmo_user)
    client_for("pm").post(
        reverse("knowledge:lesson_apply", args=[lesson.pk]),
        {"project": project.pk, "result": "helped", "note": "提前下单"},
    )
    lesson.refresh_from_db()
    assert lesson.reuse_count == 1
    html = _page(client_for("member"), "knowledge:lesson_detail", lesson.pk)
    assert "提前下单" in html and "Helped" in html
    with pytest.raises(ValidationError):
        services.usage_apply(actor=pm_user, item=lesson, project=project)


def _metric(project_ids, start, end):
    from pmo.core.models import Project

    return {
        p.pk: (0.95 if p.code.endswith("A") else 0.8)
        for p in Project.objects.filter(pk__in=project_ids)
    }


def test_reuse_page_compares_projects_that_applied_lessons(
    client_for, pmo_user, member_user, pm_user, project
):
    registry.add_metric(
        ProjectMetric(
            key="test_spi", label="Test SPI", compute="tests.knowledge.test_answers._metric"
        )
    )
    try:
        lesson = published_lesson(author=member_user, curator=pmo_user)
        applied = [
            ProjectFactory(code=f"T-{i}A", stage="active", manager=pm_user.person) for i in range(3)
        ]
        for i in range(3):
            ProjectFactory(code=f"T-{i}B", stage="active")
        for p in applied:
            services.usage_apply(actor=pmo_user, item=lesson, project=p, result="helped")
        response = client_for("pmo").get(reverse("knowledge:reuse"))
        effect = response.context["effect"]
        row = next(r for r in effect["rows"] if r["metric"].key == "test_spi")
        assert row["c"].n_a == 3 and row["c"].mean_a == pytest.approx(0.95)
        assert row["c"].mean_b == pytest.approx(0.8) and row["better"] is True
        assert 'data-testid="effect-test_spi"' in response.content.decode()
    finally:
        registry.metrics.pop("test_spi", None)


def test_catalogue_numbers_records_by_the_rule(client_for, pmo_user, pm_user, project):
    services.numbering_rule_set(
        actor=pmo_user, fonds="HC", pattern="{fonds}-{year}-{retention}-{seq:04d}"
    )
    first = filed_record(submitter=pm_user, archivist=pmo_user, project=project)
    second = filed_record(submitter=pm_user, archivist=pmo_user, project=project, title="合同")
    year = first.record_date.year
    assert (first.number, second.number) == (f"HC-{year}-D30-0001", f"HC-{year}-D30-0002")
    html = _page(client_for("member"), "knowledge:archive_list")
    assert first.number in html and "档案室A-01-03" in html


def test_project_archive_tab_files_records(client_for, pm_user, project):
    client = client_for("pm")
    response = client.post(
        reverse("knowledge:record_create") + f"?project={project.pk}",
        {
            "title": "项目结项报告",
            "responsible": "信息中心",
            "record_date": "2026-01-15",
            "project": project.pk,
            "retention": "D30",
            "security_level": "internal",
            "pieces": 1,
            "pages": 20,
            "carrier": "electronic",
            "upload": text_upload(),
            "submit": "1",
        },
    )
    assert response.status_code == 302
    url = reverse("core:project_detail", args=[project.pk]) + "?tab=knowledge_archive"
    html = client.get(url).content.decode()
    assert "项目结项报告" in html and "Submitted for filing" in html


def test_quality_check_refuses_incomplete_records(pmo_user, pm_user, project):
    record = services.record_create(
        actor=pm_user,
        title="图纸",
        responsible="工程部",
        record_date="2026-01-10",
        project=project,
        retention="Y",
        security_level="internal",
        pieces=1,
        pages=3,
        carrier="paper",
        location="项目部",
        submit=True,
    )
    with pytest.raises(ValidationError):
        services.record_check(
            record=record, actor=pmo_user, complete=True, legible=False, metadata=True, accept=True
        )
    services.record_check(
        record=record,
        actor=pmo_user,
        complete=True,
        legible=False,
        metadata=True,
        accept=False,
        note="扫描件模糊",
    )
    assert record.status == "returned" and record.number == ""


def test_process_page_shows_the_lessons_and_change_requests_that_fed_it(
    client_for, pmo_user, member_user, project
):
    from standards.models import ChangeRequest
    from tests.standards.factories import published_methodology

    version = published_methodology(project.project_type)
    process = version.processes.get(code="P-CLOSE")
    published_lesson(
        author=member_user,
        curator=pmo_user,
        title="收尾管理要预留验收缓冲",
        description="收尾管理阶段验收排队。",
    )
    ChangeRequest.objects.create(
        methodology=version.methodology,
        title="收尾流程增加验收缓冲",
        description="d",
        affected="P-CLOSE",
        source=ChangeRequest.Source.LESSON,
    )
    html = _page(client_for("member"), "standards:process_detail", process.pk)
    assert "收尾管理要预留验收缓冲" in html and "收尾流程增加验收缓冲" in html
