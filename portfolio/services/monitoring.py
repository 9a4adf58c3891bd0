"""Writes of the monitoring of strategic projects: monitoring plans and their KPIs,
attention flags raised and cleared by rules, and PMO adjustment recommendations tracked
from proposal to decision and implementation.

Every function is keyword-only, validates, runs in a transaction and is audited by
django-simple-history (the acting user is recorded). Callers pass ``actor=None`` only
for system work (the beat task, the demo data).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pmo.core import roles
from pmo.core.models import Notification, Project, UserPreference
from pmo.core.services import notification_send
from portfolio.models import (
    AttentionFlag,
    MonitoringKpi,
    MonitoringPlan,
    ObjectiveLink,
    Recommendation,
)
from portfolio.selectors.monitoring import (
    DEFAULT_STALE_AFTER_DAYS,
    DELIVERY_STAGES,
    OBJECTIVE_AT_RISK,
    REVIEW_CYCLE_DAYS,
    strategic_projects,
    with_monitoring,
)

Rule = AttentionFlag.Rule
PLAN_FIELDS = (
    "owner",
    "frequency",
    "checks",
    "spi_threshold",
    "cpi_threshold",
    "stale_after_days",
    "next_review",
    "is_active",
)
KPI_FIELDS = ("name", "unit", "direction", "target", "threshold")
THRESHOLD_MAX = Decimal("2")
# Who proposed and decided is recorded by the services (empty for system work or after
# a login was deleted), never typed in.
PEOPLE_SET_BY_SERVICE = ["proposed_by", "decided_by"]
STALE_DAYS_MAX = 365
DETAIL_MAX = 500


def _require(actor, perm: str) -> None:
    """Refuse an actor without ``perm``; ``None`` is the system (tasks, demo data)."""
    if actor is not None and not actor.has_perm(perm):
        raise PermissionDenied(_("You may not do this."))


def _audit(obj, actor) -> None:
    if actor is not None and getattr(actor, "is_authenticated", False):
        obj._history_user = actor


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def review_cycle_days(plan: MonitoringPlan | None) -> int:
    """Days between two reviews of a plan (30 without a plan)."""
    return REVIEW_CYCLE_DAYS.get(plan.frequency, 30) if plan else 30


def monitoring_url(project: Project) -> str:
    return f"{reverse('core:project_detail', args=[project.pk])}?tab=monitoring"


# --- notifications in each recipient's language ------------------------------------------


def _notify(
    recipients: Iterable,
    *,
    title: Callable[[], str],
    body: Callable[[], str] = str,
    url: str = "",
    level: str = Notification.Level.INFO,
    email: bool = False,
) -> None:
    """Notify users, each in their own interface language (``title``/``body`` are
    called with that language active)."""
    users = {u.pk: u for u in recipients if u is not None and u.is_active}
    if not users:
        return
    chosen = dict(
        UserPreference.objects.filter(user_id__in=users).values_list("user_id", "language")
    )
    by_language: dict[str, list] = defaultdict(list)
    for pk, user in users.items():
        by_language[chosen.get(pk) or settings.LANGUAGE_CODE].append(user)
    for language, group in sorted(by_language.items()):
        with translation.override(language):
            notification_send(
                recipients=group, title=title(), body=body(), url=url, level=level, email=email
            )


def _manager_user(project: Project):
    return project.manager.user if project.manager_id and project.manager.user_id else None


def _deciders(project: Project) -> list:
    """Who is asked to decide a recommendation: the project's sponsor when they are an
    executive with a login, else every executive."""
    sponsor = project.sponsor if project.sponsor_id else None
    if sponsor is not None and sponsor.user_id and roles.is_executive(sponsor.user):
        return [sponsor.user]
    return list(
        get_user_model().objects.filter(is_active=True, groups__name=roles.EXECUTIVE).distinct()
    )


# --- monitoring plans and KPIs ------------------------------------------------------------


def _check_plan(plan: MonitoringPlan) -> None:
    errors = {}
    for name in ("spi_threshold", "cpi_threshold"):
        value = getattr(plan, name)
        if value is not None and not Decimal(0) < Decimal(value) <= THRESHOLD_MAX:
            errors[name] = _("A threshold must be above 0 and at most 2.")
    if not 1 <= (plan.stale_after_days or 0) <= STALE_DAYS_MAX:
        errors["stale_after_days"] = _("Give a number of days from 1 to 365.")
    if not (plan.checks or "").strip():
        errors["checks"] = _("Say what the PMO checks at each review.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def monitoring_plan_save(
    *, project: Project, actor, plan: MonitoringPlan | None = None, **fields
) -> MonitoringPlan:
    """Create or change the monitoring plan of a project, then re-run its flag rules.

    Without ``next_review`` an active plan is next reviewed one review cycle from today.
    """
    _require(actor, "portfolio.change_monitoring")
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"unknown monitoring plan fields: {sorted(unknown)}")
    plan = plan or MonitoringPlan.objects.filter(project=project).first()
    if plan is None:
        if not project.is_open:
            raise ValidationError(_("A closed, rejected or cancelled project is not monitored."))
        plan = MonitoringPlan(project=project)
    elif plan.project_id != project.pk:
        raise ValidationError(_("This plan belongs to another project."))
    for key, value in fields.items():
        setattr(plan, key, value.strip() if isinstance(value, str) else value)
    if plan.is_active and plan.next_review is None:
        plan.next_review = timezone.localdate() + dt.timedelta(days=review_cycle_days(plan))
    _check_plan(plan)
    plan.full_clean()
    _audit(plan, actor)
    plan.save()
    attention_flags_refresh(projects=[project])
    return plan


def _check_kpi(kpi: MonitoringKpi) -> None:
    if kpi.target is None or kpi.threshold is None:
        return
    target, threshold = Decimal(kpi.target), Decimal(kpi.threshold)
    if kpi.direction == MonitoringKpi.Direction.HIGHER and threshold > target:
        raise ValidationError(
            {"threshold": _("When higher is better, the threshold cannot be above the target.")}
        )
    if kpi.direction == MonitoringKpi.Direction.LOWER and threshold < target:
        raise ValidationError(
            {"threshold": _("When lower is better, the threshold cannot be below the target.")}
        )
    duplicate = MonitoringKpi.objects.filter(plan=kpi.plan, name__iexact=kpi.name.strip())
    if kpi.pk:
        duplicate = duplicate.exclude(pk=kpi.pk)
    if duplicate.exists():
        raise ValidationError({"name": _("This plan watches a KPI of that name already.")})


@transaction.atomic
def monitoring_kpi_save(
    *, plan: MonitoringPlan, actor, kpi: MonitoringKpi | None = None, **fields
) -> MonitoringKpi:
    """Add a KPI to a plan or change one (the threshold must lie on the bad side of the
    target), then re-run the project's flag rules."""
    _require(actor, "portfolio.change_monitoring")
    unknown = set(fields) - set(KPI_FIELDS)
    if unknown:
        raise TypeError(f"unknown KPI fields: {sorted(unknown)}")
    kpi = kpi or MonitoringKpi(plan=plan)
    if kpi.plan_id != plan.pk:
        raise ValidationError(_("This KPI belongs to another plan."))
    for key, value in fields.items():
        setattr(kpi, key, value.strip() if isinstance(value, str) else value)
    kpi.full_clean()
    _check_kpi(kpi)
    _audit(kpi, actor)
    kpi.save()
    attention_flags_refresh(projects=[plan.project])
    return kpi


