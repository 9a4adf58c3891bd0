"""Knowledge-sharing sessions (分享会) and communities of practice: the calendar,
registration, attendance, feedback and the materials filed into the knowledge base."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Avg, Count, Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from culture import selectors, services
from culture.forms import AttendanceForm, CommunityForm, FeedbackForm, MaterialsForm, SessionForm
from culture.models import Attendance, Community, SharingSession
from culture.views.common import (
    MANAGE,
    PAGE_SIZE,
    RESULTS,
    RUN_SESSION,
    VIEW,
    check,
    current_person,
    form_page,
    int_param,
    posted,
)
from pmo.core import charts, locking
from pmo.core.forms import add_service_errors
from pmo.core.models import OrgUnit
from pmo.core.permissions import require_perm


@require_perm(VIEW)
def session_list(request):
    """The calendar: upcoming sessions first, then the past ones, by month."""
    when = request.GET.get("when", "upcoming")
    community_id = int_param(request.GET.get("community"))
    now = timezone.now()
    sessions = SharingSession.objects.visible_to(request.user).with_people()
    if when == "past":
        sessions = sessions.filter(starts_at__lt=now).order_by("-starts_at")
    else:
        when = "upcoming"
        sessions = sessions.filter(starts_at__gte=now).order_by("starts_at")
    if community_id:
        sessions = sessions.filter(community_id=community_id)
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    person = current_person(request)
    mine = set()
    if person is not None:
        mine = set(
            Attendance.objects.filter(
                person=person, session_id__in=[s.pk for s in page]
            ).values_list("session_id", flat=True)
        )
    context = {
        "page": page,
        "when": when,
        "mine": mine,
        "communities": Community.objects.order_by("name"),
        "community_id": community_id,
        "can_manage": request.user.has_perm(MANAGE),
    }
    return TemplateResponse(request, "culture/session_list.html", context)


@require_perm(MANAGE)
def session_create(request):
    initial = {
        "starts_at": (timezone.localtime() + dt.timedelta(days=7)).replace(
            hour=15, minute=0, second=0, microsecond=0
        )
    }
    person = current_person(request)
    if person is not None:
        initial["org_unit"] = person.org_unit_id
    form = SessionForm(posted(request), initial=initial, user=request.user)
    return _save(request, form, None)


@require_perm(MANAGE)
def session_edit(request, pk: int):
    session = get_object_or_404(SharingSession, pk=pk)
    form = SessionForm(posted(request), instance=session, user=request.user)
    locking.attach_token(form, session)
    return _save(request, form, session)


def _save(request, form, session):
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        lessons, cases = data.pop("lessons", []), data.pop("cases", [])
        try:
            with locking.guard(form):
                session = services.session_save(
                    actor=request.user, session=session, lessons=lessons, cases=cases, **data
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The session was saved."))
            return redirect(session)
    context = {"title": _("Edit session") if session else _("New session"), "object": session}
    return form_page(request, "culture/form.html", context, form)


def _session(pk: int) -> SharingSession:
    attendances = Attendance.objects.select_related("person", "person__org_unit")
    return get_object_or_404(
        SharingSession.objects.select_related(
            "speaker", "org_unit", "community", "materials"
        ).prefetch_related(Prefetch("attendances", queryset=attendances), "lessons", "cases"),
        pk=pk,
    )


@require_perm(VIEW)
def session_detail(request, pk: int):
    session = _session(pk)
    person = current_person(request)
    attendances = list(session.attendances.all())
    mine = next((a for a in attendances if person and a.person_id == person.pk), None)
    ratings = [a.rating for a in attendances if a.rating]
    context = {
        "session": session,
        "attendances": attendances,
        "attended": [a for a in attendances if a.attended],
        "mine": mine,
        "mean_rating": round(sum(ratings) / len(ratings), 1) if ratings else None,
        "feedback_form": FeedbackForm(
            initial={"rating": mine.rating or 5, "feedback": mine.feedback} if mine else None
        ),
        "can_manage": request.user.has_perm(MANAGE),
        "can_run": request.user.has_perm(RUN_SESSION, session),
        "is_full": session.capacity is not None and len(attendances) >= session.capacity,
    }
    return TemplateResponse(request, "culture/session_detail.html", context)


def _person_or_back(request, session):
    person = current_person(request)
    if person is None:
        messages.error(request, _("Your login is not linked to a person; ask the PMO."))
    return person


@require_perm(VIEW)
@require_POST
def session_register(request, pk: int):
    session = get_object_or_404(SharingSession, pk=pk)
    person = _person_or_back(request, session)
    if person is not None:
        try:
            if request.POST.get("action") == "cancel":
                services.session_unregister(session=session, person=person, actor=request.user)
                messages.success(request, _("Your registration was withdrawn."))
            else:
                services.session_register(session=session, person=person, actor=request.user)
                messages.success(request, _("You are registered."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return redirect(session)


@require_perm(VIEW)
@require_POST
def session_feedback(request, pk: int):
    session = get_object_or_404(SharingSession, pk=pk)
    person = _person_or_back(request, session)
    form = FeedbackForm(request.POST)
    if person is not None and form.is_valid():
        try:
            services.session_feedback(
                session=session, person=person, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Thank you for your feedback."))
    elif form.errors:
        messages.error(request, _("Choose a rating from 1 to 5."))
    return redirect(session)


@require_perm(VIEW)
def session_attendance(request, pk: int):
    session = _session(pk)
    check(request, RUN_SESSION, session)
    registered = list(session.attendances.all())
    initial = {"present": [a.person_id for a in registered if a.attended]}
    form = AttendanceForm(posted(request), initial=initial, session=session)
    if request.method == "POST" and form.is_valid():
        present = list(form.cleaned_data["present"]) + list(form.cleaned_data["walk_ins"])
        try:
            services.session_attendance_record(
                session=session, attended=present, actor=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The attendance was recorded."))
            return redirect(session)
    context = {"session": session, "title": _("Attendance")}
    return form_page(request, "culture/session_attendance.html", context, form)


@require_perm(VIEW)
def session_materials(request, pk: int):
    """File the session's slides and notes as an article of the knowledge base."""
    session = _session(pk)
    check(request, RUN_SESSION, session)
    initial = {
        "title": _("Materials: %(title)s") % {"title": session.title},
        "body": session.description or session.topic,
    }
    form = MaterialsForm(posted(request), request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_materials_file(
                session=session,
                actor=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                files=form.cleaned_data["files"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The materials were filed in the knowledge base."))
            return redirect(session)
    context = {"session": session, "title": _("Materials"), "object": session}
    return form_page(request, "culture/form.html", context, form)


@require_perm(MANAGE)
@require_POST
def session_cancel(request, pk: int):
    session = get_object_or_404(SharingSession, pk=pk)
    try:
        services.session_cancel(session=session, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The session was cancelled and the registered were told."))
    return redirect(session)


@require_perm(VIEW)
def community_list(request):
    communities = (
        Community.objects.select_related("lead")
        .annotate(member_count=Count("members", distinct=True))
        .annotate(session_count=Count("sessions", distinct=True))
        .order_by("name")
    )
    person = current_person(request)
    mine = set(person.culture_communities.values_list("pk", flat=True)) if person else set()
    context = {
        "communities": communities,
        "mine": mine,
        "can_manage": request.user.has_perm(MANAGE),
    }
    return TemplateResponse(request, "culture/community_list.html", context)


@require_perm(MANAGE)
def community_create(request):
    form = CommunityForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.community_save(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The community was created."))
            return redirect("culture:community_list")
    context = {"title": _("New community of practice"), "object": None}
    return form_page(request, "culture/form.html", context, form)


@require_perm(VIEW)
@require_POST
def community_join(request, pk: int):
    community = get_object_or_404(Community, pk=pk)
    person = current_person(request)
    if person is None:
        messages.error(request, _("Your login is not linked to a person; ask the PMO."))
    elif request.POST.get("action") == "leave":
        services.community_leave(community=community, person=person, actor=request.user)
        messages.success(request, _("You left the community."))
    else:
        services.community_join(community=community, person=person, actor=request.user)
        messages.success(request, _("You joined the community."))
    return redirect("culture:community_list")


@require_perm(RESULTS)
def sharing(request):
    """经验分享是否常态化: sessions held per division, per month and per quarter, and
    how regular they are (months with sharing)."""
    today = timezone.localdate()
    start = selectors.twelve_months(today)
    rows = selectors.sharing_by_unit(start, today)
    quarters = selectors.sharing_per_quarter(today, 4)
    feedback = Attendance.objects.filter(
        rating__isnull=False, session__starts_at__date__gte=start
    ).aggregate(mean=Avg("rating"), n=Count("pk"))
    context = {
        "rows": rows,
        "start": start,
        "end": today,
        "feedback": feedback,
        "quarters": quarters,
        "unit_chart": charts.bar(
            [r.unit.label for r in rows],
            {_("Sessions held"): [r.sessions for r in rows]},
            keys=[r.unit.pk for r in rows],
        ),
        "quarter_chart": charts.bar(
            [q[0] for q in quarters],
            {
                _("Sessions held"): [q[1] for q in quarters],
                _("Attendances"): [q[2] for q in quarters],
            },
        ),
        "divisions": OrgUnit.objects.filter(depth=1).count(),
    }
    return TemplateResponse(request, "culture/sharing.html", context)


urlpatterns = [
    path("sessions/", session_list, name="session_list"),
    path("sessions/new/", session_create, name="session_create"),
    path("sessions/frequency/", sharing, name="sharing"),
    path("sessions/<int:pk>/", session_detail, name="session_detail"),
    path("sessions/<int:pk>/edit/", session_edit, name="session_edit"),
    path("sessions/<int:pk>/register/", session_register, name="session_register"),
    path("sessions/<int:pk>/feedback/", session_feedback, name="session_feedback"),
    path("sessions/<int:pk>/attendance/", session_attendance, name="session_attendance"),
    path("sessions/<int:pk>/materials/", session_materials, name="session_materials"),
    path("sessions/<int:pk>/cancel/", session_cancel, name="session_cancel"),
    path("communities/", community_list, name="community_list"),
    path("communities/new/", community_create, name="community_create"),
    path("communities/<int:pk>/join/", community_join, name="community_join"),
]
