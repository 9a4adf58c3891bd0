"""The section pages of a study: text, owner, review state and the section's rows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from decisions import charts, selectors
from decisions.forms import (
    ContingencyForm,
    CostLineForm,
    MilestoneForm,
    ReadinessAnswersForm,
    ResourceLineForm,
    RiskForm,
    ScopeItemForm,
    SectionOwnerForm,
    SectionReviewForm,
    SectionTextForm,
    SocialScoresForm,
    StrategyLinkForm,
)
from decisions.models import (
    CostLine,
    Milestone,
    ReadinessQuestion,
    ResourceLine,
    Risk,
    ScopeItem,
    SectionKind,
    SocialCriterion,
    Study,
)
from decisions.services import studies as services
from decisions.views.common import check, get_section, get_study, study_page
from pmo.core import locking
from pmo.core.forms import add_service_errors

# --- the section page -------------------------------------------------------------------------


def section_url(study: Study, kind: str) -> str:
    return reverse("decisions:study_section", args=[study.pk, kind])


def render_section(request, study: Study, kind: str, forms: dict | None = None, status=200):
    """The page of one section; ``forms`` replaces default forms (bound, with errors)."""
    section = get_section(request, study, kind)
    forms = forms or {}
    user = request.user
    can_edit = user.has_perm("decisions.change_section", section) and study.is_editable
    context: dict[str, Any] = {
        "section": section,
        "can_edit_section": can_edit,
        "can_assign": user.has_perm("decisions.change_study", study) and study.is_editable,
        "can_review_section": user.has_perm("decisions.review_section", section)
        and study.is_editable,
        "text_form": forms.get("text") or _text_form(section),
        "owner_form": forms.get("owner") or SectionOwnerForm(initial={"owner": section.owner_id}),
        "review_form": forms.get("review") or SectionReviewForm(),
        "part_template": f"decisions/sections/{kind}.html",
    }
    builder = PART_BUILDERS.get(kind)
    if builder is not None:
        context.update(builder(request, study, forms, can_edit))
    return study_page(
        request, study, "decisions/study_section.html", context, active=kind, status=status
    )


def _text_form(section, data=None) -> SectionTextForm:
    """The section's text form, carrying the version of the text it was opened on."""
    form = SectionTextForm(data, initial={"content": section.content})
    locking.attach_token(form, section, ["content"])
    return form


@login_required
def study_section(request, pk: int, kind: str):
    """GET: the section page. POST: save the section's text (owner, PM or PMO)."""
    study = get_study(request, pk)
    if request.method != "POST":
        return render_section(request, study, kind)
    section = get_section(request, study, kind)
    check(request, "decisions.change_section", section)
    form = _text_form(section, request.POST)
    if form.is_valid():
        try:
            with locking.guard(form):
                services.section_update(
                    section=section, actor=request.user, content=form.cleaned_data["content"]
                )
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        return render_section(request, study, kind, {"text": form}, status=422)
    messages.success(request, _("The section was saved."))
    return redirect(section_url(study, kind))


