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
