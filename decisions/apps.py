from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "decisions"
    verbose_name = _("Major investment decisions")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from decisions import rules, wiring  # noqa: F401

        wiring.register()
