"""Storage of plans, their hierarchy, indicator fichas and values.

Progress is never stored: it is computed by ``vigia.methodology`` from these values, so a
corrected value changes every figure that depends on it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from vigia.datasets.checks import STATED_KINDS
from vigia.registry.measures import MEASURES

REGISTRY_MEASURES = [(m.name, f"{m.name} — {m.label}") for m in MEASURES]


class Entity(models.Model):
    """An entity responsible for indicators or plans (INPE, Poder Judicial, MINJUSDH…)."""

    code = models.CharField("sigla", max_length=80, unique=True)
    name = models.CharField("nombre", max_length=255)

    class Meta:
        verbose_name = "entidad"
        verbose_name_plural = "entidades"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class ResponsibleUnit(models.Model):
    entity = models.ForeignKey(Entity, models.PROTECT, related_name="units", verbose_name="entidad", null=True, blank=True)
    name = models.CharField("nombre", max_length=400)

    class Meta:
        verbose_name = "unidad responsable"
        verbose_name_plural = "unidades responsables"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["entity", "name"], name="unique_unit_per_entity")]

    def __str__(self) -> str:
        return self.name


class Plan(models.Model):
    class Kind(models.TextChoices):
        POLICY = "policy", "Política nacional"
        PEI = "pei", "Plan estratégico institucional"
        PP = "pp", "Programa presupuestal"

    code = models.SlugField("código", max_length=40, unique=True)
    kind = models.CharField("tipo", max_length=10, choices=Kind.choices)
    name = models.CharField("nombre", max_length=400)
    ruleset = models.CharField("reglas de cálculo", max_length=20)
    entity = models.ForeignKey(Entity, models.PROTECT, related_name="plans", verbose_name="entidad")
    period_start = models.PositiveSmallIntegerField("inicio", null=True, blank=True)
    period_end = models.PositiveSmallIntegerField("fin", null=True, blank=True)
    current_vintage = models.CharField("edición vigente", max_length=40)
    levels = models.JSONField("niveles", default=list)
    texts = models.JSONField("textos", default=dict, blank=True)
    position = models.PositiveSmallIntegerField("orden", default=0)
    version = models.PositiveIntegerField("versión de datos", default=0, editable=False)
    updated_at = models.DateTimeField("actualizado", auto_now=True)

    class Meta:
        verbose_name = "plan"
        verbose_name_plural = "planes"
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name


class Vintage(models.Model):
    """A report edition: the values a given document states."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="vintages", verbose_name="plan")
    code = models.CharField("código", max_length=40)
    name = models.CharField("nombre", max_length=300)
    seed = models.CharField("documento fuente", max_length=200)
    date = models.DateField("fecha", null=True, blank=True)
    stated_formula = models.CharField("fórmula declarada", max_length=20, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "edición"
        verbose_name_plural = "ediciones"
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="unique_vintage")]

    def __str__(self) -> str:
        return f"{self.plan.code} {self.code}"


class Element(models.Model):
    """A node of a plan's hierarchy: OP, LN, SS, OEI, AEI, AO, products…"""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="elements", verbose_name="plan")
    code = models.CharField("código", max_length=60)
    level = models.CharField("nivel", max_length=20)
    name = models.TextField("nombre")
    parent = models.ForeignKey("self", models.CASCADE, null=True, blank=True, related_name="children", verbose_name="depende de")
    position = models.PositiveIntegerField("orden", default=0)
    attributes = models.JSONField("atributos", default=dict, blank=True)
    texts = models.JSONField("textos", default=dict, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "elemento"
        verbose_name_plural = "elementos"
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="unique_element")]

    def __str__(self) -> str:
        return f"{self.code} {self.name[:60]}"


