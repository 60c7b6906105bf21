from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")
    url_prefix = "meetings/"

    def ready(self):
        from core import registry
        from members.roles import MEMBER_ROLES, Role

        from . import (
            dashboard,
            demo,
            generated,
            jobs,
            membership_hooks,
            permissions,
            report_sections,
            scale,
            search,
        )

        jobs.register()  # stored-file checks and the agenda circulation job (core.files, core.jobs)

        registry.navigation.register(
            self.label,
            registry.NavEntry(
                key="meetings",
                label=_("Meetings"),
                url_name="meetings:list",
                may_open=permissions.can_open_meetings,
                order=20,
            ),
        )
        registry.capabilities.register(
            self.label,
            *registry.grant("meetings.view_all_meetings", to=MEMBER_ROLES),
            *registry.grant("meetings.manage_meetings", to=[Role.CO_CHAIR, Role.SECRETARIAT]),
            *registry.grant(
                "meetings.propose_agenda_items",
                to=[Role.CO_CHAIR, Role.FOCAL_POINT, Role.ALTERNATE],
            ),
        )
        registry.dashboard_panels.register(
            self.label, registry.DashboardPanel(key="meetings", build=dashboard.panels)
        )
        registry.report_sections.register(
            self.label,
            registry.ReportSection(
                key="meetings",
                build=report_sections.meetings_section,
                audiences=frozenset({registry.Audience.NETWORK, registry.Audience.GOVERNMENT}),
                order=20,
            ),
            # Action points are the network's internal follow-up: not for the Government.
            registry.ReportSection(
                key="action_points", build=report_sections.action_points_section, order=25
            ),
        )
        registry.search_providers.register(
            self.label,
            registry.SearchProvider(
                key="meetings",
                label=_("Meetings"),
                search=search.search_meetings,
                order=20,
                paginates=True,
            ),
        )
        registry.generated_texts.register(self.label, *generated.TEXTS)
        registry.demo_seeders.register(
            self.label, registry.DemoSeeder(key="meetings", seed=demo.seed)
        )
        registry.scale_seeders.register(
            self.label, registry.ScaleSeeder(key="meetings", seed=scale.seed)
        )
        registry.membership_hooks.register(
            self.label,
            registry.MembershipHook(
                key="meetings", on_appointments_changed=membership_hooks.on_appointments_changed
            ),
        )
