"""Demo subscriptions: one for every report of the catalogue, so that ``make run`` shows
the schedules, the delivery log and the archive filling up (the demo's mail goes to a
folder). Run after every app's seeder; idempotent (subscriptions are found by name)."""

from __future__ import annotations

from django.contrib.auth.models import Group

from pmo.core import roles
from pmo.core.registry import registry
from pmo.reports.models import Subscription
from pmo.reports.services import subscription_save

MONDAY, FRIDAY = 0, 4

# name, report, language, frequency, day (weekday or day of month), hour, group, users
SUBSCRIPTIONS = (
    (
        "项目组合周报 · Weekly portfolio status",
        "portfolio_status",
        "zh-hans",
        "weekly",
        MONDAY,
        8,
        roles.EXECUTIVE,
        ("pmo",),
    ),
    (
        "项目登记册周报 · Weekly project register",
        "project_register",
        "zh-hans",
        "weekly",
        MONDAY,
        7,
        roles.PMO_STAFF,
        (),
    ),
    (
        "评价月报 · Monthly evaluation report",
        "evaluation_monthly",
        "zh-hans",
        "monthly",
        3,
        9,
        None,
        ("pmo", "pmo_staff", "exec"),
    ),
    (
        "战略季度回顾 · Quarterly strategic review",
        "strategic_review",
        "zh-hans",
        "quarterly",
        5,
        9,
        roles.EXECUTIVE,
        ("pmo",),
    ),
    (
        "Quarterly strategic review (English)",
        "strategic_review",
        "en",
        "quarterly",
        5,
        9,
        None,
        ("exec",),
    ),
    (
        "项目管理部运营月报 · Monthly PMO operations",
        "pmo_operations",
        "zh-hans",
        "monthly",
        2,
        8,
        roles.PMO_STAFF,
        (),
    ),
    (
        "知识周报 · Weekly knowledge digest",
        "knowledge_digest",
        "zh-hans",
        "weekly",
        FRIDAY,
        16,
        roles.MEMBER,
        ("pm", "pm2", "reviewer", "pmo_staff"),
    ),
    (
        "文化建设月报 · Monthly culture report",
        "culture",
        "zh-hans",
        "monthly",
        5,
        10,
        None,
        ("pmo", "pmo_staff", "exec"),
    ),
    (
        "人才队伍月报 · Monthly PM talent report",
        "talent",
        "zh-hans",
        "monthly",
        5,
        10,
        None,
        ("pmo", "pmo_staff"),
    ),
)


def seed(demo) -> None:
    """Create or update the demo subscriptions of the reports that are registered."""
    actor = demo.users["pmo"]
    groups = {g.name: g for g in Group.objects.all()}
    existing = {s.name: s for s in Subscription.objects.all()}
    for name, kind, language, frequency, day, hour, group, usernames in SUBSCRIPTIONS:
        if kind not in registry.report_kinds:
            continue
        subscription_save(
            actor=actor,
            name=name,
            kind=kind,
            language=language,
            frequency=frequency,
            hour=hour,
            weekday=day if frequency == "weekly" else None,
            day_of_month=day if frequency != "weekly" else None,
            group=groups.get(group) if group else None,
            users=[demo.users[u] for u in usernames if u in demo.users],
            subscription=existing.get(name),
        )
        demo.created["report subscriptions"] += name not in existing


def register() -> None:
    """Seed after every app's demo data (the reports read it), before the search index."""
    from pmo.core.registry import DemoSeeder

    registry.add_demo_seeder(
        DemoSeeder(key="report_subscriptions", seed="pmo.reports.demo.seed", order=950)
    )
