"""The pieces of `make bench` (bench/, core/bench.py): page list, query count, bare view.

The benchmark itself runs outside the suite (bench/run.py); what it stands on is checked here: every
page it measures answers its account on the demo data, the query count it reports is the real one
(streamed responses included), and the bench-only view and middleware exist only with BENCH on.
"""

import importlib
import json
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, clear_url_caches, reverse

from bench.pages import PAGES, Page, Targets, bare_path, resolve_pages
from bench.run import RESULTS, verdict, write_report
from core.bench import QUERY_COUNT_HEADER
from core.checks import check_bench_off

QUERY_COUNT = "core.bench.QueryCountMiddleware"


def _read(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


@contextmanager
def bench_on():
    """The settings and URLs as `BENCH=true` makes them (unnm/settings.py, unnm/urls.py)."""
    try:
        with override_settings(BENCH=True, MIDDLEWARE=[QUERY_COUNT, *settings.MIDDLEWARE]):
            clear_url_caches()
            urls = importlib.reload(importlib.import_module("unnm.urls"))
            with override_settings(ROOT_URLCONF=urls):
                yield
    finally:
        importlib.reload(importlib.import_module("unnm.urls"))
        clear_url_caches()


@pytest.mark.django_db
def test_the_bench_on_the_demo_data(client, settings):
    """One seeding of the demo (it takes a while), several checks."""
    # As bench/run.py runs the server: the demo accounts have no authenticator app.
    settings.MFA_REQUIRED_FOR_ROLES = []
    settings.REFERRALS_REQUIRE_MFA = False
    call_command("seed_demo", force=True, verbosity=0)
    targets = Targets()
    check_every_page_answers_its_account(targets, client)
    with bench_on():
        # A new client: one that has served a request keeps the middleware it loaded then.
        check_the_bare_view_reads_one_row(targets, Client())
        check_the_query_count_is_the_real_one_streamed_responses_included(targets, Client())


def check_every_page_answers_its_account(targets, client):
    resolved = resolve_pages(targets)
    measured = [(page, path) for page, path, _note in resolved if path]
    assert len(measured) >= 30
    for page, path in measured:
        client.logout()
        if page.account:
            client.force_login(targets.user(page.account))
        response = client.get(path)
        _read(response)
        assert response.status_code == 200, (page.name, path, response.status_code)
    # What is skipped is only a module not merged yet, never a page the data cannot fill.
    assert {note for _page, path, note in resolved if not path} <= {"not in this portal's URLs yet"}


def check_the_bare_view_reads_one_row(targets, client):
    response = client.get(bare_path(targets))
    assert response.status_code == 200
    assert response.content.decode() == "rco@example.org"


def check_the_query_count_is_the_real_one_streamed_responses_included(targets, client):
    client.force_login(targets.rco)
    for path in (reverse("decisions:list"), reverse("decisions:export_csv")):
        # Each request empties the log (Django's reset_queries): counted from an empty one.
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as plain:
            _read(client.get(path))
        counted = client.get(path, headers={QUERY_COUNT_HEADER: "1"})
        assert int(counted[QUERY_COUNT_HEADER]) == len(plain) > 2
        assert _read(counted).count(b"\n") > 1
    # Without the header nothing is captured, nothing answered.
    assert QUERY_COUNT_HEADER not in client.get(reverse("decisions:list"))


def test_a_page_without_a_route_or_a_row_is_skipped_with_a_note():
    pages = [
        Page("Nowhere", None, "/no-such-module/"),
        Page("No row", None, lambda targets: reverse("decisions:detail", args=[None])),
    ]
    (_, path1, note1), (_, path2, note2) = resolve_pages(Targets(), pages)
    assert (path1, note1) == (None, "not in this portal's URLs yet")
    assert path2 is None and note2.startswith("no address: NoReverseMatch")


@pytest.mark.django_db
def test_without_the_bench_setting_there_is_no_bare_view_and_no_query_count(client):
    assert settings.BENCH is False
    assert QUERY_COUNT not in settings.MIDDLEWARE
    with pytest.raises(NoReverseMatch):
        reverse("bench_bare", args=[1])
    assert client.get("/_bench/bare/1/").status_code == 404
    response = client.get("/healthz", headers={QUERY_COUNT_HEADER: "1"})
    assert QUERY_COUNT_HEADER not in response


def test_the_deployment_check_warns_when_bench_is_on(settings):
    assert "core.W003" not in [warning.id for warning in check_bench_off(None)]
    settings.BENCH = True
    assert [warning.id for warning in check_bench_off(None)] == ["core.W003"]


def test_the_page_list_has_each_name_once():
    names = [page.name for page in PAGES]
    assert len(names) == len(set(names))


def test_the_report_rewrites_its_own_section_and_keeps_the_rest(tmp_path):
    path = RESULTS / "results-realistic.json"
    data = json.loads(path.read_text())
    document = tmp_path / "BENCHMARKS.md"
    document.write_text(
        "# Benchmarks\n\nWritten by hand.\n\n<!-- make bench realistic: start -->\nold\n"
        "<!-- make bench realistic: end -->\n\nAlso by hand.\n"
    )

    write_report(data, document)

    text = document.read_text()
    assert text.startswith("# Benchmarks\n\nWritten by hand.\n")
    assert text.endswith("<!-- make bench realistic: end -->\n\nAlso by hand.\n")
    assert "old" not in text
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    # The header, the bare view twice, then every page of the run.
    assert len(rows) == 1 + 2 + len(data["pages"])
    assert "| Decisions: search" in text
    # Whether a search page misses its own target depends on the run; the verdict says it when
    # it does (the saved run met it: every search page under 100 ms at p95).
    slow_search = {
        "c1": {"p50_ms": 20, "p95_ms": 150, "errors": 0},
        "c8": {"rps": 500, "errors": 0},
        "queries": 5,
    }
    assert "search p95" in verdict(slow_search, bare=100, search=True)
    assert "search p95" not in verdict(slow_search, bare=100, search=False)
    # A section of another size is added, the first one kept.
    write_report({**data, "size": "stress"}, document)
    text = document.read_text()
    assert text.count("<!-- make bench realistic: start -->") == 1
    assert "### Stress\n\n<!-- make bench stress: start -->" in text
