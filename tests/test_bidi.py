"""Bidirectional isolation: in Arabic pages, English names, acronyms and references are isolated.

Without isolation "UNNM-BH/2026/004" next to Arabic text reads "004/2026/UNNM-BH" and the
punctuation around "UN Women" or a person's name lands on the wrong side. Every text node of the
page that shows such a value must sit inside an isolating element: <bdi>, an element with a dir
attribute, or class="bdi" (portal.css: unicode-bidi: isolate).
"""

from html.parser import HTMLParser

import pytest
from django.template import Context, Template
from django.urls import reverse

from decisions.services import position_record
from tests.factories import (
    AgendaItemFactory,
    co_chair,
    focal_point,
    member_agency,
    open_decision,
    scheduled_meeting,
)

pytestmark = pytest.mark.django_db

# Elements whose content is plain text by definition: an element cannot go there.
TEXT_ONLY = {"title", "option", "textarea", "script", "style"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip


class IsolationFinder(HTMLParser):
    """Collects the text nodes containing `needle`, each with whether an ancestor isolates it."""

    def __init__(self, needle):
        super().__init__(convert_charrefs=True)
        self.needle = needle
        self.stack = []
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        attrs = dict(attrs)
        isolates = tag == "bdi" or "dir" in attrs or "bdi" in (attrs.get("class") or "").split()
        self.stack.append((tag, isolates))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        if self.needle not in data:
            return
        if any(tag in TEXT_ONLY for tag, _ in self.stack):
            return
        where = "/".join(tag for tag, _ in self.stack[-4:])
        self.found.append((where, any(isolates for _, isolates in self.stack), data.strip()))


def not_isolated(html, needle):
    finder = IsolationFinder(needle)
    finder.feed(html)
    assert finder.found, f"{needle!r} is not on the page"
    return [(where, text) for where, isolated, text in finder.found if not isolated]


@pytest.fixture
def arabic_network(client):
    """An open decision with a reference and English names, seen by an Arabic-speaking focal
    point whose agency has not answered yet."""
    chair = co_chair(full_name="Amal Haddad")
    chair.organisation.acronym = "UN Women"
    chair.organisation.name = "United Nations Entity for Gender Equality"
    chair.organisation.save()
    other = member_agency(acronym="UN-Habitat")
    decision = open_decision(
        by=chair,
        title="Amendment of the Terms of Reference: meeting frequency.",
        proposing_organisation=chair.organisation,
    )
    position_record(
        decision=decision,
        organisation=other,
        stance="object",
        reason="Paragraph 3.",
        by=focal_point(other, full_name="Layla Mansour"),
    )
    reader = focal_point()
    reader.preferred_language = "ar"
    reader.save(update_fields=["preferred_language"])
    client.force_login(reader)
    return decision, reader


def test_references_acronyms_and_names_are_isolated_on_the_decision_page(client, arabic_network):
    decision, _ = arabic_network
    assert decision.reference.startswith("UNNM-") or "/" in decision.reference
    html = client.get(decision.get_absolute_url()).content.decode()
    assert 'dir="rtl"' in html
    for value in (decision.reference, "UN Women", "UN-Habitat", "Layla Mansour", decision.title):
        assert not_isolated(html, value) == [], value


def test_references_and_acronyms_are_isolated_in_the_decision_register(client, arabic_network):
    decision, _ = arabic_network
    html = client.get(reverse("decisions:list")).content.decode()
    for value in (decision.reference, decision.title):
        assert not_isolated(html, value) == [], value
    # "proposed by UN Women" is a translated sentence: the acronym goes in isolated (|bdi).
    assert not_isolated(html, "UN Women") == []


@pytest.mark.usefixtures("arabic_network")
def test_names_are_isolated_in_the_directory_and_on_a_meeting(client):
    html = client.get(reverse("members:directory")).content.decode()
    for value in ("UN Women", "United Nations Entity for Gender Equality", "UN-Habitat"):
        assert not_isolated(html, value) == [], value

    meeting = scheduled_meeting(title="Regular meeting (December 2026)", place="UN House, Manama")
    AgendaItemFactory(meeting=meeting, position=9, title="Workplan 2026: progress by objective")
    html = client.get(meeting.get_absolute_url()).content.decode()
    for value in (meeting.title, "UN House, Manama", "Workplan 2026: progress by objective"):
        assert not_isolated(html, value) == [], value


def test_the_bdi_filter_isolates_and_escapes():
    rendered = Template("{% load i18n %}{{ name|bdi }}|{{ empty|bdi }}").render(
        Context({"name": "R&D <UN>", "empty": ""})
    )
    assert rendered == "<bdi>R&amp;D &lt;UN&gt;</bdi>|"


def test_the_finder_sees_a_value_that_is_not_isolated():
    """The guard itself: a bare reference in an Arabic sentence is reported."""
    html = "<p>القرار UNNM-BH/2026/004 مفتوح</p><p><bdi>UNNM-BH/2026/004</bdi></p>"
    assert not_isolated(html, "UNNM-BH/2026/004") == [("p", "القرار UNNM-BH/2026/004 مفتوح")]
