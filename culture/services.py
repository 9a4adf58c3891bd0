"""Every write of the culture area goes through these functions: keyword-only,
validated, atomic, with the actor recorded in the history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from culture.models import (
    Attendance,
    Campaign,
    CampaignRecipient,
    CertificationTarget,
    Community,
    CultureSettings,
    Idea,
    IdeaPractice,
    ImprovementIdea,
    ImprovementVote,
    SharingSession,
    Survey,
    SurveyAnswer,
    SurveyParticipation,
    SurveyQuestion,
    SurveyResponse,
    SurveyRound,
)
from pmo.core import roles
from pmo.core.models import Notification, OrgUnit, Person
from pmo.core.services import notification_send


def _set_history_user(obj, actor) -> None:
    if actor is not None and getattr(actor, "is_authenticated", False):
        obj._history_user = actor


def _save(obj, actor, exclude=None):
    obj.full_clean(exclude=exclude)
    _set_history_user(obj, actor)
    obj.save()
    return obj


def person_of(user) -> Person:
    """The Person of a login; culture's actions are a person's, so one is required."""
    pid = roles.person_id_of(user)
    if pid is None:
        raise ValidationError(_("Your login is not linked to a person; ask the PMO."))
    return Person.objects.select_related("org_unit").get(pk=pid)


# --- ideas --------------------------------------------------------------------------

IDEA_FIELDS = (
    "title",
    "title_en",
    "summary",
    "source",
    "source_reference",
    "fit",
    "fit_rating",
    "status",
    "owner",
)


@transaction.atomic
def idea_save(*, actor, idea: Idea | None = None, **fields) -> Idea:
    """Create or change a curated idea."""
    unknown = set(fields) - set(IDEA_FIELDS)
    if unknown:
        raise TypeError(f"unknown idea fields: {sorted(unknown)}")
    idea = idea or Idea()
    for name, value in fields.items():
        setattr(idea, name, value)
    return _save(idea, actor)


@transaction.atomic
def idea_practice_add(
    *, actor, idea: Idea, phase: str, note: str, lesson=None, case=None, project=None
) -> IdeaPractice:
    """Record where an idea shows in practice: a lesson, a case or a project, in a phase."""
    if lesson is None and case is None and project is None:
        raise ValidationError(
            _("Name the lesson, the case or the project where the idea was applied.")
        )
    practice = IdeaPractice(
        idea=idea,
        phase=phase,
        note=note,
        lesson=lesson,
        case=case,
        project=project,
        created_by=actor,
    )
    return _save(practice, actor)


@transaction.atomic
def idea_practice_remove(*, actor, practice: IdeaPractice) -> None:
    _set_history_user(practice, actor)
    practice.delete()


# --- campaigns ----------------------------------------------------------------------


def _quiz_errors(question: str, options: list[str], answer: int | None) -> dict:
    if not question:
        return {}
    if len(options) < 2:
        return {"quiz_options": _("A quiz needs at least two options, one per line.")}
    if answer is None or not 1 <= answer <= len(options):
        return {
            "quiz_answer": _("Give the number of the right option (1 to %(n)s).")
            % {"n": len(options)}
        }
    return {}


@transaction.atomic
def campaign_save(
    *,
    actor,
    campaign: Campaign | None = None,
    title: str,
    title_en: str = "",
    message: str,
    idea: Idea | None = None,
    target_units: Iterable[OrgUnit] = (),
    target_roles: Iterable = (),
    quiz_question: str = "",
    quiz_options: Iterable[str] = (),
    quiz_answer: int | None = None,
    due_on: dt.date | None = None,
) -> Campaign:
    """Create or change a draft campaign; a launched one is no longer edited."""
    if campaign is not None and campaign.pk:
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    campaign = campaign or Campaign(created_by=actor)
    if campaign.pk and campaign.status != Campaign.Status.DRAFT:
        raise ValidationError(_("Only a draft campaign can be changed."))
    target_units, target_roles = list(target_units), list(target_roles)
    options = [o.strip() for o in quiz_options if o and o.strip()]
    errors = _quiz_errors(quiz_question.strip(), options, quiz_answer)
    if not target_units:
        errors["target_units"] = _("Choose at least one org unit.")
    if errors:
        raise ValidationError(errors)
    campaign.title, campaign.title_en, campaign.message, campaign.idea = (
        title,
        title_en,
        message,
        idea,
    )
    campaign.quiz_question = quiz_question.strip()
    campaign.quiz_options = options if campaign.quiz_question else []
    campaign.quiz_answer = quiz_answer if campaign.quiz_question else None
    campaign.due_on = due_on
    _save(campaign, actor)
    campaign.target_units.set(target_units)
    campaign.target_roles.set(target_roles)
    return campaign


def campaign_audience(campaign: Campaign):
    """Active people in the target units (and below), of the target job roles if any."""
    units = list(campaign.target_units.all())
    if not units:
        return Person.objects.none()
    from django.db.models import Q

    under = Q(pk__in=[])
    for unit in units:
        under |= Q(org_unit__path__startswith=unit.path)
    people = Person.objects.filter(under, is_active=True)
    role_ids = list(campaign.target_roles.values_list("pk", flat=True))
    if role_ids:
        people = people.filter(role_id__in=role_ids)
    return people


@transaction.atomic
def campaign_launch(*, campaign: Campaign, actor) -> Campaign:
    """Send a draft campaign: one recipient row per addressee, and a notification in
    the app and by e-mail to those with a login."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != Campaign.Status.DRAFT:
        raise ValidationError(_("This campaign was already launched."))
    people = list(campaign_audience(campaign).select_related("user"))
    if not people:
        raise ValidationError(_("Nobody is in the chosen units and roles."))
    CampaignRecipient.objects.bulk_create(
        [CampaignRecipient(campaign=campaign, person=p, org_unit_id=p.org_unit_id) for p in people]
    )
    campaign.status = Campaign.Status.LAUNCHED
    campaign.launched_at = timezone.now()
    _save(campaign, actor)
    notification_send(
        recipients=[p.user for p in people if p.user_id],
        title=_("Please read: %(title)s") % {"title": campaign.title},
        body=campaign.message[:500],
        url=reverse("culture:campaign_detail", args=[campaign.pk]),
        level=Notification.Level.ACTION,
        email=True,
    )
    return campaign


