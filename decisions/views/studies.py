"""The study list, starting a study, its overview, submission and versions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from decisions import compare, selectors
from decisions.forms import ReturnForm, ReviseForm
from decisions.models import Action, Review, Study
from decisions.services import studies as services
from decisions.views.benefits import benefit_context
from decisions.views.common import check, get_study, study_page
from pmo.core import roles
from pmo.core.models import Project
from pmo.core.permissions import get_project_for_user, require_perm

PAGE_SIZE = 25
STATUS_FILTERS = ("open", *Study.Status.values)


@require_GET
@require_perm("decisions.view_study_list")
def study_list(request):
    """The current version of every project's study, for the PMO and executives."""
    status = request.GET.get("status", "open")
    studies = Study.objects.current().with_project().with_proposal().with_review_counts()
    if status == "open":
        studies = studies.exclude(status__in=[Study.Status.DECIDED, Study.Status.SUPERSEDED])
    elif status in Study.Status.values:
        studies = studies.filter(status=status)
    query = request.GET.get("q", "").strip()
    if query:
        studies = studies.filter(
            Q(project__code__icontains=query)
            | Q(project__name__icontains=query)
            | Q(project__name_en__icontains=query)
        )
    studies = studies.select_related("decision").order_by("-updated_at", "pk")
    context = {
        "page": Paginator(studies, PAGE_SIZE).get_page(request.GET.get("page")),
        "status": status,
        "statuses": [("open", _("Open"))] + list(Study.Status.choices),
        "query": query,
    }
    template = "decisions/study_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return TemplateResponse(request, template, context)


@require_GET
@login_required
def my_reviews(request):
    """The reviews assigned to the user: open ones first."""
    reviews = (
        Review.objects.for_person(roles.person_id_of(request.user))
        .with_study()
        .order_by("status", "due_date", "-assigned_at")
    )
    page = Paginator(reviews, PAGE_SIZE).get_page(request.GET.get("page"))
    return TemplateResponse(request, "decisions/my_reviews.html", {"page": page})


@require_POST
@login_required
def study_create(request, project_pk: int):
    project = get_project_for_user(request, project_pk)
    check(request, "decisions.create_study", project)
    try:
        study = services.study_create(project=project, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(f"{project.get_absolute_url()}?tab=business_case")
    messages.success(request, _("The feasibility study was started."))
    return redirect(study)


@require_GET
@login_required
def study_detail(request, pk: int):
    study = get_study(request, pk)
    alternatives = selectors.alternatives_with_flows(study)
    proposal_appraisal = next(
        (a for a in selectors.appraisals(study, alternatives) if a.alternative.is_proposal), None
    )
    reviews = list(
        study.reviews.select_related("reviewer", "reviewer__org_unit").prefetch_related(
            "scores", "verdicts"
        )
    )
    context = {
        "progress": selectors.section_progress(study),
        "proposal": proposal_appraisal,
        "problems": services.submission_problems(study) if study.is_editable else [],
        "review_summary": selectors.review_summary(study, reviews),
        "decision": getattr(study, "decision", None),
        "can_submit": request.user.has_perm("decisions.submit_study", study),
        "can_return": request.user.has_perm("decisions.return_study", study),
        "can_revise": request.user.has_perm("decisions.revise_study", study),
        "return_form": ReturnForm(),
        "revise_form": ReviseForm(),
        "risk_exposure": selectors.risk_exposure(
            r for a in alternatives if a.is_proposal for r in a.risks.all()
        ),
    }
    return study_page(request, study, "decisions/study_detail.html", context, active="overview")


@require_POST
@login_required
def study_submit(request, pk: int):
    study = get_study(request, pk, "decisions.submit_study")
    try:
        services.study_submit(study=study, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The study was submitted to the PMO for review."))
    return redirect(study)


@require_POST
@login_required
def study_return(request, pk: int):
    study = get_study(request, pk, "decisions.return_study")
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what the team should change."))
        return redirect(study)
    try:
        services.study_return(study=study, actor=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The study was returned to its team as a draft."))
    return redirect(study)


@require_POST
@login_required
def study_revise(request, pk: int):
    study = get_study(request, pk, "decisions.revise_study")
    form = ReviseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what the new version changes."))
        return redirect(study)
    try:
        new = services.study_revise(study=study, actor=request.user, note=form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(study)
    messages.success(
        request, _("Version %(version)s was started as a draft.") % {"version": new.version}
    )
    return redirect(new)


@require_GET
@login_required
def study_versions(request, pk: int):
    """All versions of the project's study, and the differences between two of them."""
    study = get_study(request, pk)
    versions = list(
        Study.objects.visible_to(request.user)
        .filter(project=study.project)
        .select_related("created_by")
        .order_by("-version")
    )
    by_pk = {v.pk: v for v in versions}
    older, newer = None, None
    try:
        older = by_pk.get(int(request.GET.get("a", 0)))
        newer = by_pk.get(int(request.GET.get("b", 0)))
    except ValueError:
        pass
    if older is None and newer is None and len(versions) > 1:
        newer, older = versions[0], versions[1]
    changes = None
    if older is not None and newer is not None:
        changes = compare.diff(selectors.study_snapshot(older), selectors.study_snapshot(newer))
    context = {"all_versions": versions, "older": older, "newer": newer, "changes": changes}
    return study_page(request, study, "decisions/study_versions.html", context, active="versions")


def project_tab(request, project: Project):
    """The "Business case" tab of the project page."""
    study = project.studies.order_by("-version").first()
    visible = study is not None and request.user.has_perm("decisions.view_study", study)
    context = {
        "project": project,
        "study": study if visible else None,
        "proposal": (study.alternatives.filter(kind="proposal").first() if visible else None),
        "decision": getattr(study, "decision", None) if visible else None,
        "conditions": (
            Action.objects.filter(decision__study__project=project)
            .select_related("owner")
            .order_by("status", "due_date", "pk")
            if visible
            else []
        ),
        "can_create": study is None
        and request.user.has_perm("decisions.create_study", project)
        and project.stage in services.STUDY_STAGES,
        **benefit_context(request, project),
    }
    # The project page reads the tab's content directly, so it is rendered here.
    return render(request, "decisions/project_tab.html", context)
