"""Every change to organisations, memberships, appointments and invitations goes through here."""

import hashlib
import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core import audit, registry
from core.errors import DomainError
from core.mail import email_subject, enqueue_email_message
from core.models import Network

from .models import Appointment, Invitation, Membership, Organisation
from .permissions import can_invite_as
from .roles import Role, forget_roles

ORGANISATION_FIELDS = ("acronym", "name", "kind", "is_resident", "website", "email", "phone")
PROFILE_FIELDS = ("full_name", "job_title", "phone", "preferred_language")


# --- Organisations and memberships ------------------------------------------------------------


def _check_acronym_free(acronym, exclude_pk=None):
    clash = Organisation.objects.filter(acronym__iexact=acronym)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise DomainError(
            _("An organisation with the acronym %(acronym)s already exists.")
            % {"acronym": acronym},
            code="acronym_taken",
        )


@transaction.atomic
def organisation_create(*, by, roles=(), joined_on=None, **fields):
    """Add an organisation, with the network roles it holds from `joined_on`."""
    unknown = set(fields) - set(ORGANISATION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown organisation fields: {sorted(unknown)}")
    _check_acronym_free(fields.get("acronym", ""))
    organisation = Organisation(**fields)
    organisation.full_clean()
    organisation.save()
    audit.record(
        "members.organisation.created",
        actor=by,
        obj=organisation,
        **{name: fields.get(name) for name in ORGANISATION_FIELDS if name in fields},
    )
    if roles:
        membership_change(organisation=organisation, roles=roles, on=joined_on, note="", by=by)
    return organisation


@transaction.atomic
def organisation_update(*, organisation, by, **fields):
    """Change an organisation's details; the audit entry keeps what each field was before."""
    unknown = set(fields) - set(ORGANISATION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown organisation fields: {sorted(unknown)}")
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if "acronym" in fields:
        _check_acronym_free(fields["acronym"], exclude_pk=organisation.pk)
    changes = {}
    for name, value in fields.items():
        before = getattr(organisation, name)
        if before != value:
            changes[name] = {"from": before, "to": value}
            setattr(organisation, name, value)
    if not changes:
        return organisation
    organisation.full_clean()
    organisation.save()
    audit.record("members.organisation.updated", actor=by, obj=organisation, changes=changes)
    return organisation


@transaction.atomic
def membership_change(*, organisation, roles, on=None, note="", by):
    """Make `roles` the organisation's network roles from `on`: others end, new ones start.

    Nothing is overwritten: an ended role keeps its row with the day it was left, and taking a role
    up again starts a new row, so the history of the network's composition stays readable.
    """
    on = on or timezone.localdate()
    roles = {Membership.Role(role) for role in roles}
    if (
        Membership.Role.MEMBER in roles
        and not Organisation.objects.filter(
            pk=organisation.pk, kind=Organisation.Kind.UN_AGENCY
        ).exists()
    ):
        raise DomainError(
            _("Only UN agencies can be voting member agencies."), code="member_not_un_agency"
        )
    if on > timezone.localdate():
        raise DomainError(_("A membership change cannot be dated in the future."), code="future")
    # Lock the organisation so two administrators changing it at once are serialised.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    active = {m.role: m for m in Membership.objects.active().filter(organisation=organisation)}
    ended, started = [], []
    for role, membership in active.items():
        if role not in roles:
            if on < membership.joined_on:
                raise DomainError(
                    _("%(role)s started on %(date)s; it cannot end before that.")
                    % {
                        "role": membership.get_role_display(),
                        "date": date_format(membership.joined_on, "j F Y"),
                    },
                    code="left_before_joined",
                )
            membership.left_on = on
            membership.save(update_fields=["left_on", "updated_at"])
            ended.append(role)
    for role in roles - set(active):
        Membership.objects.create(organisation=organisation, role=role, joined_on=on, note=note)
        started.append(role)
    _appointments_follow_membership(organisation, set(active), roles, on, by)
    if ended or started:
        audit.record(
            "members.membership.changed",
            actor=by,
            obj=organisation,
            on=on,
            started=sorted(started),
            ended=sorted(ended),
            note=note,
        )
    return started, ended


# Focal points and alternates sit for an agency that holds one of these roles.
SEATED_MEMBERSHIPS = frozenset({Membership.Role.MEMBER, Membership.Role.CO_CHAIR})


def _appointments_follow_membership(organisation, before, after, on, by):
    """An agency that leaves the network loses its seats; one that joins brings its appointees."""
    was_seated, is_seated = bool(before & SEATED_MEMBERSHIPS), bool(after & SEATED_MEMBERSHIPS)
    appointments = (
        Appointment.objects.active()
        .select_for_update()
        .select_related("person", "organisation")
        .filter(organisation=organisation)
    )
    if was_seated and not is_seated:
        ended = []
        for appointment in appointments:
            # Dated the day the membership ended, so the directory and history say when.
            _end(appointment, on, by, reason="membership_ended", notify=False)
            ended.append(appointment.person_id)
        _appointments_changed(organisation.pk, ended=ended)
    elif is_seated and not was_seated:
        _appointments_changed(
            organisation.pk, started=[appointment.person_id for appointment in appointments]
        )


# --- Appointments -----------------------------------------------------------------------------


def _check_appointable(organisation, person):
    if not organisation.is_un_agency:
        raise DomainError(
            _("Focal points and alternates are appointed for UN agencies only."),
            code="not_un_agency",
        )
    if person.organisation_id not in (None, organisation.pk):
        raise DomainError(
            _("%(person)s belongs to %(other)s, not to %(organisation)s.")
            % {
                "person": person,
                "other": person.organisation,
                "organisation": organisation,
            },
            code="other_organisation",
        )


def _end(appointment, on, by, reason, notify=True):
    # An appointment cannot end before it started; one replaced on its first day ends that day.
    appointment.end_date = max(on, appointment.start_date)
    appointment.save(update_fields=["end_date", "updated_at"])
    audit.record(
        "members.appointment.ended",
        actor=by,
        obj=appointment,
        organisation=appointment.organisation.acronym,
        person=appointment.person.email,
        kind=appointment.kind,
        end_date=appointment.end_date,
        reason=reason,
    )
    forget_roles(appointment.person)
    if notify:
        _appointments_changed(appointment.organisation_id, ended=[appointment.person_id])


def _appointments_changed(organisation_id, *, started=(), ended=()):
    # Called inside the transaction that changed the appointment, not on commit: what depends on
    # an appointment (who is invited to the scheduled meetings) then commits or rolls back with
    # it, so the two can never disagree, even if a worker dies between them. The hooks enqueue
    # their emails with transaction.on_commit, so nobody is emailed about a change that failed.
    registry.appointments_changed(organisation_id, started=started, ended=ended)


def _appoint(*, organisation, person, kind, level, start_date, by, replace):
    kind = Appointment.Kind(kind)
    start_date = start_date or timezone.localdate()
    # An appointment is active from the moment it is recorded: a future start would make the
    # person hold the seat now while the history says otherwise.
    if start_date > timezone.localdate():
        raise DomainError(
            _("An appointment cannot start in the future: record it on the day it starts."),
            code="start_in_future",
        )
    _check_appointable(organisation, person)
    # The lock on the agency serialises appointments to it; the database constraint is the
    # backstop if anything writes around this function.
    Organisation.objects.select_for_update().get(pk=organisation.pk)
    current = (
        Appointment.objects.active()
        .select_related("person", "organisation")
        .filter(organisation=organisation, kind=kind)
        .first()
    )
    if current is not None and current.person_id == person.pk:
        raise DomainError(
            _("%(person)s is already the %(kind)s of %(organisation)s.")
            % {"person": person, "kind": kind.label.lower(), "organisation": organisation},
            code="already_appointed",
        )
    if current is not None and not replace:
        raise DomainError(
            _(
                "%(organisation)s already has a %(kind)s (%(person)s). End that appointment "
                "first, or choose to replace it."
            )
            % {"organisation": organisation, "kind": kind.label.lower(), "person": current.person},
            code="kind_taken",
        )
    if current is not None and start_date < current.start_date:
        raise DomainError(
            _("%(person)s holds this seat since %(date)s; the replacement cannot start earlier.")
            % {"person": current.person, "date": date_format(current.start_date, "j F Y")},
            code="start_before_current",
        )
    ended = []
    if current is not None:
        _end(current, start_date, by, reason="replaced", notify=False)
        ended.append(current.person_id)
    # A person holds one seat per agency: an alternate who becomes focal point leaves that seat.
    other_seat = (
        Appointment.objects.active()
        .select_related("person", "organisation")
        .filter(organisation=organisation, person=person)
        .first()
    )
    if other_seat is not None:
        _end(other_seat, start_date, by, reason="changed_seat", notify=False)
        ended.append(other_seat.person_id)
    try:
        with transaction.atomic():
            appointment = Appointment.objects.create(
                organisation=organisation,
                person=person,
                kind=kind,
                level=level or Appointment.Level.FOCAL_POINT,
                start_date=start_date,
            )
    except IntegrityError as exc:
        raise DomainError(
            _("%(organisation)s already has an active %(kind)s.")
            % {"organisation": organisation, "kind": kind.label.lower()},
            code="kind_taken",
        ) from exc
    if person.organisation_id is None:
        person.organisation = organisation
        person.save(update_fields=["organisation"])
    audit.record(
        "members.appointment.created",
        actor=by,
        obj=appointment,
        organisation=organisation.acronym,
        person=person.email,
        kind=kind,
        level=appointment.level,
        start_date=start_date,
        replaced=current.person.email if current else None,
    )
    forget_roles(person)
    # One notice for the whole change: an alternate who becomes focal point stays invited.
    _appointments_changed(organisation.pk, started=[person.pk], ended=ended)
    return appointment


@transaction.atomic
def appointment_create(*, organisation, person, kind, level, start_date=None, by):
    """Appoint a focal point or alternate to a seat that is free; a taken seat is refused."""
    return _appoint(
        organisation=organisation,
        person=person,
        kind=kind,
        level=level,
        start_date=start_date,
        by=by,
        replace=False,
    )


@transaction.atomic
def appointment_replace(*, organisation, person, kind, level, start_date=None, by):
    """Appoint a focal point or alternate, ending whoever holds the seat in the same transaction."""
    return _appoint(
        organisation=organisation,
        person=person,
        kind=kind,
        level=level,
        start_date=start_date,
        by=by,
        replace=True,
    )


@transaction.atomic
def appointment_end(*, appointment, end_date=None, by):
    """End an active appointment; the seat is then free."""
    appointment = (
        Appointment.objects.select_for_update()
        .select_related("person", "organisation")
        .get(pk=appointment.pk)
    )
    if not appointment.is_active:
        raise DomainError(_("This appointment has already ended."), code="already_ended")
    end_date = end_date or timezone.localdate()
    if end_date < appointment.start_date:
        raise DomainError(
            _("An appointment cannot end before it started (%(date)s).")
            % {"date": date_format(appointment.start_date, "j F Y")},
            code="end_before_start",
        )
    # Ending takes effect at once (the seat is free now), so the date cannot lie ahead.
    if end_date > timezone.localdate():
        raise DomainError(
            _("An appointment cannot end in the future: end it on the day it ends."),
            code="end_in_future",
        )
    _end(appointment, end_date, by, reason="ended")
    return appointment


# --- Profiles ---------------------------------------------------------------------------------


@transaction.atomic
def profile_update(*, user, by, **fields):
    """A person changes their own name, title, phone or language."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown profile fields: {sorted(unknown)}")
    changes = {}
    for name, value in fields.items():
        if getattr(user, name) != value:
            changes[name] = {"from": getattr(user, name), "to": value}
            setattr(user, name, value)
    if changes:
        user.save(update_fields=list(changes))
        audit.record("members.profile.updated", actor=by, obj=user, changes=changes)
    return user


# --- Invitations ------------------------------------------------------------------------------

INVITATION_GROUP_ROLES = {
    Invitation.Role.AGENCY_STAFF: Role.AGENCY_STAFF,
    Invitation.Role.REFERRAL_OFFICER: Role.REFERRAL_OFFICER,
    Invitation.Role.GUEST: Role.GUEST,
    Invitation.Role.SECRETARIAT: Role.SECRETARIAT,
    Invitation.Role.RCO_ADMIN: Role.RCO_ADMIN,
}


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token():
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def _validity():
    return timedelta(days=Network.objects.get_current().invitation_validity_days)


def _send_invitation(invitation, token, site_url):
    network = Network.objects.get_current()
    link = site_url.rstrip("/") + reverse("members:invitation_accept", args=[token])
    context = {
        "invitation": invitation,
        "network": network,
        "link": link,
        "inviter": invitation.invited_by,
        "expires_at": timezone.localtime(invitation.expires_at, network.tzinfo),
    }
    # The invitee has no language preference yet: the inviter's language is the best guess.
    language = getattr(invitation.invited_by, "preferred_language", None) or "en"
    with translation.override(language):
        subject = render_to_string("members/email/invitation_subject.txt", context)
        body = render_to_string("members/email/invitation_message.txt", context)
        html = render_to_string("members/email/invitation_message.html", context)
    message = EmailMultiAlternatives(email_subject(subject), body, to=[invitation.email])
    message.attach_alternative(html, "text/html")
    # Each sending (a new link) is its own event: a resend is a new email, a re-run is not.
    enqueue_email_message(
        message, event=f"members.invitation:{invitation.pk}:{invitation.send_count + 1}"
    )
    invitation.sent_at = timezone.now()
    invitation.send_count += 1


def _check_may_issue(by, role):
    """Refuse an invitation step the person may not take (PRODUCT.md §2, `can_invite_as`)."""
    if not can_invite_as(by, role):
        raise DomainError(
            _(
                "Only the RCO can invite a %(role)s: co-chairs invite guest stakeholders. "
                "Ask the Resident Coordinator's Office to send this invitation."
            )
            % {"role": Invitation.Role(role).label.lower()},
            code="not_allowed",
        )


def _check_invitation_target(*, email, organisation, role):
    role = Invitation.Role(role)
    if role in (Invitation.Role.FOCAL_POINT, Invitation.Role.ALTERNATE) and (
        not organisation.is_un_agency
    ):
        raise DomainError(
            _("Focal points and alternates are invited for UN agencies only."),
            code="not_un_agency",
        )
    User = get_user_model()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None and not existing.is_active:
        raise DomainError(
            _("The account of %(email)s is deactivated; a platform admin must reactivate it.")
            % {"email": email},
            code="inactive_account",
        )
    if existing is not None and existing.organisation_id not in (None, organisation.pk):
        raise DomainError(
            _("%(email)s already has an account with %(other)s.")
            % {"email": email, "other": existing.organisation},
            code="other_organisation",
        )


@transaction.atomic
def invitation_create(
    *,
    email,
    organisation,
    role,
    by,
    site_url,
    full_name="",
    level="",
    replace_existing=False,
    message="",
):
    """Invite a person by email; the link goes out by Celery once the transaction commits."""
    email = get_user_model().objects.normalize_email(email).strip().lower()
    _check_may_issue(by, role)
    _check_invitation_target(email=email, organisation=organisation, role=role)
    # A lapsed invitation to the same address must not block a new one.
    for lapsed in Invitation.objects.select_for_update().lapsed().filter(email__iexact=email):
        _expire(lapsed)
    if Invitation.objects.open().filter(email__iexact=email).exists():
        raise DomainError(
            _("%(email)s already has a pending invitation: resend or revoke it.")
            % {"email": email},
            code="already_invited",
        )
    token, digest = _new_token()
    invitation = Invitation(
        email=email,
        full_name=full_name,
        organisation=organisation,
        role=role,
        level=level if role in (Invitation.Role.FOCAL_POINT, Invitation.Role.ALTERNATE) else "",
        replace_existing=replace_existing
        and role in (Invitation.Role.FOCAL_POINT, Invitation.Role.ALTERNATE),
        message=message,
        token_hash=digest,
        expires_at=timezone.now() + _validity(),
        invited_by=by,
    )
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError as exc:  # a concurrent invitation to the same address won the race
        raise DomainError(
            _("%(email)s already has a pending invitation: resend or revoke it.")
            % {"email": email},
            code="already_invited",
        ) from exc
    _send_invitation(invitation, token, site_url)
    invitation.save(update_fields=["sent_at", "send_count"])
    audit.record(
        "members.invitation.created",
        actor=by,
        obj=invitation,
        email=email,
        organisation=organisation.acronym,
        role=invitation.role,
        replace_existing=invitation.replace_existing,
    )
    return invitation


def _lock(invitation):
    return (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("organisation", "invited_by")
        .get(pk=invitation.pk)
    )


def _expire(invitation):
    invitation.status = Invitation.Status.EXPIRED
    invitation.save(update_fields=["status", "updated_at"])
    audit.record("members.invitation.expired", actor=None, obj=invitation)


@transaction.atomic
def invitation_resend(*, invitation, by, site_url):
    """Send a fresh link (the old one stops working) valid for the full period again."""
    invitation = _lock(invitation)
    _check_may_issue(by, invitation.role)
    if invitation.status in (Invitation.Status.ACCEPTED, Invitation.Status.REVOKED):
        raise DomainError(
            _("This invitation was %(status)s; it cannot be sent again.")
            % {"status": invitation.get_status_display().lower()},
            code="closed",
        )
    if (
        Invitation.objects.open()
        .filter(email__iexact=invitation.email)
        .exclude(pk=invitation.pk)
        .exists()
    ):
        raise DomainError(
            _("%(email)s has a newer pending invitation.") % {"email": invitation.email},
            code="already_invited",
        )
    token, digest = _new_token()
    invitation.token_hash = digest
    invitation.status = Invitation.Status.PENDING
    invitation.expires_at = timezone.now() + _validity()
    _send_invitation(invitation, token, site_url)
    invitation.save()
    audit.record(
        "members.invitation.resent",
        actor=by,
        obj=invitation,
        expires_at=invitation.expires_at,
        send_count=invitation.send_count,
    )
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation, by):
    """Withdraw a pending invitation: its link then grants nothing."""
    invitation = _lock(invitation)
    _check_may_issue(by, invitation.role)
    if invitation.status != Invitation.Status.PENDING:
        raise DomainError(
            _("Only a pending invitation can be revoked; this one is %(status)s.")
            % {"status": invitation.effective_status.label.lower()},
            code="not_pending",
        )
    invitation.status = Invitation.Status.REVOKED
    invitation.revoked_by = by
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["status", "revoked_by", "revoked_at", "updated_at"])
    audit.record("members.invitation.revoked", actor=by, obj=invitation)
    return invitation


@transaction.atomic
def invitations_expire(*, now=None):
    """Mark pending invitations past their date as expired (run by the scheduler)."""
    count = 0
    for invitation in Invitation.objects.select_for_update(skip_locked=True).lapsed(now):
        _expire(invitation)
        count += 1
    return count


class InvitationUnusable(DomainError):
    """The link of an invitation can no longer be used (accepted, revoked, expired or unknown)."""


def invitation_for_token(token):
    """The invitation a link points at, if it can still be used; InvitationUnusable otherwise."""
    invitation = (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(token_hash=hash_token(token or ""))
        .first()
    )
    _check_usable(invitation)
    return invitation


def _check_usable(invitation):
    if invitation is None:
        raise InvitationUnusable(
            _("This invitation link is not valid. It may have been replaced by a newer email."),
            code="unknown",
        )
    if invitation.status == Invitation.Status.ACCEPTED:
        raise InvitationUnusable(
            _("This invitation has already been accepted. Sign in to use the portal."),
            code="accepted",
        )
    if invitation.status == Invitation.Status.REVOKED:
        raise InvitationUnusable(
            _("This invitation was withdrawn. Contact the network's secretariat if this is wrong."),
            code="revoked",
        )
    if invitation.is_expired:
        raise InvitationUnusable(
            _("This invitation has expired. Ask the person who invited you to send a new one."),
            code="expired",
        )
    # The inviter's rights are checked again now: an invitation from someone who may not (or no
    # longer may) hand out this role grants nothing.
    if invitation.invited_by is None or not can_invite_as(invitation.invited_by, invitation.role):
        raise InvitationUnusable(
            _(
                "This invitation can no longer be accepted: the person who sent it may not invite "
                "a %(role)s. Contact the network's secretariat if this is wrong."
            )
            % {"role": invitation.get_role_display().lower()},
            code="inviter_not_allowed",
        )


def account_exists(email):
    return get_user_model().objects.filter(email__iexact=email).exists()


def invitation_email_matches(user, email):
    """Whether the invitation's address is the person's login or one of their verified ones."""
    if user.email.lower() == email.lower():
        return True
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


@transaction.atomic
def invitation_accept(*, token, user=None, full_name="", password=None):
    """Accept an invitation: as the signed-in `user`, or by creating the account with `password`.

    Returns the person, who now holds the invitation's organisation and role.
    """
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("organisation", "invited_by")
        .filter(token_hash=hash_token(token or ""))
        .first()
    )
    _check_usable(invitation)
    User = get_user_model()
    if user is not None:
        if not invitation_email_matches(user, invitation.email):
            raise DomainError(
                _(
                    "This invitation was sent to %(email)s, but you are signed in as %(you)s. "
                    "Sign out and follow the link again."
                )
                % {"email": invitation.email, "you": user.email},
                code="wrong_account",
            )
        user = User.objects.select_for_update().get(pk=user.pk)
    else:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise DomainError(
                _("An account with %(email)s already exists: sign in to accept the invitation.")
                % {"email": invitation.email},
                code="account_exists",
            )
        if not full_name.strip():
            raise DomainError(_("Enter your full name."), code="full_name")
        user = User(
            email=invitation.email,
            full_name=full_name.strip(),
            organisation=invitation.organisation,
        )
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise DomainError(" ".join(exc.messages), code="password") from exc
        user.set_password(password)
        user.save()
    # The link was delivered to this address, so it is proven to be theirs.
    address, _created = EmailAddress.objects.get_or_create(
        user=user,
        email=invitation.email,
        defaults={"verified": True, "primary": not EmailAddress.objects.filter(user=user).exists()},
    )
    if not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])
    if user.organisation_id is None:
        user.organisation = invitation.organisation
        user.save(update_fields=["organisation"])
    elif user.organisation_id != invitation.organisation_id:
        raise DomainError(
            _("Your account belongs to %(other)s; this invitation is for %(organisation)s.")
            % {"other": user.organisation, "organisation": invitation.organisation},
            code="other_organisation",
        )
    if invitation.appoints:
        try:
            _appoint(
                organisation=invitation.organisation,
                person=user,
                kind=invitation.role,
                level=invitation.level,
                start_date=None,
                by=invitation.invited_by,
                replace=invitation.replace_existing,
            )
        except DomainError as exc:
            if exc.code != "kind_taken":
                raise
            raise DomainError(
                _(
                    "%(organisation)s already has a %(kind)s, and this invitation does not "
                    "replace them. Please contact the person who invited you: they can end "
                    "that appointment, or send an invitation that replaces it."
                )
                % {
                    "organisation": invitation.organisation,
                    "kind": invitation.get_role_display().lower(),
                },
                code="kind_taken",
            ) from exc
    else:
        group, _created = Group.objects.get_or_create(
            name=INVITATION_GROUP_ROLES[invitation.role].value
        )
        user.groups.add(group)
        audit.record(
            "members.role.granted",
            actor=invitation.invited_by,
            obj=user,
            role=group.name,
            invitation=invitation.pk,
        )
    invitation.status = Invitation.Status.ACCEPTED
    invitation.accepted_by = user
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["status", "accepted_by", "accepted_at", "updated_at"])
    audit.record("members.invitation.accepted", actor=user, obj=invitation)
    forget_roles(user)
    return user
