"""The culture PDF: registered for the PMO and executives, with the dashboard's figures."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from culture.reports import culture_report
from pmo.core.registry import registry
from pmo.reports.pdf import render_html, render_pdf
from tests.culture.factories import SessionFactory

pytestmark = pytest.mark.django_db


def test_the_culture_report_is_monthly_for_pmo_and_executives(pmo_user, member_user):
    kind = registry.report_kind("culture")
    assert kind.default_period == "monthly"
    assert kind.visible_to(pmo_user) and not kind.visible_to(member_user)


def test_the_report_shows_sharing_and_outcomes_and_prints(member_user):
    today = timezone.localdate()
    SessionFactory(speaker=member_user.person, status="held",
                   starts_at=timezone.now() - dt.timedelta(days=2))  # fmt: skip
    params = {"period_start": today - dt.timedelta(days=30), "period_end": today,
              "period_label": "2026-03"}  # fmt: skip
    with translation.override("en"):
        content = culture_report(params, "en")
        html = render_html(content, language="en", period_label="2026-03")
    assert content.context["sharing"] is not None
    assert "Outcome indicators" in html and "Sharing frequency" in html and "<svg" in html
    assert render_pdf(content, language="en", period_label="2026-03").startswith(b"%PDF")
