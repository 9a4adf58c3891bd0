"""Every list of decision support renders in a number of queries that does not grow with
its rows."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from decisions.models import Alternative
from decisions.services import appraisal, reviews, studies
from tests.core.factories import PersonFactory, ProjectFactory, RoleFactory
from tests.decisions import factories

pytestmark = pytest.mark.django_db


def count(client, url) -> int:
    client.get(url)  # the first request of a client also loads its session and caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def _studies(n, pm_user, pmo_user, reviewer):
    for _i in range(n):
        project = ProjectFactory(stage="proposed", manager=pm_user.person)
        study = factories.StudyFactory(project=project, actor=pm_user)
        appraisal.cash_flows_save(
            alternative=factories.proposal_of(study), rows=factories.PROPOSAL_FLOWS, actor=pm_user
        )
        appraisal.alternative_save(
            study=study, actor=pm_user, name="维持现状", kind=Alternative.Kind.DO_NOTHING
        )
        studies.study_submit(study=study, actor=pm_user)
        reviews.review_assign(study=study, reviewer=reviewer, actor=pmo_user)


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("pmo", "decisions:study_list"),
        ("executive", "decisions:study_list"),
        ("reviewer", "decisions:my_reviews"),
        ("pmo", "core:cockpit"),
        ("executive", "core:dashboard"),
        ("reviewer", "core:my_work"),
    ],
)
def test_lists_and_dashboards_have_flat_query_counts(
    client_for, pm_user, pmo_user, reviewer_user, role, url
):
    client = client_for(role)
    _studies(3, pm_user, pmo_user, reviewer_user.person)
    few = count(client, reverse(url))
    _studies(27, pm_user, pmo_user, reviewer_user.person)
    many = count(client, reverse(url))
    assert many == few, (url, few, many)
    # The dashboards render every tile of every area in their one response.
    assert many <= (60 if url.startswith("core:") else 30)


def _rows(study, actor, n, start):
    role = RoleFactory()
    proposal = factories.proposal_of(study)
    for i in range(start, start + n):
        studies.scope_item_save(study=study, actor=actor, kind="assumption", text=f"假设{i}")
        studies.cost_line_save(
            study=study,
            actor=actor,
            item=f"费用{i}",
            category="capex",
            year=i % 5,
            amount=Decimal(1000),
        )
        studies.milestone_save(
            study=study,
            actor=actor,
            name=f"里程碑{i}",
            due=dt.date(2026, 1, 1) + dt.timedelta(days=i),
        )
        studies.resource_line_save(
            study=study,
            actor=actor,
            role=role,
            start_month=dt.date(2026, 1 + i % 12, 1),
            end_month=dt.date(2026, 1 + i % 12, 1),
            hours_per_month=Decimal(10),
        )
        studies.risk_save(
            alternative=proposal,
            actor=actor,
            title=f"风险{i}",
            probability=1 + i % 5,
            impact=2,
            owner=actor.person,
        )
        other = appraisal.alternative_save(study=study, actor=actor, name=f"方案{i}", kind="other")
        appraisal.cash_flows_save(alternative=other, rows=factories.DO_NOTHING_FLOWS, actor=actor)
        studies.risk_save(
            alternative=other, actor=actor, title=f"方案风险{i}", probability=2, impact=2
        )


PAGES = [
    "overview",
    "scope",
    "costs",
    "schedule",
    "resources",
    "risks",
    "alternatives",
    "economics",
    "versions",
    "decision",
    "readiness",
]


def _page_url(study, page):
    if page == "overview":
        return reverse("decisions:study_detail", args=[study.pk])
    if page in ("versions", "readiness"):
        return reverse(
            f"decisions:{'study_versions' if page == 'versions' else page}", args=[study.pk]
        )
    if page == "decision":
        return reverse("decisions:study_decision", args=[study.pk])
    return reverse("decisions:study_section", args=[study.pk, page])


def test_study_pages_have_flat_query_counts(client_for, draft, pm_user):
    client = client_for("pm")
    factories.complete(draft, pm_user)
    _rows(draft, pm_user, 3, 0)
    few = {page: count(client, _page_url(draft, page)) for page in PAGES}
    _rows(draft, pm_user, 20, 3)
    many = {page: count(client, _page_url(draft, page)) for page in PAGES}
    assert many == few
    assert max(many.values()) <= 45, many


def test_the_reviews_page_has_a_flat_query_count(client_for, submitted_study, pmo_user):
    client = client_for("pmo")
    url = reverse("decisions:study_reviews", args=[submitted_study.pk])

    def add(n):
        for _i in range(n):
            review = reviews.review_assign(
                study=submitted_study, reviewer=PersonFactory(), actor=pmo_user
            )
            factories.submit_review(review, None)

    add(2)
    few = count(client, url)
    add(8)
    assert count(client, url) == few
