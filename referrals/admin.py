"""The Django admin shows no personal field of a referral (PRODUCT §6): only appointments and
the service directory are administered here; referrals, consents and messages are not registered.
"""

from django.contrib import admin

from .models import ReferralOfficerAppointment, ServiceOffer


@admin.register(ReferralOfficerAppointment)
class ReferralOfficerAppointmentAdmin(admin.ModelAdmin):
    list_display = ("person", "organisation", "start_date", "end_date")
    list_filter = ("organisation",)
    raw_id_fields = ("person", "appointed_by")


@admin.register(ServiceOffer)
class ServiceOfferAdmin(admin.ModelAdmin):
    list_display = ("organisation", "kind", "response_time")
    list_filter = ("kind",)
