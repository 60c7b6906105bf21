from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class WorkplanConfig(AppConfig):
    name = "workplan"
    verbose_name = _("Workplan")

    def ready(self):
        from . import jobs
        from .reference_data import seed_after_migrate

        jobs.register()  # the workplan PDF job and its download check (core.jobs, core.files)

        post_migrate.connect(seed_after_migrate, sender=self, dispatch_uid="workplan.reference")
