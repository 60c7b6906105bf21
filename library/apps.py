from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "library"
    verbose_name = _("Knowledge products")
    url_prefix = "library/"

    def ready(self):
        from core import registry
        from decisions.models import Decision
        from decisions.signals import decision_closed
        from members.roles import MEMBER_ROLES, Role

        from . import dashboard, demo, jobs, permissions, receivers, search

        jobs.register()  # text extraction and who may download the files (core.jobs, core.files)
        decision_closed.connect(
            receivers.on_decision_closed, sender=Decision, dispatch_uid="library.decision_closed"
        )
        registry.navigation.register(
            self.label,
            registry.NavEntry(
                key="library",
                label=_("Library"),
                url_name="library:list",
                may_open=permissions.can_open_library,
                order=45,
            ),
        )
        registry.capabilities.register(
            self.label,
            *registry.grant(
                "library.view_products", "library.comment_on_products", to=MEMBER_ROLES
            ),
            *registry.grant("library.manage_products", to=[Role.CO_CHAIR, Role.SECRETARIAT]),
            *registry.grant("library.draft_products", to=[Role.FOCAL_POINT, Role.ALTERNATE]),
            *registry.grant("library.endorse_products", to=[Role.CO_CHAIR]),
        )
        registry.dashboard_panels.register(
            self.label, registry.DashboardPanel(key="library", build=dashboard.panels)
        )
        registry.search_providers.register(
            self.label,
            registry.SearchProvider(
                key="library",
                label=_("Knowledge products"),
                search=search.search,
                order=50,
                paginates=True,
            ),
        )
        registry.demo_seeders.register(
            self.label, registry.DemoSeeder(key="library", seed=demo.seed)
        )
