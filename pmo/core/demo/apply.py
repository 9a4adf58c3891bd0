"""Applying the core demo plan through the services, and calling the duty apps' seeders."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.urls import reverse
from django.utils.module_loading import import_string

from pmo.core import services
from pmo.core.demo.catalogue import (
    EMAIL_DOMAIN,
    LOGINS,
    PASSWORD,
    PROJECT_TYPES,
    ROLES,
    SCALE_PROJECT_PREFIX,
    SEED,
    UNIT_NAMES,
    UNITS,
)
from pmo.core.demo.generate import Plan, ProjectSpec
from pmo.core.demo.plan import build_plan
from pmo.core.models import Notification, OrgUnit, Person, Project, ProjectType, Role
from pmo.core.registry import registry


@dataclass
class DemoData:
    """What a duty app's demo seeder gets: the core demo rows by natural key."""

    today: dt.date
    users: dict[str, object]
    people: dict[str, Person]
    units: dict[str, OrgUnit]
    roles: dict[str, Role]
    project_types: dict[str, ProjectType]
    projects: dict[str, Project]
    scale: int = 0
    log: Callable[[str], None] = print
    created: Counter = field(default_factory=Counter)

    def rng(self, key: str) -> random.Random:
        """A generator of the seeder's own, so that its draws do not depend on run order."""
        return random.Random(f"{SEED}:{key}")

    def person(self, username: str) -> Person:
        """The Person of a demo login (``pmo``, ``pm``, ``member`` …)."""
        return self.users[username].person

    def scaled_projects(self):
        """The projects added by ``--scale`` (none without it)."""
        return Project.objects.filter(code__startswith=SCALE_PROJECT_PREFIX)


def seed_core(*, today: dt.date, log: Callable[[str], None] = print) -> DemoData:
    """Create whatever of the core demo is missing, all in one transaction."""
    plan = build_plan(today)
    created: Counter = Counter()
    with transaction.atomic():
        project_types = _ensure_project_types(created)
        roles_ = _ensure_roles(created)
        units = _ensure_units(created)
        users = _ensure_logins(created)
        people = _ensure_people(plan, units, roles_, users, created)
        _ensure_unit_heads(plan, units, people, created)
        projects = _ensure_projects(plan, units, people, roles_, project_types, created)
        _ensure_notifications(plan, users, projects, created)
    return DemoData(
        today, users, people, units, roles_, project_types, projects, log=log, created=created
    )


def _ensure_project_types(created: Counter) -> dict[str, ProjectType]:
    # Project types are reference data without a service of their own (kept in the admin).
    found = {t.code: t for t in ProjectType.objects.filter(code__in=[r[0] for r in PROJECT_TYPES])}
    for code, name, name_en, description in PROJECT_TYPES:
        if code not in found:
            ptype = ProjectType(code=code, name=name, name_en=name_en, description=description)
            ptype.full_clean()
            ptype.save()
            found[code] = ptype
            created["project types"] += 1
    return found


def _ensure_roles(created: Counter) -> dict[str, Role]:
    found = {r.code: r for r in Role.objects.filter(code__in=[r[0] for r in ROLES])}
    for code, name, name_en, _rate, _titles in ROLES:
        if code not in found:
            found[code] = services.role_save(code=code, name=name, name_en=name_en)
            created["resource roles"] += 1
    return found


def _ensure_units(created: Counter) -> dict[str, OrgUnit]:
    found = {u.code: u for u in OrgUnit.objects.filter(code__in=list(UNIT_NAMES))}
    for order, (code, name, name_en, kind, parent) in enumerate(UNITS):
        if code not in found:
            found[code] = services.orgunit_save(
                code=code,
                name=name,
                name_en=name_en,
                kind=kind,
                parent=found[parent] if parent else None,
                sort_order=order,
            )
            created["units"] += 1
    return found


def _ensure_logins(created: Counter) -> dict[str, object]:
    user_model = get_user_model()
    names = [login.username for login in LOGINS] + ["admin"]
    found = {u.username: u for u in user_model.objects.filter(username__in=names)}
    # One hash for all: the logins share the published password, and hashing is slow.
    hashed = make_password(PASSWORD) if len(found) < len(names) else ""
    if "admin" not in found:
        found["admin"] = user_model.objects.create_superuser(
            "admin", f"admin@{EMAIL_DOMAIN}", password=None
        )
        _set_password(found["admin"], hashed)
        created["logins"] += 1
    for login in LOGINS:
        user = found.get(login.username)
        if user is None:
            user = user_model.objects.create_user(
                login.username, f"{login.username}@{EMAIL_DOMAIN}", password=None
            )
            _set_password(user, hashed)
            found[login.username] = user
            created["logins"] += 1
            if login.language:
                services.user_language_set(user=user, language=login.language)
        have = set(user.groups.values_list("name", flat=True))
        for name in login.groups:
            if name not in have:
                user.groups.add(Group.objects.get_or_create(name=name)[0])
    return found


def _set_password(user, hashed: str) -> None:
    user.password = hashed
    user.save(update_fields=["password"])


