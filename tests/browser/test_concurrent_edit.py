"""Two people edit the same project in two real browsers: the second save is refused with
a message, their input stays in the form, and "reload" shows the first person's change."""

import pytest
from playwright.sync_api import expect

from pmo.core import roles
from pmo.core.models import Project
from pmo.core.services import user_language_set
from tests.browser.conftest import login
from tests.core.factories import PersonFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _user(username, group, language):
    user = UserFactory(username=username, groups=[group])
    PersonFactory(user=user, name=username)
    user_language_set(user=user, language=language)
    return user


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_second_of_two_browsers_saving_a_project_is_refused(browser, live_server, language):
    pm = _user("li.pm", roles.PROJECT_MANAGER, language)
    _user("zhou.pmo", roles.PMO_STAFF, language)
    project = ProjectFactory(manager=pm.person, name="智慧工厂一期", name_en="Smart factory I")
    url = f"{live_server.url}/projects/{project.pk}/edit/"

    first_context, second_context = browser.new_context(), browser.new_context()
    first, second = first_context.new_page(), second_context.new_page()
    login(first, live_server, "li.pm")
    login(second, live_server, "zhou.pmo")
    first.goto(url)
    second.goto(url)

    first.fill("#id_name", "智慧工厂一期（李）")
    first.click("form.card button[type=submit]")
    first.wait_for_load_state()
    assert Project.objects.get(pk=project.pk).name == "智慧工厂一期（李）"

    second.fill("#id_name", "智慧工厂一期（周）")
    second.click("form.card button[type=submit]")
    second.wait_for_load_state()
    alert = second.locator(".alert-danger")
    expect(alert).to_be_visible()
    if language == "en":
        expect(alert).to_contain_text("Someone else saved this record after you opened it")
    expect(second.locator("#id_name")).to_have_value("智慧工厂一期（周）")
    assert Project.objects.get(pk=project.pk).name == "智慧工厂一期（李）"

    second.click("[data-reload]")
    second.wait_for_load_state()
    expect(second.locator("#id_name")).to_have_value("智慧工厂一期（李）")
    second.fill("#id_name", "智慧工厂一期（周）")
    second.click("form.card button[type=submit]")
    second.wait_for_load_state()
    assert Project.objects.get(pk=project.pk).name == "智慧工厂一期（周）"
    first_context.close()
    second_context.close()