@transaction.atomic
def monitoring_kpi_delete(*, kpi: MonitoringKpi, actor) -> None:
    _require(actor, "portfolio.change_monitoring")
    project = kpi.plan.project
    _audit(kpi, actor)
    kpi.delete()
    attention_flags_refresh(projects=[project])


@transaction.atomic
def monitoring_kpi_record(
    *, kpi: MonitoringKpi, actor, actual: Decimal, measured_on: dt.date | None = None
) -> MonitoringKpi:
    """Record a new actual of a KPI (each one is kept in the KPI's history), then re-run
    the project's flag rules."""
    _require(actor, "portfolio.change_monitoring")
    kpi = (
        MonitoringKpi.objects.select_for_update(of=("self",))
        .select_related("plan__project")
        .get(pk=kpi.pk)
    )
    today = timezone.localdate()
    measured_on = measured_on or today
    if actual is None:
        raise ValidationError({"actual": _("Enter the measured value.")})
    if measured_on > today:
        raise ValidationError({"measured_on": _("A measurement cannot be dated in the future.")})
    if kpi.measured_on and measured_on < kpi.measured_on:
        raise ValidationError(
            {
                "measured_on": _("The latest actual is from %(date)s; record newer values only.")
                % {"date": kpi.measured_on.isoformat()}
            }
        )
    kpi.actual, kpi.measured_on = Decimal(str(actual)), measured_on
    kpi.full_clean()
    _audit(kpi, actor)
    kpi.save()
    attention_flags_refresh(projects=[kpi.plan.project])
    return kpi


