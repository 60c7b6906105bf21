"""Who may do what to a report: one answer for views, templates and services."""

from members.roles import Role, has_capability, has_role

VIEW = "reports.view_reports"
MANAGE = "reports.manage_reports"
FINALIZE = "reports.finalize_reports"


def can_view_reports(user):
    return has_capability(user, VIEW)


def can_open_reports(user):
    """The archive: members of the network, and government guests with a shared update."""
    if can_view_reports(user):
        return True
    if not has_role(user, Role.GUEST):
        return False
    from .models import Report

    return Report.objects.visible_to(user).exists()


def can_manage_reports(user):
    return has_capability(user, MANAGE)


def can_finalize_reports(user):
    return has_capability(user, FINALIZE)


def can_edit_report(user, report):
    """A draft's narrative is written by those who prepare reports; final ones are read-only."""
    return report.is_draft and can_manage_reports(user)


def can_share_report(user, report):
    return (
        can_manage_reports(user) and report.kind == report.Kind.GOVERNMENT and report.is_read_only
    )


def may_share_with(person):
    """Government updates go to guests of a government ministry or agency only."""
    organisation = getattr(person, "organisation", None)
    return (
        person.is_active
        and has_role(person, Role.GUEST)
        and organisation is not None
        and organisation.kind == "government"
    )


def may_download_version_file(user, file_uuid):
    """Whether `user` may download the stored PDF or Excel annex with this id.

    The archive hands out a report's files to those who may open the report; a draft's files
    only to those who prepare reports (visible_to already says so).
    """
    from django.db.models import Q

    from .models import Report, ReportVersion

    versions = ReportVersion.objects.filter(
        Q(pdf_file__uuid=file_uuid) | Q(xlsx_file__uuid=file_uuid),
        report__in=Report.objects.visible_to(user),
    )
    if not (can_manage_reports(user) or can_finalize_reports(user)):
        # Readers of the archive get the final edition, never a draft's working copy.
        versions = versions.filter(is_final=True)
    return versions.exists()
