from django.urls import path

from . import views, views_meeting_day

app_name = "meetings"

urlpatterns = [
    path("", views.MeetingListView.as_view(), name="list"),
    path("new/", views.MeetingCreateView.as_view(), name="create"),
    path("generate/", views.MeetingGenerateView.as_view(), name="generate"),
    path("<int:pk>/", views.MeetingDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.MeetingUpdateView.as_view(), name="edit"),
    path("<int:pk>/schedule/", views.MeetingScheduleView.as_view(), name="schedule"),
    path("<int:pk>/held/", views.MeetingHeldView.as_view(), name="held"),
    path("<int:pk>/cancel/", views.MeetingCancelView.as_view(), name="cancel"),
    path("<int:pk>/delete/", views.MeetingDeleteView.as_view(), name="delete"),
    path("<int:pk>/meeting.ics", views.MeetingIcsView.as_view(), name="ics"),
    # Agenda
    path("<int:pk>/agenda/call/", views.CallForItemsView.as_view(), name="call_for_items"),
    path("<int:pk>/agenda/add/", views.AgendaItemAddView.as_view(), name="agenda_add"),
    path("<int:pk>/agenda/propose/", views.AgendaItemProposeView.as_view(), name="agenda_propose"),
    path(
        "<int:pk>/agenda/<int:item>/edit/", views.AgendaItemEditView.as_view(), name="agenda_edit"
    ),
    path(
        "<int:pk>/agenda/<int:item>/accept/",
        views.AgendaItemAcceptView.as_view(),
        name="agenda_accept",
    ),
    path(
        "<int:pk>/agenda/<int:item>/decline/",
        views.AgendaItemDeclineView.as_view(),
        name="agenda_decline",
    ),
    path(
        "<int:pk>/agenda/<int:item>/delete/",
        views.AgendaItemDeleteView.as_view(),
        name="agenda_delete",
    ),
    path(
        "<int:pk>/agenda/<int:item>/move/", views.AgendaItemMoveView.as_view(), name="agenda_move"
    ),
    path("<int:pk>/agenda/carry-over/", views.CarryOverView.as_view(), name="carry_over"),
    path(
        "<int:pk>/agenda/circulate/", views.CirculateAgendaView.as_view(), name="agenda_circulate"
    ),
    path("<int:pk>/agenda/print/", views.AgendaPrintView.as_view(), name="agenda_print"),
    path("<int:pk>/agenda.pdf", views.AgendaPdfView.as_view(), name="agenda_pdf"),
    # Participants and answers
    path("<int:pk>/guests/add/", views.GuestAddView.as_view(), name="guest_add"),
    path(
        "<int:pk>/guests/<int:participant>/remove/",
        views.GuestRemoveView.as_view(),
        name="guest_remove",
    ),
    path("<int:pk>/rsvp/", views.RsvpView.as_view(), name="rsvp"),
    path("<int:pk>/rsvp/table/", views.RsvpTableView.as_view(), name="rsvp_table"),
    # Attendance
    path("<int:pk>/attendance/", views.AttendanceView.as_view(), name="attendance"),
    path(
        "<int:pk>/attendance/<int:attendance>/remove/",
        views.AttendanceRemoveView.as_view(),
        name="attendance_remove",
    ),
    # Minutes
    path("<int:pk>/minutes/", views.MinutesView.as_view(), name="minutes"),
    path("<int:pk>/minutes/draft/", views.MinutesDraftView.as_view(), name="minutes_draft"),
    path("<int:pk>/minutes/edit/", views.MinutesEditView.as_view(), name="minutes_edit"),
    path(
        "<int:pk>/minutes/circulate/",
        views.MinutesCirculateView.as_view(),
        name="minutes_circulate",
    ),
    path("<int:pk>/minutes/approve/", views.MinutesApproveView.as_view(), name="minutes_approve"),
    path("<int:pk>/minutes/comment/", views.MinutesCommentView.as_view(), name="minutes_comment"),
    path("<int:pk>/minutes.pdf", views.MinutesPdfView.as_view(), name="minutes_pdf"),
    # Documents
    path("<int:pk>/documents/upload/", views.DocumentUploadView.as_view(), name="document_upload"),
    path(
        "<int:pk>/documents/<int:document>/delete/",
        views.DocumentDeleteView.as_view(),
        name="document_delete",
    ),
    path("documents/<int:pk>/", views.DocumentDownloadView.as_view(), name="document_download"),
    # Action points
    path("<int:pk>/actions/add/", views.ActionPointAddView.as_view(), name="action_add"),
    path("actions/", views.ActionPointListView.as_view(), name="actions"),
    path("actions/<int:pk>/edit/", views.ActionPointEditView.as_view(), name="action_edit"),
    path("actions/<int:pk>/status/", views.ActionPointStatusView.as_view(), name="action_status"),
    # The meeting day: one screen for the co-chairs and the secretariat
    path("<int:pk>/day/", views_meeting_day.MeetingDayView.as_view(), name="day"),
    path(
        "<int:pk>/day/attendance/",
        views_meeting_day.MeetingDayAttendanceView.as_view(),
        name="day_attendance",
    ),
    path("<int:pk>/day/notes/", views_meeting_day.MeetingDayNotesView.as_view(), name="day_notes"),
    path(
        "<int:pk>/day/actions/",
        views_meeting_day.MeetingDayActionView.as_view(),
        name="day_actions",
    ),
    # Calendar feed
    path("calendar/", views.CalendarFeedSettingsView.as_view(), name="calendar"),
    path("calendar/renew/", views.CalendarFeedRotateView.as_view(), name="calendar_rotate"),
    path("calendar/revoke/", views.CalendarFeedRevokeView.as_view(), name="calendar_revoke"),
    path("feed/<str:token>.ics", views.calendar_feed, name="feed"),
]
