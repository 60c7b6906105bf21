from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from core import audit

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "job_title", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["full_name", "job_title", "phone", "preferred_language"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]}),
    ]

    # Accounts are the one domain record the admin changes (activation, staff status, roles as
    # groups): each change is written to the audit trail like a change made in the portal.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        fields = sorted(name for name in form.changed_data if name not in ("groups", "password"))
        if not change:
            audit.record("accounts.user.created_in_admin", actor=request.user, obj=obj)
        elif fields or "password" in form.changed_data:
            audit.record(
                "accounts.user.changed_in_admin",
                actor=request.user,
                obj=obj,
                fields=fields + (["password"] if "password" in form.changed_data else []),
            )

    def save_related(self, request, form, formsets, change):
        before = set(form.instance.groups.values_list("name", flat=True)) if change else set()
        super().save_related(request, form, formsets, change)
        after = set(form.instance.groups.values_list("name", flat=True))
        if before != after:
            audit.record(
                "accounts.user.groups_changed_in_admin",
                actor=request.user,
                obj=form.instance,
                granted=sorted(after - before),
                revoked=sorted(before - after),
            )
            from members.roles import forget_roles

            forget_roles(form.instance)

    def delete_model(self, request, obj):
        audit.record("accounts.user.deleted_in_admin", actor=request.user, obj=obj)
        super().delete_model(request, obj)
