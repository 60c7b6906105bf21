"""State changes of the Terms of Reference: each one transaction, checked, audited."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core import audit
from core.errors import DomainError
from core.mail import absolute_url
from core.models import Network
from decisions import services as decision_services
from decisions.models import Decision
from members.models import Organisation
from members.roles import represented_organisation_ids

from . import permissions, rules, selectors
from .diff import plain_changes, word_diff
from .models import Amendment, Review, TermsVersion

TEXT_MAX_LENGTH = 100_000


def _current_locked():
    selectors.current_version()  # creates version 1 in a database that has none
    return TermsVersion.objects.select_for_update().get(is_current=True)


def _locked(amendment):
    return Amendment.objects.select_for_update().get(pk=amendment.pk)


def _clean_text(text):
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise DomainError(_("The text of the Terms of Reference cannot be empty."))
    if len(text) > TEXT_MAX_LENGTH:
        raise DomainError(_("The text is too long."))
    return text + "\n"


def _check_changes(text, version):
    if text.strip() == version.text.strip():
        raise DomainError(_("The proposed text is the same as the current version."))


def amendment_create(*, title, text, by, summary=""):
    """Draft an amendment: a full new text, written against the current version."""
    if not permissions.can_draft_amendment(by):
        raise DomainError(_("You may not draft amendments of the Terms of Reference."))
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Give the amendment a title."))
    text = _clean_text(text)
    with transaction.atomic():
        current = selectors.current_version()
        _check_changes(text, current)
        amendment = Amendment(
            title=title,
            summary=(summary or "").strip(),
            text=text,
            base_version=current,
            created_by=by,
        )
        amendment.full_clean()
        amendment.save()
        audit.record(
            "terms.amendment.drafted", actor=by, obj=amendment, base_version=current.number
        )
    return amendment


def amendment_update(*, amendment, title, text, by, summary=""):
    """Change a draft; it is then written against the current version (the form showed it)."""
    if not permissions.can_draft_amendment(by):
        raise DomainError(_("You may not draft amendments of the Terms of Reference."))
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Give the amendment a title."))
    text = _clean_text(text)
    with transaction.atomic():
        amendment = _locked(amendment)
        if not amendment.is_draft:
            raise DomainError(_("Only a draft amendment can be changed."))
        current = selectors.current_version()
        _check_changes(text, current)
        changed = [
            name
            for name, value in (
                ("title", title),
                ("summary", (summary or "").strip()),
                ("text", text),
            )
            if getattr(amendment, name) != value
        ]
        rebased = amendment.base_version_id != current.pk
        if not changed and not rebased:
            return amendment
        amendment.title = title
        amendment.summary = (summary or "").strip()
        amendment.text = text
        amendment.base_version = current
        amendment.full_clean()
        amendment.save()
        audit.record(
            "terms.amendment.edited",
            actor=by,
            obj=amendment,
            fields=changed,
            base_version=current.number,
        )
    return amendment


def amendment_redraft(*, amendment, by):
    """A new draft from an amendment that was not adopted or was withdrawn, to try again."""
    if amendment.status not in (Amendment.Status.NOT_ADOPTED, Amendment.Status.WITHDRAWN):
        raise DomainError(_("Only an amendment that was not adopted can be drafted again."))
    return amendment_create(
        title=amendment.title, text=amendment.text, summary=amendment.summary, by=by
    )


def amendment_discard(*, amendment, by):
    """Set a draft aside; it stays in the list, as withdrawn."""
    if not permissions.can_draft_amendment(by):
        raise DomainError(_("You may not draft amendments of the Terms of Reference."))
    with transaction.atomic():
        amendment = _locked(amendment)
        if not amendment.is_draft:
            raise DomainError(_("Only a draft amendment can be discarded."))
        amendment.status = Amendment.Status.WITHDRAWN
        amendment.save(update_fields=["status", "updated_at"])
        audit.record("terms.amendment.discarded", actor=by, obj=amendment)
    return amendment


def _decision_text(amendment):
    # Stored text of the decision: written in the network's language, not the proposer's.
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Amendment of the Terms of Reference: %(title)s") % {"title": amendment.title}
        parts = [
            _(
                "The Network adopts the amended Terms of Reference below as version %(number)s, "
                "replacing version %(base)s. The amended text is submitted to the UNCT for "
                "review and endorsement."
            )
            % {"number": amendment.base_version.number + 1, "base": amendment.base_version.number}
        ]
        if amendment.summary:
            parts.append(_("What changes and why: %(summary)s") % {"summary": amendment.summary})
        changes = plain_changes(word_diff(amendment.base_version.text, amendment.text))
        parts.append(
            _("The changes ([-removed-] {+added+}):")
            + "\n"
            + "\n".join(f"- {line}" for line in changes)
        )
        # The full text is not repeated here (it would go into every focal point's email):
        # it is kept, unchangeable once proposed, with the amendment this decision links to.
        parts.append(
            _("The full amended text and the comparison, word by word: %(url)s")
            % {"url": absolute_url(reverse("terms:amendment", args=[amendment.pk]))}
        )
        return title[:300], "\n\n".join(parts)


def amendment_propose(*, amendment, by, procedure, deadline=None, meeting=None):
    """Put a draft to the network: a consensus decision is drafted and opened for it.

    The new text takes effect only if that decision is adopted (`amendment_settle`).
    """
    if not permissions.can_manage_terms(by):
        raise DomainError(_("Only a co-chair may put an amendment to the network."))
    with transaction.atomic():
        amendment = _locked(amendment)
        if not amendment.is_draft:
            raise DomainError(_("This amendment has already been put to the network."))
        current = _current_locked()
        if amendment.base_version_id != current.pk:
            raise DomainError(
                _(
                    "The Terms of Reference changed since this draft was written: edit the "
                    "draft against the current version first."
                )
            )
        _check_changes(amendment.text, current)
        if Amendment.objects.filter(status=Amendment.Status.PROPOSED).exists():
            raise DomainError(
                _("Another amendment is before the network: wait for its decision to close.")
            )
        title, text = _decision_text(amendment)
        organisations = sorted(represented_organisation_ids(by))
        decision = decision_services.decision_create(
            title=title,
            text=text,
            rationale=amendment.summary,
            proposing_organisation=(
                Organisation.objects.get(pk=organisations[0]) if organisations else None
            ),
            procedure=procedure,
            deadline=deadline,
            meeting=meeting,
            by=by,
        )
        decision = decision_services.decision_open(decision=decision, by=by)
        amendment.status = Amendment.Status.PROPOSED
        amendment.decision = decision
        amendment.proposed_by = by
        amendment.proposed_at = timezone.now()
        try:
            with transaction.atomic():
                amendment.save()
        except IntegrityError as error:
            # Two co-chairs proposing at once: the constraint lets one through.
            raise DomainError(
                _("Another amendment is before the network: wait for its decision to close.")
            ) from error
        audit.record(
            "terms.amendment.proposed", actor=by, obj=amendment, decision=decision.reference
        )
    return amendment


def amendment_settle(*, decision, adopted):
    """The amendment's decision closed: adopted, its text becomes the current version.

    Called inside the transaction that closes the decision (decisions.signals.decision_closed),
    so the new version and the decision's outcome commit together or not at all.
    """
    amendment = (
        Amendment.objects.select_for_update()
        .filter(decision=decision, status=Amendment.Status.PROPOSED)
        .first()
    )
    if amendment is None:
        return None
    actor = decision.closed_by
    if not adopted:
        amendment.status = (
            Amendment.Status.WITHDRAWN
            if decision.status == Decision.Status.WITHDRAWN
            else Amendment.Status.NOT_ADOPTED
        )
        amendment.save(update_fields=["status", "updated_at"])
        audit.record(
            f"terms.amendment.{amendment.status}",
            actor=actor,
            obj=amendment,
            decision=decision.reference,
        )
        return None
    current = _current_locked()
    current.is_current = False
    current.save(update_fields=["is_current", "updated_at"])
    network_tz = Network.objects.get_current().tzinfo
    version = TermsVersion.objects.create(
        number=current.number + 1,
        text=amendment.text,
        summary=amendment.title[:300],
        effective_on=timezone.localdate(decision.closed_at, network_tz),
        is_current=True,
        decision=decision,
        amendment=amendment,
        amended_by=amendment.proposed_by,
    )
    amendment.status = Amendment.Status.ADOPTED
    amendment.save(update_fields=["status", "updated_at"])
    audit.record(
        "terms.version.adopted",
        actor=actor,
        obj=version,
        number=version.number,
        replaces=current.number,
        decision=decision.reference,
        amendment=amendment.pk,
    )
    return version


def version_record_unct(*, version, submitted_on, endorsed_on=None, by):
    """Record when a version was submitted to the UNCT for review, and endorsed by it."""
    if not permissions.can_manage_terms(by):
        raise DomainError(_("Only a co-chair may record the UNCT's review."))
    today = selectors.network_today()
    if submitted_on is None:
        raise DomainError(_("Give the date the text was submitted to the UNCT."))
    if submitted_on > today or (endorsed_on and endorsed_on > today):
        raise DomainError(_("The dates cannot be in the future."))
    if endorsed_on and endorsed_on < submitted_on:
        raise DomainError(_("The UNCT endorses a text after it was submitted to it."))
    with transaction.atomic():
        version = TermsVersion.objects.select_for_update().get(pk=version.pk)
        if (version.unct_submitted_on, version.unct_endorsed_on) == (submitted_on, endorsed_on):
            return version
        previous = (version.unct_submitted_on, version.unct_endorsed_on)
        version.unct_submitted_on = submitted_on
        version.unct_endorsed_on = endorsed_on
        version.unct_recorded_by = by
        version.save(
            update_fields=[
                "unct_submitted_on",
                "unct_endorsed_on",
                "unct_recorded_by",
                "updated_at",
            ]
        )
        audit.record(
            "terms.version.unct_recorded",
            actor=by,
            obj=version,
            submitted_on=submitted_on,
            endorsed_on=endorsed_on,
            previous=list(previous),
        )
    return version


def review_record(*, outcome, by, reviewed_on=None, note="", amendment=None):
    """Record the yearly review of the current version, even one that changes nothing."""
    if not permissions.can_manage_terms(by):
        raise DomainError(_("Only a co-chair may record the review of the Terms of Reference."))
    if outcome not in Review.Outcome.values:
        raise DomainError(_("Choose the outcome of the review."))
    today = selectors.network_today()
    reviewed_on = reviewed_on or today
    if reviewed_on > today:
        raise DomainError(_("The date of the review cannot be in the future."))
    note = (note or "").strip()
    if outcome == Review.Outcome.AMENDMENT and amendment is None:
        raise DomainError(_("Choose the amendment the review proposes."))
    if outcome == Review.Outcome.NO_CHANGE:
        amendment = None
    with transaction.atomic():
        version = _current_locked()
        if reviewed_on < version.effective_on:
            raise DomainError(_("The review cannot predate the version it reviews."))
        due_on = rules.review_cycle(version.effective_on, today, selectors.reviewed_cycles(version))
        if due_on is None:
            raise DomainError(
                _(
                    "No review is due: the next review of version %(number)s is due on %(due)s "
                    "and can be recorded from %(date)s."
                )
                % {
                    "number": version.number,
                    "due": date_format(rules.next_review_on(version.effective_on, today)),
                    "date": date_format(rules.review_opens_on(version.effective_on, today)),
                }
            )
        try:
            with transaction.atomic():
                review = Review.objects.create(
                    version=version,
                    due_on=due_on,
                    reviewed_on=reviewed_on,
                    outcome=outcome,
                    note=note,
                    amendment=amendment,
                    recorded_by=by,
                )
        except IntegrityError as error:
            raise DomainError(_("This year's review is already recorded.")) from error
        audit.record(
            "terms.review.recorded",
            actor=by,
            obj=version,
            due_on=due_on,
            reviewed_on=reviewed_on,
            outcome=outcome,
            amendment=amendment.pk if amendment else None,
        )
    return review
