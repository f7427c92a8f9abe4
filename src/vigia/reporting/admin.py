"""Admin for the workflow: roles are managed here; campaigns, reports and commitments are shown
read-only (they change only through their pages, which check permissions, four eyes and closed
campaigns, and record every change)."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from vigia.core.admin import ReadOnlyAdmin

from . import models as m


@admin.register(m.Profile)
class ProfileAdmin(SimpleHistoryAdmin):
    list_display = ("user", "role", "entity")
    list_filter = ("role", "entity")
    filter_horizontal = ("units",)


class ReadOnlyHistoryAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """The history is consulted, never reverted from here (django-simple-history would save a
        POST to this view without asking for the change permission)."""
        if request.method != "GET":
            raise PermissionDenied("El historial se consulta; no se revierte desde la administración.")
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(m.Campaign)
class CampaignAdmin(ReadOnlyHistoryAdmin):
    list_display = ("name", "plan", "year", "period", "opens", "deadline", "closed")
    list_filter = ("plan", "closed")


@admin.register(m.Submission)
class SubmissionAdmin(ReadOnlyHistoryAdmin):
    list_display = ("indicator", "campaign", "value", "status", "state", "updated_by", "updated_at")
    list_filter = ("campaign", "state")


@admin.register(m.Commitment)
class CommitmentAdmin(ReadOnlyHistoryAdmin):
    list_display = ("code", "plan", "status", "responsible", "deadline")
    list_filter = ("plan", "status")


@admin.register(m.PeriodLock)
class PeriodLockAdmin(ReadOnlyHistoryAdmin):
    """Periods are locked and unlocked, with the reason, in Gestión de planes."""

    list_display = ("plan", "year", "period", "locked", "reason", "changed_by", "changed_at")
    list_filter = ("plan", "locked")
