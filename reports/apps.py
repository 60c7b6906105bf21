from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")
    url_prefix = "reports/"

    def ready(self):
        from core import registry
        from members.roles import MEMBER_ROLES, Role

        from . import dashboard, demo, jobs, permissions

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
        jobs.register()  # the PDF job and who may download its files (core.jobs, core.files)
