"""The talent pool, PM profiles, competency assessments and certificates."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pmo.core import locking
from pmo.core.models import OrgUnit
from pmo.core.permissions import require_perm
from talent import services
from talent.forms import AssessmentForm, CertificateForm, ProfileForm
from talent.models import (
    Appraisal,
    CareerLevel,
    Certification,
    Competency,
    CompetencyAssessment,
    Enrolment,
    PersonCertificate,
    TalentProfile,
)
from talent.selectors import facts
from talent.views.common import (
    PAGE_SIZE,
    filter_units,
    handle_form,
    int_param,
    person_for,
    post_action,
)
from talent.views.model import EXPIRY_DAYS

READINESS = ("ready", "near", "far")


def _readiness_class(f) -> str:
    if f.readiness is None:
        return ""
    if f.readiness.ready:
        return "ready"
    return "near" if len(f.readiness.gaps) <= 2 else "far"


@require_perm("talent.view_pool")
def pool(request):
    """The pool, filtered by level, unit, certificate and readiness for the next level."""
    today = timezone.localdate()
    profiles = TalentProfile.objects.visible_to(request.user).in_pool().with_people()
    level_id = int_param(request.GET.get("level"))
    unit = OrgUnit.objects.filter(pk=int_param(request.GET.get("unit")) or 0).first()
    cert = request.GET.get("certificate", "")
    readiness = request.GET.get("readiness", "")
    if level_id:
        profiles = profiles.filter(level_id=level_id)
    if unit is not None:
        profiles = profiles.filter(person__org_unit__path__startswith=unit.path)
    if cert:
        valid = PersonCertificate.objects.valid_on(today).filter(certification__code=cert)
        profiles = profiles.filter(person_id__in=valid.values("person_id"))
    profiles = list(profiles)
    found = facts.facts_for(profiles, today)
    rows = [found[p.person_id] for p in profiles]
    if readiness in READINESS:
        rows = [f for f in rows if _readiness_class(f) == readiness]
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "levels": CareerLevel.objects.order_by("rank"),
        "units": filter_units(),
        "certifications": Certification.objects.order_by("code"),
        "filters": {
            "level": level_id,
            "unit": unit.pk if unit else None,
            "certificate": cert,
            "readiness": readiness,
        },
        "can_change": request.user.has_perm("talent.change_profile"),
    }
    template = "talent/pool.html#pool-table" if request.htmx else "talent/pool.html"
    return TemplateResponse(request, template, context)


@require_perm("talent.change_profile")
def profile_edit(request, person_id: int | None = None):
    profile = None
    person = None
    if person_id:
        profile = TalentProfile.objects.filter(person_id=person_id).select_related("person").first()
        person = profile.person if profile else person_for(request, person_id)
    form = ProfileForm(request.POST or None, instance=profile, person=person)
    locking.attach_token(form, profile)

    def write(f):
        data = dict(f.cleaned_data)
        with locking.guard(f):
            return services.profile_save(actor=request.user, **data)

    return handle_form(
        request,
        form,
        write,
        done=_("The talent profile was saved."),
        then=lambda p: reverse("talent:profile", args=[p.person_id]),
        title=_("Talent profile"),
        back=reverse("talent:pool"),
    )


@login_required
def profile(request, person_id: int):
    """A PM's profile: level and readiness for the next level with the gaps named,
    competencies (self and manager), certificates with expiry, training, project
    history from the portfolio, appraisals."""
    person = person_for(request, person_id)
    today = timezone.localdate()
    prof = TalentProfile.objects.with_people().filter(person=person).first()
    levels = facts.ladder()
    fact = None
    if prof is not None:
        fact = facts.facts_for([prof], today, levels=levels)[person.pk]
    rated = facts.ratings([person.pk]).get(person.pk, {})
    required = {}
    if fact and fact.next_level:
        required = {
            r.competency.code: r.min_proficiency for r in fact.next_level.requirements.all()
        }
    competencies = [
        {
            "competency": c,
            "self": rated.get(c.code, {}).get("self"),
            "manager": rated.get(c.code, {}).get("manager"),
            "effective": facts.effective({c.code: rated.get(c.code, {})}).get(c.code),
            "required": required.get(c.code),
        }
        for c in Competency.objects.filter(is_active=True).select_related("dimension")
    ]
    certificates = PersonCertificate.objects.filter(person=person).select_related("certification")
    enrolments = (
        Enrolment.objects.filter(person=person)
        .select_related("session", "session__course")
        .order_by("-session__starts_on")
    )
    year_start = today.replace(month=1, day=1)
    hours = enrolments.filter(attended=True).aggregate(
        total=Sum("hours"),
    )["total"]
    year_hours = (
        Enrolment.objects.filter(person=person)
        .attended_between(year_start, today)
        .aggregate(total=Sum("hours"))["total"]
    )
    context = {
        "person": person,
        "profile": prof,
        "fact": fact,
        "competencies": competencies,
        "certificates": certificates,
        "soon": today + dt.timedelta(days=EXPIRY_DAYS),
        "today": today,
        "enrolments": enrolments[:20],
        "hours_total": hours or 0,
        "hours_year": year_hours or 0,
        "history": facts.project_history(person),
        "appraisals": Appraisal.objects.filter(person=person)
        .select_related("round")
        .order_by("-round__period_end"),
        "can_edit": request.user.has_perm("talent.change_profile"),
        "can_self": request.user.has_perm("talent.self_assess", person),
        "can_manager": request.user.has_perm("talent.manager_assess", person),
        "can_certify": request.user.has_perm("talent.change_certificates", person),
    }
    return TemplateResponse(request, "talent/profile.html", context)


@login_required
def assess(request, person_id: int, kind: str):
    if kind not in CompetencyAssessment.Kind.values:
        raise Http404
    perm = "talent.self_assess" if kind == "self" else "talent.manager_assess"
    person = person_for(request, person_id, perm)
    rated = facts.ratings([person.pk]).get(person.pk, {})
    form = AssessmentForm(
        request.POST or None,
        competencies=Competency.objects.filter(is_active=True).select_related("dimension"),
        initial_ratings={code: kinds.get(kind) for code, kinds in rated.items()},
    )
    title = (
        _("Self-assessment of competencies")
        if kind == "self"
        else _("Manager assessment of competencies")
    )
    return handle_form(
        request,
        form,
        lambda f: services.assessment_record(
            person=person,
            kind=kind,
            ratings=f.ratings(),
            note=f.cleaned_data["note"],
            actor=request.user,
        ),
        done=_("The assessment was recorded."),
        then=reverse("talent:profile", args=[person.pk]),
        title=title,
        back=reverse("talent:profile", args=[person.pk]),
        context={"object": person},
    )


@login_required
def certificate_create(request, person_id: int):
    person = person_for(request, person_id, "talent.change_certificates")
    form = CertificateForm(request.POST or None)
    return handle_form(
        request,
        form,
        lambda f: services.certificate_add(person=person, actor=request.user, **f.cleaned_data),
        done=_("The certificate was recorded."),
        then=reverse("talent:profile", args=[person.pk]),
        title=_("Certificate"),
        back=reverse("talent:profile", args=[person.pk]),
        context={"object": person},
    )


def _certificate_for(request, pk: int) -> PersonCertificate:
    cert = get_object_or_404(PersonCertificate.objects.select_related("person"), pk=pk)
    person_for(request, cert.person_id, "talent.change_certificates")
    return cert


@login_required
def certificate_edit(request, pk: int):
    cert = _certificate_for(request, pk)
    form = CertificateForm(request.POST or None, instance=cert)
    form.fields["certification"].disabled = True
    back = reverse("talent:profile", args=[cert.person_id])
    return handle_form(
        request,
        form,
        lambda f: services.certificate_update(
            certificate=cert,
            issued_on=f.cleaned_data["issued_on"],
            expires_on=f.cleaned_data["expires_on"],
            number=f.cleaned_data["number"],
            actor=request.user,
        ),
        done=_("The certificate was saved."),
        then=back,
        title=_("Certificate"),
        back=back,
        context={"object": cert},
    )


@require_POST
@login_required
def certificate_delete(request, pk: int):
    cert = _certificate_for(request, pk)
    return post_action(
        request,
        lambda: services.certificate_delete(certificate=cert, actor=request.user),
        done=_("The certificate was removed."),
        then=reverse("talent:profile", args=[cert.person_id]),
    )


urlpatterns = [
    path("pool/", pool, name="pool"),
    path("pool/add/", profile_edit, name="profile_create"),
    path("people/<int:person_id>/", profile, name="profile"),
    path("people/<int:person_id>/edit/", profile_edit, name="profile_edit"),
    path("people/<int:person_id>/assess/<str:kind>/", assess, name="assess"),
    path("people/<int:person_id>/certificates/new/", certificate_create, name="certificate_create"),
    path("certificates/<int:pk>/edit/", certificate_edit, name="certificate_edit"),
    path("certificates/<int:pk>/delete/", certificate_delete, name="certificate_delete"),
]
