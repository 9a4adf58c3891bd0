"""Training: courses with their feedback and effectiveness, sessions with enrolment and
attendance, and the yearly plan generated from competency gaps."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Avg, Count, Q, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pmo.core import charts, roles
from pmo.core.models import Person
from pmo.core.permissions import require_perm
from talent import services
from talent.forms import (
    CourseForm,
    EffectivenessForm,
    EnrolForm,
    FeedbackForm,
    PlanGenerateForm,
    PlanItemForm,
    SessionForm,
)
from talent.models import Course, Enrolment, TrainingPlan, TrainingSession
from talent.views.common import check, form_page, handle_form, post_action

VIEW, CHANGE = "talent.view_training", "talent.change_training"


def _course_stats(courses):
    return courses.annotate(
        n_sessions=Count("sessions", distinct=True),
        n_attended=Count("sessions__enrolments", filter=Q(sessions__enrolments__attended=True)),
        hours_attended=Sum("sessions__enrolments__hours"),
        feedback=Avg("sessions__enrolments__feedback_rating"),
        effectiveness=Avg("sessions__enrolments__effectiveness_rating"),
    )


@require_perm(VIEW)
def training(request):
    """Courses with attendance, feedback (does the content meet the need?) and
    effectiveness; upcoming sessions."""
    today = timezone.localdate()
    courses = list(_course_stats(Course.objects.all()).order_by("category", "code"))
    rated = [c for c in courses if c.feedback is not None]
    context = {
        "courses": courses,
        "upcoming": TrainingSession.objects.filter(starts_on__gte=today)
        .exclude(status=TrainingSession.Status.CANCELLED)
        .select_related("course")
        .annotate(n=Count("enrolments"))
        .order_by("starts_on")[:10],
        "can_change": request.user.has_perm(CHANGE),
        "feedback_chart": charts.bar(
            [c.label for c in rated],
            {
                _("Feedback (1–5)"): [round(c.feedback, 2) for c in rated],
                _("Effectiveness (1–5)"): [round(c.effectiveness or 0, 2) for c in rated],
            },
            horizontal=True,
        ),
    }
    return TemplateResponse(request, "talent/training.html", context)


@require_perm(CHANGE)
def course_edit(request, pk: int | None = None):
    course = get_object_or_404(Course, pk=pk) if pk else None
    form = CourseForm(request.POST or None, instance=course)
    return handle_form(
        request,
        form,
        lambda f: services.course_save(course=course, actor=request.user, **f.cleaned_data),
        done=_("The course was saved."),
        then=lambda c: c.get_absolute_url(),
        title=_("Course"),
        back=reverse("talent:training"),
    )


@require_perm(VIEW)
def course_detail(request, pk: int):
    course = get_object_or_404(_course_stats(Course.objects.all()), pk=pk)
    sessions = course.sessions.annotate(
        n=Count("enrolments"),
        n_attended=Count("enrolments", filter=Q(enrolments__attended=True)),
        feedback=Avg("enrolments__feedback_rating"),
    ).order_by("-starts_on")
    context = {
        "course": course,
        "sessions": sessions,
        "competencies": course.competencies.all(),
        "can_change": request.user.has_perm(CHANGE),
    }
    return TemplateResponse(request, "talent/course_detail.html", context)


@require_perm(CHANGE)
def session_create(request, pk: int):
    course = get_object_or_404(Course, pk=pk)
    form = SessionForm(request.POST or None)
    return handle_form(
        request,
        form,
        lambda f: services.session_save(course=course, actor=request.user, **f.cleaned_data),
        done=_("The session was scheduled."),
        then=lambda s: s.get_absolute_url(),
        title=_("Training session"),
        back=course.get_absolute_url(),
        context={"object": course},
    )


@require_perm(VIEW)
def session_detail(request, pk: int):
    session = get_object_or_404(TrainingSession.objects.select_related("course"), pk=pk)
    pid = roles.person_id_of(request.user)
    enrolments = session.enrolments.select_related("person", "person__org_unit")
    can_change = request.user.has_perm(CHANGE)
    if not can_change:
        visible = set(
            Enrolment.objects.visible_to(request.user)
            .filter(session=session)
            .values_list("pk", flat=True)
        )
        enrolments = [e for e in enrolments if e.pk in visible]
    context = {
        "session": session,
        "enrolments": enrolments,
        "count": session.enrolments.count(),
        "can_change": can_change,
        "my_person_id": pid,
        "enrolled": pid is not None and session.enrolments.filter(person_id=pid).exists(),
        "enrol_form": EnrolForm() if can_change else None,
        "feedback_form": FeedbackForm(),
        "effect_form": EffectivenessForm(),
    }
    return TemplateResponse(request, "talent/session_detail.html", context)


@require_POST
@require_perm(VIEW)
def session_enrol(request, pk: int):
    """The PMO enrols anyone; everyone else enrols themselves."""
    session = get_object_or_404(TrainingSession.objects.select_related("course"), pk=pk)
    if request.user.has_perm(CHANGE) and request.POST.get("person"):
        form = EnrolForm(request.POST)
        if not form.is_valid():
            return form_page(
                request,
                "talent/form.html",
                {"title": _("Enrol"), "back": session.get_absolute_url(), "object": session},
                form,
            )
        person = form.cleaned_data["person"]
    else:
        pid = roles.person_id_of(request.user)
        if pid is None:
            raise Http404
        person = Person.objects.get(pk=pid)
    return post_action(
        request,
        lambda: services.enrolment_create(session=session, person=person, actor=request.user),
        done=_("Enrolled."),
        then=session.get_absolute_url(),
    )


@require_POST
@require_perm(CHANGE)
def session_attendance(request, pk: int):
    session = get_object_or_404(TrainingSession.objects.select_related("course"), pk=pk)
    present = {int(v) for v in request.POST.getlist("attended") if v.isdigit()}
    return post_action(
        request,
        lambda: services.attendance_record(
            session=session,
            attended={e: e in present for e in session.enrolments.values_list("pk", flat=True)},
            actor=request.user,
        ),
        done=_("Attendance was recorded."),
        then=session.get_absolute_url(),
    )


def _enrolment_for(request, pk: int) -> Enrolment:
    enrolment = (
        Enrolment.objects.visible_to(request.user)
        .select_related("session", "person")
        .filter(pk=pk)
        .first()
    )
    if enrolment is None:
        raise Http404
    return enrolment


@require_POST
@login_required
def enrolment_feedback(request, pk: int):
    """The participant rates the course."""
    enrolment = _enrolment_for(request, pk)
    if roles.person_id_of(request.user) != enrolment.person_id:
        check(request, "talent.self_assess", enrolment.person)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        return form_page(
            request,
            "talent/form.html",
            {"title": _("Feedback"), "back": enrolment.session.get_absolute_url()},
            form,
        )
    return post_action(
        request,
        lambda: services.feedback_record(
            enrolment=enrolment, actor=request.user, **form.cleaned_data
        ),
        done=_("Thank you for the feedback."),
        then=enrolment.session.get_absolute_url(),
    )


@require_POST
@login_required
def enrolment_effectiveness(request, pk: int):
    """The line manager (or the PMO) rates the change at work after the course."""
    enrolment = _enrolment_for(request, pk)
    check(request, "talent.manager_assess", enrolment.person)
    form = EffectivenessForm(request.POST)
    if not form.is_valid():
        return form_page(
            request,
            "talent/form.html",
            {"title": _("Effectiveness"), "back": enrolment.session.get_absolute_url()},
            form,
        )
    return post_action(
        request,
        lambda: services.feedback_record(
            enrolment=enrolment, actor=request.user, **form.cleaned_data
        ),
        done=_("The effectiveness was recorded."),
        then=enrolment.session.get_absolute_url(),
    )


@require_perm(VIEW)
def plan_list(request):
    plans = TrainingPlan.objects.annotate(n=Count("items")).order_by("-year")
    form = PlanGenerateForm(initial={"year": timezone.localdate().year})
    context = {"plans": plans, "form": form, "can_change": request.user.has_perm(CHANGE)}
    return TemplateResponse(request, "talent/plan_list.html", context)


@require_POST
@require_perm(CHANGE)
def plan_generate(request):
    form = PlanGenerateForm(request.POST)
    if not form.is_valid():
        return form_page(
            request,
            "talent/form.html",
            {"title": _("Generate the training plan"), "back": reverse("talent:plan_list")},
            form,
        )
    year = form.cleaned_data["year"]
    return post_action(
        request,
        lambda: services.training_plan_generate(year=year, actor=request.user),
        done=_("The training plan was generated from the competency gaps."),
        then=reverse("talent:plan_detail", args=[year]),
    )


@require_perm(VIEW)
def plan_detail(request, year: int):
    plan = get_object_or_404(TrainingPlan.objects.select_related("approved_by"), year=year)
    items = plan.items.select_related("competency", "course").prefetch_related("people")
    can_change = request.user.has_perm(CHANGE)
    context = {
        "plan": plan,
        "items": items,
        "can_change": can_change,
        "show_people": can_change,
        "item_form": PlanItemForm(),
    }
    return TemplateResponse(request, "talent/plan_detail.html", context)


@require_perm(CHANGE)
def plan_item_add(request, year: int):
    plan = get_object_or_404(TrainingPlan, year=year)
    form = PlanItemForm(request.POST or None)
    return handle_form(
        request,
        form,
        lambda f: services.training_plan_item_add(plan=plan, actor=request.user, **f.cleaned_data),
        done=_("The line was added to the plan."),
        then=plan.get_absolute_url(),
        title=_("Training need"),
        back=plan.get_absolute_url(),
        context={"object": plan},
    )


@require_POST
@require_perm(CHANGE)
def plan_approve(request, year: int):
    plan = get_object_or_404(TrainingPlan, year=year)
    return post_action(
        request,
        lambda: services.training_plan_approve(plan=plan, actor=request.user),
        done=_("The training plan was approved."),
        then=plan.get_absolute_url(),
    )


urlpatterns = [
    path("training/", training, name="training"),
    path("training/courses/new/", course_edit, name="course_create"),
    path("training/courses/<int:pk>/", course_detail, name="course_detail"),
    path("training/courses/<int:pk>/edit/", course_edit, name="course_edit"),
    path("training/courses/<int:pk>/sessions/new/", session_create, name="session_create"),
    path("training/sessions/<int:pk>/", session_detail, name="session_detail"),
    path("training/sessions/<int:pk>/enrol/", session_enrol, name="session_enrol"),
    path("training/sessions/<int:pk>/attendance/", session_attendance, name="session_attendance"),
    path("training/enrolments/<int:pk>/feedback/", enrolment_feedback, name="enrolment_feedback"),
    path(
        "training/enrolments/<int:pk>/effectiveness/",
        enrolment_effectiveness,
        name="enrolment_effectiveness",
    ),
    path("training/plans/", plan_list, name="plan_list"),
    path("training/plans/generate/", plan_generate, name="plan_generate"),
    path("training/plans/<int:year>/", plan_detail, name="plan_detail"),
    path("training/plans/<int:year>/items/new/", plan_item_add, name="plan_item_add"),
    path("training/plans/<int:year>/approve/", plan_approve, name="plan_approve"),
]
