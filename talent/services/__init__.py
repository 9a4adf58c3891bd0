"""Every write of the talent area, and the API other apps call.

All functions take keyword arguments only, validate with ``full_clean()``, run in a
transaction, record the actor in the simple-history audit and return the object.

API for other apps (and their tests)
------------------------------------
* ``certificate_add(person=, certification=, issued_on=, expires_on=None, number="",
  actor=None) -> PersonCertificate`` — a certificate a person holds (the catalogue row
  ``Certification`` is looked up by ``code``: PMP, PGMP, PFMP, PRINCE2, IPMP, RK_SENIOR).
* ``enrolment_create_attended(person=, course=, on=, hours=None, feedback_rating=None,
  actor=None) -> Enrolment`` — attended training in one call.
* ``course_save(code=, name=, category=, hours=, ...)`` — a course; categories in
  ``Course.Category`` (``"pm_system"`` for PM-system training).
"""

from talent.services.people import (
    assessment_record,
    certificate_add,
    certificate_delete,
    certificate_reminders_send,
    certificate_update,
    certification_save,
    profile_save,
)
from talent.services.training import (
    attendance_record,
    course_save,
    enrolment_create,
    enrolment_create_attended,
    enrolment_delete,
    feedback_record,
    session_save,
)

__all__ = [
    "assessment_record",
    "attendance_record",
    "certificate_add",
    "certificate_delete",
    "certificate_reminders_send",
    "certificate_update",
    "certification_save",
    "course_save",
    "enrolment_create",
    "enrolment_create_attended",
    "enrolment_delete",
    "feedback_record",
    "profile_save",
    "session_save",
]
