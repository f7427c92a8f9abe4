from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import models as m


@admin.register(m.Profile)
class ProfileAdmin(SimpleHistoryAdmin):
    list_display = ("user", "role", "entity")
    list_filter = ("role", "entity")
    filter_horizontal = ("units",)


@admin.register(m.Campaign)
class CampaignAdmin(SimpleHistoryAdmin):
    list_display = ("name", "plan", "year", "period", "opens", "deadline", "closed")
    list_filter = ("plan", "closed")
    filter_horizontal = ("indicators",)


@admin.register(m.Submission)
class SubmissionAdmin(SimpleHistoryAdmin):
    list_display = ("indicator", "campaign", "value", "status", "state", "updated_by", "updated_at")
    list_filter = ("campaign", "state")
    readonly_fields = [f.name for f in m.Submission._meta.fields]

    def has_delete_permission(self, request, obj=None):
        return False  # nothing is ever hard-deleted


@admin.register(m.Commitment)
class CommitmentAdmin(SimpleHistoryAdmin):
    list_display = ("code", "plan", "status", "responsible", "deadline")
    list_filter = ("plan", "status")

    def has_delete_permission(self, request, obj=None):
        return False
