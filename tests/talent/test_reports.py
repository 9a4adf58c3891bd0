"""The talent PDF: monthly, for the PMO and executives, with the pipeline and the gap."""

import datetime as dt

from django.utils import translation

from pmo.core.registry import registry
from pmo.reports.pdf import render_html, render_pdf
from talent.reports import talent_report


def test_the_talent_report_is_monthly_for_pmo_and_executives(db, pmo_user, member_user):
    kind = registry.report_kind("talent")
    assert kind.default_period == "monthly"
    assert kind.visible_to(pmo_user) and not kind.visible_to(member_user)


def test_the_report_shows_the_pipeline_certificates_and_gap_and_prints(world, today):
    params = {
        "period_start": today - dt.timedelta(days=30),
        "period_end": today,
        "period_label": "2026-11",
    }
    with translation.override("en"):
        content = talent_report(params, "en")
        html = render_html(content, language="en", period_label="2026-11")
    assert content.context["pool_size"] == 2 and content.context["trained"] == 1
    assert "Promotion pipeline" in html and "Talent gap" in html and "<svg" in html
    assert "PMP" in html
    assert render_pdf(content, language="en", period_label="2026-11").startswith(b"%PDF")
