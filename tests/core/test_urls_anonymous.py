"""Every URL pattern of the project refuses anonymous visitors, except a list of public pages.

The walk reads the URLconf itself (admin and allauth included), so a URL added by a later module is
checked without anyone listing it here. Converters get dummy values (int 1, str/slug "x", a fixed
uuid, path "x"); regex groups (the admin's) get the first candidate value the regex accepts.

"Refused" means: a redirect chain that ends on a sign-in page (allauth's, or the admin's, which
itself goes to allauth), or 403, 404 or 405. A GET and a POST are both tried.
"""

import itertools
import re

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils.regex_helper import normalize

# Pages anonymous visitors may open, by URL name, with why.
PUBLIC = {
    # Signing in, and what leads to it.
    "account_login",
    "account_signup",  # shows "sign-up is closed: accounts come by invitation"
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",  # the emailed link; a wrong key shows "bad token"
    "account_reset_password_from_key_done",
    "account_confirm_email",  # the emailed verification link
    "account_email_verification_sent",
    "account_inactive",
    "account_logout",  # signing out when already signed out changes nothing
    "admin:logout",  # idem, for the admin
    "healthz",  # load balancer / compose health check
    "core:set_language",  # the language switch on the sign-in page
}
# Unnamed patterns that are public, by path prefix (static/media files when DEBUG serves them).
PUBLIC_PREFIXES = ("/static/", "/media/")

# A fixed value: test ids must be the same in every pytest-xdist worker.
DUMMY_UUID = "8c7e3f6a-2b1d-4c5e-9f80-1a2b3c4d5e6f"
DUMMY_BY_CONVERTER = {
    "IntConverter": "1",
    "StringConverter": "x",
    "SlugConverter": "x",
    "UUIDConverter": DUMMY_UUID,
    "PathConverter": "x",
}


def _regex_candidates():
    labels = [config.label for config in apps.get_app_configs()]
    models = [model._meta.model_name for model in apps.get_models()]
    return ["1", "x", DUMMY_UUID, *labels, *models]


def _fill_route(pattern):
    route = pattern._route
    for name, converter in pattern.converters.items():
        value = DUMMY_BY_CONVERTER.get(type(converter).__name__, "x")
        route = re.sub(rf"<(?:\w+:)?{name}>", value, route)
    return route


def _fill_regex(pattern):
    regex = pattern.regex
    candidates = _regex_candidates()
    for fmt, params in normalize(regex.pattern):
        for values in itertools.product(candidates, repeat=len(params)):
            text = fmt % dict(zip(params, values, strict=True))
            match = regex.match(text)
            if match and match.end() == len(text):
                return text
    raise AssertionError(f"No sample URL for the regex {regex.pattern!r}: extend the candidates")


def _fill(pattern):
    if isinstance(pattern, RoutePattern):
        return _fill_route(pattern)
    if isinstance(pattern, RegexPattern):
        return _fill_regex(pattern)
    return str(pattern)  # LocalePrefixPattern and the like


def walk(resolver=None, prefix="/", namespace=""):
    """Yields (url name or None, sample path) for every leaf pattern of the URLconf."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        path = prefix + _fill(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from walk(entry, path, inner)
        elif isinstance(entry, URLPattern):
            name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
            yield name, path


PATTERNS = sorted(set(walk()), key=lambda item: item[1])
SIGN_IN_PATHS = ("/accounts/login/", "/admin/login/")


def _is_public(name, path):
    return name in PUBLIC or path.startswith(PUBLIC_PREFIXES)


def _outcome(client, method, path):
    """Follows redirects by hand; returns a description of where the visitor ends."""
    response = getattr(client, method)(path)
    for _hop in range(5):
        if response.status_code not in (301, 302, 303, 307, 308):
            return f"status {response.status_code}"
        location = response["Location"]
        target = location.split("?")[0]
        if target.startswith("http"):
            target = "/" + target.split("/", 3)[-1]
        if target == reverse("account_login"):
            return "sign-in"
        response = client.get(location)
    return "redirect loop"


def test_the_walk_finds_the_patterns_of_every_part_of_the_portal():
    paths = [path for _name, path in PATTERNS]
    names = {name for name, _path in PATTERNS}
    assert "/healthz" in paths
    assert {"account_login", "mfa_index", "admin:index", "core:dashboard"} <= names
    assert any(path.startswith("/admin/accounts/user/") for path in paths)


def test_the_public_list_names_only_existing_urls():
    names = {name for name, _path in PATTERNS}
    assert not PUBLIC - names, f"PUBLIC names unknown URLs: {sorted(PUBLIC - names)}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "path"),
    [item for item in PATTERNS if not _is_public(*item)],
    ids=[f"{name or '-'} {path}" for name, path in PATTERNS if not _is_public(name, path)],
)
def test_anonymous_visitors_are_refused(client, name, path):
    for method in ("get", "post"):
        outcome = _outcome(client, method, path)
        assert outcome in ("sign-in", "status 403", "status 404", "status 405"), (
            f"{method.upper()} {path} ({name}) lets an anonymous visitor in: {outcome}. "
            "Require sign-in, or add it to PUBLIC with the reason if it must be public."
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "path"),
    [item for item in PATTERNS if _is_public(*item)],
    ids=[f"{name} {path}" for name, path in PATTERNS if _is_public(name, path)],
)
def test_public_pages_answer_without_an_error(client, name, path):
    response = client.get(path)

    assert response.status_code < 500


@pytest.mark.django_db
def test_the_refusal_check_tells_an_open_page_from_a_refused_one(client):
    assert _outcome(client, "get", reverse("account_login")) == "status 200"
    assert _outcome(client, "get", reverse("core:dashboard")) == "sign-in"