@transaction.atomic
def campaign_close(*, campaign: Campaign, actor) -> Campaign:
    if campaign.status != Campaign.Status.LAUNCHED:
        raise ValidationError(_("Only a launched campaign can be closed."))
    campaign.status = Campaign.Status.CLOSED
    return _save(campaign, actor)


def campaign_read(*, campaign: Campaign, person: Person) -> CampaignRecipient | None:
    """Note that the person opened the campaign (the first time only)."""
    recipient = CampaignRecipient.objects.filter(campaign=campaign, person=person).first()
    if recipient is not None and recipient.read_at is None:
        CampaignRecipient.objects.filter(pk=recipient.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        recipient.refresh_from_db()
    return recipient


@transaction.atomic
def campaign_acknowledge(
    *, campaign: Campaign, person: Person, actor, quiz_choice: int | None = None
) -> CampaignRecipient:
    """The person confirms they read and agree, answering the quiz when there is one."""
    recipient = (
        CampaignRecipient.objects.select_for_update()
        .filter(campaign=campaign, person=person)
        .first()
    )
    if recipient is None:
        raise ValidationError(_("This campaign was not sent to you."))
    if campaign.status != Campaign.Status.LAUNCHED:
        raise ValidationError(_("This campaign is closed."))
    if recipient.acknowledged_at is not None:
        raise ValidationError(_("You already acknowledged this campaign."))
    if campaign.has_quiz:
        if quiz_choice is None or not 1 <= quiz_choice <= len(campaign.quiz_options):
            raise ValidationError({"quiz_choice": _("Choose one answer.")})
        recipient.quiz_choice = quiz_choice
        recipient.quiz_correct = quiz_choice == campaign.quiz_answer
    now = timezone.now()
    recipient.read_at = recipient.read_at or now
    recipient.acknowledged_at = now
    return _save(recipient, actor)


# --- sharing sessions ---------------------------------------------------------------

SESSION_FIELDS = (
    "title",
    "title_en",
    "topic",
    "community",
    "speaker",
    "org_unit",
    "starts_at",
    "duration_minutes",
    "location",
    "capacity",
    "description",
    "status",
)


@transaction.atomic
def session_save(
    *,
    actor,
    session: SharingSession | None = None,
    lessons: Iterable = (),
    cases: Iterable = (),
    **fields,
) -> SharingSession:
    """Create or change a sharing session and the lessons and cases it discusses."""
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"unknown session fields: {sorted(unknown)}")
    session = session or SharingSession(created_by=actor)
    for name, value in fields.items():
        setattr(session, name, value)
    _save(session, actor)
    session.lessons.set(list(lessons))
    session.cases.set(list(cases))
    return session


