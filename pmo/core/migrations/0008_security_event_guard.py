"""The security log cannot be changed, even by SQL: a PostgreSQL trigger refuses UPDATE
and refuses DELETE of rows younger than six months; and the monthly purge of rows older
than the retention (``PMO_AUDIT_RETENTION_DAYS``) is scheduled with celery beat."""

from django.conf import settings
from django.db import migrations

PURGE_TASK = "pmo.core.tasks.security_events_purge"
PURGE_NAME = "core: monthly purge of security events older than the retention"

# Deleting a user sets user_id to NULL on their events (the user name stays in
# ``username``): that is the one update allowed. The six months are 等保 level 3's floor
# and do not follow the setting, so a mistaken setting cannot shorten them.
GUARD_SQL = """
CREATE OR REPLACE FUNCTION core_securityevent_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF OLD.user_id IS NOT NULL AND NEW.user_id IS NULL
           AND ROW(NEW.id, NEW.kind, NEW.username, NEW.ip_address, NEW.success, NEW.detail,
                   NEW.path, NEW.user_agent, NEW.created_at)
               IS NOT DISTINCT FROM
               ROW(OLD.id, OLD.kind, OLD.username, OLD.ip_address, OLD.success, OLD.detail,
                   OLD.path, OLD.user_agent, OLD.created_at) THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'security events cannot be changed'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.created_at > now() - interval '183 days' THEN
        RAISE EXCEPTION 'security events younger than six months cannot be deleted'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN OLD;
END;
$$;
DROP TRIGGER IF EXISTS core_securityevent_guard ON core_securityevent;
CREATE TRIGGER core_securityevent_guard
    BEFORE UPDATE OR DELETE ON core_securityevent
    FOR EACH ROW EXECUTE FUNCTION core_securityevent_guard();
"""
UNGUARD_SQL = """
DROP TRIGGER IF EXISTS core_securityevent_guard ON core_securityevent;
DROP FUNCTION IF EXISTS core_securityevent_guard();
"""


def guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(GUARD_SQL)


def unguard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNGUARD_SQL)


def create_purge_schedule(apps, schema_editor):
    """At 03:30 on the first of each month, editable (not removable by users) in the admin."""
    crontab_model = apps.get_model("django_celery_beat", "CrontabSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _created = crontab_model.objects.get_or_create(
        minute="30",
        hour="3",
        day_of_week="*",
        day_of_month="1",
        month_of_year="*",
        timezone=settings.TIME_ZONE,
    )
    task_model.objects.get_or_create(
        name=PURGE_NAME,
        defaults={
            "task": PURGE_TASK,
            "crontab": crontab,
            "enabled": True,
            "description": "Delete security events older than PMO_AUDIT_RETENTION_DAYS.",
        },
    )


def remove_purge_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=PURGE_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0007_security_profile"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(guard, unguard, elidable=False),
        migrations.RunPython(create_purge_schedule, remove_purge_schedule),
    ]
