from django.apps import apps
from django.db import models
from django.utils import timezone

from members.roles import has_capability

VIEW_ALL = "meetings.view_all_meetings"
MANAGE = "meetings.manage_meetings"


def sees_every_meeting(user):
    """Whether the person sees every meeting that is not a draft (a member or an organiser)."""
    return has_capability(user, MANAGE) or has_capability(user, VIEW_ALL)


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Meetings this person may open: all for members, drafts for organisers, guests theirs."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if has_capability(user, MANAGE):
            return self.all()
        if sees_every_meeting(user):
            return self.exclude(status="draft")
        # A guest's access is their guest invitation itself (a Participant row): one record, so
        # an invitation and an access grant can never disagree.
        return self.exclude(status="draft").filter(
            pk__in=models.Subquery(
                apps.get_model("meetings", "Participant")
                .objects.filter(person=user, kind="guest")
                .values("meeting_id")
            )
        )

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
