"""The top navigation shows the modules a person may open, and only those."""

import pytest
from django.urls import reverse

NAV = {
    "Members": "/members/",
    "Meetings": "/meetings/",
    "Decisions": "/decisions/",
    "Workplan": "/workplan/",
    "Reports": "/reports/",
}


def _nav_links(client):
    page = client.get(reverse("core:dashboard")).content.decode()
    nav = page[page.index('id="portal-nav"') : page.index('id="user-menu"')]
    return {label for label, url in NAV.items() if f'href="{url}"' in nav}


@pytest.mark.parametrize(
    ("account", "expected"),
    [
        ("iom_focal", {"Members", "Meetings", "Decisions", "Workplan", "Reports"}),
        ("undp_staff", {"Members", "Meetings", "Decisions", "Workplan", "Reports"}),
        # A guest sees Reports only once a Government update is shared with them.
        ("guest", {"Members", "Meetings"}),
        ("admin", set()),
    ],
)
def test_navigation_lists_only_the_modules_the_person_may_open(
    account, expected, demo_world, client
):
    client.force_login(demo_world.users[account])

    assert _nav_links(client) == expected


def test_every_module_in_the_navigation_opens_for_that_person(demo_world, client):
    for account in ("iom_focal", "guest", "rco"):
        client.force_login(demo_world.users[account])
        for label in _nav_links(client):
            assert client.get(NAV[label]).status_code == 200, (account, label)
