from django.urls import path

from . import views

app_name = "library"

urlpatterns = [
    path("", views.LibraryView.as_view(), name="list"),
    path("new/", views.ProductCreateView.as_view(), name="create"),
    path("<int:pk>/", views.ProductDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ProductEditView.as_view(), name="edit"),
    path("<int:pk>/upload/", views.VersionUploadView.as_view(), name="upload"),
    path("<int:pk>/review/", views.ReviewStartView.as_view(), name="review"),
    path("<int:pk>/deadline/", views.ReviewExtendView.as_view(), name="deadline"),
    path("<int:pk>/back-to-draft/", views.ReturnToDraftView.as_view(), name="return"),
    path("<int:pk>/comment/", views.CommentView.as_view(), name="comment"),
    path("<int:pk>/endorsement/", views.EndorsementProposeView.as_view(), name="endorse"),
    path("<int:pk>/publish/", views.PublishView.as_view(), name="publish"),
    path("<int:pk>/submission/", views.SubmissionView.as_view(), name="submission"),
]
