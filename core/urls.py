from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("language/", views.SetLanguageView.as_view(), name="set_language"),
    path("files/<uuid:uuid>/", views.FileDownloadView.as_view(), name="file_download"),
    path("jobs/<uuid:uuid>/", views.JobStatusView.as_view(), name="job_status"),
    path("jobs/<uuid:uuid>/retry/", views.JobRetryView.as_view(), name="job_retry"),
]
