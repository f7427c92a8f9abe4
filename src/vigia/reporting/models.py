"""Who reports what: roles, reporting campaigns, submissions and their review, evidence,
notifications and the matriz de compromisos. Every change keeps its history; nothing is
hard-deleted."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from vigia.core.models import Element, Entity, Indicator, Plan, ResponsibleUnit


class Role(models.TextChoices):
    ADMIN = "admin", "Administrador (oficina de planeamiento)"
    ANALYST = "analyst", "Analista / revisor"
    OPERATOR = "operator", "Operador de entidad"
    DECISION = "decision", "Tomador de decisiones"


class Profile(models.Model):
    """A user's role and, for an operador, the entity (and units) it reports for."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="profile", verbose_name="usuario")
    role = models.CharField("rol", max_length=10, choices=Role.choices)
    entity = models.ForeignKey(Entity, models.PROTECT, null=True, blank=True, related_name="profiles", verbose_name="entidad")
    units = models.ManyToManyField(ResponsibleUnit, blank=True, verbose_name="unidades (opcional)")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "perfil"
        verbose_name_plural = "perfiles"

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class Campaign(models.Model):
    """A reporting campaign: which plan, period and indicators, until when."""

    class Period(models.TextChoices):
        YEAR = "anual", "Anual"
        S1 = "S1", "Primer semestre"

    plan = models.ForeignKey(Plan, models.PROTECT, related_name="campaigns", verbose_name="plan")
    name = models.CharField("nombre", max_length=200)
    year = models.PositiveSmallIntegerField("año")
    period = models.CharField("periodo", max_length=5, choices=Period.choices, default=Period.YEAR)
    opens = models.DateField("inicio")
    deadline = models.DateField("plazo")
    indicators = models.ManyToManyField(Indicator, related_name="campaigns", verbose_name="indicadores")
    entity = models.ForeignKey(Entity, models.PROTECT, null=True, blank=True, related_name="campaigns",
                               verbose_name="entidad (vacío: todas las del plan)")
    no_target_reason = models.TextField("motivo para abrir sin logros esperados", blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="abierta por")
    created_at = models.DateTimeField("creada", auto_now_add=True)
    closed = models.BooleanField("cerrada", default=False)
    history = HistoricalRecords(m2m_fields=[indicators])

    class Meta:
        verbose_name = "campaña de reporte"
        verbose_name_plural = "campañas de reporte"
        ordering = ["-year", "-created_at"]
        # Several campaigns may share a plan, year and period as long as they share no indicator:
        # checked by ``campaigns.check_overlap`` when a campaign is opened or its indicators change.

    def __str__(self) -> str:
        return self.name


class State(models.TextChoices):
    DRAFT = "draft", "Borrador"
    SUBMITTED = "submitted", "Enviado"
    OBSERVED = "observed", "Observado"
    APPROVED = "approved", "Aprobado"
    PUBLISHED = "published", "Publicado"


class Submission(models.Model):
    """An entity's report of one indicator in one campaign, and where it is in the review."""

    campaign = models.ForeignKey(Campaign, models.PROTECT, related_name="submissions", verbose_name="campaña")
    indicator = models.ForeignKey(Indicator, models.PROTECT, related_name="submissions", verbose_name="indicador")
    value = models.FloatField("valor obtenido", null=True, blank=True)
    status = models.CharField("estado del dato", max_length=2, blank=True, choices=[("", "Con valor"), ("ND", "ND"), ("SD", "SD")])
    reason = models.TextField("motivo (ND/SD)", blank=True)
    numerator = models.FloatField("numerador", null=True, blank=True)
    denominator = models.FloatField("denominador", null=True, blank=True)
    source = models.CharField("fuente", max_length=300, blank=True)
    analysis = models.TextField("análisis descriptivo", blank=True)
    justification = models.TextField("justificación de la variación", blank=True)
    state = models.CharField("estado", max_length=10, choices=State.choices, default=State.DRAFT)
    version = models.PositiveIntegerField("versión", default=0)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+", verbose_name="modificado por")
    updated_at = models.DateTimeField("modificado", auto_now=True)
    approved_value = models.FloatField("valor aprobado", null=True, blank=True)
    approved_status = models.CharField("estado aprobado", max_length=2, blank=True)
    approved_at = models.DateTimeField("aprobado", null=True, blank=True)
    published_at = models.DateTimeField("publicado", null=True, blank=True)
    revised_at = models.DateTimeField("revisado", null=True, blank=True)
    authors = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+",
                                     verbose_name="guardado o enviado por (desde su última publicación)")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "reporte de indicador"
        verbose_name_plural = "reportes de indicadores"
        ordering = ["campaign", "indicator__position"]
        constraints = [models.UniqueConstraint(fields=["campaign", "indicator"], name="one_submission_per_indicator")]

    def __str__(self) -> str:
        return f"{self.indicator.code} · {self.campaign}"

    @property
    def changed_since_approval(self) -> bool:
        return self.approved_at is not None and (self.value, self.status) != (self.approved_value, self.approved_status)


