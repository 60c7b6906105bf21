from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("language/", views.SetLanguageView.as_view(), name="set_language"),
]
