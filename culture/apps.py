from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CultureConfig(AppConfig):
    name = "culture"
    verbose_name = _("Project management culture")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from culture import rules, wiring  # noqa: F401

        wiring.register()