def _ensure_people(plan: Plan, units, roles_, users, created: Counter) -> dict[str, Person]:
    numbers = [p.employee_no for p in plan.people]
    found = {p.employee_no: p for p in Person.objects.filter(employee_no__in=numbers)}
    linked = set(Person.objects.filter(user__in=users.values()).values_list("user_id", flat=True))
    for spec in plan.people:
        user = users.get(spec.login) if spec.login else None
        if user is not None and user.pk in linked:
            user = None  # already somebody's login: leave it there
        person = found.get(spec.employee_no)
        if person is None:
            found[spec.employee_no] = services.person_save(
                name=spec.name,
                name_en=spec.name_en,
                employee_no=spec.employee_no,
                email=spec.email,
                phone=spec.phone,
                title=spec.title,
                org_unit=units[spec.unit],
                role=roles_.get(spec.role),
                weekly_capacity_hours=spec.capacity,
                cost_rate=spec.cost_rate,
                user=user,
            )
            created["people"] += 1
        elif user is not None and person.user_id is None:
            services.person_save(person=person, user=user)
    return found


def _ensure_unit_heads(plan: Plan, units, people, created: Counter) -> None:
    for code, number in plan.heads.items():
        unit = units[code]
        if unit.head_id is None:
            services.orgunit_save(
                unit=unit,
                code=unit.code,
                name=unit.name,
                name_en=unit.name_en,
                kind=unit.kind,
                parent=unit.parent,
                head=people[number],
                sort_order=unit.sort_order,
            )
            created["unit heads"] += 1


def _ensure_projects(plan: Plan, units, people, roles_, types, created) -> dict[str, Project]:
    found = {p.code: p for p in Project.objects.filter(code__in=[s.code for s in plan.projects])}
    for spec in plan.projects:
        if spec.code not in found:
            found[spec.code] = _create_project(spec, found, units, people, roles_, types)
            created["projects"] += 1
            created["memberships"] += len(spec.members)
            created["demand rows"] += len(spec.demand)
    return found


def _create_project(spec: ProjectSpec, found, units, people, roles_, types) -> Project:
    project = services.project_create(
        actor=None,
        code=spec.code,
        name=spec.name,
        name_en=spec.name_en,
        description=spec.description,
        project_type=types[spec.project_type],
        org_unit=units[spec.unit],
        sponsor=people[spec.sponsor],
        manager=people[spec.manager],
        program=found.get(spec.program),
        is_program=spec.is_program,
        classification=spec.classification,
        planned_start=spec.planned_start,
        planned_finish=spec.planned_finish,
        budget=spec.budget,
        stage=spec.stage,
    )
    if spec.actual_start or spec.actual_finish:
        # Only a stage change stamps actual dates, and with today's date; the demo's
        # projects started (and finished) in the past, so these are written directly.
        Project.objects.filter(pk=project.pk).update(
            actual_start=spec.actual_start, actual_finish=spec.actual_finish
        )
        project.actual_start, project.actual_finish = spec.actual_start, spec.actual_finish
    if spec.summary:
        services.project_summary_update(
            project=project,
            health=spec.summary.health,
            percent_complete=spec.summary.percent_complete,
            spend_to_date=spec.summary.spend_to_date,
            forecast_cost=spec.summary.forecast_cost,
            last_status_date=spec.summary.last_status_date,
            note=spec.summary.note,
        )
    for number, role, allocation in spec.members:
        services.project_member_add(
            project=project,
            person=people[number],
            project_role=role,
            allocation_percent=allocation,
            start=spec.actual_start or spec.planned_start,
            end=spec.actual_finish or spec.planned_finish,
        )
    for role, month, hours, source in spec.demand:
        services.resource_demand_set(
            project=project, role=roles_[role], month=month, hours=hours, source=source
        )
    return project


def _ensure_notifications(plan: Plan, users, projects, created: Counter) -> None:
    existing = set(
        Notification.objects.filter(recipient__in=list(users.values())).values_list(
            "recipient__username", "title"
        )
    )
    for note in plan.notifications:
        if (note.username, note.title) in existing:
            continue
        url = note.url
        if note.project:
            url = reverse("core:project_detail", args=[projects[note.project].pk])
        services.notification_send(
            recipients=[users[note.username]],
            title=note.title,
            body=note.body,
            url=url,
            level=note.level,
        )
        created["notifications"] += 1


def run_app_seeders(demo: DemoData) -> list[str]:
    """Call the duty apps' demo seeders in order, each in a transaction of its own.

    ``registry.demo_seeders`` (a list, or a dict keyed by seeder key) may hold objects
    with ``run(demo)`` and optional ``key``/``order``, plain callables or dotted paths.
    Each seeder must be idempotent and deterministic itself (``demo.rng(key)``).
    """
    found = getattr(registry, "demo_seeders", [])
    seeders = list(found.values()) if isinstance(found, dict) else list(found)
    seeders.sort(key=lambda s: getattr(s, "order", 100))
    names = []
    for seeder in seeders:
        call = import_string(seeder) if isinstance(seeder, str) else getattr(seeder, "run", seeder)
        with transaction.atomic():
            call(demo)
        names.append(str(getattr(seeder, "key", "") or getattr(call, "__qualname__", seeder)))
    return names


def login_rows() -> list[tuple[str, str, str]]:
    """The demo logins to print: user name, roles, person."""
    rows = [("admin", "superuser (/admin/)", "")]
    rows += [(x.username, " + ".join(x.groups), f"{x.name} ({x.name_en})") for x in LOGINS]
    return rows
