"""The permission matrix of every knowledge URL × every role, and a guard that fails
when a knowledge URL has no row here."""

import pytest
from django.urls import reverse
from django.utils import timezone

from knowledge import services
from tests.knowledge.factories import (
    category,
    due,
    filed_record,
    published_case,
    published_lesson,
    text_upload,
)

pytestmark = pytest.mark.django_db

ROLES = ("pmo", "executive", "pm", "other_pm", "reviewer", "member", "anonymous")
OK, FORBIDDEN, NOT_FOUND, LOGIN = 200, 403, 404, 302
OTHERS = ("executive", "pm", "other_pm", "reviewer", "member")


def row(forbidden=(), not_found=()):
    expected = {}
    for role in ROLES:
        if role == "anonymous":
            expected[role] = LOGIN
        elif role in forbidden:
            expected[role] = FORBIDDEN
        elif role in not_found:
            expected[role] = NOT_FOUND
        else:
            expected[role] = OK
    return expected


EVERYONE = row()
PMO_ONLY = row(forbidden=OTHERS)
PMO_EXEC = row(forbidden=("pm", "other_pm", "reviewer", "member"))
LESSON_CHANGE = row(forbidden=("executive", "other_pm", "reviewer"))  # author, PM, PMO
AUTHOR = row(forbidden=("executive", "pm", "other_pm", "reviewer"))  # member wrote it
FILERS = row(forbidden=("executive", "other_pm", "reviewer", "member"))  # the manager, archivists
SUBMITTER = row(not_found=("executive", "other_pm", "reviewer", "member"))  # pm submitted it
BORROWER = row(not_found=("executive", "pm", "other_pm", "reviewer"))  # member borrowed it
DECIDER = row(forbidden=("member",), not_found=("executive", "pm", "other_pm", "reviewer"))

MATRIX = [
    ("knowledge:home", None, "get", EVERYONE),
    ("knowledge:cockpit_tile", None, "get", PMO_ONLY),
    ("knowledge:curation", None, "get", PMO_ONLY),
    ("knowledge:category_list", None, "get", EVERYONE),
    ("knowledge:category_create", None, "get", PMO_ONLY),
    ("knowledge:category_detail", "category", "get", EVERYONE),
    ("knowledge:category_edit", "category", "get", PMO_ONLY),
    ("knowledge:category_move", "category", "post", PMO_ONLY),
    ("knowledge:category_delete", "empty_category", "post", PMO_ONLY),
    ("knowledge:lesson_list", None, "get", EVERYONE),
    ("knowledge:lesson_create", None, "get", EVERYONE),
    ("knowledge:lesson_detail", "lesson", "get", EVERYONE),
    ("knowledge:lesson_edit", "lesson", "get", LESSON_CHANGE),
    ("knowledge:lesson_curate", "lesson", "post", PMO_ONLY),
    ("knowledge:lesson_helpful", "lesson", "post", EVERYONE),
    ("knowledge:lesson_apply", "lesson", "post", EVERYONE),
    ("knowledge:rollup", None, "get", EVERYONE),
    ("knowledge:reuse", None, "get", PMO_EXEC),
    ("knowledge:case_list", None, "get", EVERYONE),
    ("knowledge:case_create", None, "get", EVERYONE),
    ("knowledge:case_detail", "case", "get", EVERYONE),
    ("knowledge:case_edit", "case", "get", AUTHOR),
    ("knowledge:case_curate", "case", "post", PMO_ONLY),
    ("knowledge:case_rate", "case", "post", EVERYONE),
    ("knowledge:case_helpful", "case", "post", EVERYONE),
    ("knowledge:case_apply", "case", "post", EVERYONE),
    ("knowledge:article_list", None, "get", EVERYONE),
    ("knowledge:article_create", None, "get", EVERYONE),
    ("knowledge:article_detail", "article", "get", EVERYONE),
    ("knowledge:article_edit", "article", "get", AUTHOR),
    ("knowledge:article_status", "article", "post", AUTHOR),
    ("knowledge:article_helpful", "article", "post", EVERYONE),
    ("knowledge:file_download", "file", "get", EVERYONE),
    ("knowledge:archive_list", None, "get", EVERYONE),
    ("knowledge:record_create", None, "get", FILERS),
    ("knowledge:numbering", None, "get", PMO_ONLY),
    ("knowledge:archive_stats", None, "get", PMO_ONLY),
    ("knowledge:archive_detail", "record", "get", EVERYONE),
    ("knowledge:archive_file", "record", "get", PMO_ONLY),
    ("knowledge:record_edit", "draft", "get", SUBMITTER),
    ("knowledge:record_submit", "draft", "post", SUBMITTER),
    ("knowledge:record_check", "record", "post", PMO_ONLY),
    ("knowledge:loan_request", "record", "post", EVERYONE),
    ("knowledge:loan_list", None, "get", EVERYONE),
    ("knowledge:loan_detail", "loan", "get", BORROWER),
    ("knowledge:loan_decide", "loan", "post", DECIDER),
    ("knowledge:loan_lend", "loan", "post", PMO_ONLY),
    ("knowledge:loan_return", "loan", "post", PMO_ONLY),
]