class Indicator(models.Model):
    """An indicator and its ficha."""

    class Direction(models.TextChoices):
        ASCENDING = "ascending", "Ascendente"
        DESCENDING = "descending", "Descendente"
        UNDEFINED = "undefined", "No definido"

    class Unit(models.TextChoices):
        PERCENTAGE = "percentage", "Porcentaje"
        NUMBER = "number", "Número"
        RATE = "rate", "Tasa"
        RATIO = "ratio", "Ratio"
        INDEX = "index", "Índice"
        AMOUNT = "amount", "Cantidad"
        VARIATION_RATE = "variation_rate", "Tasa de variación"

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="indicators", verbose_name="plan")
    code = models.CharField("código", max_length=60)
    name = models.TextField("nombre")
    element = models.ForeignKey(Element, models.CASCADE, related_name="indicators", verbose_name="elemento")
    entity = models.ForeignKey(Entity, models.PROTECT, null=True, blank=True, related_name="indicators", verbose_name="entidad responsable")
    responsible_unit = models.ForeignKey(ResponsibleUnit, models.PROTECT, null=True, blank=True, related_name="indicators", verbose_name="unidad responsable")
    data_source = models.TextField("fuente de datos", blank=True)
    type = models.CharField("tipo", max_length=100, blank=True)
    direction = models.CharField("sentido esperado", max_length=12, choices=Direction.choices)
    bound = models.CharField("límite permisible", max_length=3, blank=True, choices=[("max", "Máximo"), ("min", "Mínimo")])
    accumulated = models.BooleanField("acumulado", default=False)
    additive = models.BooleanField("agregable", default=False)
    unit = models.CharField("unidad de medida", max_length=20, choices=Unit.choices)
    unit_label = models.CharField("etiqueta de unidad", max_length=200, blank=True)
    decimals = models.PositiveSmallIntegerField("decimales", null=True, blank=True, help_text="Decimales con que se publican sus valores; vacío: según la unidad.")
    baseline_year = models.PositiveSmallIntegerField("año de línea de base", null=True, blank=True)
    valid_min = models.FloatField("mínimo válido", null=True, blank=True)
    valid_max = models.FloatField("máximo válido", null=True, blank=True)
    numerator_label = models.CharField("numerador", max_length=300, blank=True)
    denominator_label = models.CharField("denominador", max_length=300, blank=True)
    registry_measure = models.CharField(
        "medida del registro penitenciario", max_length=40, blank=True, choices=REGISTRY_MEASURES,
        help_text="Con una medida, cada importación del registro propone el valor obtenido del periodo de la campaña abierta.")
    texts = models.JSONField("textos", default=dict, blank=True)
    position = models.PositiveIntegerField("orden", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "indicador"
        verbose_name_plural = "indicadores"
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="unique_indicator")]

    def __str__(self) -> str:
        return f"{self.code} {self.name[:60]}"


