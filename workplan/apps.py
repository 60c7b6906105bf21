from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class WorkplanConfig(AppConfig):
    name = "workplan"
    verbose_name = _("Workplan")
    url_prefix = "workplan/"

    def ready(self):
        from core import registry
        from core.models import ToRObjective
        from members.roles import MEMBER_ROLES, Role

        from . import dashboard, demo, jobs, permissions, report_sections, scale, search, selectors
        from .models import GCMObjective, ThematicArea
        from .reference_data import seed_after_migrate

        jobs.register()  # the workplan PDF job and its download check (core.jobs, core.files)

        post_migrate.connect(seed_after_migrate, sender=self, dispatch_uid="workplan.reference")
        # The cached reference rows (selectors.reference_rows) are forgotten when one changes.
        for model in (ToRObjective, GCMObjective, ThematicArea):
            for signal in (post_save, post_delete):
                signal.connect(
                    selectors.forget_reference_rows,
                    sender=model,
                    dispatch_uid=f"workplan.reference.{model.__name__}.{signal is post_save}",
                )
        post_migrate.connect(
            selectors.forget_reference_rows, dispatch_uid="workplan.reference.migrated"
        )
        registry.navigation.register(
            self.label,
            registry.NavEntry(
                key="workplan",
                label=_("Workplan"),
                url_name="workplan:index",
                may_open=permissions.can_view_workplan,
                order=40,
            ),
        )
        registry.capabilities.register(
            self.label,
            *registry.grant("workplan.view_workplan", to=MEMBER_ROLES),
            *registry.grant("workplan.manage_workplan", to=[Role.CO_CHAIR, Role.SECRETARIAT]),
            *registry.grant(
                "workplan.update_own_deliverables", to=[Role.FOCAL_POINT, Role.ALTERNATE]
            ),
        )
        registry.dashboard_panels.register(
            self.label, registry.DashboardPanel(key="workplan", build=dashboard.panels)
        )
        registry.report_sections.register(
            self.label,
            # Programme delivery: the Government update includes it (ToR objective 3).
            registry.ReportSection(
                key="workplan",
                build=report_sections.workplan_section,
                audiences=frozenset({registry.Audience.NETWORK, registry.Audience.GOVERNMENT}),
                order=40,
            ),
        )
        registry.search_providers.register(
            self.label,
            registry.SearchProvider(
                key="deliverables",
                label=_("Deliverables"),
                search=search.search_deliverables,
                order=40,
                paginates=True,
            ),
        )
        registry.demo_seeders.register(
            self.label, registry.DemoSeeder(key="workplan", seed=demo.seed)
        )
        registry.scale_seeders.register(
            self.label, registry.ScaleSeeder(key="workplan", seed=scale.seed)
        )
