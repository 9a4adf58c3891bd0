from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    name = "delivery"
    verbose_name = _("Delivery assurance")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from delivery import rules, wiring  # noqa: F401

        wiring.register()
