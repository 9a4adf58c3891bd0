"""Every knowledge list renders in a number of queries that does not grow with its rows:
each page is counted with 3 rows of everything, then again with 30."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from knowledge import services
from knowledge.models import ArchiveRecord, Article, Case, Lesson, Loan, Usage
from tests.core.factories import ProjectFactory

pytestmark = pytest.mark.django_db

PAGES = [
    ("knowledge:home", {}),
    ("knowledge:lesson_list", {"status": "all"}),
    ("knowledge:case_list", {"status": "all"}),
    ("knowledge:article_list", {"status": "all"}),
    ("knowledge:category_list", {}),
    ("knowledge:curation", {}),
    ("knowledge:rollup", {}),
    ("knowledge:reuse", {}),
    ("knowledge:archive_list", {"status": "all"}),
    ("knowledge:loan_list", {"status": "all"}),
    ("knowledge:archive_stats", {}),
]
LESSON = {
    "description": "关键设备到货延迟。",
    "phase": "planning",
    "knowledge_area": "procurement",
    "polarity": "negative",
    "root_cause": "process",
    "impact": "schedule",
}


def grow(n, counter, pmo, project):
    """Rows of every list, written in bulk (the pages are counted, not the services)."""
    now = timezone.now()
    today = timezone.localdate()
    first = next(counter)
    projects = [ProjectFactory(project_type=project.project_type) for _ in range(2)]
    lessons = Lesson.objects.bulk_create(
        Lesson(
            title=f"经验{first}-{i}",
            project=projects[i % 2],
            project_type=project.project_type,
            status="published" if i % 3 else "submitted",
            published_at=now,
            created_by=pmo,
            **LESSON,
        )
        for i in range(n)
    )
    Case.objects.bulk_create(
        Case(
            title=f"案例{first}-{i}",
            outcome_kind="success",
            background="b",
            what_happened="w",
            outcome="o",
            status="published" if i % 3 else "submitted",
            project=projects[i % 2],
            published_at=now,
        )
        for i in range(n)
    )
    Article.objects.bulk_create(
        Article(title=f"文章{first}-{i}", body="x", status="published", published_at=now)
        for i in range(n)
    )
    for i in range(n):
        services.category_save(actor=pmo, code=f"C{first}-{i}", name=f"分类{i}")
    Usage.objects.bulk_create(
        Usage(kind="applied", lesson=lesson, project=project, user=pmo, result="helped")
        for lesson in lessons
    )
    records = ArchiveRecord.objects.bulk_create(
        ArchiveRecord(
            number=f"N{first}-{i}",
            title=f"档案{i}",
            responsible="信息中心",
            record_date=today,
            project=projects[i % 2],
            retention="D30",
            security_level="internal",
            carrier="paper",
            location="A",
            status="accepted",
        )
        for i in range(n)
    )
    Loan.objects.bulk_create(
        Loan(record=r, borrower=pmo, purpose="查阅", due_date=today, status="lent") for r in records
    )


@pytest.mark.parametrize(("name", "params"), PAGES, ids=[p[0] for p in PAGES])
def test_pages_have_flat_query_counts(client_for, pmo_user, project, name, params):
    client = client_for("pmo")
    counter = itertools.count()
    counts = []
    for n in (3, 27):
        grow(n, counter, pmo_user, project)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(name), params)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[1] <= counts[0], (name, counts)


def test_project_tab_has_a_flat_query_count(client_for, pmo_user, project):
    client = client_for("pmo")
    counter = itertools.count()
    url = reverse("core:project_detail", args=[project.pk]) + "?tab=knowledge_reuse"
    counts = []
    for n in (3, 27):
        grow(n, counter, pmo_user, project)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[1] <= counts[0], counts
