"""The permission matrix: each page of the portal, for each demo role, → the status it must get.

Each app declares its pages in `tests/permission_matrix/<app>.py` as a list named `PAGES`;
`tests/test_permission_matrix.py` walks them all with the demo accounts (`demo_world`), and fails
when a URL pattern of the project's own apps is missing from the matrix — so a new page cannot be
added without saying who may open it (pretix's control permission tests; Zulip's "some URLs are
untested" check).

    from tests.permission_matrix import Page, allow

    PAGES = [
        Page("meetings:list", allow(MEMBERS)),                  # members 200, others 403
        Page("meetings:detail", allow(MEMBERS, guest=404), kwargs=lambda w: {"pk": ...}),
        Page("meetings:cancel", allow(CO_CHAIRS, ok=302), method="post", data={...}),
    ]

`kwargs(world)` and `data(world)` receive the DemoContext of `demo_world` and may create objects.
"""

from dataclasses import dataclass, field
from typing import Any

ROLES = (
    "anonymous",
    "admin",
    "rco",
    "iom_focal",
    "ilo_focal",
    "unhcr_focal",
    "unicef_focal",
    "who_alternate",
    "undp_staff",
    "iom_referrals",
    "unhcr_referrals",
    "guest",
)

# Groups of demo accounts by what they hold (see members/demo.py and docs/PRODUCT.md §1).
EVERYONE = ROLES[1:]
CO_CHAIRS = ("iom_focal", "ilo_focal")  # IOM and ILO co-chair; IOM is also the secretariat
SECRETARIAT = ("iom_focal",)
FOCAL_POINTS = ("iom_focal", "ilo_focal", "unhcr_focal", "unicef_focal", "who_alternate")
MEMBERS = (
    "rco",
    "iom_focal",
    "ilo_focal",
    "unhcr_focal",
    "unicef_focal",
    "who_alternate",
    "undp_staff",
    "iom_referrals",
    "unhcr_referrals",
)
RCO = ("rco",)


def allow(roles, *, ok=200, denied=403, anonymous=302, **overrides):
    """Expected statuses: `roles` get `ok`, other signed-in roles `denied`, anonymous a redirect."""
    expected = {role: (ok if role in roles else denied) for role in EVERYONE}
    expected["anonymous"] = anonymous
    expected.update(overrides)
    return expected


@dataclass
class Page:
    url_name: str
    expect: dict
    kwargs: Any = None  # callable(world) -> dict of URL kwargs
    method: str = "get"
    data: Any = None  # dict, or callable(world) -> dict (POST body / GET query)
    htmx: bool = False
    public: bool = False  # open to anonymous visitors (the language switch), not a refusal
    note: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def id(self):
        suffix = f"[{self.note}]" if self.note else ""
        return f"{self.url_name}:{self.method}{suffix}"