# --- attention-flag rules -----------------------------------------------------------------


@dataclass(frozen=True)
class ProjectFacts:
    """What the rules look at for one project (plain values, no database)."""

    stage: str
    health: str
    spi: Decimal | None
    cpi: Decimal | None
    spi_threshold: Decimal
    cpi_threshold: Decimal
    last_status_date: dt.date | None
    stale_after_days: int
    budget: Decimal
    forecast_cost: Decimal | None
    summary_note: str = ""
    objectives_at_risk: tuple[str, ...] = ()
    kpis_breached: tuple[str, ...] = ()


def _clip(text: str) -> str:
    return text if len(text) <= DETAIL_MAX else text[: DETAIL_MAX - 1] + "…"


def flag_conditions(facts: ProjectFacts, today: dt.date) -> dict[str, str]:
    """The rules that hold for a project in delivery, each with the facts behind it.

    The details are written in figures and names (no sentences), so that they read the
    same in every interface language; the rule's label says what they mean.
    """
    if facts.stage not in DELIVERY_STAGES:
        return {}
    found: dict[str, str] = {}
    if facts.health == "red":
        found[Rule.RED_HEALTH] = _clip(facts.summary_note.strip() or "RAG")
    if facts.spi is not None and facts.spi < facts.spi_threshold:
        found[Rule.LOW_SPI] = f"SPI {facts.spi:.2f} < {facts.spi_threshold:.2f}"
    if facts.cpi is not None and facts.cpi < facts.cpi_threshold:
        found[Rule.LOW_CPI] = f"CPI {facts.cpi:.2f} < {facts.cpi_threshold:.2f}"
    if facts.stage == "active":
        limit = facts.stale_after_days
        if facts.last_status_date is None:
            found[Rule.STALE_STATUS] = f"— > {limit} d"
        elif (today - facts.last_status_date).days > limit:
            age = (today - facts.last_status_date).days
            found[Rule.STALE_STATUS] = f"{facts.last_status_date:%Y-%m-%d} · {age} d > {limit} d"
    if facts.forecast_cost is not None and facts.budget and facts.forecast_cost > facts.budget:
        over = (facts.forecast_cost - facts.budget) / facts.budget * 100
        found[Rule.OVER_BUDGET] = (
            f"EAC {facts.forecast_cost:,.0f} > BAC {facts.budget:,.0f} CNY (+{over:.1f}%)"
        )
    if facts.objectives_at_risk:
        found[Rule.OBJECTIVE_AT_RISK] = _clip("; ".join(facts.objectives_at_risk))
    if facts.kpis_breached:
        found[Rule.KPI_BREACHED] = _clip("; ".join(facts.kpis_breached))
    return found


def _plain(value) -> str:
    """A decimal without trailing zeros (98.50 → 98.5, 99.00 → 99)."""
    return f"{Decimal(value).normalize():f}"


def kpi_breach_text(kpi: MonitoringKpi) -> str:
    operator = "<" if kpi.direction == MonitoringKpi.Direction.HIGHER else ">"
    unit = f" {kpi.unit}" if kpi.unit else ""
    return f"{kpi.name} {_plain(kpi.actual)} {operator} {_plain(kpi.threshold)}{unit}"