class Alignment(models.Model):
    """Articulación: a link from an element or indicator of one plan to one of another plan."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="alignments", verbose_name="plan")
    code = models.CharField("código de origen", max_length=60)
    target_plan = models.CharField("plan destino", max_length=40)
    target_code = models.CharField("código destino", max_length=60)

    class Meta:
        verbose_name = "articulación"
        verbose_name_plural = "articulaciones"
        constraints = [models.UniqueConstraint(fields=["plan", "code", "target_plan", "target_code"], name="unique_alignment")]

    def __str__(self) -> str:
        return f"{self.plan.code}:{self.code} → {self.target_plan}:{self.target_code}"


class Value(models.Model):
    """One figure of an indicator's series, as one report edition states it."""

    class Kind(models.TextChoices):
        BASELINE = "baseline", "Línea de base"
        TARGET = "target", "Logro esperado"
        ACTUAL = "actual", "Valor obtenido"
        TARGET_PRINTED = "target_printed", "Logro esperado impreso"
        ACTUAL_PRINTED = "actual_printed", "Valor obtenido impreso"
        ACTUAL_STATED = "actual_stated", "Valor obtenido citado en el texto"
        NUMERATOR = "numerator", "Numerador citado"
        DENOMINATOR = "denominator", "Denominador citado"

    class Status(models.TextChoices):
        NONE = "", "Con valor"
        ND = "ND", "ND (no disponible)"
        SD = "SD", "SD (sin dato)"

    class State(models.TextChoices):
        PUBLISHED = "published", "Publicado"  # the portal's figures; working values live in reporting.Submission

    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="values", verbose_name="indicador")
    vintage = models.ForeignKey(Vintage, models.CASCADE, related_name="values", verbose_name="edición")
    year = models.PositiveSmallIntegerField("año")
    period = models.CharField("periodo", max_length=5, default="anual")
    kind = models.CharField("tipo", max_length=20, choices=Kind.choices)
    value = models.FloatField("valor", null=True, blank=True)
    status = models.CharField("estado del dato", max_length=2, blank=True, choices=Status.choices)
    source = models.CharField("fuente", max_length=200)
    note = models.TextField("nota", blank=True)
    state = models.CharField("estado", max_length=20, choices=State.choices, default=State.PUBLISHED)
    resolution = models.CharField("resolución que lo sustenta", max_length=200, blank=True)
    revised_at = models.DateTimeField("revisado", null=True, blank=True)
    updated_at = models.DateTimeField("actualizado", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "valor"
        verbose_name_plural = "valores"
        ordering = ["indicator", "kind", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "vintage", "year", "period", "kind"], name="unique_value",
                                    condition=~models.Q(kind__in=STATED_KINDS)),
            # two passages of a document may state the same figure differently: each is kept with its source
            models.UniqueConstraint(fields=["indicator", "vintage", "year", "period", "kind", "source"], name="unique_stated_value",
                                    condition=models.Q(kind__in=STATED_KINDS)),
            models.CheckConstraint(
                condition=(models.Q(value__isnull=True) & ~models.Q(status="")) | (models.Q(value__isnull=False) & models.Q(status="")),
                name="value_xor_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.kind} {self.year}"


class PublishedFigure(models.Model):
    """An avance exactly as a document prints it, kept to check it against the data."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="published_figures", verbose_name="plan")
    vintage = models.ForeignKey(Vintage, models.CASCADE, related_name="published_figures", verbose_name="edición")
    code = models.CharField("código", max_length=60)
    year = models.PositiveSmallIntegerField("año")
    period = models.CharField("periodo", max_length=5, default="anual")
    value = models.FloatField("avance publicado", null=True, blank=True)
    status = models.CharField("estado del dato", max_length=2, blank=True)
    source = models.CharField("fuente", max_length=200)
    note = models.TextField("nota", blank=True)

    class Meta:
        verbose_name = "cifra publicada"
        verbose_name_plural = "cifras publicadas"
        constraints = [models.UniqueConstraint(fields=["vintage", "code", "year", "period", "source"], name="unique_published")]


class DatasetLoad(models.Model):
    """One run of `vigia load` for a plan, with what it changed."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="loads", verbose_name="plan")
    loaded_at = models.DateTimeField("cargado", auto_now_add=True)
    checksum = models.CharField("huella", max_length=64)
    created = models.PositiveIntegerField("creados", default=0)
    updated = models.PositiveIntegerField("modificados", default=0)
    deleted = models.PositiveIntegerField("eliminados", default=0)

    class Meta:
        verbose_name = "carga de datos"
        verbose_name_plural = "cargas de datos"
        ordering = ["-loaded_at"]


class Change(models.Model):
    """A field that a dataset load changed: what it was and what it became."""

    load = models.ForeignKey(DatasetLoad, models.CASCADE, related_name="changes", verbose_name="carga")
    model = models.CharField("objeto", max_length=40)
    code = models.CharField("código", max_length=200)
    field = models.CharField("campo", max_length=60)
    old = models.TextField("antes", blank=True)
    new = models.TextField("después", blank=True)

    class Meta:
        verbose_name = "cambio"
        verbose_name_plural = "cambios"


class PlanVersion(models.Model):
    """A version of a plan: its structure, fichas and targets as a legal instrument approved them,
    in force from a date. The newest is the plan as stored; each earlier one keeps a frozen copy of
    itself (``snapshot``), so the years it governs are evaluated as it defined them."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="versions", verbose_name="plan")
    number = models.PositiveSmallIntegerField("versión")
    legal_reference = models.CharField("norma que la aprueba", max_length=300)
    applies_from = models.DateField("vigente desde", null=True, blank=True, help_text="Vacío: desde el inicio del plan.")
    note = models.TextField("descripción", blank=True)
    created_at = models.DateTimeField("registrada", auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="registrada por")
    snapshot = models.JSONField("contenido congelado", null=True, blank=True, editable=False)
    changes = models.JSONField("cambios respecto de la versión anterior", default=list, blank=True, editable=False)

    class Meta:
        verbose_name = "versión del plan"
        verbose_name_plural = "versiones del plan"
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="unique_plan_version")]

    def __str__(self) -> str:
        return f"{self.plan.code} v{self.number} ({self.legal_reference})"


class OrgUnit(models.Model):
    """An organisational unit of INPE, as DHIS2 has them: the institution (nation), its oficinas
    regionales, and their establishments (EP penitentiary, EML medio libre). Loaded from the
    registry's establishments at each import; never edited by hand (the extract is the source)."""

    class Kind(models.TextChoices):
        NATION = "nacion", "Institución (nacional)"
        OFFICE = "oficina", "Oficina regional"
        EP = "EP", "Establecimiento penitenciario (EP)"
        EML = "EML", "Establecimiento de medio libre (EML)"

    code = models.CharField("código", max_length=80, unique=True)
    name = models.CharField("nombre", max_length=300)
    kind = models.CharField("tipo", max_length=8, choices=Kind.choices)
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name="depende de")
    department = models.CharField("departamento (ubigeo)", max_length=2, blank=True)
    active = models.BooleanField("en el último extracto", default=True)
    position = models.PositiveIntegerField("orden", default=0)

    class Meta:
        verbose_name = "unidad organizativa"
        verbose_name_plural = "unidades organizativas"
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}" if self.kind in (self.Kind.EP, self.Kind.EML) else self.name


class OrgUnitCapacity(models.Model):
    """An establishment's capacity (capacidad de albergue) and area from a date on (the row in force
    on a date is the latest `since` not after it)."""

    unit = models.ForeignKey(OrgUnit, models.CASCADE, related_name="capacities", verbose_name="establecimiento")
    since = models.DateField("desde")
    capacity = models.PositiveIntegerField("capacidad de albergue", null=True, blank=True)
    area_m2 = models.FloatField("área (m²)", null=True, blank=True)

    class Meta:
        verbose_name = "capacidad y área"
        verbose_name_plural = "capacidades y áreas"
        ordering = ["unit", "since"]
        constraints = [models.UniqueConstraint(fields=["unit", "since"], name="one_capacity_per_date")]
