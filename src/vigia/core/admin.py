"""Django admin for the plans' metadata, in Spanish."""

from django.conf import settings
from django.contrib import admin

from . import models as m

admin.site.site_header = "Vigía — administración" + (" · DATOS DE DEMOSTRACIÓN" if settings.VIGIA_DEMO else "")
admin.site.site_title = "Vigía"
admin.site.index_title = "Metadatos de planes, indicadores, entidades y usuarios"


class ReadOnlyAdmin(admin.ModelAdmin):
    """Workflow data is shown, never edited here: values change only through reports, review and
    publication (or the targets page), which record who, when and why and keep caches in step."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(m.Entity)
class EntityAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(m.ResponsibleUnit)
class ResponsibleUnitAdmin(admin.ModelAdmin):
    list_display = ("name", "entity")
    list_filter = ("entity",)
    search_fields = ("name",)


class VintageInline(admin.TabularInline):
    model = m.Vintage
    extra = 0


@admin.register(m.Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "entity", "period_start", "period_end", "current_vintage", "version")
    list_filter = ("kind",)
    search_fields = ("code", "name")
    inlines = [VintageInline]
    readonly_fields = ("version", "updated_at")


@admin.register(m.Element)
class ElementAdmin(admin.ModelAdmin):
    list_display = ("code", "level", "name", "plan", "parent")
    list_filter = ("plan", "level")
    search_fields = ("code", "name")
    raw_id_fields = ("parent",)


@admin.register(m.Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "plan", "entity", "direction", "unit", "baseline_year")
    list_filter = ("plan", "entity", "direction", "unit", "type")
    search_fields = ("code", "name")
    raw_id_fields = ("element",)


@admin.register(m.Alignment)
class AlignmentAdmin(admin.ModelAdmin):
    list_display = ("plan", "code", "target_plan", "target_code")
    list_filter = ("plan", "target_plan")


@admin.register(m.Value)
class ValueAdmin(ReadOnlyAdmin):
    list_display = ("indicator", "vintage", "year", "period", "kind", "value", "status", "source")
    list_filter = ("vintage__plan", "vintage", "kind", "year", "status")
    search_fields = ("indicator__code", "note", "source")
    raw_id_fields = ("indicator",)


class ChangeInline(admin.TabularInline):
    model = m.Change
    extra = 0
    can_delete = False
    readonly_fields = ("model", "code", "field", "old", "new")


@admin.register(m.DatasetLoad)
class DatasetLoadAdmin(admin.ModelAdmin):
    list_display = ("plan", "loaded_at", "created", "updated", "deleted")
    readonly_fields = ("plan", "loaded_at", "checksum", "created", "updated", "deleted")
    inlines = [ChangeInline]

    def has_add_permission(self, request):
        return False


@admin.register(m.PlanVersion)
class PlanVersionAdmin(ReadOnlyAdmin):
    """Versions are registered from the plan's workbook (Gestión de planes or `vigia plan import`)."""

    list_display = ("plan", "number", "legal_reference", "applies_from", "created_at", "created_by")
    list_filter = ("plan",)
    exclude = ("snapshot", "changes")


class OrgUnitCapacityInline(admin.TabularInline):
    model = m.OrgUnitCapacity
    extra = 0
    can_delete = False
    readonly_fields = ("since", "capacity", "area_m2")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(m.OrgUnit)
class OrgUnitAdmin(ReadOnlyAdmin):
    """Read-only: the units come from the registry extract (vigia registry import)."""

    list_display = ("code", "name", "kind", "parent", "department", "active")
    list_filter = ("kind", "parent", "active")
    search_fields = ("code", "name")
    inlines = [OrgUnitCapacityInline]
