"""State changes of the referrals module: each one transaction, checked, audited and logged.

No personal data leaves this module: audit entries, emails, task arguments and log lines carry
the referral's random reference and ids only (Referral.__str__ is the reference).
"""

import logging

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit
from core.errors import DomainError
from core.mail import absolute_url, enqueue_email_message
from core.uploads import check_upload
from members.models import Appointment
from members.roles import Role, forget_roles

from . import permissions, rules
from .attachments import attachments_destroy
from .crypto import person_hash
from .exports import EXPORT_KIND, exports_destroy
from .models import (
    PERSONAL_FIELDS,
    AccessLogEntry,
    Consent,
    DataCategory,
    Referral,
    ReferralCorrection,
    ReferralMessage,
    ReferralOfficerAppointment,
    ServiceKind,
    ServiceOffer,
)
from .querysets import forget_officer_organisations, officer_organisation_ids

logger = logging.getLogger(__name__)

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read over the phone


def new_reference():
    """A random reference (about 60 bits): guessing one gives nothing, and it says nothing."""
    return "R-" + get_random_string(12, REFERENCE_ALPHABET)


def log_access(referral, *, user, action, ip=None):
    """Append one row to the referral's access log (reads and changes alike)."""
    return AccessLogEntry.objects.create(
        referral=referral,
        user=user if user is not None and user.is_authenticated else None,
        action=action,
        ip_address=ip or None,
    )


# --- Referral officers -------------------------------------------------------------------------


def officer_appoint(*, organisation, person, start_date=None, end_date=None, by):
    """Appoint a person to handle an organisation's referrals (the RCO, or its focal point)."""
    if not permissions.can_appoint_officers(by, organisation):
        raise DomainError(_("Only the RCO or the agency's focal point appoints referral officers."))
    start_date = start_date or timezone.localdate()
    if end_date is not None and end_date < start_date:
        raise DomainError(_("An appointment ends on or after its start."))
    if person.organisation_id != organisation.pk:
        raise DomainError(_("A referral officer must belong to the organisation."))
    with transaction.atomic():
        appointment = ReferralOfficerAppointment.objects.create(
            organisation=organisation,
            person=person,
            start_date=start_date,
            end_date=end_date,
            appointed_by=by,
        )
        # The network-level role: the navigation link and mandatory two-factor sign-in
        # (MFA_REQUIRED_FOR_ROLES). Access to referrals itself comes from the appointment alone.
        group, _created = Group.objects.get_or_create(name=Role.REFERRAL_OFFICER.value)
        person.groups.add(group)
        audit.record("referrals.officer.appointed", actor=by, obj=appointment)
    forget_roles(person)
    forget_officer_organisations(person)
    return appointment


def officer_end(*, appointment, end_date=None, by):
    if not permissions.can_appoint_officers(by, appointment.organisation):
        raise DomainError(_("Only the RCO or the agency's focal point ends referral officers."))
    end_date = end_date or timezone.localdate()
    if end_date < appointment.start_date:
        raise DomainError(_("An appointment ends on or after its start."))
    with transaction.atomic():
        appointment.end_date = end_date
        appointment.save(update_fields=["end_date", "updated_at"])
        audit.record("referrals.officer.ended", actor=by, obj=appointment)
    forget_officer_organisations(appointment.person)
    return appointment


# --- Service directory -------------------------------------------------------------------------


def service_save(*, organisation, kind, by, offer=None, **fields):
    """Add or change an organisation's entry in the service directory."""
    if not permissions.can_edit_services(by, organisation):
        raise DomainError(_("You may edit only your own organisation's services."))
    if kind not in ServiceKind.values:
        raise DomainError(_("Choose a service from the list."))
    duplicate = ServiceOffer.objects.filter(organisation=organisation, kind=kind)
    if offer is not None:
        duplicate = duplicate.exclude(pk=offer.pk)
    if duplicate.exists():
        raise DomainError(_("This organisation already lists this service."))
    with transaction.atomic():
        offer = offer or ServiceOffer(organisation=organisation)
        offer.organisation = organisation
        offer.kind = kind
        for name, value in fields.items():
            setattr(offer, name, value)
        offer.updated_by = by
        offer.save()
        audit.record("referrals.service.saved", actor=by, obj=offer)
    return offer


