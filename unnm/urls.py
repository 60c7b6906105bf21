from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from core.views import healthz

# The Django admin signs in through allauth: same rate limits, same second factor.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", include("core.urls")),
    path("healthz", healthz, name="healthz"),
    path("members/", include("members.urls")),
    path("meetings/", include("meetings.urls")),
    path("decisions/", include("decisions.urls")),
    path("workplan/", include("workplan.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