@require_POST
@login_required
def section_owner(request, pk: int, kind: str):
    study = get_study(request, pk, "decisions.change_study")
    section = get_section(request, study, kind)
    form = SectionOwnerForm(request.POST)
    if form.is_valid():
        try:
            services.section_assign(
                section=section, actor=request.user, owner=form.cleaned_data["owner"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        return render_section(request, study, kind, {"owner": form}, status=422)
    messages.success(request, _("The section owner was set."))
    return redirect(section_url(study, kind))


@require_POST
@login_required
def section_ready(request, pk: int, kind: str):
    study = get_study(request, pk)
    section = get_section(request, study, kind)
    check(request, "decisions.change_section", section)
    try:
        services.section_mark_ready(section=section, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The section is marked ready for review."))
    return redirect(section_url(study, kind))


@require_POST
@login_required
def section_review(request, pk: int, kind: str):
    study = get_study(request, pk)
    section = get_section(request, study, kind)
    check(request, "decisions.review_section", section)
    form = SectionReviewForm(request.POST)
    if form.is_valid():
        try:
            services.section_review(
                section=section,
                actor=request.user,
                accept=form.cleaned_data["accept"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        return render_section(request, study, kind, {"review": form}, status=422)
    messages.success(request, _("The section review was recorded."))
    return redirect(section_url(study, kind))


# --- rows of the sections ---------------------------------------------------------------------


@dataclass(frozen=True)
class LineKind:
    """A kind of row a section lists: its model, form, section and services."""

    model: Any
    form: Any
    section: str
    save: Any
    key: str

    def rows(self, study: Study):
        if self.model is Risk:
            return Risk.objects.filter(alternative__study=study)
        return self.model.objects.filter(study=study)

    def make_form(self, study: Study, *args, **kwargs):
        if self.model is Risk:
            kwargs["study"] = study
        return self.form(*args, **kwargs)

    def section_of(self, row_or_alternative) -> str:
        """Risks of the proposal belong to "risks", those of other options to "alternatives"."""
        if self.model is not Risk:
            return self.section
        alternative = getattr(row_or_alternative, "alternative", row_or_alternative)
        return SectionKind.RISKS if alternative.is_proposal else SectionKind.ALTERNATIVES


LINES = {
    "scope": LineKind(
        ScopeItem, ScopeItemForm, SectionKind.SCOPE, services.scope_item_save, "item"
    ),
    "cost": LineKind(CostLine, CostLineForm, SectionKind.COSTS, services.cost_line_save, "line"),
    "milestone": LineKind(
        Milestone, MilestoneForm, SectionKind.SCHEDULE, services.milestone_save, "milestone"
    ),
    "resource": LineKind(
        ResourceLine, ResourceLineForm, SectionKind.RESOURCES, services.resource_line_save, "line"
    ),
    "risk": LineKind(Risk, RiskForm, SectionKind.RISKS, services.risk_save, "risk"),
}
DELETES = {
    "scope": services.scope_item_delete,
    "cost": services.cost_line_delete,
    "milestone": services.milestone_delete,
    "resource": services.resource_line_delete,
    "risk": services.risk_delete,
}


def _line_kind(line: str) -> LineKind:
    if line not in LINES:
        raise Http404
    return LINES[line]


def _check_line(request, study, kind: LineKind, target) -> str:
    section_kind = kind.section_of(target) if target is not None else kind.section
    section = get_section(request, study, section_kind)
    check(request, "decisions.change_section", section)
    return section_kind


@require_POST
@login_required
def line_save(request, pk: int, line: str, line_pk: int | None = None):
    """Add a row to a section (or change one, when ``line_pk`` is given)."""
    study = get_study(request, pk)
    kind = _line_kind(line)
    row = get_object_or_404(kind.rows(study), pk=line_pk) if line_pk else None
    _check_line(request, study, kind, row)
    form = kind.make_form(study, request.POST, instance=row)
    section_kind = kind.section
    if form.is_valid():
        data = dict(form.cleaned_data)
        target = data.get("alternative") if kind.model is Risk else None
        if target is not None:
            section_kind = _check_line(request, study, kind, target)
            data.pop("alternative")
        try:
            if kind.model is Risk:
                kind.save(alternative=target, actor=request.user, risk=row, **data)
            else:
                kind.save(study=study, actor=request.user, **{kind.key: row}, **data)
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        forms = {f"line_{line}": form, "edit_pk": line_pk}
        return render_section(request, study, section_kind, forms, status=422)
    messages.success(request, _("Saved."))
    return redirect(section_url(study, section_kind) + f"#{line}-list")


@require_POST
@login_required
def line_delete(request, pk: int, line: str, line_pk: int):
    study = get_study(request, pk)
    kind = _line_kind(line)
    row = get_object_or_404(kind.rows(study), pk=line_pk)
    section_kind = _check_line(request, study, kind, row)
    try:
        DELETES[line](**{kind.key: row}, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Deleted."))
    return redirect(section_url(study, section_kind) + f"#{line}-list")


def _line_form(request, study, line: str, forms: dict, **initial):
    """The bound form after an error, the form of the row being edited, or an empty one."""
    if f"line_{line}" in forms:
        return forms[f"line_{line}"], forms.get("edit_pk")
    kind = LINES[line]
    edit = request.GET.get("edit", "")
    if edit.isdigit() and request.GET.get("line") == line:
        row = kind.rows(study).filter(pk=int(edit)).first()
        if row is not None:
            return kind.make_form(study, instance=row), row.pk
    return kind.make_form(study, initial=initial), None


# --- what each section shows ----------------------------------------------------------------


def _basic(request, study, forms, can_edit):
    return {}


def _strategy(request, study, forms, can_edit):
    from portfolio.models import Objective, ObjectiveLink

    links = ObjectiveLink.objects.filter(project=study.project).select_related(
        "objective", "objective__theme", "objective__owner"
    )
    objectives = Objective.objects.active().with_people().order_by("theme__sort_order", "code")
    return {
        "links": links,
        "link_form": forms.get("link") or StrategyLinkForm(objectives=objectives),
        "key_objectives_served": sum(1 for link in links if link.objective.is_key),
    }


def _social(request, study, forms, can_edit):
    summary = selectors.social_summary(study)
    criteria = [c for c, _score in summary["rows"] if c.is_active]
    initial = {}
    for criterion, score in summary["rows"]:
        if score is not None:
            initial[f"score_{criterion.pk}"] = str(score.score)
            initial[f"evidence_{criterion.pk}"] = score.evidence
    return {
        "social": summary,
        "social_form": forms.get("social") or SocialScoresForm(criteria=criteria, initial=initial),
    }


def _scope(request, study, forms, can_edit):
    grouped = defaultdict(list)
    for item in study.scope_items.all():
        grouped[item.get_kind_display()].append(item)
    form, edit_pk = _line_form(request, study, "scope", forms)
    return {"scope_groups": dict(grouped), "line_form": form, "edit_pk": edit_pk, "line": "scope"}


def _costs(request, study, forms, can_edit):
    lines = list(study.cost_lines.all())
    table = selectors.cost_table(study, lines)
    proposal = study.alternatives.filter(kind="proposal").prefetch_related("cash_flows").first()
    appraisal = None
    if proposal is not None:
        appraisal = next(iter(selectors.appraisals(study, [proposal]))).appraisal
    form, edit_pk = _line_form(request, study, "cost", forms)
    return {
        "cost_lines": lines,
        "table": table,
        "check_rows": selectors.cost_vs_cash_flows(table, appraisal),
        "line_form": form,
        "edit_pk": edit_pk,
        "line": "cost",
        "figures_form": forms.get("figures")
        or ContingencyForm(
            initial={
                "contingency_percent": study.contingency_percent,
                "base_year": study.base_year,
            }
        ),
        "project_budget": study.project.budget,
    }


def _schedule(request, study, forms, can_edit):
    milestones = list(study.milestones.all())
    form, edit_pk = _line_form(request, study, "milestone", forms)
    chart = charts.roadmap_chart(
        [(m.due.isoformat(), m.name, m.is_roadmap_point) for m in milestones],
        {"milestone": _("Milestone"), "roadmap": _("Roadmap point (路标)")},
    )
    late = [
        m
        for m in milestones
        if study.project.planned_finish and m.due > study.project.planned_finish
    ]
    return {
        "milestones": milestones,
        "roadmap_chart": chart if milestones else None,
        "late_milestones": late,
        "line_form": form,
        "edit_pk": edit_pk,
        "line": "milestone",
    }


def _resources(request, study, forms, can_edit):
    lines = list(study.resource_lines.select_related("role"))
    rows = services.demand_rows(study)
    months = sorted({month for _role, month, _hours in rows})
    roles = sorted({role for role, _month, _hours in rows}, key=lambda r: r.code)
    grid = {(role.pk, month): hours for role, month, hours in rows}
    form, edit_pk = _line_form(request, study, "resource", forms)
    by_sourcing = defaultdict(float)
    for line in lines:
        by_sourcing[line.get_sourcing_display()] += float(line.hours_per_month) * len(line.months())
    return {
        "resource_lines": lines,
        "months": months,
        "grid_rows": [
            {"role": role, "cells": [grid.get((role.pk, m)) for m in months]} for role in roles
        ],
        "total_hours": sum(float(h) for _r, _m, h in rows),
        "by_sourcing": sorted(by_sourcing.items()),
        "line_form": form,
        "edit_pk": edit_pk,
        "line": "resource",
    }


def _risks(request, study, forms, can_edit):
    proposal = study.alternatives.filter(kind="proposal").first()
    risks = list(
        Risk.objects.filter(alternative=proposal).select_related("owner").order_by("-id")
        if proposal
        else []
    )
    risks.sort(key=lambda r: -r.score)
    form, edit_pk = _line_form(request, study, "risk", forms, alternative=proposal)
    return {
        "risks": risks,
        "heat_map": selectors.heat_map(risks),
        "exposure": selectors.risk_exposure(risks),
        "line_form": form,
        "edit_pk": edit_pk,
        "line": "risk",
    }


def _economics(request, study, forms, can_edit):
    from decisions.views.appraisal import economics_context

    return economics_context(request, study, forms, can_edit)


def _alternatives(request, study, forms, can_edit):
    from decisions.views.appraisal import alternatives_context

    return alternatives_context(request, study, forms, can_edit)


PART_BUILDERS = {
    SectionKind.BASIC: _basic,
    SectionKind.STRATEGY: _strategy,
    SectionKind.MARKET: _basic,
    SectionKind.ECONOMICS: _economics,
    SectionKind.SOCIAL: _social,
    SectionKind.SCOPE: _scope,
    SectionKind.COSTS: _costs,
    SectionKind.SCHEDULE: _schedule,
    SectionKind.RESOURCES: _resources,
    SectionKind.RISKS: _risks,
    SectionKind.ALTERNATIVES: _alternatives,
}


# --- forms of particular sections --------------------------------------------------------------


@require_POST
@login_required
def study_figures(request, pk: int):
    """Contingency and base year (cost estimate section)."""
    study = get_study(request, pk)
    check(request, "decisions.change_section", get_section(request, study, SectionKind.COSTS))
    form = ContingencyForm(request.POST)
    if form.is_valid():
        try:
            services.study_update(study=study, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        return render_section(request, study, SectionKind.COSTS, {"figures": form}, status=422)
    messages.success(request, _("Saved."))
    return redirect(section_url(study, SectionKind.COSTS))


@require_POST
@login_required
def social_scores(request, pk: int):
    study = get_study(request, pk)
    check(request, "decisions.change_section", get_section(request, study, SectionKind.SOCIAL))
    criteria = list(SocialCriterion.objects.filter(is_active=True))
    form = SocialScoresForm(request.POST, criteria=criteria)
    if form.is_valid():
        try:
            for criterion in criteria:
                services.social_score_set(
                    study=study,
                    criterion=criterion,
                    actor=request.user,
                    score=form.cleaned_data[f"score_{criterion.pk}"],
                    evidence=form.cleaned_data[f"evidence_{criterion.pk}"],
                )
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        return render_section(request, study, SectionKind.SOCIAL, {"social": form}, status=422)
    messages.success(request, _("The social-benefit scores were saved."))
    return redirect(section_url(study, SectionKind.SOCIAL))


@require_POST
@login_required
def strategy_link(request, pk: int):
    from portfolio.models import Objective

    study = get_study(request, pk)
    check(request, "decisions.change_section", get_section(request, study, SectionKind.STRATEGY))
    form = StrategyLinkForm(request.POST, objectives=Objective.objects.active())
    if form.is_valid():
        try:
            services.strategy_link_save(study=study, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        return render_section(request, study, SectionKind.STRATEGY, {"link": form}, status=422)
    messages.success(request, _("The project is linked to the objective."))
    return redirect(section_url(study, SectionKind.STRATEGY))


@require_POST
@login_required
def strategy_unlink(request, pk: int, link_pk: int):
    from portfolio.models import ObjectiveLink

    study = get_study(request, pk)
    check(request, "decisions.change_section", get_section(request, study, SectionKind.STRATEGY))
    link = get_object_or_404(ObjectiveLink, pk=link_pk, project=study.project)
    try:
        services.strategy_link_delete(study=study, link=link, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The link was removed."))
    return redirect(section_url(study, SectionKind.STRATEGY))


# --- readiness checklist ----------------------------------------------------------------------


@login_required
def readiness(request, pk: int):
    """The readiness questions: the team's answers and each reviewer's verdict."""
    study = get_study(request, pk)
    form = None
    status = 200
    if request.method == "POST":
        check(request, "decisions.change_study", study)
        form = ReadinessAnswersForm(request.POST)
        if form.is_valid():
            try:
                for question in ReadinessQuestion.values:
                    services.readiness_answer_set(
                        study=study,
                        question=question,
                        answer=form.cleaned_data[question],
                        actor=request.user,
                    )
            except ValidationError as error:
                add_service_errors(form, error)
        if not form.errors:
            messages.success(request, _("The answers were saved."))
            return redirect("decisions:readiness", pk=study.pk)
        status = 422
    answers = {a.question: a for a in study.readiness.all()}
    form = form or ReadinessAnswersForm(initial={q: a.answer for q, a in answers.items()})
    summary = selectors.review_summary(study)
    rows = [
        {
            "question": row["question"],
            "answer": answers.get(row["question"].value),
            "field": form[row["question"].value],
            "verdicts": row["verdicts"],
            "disagree": row["disagree"],
        }
        for row in summary["verdict_rows"]
    ]
    context = {
        "rows": rows,
        "form": form,
        "reviewers": summary["submitted"],
        "can_answer": request.user.has_perm("decisions.change_study", study) and study.is_editable,
        "show_verdicts": request.user.has_perm("decisions.view_reviews", study),
    }
    return study_page(
        request, study, "decisions/study_readiness.html", context, active="readiness", status=status
    )
