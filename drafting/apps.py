from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DraftingConfig(AppConfig):
    name = "drafting"
    verbose_name = _("Drafting")

    def ready(self):
        from drafting import history  # noqa: F401  (connects the history-row receiver)
