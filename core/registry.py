"""How apps plug into the portal without `core` or `members` knowing them.

Each domain app declares what it brings from its `AppConfig.ready()`, by calling `register()` on
the registries below with its own label. `core` reads them; it never imports a domain app.

| registry | entry | read by |
|---|---|---|
| `navigation` | `NavEntry`: a top-navigation link and who may open it | `core.context_processors` |
| `capabilities` | `Capability`: a permission and the roles that hold it | `members.roles` |
| `dashboard_panels` | `DashboardPanel`: a card on the dashboard | `core.views.DashboardView` |
| `meeting_hooks` | `MeetingHook`: carry-over, minutes section, meeting-day panel | `meetings` |
| `report_sections` | `ReportSection`: a section of a report for a period | the reports app |
| `search_providers` | `SearchProvider`: results of one kind for a query | the search page |
| `demo_seeders` | `DemoSeeder`: the app's part of `manage.py seed_demo` | `core` (seed_demo) |
| `scale_seeders` | `ScaleSeeder`: the app's part of `manage.py seed_scale` | `core` (seed_scale) |
| `membership_hooks` | `MembershipHook`: follows appointments as they change | `members.services` |
| `generated_texts` | `GeneratedText`: generated text worded for the reader | `render_generated()` |

Registries take explicit arguments (a user, a meeting, a period), never a `request`, so Celery
tasks can call them. An entry belongs to the app that registered it and is visible only while that
app is installed: an app taken out of INSTALLED_APPS leaves no link, card, capability or section
behind. Registering is idempotent (Django calls `ready()` again when tests change INSTALLED_APPS).
See docs/ARCHITECTURE.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Generic, TypeVar

from django.apps import apps

T = TypeVar("T")


class Registry(Generic[T]):
    """Entries of one kind, registered per app and read in INSTALLED_APPS order."""

    def __init__(self, name: str):
        self.name = name
        self._by_app: dict[str, dict[str, T]] = {}
        # Bumped on every registration, so readers may cache what they derive from the entries.
        self.version = 0

    def register(self, app_label: str, *entries: T) -> None:
        """Add (or replace, by key) the entries an app brings."""
        registered = self._by_app.setdefault(app_label, {})
        for entry in entries:
            registered[entry.key] = entry
        self.version += 1

    def entries(self) -> list[T]:
        """The entries of installed apps: in INSTALLED_APPS order, then by `order` when set."""
        found = []
        for position, config in enumerate(apps.get_app_configs()):
            for entry in self._by_app.get(config.label, {}).values():
                found.append((getattr(entry, "order", 0), position, entry))
        found.sort(key=lambda item: (item[0], item[1]))
        return [entry for _order, _position, entry in found]

    def in_app_order(self) -> list[T]:
        """The entries of installed apps in INSTALLED_APPS order (for work with dependencies)."""
        return [
            entry
            for config in apps.get_app_configs()
            for entry in self._by_app.get(config.label, {}).values()
        ]

    def __repr__(self):
        return f"<Registry {self.name}: {sorted(self._by_app)}>"


# --- The entries -------------------------------------------------------------------------------


@dataclass(frozen=True)
class NavEntry:
    """A module in the top navigation, shown to those `may_open(user)` lets in."""

    key: str
    label: Any  # a lazy translation
    url_name: str
    may_open: Callable[[Any], bool]
    order: int = 100


@dataclass(frozen=True)
class Capability:
    """A Django permission (`app_label.codename`) an app defines and the roles that hold it.

    Roles are the values of `members.roles.Role` ("co_chair", "focal_point", ...).
    """

    codename: str
    roles: frozenset[str]

    @property
    def key(self):
        return self.codename


@dataclass
class Panel:
    """A card on the dashboard: a template and what it needs."""

    template_name: str
    context: dict = field(default_factory=dict)
    order: int = 100


@dataclass(frozen=True)
class DashboardPanel:
    """Builds an app's dashboard cards for a person: `build(user) -> Iterable[Panel]`."""

    key: str
    build: Callable[[Any], Iterable[Panel]]
    order: int = 100


