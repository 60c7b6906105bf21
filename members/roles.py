"""The portal's permission model: roles, what each role may do, and how views require it.

Every app imports this module; nothing else decides what a role may do.

- A *role* is either assigned (a Django Group named after the role: RCO administrator,
  secretariat, agency staff, referral officer, guest) or derived from the network's records (focal
  point and alternate from an active Appointment; co-chair for the focal point or alternate of an
  agency holding an active co-chair Membership). Platform admins are Django staff.
- A *capability* is a Django permission (`app_label.codename`, declared in that app's
  `Meta.permissions`) that the app registers in `core.registry.capabilities` from its
  `AppConfig.ready()`, with the roles that hold it; the role Groups carry the same permissions
  (synced after every migrate) so the Django admin shows them. This module names no other app.
- `has_capability(user, "<app>.<codename>")` answers from the person's roles. It does not use
  `user.has_perm`: Django lets superusers pass every has_perm, and a platform admin must not, for
  instance, record an agency's position or read a referral.
- What a role may do to one object (its own agency's deliverable, a meeting a guest is invited to)
  is decided by each app's `permissions.py` on top of this, from the domain's own records (a
  guest's invitation to a meeting is their access to it): never a second copy that could drift.
"""

from functools import wraps

from django.apps import apps
from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Exists, OuterRef, Value
from django.utils.translation import gettext_lazy as _

from core import registry


class Role(models.TextChoices):
    RCO_ADMIN = "rco_admin", _("RCO administrator")
    CO_CHAIR = "co_chair", _("Co-chair")
    SECRETARIAT = "secretariat", _("Secretariat")
    FOCAL_POINT = "focal_point", _("Focal point")
    ALTERNATE = "alternate", _("Alternate")
    AGENCY_STAFF = "agency_staff", _("Agency staff")
    REFERRAL_OFFICER = "referral_officer", _("Referral officer")
    GUEST = "guest", _("Guest stakeholder")
    PLATFORM_ADMIN = "platform_admin", _("Platform admin")


# Held through membership of the Group of the same name.
ASSIGNED_ROLES = (
    Role.RCO_ADMIN,
    Role.SECRETARIAT,
    Role.AGENCY_STAFF,
    Role.REFERRAL_OFFICER,
    Role.GUEST,
)
# Follow from appointments and memberships; never stored as group membership.
DERIVED_ROLES = (Role.FOCAL_POINT, Role.ALTERNATE, Role.CO_CHAIR)
# Roles held by people of member agencies, who may read the network's internal records.
MEMBER_ROLES = frozenset(
    {
        Role.RCO_ADMIN,
        Role.CO_CHAIR,
        Role.SECRETARIAT,
        Role.FOCAL_POINT,
        Role.ALTERNATE,
        Role.AGENCY_STAFF,
        Role.REFERRAL_OFFICER,
    }
)


def role_capabilities():
    """Each role's capabilities, from what the installed apps registered (core.registry)."""
    # Called on every permission check: the key is O(1). Django replaces the `app_configs` dict
    # when the installed apps change (tests' override_settings), so its identity marks a change.
    key = (registry.capabilities.version, id(apps.app_configs))
    if _role_capabilities_cache.get("key") != key:
        by_role = {role: set() for role in Role}
        for capability in registry.capabilities.entries():
            for role in capability.roles:
                by_role[Role(role)].add(capability.codename)
        _role_capabilities_cache.update(
            key=key, value={role: frozenset(caps) for role, caps in by_role.items()}
        )
    return _role_capabilities_cache["value"]


_role_capabilities_cache = {}

_CACHE_ATTR = "_unnm_roles"


