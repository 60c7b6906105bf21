from django.contrib import admin

from core.admin import ReadOnlyAdminMixin

from .models import Appointment, Invitation, Membership, Organisation

# Organisations, memberships, appointments and invitations change in the portal (members.services),
# where every change is checked and audited: the admin is for looking.


class MembershipInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["acronym", "name", "kind", "is_resident"]
    list_filter = ["kind", "is_resident"]
    search_fields = ["acronym", "name"]
    inlines = [MembershipInline]


@admin.register(Appointment)
class AppointmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["organisation", "kind", "person", "level", "start_date", "end_date"]
    list_filter = ["kind", "level", "organisation"]
    search_fields = ["person__email", "person__full_name", "organisation__acronym"]
    autocomplete_fields = ["person", "organisation"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: invitations are created, resent and revoked in the portal (they send email)."""

    list_display = ["email", "organisation", "role", "status", "expires_at", "invited_by"]
    list_filter = ["status", "role"]
    search_fields = ["email", "organisation__acronym"]
    exclude = ["token_hash"]