@transaction.atomic
def session_register(*, session: SharingSession, person: Person, actor) -> Attendance:
    """Register for a planned session, within its places."""
    session = SharingSession.objects.select_for_update().get(pk=session.pk)
    if session.status != SharingSession.Status.PLANNED:
        raise ValidationError(_("Registration is open only for planned sessions."))
    if Attendance.objects.filter(session=session, person=person).exists():
        raise ValidationError(_("You are already registered."))
    if session.capacity is not None and session.attendances.count() >= session.capacity:
        raise ValidationError(_("The session is full."))
    return _save(Attendance(session=session, person=person), actor, exclude=["session"])


@transaction.atomic
def session_unregister(*, session: SharingSession, person: Person, actor) -> None:
    if session.status != SharingSession.Status.PLANNED:
        raise ValidationError(_("Registration is open only for planned sessions."))
    Attendance.objects.filter(session=session, person=person).delete()


@transaction.atomic
def session_attendance_record(
    *, session: SharingSession, attended: Iterable[Person], actor
) -> SharingSession:
    """Mark who attended (walk-ins are registered on the way) and mark the session held."""
    if session.status == SharingSession.Status.CANCELLED:
        raise ValidationError(_("A cancelled session has no attendance."))
    present = {p.pk for p in attended}
    existing = {a.person_id: a for a in session.attendances.all()}
    for pid in present - set(existing):
        _save(Attendance(session=session, person_id=pid, attended=True), actor, exclude=["session"])
    for pid, attendance in existing.items():
        if attendance.attended != (pid in present):
            attendance.attended = pid in present
            _save(attendance, actor)
    session.status = SharingSession.Status.HELD
    return _save(session, actor)


@transaction.atomic
def session_feedback(
    *, session: SharingSession, person: Person, rating: int, feedback: str = "", actor
) -> Attendance:
    """An attendee rates the session and says what they take away."""
    attendance = Attendance.objects.filter(session=session, person=person, attended=True).first()
    if attendance is None:
        raise ValidationError(_("Only attendees give feedback."))
    attendance.rating, attendance.feedback = rating, feedback
    return _save(attendance, actor)


@transaction.atomic
def session_cancel(*, session: SharingSession, actor) -> SharingSession:
    if session.status != SharingSession.Status.PLANNED:
        raise ValidationError(_("Only a planned session can be cancelled."))
    session.status = SharingSession.Status.CANCELLED
    _save(session, actor)
    users = [a.person.user for a in session.attendances.select_related("person__user")]
    notification_send(
        recipients=[u for u in users if u is not None],
        title=_("Cancelled: %(title)s") % {"title": session.title},
        url=session.get_absolute_url(),
        level=Notification.Level.WARNING,
    )
    return session


