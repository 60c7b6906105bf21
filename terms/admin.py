from django.contrib import admin

from .models import Amendment, Review, TermsVersion


@admin.register(TermsVersion)
class TermsVersionAdmin(admin.ModelAdmin):
    # Only the dates are corrected here (the first version's effective date, a UNCT date); texts
    # change through amendments adopted by decision.
    list_display = ["number", "effective_on", "is_current", "unct_submitted_on", "unct_endorsed_on"]
    fields = ["number", "effective_on", "summary", "unct_submitted_on", "unct_endorsed_on", "text"]
    readonly_fields = ["number", "text"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Amendment)
class AmendmentAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "base_version", "decision", "created_at"]
    readonly_fields = ["title", "summary", "text", "base_version"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["version", "due_on", "reviewed_on", "outcome"]
    readonly_fields = ["reviewed_on", "outcome", "note", "amendment"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