@pytest.fixture
def objects(pmo_user, pm_user, member_user, project):
    lesson = published_lesson(author=member_user, curator=pmo_user, project=project)
    case = published_case(author=member_user, curator=pmo_user, project=project)
    article = services.article_create(
        actor=member_user, title="周报填写指南", body="**每周五**提交", files=[text_upload()]
    )
    record = filed_record(submitter=pm_user, archivist=pmo_user, project=project)
    draft = services.record_create(
        actor=pm_user,
        title="会议纪要",
        responsible="项目组",
        record_date=timezone.localdate(),
        project=project,
        retention="D10",
        security_level="internal",
        pieces=1,
        pages=2,
        carrier="paper",
        location="项目办公室",
    )
    loan = services.loan_request(
        actor=member_user, record=record, purpose="编写结项报告", due_date=due()
    )
    return {
        "category": {"pk": category().pk},
        "empty_category": {"pk": category(code="EMPTY", name="空").pk},
        "lesson": {"pk": lesson.pk},
        "case": {"pk": case.pk},
        "article": {"pk": article.pk},
        "file": {"pk": article.files.get().pk},
        "record": {"pk": record.pk},
        "draft": {"pk": draft.pk},
        "loan": {"pk": loan.pk},
    }


ORDER = ("anonymous", "member", "reviewer", "other_pm", "executive", "pm", "pmo")


@pytest.mark.parametrize(
    ("name", "kwargs_key", "method", "expected"),
    MATRIX,
    ids=[f"{m[0]}-{m[1]}-{m[2]}" for m in MATRIX],
)
def test_permission_matrix(client_for, objects, name, kwargs_key, method, expected):
    url = reverse(name, kwargs=objects[kwargs_key] if kwargs_key else None)
    for role in ORDER:
        response = getattr(client_for(role), method)(url)
        status = response.status_code
        if method == "post" and expected[role] == OK:
            assert status in (200, 302, 422), (role, name, status)
        else:
            assert status == expected[role], (role, name, status)
        if role == "anonymous":
            assert "/accounts/login/" in response["Location"]


def test_every_knowledge_url_is_in_the_matrix():
    from knowledge import urls

    named = {f"knowledge:{p.name}" for p in urls.urlpatterns}
    assert named == {m[0] for m in MATRIX}


@pytest.mark.parametrize("tab", ["knowledge_reuse", "knowledge_archive"])
def test_the_project_tabs_follow_project_visibility(client_for, objects, project, tab):
    url = reverse("core:project_detail", args=[project.pk]) + f"?tab={tab}"
    assert client_for("member").get(url).status_code == 200
    assert client_for("pmo").get(url).status_code == 200
    assert client_for("other_pm").get(url).status_code == 404
