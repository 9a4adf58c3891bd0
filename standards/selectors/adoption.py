"""Adoption of the PM information system and the quality of its data, measured from
the core's own records: logins of the last 30 days by role and org unit, and open
projects whose status is stale or missing or whose master data is incomplete."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils import timezone

from pmo.core import roles
from pmo.core.models import OrgUnit, Person, Project, Stage
from pmo.core.selectors import STALE_AFTER_DAYS
from standards import compliance as rules

ACTIVE_DAYS = 30


@dataclass
class UsageRow:
    key: object
    label: str
    people: int = 0  # people (or users) in the group
    accounts: int = 0  # with a login
    active: int = 0  # logged in within ACTIVE_DAYS

    @property
    def account_rate(self) -> float | None:
        return rules.rate(self.accounts, self.people)

    @property
    def active_rate(self) -> float | None:
        return rules.rate(self.active, self.accounts)


def _since(now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()) - dt.timedelta(days=ACTIVE_DAYS)


def usage_by_role(now: dt.datetime | None = None) -> list[UsageRow]:
    """Users of each application role and how many logged in within 30 days."""
    since = _since(now)
    rows = dict.fromkeys(roles.ALL_ROLES)
    found = (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=roles.ALL_ROLES)
        .values_list("groups__name")
        .annotate(
            total=Count("pk", distinct=True),
            active=Count("pk", filter=Q(last_login__gte=since), distinct=True),
        )
    )
    counts = {name: (total, active) for name, total, active in found}
    out = []
    for name in rows:
        total, active = counts.get(name, (0, 0))
        out.append(UsageRow(name, str(roles.ROLE_LABELS[name]), total, total, active))
    return out


def usage_by_unit(unit: OrgUnit | None = None, now: dt.datetime | None = None) -> list[UsageRow]:
    """People of each org unit, how many have a login and how many used it lately."""
    since = _since(now)
    people = Person.objects.filter(is_active=True)
    if unit is not None:
        people = people.filter(org_unit__path__startswith=unit.path)
    found = (
        people.values_list("org_unit_id", "org_unit__name", "org_unit__name_en", "org_unit__path")
        .annotate(
            total=Count("pk"),
            accounts=Count("pk", filter=Q(user__isnull=False, user__is_active=True)),
            active=Count("pk", filter=Q(user__is_active=True, user__last_login__gte=since)),
        )
        .order_by("org_unit__path")
    )
    english = _english()
    return [
        UsageRow(pk, (name_en if english and name_en else name), total, accounts, active)
        for pk, name, name_en, _path, total, accounts, active in found
    ]


def _english() -> bool:
    from django.utils import translation

    return (translation.get_language() or "").startswith("en")


@dataclass
class QualityRow:
    key: object
    label: str
    open: int = 0
    active: int = 0
    stale: int = 0
    no_status: int = 0
    no_manager: int = 0
    no_budget: int = 0
    no_dates: int = 0
    no_type: int = 0
    clean: int = 0

    @property
    def quality_rate(self) -> float | None:
        """Open projects without any problem ÷ open projects."""
        return rules.rate(self.clean, self.open)

    @property
    def current_rate(self) -> float | None:
        """Active projects with a current status ÷ active projects."""
        return rules.rate(self.active - self.stale, self.active)


def data_quality_by_unit(
    projects, today: dt.date | None = None
) -> tuple[list[QualityRow], QualityRow]:
    """Per org unit, the open projects whose data does not reflect their progress:
    status stale (no report within 14 days) or never given, no manager, no budget
    beyond the idea stage, no planned dates, no project type."""
    today = today or timezone.localdate()
    limit = today - dt.timedelta(days=STALE_AFTER_DAYS)
    active = Q(stage=Stage.ACTIVE)
    stale = active & (Q(last_status_date__isnull=True) | Q(last_status_date__lt=limit))
    no_manager = Q(manager__isnull=True)
    no_budget = Q(budget=0) & ~Q(stage=Stage.IDEA)
    no_dates = Q(planned_start__isnull=True) | Q(planned_finish__isnull=True)
    no_type = Q(project_type__isnull=True)
    problem = stale | no_manager | no_budget | no_dates | no_type
    found = (
        projects.open()
        .values_list("org_unit_id", "org_unit__name", "org_unit__name_en")
        .annotate(
            n_open=Count("pk"),
            n_active=Count("pk", filter=active),
            n_stale=Count("pk", filter=stale),
            n_no_status=Count("pk", filter=active & Q(last_status_date__isnull=True)),
            n_no_manager=Count("pk", filter=no_manager),
            n_no_budget=Count("pk", filter=no_budget),
            n_no_dates=Count("pk", filter=no_dates),
            n_no_type=Count("pk", filter=no_type),
            n_clean=Count("pk", filter=~problem),
        )
        .order_by("org_unit__path")
    )
    english = _english()
    rows, total = [], QualityRow(None, "")
    for pk, name, name_en, *numbers in found:
        row = QualityRow(pk, name_en if english and name_en else name, *numbers)
        rows.append(row)
        for attr in (
            "open",
            "active",
            "stale",
            "no_status",
            "no_manager",
            "no_budget",
            "no_dates",
            "no_type",
            "clean",
        ):
            setattr(total, attr, getattr(total, attr) + getattr(row, attr))
    return rows, total


def scoped_projects(user, unit: OrgUnit | None):
    projects = Project.objects.visible_to(user)
    if unit is not None:
        projects = projects.filter(org_unit__path__startswith=unit.path)
    return projects
