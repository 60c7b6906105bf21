from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from . import jobs

        jobs.register()  # stored-file checks and the agenda circulation job (core.files, core.jobs)
