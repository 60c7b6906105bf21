from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = _("Referrals")
    url_prefix = "referrals/"

    def ready(self):
        from core import registry
        from members.roles import MEMBER_ROLES, Role

        from . import checks, dashboard, demo, exports, permissions, report_sections, scale  # noqa: F401

        exports.register()

        registry.navigation.register(
            self.label,
            registry.NavEntry(
                key="referrals",
                label=_("Referrals"),
                url_name="referrals:index",
                may_open=permissions.may_open_module,
                order=50,
            ),
        )
        # The capability says who may hold the module at all; which referrals a person handles
        # comes from their dated appointments (permissions.py explains why).
        registry.capabilities.register(
            self.label,
            *registry.grant("referrals.handle_referrals", to=[Role.REFERRAL_OFFICER]),
            *registry.grant(
                "referrals.view_referral_statistics", to=[Role.CO_CHAIR, Role.RCO_ADMIN]
            ),
            *registry.grant("referrals.view_serviceoffer", to=MEMBER_ROLES),
        )
        registry.dashboard_panels.register(
            self.label, registry.DashboardPanel(key="referrals", build=dashboard.panels)
        )
        registry.report_sections.register(
            self.label,
            registry.ReportSection(
                key="referrals",
                build=report_sections.build,
                audiences=frozenset({registry.Audience.NETWORK}),
                order=60,
            ),
        )
        registry.demo_seeders.register(
            self.label, registry.DemoSeeder(key="referrals", seed=demo.seed)
        )
        registry.scale_seeders.register(
            self.label, registry.ScaleSeeder(key="referrals", seed=scale.seed)
        )
