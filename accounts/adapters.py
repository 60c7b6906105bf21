import base64
import hashlib
from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

from core.mail import email_subject, enqueue_email_message
from core.models import Network

from .mfa import mfa_required


@dataclass(frozen=True)
class PortalSite:
    """What allauth's emails call the site: the network and the portal's address."""

    name: str
    domain: str


def _domain(url):
    return urlsplit(url or "").netloc


def _preferred_language(email):
    from django.contrib.auth import get_user_model

    if not isinstance(email, str) or not email:
        return ""
    return (
        get_user_model()
        .objects.filter(email__iexact=email)
        .values_list("preferred_language", flat=True)
        .first()
        or ""
    )


class AccountAdapter(DefaultAccountAdapter):
    """Accounts come from invitations or the admin: no open sign-up; mail goes through Celery."""

    def is_open_for_signup(self, request):
        return False

    def send_mail(self, template_prefix, email, context):
        network = Network.objects.get_current()
        # allauth's templates name the site from `current_site` (django.contrib.sites is not
        # installed, so it would be the request's host or blank): it is the network.
        context = {
            # The address the email goes to (allauth leaves it out of some contexts).
            "email": email if isinstance(email, str) else ", ".join(email),
            **context,
            "network": network,
            "portal_url": settings.PORTAL_URL or "",
            "current_site": PortalSite(name=network.name, domain=_domain(settings.PORTAL_URL)),
        }
        # In the recipient's language when they have one (a reset asked for from a browser in
        # another language still reaches them in theirs); else the language of the request.
        language = _preferred_language(email) or translation.get_language()
        with translation.override(language):
            message = self.render_mail(template_prefix, email, context)
        enqueue_email_message(message)

    def get_from_email(self):
        return settings.DEFAULT_FROM_EMAIL

    def format_email_subject(self, subject):
        # The portal's prefix, never allauth's "[site name]" fallback.
        return email_subject(subject)


def _fernet():
    key = settings.MFA_ENCRYPTION_KEY
    if key:
        try:
            return Fernet(key)
        except ValueError as exc:
            raise ImproperlyConfigured(
                "MFA_ENCRYPTION_KEY must be a Fernet key (Fernet.generate_key())."
            ) from exc
    # Without a key of its own, derive one from SECRET_KEY; rotating SECRET_KEY then requires
    # people to set up their authenticator again, which the README says.
    digest = hashlib.sha256(f"unnm-mfa:{settings.SECRET_KEY}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


class MFAAdapter(DefaultMFAAdapter):
    """Keeps TOTP secrets and recovery seeds encrypted at rest (allauth stores them in clear)."""

    PREFIX = "fernet:"

    def encrypt(self, text: str) -> str:
        return self.PREFIX + _fernet().encrypt(text.encode()).decode("ascii")

    def decrypt(self, encrypted_text: str) -> str:
        if not encrypted_text.startswith(self.PREFIX):
            raise ValueError("An MFA secret is stored unencrypted.")
        try:
            return _fernet().decrypt(encrypted_text.removeprefix(self.PREFIX)).decode()
        except InvalidToken as exc:
            raise ValueError("An MFA secret cannot be decrypted with the configured key.") from exc

    def get_totp_issuer(self):
        return Network.objects.get_current().name

    def can_delete_authenticator(self, authenticator):
        # People whose role requires two-factor authentication cannot switch it off.
        if authenticator.type == Authenticator.Type.TOTP and mfa_required(authenticator.user):
            return False
        return super().can_delete_authenticator(authenticator)
