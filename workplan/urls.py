from django.urls import path

from . import views

app_name = "workplan"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("new/", views.WorkplanCreateView.as_view(), name="create"),
    path("reference/", views.ReferenceView.as_view(), name="reference"),
    path("<int:year>/", views.WorkplanDetailView.as_view(), name="detail"),
    path("<int:year>/edit/", views.WorkplanEditView.as_view(), name="edit"),
    path("<int:year>/endorse/", views.WorkplanEndorseView.as_view(), name="endorse"),
    path("<int:year>/share/", views.WorkplanShareView.as_view(), name="share"),
    path("<int:year>/copy-forward/", views.WorkplanCopyForwardView.as_view(), name="copy_forward"),
    path(
        "<int:year>/deliverables/new/",
        views.DeliverableCreateView.as_view(),
        name="deliverable_create",
    ),
    path("<int:year>/agencies/", views.AgenciesView.as_view(), name="agencies"),
    path("<int:year>/agencies/<int:organisation>/", views.AgencyView.as_view(), name="agency"),
    path("<int:year>/timeline/", views.TimelineView.as_view(), name="timeline"),
    path("<int:year>/summary/", views.SummaryView.as_view(), name="summary"),
    path("<int:year>/gcm-coverage/", views.GCMCoverageView.as_view(), name="gcm_coverage"),
    path("<int:year>/export.xlsx", views.ExcelExportView.as_view(), name="export_xlsx"),
    path("<int:year>/export.pdf", views.PDFExportView.as_view(), name="export_pdf"),
    path("deliverables/<int:pk>/", views.DeliverableDetailView.as_view(), name="deliverable"),
    path(
        "deliverables/<int:pk>/edit/",
        views.DeliverableEditView.as_view(),
        name="deliverable_edit",
    ),
    path(
        "deliverables/<int:pk>/progress/",
        views.ProgressUpdateView.as_view(),
        name="progress_update",
    ),
    path("deliverables/<int:pk>/funding/", views.FundingAddView.as_view(), name="funding_add"),
    path("funding/<int:pk>/remove/", views.FundingRemoveView.as_view(), name="funding_remove"),
]
