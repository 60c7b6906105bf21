from django.contrib import admin

from .models import Decision, PositionChange


class ReadOnlyMixin:
    """Decisions change only through the portal's services (locks, history, audit, emails)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
