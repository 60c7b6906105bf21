from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.ArchiveView.as_view(), name="list"),
    path("new/", views.ReportCreateView.as_view(), name="create"),
    path("<int:pk>/", views.ReportDetailView.as_view(), name="detail"),
    path(
        "<int:pk>/narrative/<str:language>/",
        views.NarrativeEditView.as_view(),
        name="narrative",
    ),
    path("<int:pk>/history/", views.NarrativeHistoryView.as_view(), name="history"),
    path("<int:pk>/generate/", views.GenerateView.as_view(), name="generate"),
    path("<int:pk>/finalize/", views.FinalizeView.as_view(), name="finalize"),
    path("<int:pk>/submit/", views.SubmitView.as_view(), name="submit"),
    path("<int:pk>/share/", views.ShareView.as_view(), name="share"),
    path("<int:pk>/share/<int:person_pk>/remove/", views.UnshareView.as_view(), name="unshare"),
]
