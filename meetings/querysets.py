from django.db import models
from django.db.models import BigIntegerField
from django.db.models.functions import Cast
from django.utils import timezone

from members.roles import has_capability

VIEW_ALL = "meetings.view_all_meetings"
MANAGE = "meetings.manage_meetings"


def _guest_meeting_ids(user):
    """Ids of the meetings a person was granted one by one (guests), through django-guardian."""
    from django.contrib.contenttypes.models import ContentType
    from guardian.models import UserObjectPermission

    from .models import Meeting

    return (
        UserObjectPermission.objects.filter(
            user=user,
            permission__codename="view_meeting",
            content_type=ContentType.objects.get_for_model(Meeting),
        )
        .annotate(meeting_id=Cast("object_pk", BigIntegerField()))
        .values("meeting_id")
    )


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Meetings this person may open: all for members, drafts for organisers, guests theirs."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if has_capability(user, MANAGE):
            return self.all()
        if has_capability(user, VIEW_ALL):
            return self.exclude(status="draft")
        return self.exclude(status="draft").filter(pk__in=_guest_meeting_ids(user))

    def upcoming(self):
        return self.filter(status="scheduled", ends_at__gte=timezone.now()).order_by("starts_at")

    def past(self):
        return self.filter(starts_at__lt=timezone.now())


class ActionPointQuerySet(models.QuerySet):
    def visible_to(self, user):
        from .models import Meeting

        return self.filter(meeting__in=Meeting.objects.visible_to(user))

    def open(self):
        return self.filter(status="open")

    def overdue(self, today=None):
        return self.open().filter(due_date__lt=today or timezone.localdate())

    def owned_by(self, user):
        """Owned by the person, or by an organisation they speak for."""
        from members.roles import represented_organisation_ids

        return self.filter(
            models.Q(owner_person=user)
            | models.Q(
                owner_organisation_id__in=represented_organisation_ids(user),
                owner_person__isnull=True,
            )
        )


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user):
        from .models import Meeting

        return self.filter(meeting__in=Meeting.objects.visible_to(user))
