"""The talent app's entries in the registry: the project's Team tab, search, navigation."""

from django.urls import reverse

from pmo.core.registry import registry
from talent import search


def test_the_project_page_has_a_team_tab(client_for, world, english):
    client = client_for("pm")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    url = reverse("core:project_tab", args=[world.project.pk, "talent_team"])
    response = client.get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="team-tab"' in html and "开发工程师" in html


def test_search_finds_profiles_the_user_may_read_and_courses(world, pm_user, member_user):
    assert [h.url for h in search.pool(pm_user, world.other.name, 5)] == [
        reverse("talent:profile", args=[world.other.pk])
    ]
    assert search.pool(member_user, world.other.name, 5) == []
    assert search.courses(member_user, "PMS-101", 5)[0].url == world.course.get_absolute_url()


def test_navigation_follows_permissions(world, pmo_user, member_user):
    keys = {e.key for e in registry.nav_for(member_user)}
    assert "talent_home" in keys and "talent_training" in keys
    assert "talent_recruitment" not in keys and "talent_pool" not in keys
    assert "talent_recruitment" in {e.key for e in registry.nav_for(pmo_user)}
