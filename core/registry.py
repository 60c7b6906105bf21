"""How apps plug into shared pages without the core importing them.

Each installed app of the portal may provide:
- `<app>/dashboard.py` with `panels(request) -> list[Panel]`: its cards on the dashboard;
- `<app>/demo.py` with `seed(context)`: its part of `manage.py seed_demo`.
They are called in the order of INSTALLED_APPS, so an app can rely on the ones it depends on.
"""

from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps


@dataclass
class Panel:
    """A card on the dashboard: a template and what it needs."""

    template_name: str
    context: dict = field(default_factory=dict)
    order: int = 100


def app_modules(module_name):
    """The `<app>.<module_name>` modules of the portal's installed apps, in INSTALLED_APPS order."""
    modules = []
    for config in apps.get_app_configs():
        dotted = f"{config.name}.{module_name}"
        if config.name.startswith(("django.", "allauth")) or find_spec(config.name) is None:
            continue
        if find_spec(dotted) is not None:
            modules.append(import_module(dotted))
    return modules


def dashboard_panels(request):
    panels = []
    for module in app_modules("dashboard"):
        panels.extend(module.panels(request))
    return sorted(panels, key=lambda panel: panel.order)
