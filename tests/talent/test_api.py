"""The API other apps use: the pool, valid certificates and attended training hours."""

import datetime as dt
from decimal import Decimal

from talent import selectors, services
from talent.models import Course
from tests.core.factories import PersonFactory
from tests.talent.factories import CourseFactory


def test_pm_pool_counts_active_people_in_the_pool_since_the_day(pool, today):
    pm, other = pool
    assert selectors.pm_pool(on=today) == {pm.person_id, other.person_id}
    assert selectors.pm_pool(on=today - dt.timedelta(days=500)) == {pm.person_id}
    other.person.is_active = False
    other.person.save()
    assert selectors.pm_pool(on=today) == {pm.person_id}


def test_certificate_holders_lists_only_valid_certificates(model, today):
    anna, ben = PersonFactory(), PersonFactory()
    services.certificate_add(
        person=anna, certification=model.pmp, issued_on=today - dt.timedelta(days=30)
    )
    services.certificate_add(
        person=ben,
        certification=model.ipmp,
        issued_on=today - dt.timedelta(days=900),
        expires_on=today - dt.timedelta(days=1),
    )
    services.certificate_add(
        person=ben, certification=model.pmp, issued_on=today - dt.timedelta(days=10)
    )
    assert selectors.certificate_holders(on=today) == {anna.pk: {"PMP"}, ben.pk: {"PMP"}}
    assert selectors.certificate_holders(on=today - dt.timedelta(days=5), codes=["IPMP"]) == {
        ben.pk: {"IPMP"}
    }


def test_certificate_expiry_follows_the_catalogue_validity(model):
    cert = services.certificate_add(
        person=PersonFactory(), certification=model.pmp, issued_on=dt.date(2024, 3, 15)
    )
    assert cert.expires_on == dt.date(2027, 3, 15)


def test_training_hours_sum_attended_enrolments_in_the_period(db, today):
    person = PersonFactory()
    pm_system = CourseFactory(category=Course.Category.PM_SYSTEM, hours=Decimal(4))
    other = CourseFactory(hours=Decimal(8))
    services.enrolment_create_attended(person=person, course=pm_system, on=today)
    services.enrolment_create_attended(person=person, course=other, on=today, hours=Decimal(6))
    services.enrolment_create_attended(
        person=person, course=other, on=today - dt.timedelta(days=400)
    )
    start = today - dt.timedelta(days=30)
    assert selectors.training_hours(start=start, end=today) == {person.pk: Decimal(10)}
    assert selectors.training_hours(start=start, end=today, category="pm_system") == {
        person.pk: Decimal(4)
    }
