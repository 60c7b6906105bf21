"""Read models of the Terms of Reference pages."""

from django.utils import timezone

from core.models import Network

from . import rules
from .models import Amendment, Review, TermsVersion
from .seed import ensure_first_version


def current_version():
    """The version in force (the data migration creates the first one)."""
    versions = TermsVersion.objects.current().select_related("decision", "amended_by")
    try:
        return versions.get()
    except TermsVersion.DoesNotExist:
        ensure_first_version()
        return versions.get()


def network_today():
    return timezone.localdate(timezone.now(), Network.objects.get_current().tzinfo)


def version_history():
    """Every version, newest first, without their texts (the table shows who, when and how)."""
    return (
        TermsVersion.objects.defer("text")
        .select_related("decision", "amended_by", "amendment")
        .order_by("-number")
    )


def amendments_for(user):
    """The amendments this person may see, newest first."""
    return (
        Amendment.objects.visible_to(user)
        .defer("text")
        .select_related("decision", "created_by", "base_version")
        .order_by("-created_at", "-pk")
    )


def reviews_of(version):
    return version.reviews.select_related("recorded_by", "amendment").order_by("-due_on")


def reviewed_cycles(version):
    return set(Review.objects.filter(version=version).values_list("due_on", flat=True))


def review_status(version, today=None):
    """When the yearly review of `version` is due, whether it is awaited, and the next one."""
    today = today or network_today()
    reviewed = reviewed_cycles(version)
    return {
        "pending": rules.review_pending(version.effective_on, today, reviewed),
        "next": rules.next_review_on(version.effective_on, today),
        "cycle": rules.review_cycle(version.effective_on, today, reviewed),
        "opens_on": rules.review_opens_on(version.effective_on, today),
    }
