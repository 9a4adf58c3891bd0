"""The global search index: Chinese substrings, English words, ranking, snippets, facets,
permissions, and the icontains fallback."""

import pytest
from django.urls import reverse

from knowledge import services
from knowledge.models import Lesson
from pmo.core import search
from pmo.core.models import SearchEntry
from tests.core.factories import ProjectFactory

LESSON = {
    "description": "项目风险管理经验：每周评审风险登记册，Risk register reviewed weekly.",
    "recommendation": "风险管理前置到立项阶段。",
    "phase": "planning",
    "knowledge_area": "risk",
    "polarity": "positive",
    "root_cause": "process",
    "impact": "schedule",
}


@pytest.fixture
def published(member_user, pmo_user, project):
    lesson = services.lesson_create(
        actor=member_user, project=project, title="周评审风险登记册", **LESSON
    )
    services.lesson_curate(lesson=lesson, actor=pmo_user, approve=True)
    return lesson


def _titles(response, key):
    return [hit.title for s, hits in response.context["groups"] if s.key == key for hit in hits]


@pytest.mark.parametrize(
    "query", ["风险", "风险管理", "险管理经", "登记册", "risk", "REGISTER weekly"]
)
def test_any_chinese_substring_and_english_words_find_the_lesson(client_for, published, query):
    response = client_for("reviewer").get(reverse("core:search"), {"q": query})
    assert _titles(response, "lessons") == ["周评审风险登记册"]


def test_a_substring_that_is_not_there_finds_nothing(client_for, published):
    response = client_for("reviewer").get(reverse("core:search"), {"q": "风管"})
    assert _titles(response, "lessons") == []


def test_hits_are_highlighted_escaped_and_faceted(client_for, published, english):
    response = client_for("reviewer").get(reverse("core:search"), {"q": "风险"})
    html = response.content.decode()
    assert "<mark>风险</mark>" in html
    assert 'data-testid="facet-lessons"' in html
    only = client_for("reviewer").get(reverse("core:search"), {"q": "风险", "kind": "projects"})
    assert _titles(only, "lessons") == []


def test_title_matches_rank_first(client_for, member_user, pmo_user, project):
    for title in ("接口联调计划", "风险评审会议"):
        lesson = services.lesson_create(actor=member_user, project=project, title=title, **LESSON)
        services.lesson_curate(lesson=lesson, actor=pmo_user, approve=True)
    response = client_for("reviewer").get(reverse("core:search"), {"q": "风险"})
    assert _titles(response, "lessons")[0] == "风险评审会议"


def test_nobody_finds_what_they_may_not_open(client_for, member_user, pmo_user, project):
    lesson = services.lesson_create(
        actor=member_user,
        project=project,
        title="保密的风险经验",
        confidentiality="confidential",
        **LESSON,
    )
    services.lesson_curate(lesson=lesson, actor=pmo_user, approve=True)
    outsider = ProjectFactory(name="风险项目乙")
    for role, sees_lesson, sees_project in (
        ("reviewer", False, False),
        ("member", True, False),
        ("pm", True, False),
        ("pmo", True, True),
    ):
        response = client_for(role).get(reverse("core:search"), {"q": "风险"})
        assert (_titles(response, "lessons") == ["保密的风险经验"]) is sees_lesson, role
        assert any("风险项目乙" in t for t in _titles(response, "projects")) is sees_project, role
    assert outsider.pk


def test_index_follows_changes_and_deletes(published, pmo_user, member_user):
    entry = SearchEntry.objects.get(kind="lessons", object_id=published.pk)
    assert entry.access == "all"
    services.lesson_return(lesson=published, actor=pmo_user, reason="补充")
    entry.refresh_from_db()
    assert entry.access == "project"
    services.lesson_delete(lesson=Lesson.objects.get(pk=published.pk), actor=member_user)
    assert not SearchEntry.objects.filter(kind="lessons", object_id=published.pk).exists()


def test_rebuild_restores_the_index(published):
    SearchEntry.objects.all().delete()
    assert search.rebuild() >= 1
    assert SearchEntry.objects.filter(kind="lessons", object_id=published.pk).exists()


def test_icontains_fallback_without_postgres(published, pmo_user, monkeypatch):
    monkeypatch.setattr(search, "_postgres", lambda: False)
    found = search.find(pmo_user, "险管理", ["lessons"], 20)
    assert [h.title for h in found.hits["lessons"]] == ["周评审风险登记册"]
    found = search.find(pmo_user, "风", ["lessons"], 20)
    assert found.counts == {"lessons": 1}
