"""Apps plug into the portal through core.registry; core and members know none of them."""

import ast
import importlib
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import NoReverseMatch, clear_url_caches, reverse

from core import registry
from members.roles import Role, capabilities_of, role_capabilities
from tests.factories import co_chair

ROOT = Path(settings.BASE_DIR)
# The base every module stands on: these may not import or name a domain app.
BASE_APPS = ("core", "members")
DOMAIN_APPS = ("meetings", "decisions", "workplan", "referrals", "reports", "library", "terms")


def _without(app):
    return [name for name in settings.INSTALLED_APPS if name != app]


def _python_files(app):
    return [path for path in (ROOT / app).rglob("*.py") if "migrations" not in path.parts]


def _docstrings(tree):
    found = set()
    for node in ast.walk(tree):
        kinds = ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef
        if isinstance(node, kinds) and node.body and isinstance(node.body[0], ast.Expr):
            value = node.body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                found.add(id(value))
    return found


def domain_references(source):
    """(line, name) of each import of a domain app, and each string naming one, in `source`."""
    tree = ast.parse(source)
    docstrings = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name + "." for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module + "."]
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
        ):
            # Dotted paths, permission codenames and URL names: "decisions.x", "meetings:list".
            names = [node.value.replace(":", ".")]
        found.extend(
            (node.lineno, name)
            for name in names
            if "." in name and name.split(".")[0] in DOMAIN_APPS
        )
    return found


@pytest.mark.parametrize("app", BASE_APPS)
def test_base_apps_import_no_domain_app(app):
    offences = [
        (str(path.relative_to(ROOT)), line, name)
        for path in _python_files(app)
        for line, name in domain_references(path.read_text())
    ]
    assert offences == []


def test_the_import_check_catches_imports_and_names_of_domain_apps():
    source = 'from decisions import models\nimport workplan.views\nURL = "meetings:list"\n'
    assert [name for _line, name in domain_references(source)] == [
        "decisions.",
        "workplan.views.",
        "meetings.list",
    ]


def test_every_installed_module_registers_its_navigation_capabilities_and_panels():
    assert [entry.key for entry in registry.navigation.entries()] == [
        "members",
        "meetings",
        "decisions",
        "workplan",
        "library",
        "referrals",
        "reports",
        "terms",
    ]
    codenames = {capability.codename for capability in registry.capabilities.entries()}
    assert {"members.invite_people", "meetings.manage_meetings"} <= codenames
    assert {"decisions.record_positions", "workplan.manage_workplan"} <= codenames
    assert {entry.key for entry in registry.dashboard_panels.entries()} >= {
        "members",
        "meetings",
        "decisions",
        "workplan",
    }


def test_registering_twice_replaces_rather_than_duplicates():
    before = len(registry.navigation.entries())
    entry = next(e for e in registry.navigation.entries() if e.key == "decisions")
    registry.navigation.register("decisions", entry)
    assert len(registry.navigation.entries()) == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "app", ["decisions", "workplan", "meetings", "referrals", "reports", "terms", "library"]
)
def test_an_app_taken_out_leaves_no_link_panel_capability_or_section(app, client):
    chair = co_chair()
    client.force_login(chair)
    period = registry.Period(date(2020, 1, 1), date(2030, 12, 31))
    installed = settings.INSTALLED_APPS
    if app == "meetings":
        # decisions depends on meetings (its models point at meetings): both go together.
        installed = [name for name in installed if name not in ("meetings", "decisions")]
    else:
        installed = _without(app)
    if app in ("meetings", "decisions", "workplan"):
        # The library links products to decisions and deliverables: it goes with them.
        installed = [name for name in installed if name != "library"]
    with override_settings(INSTALLED_APPS=installed):
        clear_url_caches()
        urls = importlib.reload(importlib.import_module("unnm.urls"))
        try:
            with override_settings(ROOT_URLCONF=urls):
                assert app not in [entry.key for entry in registry.navigation.entries()]
                assert app not in [entry.key for entry in registry.dashboard_panels.entries()]
                assert not [
                    c for c in registry.capabilities.entries() if c.codename.startswith(f"{app}.")
                ]
                chair = type(chair).objects.get(pk=chair.pk)
                assert not [c for c in capabilities_of(chair) if c.startswith(f"{app}.")]
                assert app not in [
                    s.key for s in registry.report_sections_for(period, "network", "en")
                ]
                with pytest.raises(NoReverseMatch):
                    reverse(
                        f"{app}:"
                        + {
                            "decisions": "list",
                            "workplan": "index",
                            "meetings": "list",
                            "referrals": "index",
                            "reports": "list",
                            "terms": "current",
                            "library": "list",
                        }[app]
                    )

                response = client.get(reverse("core:dashboard"))

                assert response.status_code == 200
                assert f'href="/{app}/' not in response.content.decode()
                kinds = {"decisions": "decisions", "workplan": "deliverables"}
                if app in kinds:
                    providers = [p.key for p in registry.search_providers.entries()]
                    assert kinds[app] not in providers
                    assert client.get(reverse("core:search"), {"q": "plan"}).status_code == 200
        finally:
            clear_url_caches()
    importlib.reload(importlib.import_module("unnm.urls"))
    clear_url_caches()
    # Back in, everything returns.
    assert app in [entry.key for entry in registry.navigation.entries()]
    assert any(c.startswith(f"{app}.") for c in role_capabilities()[Role.CO_CHAIR])