@dataclass(frozen=True)
class MeetingHook:
    """What an app adds to a meeting: agenda items to carry over, a section of the minutes.

    `agenda_carryover(meeting)` returns dicts with `url` and either `kind` and `params` (text worded
    when shown, see `generated_texts`) or a fixed `title` and `description`;
    `minutes_section(meeting)` returns `{"title": ..., "html": ...}` (empty html: no section);
    `meeting_day(meeting, user)` returns a `Panel` for the meeting-day page (None: nothing for
    this person), rendered there with the page's request; its forms post to the app's own URLs.
    Its template's root element carries `id` and, when `oob` is set, `hx-swap-oob="true"`: the
    page refreshes it after the attendance changes.
    """

    key: str
    agenda_carryover: Callable[[Any], list[dict]] | None = None
    minutes_section: Callable[[Any], dict] | None = None
    order: int = 100
    meeting_day: Callable[[Any, Any], Panel | None] | None = None


@dataclass(frozen=True)
class Period:
    """The dates a report covers, both included."""

    start: date
    end: date

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError("A period ends on or after its start.")

    def bounds(self, tzinfo):
        """The first instant of the period and the first instant after it, in `tzinfo`."""
        start = datetime.combine(self.start, time.min, tzinfo=tzinfo)
        end = datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=tzinfo)
        return start, end


class Audience:
    """Who a report is for; sections leave out what an audience may not read."""

    NETWORK = "network"  # the network's members, the RC and the UNCT
    GOVERNMENT = "government"  # shared with the Government: no internal deliberation


@dataclass
class Table:
    """A table of a report section: column headings and rows of cells (already formatted)."""

    columns: list
    rows: list
    caption: str = ""


@dataclass
class Section:
    """What one app contributes to a report for a period: figures, tables and charts."""

    key: str
    title: str
    summary: str = ""
    figures: list = field(default_factory=list)  # (label, value) pairs
    tables: list[Table] = field(default_factory=list)
    charts: list = field(default_factory=list)  # core.charts objects
    order: int = 100

    @property
    def is_empty(self):
        return not (self.figures or self.tables or self.charts)


@dataclass(frozen=True)
class ReportSection:
    """Builds an app's section of a report: `build(period, audience, language) -> Section | None`.

    `audiences` lists who may read it: a section marked internal is left out of Government updates.
    """

    key: str
    build: Callable[[Period, str, str], Section | None]
    audiences: frozenset[str] = frozenset({Audience.NETWORK})
    order: int = 100


@dataclass
class SearchResult:
    """One thing a person may open, found by a search.

    `snippet` is safe HTML (escaped text, the matches in `<mark>`: `core.search` builds it);
    `meta` a short plain line under the title (a date, a reference, a status).
    """

    kind: str
    title: str
    url: str
    snippet: str = ""
    rank: float = 0.0
    meta: str = ""


@dataclass(frozen=True)
class SearchProvider:
    """Searches one kind of thing among what `user` may see: `search(user, query, limit)`.

    Results come best first, at most `limit` of them. A provider that sets `paginates` also
    takes `offset=` (skip that many results); the others are asked for `offset + limit` and the
    first `offset` are dropped.
    """

    key: str
    label: Any
    search: Callable[..., list[SearchResult]]
    order: int = 100
    paginates: bool = False

    def results(self, user, query: str, *, limit: int, offset: int = 0) -> list[SearchResult]:
        """Results `offset` to `offset + limit` for this person."""
        if self.paginates:
            return list(self.search(user, query, limit, offset=offset))
        return list(self.search(user, query, offset + limit))[offset:]


@dataclass(frozen=True)
class DemoSeeder:
    """An app's part of `manage.py seed_demo`: `seed(context)`, run in INSTALLED_APPS order."""

    key: str
    seed: Callable[[Any], None]


@dataclass(frozen=True)
class ScaleSeeder:
    """An app's part of `manage.py seed_scale` (the benchmark's data), in INSTALLED_APPS order.

    `already_seeded()` says whether this database already holds the app's scale data.
    """

    key: str
    seed: Callable[[Any], None]
    already_seeded: Callable[[], bool] | None = None


# --- The registries ----------------------------------------------------------------------------

navigation: Registry[NavEntry] = Registry("navigation")
capabilities: Registry[Capability] = Registry("capabilities")
dashboard_panels: Registry[DashboardPanel] = Registry("dashboard_panels")
meeting_hooks: Registry[MeetingHook] = Registry("meeting_hooks")
report_sections: Registry[ReportSection] = Registry("report_sections")
search_providers: Registry[SearchProvider] = Registry("search_providers")
demo_seeders: Registry[DemoSeeder] = Registry("demo_seeders")
scale_seeders: Registry[ScaleSeeder] = Registry("scale_seeders")


