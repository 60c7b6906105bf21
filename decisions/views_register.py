"""The register's meeting filter: the meetings a typed name matches, as links that choose one."""

from django.http import QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from members.roles import CapabilityRequiredMixin

from . import selectors

# The register's other filters a suggestion keeps; a page cursor belongs to the old filters.
KEPT = ("q", "status", "year", "procedure")


def meeting_choices(params, typed, found):
    """The context of `decisions/_meeting_suggestions.html`: each meeting found with the address
    of the register filtered on it (keeping the other filters of `params`), at most
    `selectors.MEETING_MATCHES`, and whether more match."""
    kept = QueryDict(mutable=True)
    for name in KEPT:
        if params.get(name):
            kept[name] = params[name][:200]
    register = reverse("decisions:list")
    choices = []
    for meeting in found[: selectors.MEETING_MATCHES]:
        link = kept.copy()
        link["meeting"] = meeting.pk
        choices.append((meeting, f"{register}?{link.urlencode()}"))
    return {
        "choices": choices,
        "typed": (typed or "").strip(),
        "more": len(found) > selectors.MEETING_MATCHES,
    }


class MeetingSuggestionsView(CapabilityRequiredMixin, View):
    """The meetings with decisions whose title or place holds the words typed in the register's
    meeting field (htmx, as the person types), each a link to the register filtered on it."""

    capability = "decisions.view_decisions"

    def get(self, request):
        typed = request.GET.get("meeting_q", "")[:200]
        found = selectors.meetings_matching(
            request.user, typed, limit=selectors.MEETING_MATCHES + 1
        )
        return render(
            request,
            "decisions/_meeting_suggestions.html",
            meeting_choices(request.GET, typed, found),
        )
