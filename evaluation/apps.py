from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("Performance evaluation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from evaluation import rules, wiring  # noqa: F401

        wiring.register()