class Transition(models.Model):
    """Who moved a submission from one state to another, when and why."""

    submission = models.ForeignKey(Submission, models.PROTECT, related_name="transitions", verbose_name="reporte")
    source = models.CharField("de", max_length=10, choices=State.choices)
    target = models.CharField("a", max_length=10, choices=State.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="usuario")
    at = models.DateTimeField("fecha", auto_now_add=True)
    comment = models.TextField("comentario", blank=True)

    class Meta:
        verbose_name = "transición"
        verbose_name_plural = "transiciones"
        ordering = ["at", "id"]


def evidence_path(instance, filename: str) -> str:
    return f"evidencias/{instance.submission.campaign_id}/{instance.submission.indicator.code}/{filename}"


class Evidence(models.Model):
    submission = models.ForeignKey(Submission, models.PROTECT, related_name="evidence", verbose_name="reporte")
    file = models.FileField("archivo", upload_to=evidence_path)
    name = models.CharField("nombre", max_length=255)
    size = models.PositiveIntegerField("tamaño")
    content_type = models.CharField("tipo", max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="subido por")
    uploaded_at = models.DateTimeField("subido", auto_now_add=True)
    withdrawn = models.BooleanField("retirado", default=False)

    class Meta:
        verbose_name = "evidencia"
        verbose_name_plural = "evidencias"


class ObjectiveAnalysis(models.Model):
    """The descriptive analysis of one objective in one campaign."""

    campaign = models.ForeignKey(Campaign, models.PROTECT, related_name="analyses", verbose_name="campaña")
    element = models.ForeignKey(Element, models.PROTECT, related_name="+", verbose_name="objetivo")
    text = models.TextField("análisis")
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "análisis por objetivo"
        verbose_name_plural = "análisis por objetivo"
        constraints = [models.UniqueConstraint(fields=["campaign", "element"], name="one_analysis_per_objective")]


