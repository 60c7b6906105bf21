from django.urls import path

from . import views, views_register

app_name = "decisions"

urlpatterns = [
    path("", views.DecisionListView.as_view(), name="list"),
    path(
        "meeting-suggestions/",
        views_register.MeetingSuggestionsView.as_view(),
        name="meeting_suggestions",
    ),
    path("export.csv", views.RegisterCsvView.as_view(), name="export_csv"),
    path("export.xlsx", views.RegisterExcelView.as_view(), name="export_xlsx"),
    path("new/", views.DecisionCreateView.as_view(), name="create"),
    path("<int:pk>/", views.DecisionDetailView.as_view(), name="detail"),
    path("<int:pk>/tally/", views.TallyView.as_view(), name="tally"),
    path("<int:pk>/record/", views.RecordView.as_view(), name="record"),
    path("<int:pk>/edit/", views.DecisionEditView.as_view(), name="edit"),
    path("<int:pk>/open/", views.OpenView.as_view(), name="open"),
    path("<int:pk>/position/", views.PositionView.as_view(), name="position"),
    path(
        "<int:pk>/position/on-behalf/",
        views.PositionOnBehalfView.as_view(),
        name="position_on_behalf",
    ),
    path("<int:pk>/close/", views.CloseView.as_view(), name="close"),
    path("<int:pk>/remind/", views.RemindView.as_view(), name="remind"),
    path("<int:pk>/extend/", views.ExtendView.as_view(), name="extend"),
    path("<int:pk>/withdraw/", views.WithdrawView.as_view(), name="withdraw"),
    path("<int:pk>/revise/", views.ReviseView.as_view(), name="revise"),
    path(
        "meeting/<int:meeting>/positions/",
        views.MeetingPositionsView.as_view(),
        name="meeting_positions",
    ),
]
