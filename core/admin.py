from django.contrib import admin

from .models import AuditEntry, EmailLedgerEntry, Network, ToRObjective


class ReadOnlyAdminMixin:
    """For the network's records: the admin shows them, the portal's services change them.

    A change made here would skip the services' rules, locks, emails and audit entries (ending an
    appointment in the admin wrote no audit entry), so nobody may add, change or delete.
    """

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "country", "time_zone", "decision_prefix"]

    def has_add_permission(self, request):
        return not Network.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit trail cannot be edited, not even by platform admins."""

    list_display = ["created_at", "action", "actor", "object_repr"]
    list_filter = ["action"]
    search_fields = ["object_repr", "action"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ToRObjective)
class ToRObjectiveAdmin(admin.ModelAdmin):
    list_display = ["number", "short_label"]


@admin.register(EmailLedgerEntry)
class EmailLedgerEntryAdmin(admin.ModelAdmin):
    """Read-only: which email of which event went to whom (written by core.tasks only)."""

    list_display = ["created_at", "event", "recipient", "sent_at", "attempts"]
    search_fields = ["event", "recipient"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