def roles_of(user):
    """The roles a person holds now (cached on the user object for the request)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached["roles"]
    from django.contrib.auth.models import Group

    from .models import Appointment, Membership

    # One query for both sources, run on every page: the person's groups and their active
    # appointments (with whether the agency co-chairs), as rows of (name or kind, organisation
    # or None, co-chair). `order_by()` drops the default orderings, which UNION does not take.
    appointments = (
        Appointment.objects.active()
        .filter(person=user)
        .annotate(
            is_co_chair=Exists(
                Membership.objects.active().filter(
                    organisation=OuterRef("organisation"), role=Membership.Role.CO_CHAIR
                )
            )
        )
        .order_by()
        .values_list("kind", "organisation_id", "is_co_chair")
    )
    groups = (
        Group.objects.filter(user=user)
        .order_by()
        .annotate(
            organisation_id=Value(None, output_field=models.BigIntegerField()),
            is_co_chair=Value(False, output_field=models.BooleanField()),
        )
        .values_list("name", "organisation_id", "is_co_chair")
    )
    roles = set()
    group_names = set()
    rows = []
    for name, organisation_id, is_co_chair in groups.union(appointments, all=True):
        if organisation_id is None:
            group_names.add(name)
        else:
            rows.append((name, organisation_id, is_co_chair))
    roles.update(role for role in ASSIGNED_ROLES if role.value in group_names)
    if user.is_staff:
        roles.add(Role.PLATFORM_ADMIN)
    represented = set()
    for kind, organisation_id, is_co_chair in rows:
        roles.add(Role(kind))
        represented.add(organisation_id)
        if is_co_chair:
            roles.add(Role.CO_CHAIR)
    frozen = frozenset(roles)
    setattr(user, _CACHE_ATTR, {"roles": frozen, "represented": frozenset(represented)})
    return frozen


def forget_roles(user):
    """Drop the cached roles after a change of appointment or group within the same request."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def has_role(user, *roles):
    """Whether the person holds at least one of these roles."""
    return bool(roles_of(user) & set(roles))


def is_member(user):
    """Whether the person is on the UN side of the network (not a guest, not only an admin)."""
    return bool(roles_of(user) & MEMBER_ROLES)


def represented_organisation_ids(user):
    """The agencies this person speaks for as active focal point or alternate."""
    if not roles_of(user):
        return frozenset()
    return getattr(user, _CACHE_ATTR)["represented"]


def capabilities_of(user):
    capabilities = set()
    for role in roles_of(user):
        capabilities |= role_capabilities()[role]
    return frozenset(capabilities)


def has_capability(user, capability):
    """Whether one of the person's roles grants this capability (`app_label.codename`)."""
    table = role_capabilities()
    return any(capability in table[role] for role in roles_of(user))


class CapabilityRequiredMixin(AccessMixin):
    """Requires a signed-in person with `capability` (or any of `capabilities`); else 403.

    Anonymous → sign-in page. Then `load_objects()` runs (look the page's objects up inside a
    `visible_to(user)` queryset, so others' objects are a 404), then `has_access()` decides:
    views may override it for a rule that needs more than a capability (it may use what
    `load_objects()` found). Deny by default: a view using this mixin with nothing declared
    refuses everyone.
    """

    capability = None
    capabilities = ()

    def required_capabilities(self):
        return (self.capability,) if self.capability else tuple(self.capabilities)

    def load_objects(self):
        """Hook: look up the objects the page is about (after sign-in, before `has_access`)."""

    def has_access(self):
        user = self.request.user
        return any(has_capability(user, cap) for cap in self.required_capabilities())

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.load_objects()
        if not self.has_access():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class MemberRequiredMixin(CapabilityRequiredMixin):
    """Any signed-in person of a member agency or the RCO (not guests)."""

    def has_access(self):
        return is_member(self.request.user)


def capability_required(*capabilities):
    """Decorator for function views: requires one of the capabilities; anonymous → sign-in."""

    def decorator(view_func):
        @wraps(view_func)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not any(has_capability(request.user, cap) for cap in capabilities):
                raise PermissionDenied
            return view_func(request, *args, **kwargs)

        return wrapped

    return decorator


def sync_role_groups(sender=None, **kwargs):
    """Create a Group per role and give it the registered capabilities that exist now.

    Connected to post_migrate, which fires once per installed app (and after every flush of the
    transactional tests): it does its work once, after the last app, when every app's
    permissions exist.
    """
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    if sender is not None and sender is not list(apps.get_app_configs())[-1]:
        return

    permissions = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.values_list(
            "pk", "content_type__app_label", "codename"
        )
    }
    by_role = role_capabilities()
    for role in Role:
        group, _created = Group.objects.get_or_create(name=role.value)
        wanted = [permissions[cap] for cap in by_role[role] if cap in permissions]
        group.permissions.set(wanted)
