"""What `seed_demo` hands to each app's `demo.seed(context)`."""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

DEFAULT_DEMO_PASSWORD = "Demo-Network-2026!"  # noqa: S105 - documented in the README, demo only


@dataclass
class DemoContext:
    """Shared state of one demo seeding run; apps read what earlier apps created."""

    password: str = DEFAULT_DEMO_PASSWORD
    today: date = field(default_factory=timezone.localdate)
    organisations: dict = field(default_factory=dict)  # acronym -> Organisation
    people: dict = field(default_factory=dict)  # email -> User
    log: list = field(default_factory=list)

    def person(self, email):
        return self.people[email]

    def organisation(self, acronym):
        return self.organisations[acronym]
