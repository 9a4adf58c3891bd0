from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
    name = "portfolio"
    verbose_name = _("Strategic portfolio management")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from portfolio import rules, wiring  # noqa: F401

        wiring.register()
