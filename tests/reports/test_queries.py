"""List pages keep the same number of queries as their rows grow."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.core.factories import PersonFactory, UserFactory
from tests.reports.factories import DeliveryFactory, ReportRunFactory, SubscriptionFactory

MAX_QUERIES = 12


def count_queries(client, url, limit=None, max_queries=MAX_QUERIES, **kwargs) -> int:
    """Queries of one request (after a warm-up: a session's first request also loads
    the user's preferences), checked against ``limit`` when given."""
    client.get(url, **kwargs)
    with CaptureQueriesContext(connection) as captured:
        if limit is not None:
            with limit(max_queries):
                response = client.get(url, **kwargs)
        else:
            response = client.get(url, **kwargs)
    assert response.status_code == 200
    return len(captured)


def make_runs(n: int, users) -> None:
    for i in range(n):
        ReportRunFactory(created_by=users[i % len(users)], done=i % 3 == 0)


def make_subscriptions(n: int, users, group) -> None:
    for i in range(n):
        subscription = SubscriptionFactory(owner=users[i % 2], group=group, users=users)
        DeliveryFactory(subscription=subscription)


@pytest.fixture
def people(db):
    users = [UserFactory(username=f"reader{i}") for i in range(2)]
    for user in users:
        PersonFactory(user=user)
    return users


@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true"}], ids=["page", "htmx"])
def test_archive_queries_stay_flat(client_for, people, django_assert_max_num_queries, headers):
    client = client_for("pmo")
    url = reverse("reports:archive")
    make_runs(3, people)
    few = count_queries(client, url, headers=headers)
    make_runs(27, people)
    many = count_queries(client, url, django_assert_max_num_queries, headers=headers)
    assert many == few


def test_subscription_list_queries_stay_flat(client_for, people, django_assert_max_num_queries):
    client = client_for("pmo")
    url = reverse("reports:subscriptions")
    group = Group.objects.create(name="周报读者")
    make_subscriptions(3, people, group)
    few = count_queries(client, url)
    make_subscriptions(27, people, group)
    many = count_queries(client, url, django_assert_max_num_queries)
    assert many == few


def test_delivery_log_queries_stay_flat(client_for, people, django_assert_max_num_queries):
    client = client_for("pmo")
    subscription = SubscriptionFactory(users=people)
    run = ReportRunFactory(done=True)

    def log(n, offset):
        for i in range(n):
            DeliveryFactory(
                subscription=subscription,
                run=run,
                recipient=people[i % 2],
                email=f"r{offset + i}@example.com",
            )

    log(3, 0)
    few = count_queries(client, subscription.get_absolute_url())
    log(27, 3)
    # The form's choices (users, groups, units) and its version token (which reads the
    # recipients) add a fixed few queries to this page.
    many = count_queries(
        client, subscription.get_absolute_url(), django_assert_max_num_queries, max_queries=17
    )
    assert many == few
