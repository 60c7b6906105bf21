from django.contrib import admin

from .models import Report, ReportVersion


class ReadOnlyMixin:
    """Reports change only through the portal's services (authorization, history, audit)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReportVersionInline(ReadOnlyMixin, admin.TabularInline):
    model = ReportVersion
    fields = ("number", "language", "is_final", "checksum", "generated_by", "generated_at")
    readonly_fields = fields
    extra = 0


@admin.register(Report)
class ReportAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("title", "kind", "period_start", "period_end", "status")
    list_filter = ("kind", "status")
    search_fields = ("title",)
    exclude = ("snapshot",)
    inlines = [ReportVersionInline]
