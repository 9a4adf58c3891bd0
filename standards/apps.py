from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StandardsConfig(AppConfig):
    name = "standards"
    verbose_name = _("Project management standards")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from standards import rules, wiring  # noqa: F401

        wiring.register()
