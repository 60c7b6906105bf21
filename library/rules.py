"""Rules of the knowledge-product library: pure functions, no ORM, no request."""

from django.conf import global_settings
from django.utils.translation import gettext

# Any language a product may be written in (Django's list, names in the reader's language).
LANGUAGE_CHOICES = tuple(global_settings.LANGUAGES)
_LANGUAGE_NAMES = dict(LANGUAGE_CHOICES)

DRAFT, IN_REVIEW, ENDORSED, PUBLISHED = "draft", "in_review", "endorsed", "published"
NETWORK, UN_NETWORKS, PUBLIC = "network", "un_networks", "public"
# Audiences a guest stakeholder reads: only what the network made public. A product shared with
# the regional and global UN Networks stays among UN entities (ToR objective 4).
GUEST_AUDIENCES = (PUBLIC,)
# Whom a product can be submitted to, by audience: the networks only beyond "network only".
SUBMITTABLE_AUDIENCES = (UN_NETWORKS, PUBLIC)


def language_choices():
    """Every language, named and sorted in the reader's language (for the form's choices)."""
    return sorted(
        ((code, gettext(name)) for code, name in LANGUAGE_CHOICES), key=lambda item: item[1]
    )


def language_name(code):
    name = _LANGUAGE_NAMES.get(code)
    return gettext(name) if name else code


def comment_period_open(*, status, comment_deadline, today):
    """Members comment on a product in review until its deadline (inclusive), as on minutes."""
    return status == IN_REVIEW and comment_deadline is not None and today <= comment_deadline


def editable(status):
    """Content (fields and files) changes while the product is drafted or reviewed."""
    return status in (DRAFT, IN_REVIEW)


def accepts_new_version(status, *, manager):
    """A new file: while drafted or reviewed; the secretariat also adds the final layout."""
    return editable(status) or (manager and status == ENDORSED)


def decision_pending(decision_status):
    """A linked decision that has not closed yet holds the product in review."""
    return decision_status in ("draft", "open")


def guest_may_read(*, status, audience):
    return status == PUBLISHED and audience in GUEST_AUDIENCES


def may_record_submission(audience):
    return audience in SUBMITTABLE_AUDIENCES
