from django.contrib import admin

from core.admin import ReadOnlyAdminMixin as ReadOnlyMixin

from .models import Decision, PositionChange


class PositionChangeInline(ReadOnlyMixin, admin.TabularInline):
    model = PositionChange
    extra = 0
    fields = ["created_at", "organisation", "from_stance", "to_stance", "recorded_by", "on_behalf"]
    readonly_fields = fields


@admin.register(Decision)
class DecisionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["reference", "title", "status", "procedure", "deadline", "closed_at"]
    list_filter = ["status", "procedure", "year"]
    search_fields = ["reference", "title", "text"]
    inlines = [PositionChangeInline]