# --- Referrals ---------------------------------------------------------------------------------


def _lock(referral):
    return Referral.objects.select_for_update().get(pk=referral.pk)


def duplicate_exists(*, organisation, full_name, year_of_birth, exclude=None):
    """Whether this organisation already referred a person with this name and year of birth."""
    digest = person_hash(full_name, year_of_birth)
    if not digest:
        return False
    found = Referral.objects.filter(from_organisation=organisation, person_hash=digest)
    if exclude is not None:
        found = found.exclude(pk=exclude.pk)
    return found.exists()


def referral_create(
    *, from_organisation, to_organisation, urgency, services, by, ip=None, **person
):
    """A draft referral with the person's minimum data; sent once consent is recorded."""
    if from_organisation.pk not in officer_organisation_ids(by):
        raise DomainError(_("You are not a referral officer of this organisation."))
    if to_organisation.pk == from_organisation.pk:
        raise DomainError(_("Refer the case to another organisation."))
    if urgency not in Referral.Urgency.values:
        raise DomainError(_("Choose an urgency."))
    services = list(dict.fromkeys(services))
    if not services or any(kind not in ServiceKind.values for kind in services):
        raise DomainError(_("Choose the services requested."))
    offered = set(
        ServiceOffer.objects.filter(organisation=to_organisation).values_list("kind", flat=True)
    )
    if not set(services) <= offered:
        raise DomainError(_("The receiving organisation does not offer every service requested."))
    unknown = set(person) - set(PERSONAL_FIELDS)
    if unknown:
        raise ValueError(f"Unknown personal fields: {sorted(unknown)}")
    if not (person.get("full_name") or "").strip():
        raise DomainError(_("Give the person's name or an alias."))
    with transaction.atomic():
        referral = Referral.objects.create(
            reference=new_reference(),
            from_organisation=from_organisation,
            to_organisation=to_organisation,
            urgency=urgency,
            services=services,
            created_by=by,
            person_hash=person_hash(person.get("full_name", ""), person.get("year_of_birth", "")),
            **person,
        )
        audit.record("referrals.referral.created", actor=by, obj=referral)
        log_access(referral, user=by, action="create", ip=ip)
    logger.info("Referral %s created", referral.reference)
    return referral


def consent_record(
    *,
    referral,
    purpose,
    categories,
    obtained_on,
    method,
    language,
    expires_on=None,
    by,
    ip=None,
):
    """Record the person's informed consent to a draft referral (one per referral)."""
    with transaction.atomic():
        referral = _lock(referral)
        if permissions.side_of(by, referral) != rules.SENDER:
            raise DomainError(_("Only the referring organisation records consent."))
        if referral.status != Referral.Status.DRAFT:
            raise DomainError(_("Consent is recorded before the referral is sent."))
        if Consent.objects.filter(referral=referral).exists():
            raise DomainError(_("This referral already has its consent record."))
        categories = [c for c in dict.fromkeys(categories) if c in DataCategory.values]
        if not categories:
            raise DomainError(_("Choose the data the person agreed to share."))
        if method not in Consent.Method.values:
            raise DomainError(_("Say how consent was given."))
        if not (purpose or "").strip() or not (language or "").strip():
            raise DomainError(_("Give the purpose and the language of the consent."))
        if obtained_on > timezone.localdate():
            raise DomainError(_("Consent cannot be obtained in the future."))
        if expires_on is not None and expires_on < obtained_on:
            raise DomainError(_("Consent expires after it was obtained."))
        consent = Consent.objects.create(
            referral=referral,
            receiving_organisation=referral.to_organisation,
            purpose=purpose,
            categories=categories,
            obtained_by=by,
            obtained_on=obtained_on,
            method=method,
            language=language,
            expires_on=expires_on,
        )
        audit.record("referrals.consent.recorded", actor=by, obj=referral)
        log_access(referral, user=by, action="consent.record", ip=ip)
    return consent


def _officer_emails(organisation):
    """The referral officers of an organisation: (email, preferred language) pairs."""
    return list(
        ReferralOfficerAppointment.objects.active()
        .filter(organisation=organisation, person__is_active=True)
        .values_list("person__email", "person__preferred_language")
        .distinct()
    )


