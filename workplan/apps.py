from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class WorkplanConfig(AppConfig):
    name = "workplan"
    verbose_name = _("Workplan")

    def ready(self):
        from .reference_data import seed_after_migrate

        post_migrate.connect(seed_after_migrate, sender=self, dispatch_uid="workplan.reference")
