from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")
    url_prefix = "reports/"

    def ready(self):
        from core import registry
        from members.roles import MEMBER_ROLES, Role

        from . import dashboard, demo, permissions

        registry.navigation.register(
            self.label,
            registry.NavEntry(
                key="reports",
                label=_("Reports"),
                url_name="reports:list",
                may_open=permissions.can_open_reports,
                order=50,
            ),
        )
        registry.capabilities.register(
            self.label,
            *registry.grant("reports.view_reports", to=MEMBER_ROLES),
            *registry.grant("reports.manage_reports", to=[Role.CO_CHAIR, Role.SECRETARIAT]),
            *registry.grant("reports.finalize_reports", to=[Role.CO_CHAIR]),
        )
        registry.dashboard_panels.register(
            self.label, registry.DashboardPanel(key="reports", build=dashboard.panels)
        )
        registry.demo_seeders.register(
            self.label, registry.DemoSeeder(key="reports", seed=demo.seed)
        )
        # TODO(lead): at merge, register the generation job and the download check:
        #   from core.files import register_download_check
        #   from core.jobs import register_job_kind
        #   from . import jobs
        #   register_job_kind(jobs.JOB_KIND, jobs.generate_report_job)
        #   register_download_check(jobs.FILE_KIND, jobs.may_download)
