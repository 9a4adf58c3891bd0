"""The beat schedule of the certificate expiry reminders: every day at 07:30.

It is a django-celery-beat ``PeriodicTask`` so that PMO administrators can change or
pause it in the admin without a deployment; this migration only creates it once.
"""

from django.conf import settings
from django.db import migrations

TASK = "talent.tasks.send_certificate_reminders"
NAME = "talent: certificate expiry reminders"


def create_schedule(apps, schema_editor):
    crontab_model = apps.get_model("django_celery_beat", "CrontabSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _created = crontab_model.objects.get_or_create(
        minute="30",
        hour="7",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone=settings.TIME_ZONE,
    )
    task_model.objects.get_or_create(
        name=NAME,
        defaults={
            "task": TASK,
            "crontab": crontab,
            "enabled": True,
            "description": "Remind PMs and their line managers of certificates expiring soon.",
        },
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("talent", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