@transaction.atomic
def session_materials_file(
    *, session: SharingSession, actor, title: str, body: str, files: Iterable = ()
) -> SharingSession:
    """File the session's materials as a published article of the knowledge base and
    link it from the session."""
    from knowledge.services import article_create

    if session.status == SharingSession.Status.CANCELLED:
        raise ValidationError(_("A cancelled session has no materials."))
    speaker = session.speaker.label
    article = article_create(
        actor=actor,
        title=title,
        body=body,
        files=list(files),
        source_label=_("Sharing session %(day)s · %(speaker)s")
        % {"day": timezone.localtime(session.starts_at).date().isoformat(), "speaker": speaker},
        publish=True,
    )
    session.materials = article
    return _save(session, actor)


@transaction.atomic
def community_join(*, community: Community, person: Person, actor) -> None:
    community.members.add(person)


@transaction.atomic
def community_leave(*, community: Community, person: Person, actor) -> None:
    community.members.remove(person)


@transaction.atomic
def community_save(*, actor, community: Community | None = None, **fields) -> Community:
    community = community or Community()
    for name in ("name", "name_en", "description", "lead"):
        if name in fields:
            setattr(community, name, fields[name])
    return _save(community, actor)


# --- improvement ideas --------------------------------------------------------------


@transaction.atomic
def improvement_submit(
    *, actor, title: str, description: str, expected_benefit: str = ""
) -> ImprovementIdea:
    """Anyone proposes an improvement; it is filed under their org unit."""
    person = person_of(actor)
    idea = ImprovementIdea(
        title=title,
        description=description,
        expected_benefit=expected_benefit,
        submitted_by=person,
        org_unit=person.org_unit,
    )
    return _save(idea, actor)


@transaction.atomic
def improvement_vote(*, idea: ImprovementIdea, actor) -> bool:
    """Vote for an idea, or take the vote back; returns whether the vote now stands."""
    person = person_of(actor)
    if idea.status in (ImprovementIdea.Status.IMPLEMENTED, ImprovementIdea.Status.REJECTED):
        raise ValidationError(_("Votes are closed for a decided idea."))
    deleted, _rows = ImprovementVote.objects.filter(idea=idea, person=person).delete()
    if deleted:
        return False
    try:
        with transaction.atomic():
            ImprovementVote.objects.create(idea=idea, person=person)
    except IntegrityError:
        pass
    return True


NEXT_STATUS = {
    ImprovementIdea.Status.SUBMITTED: {"under_review", "accepted", "rejected"},
    ImprovementIdea.Status.UNDER_REVIEW: {"accepted", "rejected"},
    ImprovementIdea.Status.ACCEPTED: {"implemented", "rejected"},
    ImprovementIdea.Status.IMPLEMENTED: set(),
    ImprovementIdea.Status.REJECTED: set(),
}


@transaction.atomic
def improvement_decide(
    *, idea: ImprovementIdea, actor, status: str, outcome: str = ""
) -> ImprovementIdea:
    """The PMO moves an idea on; accepting, implementing and refusing need an outcome."""
    if status not in NEXT_STATUS.get(idea.status, set()):
        raise ValidationError({"status": _("This idea cannot move to that status.")})
    if status != ImprovementIdea.Status.UNDER_REVIEW and not outcome.strip():
        raise ValidationError({"outcome": _("Say what was decided and what came of it.")})
    idea.status = status
    idea.outcome = outcome.strip() or idea.outcome
    idea.decided_by, idea.decided_at = actor, timezone.now()
    _save(idea, actor)
    submitter = idea.submitted_by.user
    if submitter is not None:
        notification_send(
            recipients=[submitter],
            title=_("Your improvement idea: %(status)s") % {"status": idea.get_status_display()},
            body=idea.outcome,
            url=idea.get_absolute_url(),
        )
    return idea


# --- surveys ------------------------------------------------------------------------


