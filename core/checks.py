from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def check_portal_url(app_configs, **kwargs):
    """Emails and calendar files need absolute links: production must say where the portal is."""
    url = settings.PORTAL_URL
    if not url:
        return [
            Warning(
                "PORTAL_URL is not set: links in emails and calendar files would be relative.",
                hint="Set PORTAL_URL to the portal's public address, e.g. https://portal.example.org",
                id="core.W001",
            )
        ]
    if not settings.DEBUG and not url.startswith("https://"):
        return [
            Warning(
                "PORTAL_URL does not start with https:// while DEBUG is off.",
                id="core.W002",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_bench_off(app_configs, **kwargs):
    """BENCH is for `make bench` only: it routes a view anyone may call and a query-count header."""
    if settings.BENCH:
        return [
            Warning(
                "BENCH is on: the benchmark's bare view and its query-count header are served.",
                hint="Unset BENCH: it is for `make bench` only (core/bench.py).",
                id="core.W003",
            )
        ]
    return []