def _notify(referral, recipients, subject, body, *, link=None):
    """An email naming the reference only: never the person, never the case.

    `recipients` are (email, language) pairs; `subject` and `body` are functions called in each
    recipient's language, so every officer reads the email in their own.
    """
    by_language = {}
    for email, language in recipients:
        if email:
            by_language.setdefault(language or settings.LANGUAGE_CODE, set()).add(email)
    link = link or absolute_url(referral.get_absolute_url())
    for language, emails in sorted(by_language.items()):
        with translation.override(language):
            message = EmailMessage(
                subject=str(subject()), body=f"{body()}\n\n{link}\n", to=sorted(emails)
            )
        enqueue_email_message(message)


# Whole sentences, one per action: a verb put into a sentence stays untranslated, and Arabic
# words the sentence around it differently.
TRANSITION_REFUSED = {
    "send": gettext_lazy("This referral cannot be sent now."),
    "acknowledge": gettext_lazy("This referral cannot be acknowledged now."),
    "accept": gettext_lazy("This referral cannot be accepted now."),
    "decline": gettext_lazy("This referral cannot be declined now."),
    "close": gettext_lazy("This referral cannot be closed now."),
    "withdraw": gettext_lazy("This referral cannot be withdrawn now."),
}


def referral_transition(*, referral, action, by, reason="", ip=None, now=None):
    """Move a referral along its workflow (rules.TRANSITIONS): right side, right state only."""
    if action not in rules.TRANSITIONS:
        raise DomainError(_("Unknown action."))
    now = now or timezone.now()
    with transaction.atomic():
        referral = _lock(referral)
        side = permissions.side_of(by, referral)
        if side is None:
            raise DomainError(_("You are not a referral officer of either side."))
        if not rules.may_transition(action, side=side, status=referral.status):
            raise DomainError(TRANSITION_REFUSED[action])
        reason = (reason or "").strip()
        fields = ["status"]
        if action == "send":
            consent = Consent.objects.filter(referral=referral).first()
            if consent is None or not consent.is_valid():
                raise DomainError(_("Record the person's valid consent before sending."))
            if consent.receiving_organisation_id != referral.to_organisation_id:
                raise DomainError(_("The consent names another receiving organisation."))
            referral.sent_at = now
            referral.acknowledge_due_at = rules.acknowledge_due(
                now, referral.urgency, settings.REFERRALS_ACKNOWLEDGE_HOURS
            )
            fields += ["sent_at", "acknowledge_due_at"]
        elif action == "acknowledge":
            referral.acknowledged_at = now
            fields.append("acknowledged_at")
        elif action == "accept":
            referral.accepted_at = now
            fields.append("accepted_at")
        elif action == "decline":
            if not reason:
                raise DomainError(_("Give the reason for declining."))
            referral.declined_at, referral.decline_reason = now, reason
            fields += ["declined_at", "decline_reason"]
        elif action == "close":
            if not reason:
                raise DomainError(
                    _("Give the outcome: the services provided, or why they were not.")
                )
            referral.closed_at, referral.outcome = now, reason
            fields += ["closed_at", "outcome"]
        elif action == "withdraw":
            referral.withdrawn_at = now
            fields.append("withdrawn_at")
        referral.status = rules.TRANSITIONS[action].target
        if referral.status in rules.ENDED_STATES:
            referral.ended_at = now
            fields.append("ended_at")
        referral.save(update_fields=fields)
        audit.record(f"referrals.referral.{action}", actor=by, obj=referral)
        log_access(referral, user=by, action=action, ip=ip)
        other = referral.to_organisation if side == rules.SENDER else referral.from_organisation
        _notify(
            referral,
            _officer_emails(other),
            lambda: (
                _("Referral %(reference)s: %(status)s")
                % {"reference": referral.reference, "status": referral.get_status_display()}
            ),
            lambda: (
                _("Referral %(reference)s is now %(status)s. Open the portal to see it.")
                % {"reference": referral.reference, "status": referral.get_status_display()}
            ),
        )
    logger.info("Referral %s: %s", referral.reference, action)
    return referral


