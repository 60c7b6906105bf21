"""What meetings register in core.registry.membership_hooks: invitations follow appointments."""

from .services.membership import participants_follow_appointments


def on_appointments_changed(organisation_id, started_person_ids, ended_person_ids):
    participants_follow_appointments(
        organisation_id=organisation_id, started=started_person_ids, ended=ended_person_ids
    )
