"""The archivist group (档案管理员), a first numbering rule for 档号, and the schedules of
the knowledge tasks (editable afterwards by the PMO in the admin)."""

from django.conf import settings
from django.db import migrations

ARCHIVIST = "archivist"
SCHEDULES = (
    # name, task, minute, hour, day of week
    ("knowledge: archive loan reminders", "knowledge.tasks.send_loan_reminders", "40", "8", "*"),
    ("knowledge: rebuild the search index", "knowledge.tasks.rebuild_search_index", "15", "3", "0"),
)  # fmt: skip


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.get_or_create(name=ARCHIVIST)
    NumberingRule = apps.get_model("knowledge", "NumberingRule")
    if not NumberingRule.objects.exists():
        NumberingRule.objects.create(
            fonds="PMO", pattern="{fonds}-{year}-{retention}-{seq:04d}", is_active=True
        )
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, minute, hour, weekday in SCHEDULES:
        crontab, _created = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_week=weekday,
            day_of_month="*",
            month_of_year="*",
            timezone=settings.TIME_ZONE,
        )
        PeriodicTask.objects.get_or_create(
            name=name, defaults={"task": task, "crontab": crontab, "enabled": True}
        )


def backwards(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[s[0] for s in SCHEDULES]).delete()
    apps.get_model("auth", "Group").objects.filter(name=ARCHIVIST).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge", "0002_library_archives_curation"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