class Notification(models.Model):
    """A notice for one user; read when opened or when the user acts on what it links to."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="notifications", verbose_name="usuario")
    text = models.TextField("mensaje")
    link = models.CharField("enlace", max_length=300, blank=True)
    created_at = models.DateTimeField("creada", auto_now_add=True)
    read = models.BooleanField("leída", default=False)
    kind = models.CharField("tipo", max_length=30)

    class Meta:
        verbose_name = "notificación"
        verbose_name_plural = "notificaciones"
        ordering = ["-created_at"]


class Commitment(models.Model):
    """Matriz de compromisos: a recommendation of an evaluation, followed up like an indicator."""

    class Status(models.TextChoices):
        PENDING = "pendiente", "Pendiente"
        IN_PROGRESS = "en_proceso", "En proceso"
        DONE = "cumplido", "Cumplido"
        NOT_DONE = "no_cumplido", "No cumplido"

    plan = models.ForeignKey(Plan, models.PROTECT, related_name="commitments", verbose_name="plan")
    code = models.CharField("código", max_length=20)
    recommendation = models.TextField("recomendación")
    source = models.CharField("fuente", max_length=200)
    responsible = models.CharField("responsable", max_length=300, blank=True)
    deadline = models.DateField("plazo", null=True, blank=True)
    status = models.CharField("estado", max_length=12, choices=Status.choices, default=Status.PENDING)
    follow_up = models.TextField("seguimiento", blank=True)
    version = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "compromiso"
        verbose_name_plural = "matriz de compromisos"
        ordering = ["plan", "code"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="unique_commitment")]

    def __str__(self) -> str:
        return f"{self.code} {self.recommendation[:60]}"


class PeriodLock(models.Model):
    """A published year (or semester) closed to changes: no value, target or analysis of it
    changes, by any path, until an administrador unlocks it with a reason. Locking a year locks
    its semester too. Each lock and unlock is kept in the history with who, when and why."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="locks", verbose_name="plan")
    year = models.PositiveSmallIntegerField("año")
    period = models.CharField("periodo", max_length=5, choices=Campaign.Period.choices, default=Campaign.Period.YEAR)
    locked = models.BooleanField("bloqueado", default=True)
    reason = models.TextField("motivo")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="por")
    changed_at = models.DateTimeField("fecha", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "bloqueo de periodo"
        verbose_name_plural = "bloqueos de periodo"
        ordering = ["plan", "-year", "period"]
        constraints = [models.UniqueConstraint(fields=["plan", "year", "period"], name="one_lock_per_period")]

    def __str__(self) -> str:
        return f"{self.plan.code} {self.year} {self.period}: {'bloqueado' if self.locked else 'desbloqueado'}"


class ApiToken(models.Model):
    """A token for an entity's own system to use the write API as ``user`` (with that user's role
    and entity). Only its SHA-256 digest is stored: the token is shown once, when created."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="api_tokens", verbose_name="usuario")
    digest = models.CharField("huella SHA-256", max_length=64, unique=True)
    prefix = models.CharField("inicio del token", max_length=12)
    created_at = models.DateTimeField("creado", auto_now_add=True)
    last_used_at = models.DateTimeField("último uso", null=True, blank=True)
    revoked_at = models.DateTimeField("revocado", null=True, blank=True)

    class Meta:
        verbose_name = "token de la API"
        verbose_name_plural = "tokens de la API"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


class ApiCall(models.Model):
    """One call of the write API: who (through which token), what, with which answer."""

    token = models.ForeignKey(ApiToken, models.PROTECT, null=True, related_name="calls", verbose_name="token")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="usuario")
    at = models.DateTimeField("fecha", auto_now_add=True)
    method = models.CharField("método", max_length=8)
    path = models.CharField("ruta", max_length=300)
    status = models.PositiveSmallIntegerField("respuesta")
    detail = models.TextField("detalle", blank=True)

    class Meta:
        verbose_name = "llamada a la API"
        verbose_name_plural = "llamadas a la API"
        ordering = ["at", "id"]


class IdempotentRequest(models.Model):
    """The answer to a POST sent with an ``Idempotency-Key``: a retry with the same key and body
    gets the same answer without writing again; the same key with another body is refused."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name="usuario")
    key = models.CharField("clave", max_length=200)
    request_hash = models.CharField("huella de la solicitud", max_length=64)
    status = models.PositiveSmallIntegerField("respuesta")
    body = models.JSONField("cuerpo de la respuesta")
    created_at = models.DateTimeField("creada", auto_now_add=True)

    class Meta:
        verbose_name = "solicitud idempotente"
        verbose_name_plural = "solicitudes idempotentes"
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_answer_per_idempotency_key")]


class Proposal(models.Model):
    """A value computed from the penitentiary registry for a linked indicator's report (ficha:
    registry_measure), waiting for the responsible operator. It never writes the report by itself:
    confirming or correcting it saves the report through the workflow (permissions, locks, review)."""

    class Decision(models.TextChoices):
        PENDING = "pendiente", "Pendiente"
        CONFIRMED = "confirmado", "Confirmado"
        CORRECTED = "corregido", "Corregido"
        SUPERSEDED = "reemplazado", "Reemplazado por un extracto posterior"

    submission = models.ForeignKey(Submission, models.PROTECT, related_name="proposals", verbose_name="reporte")
    measure = models.CharField("medida", max_length=40)
    date = models.DateField("fecha de la medida")
    extract_date = models.DateField("fecha de corte del extracto")
    extract_sha256 = models.CharField("huella del extracto", max_length=64)
    value = models.FloatField("valor calculado", null=True, blank=True)
    numerator = models.FloatField("numerador", null=True, blank=True)
    denominator = models.FloatField("denominador", null=True, blank=True)
    created_at = models.DateTimeField("calculado", auto_now_add=True)
    decision = models.CharField("decisión", max_length=12, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name="decidido por")
    decided_at = models.DateTimeField("decidido", null=True, blank=True)
    corrected_value = models.FloatField("valor corregido", null=True, blank=True)
    justification = models.TextField("justificación de la corrección", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "valor propuesto del registro"
        verbose_name_plural = "valores propuestos del registro"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.submission.indicator.code}: {self.label}"

    @property
    def label(self) -> str:
        return f"calculado del registro (extracto del {self.extract_date:%d/%m/%Y})"