@dataclass
class FlagRefresh:
    """What one run of the rules changed."""

    raised: list[AttentionFlag] = field(default_factory=list)
    cleared: list[AttentionFlag] = field(default_factory=list)
    updated: int = 0
    checked: int = 0


def _scope(projects) -> list[int]:
    if projects is not None:
        return sorted({p.pk for p in projects})
    strategic = set(strategic_projects().values_list("pk", flat=True))
    flagged = set(
        AttentionFlag.objects.filter(resolved_at__isnull=True).values_list("project_id", flat=True)
    )
    return sorted(strategic | flagged)


def _facts(ids: list[int], today: dt.date) -> dict[int, ProjectFacts]:
    """The facts of the strategic projects in delivery among ``ids``."""
    watched = strategic_projects(Project.objects.filter(pk__in=ids)).filter(
        stage__in=DELIVERY_STAGES
    )
    rows = with_monitoring(watched, today).values(
        "pk",
        "stage",
        "health",
        "spi",
        "cpi",
        "spi_threshold",
        "cpi_threshold",
        "last_status_date",
        "stale_after",
        "budget",
        "forecast_cost",
        "summary_note",
    )
    at_risk: dict[int, list[str]] = defaultdict(list)
    for link in (
        ObjectiveLink.objects.filter(
            project_id__in=ids,
            objective__is_active=True,
            objective__status__in=OBJECTIVE_AT_RISK,
        )
        .select_related("objective")
        .order_by("objective__code")
    ):
        objective = link.objective
        at_risk[link.project_id].append(f"{objective.code} {objective.name}")
    breached: dict[int, list[str]] = defaultdict(list)
    kpis = (
        MonitoringKpi.objects.filter(
            plan__project_id__in=ids, plan__is_active=True, actual__isnull=False
        )
        .annotate(project_ref=F("plan__project_id"))
        .order_by("plan_id", "pk")
    )
    for kpi in kpis:
        if kpi.breached:
            breached[kpi.project_ref].append(kpi_breach_text(kpi))
    return {
        row["pk"]: ProjectFacts(
            stage=row["stage"],
            health=row["health"],
            spi=row["spi"],
            cpi=row["cpi"],
            spi_threshold=Decimal(row["spi_threshold"]),
            cpi_threshold=Decimal(row["cpi_threshold"]),
            last_status_date=row["last_status_date"],
            stale_after_days=int(row["stale_after"] or DEFAULT_STALE_AFTER_DAYS),
            budget=row["budget"],
            forecast_cost=row["forecast_cost"],
            summary_note=row["summary_note"] or "",
            objectives_at_risk=tuple(at_risk.get(row["pk"], ())),
            kpis_breached=tuple(breached.get(row["pk"], ())),
        )
        for row in rows
    }


def _suppressed(ids: list[int], now) -> set[tuple[int, str]]:
    """(project, rule) pairs a PMO closed by hand within the plan's review cycle: the
    rule does not raise them again before the next review is due."""
    closed = (
        AttentionFlag.objects.filter(project_id__in=ids, resolved_at__isnull=False)
        .exclude(resolution="")
        .values("project_id", "rule", "project__monitoring_plan__frequency")
        .annotate(last=Max("resolved_at"))
    )
    found = set()
    for row in closed:
        days = REVIEW_CYCLE_DAYS.get(row["project__monitoring_plan__frequency"], 30)
        if row["last"] + dt.timedelta(days=days) > now:
            found.add((row["project_id"], row["rule"]))
    return found


def _save_flag(flag: AttentionFlag) -> bool:
    """Save a new open flag; False when a concurrent run raised the same one first."""
    flag.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            flag.save()
    except IntegrityError:
        return False
    return True


