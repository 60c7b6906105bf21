from django.contrib import admin

from core.admin import ReadOnlyAdminMixin

from .models import (
    Deliverable,
    Funding,
    GCMGuidingPrinciple,
    GCMObjective,
    ProgressUpdate,
    SDGTarget,
    ThematicArea,
    Workplan,
)


@admin.register(GCMObjective)
class GCMObjectiveAdmin(admin.ModelAdmin):
    list_display = ["number", "short_label", "title"]


@admin.register(GCMGuidingPrinciple)
class GCMGuidingPrincipleAdmin(admin.ModelAdmin):
    list_display = ["order", "principle"]


@admin.register(SDGTarget)
class SDGTargetAdmin(admin.ModelAdmin):
    list_display = ["target", "goal", "wording"]


@admin.register(ThematicArea)
class ThematicAreaAdmin(admin.ModelAdmin):
    list_display = ["order", "code", "label"]


# Workplans, deliverables, funding and progress change in the portal (workplan.services), where
# every change is checked and audited: the admin is for looking. Reference lists stay editable.


@admin.register(Workplan)
class WorkplanAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["year", "title", "status", "endorsed_on", "shared_on"]
    list_filter = ["status"]


class FundingInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Funding
    extra = 0


class ProgressUpdateInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ProgressUpdate
    extra = 0
    raw_id_fields = ["author"]


@admin.register(Deliverable)
class DeliverableAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "workplan", "number", "lead_agency", "status"]
    list_filter = ["workplan", "status", "thematic_area"]
    search_fields = ["title", "description"]
    list_select_related = ["workplan", "lead_agency"]
    filter_horizontal = ["tor_objectives", "gcm_objectives", "sdg_targets", "supporting_agencies"]
    raw_id_fields = ["copied_from"]
    inlines = [FundingInline, ProgressUpdateInline]
