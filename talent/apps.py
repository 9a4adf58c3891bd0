from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentConfig(AppConfig):
    name = "talent"
    verbose_name = _("Project management talent")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from talent import rules, wiring  # noqa: F401

        wiring.register()
