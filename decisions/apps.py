from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "decisions"
    verbose_name = _("Decisions")
    url_prefix = "decisions/"

    def ready(self):
        from core import registry
        from members.roles import MEMBER_ROLES, Role

        from . import (
            dashboard,
            demo,
            exports,
            generated,
            meeting_hooks,
            permissions,
            report_sections,
            scale,
            search,
        )

        exports.register()  # the register's Excel job and its download check (core.jobs)
        registry.navigation.register(
            self.label,
            registry.NavEntry(
                key="decisions",
                label=_("Decisions"),
                url_name="decisions:list",
                may_open=permissions.can_view_decisions,
                order=30,
            ),
        )
        registry.capabilities.register(
            self.label,
            *registry.grant("decisions.view_decisions", to=MEMBER_ROLES),
            *registry.grant("decisions.draft_decisions", to=[Role.CO_CHAIR, Role.SECRETARIAT]),
            *registry.grant(
                "decisions.manage_decisions",
                "decisions.record_position_on_behalf",
                to=[Role.CO_CHAIR],
            ),
            *registry.grant("decisions.record_positions", to=[Role.FOCAL_POINT, Role.ALTERNATE]),
        )
        registry.dashboard_panels.register(
            self.label, registry.DashboardPanel(key="decisions", build=dashboard.panels)
        )
        registry.meeting_hooks.register(
            self.label,
            registry.MeetingHook(
                key="decisions",
                agenda_carryover=meeting_hooks.agenda_carryover,
                minutes_section=meeting_hooks.minutes_section,
                meeting_day=meeting_hooks.meeting_day,
            ),
        )
        registry.generated_texts.register(self.label, *generated.TEXTS)
        registry.report_sections.register(
            self.label,
            registry.ReportSection(
                key="decisions", build=report_sections.decisions_section, order=30
            ),
        )
        registry.search_providers.register(
            self.label,
            registry.SearchProvider(
                key="decisions",
                label=_("Decisions"),
                search=search.search_decisions,
                order=30,
                paginates=True,
            ),
        )
        registry.demo_seeders.register(
            self.label, registry.DemoSeeder(key="decisions", seed=demo.seed)
        )
        registry.scale_seeders.register(
            self.label, registry.ScaleSeeder(key="decisions", seed=scale.seed)
        )
