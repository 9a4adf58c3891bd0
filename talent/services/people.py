"""Certificates, talent profiles, competency assessments and certificate expiry reminders."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pmo.core import roles
from pmo.core.models import Notification, Person
from pmo.core.services import notification_send
from talent.models import (
    Certification,
    Competency,
    CompetencyAssessment,
    PersonCertificate,
    TalentProfile,
)
from talent.services.common import require_pmo, save, set_history_user, user_or_none

REMINDER_DAYS = 90


@transaction.atomic
def certification_save(
    *,
    code: str,
    name: str,
    name_en: str = "",
    issuer: str = "",
    validity_months: int | None = None,
    certification: Certification | None = None,
    actor=None,
) -> Certification:
    """Create or change a certificate of the catalogue."""
    require_pmo(actor)
    return save(
        certification or Certification(),
        actor,
        code=code.strip().upper(),
        name=name,
        name_en=name_en,
        issuer=issuer,
        validity_months=validity_months,
    )


@transaction.atomic
def certificate_add(
    *,
    person: Person,
    certification: Certification,
    issued_on: dt.date,
    expires_on: dt.date | None = None,
    number: str = "",
    actor=None,
) -> PersonCertificate:
    """Record a certificate a person holds. Without ``expires_on`` the expiry follows from
    the catalogue's validity (none when the certificate does not expire)."""
    if expires_on is None and certification.validity_months:
        months = issued_on.month - 1 + certification.validity_months
        year = issued_on.year + months // 12
        month = months % 12 + 1
        day = min(issued_on.day, 28)
        expires_on = dt.date(year, month, day)
    return save(
        PersonCertificate(person=person, certification=certification),
        actor,
        number=number,
        issued_on=issued_on,
        expires_on=expires_on,
    )


@transaction.atomic
def certificate_update(
    *,
    certificate: PersonCertificate,
    issued_on: dt.date,
    expires_on: dt.date | None,
    number: str = "",
    actor=None,
) -> PersonCertificate:
    """Change a certificate (e.g. renewed: a new expiry clears the reminder)."""
    reminded_on = certificate.reminded_on
    if expires_on != certificate.expires_on:
        reminded_on = None
    return save(
        certificate,
        actor,
        issued_on=issued_on,
        expires_on=expires_on,
        number=number,
        reminded_on=reminded_on,
    )


@transaction.atomic
def certificate_delete(*, certificate: PersonCertificate, actor=None) -> None:
    set_history_user(certificate, actor)
    certificate.delete()


@transaction.atomic
def profile_save(
    *,
    person: Person,
    level=None,
    line_manager: Person | None = None,
    in_pool: bool = True,
    pool_since: dt.date | None = None,
    pm_since: dt.date | None = None,
    career_goal: str = "",
    actor=None,
) -> TalentProfile:
    """Put a person in the talent pool or change their profile (PMO only). A change of
    level restarts the time at the level."""
    require_pmo(actor)
    if line_manager is not None and line_manager.pk == person.pk:
        raise ValidationError({"line_manager": _("A person cannot be their own line manager.")})
    profile = TalentProfile.objects.filter(person=person).first() or TalentProfile(person=person)
    today = timezone.localdate()
    level_since = profile.level_since
    if profile.pk is None or profile.level_id != (level.pk if level else None):
        level_since = today
    return save(
        profile,
        actor,
        level=level,
        line_manager=line_manager,
        in_pool=in_pool,
        pool_since=pool_since or profile.pool_since or today,
        pm_since=pm_since,
        career_goal=career_goal,
        level_since=level_since,
    )


def may_assess(actor, person: Person, kind: str) -> bool:
    """A person rates themselves; their line manager (or the PMO) gives the manager rating."""
    if actor is None:
        return True
    pid = roles.person_id_of(actor)
    if kind == CompetencyAssessment.Kind.SELF:
        return pid == person.pk
    if roles.is_pmo(actor):
        return True
    manager_id = (
        TalentProfile.objects.filter(person=person)
        .values_list("line_manager_id", flat=True)
        .first()
    )
    return pid is not None and manager_id == pid


@transaction.atomic
def assessment_record(
    *,
    person: Person,
    kind: str,
    ratings: dict[Competency, int],
    assessed_on: dt.date | None = None,
    note: str = "",
    actor=None,
) -> list[CompetencyAssessment]:
    """Record one self or manager assessment of several competencies at once."""
    if kind not in CompetencyAssessment.Kind.values:
        raise ValidationError({"kind": _("Choose self or manager assessment.")})
    if not may_assess(actor, person, kind):
        raise PermissionDenied(_("You may not give this assessment."))
    if not ratings:
        raise ValidationError(_("Rate at least one competency."))
    day = assessed_on or timezone.localdate()
    rows = []
    for competency, proficiency in ratings.items():
        row = CompetencyAssessment(
            person=person,
            competency=competency,
            kind=kind,
            proficiency=proficiency,
            assessed_on=day,
            assessor=user_or_none(actor),
            note=note,
        )
        rows.append(save(row, actor))
    return rows


def certificate_reminders_send(
    *, today: dt.date | None = None, within_days: int = REMINDER_DAYS
) -> int:
    """Notify holders (and their line managers) of certificates expiring within
    ``within_days``; each certificate is reminded once per expiry date, so running this
    twice sends nothing more. Returns the number of certificates reminded."""
    today = today or timezone.localdate()
    sent = 0
    due = (
        PersonCertificate.objects.expiring(today, within_days)
        .filter(reminded_on__isnull=True)
        .select_related(
            "certification", "person__user", "person__talent_profile__line_manager__user"
        )
    )
    for cert in due:
        with transaction.atomic():
            claimed = PersonCertificate.objects.filter(pk=cert.pk, reminded_on__isnull=True).update(
                reminded_on=today
            )
            if not claimed:
                continue
            recipients = [cert.person.user]
            profile = getattr(cert.person, "talent_profile", None)
            if profile is not None and profile.line_manager is not None:
                recipients.append(profile.line_manager.user)
            for user in recipients:
                if user is None:
                    continue
                language = getattr(getattr(user, "preference", None), "language", None)
                with translation.override(language or translation.get_language()):
                    notification_send(
                        recipients=[user],
                        title=_("Certificate %(code)s of %(person)s expires on %(date)s")
                        % {
                            "code": cert.certification.code,
                            "person": cert.person.label,
                            "date": cert.expires_on.isoformat(),
                        },
                        body=_(
                            "Renew it in time: promotion criteria count valid certificates only."
                        ),
                        url=reverse("talent:profile", args=[cert.person_id]),
                        level=Notification.Level.WARNING,
                        email=True,
                    )
            sent += 1
    return sent