@transaction.atomic
def attention_flags_refresh(
    *, projects: Iterable[Project] | None = None, today: dt.date | None = None, notify: bool = True
) -> FlagRefresh:
    """Run the attention rules over strategic projects in delivery.

    A rule that holds raises one open flag per project and rule (its detail kept
    current); a flag whose condition no longer holds — or whose project is no longer
    strategic or in delivery — is closed with an empty resolution ("cleared by the
    rules"). A flag the PMO closed by hand is not raised again within the plan's review
    cycle. ``projects`` limits the run (after a write); by default every strategic
    project and every project with an open flag is checked. The owners of the plans
    are notified of new flags.
    """
    today = today or timezone.localdate()
    now = timezone.now()
    ids = _scope(projects)
    result = FlagRefresh(checked=len(ids))
    if not ids:
        return result
    facts = _facts(ids, today)
    expected = {pk: flag_conditions(f, today) for pk, f in facts.items()}
    suppressed = _suppressed(ids, now)
    open_flags: dict[tuple[int, str], AttentionFlag] = {
        (f.project_id, f.rule): f
        for f in AttentionFlag.objects.select_for_update().filter(
            project_id__in=ids, resolved_at__isnull=True
        )
    }
    for (project_id, rule), flag in open_flags.items():
        detail = expected.get(project_id, {}).get(rule)
        if detail is None:
            flag.resolved_at, flag.resolution = now, ""
            flag.save(update_fields=["resolved_at", "resolution"])
            result.cleared.append(flag)
        elif detail != flag.detail:
            flag.detail = detail
            flag.save(update_fields=["detail"])
            result.updated += 1
    for project_id, rules_found in expected.items():
        for rule, detail in rules_found.items():
            if (project_id, rule) in open_flags or (project_id, rule) in suppressed:
                continue
            flag = AttentionFlag(project_id=project_id, rule=rule, detail=detail)
            if _save_flag(flag):
                result.raised.append(flag)
    if notify and result.raised:
        _notify_new_flags(result.raised)
    return result


def _notify_new_flags(flags: list[AttentionFlag]) -> None:
    by_project: dict[int, list[AttentionFlag]] = defaultdict(list)
    for flag in flags:
        by_project[flag.project_id].append(flag)
    plans = MonitoringPlan.objects.filter(
        project_id__in=by_project, is_active=True, owner__user__isnull=False
    ).select_related("project", "owner__user")
    for plan in plans:
        project, raised = plan.project, by_project[plan.project_id]
        _notify(
            [plan.owner.user],
            title=lambda p=project: (
                _("New attention flags on %(code)s %(name)s") % {"code": p.code, "name": p.label}
            ),
            body=lambda r=raised: "\n".join(f"{f.get_rule_display()}: {f.detail}" for f in r),
            url=monitoring_url(project),
            level=Notification.Level.WARNING,
        )


@transaction.atomic
def attention_flag_resolve(*, flag: AttentionFlag, actor, note: str) -> AttentionFlag:
    """The PMO closes an open flag with a note on how it was dealt with."""
    _require(actor, "portfolio.change_monitoring")
    flag = AttentionFlag.objects.select_for_update().get(pk=flag.pk)
    if flag.resolved_at is not None:
        raise ValidationError(_("This flag is closed already."))
    note = (note or "").strip()
    if not note:
        raise ValidationError({"resolution": _("Say how the flag was dealt with.")})
    flag.resolved_at, flag.resolution = timezone.now(), note[:DETAIL_MAX]
    flag.full_clean(validate_constraints=False)
    _audit(flag, actor)
    flag.save()
    return flag


# --- recommendations ----------------------------------------------------------------------


