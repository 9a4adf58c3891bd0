"""Who may open each talent page (GET) and press each button (POST), role by role.

Pages: the roles in the table get 200; others get 403, or 404 where the object's
existence is personal (a profile, an appraisal); anonymous users are sent to log in.
Buttons: roles outside the PMO never get a 2xx/3xx success from an empty POST.
"""

import pytest
from django.urls import reverse

from talent import urls
from tests.talent.urls_table import URLS

ROLES = ("pmo", "executive", "pm", "other_pm", "reviewer", "member", "anonymous")
URL_NAMES = [name for name, *_rest in URLS]

# The buttons each role may press (an empty POST then redirects with a message or
# re-renders the form with errors: 302 or 422).
POST_ALLOWED = {
    "certificate_delete": {"pmo", "pm"},
    "session_enrol": {"pmo", "executive", "pm", "other_pm", "reviewer", "member"},
    "session_attendance": {"pmo"},
    "enrolment_feedback": {"pm"},
    "enrolment_effectiveness": {"pmo"},
    "plan_generate": {"pmo"},
    "plan_approve": {"pmo"},
    "selection_candidate_add": {"pmo"},
    "selection_close": {"pmo"},
    "appraisal_compute": {"pmo"},
    "appraisal_advance": {"pmo"},
    "position_delete": {"pmo", "pm"},
    "survey_answer": {"pm", "member"},
    "candidate_move": {"pmo"},
}


def test_every_talent_url_has_a_row():
    named = {p.name for p in urls.urlpatterns if p.name}
    assert named - set(URL_NAMES) == set()
    assert set(POST_ALLOWED) == {u[0] for u in URLS if u[3] == "post"}


@pytest.mark.parametrize("role", ROLES)
def test_page_permissions(client_for, world, role):
    client = client_for(role)
    wrong = []
    for name, args, allowed, method in URLS:
        if method != "get":
            continue
        response = client.get(reverse(f"talent:{name}", args=args(world)))
        if role == "anonymous":
            ok = response.status_code == 302 and "/login" in response["Location"]
        elif role in allowed:
            ok = response.status_code == 200
        else:
            ok = response.status_code in (403, 404)
        if not ok:
            wrong.append((name, response.status_code))
    assert wrong == []


@pytest.mark.parametrize("role", ROLES)
def test_button_permissions(client_for, world, role):
    client = client_for(role)
    wrong = []
    for name, args, _allowed, method in URLS:
        if method != "post":
            continue
        response = client.post(reverse(f"talent:{name}", args=args(world)), {})
        if role == "anonymous":
            ok = response.status_code == 302 and "/login" in response["Location"]
        elif role in POST_ALLOWED[name]:
            ok = response.status_code in (302, 422)
        else:
            ok = response.status_code in (403, 404)
        if not ok:
            wrong.append((name, response.status_code))
    assert wrong == []


def test_get_on_a_button_is_refused(client_for, world):
    response = client_for("pmo").get(reverse("talent:plan_generate"))
    assert response.status_code == 405
