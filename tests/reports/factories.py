"""Factories of the reports app."""

import datetime as dt
import hashlib

import factory
from django.core.files.base import ContentFile

from pmo.reports.models import Delivery, ReportRun, Subscription
from pmo.reports.services import params_hash

FAKE_PDF = b"%PDF-1.7\n% a stand-in for a rendered report\n%%EOF\n"


class ReportRunFactory(factory.django.DjangoModelFactory):
    """A run of the project register; ``done=True`` gives it a stored file."""

    class Meta:
        model = ReportRun

    kind = "project_register"
    period_start = factory.Sequence(lambda n: dt.date(2026, 1, 5) + dt.timedelta(weeks=n))
    period_end = factory.LazyAttribute(lambda r: r.period_start + dt.timedelta(days=6))
    period_label = factory.LazyAttribute(
        lambda r: "{}-W{:02d}".format(*r.period_start.isocalendar()[:2])
    )
    language = "zh-hans"
    params = factory.LazyFunction(dict)
    params_hash = factory.LazyAttribute(lambda r: params_hash(r.params))
    status = ReportRun.Status.PENDING

    class Params:
        done = factory.Trait(
            status=ReportRun.Status.DONE,
            checksum=hashlib.sha256(FAKE_PDF).hexdigest(),
            file=factory.LazyFunction(lambda: ContentFile(FAKE_PDF, name="report.pdf")),
        )


class SubscriptionFactory(factory.django.DjangoModelFactory):
    """A weekly subscription saved without its beat schedule (use the service for that)."""

    class Meta:
        model = Subscription
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"周报{n}")
    kind = "project_register"
    language = "zh-hans"
    frequency = "weekly"
    weekday = 0
    hour = 8

    @factory.post_generation
    def users(self, create, extracted, **kwargs):
        if create and extracted:
            self.users.set(extracted)


class DeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delivery

    subscription = factory.SubFactory(SubscriptionFactory)
    period_start = dt.date(2026, 3, 2)
    email = factory.Sequence(lambda n: f"recipient{n}@example.com")
    status = Delivery.Status.SENT
