from allauth.account.decorators import secure_admin_login
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from core.views import healthz

# The Django admin signs in through allauth: same rate limits, same second factor.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", include("core.urls")),
    path("healthz", healthz, name="healthz"),
    # Each portal app that serves pages says where (`url_prefix` on its AppConfig): an app taken
    # out of INSTALLED_APPS takes its URLs with it.
    *[
        path(config.url_prefix, include(f"{config.name}.urls"))
        for config in apps.get_app_configs()
        if getattr(config, "url_prefix", None)
    ],
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

if settings.BENCH:
    # `make bench` only: the bare view its pages are compared to (core/bench.py).
    from core.bench import bare_view

    urlpatterns.append(path("_bench/bare/<int:pk>/", bare_view, name="bench_bare"))