def grant(*codenames: str, to: Iterable[str]) -> list[Capability]:
    """Capabilities for `codenames`, each held by the roles `to` (a helper for registrations)."""
    roles = frozenset(str(role) for role in to)
    return [Capability(codename, roles) for codename in codenames]


def panels_for(user) -> list[Panel]:
    """Every installed app's dashboard cards for this person, in display order."""
    panels = []
    for entry in dashboard_panels.entries():
        panels.extend(entry.build(user) or ())
    return sorted(panels, key=lambda panel: panel.order)


def report_sections_for(period: Period, audience: str, language: str) -> list[Section]:
    """The sections of every installed app for a period and audience; empty ones are left out."""
    sections = []
    for entry in report_sections.entries():
        if audience not in entry.audiences:
            continue
        section = entry.build(period, audience, language)
        if section is not None and not section.is_empty:
            sections.append(section)
    return sections


def search(user, query: str, limit: int = 10) -> list[tuple[SearchProvider, list[SearchResult]]]:
    """Results grouped by provider; each provider returns only what `user` may open."""
    query = (query or "").strip()
    if not query:
        return []
    grouped = []
    for provider in search_providers.entries():
        results = provider.results(user, query, limit=limit)
        if results:
            grouped.append((provider, results))
    return grouped


# --- Membership hooks --------------------------------------------------------------------------
# Appended after the registries above (kept apart so that section stays as the lead wrote it).


@dataclass(frozen=True)
class MembershipHook:
    """What an app keeps in step with appointments.

    `on_appointments_changed(organisation_id, started_person_ids, ended_person_ids)` is called by
    `members.services` whenever a focal point or alternate appointment starts or ends (appointing,
    replacing, ending, accepting an invitation, an agency leaving or joining the network), inside
    the transaction that made the change, so what depends on an appointment is never out of step
    with it. A hook enqueues its emails with `transaction.on_commit`.
    """

    key: str
    on_appointments_changed: Callable[[int, frozenset[int], frozenset[int]], None]
    order: int = 100


membership_hooks: Registry[MembershipHook] = Registry("membership_hooks")


def appointments_changed(organisation_id, *, started=(), ended=()) -> None:
    """Tell every installed app that appointments of an agency started or ended."""
    started, ended = frozenset(started), frozenset(ended)
    if not (started or ended):
        return
    for hook in membership_hooks.entries():
        hook.on_appointments_changed(organisation_id, started, ended)


# --- Generated text ----------------------------------------------------------------------------
# Text the portal writes itself (an agenda item carried over, a history line) is stored as a kind
# and its parameters, and rendered when shown, in the reader's language: never frozen in the
# language of whoever made the portal write it.


@dataclass(frozen=True)
class GeneratedText:
    """How to word one kind of generated text: `render(params) -> str`, in the active language.

    `params` is the JSON the portal stored with the text (names, references, ISO dates, choice
    codes); the renderer translates the sentence and the codes each time it is shown.
    """

    key: str
    render: Callable[[dict], str]


generated_texts: Registry[GeneratedText] = Registry("generated_texts")
_generated_cache: dict[str, GeneratedText] = {}
_generated_cache_version = None


def render_generated(kind: str, params: dict | None, fallback: str = "") -> str:
    """The generated text of `kind` worded in the active language; `fallback` when unknown.

    An app taken out of INSTALLED_APPS, or parameters stored by an older version that no longer
    fit, leave the text as it was stored rather than break the page.
    """
    global _generated_cache, _generated_cache_version
    if not kind:
        return fallback
    # Rebuilt when an app registers or the installed apps change (tests swap INSTALLED_APPS
    # without every app's ready() running again).
    version = (generated_texts.version, tuple(apps.app_configs))
    if _generated_cache_version != version:
        _generated_cache = {entry.key: entry for entry in generated_texts.entries()}
        _generated_cache_version = version
    entry = _generated_cache.get(kind)
    if entry is None:
        return fallback
    try:
        return str(entry.render(dict(params or {})))
    except (KeyError, TypeError, ValueError):
        return fallback
