"""The weekly knowledge digest: what was published, read, applied, due for review and
filed in the period, never naming a confidential item; printed in both languages."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from knowledge.models import Article, Usage
from knowledge.reports import knowledge_digest, knowledge_digest_summary
from pmo.core.registry import registry
from pmo.reports import services
from pmo.reports.models import ReportRun
from pmo.reports.periods import Period
from tests.knowledge.factories import category, filed_record, published_case, published_lesson
from tests.pdf import needs_pdftotext, pdf_text

pytestmark = pytest.mark.django_db


def _week():
    today = timezone.localdate()
    start = today - dt.timedelta(days=today.weekday())
    return start, start + dt.timedelta(days=6)


def _params():
    start, end = _week()
    return {"period_start": start, "period_end": end}


def _article(title, *, owner=None, confidentiality="public", review_due=None, cat=None):
    return Article.objects.create(
        title=title,
        category=cat,
        body="正文",
        owner=owner,
        confidentiality=confidentiality,
        review_due=review_due,
        status=Article.Status.PUBLISHED,
        published_at=timezone.now(),
    )


@pytest.fixture
def library(pmo_user, member_user, project):
    pm_cat = category(code="PM", name="项目管理")
    lesson = published_lesson(author=member_user, curator=pmo_user, title="尽早锁定关键设备供应商")
    published_lesson(
        author=member_user, curator=pmo_user, title="涉密的经验", confidentiality="confidential"
    )
    case = published_case(author=member_user, curator=pmo_user, title="数据中心迁移零停机")
    article = _article(
        "风险登记册写法",
        owner=pmo_user.person,
        cat=pm_cat,
        review_due=timezone.localdate() - dt.timedelta(days=3),
    )
    _article("保密的制度", confidentiality="confidential", review_due=timezone.localdate())
    filed_record(submitter=pmo_user, archivist=pmo_user, project=project, title="项目验收报告")
    filed_record(submitter=pmo_user, archivist=pmo_user, security_level="secret", title="机密合同")
    for _i in range(3):
        Usage.objects.create(kind=Usage.Kind.VIEW, lesson=lesson, user=member_user)
    Usage.objects.create(kind=Usage.Kind.VIEW, article=article, user=member_user)
    Usage.objects.create(kind=Usage.Kind.APPLIED, case=case, user=member_user, project=project)
    return lesson, case, article


@pytest.fixture(autouse=True)
def private_reports(settings, tmp_path):
    settings.PMO_PRIVATE_ROOT = tmp_path / "private"


def test_registered_weekly_for_every_reader_of_the_knowledge_base(member_user, pm_user):
    kind = registry.report_kinds["knowledge_digest"]
    assert kind.default_period == "weekly"
    assert kind.summary
    assert kind.visible_to(member_user) and kind.visible_to(pm_user)


@pytest.mark.usefixtures("english")
def test_digest_lists_open_items_only(library):
    context = knowledge_digest(_params(), "en").context
    titles = [i.title for i in context["published"]]
    assert sorted(titles) == ["尽早锁定关键设备供应商", "数据中心迁移零停机", "风险登记册写法"]
    assert [(i.title, i.count) for i in context["viewed"]] == [
        ("尽早锁定关键设备供应商", 3),
        ("风险登记册写法", 1),
    ]
    assert [(i.title, i.count) for i in context["applied"]] == [("数据中心迁移零停机", 1)]
    assert [a.title for a in context["due"]] == ["风险登记册写法"]
    assert [r.title for r in context["records"]] == ["项目验收报告"]
    assert dict(context["kpis"]) == {
        "Lessons published": "1",
        "Cases published": "1",
        "Articles published": "1",
        "Articles due for review": "1",
        "Archive records filed": "1",
    }


@pytest.mark.usefixtures("english")
def test_summary_for_the_chat_card(library):
    assert knowledge_digest_summary(_params(), "en") == [
        ("Lessons published", "1"),
        ("Cases published", "1"),
        ("Articles published", "1"),
        ("Archive records filed", "1"),
        ("Most read", "尽早锁定关键设备供应商"),
    ]


def test_an_earlier_week_is_empty(library):
    start, _end = _week()
    params = {
        "period_start": start - dt.timedelta(days=7),
        "period_end": start - dt.timedelta(days=1),
    }
    context = knowledge_digest(params, "en").context
    assert context["published"] == [] and context["records"] == [] and context["viewed"] == []


def test_queries_stay_flat_as_the_library_grows(library, pmo_user, member_user):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            knowledge_digest(_params(), "en")
        return len(ctx.captured_queries)

    few = count()
    for i in range(10):
        lesson = published_lesson(author=member_user, curator=pmo_user, title=f"经验{i}")
        Usage.objects.create(kind=Usage.Kind.VIEW, lesson=lesson, user=member_user)
        _article(f"文章{i}", owner=pmo_user.person, review_due=timezone.localdate())
        filed_record(submitter=pmo_user, archivist=pmo_user, title=f"档案{i}")
    assert count() == few
    assert few <= 16


def _render(language):
    start, end = _week()
    run = services.report_run_request(
        kind="knowledge_digest",
        period=Period("weekly", start, end, "W"),
        language=language,
        enqueue=False,
    )
    return services.report_run_render(run_id=run.pk)


@needs_pdftotext
def test_pdf_in_chinese_names_no_confidential_item(library):
    run = _render("zh-hans")
    assert run.status == ReportRun.Status.DONE, run.error
    text = pdf_text(run, flat=True)
    for title in ("尽早锁定关键设备供应商", "数据中心迁移零停机", "风险登记册写法", "项目验收报告"):
        assert title in text
    for secret in ("涉密的经验", "保密的制度", "机密合同"):
        assert secret not in text
    assert "□" not in text and "\ufffd" not in text


@needs_pdftotext
def test_pdf_in_english(library):
    with translation.override("en"):
        run = _render("en")
    text = pdf_text(run, flat=True)
    assert "Knowledge digest" in text
    assert "Newly published" in text and "Most read" in text
    assert "Articles due for review" in text and "Archive records filed" in text
    assert "Lesson" in text and "Case" in text