def consent_withdraw(*, referral, by, ip=None, now=None):
    """The person withdrew consent: the receiving side loses the personal fields at once."""
    now = now or timezone.now()
    with transaction.atomic():
        referral = _lock(referral)
        if permissions.side_of(by, referral) is None:
            raise DomainError(_("You are not a referral officer of either side."))
        consent = Consent.objects.select_for_update().filter(referral=referral).first()
        if consent is None or consent.withdrawn_at is not None:
            raise DomainError(_("There is no consent to withdraw."))
        consent.withdrawn_at, consent.withdrawn_by = now, by
        consent.save(update_fields=["withdrawn_at", "withdrawn_by", "updated_at"])
        audit.record("referrals.consent.withdrawn", actor=by, obj=referral)
        log_access(referral, user=by, action="consent.withdraw", ip=ip)
        if referral.status != Referral.Status.DRAFT:
            _notify(
                referral,
                _officer_emails(referral.to_organisation)
                + _officer_emails(referral.from_organisation),
                lambda: (
                    _("Referral %(reference)s: consent withdrawn")
                    % {"reference": referral.reference}
                ),
                lambda: (
                    _(
                        "The person withdrew consent for referral %(reference)s: its personal data "
                        "is no longer available to the receiving organisation."
                    )
                    % {"reference": referral.reference}
                ),
            )
    return consent


def message_post(*, referral, body, by, ip=None, upload=None):
    """A message to the other side, optionally with one attachment (checked before anything)."""
    from .attachments import attachment_add

    body = (body or "").strip()
    if not body:
        raise DomainError(_("Write a message."))
    if upload is not None:
        problem = check_upload(upload)
        if problem:
            raise DomainError(problem)
    with transaction.atomic():
        referral = _lock(referral)
        side = permissions.side_of(by, referral)
        if side is None:
            raise DomainError(_("You are not a referral officer of either side."))
        if referral.is_erased:
            raise DomainError(_("This referral's data was erased."))
        organisation = (
            referral.from_organisation if side == rules.SENDER else referral.to_organisation
        )
        message = ReferralMessage.objects.create(
            referral=referral, organisation=organisation, author=by, body=body
        )
        if upload is not None:
            attachment_add(referral=referral, upload=upload, by=by, message=message, ip=ip)
        audit.record("referrals.message.posted", actor=by, obj=referral)
        log_access(referral, user=by, action="message.post", ip=ip)
        if referral.status != Referral.Status.DRAFT:
            other = referral.to_organisation if side == rules.SENDER else referral.from_organisation
            _notify(
                referral,
                _officer_emails(other),
                lambda: (
                    _("Referral %(reference)s: new message") % {"reference": referral.reference}
                ),
                lambda: (
                    _("There is a new message on referral %(reference)s.")
                    % {"reference": referral.reference}
                ),
            )
    return message


def referral_correct(*, referral, changes, by, ip=None):
    """Correct personal fields at the person's request; the previous values are kept (encrypted)."""
    with transaction.atomic():
        referral = _lock(referral)
        allowed = set(permissions.visible_fields(by, referral))
        if not allowed:
            raise DomainError(_("You may not correct this referral's data."))
        if set(changes) - allowed:
            raise DomainError(_("You may correct only the data you can see."))
        changed = []
        for name, value in changes.items():
            value = (value or "").strip()
            previous = getattr(referral, name)
            if value == previous:
                continue
            if name == "full_name" and not value:
                raise DomainError(_("Give the person's name or an alias."))
            ReferralCorrection.objects.create(
                referral=referral, field=name, previous_value=previous, corrected_by=by
            )
            setattr(referral, name, value)
            changed.append(name)
        if not changed:
            return referral
        referral.person_hash = person_hash(referral.full_name, referral.year_of_birth)
        referral.save(update_fields=[*changed, "person_hash"])
        audit.record("referrals.referral.corrected", actor=by, obj=referral, fields=changed)
        log_access(referral, user=by, action="correct", ip=ip)
    return referral


