"""Every reports URL against every role: who reads, who runs, who manages."""

import pytest
from django.urls import reverse

from pmo.core.models import SecurityEvent
from pmo.reports.models import Delivery
from tests.reports.factories import DeliveryFactory, ReportRunFactory, SubscriptionFactory

ROLES = ("pmo", "executive", "pm", "other_pm", "reviewer", "member", "anonymous")

# url name, method, args key, status for: pmo, executive, pm, other_pm, reviewer, member, anon
MATRIX = [
    ("reports:archive", "get", None, (200, 200, 403, 403, 403, 403, 302)),
    ("reports:run_row", "htmx", "pending", (200, 200, 403, 403, 403, 403, 302)),
    ("reports:download", "get", "done", (200, 200, 403, 403, 403, 403, 302)),
    ("reports:run_preview", "get", "pending", (200, 200, 403, 403, 403, 403, 302)),
    ("reports:catalogue", "get", None, (200, 200, 403, 403, 403, 403, 302)),
    ("reports:generate", "post", "kind", (302, 403, 403, 403, 403, 403, 302)),
    ("reports:preview", "post", "kind", (302, 403, 403, 403, 403, 403, 302)),
    ("reports:subscriptions", "get", None, (200, 403, 403, 403, 403, 403, 302)),
    ("reports:subscription_create", "get", None, (200, 403, 403, 403, 403, 403, 302)),
    ("reports:subscription_edit", "get", "subscription", (200, 403, 403, 403, 403, 403, 302)),
    ("reports:subscription_send", "post", "subscription", (302, 403, 403, 403, 403, 403, 302)),
    ("reports:subscription_delete", "post", "subscription", (302, 403, 403, 403, 403, 403, 302)),
    # An empty preview form comes back with its errors.
    ("reports:subscription_preview", "post", None, (422, 403, 403, 403, 403, 403, 302)),
    ("reports:deliveries", "get", None, (200, 403, 403, 403, 403, 403, 302)),
    ("reports:subscription_deliveries", "get", "subscription", (200, 403, 403, 403, 403, 403, 302)),
    ("reports:delivery_retry", "post", "failed_delivery", (302, 403, 403, 403, 403, 403, 302)),
]
CASES = [
    pytest.param(name, method, key, role, codes[i], id=f"{name}-{role}")
    for name, method, key, codes in MATRIX
    for i, role in enumerate(ROLES)
]


@pytest.mark.parametrize(("name", "method", "key", "role", "expected"), CASES)
def test_reports_permission_matrix(client_for, db, name, method, key, role, expected):
    objects = {
        "pending": lambda: ReportRunFactory().pk,
        "done": lambda: ReportRunFactory(done=True).pk,
        "kind": lambda: "project_register",
        "subscription": lambda: SubscriptionFactory().pk,
        "failed_delivery": lambda: DeliveryFactory(status=Delivery.Status.FAILED).pk,
    }
    args = [objects[key]()] if key else []
    client = client_for(role)
    url = reverse(name, args=args)
    if method == "post":
        response = client.post(url)
    elif method == "htmx":
        response = client.get(url, headers={"HX-Request": "true"})
    else:
        response = client.get(url)
    assert response.status_code == expected
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


def test_download_is_recorded_as_a_security_event(client_for):
    run = ReportRunFactory(done=True)
    response = client_for("executive").get(reverse("reports:download", args=[run.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.DOWNLOAD)
    assert event.username == "executive"
    assert str(run.pk) in event.detail


def test_download_inline_opens_in_the_browser(client_for):
    run = ReportRunFactory(done=True)
    response = client_for("pmo").get(reverse("reports:download", args=[run.pk]) + "?inline=1")
    assert response["Content-Disposition"].startswith("inline")


def test_download_of_an_unfinished_run_is_not_found(client_for):
    run = ReportRunFactory()
    assert client_for("pmo").get(reverse("reports:download", args=[run.pk])).status_code == 404


def test_runs_of_an_unregistered_kind_are_hidden(client_for):
    run = ReportRunFactory(kind="retired_report", done=True)
    client = client_for("pmo")
    assert client.get(reverse("reports:download", args=[run.pk])).status_code == 404
    assert str(run.pk) not in client.get(reverse("reports:archive")).content.decode()


def test_navigation_shows_report_entries_by_permission(client_for, project):
    pmo_page = client_for("pmo").get(reverse("reports:archive")).content.decode()
    assert reverse("reports:subscriptions") in pmo_page
    assert reverse("reports:catalogue") in pmo_page
    executive_page = client_for("executive").get(reverse("reports:archive")).content.decode()
    assert reverse("reports:catalogue") in executive_page
    assert reverse("reports:subscriptions") not in executive_page
