"""Models of the project management talent area (duty area 5).

* ``competency`` — the competency model (dimensions, competencies, behaviours per
  proficiency) and the career ladder with promotion criteria per level.
* ``people`` — certificates, talent profiles and competency assessments.
* ``training`` — courses, sessions, enrolment with attendance and feedback, yearly plans.
* ``selection`` — selection rounds against a level's standards, and appraisal.
* ``teams`` — team designs with positions, team health checks and team-building actions.
* ``recruitment`` — salary bands, recruitment plans, positions, candidates, onboarding.
"""

from talent.models.competency import (
    BehaviourIndicator,
    CareerLevel,
    Competency,
    CompetencyDimension,
    LevelRequirement,
)
from talent.models.people import (
    Certification,
    CompetencyAssessment,
    PersonCertificate,
    TalentProfile,
)
from talent.models.recruitment import (
    Candidate,
    Onboarding,
    OnboardingCheckIn,
    RecruitmentPlan,
    SalaryBand,
    Vacancy,
)
from talent.models.selection import (
    Appraisal,
    AppraisalKpi,
    AppraisalRound,
    AppraisalScheme,
    SelectionCandidate,
    SelectionRound,
)
from talent.models.teams import (
    TeamAction,
    TeamDesign,
    TeamPosition,
    TeamSurvey,
    TeamSurveyResponse,
)
from talent.models.training import (
    Course,
    Enrolment,
    TrainingPlan,
    TrainingPlanItem,
    TrainingSession,
)

__all__ = [
    "Appraisal",
    "AppraisalKpi",
    "AppraisalRound",
    "AppraisalScheme",
    "BehaviourIndicator",
    "Candidate",
    "CareerLevel",
    "Certification",
    "Competency",
    "CompetencyAssessment",
    "CompetencyDimension",
    "Course",
    "Enrolment",
    "LevelRequirement",
    "Onboarding",
    "OnboardingCheckIn",
    "PersonCertificate",
    "RecruitmentPlan",
    "SalaryBand",
    "SelectionCandidate",
    "SelectionRound",
    "TalentProfile",
    "TeamAction",
    "TeamDesign",
    "TeamPosition",
    "TeamSurvey",
    "TeamSurveyResponse",
    "TrainingPlan",
    "TrainingPlanItem",
    "TrainingSession",
    "Vacancy",
]
