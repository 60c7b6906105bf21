"""Phone layouts found broken in the QA pass of the members and meetings pages.

(In tests/browser because the Playwright fixtures live here: a second browser session started
from another test package would clash with this package's session-wide one.)
"""

import pytest

from core.models import ToRObjective
from members.models import Invitation, Organisation
from tests.factories import AgendaItemFactory, MeetingFactory

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["en", "ar"])
def test_agenda_controls_stay_inside_the_card_on_a_phone(page, demo_world, language):
    meeting = MeetingFactory(title="Regular meeting — phone check")
    who = Organisation.objects.get(acronym="WHO")
    items = [
        ("Labour market reforms: briefing by the LMRA", 3, ""),
        ("Health of migrant workers: heat-stress campaign", 2, ""),
        ("Referral pathway", None, "See https://example.org/" + "sop/" * 40 + " for the draft."),
    ]
    for position, (title, objective, description) in enumerate(items, start=1):
        AgendaItemFactory(
            meeting=meeting,
            title=title,
            description=description,
            position=position,
            presenter_organisation=who,
            tor_objective=ToRObjective.objects.get(number=objective) if objective else None,
        )
    chair = demo_world.person("iom.focal@example.org")
    chair.preferred_language = language
    chair.save(update_fields=["preferred_language"])

    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "iom.focal@example.org", demo_world.password)
    page.goto(f"/meetings/{meeting.pk}/")
    assert page.evaluate("document.documentElement.lang") == language

    rows = page.locator("#agenda-items li[id^=agenda-item-]")
    assert rows.count() == len(items)
    for index in range(len(items)):
        item = rows.nth(index).bounding_box()
        controls = rows.nth(index).locator(".agenda-controls").bounding_box()
        # A long ToR badge or web address used to push the up/down/edit buttons out of the card
        # (off the screen altogether in Arabic).
        assert item["x"] <= controls["x"]
        assert controls["x"] + controls["width"] <= item["x"] + item["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_invitation_rows_stay_compact_on_a_phone(page, demo_world):
    assert Invitation.objects.exists()
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "rco@example.org", demo_world.password)
    page.goto("/members/invitations/")

    # Below 576 px each invitation is a card (.table-stack, docs/I18N.md): every line labelled with
    # its column, nothing squeezed into a sliver of a column (rows used to be five or six lines of
    # a few letters each) and nothing wider than the screen.
    cells = page.evaluate(
        "[...document.querySelectorAll('tbody tr:first-child > td')].map((cell) => "
        "[cell.dataset.label || '', cell.getBoundingClientRect().width])"
    )
    assert cells
    labelled = [(label, width) for label, width in cells if label]
    assert labelled
    for _label, width in labelled:
        assert width > 300
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
