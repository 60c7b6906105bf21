"""Writing the audit trail: every state change calls `record` inside its transaction."""

from django.contrib.contenttypes.models import ContentType

from .models import AuditEntry


def record(action, *, actor, obj=None, **data):
    """Write one audit entry with a namespaced action code such as `members.appointment.ended`."""
    entry = AuditEntry(
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        data=data,
    )
    if obj is not None:
        entry.content_type = ContentType.objects.get_for_model(obj)
        entry.object_id = str(obj.pk)
        entry.object_repr = str(obj)[:300]
    entry.save()
    return entry