@transaction.atomic
def survey_save(
    *,
    actor,
    survey: Survey | None = None,
    title: str,
    title_en: str = "",
    description: str = "",
    anonymous: bool = True,
    min_group_size: int = 5,
    cadence: str = Survey.Cadence.QUARTERLY,
    target_units: Iterable[OrgUnit] = (),
) -> Survey:
    """Create or change a survey. Once answered, it cannot stop being anonymous."""
    survey = survey or Survey(created_by=actor)
    if (
        survey.pk
        and survey.anonymous
        and not anonymous
        and SurveyResponse.objects.filter(round__survey=survey).exists()
    ):
        raise ValidationError(
            {"anonymous": _("People answered under the promise of anonymity; it stays.")}
        )
    survey.title, survey.title_en, survey.description = title, title_en, description
    survey.anonymous, survey.min_group_size, survey.cadence = anonymous, min_group_size, cadence
    _save(survey, actor)
    survey.target_units.set(list(target_units))
    return survey


@transaction.atomic
def survey_question_save(
    *,
    actor,
    survey: Survey,
    question: SurveyQuestion | None = None,
    text: str,
    text_en: str = "",
    kind: str = SurveyQuestion.Kind.SCALE,
    required: bool = True,
    order: int | None = None,
) -> SurveyQuestion:
    """Add or change a question; questions already answered keep their kind."""
    question = question or SurveyQuestion(survey=survey)
    if question.pk and question.kind != kind and question.answers.exists():
        raise ValidationError({"kind": _("The question was answered; its kind cannot change.")})
    if order is None:
        order = question.order if question.pk else survey.questions.count() + 1
    question.text, question.text_en, question.kind = text, text_en, kind
    question.required, question.order = required, order
    return _save(question, actor)


@transaction.atomic
def survey_question_delete(*, actor, question: SurveyQuestion) -> None:
    if question.answers.exists():
        raise ValidationError(_("The question was answered; it cannot be removed."))
    _set_history_user(question, actor)
    question.delete()


NEXT_ROUND_MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}


