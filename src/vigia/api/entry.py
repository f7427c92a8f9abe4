"""The write API: an entity's own system reports through ``/api/campanas/`` with a token
(``Authorization: Bearer <token>``, created with ``vigia tokens create USER`` or on «Mi cuenta»).

The token acts as its user, with that user's role and entity. A POST is one delivery through
``reporting.batch`` — the same validation, permissions, optimistic lock per row, four eyes and
closed campaigns as the web's grid — all rows or none. With an ``Idempotency-Key`` a retried
POST gets the first answer again without writing twice. Every call goes to the audit trail.
"""

from __future__ import annotations

import hashlib
import json

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from ninja import Header, Path, Router, Status
from ninja.errors import HttpError
from ninja.security import HttpBearer

from vigia.reporting import batch, grid, tokens
from vigia.reporting import permissions as perms
from vigia.reporting.models import Campaign, IdempotentRequest
from vigia.reporting.preview import Context

from . import entry_schemas as s
from .schemas import ErrorOut, ValidationErrorOut

FIELDS = ("value", "status", "reason", "source", "numerator", "denominator", "analysis", "justification")
KEY = Header(None, alias="Idempotency-Key", max_length=200,
             description="Clave única de esta entrega (p. ej. un UUID): un reintento con la misma clave y el mismo cuerpo "
                         "recibe la misma respuesta sin volver a escribir; la misma clave con otro cuerpo se rechaza (422).")


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>`` of an active token of a user with a role."""

    def authenticate(self, request, token):
        found = tokens.authenticate(token)
        if found is None:
            return None
        request.api_token = found
        return found.user


router = Router(auth=TokenAuth(), tags=["Reporte de las entidades (token)"])
COMMON = {401: ErrorOut}
CAMPAIGN = Path(..., ge=1, le=2**31 - 1, example=1, description="Identificador de la campaña (GET /api/campanas/).")


def _campaign(request, campaign_id: int) -> Campaign:
    c = Campaign.objects.select_related("plan", "entity").filter(pk=campaign_id, closed=False).first()
    if c is None or not (perms.can_review(request.auth) or grid.reports(request.auth, c)):
        raise HttpError(404, f"No existe la campaña abierta {campaign_id} con indicadores que usted reporte.")
    return c


def _record(request, status: int, detail: str = "") -> None:
    tokens.record(request.api_token, request.method, request.path, status, detail)


@router.get("", response={200: list[s.CampaignOut], **COMMON}, url_name="entry-campaigns", operation_id="entry_campaigns",
            summary="Campañas abiertas", description="Las campañas abiertas en las que el usuario del token reporta indicadores.")
def campaigns(request: HttpRequest):
    out = []
    for c in Campaign.objects.filter(closed=False).select_related("plan", "entity").order_by("deadline", "pk"):
        mine = grid.reports(request.auth, c)
        if mine or perms.can_review(request.auth):
            out.append({"id": c.pk, "name": c.name, "plan": c.plan.code, "year": c.year, "period": c.period,
                        "entity": c.entity.code if c.entity else None, "opens": c.opens, "deadline": c.deadline, "indicators": len(mine)})
    _record(request, 200)
    return out


@router.get("/{campaign_id}/reportes/", response={200: list[s.ReportOut], 404: ErrorOut, 422: ValidationErrorOut, **COMMON}, url_name="entry-reports",
            operation_id="entry_reports", summary="Reportes de la campaña",
            description="Los indicadores de la campaña que reporta el usuario del token, con su logro esperado, lo reportado, "
                        "su estado en la revisión y su versión (la que se envía al guardar).")
def reports(request: HttpRequest, campaign_id: int = CAMPAIGN):
    c = _campaign(request, campaign_id)
    ctx = Context(c, perms.audience(request.auth))
    out = [{"indicator": r.indicator.code, "name": r.indicator.name, "unit": r.indicator.unit, "target": ctx.target(r.indicator.code),
            "previous": ctx.previous(r.indicator.code), "value": r.value, "status": r.status or None, "reason": r.reason,
            "numerator": r.numerator, "denominator": r.denominator, "source": r.source, "analysis": r.analysis,
            "justification": r.justification, "state": r.state, "version": r.version} for r in grid.reports(request.auth, c)]
    _record(request, 200)
    return out


@router.post("/{campaign_id}/reportes/",
             response={200: s.DeliveryOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: s.ConflictOut, 422: s.RowErrorsOut, **COMMON},
             url_name="entry-deliver", operation_id="entry_deliver", summary="Guardar (y enviar) reportes",
             description="Guarda los reportes de la lista y envía a revisión los marcados con «submit»: todos o ninguno. "
                         "Una clave omitida conserva lo guardado; null la vacía. Respuestas: 200 con el resultado de cada fila; "
                         "403 si una fila es de un indicador de otra entidad; 409 si otra persona cambió un reporte desde su "
                         "versión; 422 con los errores de cada fila (fila, campo y mensaje en español).")
def deliver(request: HttpRequest, rows: list[s.ReportIn], campaign_id: int = CAMPAIGN, idempotency_key: str | None = KEY):
    c = _campaign(request, campaign_id)
    digest = hashlib.sha256(json.dumps([campaign_id, [r.model_dump(mode="json", exclude_unset=True) for r in rows]],
                                       sort_keys=True).encode()).hexdigest()
    if idempotency_key:
        stored = IdempotentRequest.objects.filter(user=request.auth, key=idempotency_key).first()
        if stored:
            return _replay(request, stored, digest, idempotency_key)
    status, body = _deliver(request.auth, c, rows)
    if idempotency_key:
        try:
            with transaction.atomic():
                IdempotentRequest.objects.create(user=request.auth, key=idempotency_key, request_hash=digest, status=status, body=body)
        except IntegrityError:  # the same delivery arrived twice at once: the first one's answer stands
            return _replay(request, IdempotentRequest.objects.get(user=request.auth, key=idempotency_key), digest, idempotency_key)
    _record(request, status, body.get("detail", "") or f"{body.get('saved', 0)} guardados, {body.get('submitted', 0)} enviados")
    return Status(status, body)


def _replay(request, stored: IdempotentRequest, digest: str, key: str):
    if stored.request_hash != digest:
        detail = (f"La clave Idempotency-Key «{key[:60]}» ya se usó con otro contenido; use una clave nueva para una entrega distinta.")
        _record(request, 422, detail)
        return Status(422, {"detail": detail, "errors": [{"message": detail, "parameter": "Idempotency-Key", "location": "cabecera"}]})
    _record(request, stored.status, "Respuesta repetida (Idempotency-Key)")
    return Status(stored.status, stored.body)


def _deliver(user, c: Campaign, rows: list[s.ReportIn]) -> tuple[int, dict]:
    mine = {r.indicator.code: r for r in c.submissions.select_related("indicator__entity", "campaign__plan", "updated_by")}
    delivery, errors, forbidden = [], [], []
    for n, item in enumerate(rows, 1):
        sub = mine.get(item.indicator)
        if sub is None:
            errors.append({"row": n, "indicator": item.indicator, "field": "indicator",
                           "message": f"«{item.indicator[:60]}» no es un indicador de la campaña «{c.name}»."})
            continue
        if not perms.can_report(user, sub.indicator):
            forbidden.append(f"{sub.indicator.code} es de {sub.indicator.entity or 'otra entidad'}")
            continue
        delivery.append(batch.Row(n, sub, item.version, _data(item, sub), submit=item.submit))
    if forbidden:
        return 403, {"detail": f"Su entidad no reporta estos indicadores: {'; '.join(forbidden)}. No se guardó nada."}
    try:
        done = batch.deliver(user, c, delivery, [batch.Problem(e["row"], e["indicator"], e["message"], e["field"]) for e in errors])
    except batch.Refused as refused:
        return _refused(refused)
    return 200, {"campaign": c.pk, "saved": sum(d.changed for d in done), "unchanged": sum(not d.changed for d in done),
                 "submitted": sum(d.submitted for d in done),
                 "results": [{"row": d.number, "indicator": d.submission.indicator.code, "state": d.submission.state,
                              "version": d.submission.version, "changed": d.changed, "submitted": d.submitted, "warnings": d.warnings}
                             for d in done]}


def _data(item: s.ReportIn, sub) -> dict:
    """The row's content: keys left out keep what is stored (a value and a status exclude each other)."""
    given = item.model_fields_set
    data = {name: getattr(sub, name) for name in FIELDS}
    data.update({name: getattr(item, name) for name in FIELDS if name in given})
    if "status" in given and item.status and "value" not in given:
        data["value"] = None
    if "value" in given and item.value not in (None, "") and "status" not in given:
        data["status"] = ""
    return data


def _refused(refused: batch.Refused) -> tuple[int, dict]:
    if refused.problems and refused.kind == "forbidden":
        return 403, {"detail": " ".join(p.message for p in refused.problems)}
    conflicts = [p for p in refused.problems if p.kind == "conflict"]
    if conflicts and len(conflicts) == len(refused.problems):
        return 409, {"detail": "Otra persona cambió estos reportes desde la versión enviada; léalos de nuevo (GET) y repita: "
                               + "; ".join(p.message for p in conflicts),
                     "conflicts": [{"row": p.number, "indicator": p.indicator, "version": p.current.version, "value": p.current.value,
                                    "status": p.current.status or None, "state": p.current.state,
                                    "updated_by": p.current.updated_by.get_username() if p.current.updated_by else None,
                                    "updated_at": p.current.updated_at} for p in conflicts]}
    errors = [{"row": p.number, "indicator": p.indicator, "field": p.field or None, "message": p.message} for p in refused.problems]
    listed = "; ".join(f"fila {e['row']}: {e['message']}" for e in errors[:20]) + ("…" if len(errors) > 20 else "")
    return 422, {"detail": f"No se guardó nada ({len(errors)} error{'es' if len(errors) != 1 else ''}): {listed}", "errors": errors}
