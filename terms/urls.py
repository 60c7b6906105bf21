from django.urls import path

from . import views

app_name = "terms"

urlpatterns = [
    path("", views.TermsView.as_view(), name="current"),
    path("compare/", views.CompareView.as_view(), name="compare"),
    path("review/", views.ReviewRecordView.as_view(), name="review"),
    path("versions/<int:number>/", views.VersionView.as_view(), name="version"),
    path("versions/<int:number>/unct/", views.VersionUnctView.as_view(), name="version_unct"),
    path("amendments/new/", views.AmendmentCreateView.as_view(), name="amendment_create"),
    path("amendments/<int:pk>/", views.AmendmentDetailView.as_view(), name="amendment"),
    path("amendments/<int:pk>/edit/", views.AmendmentEditView.as_view(), name="amendment_edit"),
    path(
        "amendments/<int:pk>/propose/",
        views.AmendmentProposeView.as_view(),
        name="amendment_propose",
    ),
    path(
        "amendments/<int:pk>/redraft/",
        views.AmendmentRedraftView.as_view(),
        name="amendment_redraft",
    ),
    path(
        "amendments/<int:pk>/discard/",
        views.AmendmentDiscardView.as_view(),
        name="amendment_discard",
    ),
]
