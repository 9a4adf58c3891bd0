"""Pulse surveys: configurable questionnaires run in scheduled rounds, answered
anonymously where configured, with results by org unit that identify nobody."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from culture import selectors, services
from culture.forms import QuestionForm, RoundForm, SurveyAnswerForm, SurveyForm
from culture.models import Survey, SurveyParticipation, SurveyQuestion, SurveyRound
from culture.views.common import MANAGE, RESULTS, VIEW, current_person, form_page, posted
from pmo.core import charts
from pmo.core.forms import add_service_errors
from pmo.core.permissions import require_perm


@require_perm(VIEW)
def survey_list(request):
    """Open rounds the user is asked to answer; for the PMO every survey."""
    today = timezone.localdate()
    person = current_person(request)
    open_rounds = list(
        SurveyRound.objects.filter(opens_on__lte=today, closes_on__gte=today)
        .select_related("survey")
        .prefetch_related("survey__target_units")
        .order_by("closes_on")
    )
    done = set()
    if person is not None:
        done = set(
            SurveyParticipation.objects.filter(
                person=person, round_id__in=[r.pk for r in open_rounds]
            ).values_list("round_id", flat=True)
        )
        open_rounds = [r for r in open_rounds if _addressed(r.survey, person)]
    else:
        open_rounds = []
    context = {
        "open_rounds": open_rounds,
        "done": done,
        "can_manage": request.user.has_perm(MANAGE),
        "can_results": request.user.has_perm(RESULTS),
        "surveys": Survey.objects.prefetch_related("rounds").order_by("title")
        if request.user.has_perm(RESULTS)
        else [],
    }
    return TemplateResponse(request, "culture/survey_list.html", context)


def _addressed(survey: Survey, person) -> bool:
    units = list(survey.target_units.all())
    return not units or any(person.org_unit.path.startswith(u.path) for u in units)


@require_perm(MANAGE)
def survey_create(request):
    form = SurveyForm(posted(request))
    return _save(request, form, None)


@require_perm(MANAGE)
def survey_edit(request, pk: int):
    survey = get_object_or_404(Survey, pk=pk)
    initial = {
        "title": survey.title,
        "title_en": survey.title_en,
        "description": survey.description,
        "anonymous": survey.anonymous,
        "min_group_size": survey.min_group_size,
        "cadence": survey.cadence,
        "target_units": list(survey.target_units.all()),
    }
    form = SurveyForm(posted(request), initial=initial)
    return _save(request, form, survey)


def _save(request, form, survey):
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.survey_save(actor=request.user, survey=survey, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The survey was saved."))
            return redirect(survey)
    context = {"title": _("Edit survey") if survey else _("New survey"), "object": survey}
    return form_page(request, "culture/form.html", context, form)


@require_perm(MANAGE)
def survey_detail(request, pk: int):
    """The questionnaire and its schedule, with forms to add a question and a round."""
    survey = get_object_or_404(
        Survey.objects.prefetch_related("questions", "rounds", "target_units"), pk=pk
    )
    opens, closes = services.next_round_dates(survey, timezone.localdate())
    question_form = QuestionForm(prefix="q")
    round_form = RoundForm(
        prefix="r", initial={"opens_on": opens, "closes_on": closes, "label": _next_label(opens)}
    )
    form = None
    if request.method == "POST":
        kind = request.POST.get("kind")
        if kind == "question":
            form = question_form = QuestionForm(request.POST, prefix="q")
        else:
            form = round_form = RoundForm(request.POST, prefix="r")
        if form.is_valid():
            try:
                if kind == "question":
                    services.survey_question_save(
                        actor=request.user, survey=survey, **form.cleaned_data
                    )
                else:
                    services.survey_round_add(
                        actor=request.user, survey=survey, **form.cleaned_data
                    )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect(survey)
    context = {
        "survey": survey,
        "question_form": question_form,
        "round_form": round_form,
        "today": timezone.localdate(),
    }
    return form_page(request, "culture/survey_detail.html", context, form)


def _next_label(day) -> str:
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


@require_perm(MANAGE)
@require_POST
def question_delete(request, pk: int):
    question = get_object_or_404(SurveyQuestion.objects.select_related("survey"), pk=pk)
    try:
        services.survey_question_delete(actor=request.user, question=question)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The question was removed."))
    return redirect(question.survey)


@require_perm(VIEW)
def survey_answer(request, pk: int):
    survey_round = get_object_or_404(SurveyRound.objects.select_related("survey"), pk=pk)
    survey = survey_round.survey
    person = current_person(request)
    today = timezone.localdate()
    if person is None or not _addressed(survey, person):
        raise Http404
    answered = SurveyParticipation.objects.filter(round=survey_round, person=person).exists()
    questions = list(survey.questions.all())
    form = SurveyAnswerForm(posted(request), questions=questions)
    if request.method == "POST" and not answered and form.is_valid():
        try:
            services.survey_answer(
                survey_round=survey_round, actor=request.user, answers=form.answers(), today=today
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you: your answers were recorded."))
            return redirect("culture:survey_list")
    context = {
        "round": survey_round,
        "survey": survey,
        "answered": answered,
        "is_open": survey_round.is_open_on(today),
    }
    return form_page(request, "culture/survey_answer.html", context, form)


@require_perm(RESULTS)
def survey_results(request, pk: int):
    survey = get_object_or_404(Survey.objects.prefetch_related("questions"), pk=pk)
    audience = services.survey_audience(survey).count()
    questions, results = selectors.survey_results(survey, audience)
    labels = [r.survey_round.label for r in results]
    trend = charts.bar(labels, {_("Mean score (1–5)"): [r.overall_mean or 0 for r in results]})
    trend["series"][0]["type"] = "line"
    question_trend = charts.bar(
        labels,
        {q.label[:30]: [r.overall.get(q.pk) or 0 for r in results] for q in questions},
    )
    for series in question_trend["series"]:
        series["type"] = "line"
    context = {
        "survey": survey,
        "questions": questions,
        "results": results,
        "trend_chart": trend,
        "question_chart": question_trend,
    }
    return TemplateResponse(request, "culture/survey_results.html", context)


urlpatterns = [
    path("surveys/", survey_list, name="survey_list"),
    path("surveys/new/", survey_create, name="survey_create"),
    path("surveys/<int:pk>/", survey_detail, name="survey_detail"),
    path("surveys/<int:pk>/edit/", survey_edit, name="survey_edit"),
    path("surveys/<int:pk>/results/", survey_results, name="survey_results"),
    path("surveys/questions/<int:pk>/delete/", question_delete, name="question_delete"),
    path("surveys/rounds/<int:pk>/answer/", survey_answer, name="survey_answer"),
]