@transaction.atomic
def recommendation_create(
    *,
    project: Project,
    actor,
    kind: str,
    title: str,
    rationale: str,
    due_date: dt.date | None = None,
    flag: AttentionFlag | None = None,
) -> Recommendation:
    """The PMO recommends an adjustment of a project (optionally answering a flag); the
    deciders and the project manager are notified."""
    _require(actor, "portfolio.propose_recommendation")
    if not project.is_open:
        raise ValidationError(_("A closed, rejected or cancelled project cannot be adjusted."))
    if flag is not None and flag.project_id != project.pk:
        raise ValidationError({"flag": _("This flag belongs to another project.")})
    if due_date is not None and due_date < timezone.localdate():
        raise ValidationError({"due_date": _("The decision cannot be due in the past.")})
    recommendation = Recommendation(
        project=project,
        flag=flag,
        kind=kind,
        title=(title or "").strip(),
        rationale=(rationale or "").strip(),
        due_date=due_date,
        proposed_by=_user(actor),
    )
    recommendation.full_clean(exclude=PEOPLE_SET_BY_SERVICE)
    _audit(recommendation, actor)
    recommendation.save()
    url = reverse("portfolio:recommendation_decide", args=[recommendation.pk])
    _notify(
        _deciders(project),
        title=lambda: (
            _("Decision requested: %(title)s (%(code)s)")
            % {"title": recommendation.title, "code": project.code}
        ),
        body=lambda: recommendation.rationale,
        url=url,
        level=Notification.Level.ACTION,
        email=True,
    )
    _notify(
        [_manager_user(project)],
        title=lambda: (
            _("The PMO recommends for %(code)s: %(title)s")
            % {"code": project.code, "title": recommendation.title}
        ),
        body=lambda: recommendation.rationale,
        url=monitoring_url(project),
    )
    return recommendation


@transaction.atomic
def recommendation_decide(
    *, recommendation: Recommendation, actor, accept: bool, note: str
) -> Recommendation:
    """A PMO member or an executive accepts or rejects a proposed recommendation, with a
    note; the project manager and the proposer are notified."""
    _require(actor, "portfolio.decide_recommendation")
    recommendation = (
        Recommendation.objects.select_for_update(of=("self",))
        .select_related("project", "project__manager", "proposed_by")
        .get(pk=recommendation.pk)
    )
    if recommendation.status != Recommendation.Status.PROPOSED:
        raise ValidationError(_("This recommendation has been decided already."))
    note = (note or "").strip()
    if not note:
        raise ValidationError({"decision_note": _("Give the reason for the decision.")})
    recommendation.status = (
        Recommendation.Status.ACCEPTED if accept else Recommendation.Status.REJECTED
    )
    recommendation.decided_by = _user(actor)
    recommendation.decided_at = timezone.now()
    recommendation.decision_note = note
    recommendation.full_clean(exclude=PEOPLE_SET_BY_SERVICE)
    _audit(recommendation, actor)
    recommendation.save()
    project = recommendation.project
    _notify(
        [_manager_user(project), recommendation.proposed_by],
        title=lambda: (
            (
                _("Recommendation accepted: %(title)s (%(code)s)")
                if accept
                else _("Recommendation rejected: %(title)s (%(code)s)")
            )
            % {"title": recommendation.title, "code": project.code}
        ),
        body=lambda: note,
        url=monitoring_url(project),
        level=Notification.Level.ACTION if accept else Notification.Level.INFO,
        email=True,
    )
    return recommendation


@transaction.atomic
def recommendation_done(*, recommendation: Recommendation, actor, note: str = "") -> Recommendation:
    """The PMO records that an accepted recommendation has been implemented."""
    _require(actor, "portfolio.change_monitoring")
    recommendation = (
        Recommendation.objects.select_for_update(of=("self",))
        .select_related("project", "decided_by", "proposed_by")
        .get(pk=recommendation.pk)
    )
    if recommendation.status != Recommendation.Status.ACCEPTED:
        raise ValidationError(_("Only an accepted recommendation can be implemented."))
    now = timezone.now()
    recommendation.status, recommendation.done_at = Recommendation.Status.DONE, now
    note = (note or "").strip()
    if note:
        stamp = timezone.localtime(now).date().isoformat()
        recommendation.decision_note = f"{recommendation.decision_note}\n\n{stamp}: {note}".strip()
    recommendation.full_clean(exclude=PEOPLE_SET_BY_SERVICE)
    _audit(recommendation, actor)
    recommendation.save()
    project = recommendation.project
    _notify(
        [recommendation.decided_by, recommendation.proposed_by, _manager_user(project)],
        title=lambda: (
            _("Recommendation implemented: %(title)s (%(code)s)")
            % {"title": recommendation.title, "code": project.code}
        ),
        body=lambda: note,
        url=monitoring_url(project),
    )
    return recommendation
