"""The Terms of Reference pages: the text, its history, comparisons, amendments, the review."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from decisions.models import Decision
from terms import services
from terms.models import Amendment, Review, TermsVersion

from .conftest import in_days


def _history(count, chair):
    """`count` more versions, each adopted by a decision, with an amendment and a review each."""
    TermsVersion.objects.update(is_current=False)
    now = timezone.now()
    base = TermsVersion.objects.order_by("-number").first()
    for _ in range(count):
        number = base.number + 1
        decision = Decision.objects.create(
            title=f"Amendment {number}",
            text="Amend.",
            procedure="meeting",
            status="adopted",
            reference=f"UNNM-BH/2025/{number:03d}",
            year=2025,
            sequence=number,
            opened_at=now,
            closed_at=now,
        )
        amendment = Amendment.objects.create(
            title=f"Amendment {number}",
            text=f"{base.text} Change {number}.",
            base_version=base,
            status="adopted",
            decision=decision,
            created_by=chair,
            proposed_by=chair,
        )
        base = TermsVersion.objects.create(
            number=number,
            text=amendment.text,
            effective_on=date(2020, 9, 1) + timedelta(days=number),
            decision=decision,
            amendment=amendment,
            amended_by=chair,
            unct_submitted_on=date(2021, 1, 1),
        )
        Review.objects.create(
            version=base,
            due_on=date(2021, 1, 1) + timedelta(days=number),
            reviewed_on=date(2021, 1, 1),
            outcome="no_change",
            recorded_by=chair,
        )
    TermsVersion.objects.filter(pk=base.pk).update(is_current=True)
    return base


def test_members_read_the_current_text_with_its_headings(client, people, first_version):
    client.force_login(people.fp_a)

    response = client.get(reverse("terms:current"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h3>Validity and Amendments</h3>" in html
    assert '<li value="6">Facilitate mechanisms for referral' in html
    assert 'lang="en" dir="auto"' in html
    assert "Draft an amendment" not in html
    assert "Yearly review" not in html


def test_the_terms_page_costs_the_same_queries_with_many_versions(
    client, people, first_version, django_assert_num_queries
):
    _history(3, people.chair)
    client.force_login(people.chair)
    url = reverse("terms:current")
    client.get(url)  # process-wide caches (content types, the network) warm up once

    with django_assert_num_queries(QUERIES):
        assert client.get(url).status_code == 200
    _history(40, people.chair)
    with django_assert_num_queries(QUERIES):
        response = client.get(url)
    assert len(response.context["history"]) == 44
    assert len(response.context["amendments"]) == 43


# Measured for a co-chair with 4 and with 44 versions: user, roles, the current version, the
# history, the amendments, the reviewed anniversaries, the reviews of the current version (the
# session and the network come from the cache).
QUERIES = 7


def test_the_version_page_and_its_query_count(
    client, people, first_version, django_assert_num_queries
):
    _history(5, people.chair)
    client.force_login(people.fp_a)
    url = reverse("terms:version", args=[3])
    client.get(url)
    with django_assert_num_queries(VERSION_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    assert "UNNM-BH/2025/003" in response.content.decode()
    assert client.get(reverse("terms:version", args=[99])).status_code == 404


# user, roles, the version, its reviews.
VERSION_QUERIES = 4


def test_the_comparison_shows_the_changed_words(client, people, first_version):
    _history(1, people.chair)
    client.force_login(people.fp_a)

    response = client.get(reverse("terms:compare"), {"a": 1, "b": 2})

    html = response.content.decode()
    assert response.status_code == 200
    assert '<ins><span class="visually-hidden">[added] </span>Change 2.' in html
    assert "<del>" not in html.split('data-testid="diff"')[1]


def test_a_comparison_of_unknown_versions_is_a_clear_400(client, people, first_version):
    client.force_login(people.fp_a)

    response = client.get(reverse("terms:compare"), {"a": 1, "b": "x9"})

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_an_amendment_is_drafted_and_put_to_the_network_through_the_pages(
    client, people, first_version
):
    client.force_login(people.chair)
    form = client.get(reverse("terms:amendment_create"))
    assert form.context["form"].initial["text"] == first_version.text

    response = client.post(
        reverse("terms:amendment_create"),
        {
            "title": "Quarterly meetings",
            "summary": "Fewer meetings.",
            "text": first_version.text.replace("Bi-monthly and as needed", "Quarterly"),
        },
    )
    amendment = Amendment.objects.get()
    assert response.status_code == 302
    detail = client.get(amendment.get_absolute_url()).content.decode()
    assert "Bi-monthly and as needed." in detail.split('data-testid="diff"')[1]
    assert "<del>" in detail

    deadline = timezone.localtime(in_days(10)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("terms:amendment_propose", args=[amendment.pk]),
        {"procedure": "written", "deadline": deadline},
    )
    amendment.refresh_from_db()
    assert response.status_code == 302
    assert amendment.status == "proposed"
    assert amendment.decision.status == "open"
    assert TermsVersion.objects.current().get() == first_version


def test_a_proposal_without_a_deadline_is_refused_with_a_message(client, people, first_version):
    amendment = services.amendment_create(
        title="T", text=first_version.text + "\nMore.", by=people.chair
    )
    client.force_login(people.chair)

    response = client.post(
        reverse("terms:amendment_propose", args=[amendment.pk]), {"procedure": "written"}
    )

    assert response.status_code == 400
    assert "needs a deadline" in response.content.decode()
    assert Decision.objects.count() == 0


def test_drafts_are_hidden_from_members_who_do_not_draft(client, people, first_version):
    draft = services.amendment_create(
        title="T", text=first_version.text + "\nMore.", by=people.chair
    )
    client.force_login(people.fp_a)

    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "T" not in [a.title for a in client.get(reverse("terms:current")).context["amendments"]]


@pytest.mark.parametrize("role", ["chair", "fp_a"])
def test_the_review_card_is_on_the_co_chairs_dashboard_until_a_review_is_recorded(
    client, people, first_version, role
):
    client.force_login(getattr(people, role))
    shown = (
        'data-testid="terms-review-panel"' in client.get(reverse("core:dashboard")).content.decode()
    )
    assert shown == (role == "chair")

    if role == "chair":
        response = client.post(
            reverse("terms:review"),
            {"reviewed_on": timezone.localdate().isoformat(), "outcome": "no_change", "note": ""},
        )
        assert response.status_code == 302
        assert (
            'data-testid="terms-review-panel"'
            not in client.get(reverse("core:dashboard")).content.decode()
        )


def test_the_unct_dates_are_recorded_from_the_version_page(client, people, first_version):
    client.force_login(people.chair)

    response = client.post(
        reverse("terms:version_unct", args=[1]),
        {"unct_submitted_on": "2020-09-10", "unct_endorsed_on": "2020-09-01"},
    )
    assert response.status_code == 400
    assert "after it was submitted" in response.content.decode()

    response = client.post(
        reverse("terms:version_unct", args=[1]),
        {"unct_submitted_on": "2020-09-10", "unct_endorsed_on": ""},
    )
    assert response.status_code == 302
    first_version.refresh_from_db()
    assert first_version.unct_submitted_on == date(2020, 9, 10)


def test_the_review_page_says_when_no_review_is_due(client, people, first_version):
    services.review_record(outcome="no_change", by=people.chair)
    client.force_login(people.chair)

    response = client.get(reverse("terms:review"))

    assert response.status_code == 200
    assert 'data-testid="no-review-due"' in response.content.decode()
    assert '<form method="post"' not in response.content.decode().split("<main")[-1]
