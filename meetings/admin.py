from django.contrib import admin

from core.admin import ReadOnlyAdminMixin

from .models import ActionPoint, AgendaItem, Attendance, Meeting, Participant

# Meetings change in the portal (meetings.services), where every change is checked, audited and
# announced to the participants: the admin is for looking.


class AgendaItemInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["position", "title", "status", "minutes_allotted"]


class ParticipantInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Participant
    extra = 0
    fields = ["person", "organisation", "kind", "response"]


class AttendanceInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Attendance
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "status", "starts_at"]
    list_filter = ["status", "kind"]
    search_fields = ["title"]
    date_hierarchy = "starts_at"
    inlines = [AgendaItemInline, ParticipantInline, AttendanceInline]


@admin.register(ActionPoint)
class ActionPointAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["description", "meeting", "owner_organisation", "due_date", "status"]
    list_filter = ["status"]
    search_fields = ["description"]
