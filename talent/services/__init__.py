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

from talent.services.ladder import (
    competency_save,
    dimension_save,
    level_save,
)
from talent.services.people import (
    assessment_record,
    certificate_add,
    certificate_delete,
    certificate_reminders_send,
    certificate_update,
    certification_save,
    profile_save,
)
from talent.services.plans import (
    training_plan_approve,
    training_plan_generate,
    training_plan_item_add,
)
from talent.services.recruitment import (
    candidate_add,
    candidate_move,
    onboarding_checkin_add,
    onboarding_save,
    recruitment_plan_save,
    salary_band_save,
    vacancy_save,
)
from talent.services.selection import (
    appraisal_calibrate,
    appraisal_delete,
    appraisal_kpis_compute,
    appraisal_rate,
    appraisal_round_advance,
    appraisal_round_open,
    appraisal_scheme_save,
    selection_candidate_add,
    selection_candidate_decide,
    selection_round_close,
    selection_round_open,
)
from talent.services.teams import (
    team_action_save,
    team_design_note,
    team_position_delete,
    team_position_save,
    team_survey_respond,
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
    "appraisal_calibrate",
    "appraisal_delete",
    "appraisal_kpis_compute",
    "appraisal_rate",
    "appraisal_round_advance",
    "appraisal_round_open",
    "appraisal_scheme_save",
    "assessment_record",
    "attendance_record",
    "candidate_add",
    "candidate_move",
    "certificate_add",
    "certificate_delete",
    "certificate_reminders_send",
    "certificate_update",
    "certification_save",
    "competency_save",
    "course_save",
    "dimension_save",
    "enrolment_create",
    "enrolment_create_attended",
    "enrolment_delete",
    "feedback_record",
    "level_save",
    "onboarding_checkin_add",
    "onboarding_save",
    "profile_save",
    "recruitment_plan_save",
    "salary_band_save",
    "selection_candidate_add",
    "selection_candidate_decide",
    "selection_round_close",
    "selection_round_open",
    "session_save",
    "team_action_save",
    "team_design_note",
    "team_position_delete",
    "team_position_save",
    "team_survey_respond",
    "training_plan_approve",
    "training_plan_generate",
    "training_plan_item_add",
    "vacancy_save",
]
