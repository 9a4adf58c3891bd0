"""The scheduled jobs of delivery and their beat schedules; the PMO's checklists."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from delivery import tasks
from delivery.models import ClosureItemTemplate, Issue, ReminderLog
from delivery.services import closeout
from pmo.core.models import Project

pytestmark = pytest.mark.django_db


def test_the_beat_schedules_run_both_jobs():
    # The data migration creates them; a flushed test database may have lost them, so it
    # is run again here (it only adds what is missing).
    import importlib

    from django.apps import apps

    migration = importlib.import_module("delivery.migrations.0002_beat_schedules")
    migration.add_schedules(apps, None)
    migration.add_schedules(apps, None)
    names = list(PeriodicTask.objects.values_list("task", flat=True))
    assert len(names) == len(set(names))
    assert {
        "delivery.tasks.send_status_reminders",
        "delivery.tasks.escalate_overdue_issues",
    } <= set(names)


def test_reminder_job_notifies_once(project):
    Project.objects.filter(pk=project.pk).update(actual_start=dt.date(2024, 1, 1))
    first = tasks.send_status_reminders()
    assert first.get("overdue") == 1
    assert tasks.send_status_reminders() == {}
    assert ReminderLog.objects.filter(project=project, kind="overdue").count() == 1


def test_escalation_job_moves_late_issues_up(project, pm_user):
    from delivery.services import issues

    issue = issues.issue_raise(project=project, actor=pm_user, title="停机", severity="critical")
    Issue.objects.filter(pk=issue.pk).update(level_since=timezone.now() - dt.timedelta(hours=30))
    assert tasks.escalate_overdue_issues() == 1
    issue.refresh_from_db()
    assert issue.level == 1


def test_the_pmo_keeps_the_checklist_per_project_type(project, pmo_user, pm_user):
    with pytest.raises(PermissionDenied):
        closeout.closure_template_save(actor=pm_user, code="x", name="x")
    closeout.closure_template_save(actor=pmo_user, code="filing", name="竣工备案")
    closeout.closure_template_save(
        actor=pmo_user, code="handover", name="运维移交", project_type=project.project_type
    )
    with pytest.raises(ValidationError):
        closeout.closure_template_save(actor=pmo_user, code="filing", name="重复")
    started = closeout.closeout_start(project=project, actor=pm_user)
    assert set(started.items.values_list("code", flat=True)) == {"filing", "handover"}
    closeout.closure_template_delete(
        actor=pmo_user, template=ClosureItemTemplate.objects.get(code="filing")
    )
    assert started.items.filter(code="filing").exists()  # a started closeout keeps its copy