def next_round_dates(survey: Survey, today: dt.date) -> tuple[dt.date, dt.date]:
    """Opening and closing day of the next round by the survey's schedule (two weeks open)."""
    last = survey.rounds.order_by("-opens_on").first()
    if last is None or survey.cadence == Survey.Cadence.ONCE:
        opens = today
    else:
        months = NEXT_ROUND_MONTHS[survey.cadence]
        month = last.opens_on.month - 1 + months
        opens = dt.date(last.opens_on.year + month // 12, month % 12 + 1, 1)
        opens = max(opens, today)
    return opens, opens + dt.timedelta(days=14)


@transaction.atomic
def survey_round_add(
    *, actor, survey: Survey, label: str, opens_on: dt.date, closes_on: dt.date
) -> SurveyRound:
    """Schedule a round; its invitations go out on the opening day."""
    if not survey.questions.exists():
        raise ValidationError(_("Add questions before scheduling a round."))
    survey_round = SurveyRound(survey=survey, label=label, opens_on=opens_on, closes_on=closes_on)
    _save(survey_round, actor)
    if opens_on <= timezone.localdate():
        survey_round_invite(survey_round=survey_round)
    else:
        _ensure_invitation_schedule()
    return survey_round


def _ensure_invitation_schedule() -> None:
    """A daily beat entry that announces rounds on their opening day (made once)."""
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    if PeriodicTask.objects.filter(name=INVITATION_TASK).exists():
        return
    crontab, _created = CrontabSchedule.objects.get_or_create(
        minute="0",
        hour="8",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone=settings.TIME_ZONE,
    )
    PeriodicTask.objects.create(
        name=INVITATION_TASK, task="culture.tasks.survey_invitations", crontab=crontab
    )


INVITATION_TASK = "culture: survey invitations"


def survey_audience(survey: Survey):
    from django.db.models import Q

    people = Person.objects.filter(is_active=True)
    units = list(survey.target_units.all())
    if units:
        under = Q(pk__in=[])
        for unit in units:
            under |= Q(org_unit__path__startswith=unit.path)
        people = people.filter(under)
    return people


@transaction.atomic
def survey_round_invite(*, survey_round: SurveyRound) -> int:
    """Invite the audience of an open round once (a second call does nothing)."""
    claimed = SurveyRound.objects.filter(pk=survey_round.pk, notified_at__isnull=True).update(
        notified_at=timezone.now()
    )
    if not claimed:
        return 0
    survey = survey_round.survey
    users = [p.user for p in survey_audience(survey).select_related("user") if p.user_id]
    notification_send(
        recipients=users,
        title=_("Survey: %(title)s") % {"title": survey.title},
        body=_("Open until %(day)s.") % {"day": survey_round.closes_on.isoformat()},
        url=reverse("culture:survey_answer", args=[survey_round.pk]),
        level=Notification.Level.ACTION,
        email=True,
    )
    return len(users)


def survey_rounds_due(*, today: dt.date) -> int:
    """Invite every round that opened and was not announced yet (for the daily task)."""
    due = SurveyRound.objects.filter(
        notified_at__isnull=True, opens_on__lte=today, closes_on__gte=today
    ).select_related("survey")
    return sum(survey_round_invite(survey_round=r) for r in due)


@transaction.atomic
def survey_answer(
    *, survey_round: SurveyRound, actor, answers: Mapping[int, object], today: dt.date | None = None
) -> SurveyResponse:
    """Record one person's answers to an open round.

    For an anonymous survey the response keeps only the day and the org unit, under a
    random key; the participation row (person and round, nothing else) stops a second
    answer. Scale answers are 1–5; required questions must be answered.
    """
    person = person_of(actor)
    today = today or timezone.localdate()
    survey = survey_round.survey
    if not survey_round.is_open_on(today):
        raise ValidationError(_("This survey round is not open."))
    if not survey_audience(survey).filter(pk=person.pk).exists():
        raise ValidationError(_("This survey is not addressed to you."))
    questions = list(survey.questions.all())
    errors, rows = {}, []
    for question in questions:
        raw = answers.get(question.pk)
        value, text = None, ""
        if question.kind == SurveyQuestion.Kind.SCALE:
            if raw not in (None, ""):
                try:
                    value = int(raw)
                except (TypeError, ValueError):
                    value = 0
                if not 1 <= value <= 5:
                    errors[f"q{question.pk}"] = _("Choose a value from 1 to 5.")
                    continue
        else:
            text = str(raw or "").strip()[:2000]
        if question.required and value is None and not text:
            errors[f"q{question.pk}"] = _("Please answer this question.")
            continue
        if value is not None or text:
            rows.append((question, value, text))
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            SurveyParticipation.objects.create(round=survey_round, person=person)
    except IntegrityError:
        raise ValidationError(_("You already answered this round.")) from None
    response = SurveyResponse.objects.create(
        round=survey_round,
        org_unit_id=person.org_unit_id,
        person=None if survey.anonymous else person,
        answered_on=today,
    )
    SurveyAnswer.objects.bulk_create(
        [SurveyAnswer(response=response, question=q, value=v, text=t) for q, v, t in rows]
    )
    return response


# --- certification programme and settings -------------------------------------------


@transaction.atomic
def certification_target_save(
    *,
    actor,
    target: CertificationTarget | None = None,
    org_unit: OrgUnit,
    codes: Iterable[str],
    target_percent: int,
    due_on: dt.date,
    note: str = "",
) -> CertificationTarget:
    codes = sorted({c.strip().upper() for c in codes if c and c.strip()})
    if not codes:
        raise ValidationError({"codes": _("Choose at least one certificate.")})
    target = target or CertificationTarget()
    target.org_unit, target.codes, target.target_percent = org_unit, codes, target_percent
    target.due_on, target.note = due_on, note
    return _save(target, actor)


@transaction.atomic
def certification_target_delete(*, actor, target: CertificationTarget) -> None:
    _set_history_user(target, actor)
    target.delete()


@transaction.atomic
def culture_settings_update(*, actor, leaderboard_enabled: bool) -> CultureSettings:
    current = CultureSettings.current()
    current.leaderboard_enabled = leaderboard_enabled
    return _save(current, actor)
