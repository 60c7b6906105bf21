from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Portal core")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import (
            checks,  # noqa: F401 - registers the deployment checks
            jobs,
            registry,
        )
        from .reference_data import seed_after_migrate

        post_migrate.connect(seed_after_migrate, sender=self, dispatch_uid="core.reference")
        registry.dashboard_panels.register(
            self.label, registry.DashboardPanel(key="jobs", build=jobs.dashboard_panels, order=90)
        )