def export_request(*, referral, by, ip=None):
    """Queue the PDF of everything held about the person (the job carries the referral's id)."""
    from core.jobs import job_enqueue

    with transaction.atomic():
        referral = _lock(referral)
        if not permissions.can_edit_person(by, referral):
            raise DomainError(_("You may not export this referral's data."))
        job = job_enqueue(kind=EXPORT_KIND, by=by, obj=referral)
        audit.record("referrals.referral.export_requested", actor=by, obj=referral)
        log_access(referral, user=by, action="export.request", ip=ip)
    logger.info("Referral %s: export requested", referral.reference)
    return job


def _erase(referral, *, by, action, ip=None, now=None):
    now = now or timezone.now()
    for name in PERSONAL_FIELDS:
        setattr(referral, name, "")
    referral.decline_reason = referral.outcome = referral.person_hash = ""
    referral.erased_at = now
    referral.save(
        update_fields=[*PERSONAL_FIELDS, "decline_reason", "outcome", "person_hash", "erased_at"]
    )
    # Free text may identify the person too: the history, the thread and the consent's purpose.
    referral.corrections.all().delete()
    referral.messages.update(body="")
    Consent.objects.filter(referral=referral).update(purpose="")
    attachments_destroy(referral)
    exports_destroy(referral)
    audit.record(f"referrals.referral.{action}", actor=by, obj=referral)
    log_access(referral, user=by, action=action, ip=ip)


def referral_erase(*, referral, by, ip=None):
    """Erase the person's identifying data on request; the statistics (dates, states) remain."""
    with transaction.atomic():
        referral = _lock(referral)
        if not permissions.can_edit_person(by, referral):
            raise DomainError(_("You may not erase this referral's data."))
        _erase(referral, by=by, action="erased", ip=ip)
    logger.info("Referral %s: personal data erased on request", referral.reference)
    return referral


def referrals_erase_expired(*, now=None):
    """Retention: erase identifying data of referrals ended long enough ago. Idempotent."""
    now = now or timezone.now()
    cutoff = rules.retention_cutoff(now, settings.REFERRALS_RETENTION_MONTHS)
    erased = 0
    ids = list(
        Referral.objects.filter(erased_at__isnull=True, ended_at__lt=cutoff).values_list(
            "pk", flat=True
        )
    )
    for pk in ids:
        with transaction.atomic():
            referral = (
                Referral.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, erased_at__isnull=True, ended_at__lt=cutoff)
                .first()
            )
            if referral is None:
                continue
            _erase(referral, by=None, action="retention_erased", now=now)
            erased += 1
            logger.info("Referral %s: personal data erased after retention", referral.reference)
    return erased


def referrals_escalate_overdue(*, now=None):
    """Email the receiving agency's focal point about each referral not acknowledged in time.

    Once per referral: `escalated_at` is set in the same transaction as the email is enqueued.
    """
    now = now or timezone.now()
    escalated = 0
    ids = list(
        Referral.objects.filter(
            status=Referral.Status.SENT, escalated_at__isnull=True, acknowledge_due_at__lt=now
        ).values_list("pk", flat=True)
    )
    for pk in ids:
        with transaction.atomic():
            referral = (
                Referral.objects.select_for_update(skip_locked=True)
                .select_related("to_organisation")
                .filter(pk=pk, status=Referral.Status.SENT, escalated_at__isnull=True)
                .first()
            )
            if referral is None:
                continue
            referral.escalated_at = now
            referral.save(update_fields=["escalated_at"])
            focal_points = list(
                Appointment.objects.active()
                .focal_points()
                .filter(organisation=referral.to_organisation_id, person__is_active=True)
                .values_list("person__email", "person__preferred_language")
            )
            _notify(
                referral,
                focal_points,
                lambda referral=referral: (
                    _("Overdue referral %(reference)s") % {"reference": referral.reference}
                ),
                lambda referral=referral: (
                    _(
                        "Referral %(reference)s sent to %(organisation)s has not been acknowledged "
                        "in time. Please make sure a referral officer acknowledges it."
                    )
                    % {"reference": referral.reference, "organisation": referral.to_organisation}
                ),
                # The focal point cannot open the referral itself: the link goes to the portal.
                link=absolute_url("/"),
            )
            audit.record("referrals.referral.escalated", actor=None, obj=referral)
            escalated += 1
            logger.info("Referral %s escalated", referral.reference)
    return escalated
