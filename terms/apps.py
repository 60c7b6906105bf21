from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TermsConfig(AppConfig):
    name = "terms"
    verbose_name = _("Terms of Reference")
    url_prefix = "network/terms/"

    def ready(self):
        from core import registry
        from decisions.signals import decision_closed
        from members.roles import MEMBER_ROLES, Role

        from . import dashboard, demo, permissions, receivers

        registry.navigation.register(
            self.label,
            registry.NavEntry(
                key="terms",
                label=_("Terms of Reference"),
                url_name="terms:current",
                may_open=permissions.can_view_terms,
                order=60,
            ),
        )
        registry.capabilities.register(
            self.label,
            *registry.grant("terms.view_terms", to=MEMBER_ROLES),
            *registry.grant("terms.draft_amendments", to=[Role.CO_CHAIR, Role.SECRETARIAT]),
            *registry.grant("terms.manage_terms", to=[Role.CO_CHAIR]),
        )
        registry.dashboard_panels.register(
            self.label, registry.DashboardPanel(key="terms", build=dashboard.panels)
        )
        registry.demo_seeders.register(self.label, registry.DemoSeeder(key="terms", seed=demo.seed))
        decision_closed.connect(
            receivers.decision_closed, sender=None, dispatch_uid="terms.decision_closed"
        )
