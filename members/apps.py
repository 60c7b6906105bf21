from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")
    url_prefix = "members/"

    def ready(self):
        from core import registry

        from . import dashboard, demo, permissions, report_sections, scale, search
        from .roles import MEMBER_ROLES, Role, sync_role_groups

        post_migrate.connect(sync_role_groups, dispatch_uid="members.sync_role_groups")
        registry.navigation.register(
            self.label,
            registry.NavEntry(
                key="members",
                label=_("Members"),
                url_name="members:directory",
                may_open=permissions.can_view_directory,
                order=10,
            ),
        )
        registry.capabilities.register(
            self.label,
            *registry.grant(
                "members.view_directory", "members.view_contact_details", to=MEMBER_ROLES
            ),
            *registry.grant(
                "members.manage_organisations", "members.manage_appointments", to=[Role.RCO_ADMIN]
            ),
            *registry.grant("members.invite_people", to=[Role.RCO_ADMIN, Role.CO_CHAIR]),
        )
        registry.dashboard_panels.register(
            self.label, registry.DashboardPanel(key="members", build=dashboard.panels, order=40)
        )
        registry.report_sections.register(
            self.label,
            registry.ReportSection(
                key="membership", build=report_sections.membership_section, order=50
            ),
        )
        registry.search_providers.register(
            self.label,
            registry.SearchProvider(
                key="organisations",
                label=_("Organisations"),
                search=search.search_organisations,
                order=60,
                paginates=True,
            ),
            registry.SearchProvider(
                key="people",
                label=_("People"),
                search=search.search_people,
                order=70,
                paginates=True,
            ),
        )
        registry.demo_seeders.register(
            self.label, registry.DemoSeeder(key="members", seed=demo.seed)
        )
        registry.scale_seeders.register(
            self.label,
            registry.ScaleSeeder(
                key="members", seed=scale.seed, already_seeded=scale.already_seeded
            ),
        )
