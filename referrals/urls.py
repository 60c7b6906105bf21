from django.urls import path

from . import views

app_name = "referrals"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("new/", views.ReferralCreateView.as_view(), name="create"),
    path("services/", views.ServicesView.as_view(), name="services"),
    path("services/new/", views.ServiceFormView.as_view(), name="service_create"),
    path("services/<int:pk>/edit/", views.ServiceFormView.as_view(), name="service_edit"),
    path("officers/", views.OfficersView.as_view(), name="officers"),
    path("officers/<int:pk>/end/", views.OfficerEndView.as_view(), name="officer_end"),
    path("statistics/", views.StatisticsView.as_view(), name="statistics"),
    path("<str:reference>/", views.ReferralDetailView.as_view(), name="detail"),
    path("<str:reference>/consent/", views.ConsentView.as_view(), name="consent"),
    path(
        "<str:reference>/consent/withdraw/",
        views.ConsentWithdrawView.as_view(),
        name="consent_withdraw",
    ),
    path("<str:reference>/messages/", views.MessagesView.as_view(), name="messages"),
    path("<str:reference>/files/", views.AttachmentUploadView.as_view(), name="attachment_add"),
    path(
        "<str:reference>/files/<uuid:uuid>/",
        views.AttachmentDownloadView.as_view(),
        name="attachment",
    ),
    path("<str:reference>/export/", views.ExportView.as_view(), name="export"),
    path(
        "<str:reference>/export/<uuid:uuid>/",
        views.ExportDownloadView.as_view(),
        name="export_download",
    ),
    path("<str:reference>/correct/", views.CorrectView.as_view(), name="correct"),
    path("<str:reference>/erase/", views.EraseView.as_view(), name="erase"),
    path("<str:reference>/log/", views.AccessLogView.as_view(), name="access_log"),
    path("<str:reference>/<slug:action>/", views.TransitionView.as_view(), name="transition"),
]
