"""Pages of the reporting workflow: campaigns, reports, review, uploads, notifications,
matriz de compromisos and the audit log.

Views only read the request and render: every rule (who may do what, what is valid, what a
closed campaign allows) lives in ``permissions``, ``services``, ``campaigns``, ``commitments``
and ``matrix_import``. A refused input is answered 4xx with the Spanish reason and changes nothing.
"""

from __future__ import annotations

import csv
import io
import zipfile

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vigia import outputs
from vigia.outputs import XLSX_TYPE
from vigia.core import inputs
from vigia.core import models as core
from vigia.methodology.validation import YEARS, shown
from vigia.presentation import numbers

from . import batch
from . import campaigns as campaign_rules
from . import commitments as commitment_rules
from . import excel, grid, locks, proposals, queues, services, targets
from . import permissions as perms
from .models import (ApiCall, Campaign, Commitment, Evidence, Notification, ObjectiveAnalysis, PeriodLock, Proposal, State,
                     Submission, Transition)
from .permissions import internal
from .preview import Context, preview

EVIDENCE_TYPES = {
    "application/pdf": b"%PDF",
    XLSX_TYPE: b"PK\x03\x04",
    "image/png": b"\x89PNG",
    "image/jpeg": b"\xff\xd8\xff",
}
ACTIONS = {"enviar": State.SUBMITTED, "observar": State.OBSERVED, "aprobar": State.APPROVED, "publicar": State.PUBLISHED}


def _refused(request, errors: list[str], back: str, status: int = 422):
    """A refused action with no form of its own to show again: the reasons and a way back."""
    return render(request, "reporting/refused.html", {"errors": errors, "back": back}, status=status)


def _visible(user, campaign: Campaign):
    """The campaign's reports the user lists, each marked with whether its content may be shown."""
    qs = campaign.submissions.select_related("indicator", "indicator__entity", "updated_by").order_by("indicator__position")
    if perms.role(user) == "operator":
        subs = [s for s in qs.filter(indicator__entity=perms.entity_of(user)) if perms.can_report(user, s.indicator)]
    else:
        subs = list(qs)
    for s in subs:
        s.shown = perms.can_see_report(user, s)
    return subs


@internal
@require_http_methods(["GET", "POST"])
def campaigns(request):
    errors = []
    if request.method == "POST":
        perms.require(perms.can_manage(request.user), "Solo la oficina de planeamiento abre campañas.")
        plan = get_object_or_404(core.Plan, code=str(request.POST.get("plan", ""))[:40])
        try:
            opened = campaign_rules.open_campaign(request.user, plan, request.POST)
        except services.Invalid as exc:
            errors = exc.errors
        else:
            messages.success(request, f"Campaña abierta con {opened.indicators} indicadores."
                             + (f" Sin logro esperado: {', '.join(opened.without_target)} (motivo registrado)." if opened.without_target else ""))
            return redirect("reporting:campaign", pk=opened.campaign.pk)
    listed = Campaign.objects.select_related("plan", "entity")
    if perms.role(request.user) == "operator":
        listed = listed.filter(indicators__entity=perms.entity_of(request.user)).distinct()
    return render(request, "reporting/campaigns.html", {
        "campaigns": listed, "plans": core.Plan.objects.all(), "awaiting": proposals.by_campaign(proposals.awaiting(request.user)),
        "can_manage": perms.can_manage(request.user), "today": timezone.localdate(), "errors": errors,
        "form": request.POST if errors else None,
    }, status=422 if errors else 200)


@internal
def campaign(request, pk):
    c = get_object_or_404(Campaign.objects.select_related("plan"), pk=pk)
    completeness: dict[str, dict] = {}
    for s in c.submissions.select_related("indicator__entity"):
        e = completeness.setdefault(str(s.indicator.entity or "—"), {"total": 0, **{st.value: 0 for st in State}})
        e["total"] += 1
        e[s.state] += 1
    for e in completeness.values():
        e["done"] = round(100 * (e["approved"] + e["published"]) / e["total"]) if e["total"] else 0
        e["reported"] = e["total"] - e["draft"]
    day = timezone.timedelta(days=1)
    calendar = [("Apertura", c.opens), ("Recordatorio (3 días antes del plazo)", c.deadline - 3 * day), ("Plazo de reporte", c.deadline),
                ("Escalamiento a la entidad (día siguiente al plazo)", c.deadline + day)]
    subs = _visible(request.user, c)
    return render(request, "reporting/campaign.html", {
        "c": c, "subs": subs, "can_report": any(perms.can_report(request.user, s.indicator) for s in subs), "completeness": completeness, "calendar": calendar, "today": timezone.localdate(),
        "can_review": perms.can_review(request.user) and not c.closed, "can_manage": perms.can_manage(request.user),
        "is_operator": perms.role(request.user) == "operator", "entity": perms.entity_of(request.user),
        "objectives": list(c.plan.elements.filter(parent__isnull=True)),
        "entities": core.Entity.objects.filter(indicators__campaigns=c).distinct(),
        "history": c.history.select_related("history_user")[:20], "awaiting": proposals.awaiting(request.user, c.pk),
    })


def _submission(pk, code) -> Submission:
    return get_object_or_404(Submission.objects.select_related("campaign__plan", "indicator__entity", "updated_by"),
                             campaign_id=pk, indicator__code=code)


def _render_submission(request, s: Submission, errors=(), conflict=None, form=None, status=200):
    """The report page: the form (or the figures) beside everything a reviewer weighs — target,
    previous years, % change, avance and band, chart, evidence and history."""
    user = request.user
    shown_ = perms.can_see_report(user, s)
    ctx = Context(s.campaign, perms.audience(user))
    code = s.indicator.code
    typed = form if form is not None else grid.stored(s)
    name = request.GET.get("cola") or (form or {}).get("cola") or ""
    queue = queues.neighbours(user, name, s) if name in queues.QUEUES else (None, None, 0, 0)
    observed = s.transitions.filter(target=State.OBSERVED).order_by("-at", "-id").first() if s.state == State.OBSERVED else None
    services.mark_read(user, services.submission_link(s))
    return render(request, "reporting/submission.html", {
        "s": s, "ind": s.indicator, "c": s.campaign, "errors": errors, "conflict": conflict, "form": form, "shown": shown_,
        "target": ctx.target(code), "previous": ctx.previous(code), "typed": typed, "unit": s.indicator.unit,
        "preview": preview(ctx, s.indicator, typed) if shown_ else None, "years": ctx.history(code) if shown_ else [],
        "observation": observed, "queue": dict(zip(("before", "after", "position", "total"), queue), name=name),
        "chart_url": f"/planes/{s.campaign.plan.code}/indicadores/{code}/grafico.svg?anio={s.campaign.year}" if shown_ and _has_year(s) else "",
        "can_edit": perms.can_report(user, s.indicator) and s.state in services.EDITABLE and not s.campaign.closed
                    and not locks.is_locked(s.campaign.plan_id, s.campaign.year, s.campaign.period),
        "moves": {name: services.may_move(user, s, target) for name, target in ACTIONS.items()},
        "authored": perms.can_review(user) and perms.authored(user, s),
        "transitions": s.transitions.select_related("user"),
        "history": s.history.select_related("history_user")[:30] if shown_ else [],
        "evidence": s.evidence.filter(withdrawn=False) if shown_ else [],
        **_proposal(s, perms.can_report(user, s.indicator) or shown_),
    }, status=status)


def _has_year(s: Submission) -> bool:
    """The indicator page (and its chart) exists for the years that have data."""
    return core.Value.objects.filter(indicator__plan=s.campaign.plan, year=s.campaign.year, kind__in=("target", "actual")).exists()


def _proposal(s: Submission, visible: bool) -> dict:
    """The pending value proposed from the registry, as the page prints it."""
    p = proposals.pending(s) if visible else None
    if p is None:
        return {"proposal": None}
    parts = ""
    if p.numerator is not None and p.denominator is not None:
        parts = f"numerador {numbers.number(p.numerator)}, denominador {numbers.number(p.denominator)}"
    return {"proposal": p, "proposal_text": proposals.shown_value(p), "proposal_parts": parts}


@internal
@require_http_methods(["GET", "POST"])
def submission(request, pk, code):
    s = _submission(pk, code)
    perms.require(perms.role(request.user) != "operator" or perms.can_report(request.user, s.indicator),
                  "Este indicador es de otra entidad.")
    if request.method == "GET":
        return _render_submission(request, s)
    action = request.POST.get("accion", "guardar")
    cola = request.POST.get("cola")
    back = redirect(services.submission_link(s) + (f"?cola={cola}" if cola in queues.QUEUES else ""))
    try:
        if action == "guardar" or (action == "enviar" and any(k in request.POST for k in grid.INPUTS)):
            # «Enviar» from the form saves what was typed, then sends it: nothing typed is lost
            row = batch.Row(1, s, services.version_of(request.POST.get("version")), request.POST.dict(), submit=action == "enviar")
            result = batch.deliver(request.user, s.campaign, [row])[0]
            if action == "enviar" and not result.submitted:
                raise services.Invalid([f"{code}: no hay valor que enviar; escriba el valor obtenido o indique ND/SD con su motivo."])
            text = "Reporte enviado a revisión." if result.submitted else "Reporte guardado." if result.changed else "Sin cambios que guardar."
            messages.success(request, " ".join([text, *result.warnings]))
        elif action in ACTIONS:
            following = queues.neighbours(request.user, cola, s)[1] if cola in queues.QUEUES else None
            services.move(request.user, s, ACTIONS[action], request.POST.get("comentario", ""))
            messages.success(request, f"{code}: reporte {ACTIONS[action].label.lower()}." + (
                f" Sigue {following.indicator.code} de la cola." if following else ""))
            if following:  # a reviewer working through a queue goes on to the next report
                return redirect(services.submission_link(following) + f"?cola={cola}")
        else:
            raise services.Invalid([f"Campo «acción»: «{shown(action)}» no es una acción (use {', '.join(['guardar', *ACTIONS])})."])
    except batch.Refused as refused:
        perms.require(refused.kind != "forbidden", refused.problems[0].message)
        conflict = next((p for p in refused.problems if p.kind == "conflict"), None)
        fresh = _submission(pk, code)
        if conflict:
            return _render_submission(request, fresh, conflict=services.Conflict(conflict.current), form=request.POST, status=409)
        return _render_submission(request, fresh, errors=[p.message for p in refused.problems], form=request.POST, status=422)
    except services.Invalid as exc:
        return _render_submission(request, _submission(pk, code), errors=exc.errors, form=request.POST, status=422)
    except services.Conflict as exc:
        return _render_submission(request, _submission(pk, code), conflict=exc, status=409)
    return back


@internal
@require_POST
def evidence(request, pk, code):
    s = _submission(pk, code)
    perms.require(perms.can_report(request.user, s.indicator), "Solo la entidad responsable sube evidencias.")
    f = request.FILES.get("archivo")
    try:
        services.require_open(s.campaign, s.indicator.code)
        if f is None:
            raise services.Invalid(["Campo «archivo»: elija un archivo."])
        name = inputs.text(Evidence, "name", f.name)
        if f.size > settings.EVIDENCE_MAX_BYTES:
            raise services.Invalid([f"Campo «archivo»: «{name}» pesa {f.size / 1048576:.1f} MB; el máximo es "
                                    f"{settings.EVIDENCE_MAX_BYTES / 1048576:.0f} MB."])
        head = f.read(8)
        f.seek(0)
        kind = next((t for t, magic in EVIDENCE_TYPES.items() if head.startswith(magic)), None)
        if kind == XLSX_TYPE and not _is_workbook(f):
            kind = None
        if kind is None:
            raise services.Invalid([f"Campo «archivo»: «{name}» no es PDF, XLSX, PNG ni JPEG."])
    except services.Invalid as exc:
        return _render_submission(request, s, errors=exc.errors, status=413 if f is not None and f.size > settings.EVIDENCE_MAX_BYTES else 422)
    Evidence.objects.create(submission=s, file=f, name=name or "evidencia", size=f.size, content_type=kind, uploaded_by=request.user)
    messages.success(request, f"Evidencia «{name}» guardada.")
    return redirect("reporting:submission", pk=pk, code=code)


def _is_workbook(f) -> bool:
    """A zip is an XLSX only with a workbook inside (any zip starts with the same bytes)."""
    try:
        with zipfile.ZipFile(f) as z:
            return {"[Content_Types].xml", "xl/workbook.xml"} <= set(z.namelist())
    except (zipfile.BadZipFile, OSError, EOFError):
        return False
    finally:
        f.seek(0)


@internal
def evidence_file(request, pk, code, evidence_id):
    s = _submission(pk, code)
    perms.require(perms.can_report(request.user, s.indicator)
                  or ((perms.can_review(request.user) or perms.role(request.user) == "decision") and perms.can_see_report(request.user, s)),
                  "Esta evidencia es de otra entidad o de un reporte aún no enviado.")
    e = get_object_or_404(Evidence, pk=evidence_id, submission=s)
    with e.file.open("rb") as f:
        response = HttpResponse(f.read(), content_type=e.content_type)
    response["Content-Disposition"] = f'attachment; filename="{_ascii(e.name)}"'
    return response


def _ascii(name: str) -> str:
    return "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in name) or "evidencia"


@internal
def template_xlsx(request, pk):
    c = get_object_or_404(Campaign.objects.select_related("plan"), pk=pk)
    subs = _visible(request.user, c)
    if request.GET.get("entidad") and perms.role(request.user) != "operator":
        subs = [s for s in subs if s.indicator.entity and s.indicator.entity.code == request.GET["entidad"]]
    subs = [s if s.shown else Submission(campaign=c, indicator=s.indicator, version=s.version) for s in subs]
    plan = c.plan
    targets = dict(core.Value.objects.filter(indicator__plan=plan, vintage__code=plan.current_vintage, year=c.year,
                                             period=c.period, kind="target").values_list("indicator__code", "value"))
    response = HttpResponse(excel.template(c, subs, targets), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="plantilla-{plan.code}-{c.year}.xlsx"'
    return response


@internal
@require_POST
def upload_xlsx(request, pk):
    perms.require(perms.can_report_any(request.user), "Solo quien reporta indicadores sube la plantilla.")
    c = get_object_or_404(Campaign, pk=pk)
    f = request.FILES.get("archivo")
    if f is None:
        return _refused(request, ["Campo «archivo»: elija el archivo de la plantilla."], f"/campanas/{pk}/")
    result = excel.upload(c, request.user, f, submit=request.POST.get("enviar") == "1")
    if result.ok:
        messages.success(request, batch.summary(result.saved, result.unchanged, result.submitted, result.warnings))
        return redirect("reporting:campaign", pk=pk)
    return render(request, "reporting/upload_errors.html", {"c": c, "result": result, "name": f.name}, status=422)


@internal
@require_POST
def publish_all(request, pk):
    """Publish every approved report the user may publish; the ones they authored wait for someone else."""
    c = get_object_or_404(Campaign, pk=pk)
    perms.require(perms.can_review(request.user))
    try:
        services.require_open(c)
        comment = inputs.text(Transition, "comment", request.POST.get("comentario") or "Publicación de la campaña")
    except services.Invalid as exc:
        return _refused(request, exc.errors, f"/campanas/{pk}/")
    done = skipped = 0
    for s in c.submissions.filter(state=State.APPROVED).select_related("indicator", "campaign__plan"):
        if perms.authored(request.user, s):
            skipped += 1
            continue
        services.move(request.user, s, State.PUBLISHED, comment)
        done += 1
    messages.success(request, f"Se publicaron {done} reportes aprobados."
                     + (f" {skipped} quedan para otra persona: usted los guardó o envió." if skipped else ""))
    return redirect("reporting:campaign", pk=pk)


@internal
@require_POST
def close(request, pk):
    """Close a campaign (read-only from then on) or reopen it with its reason."""
    perms.require(perms.can_manage(request.user), "Solo la oficina de planeamiento cierra o reabre campañas.")
    c = get_object_or_404(Campaign, pk=pk)
    reopen = request.POST.get("reabrir") == "1"
    try:
        campaign_rules.set_closed(request.user, c, not reopen, request.POST.get("motivo", ""))
    except services.Invalid as exc:
        return _refused(request, exc.errors, f"/campanas/{pk}/")
    messages.success(request, "Campaña reabierta." if reopen else "Campaña cerrada: queda de solo lectura.")
    return redirect("reporting:campaign", pk=pk)


@internal
@require_http_methods(["GET", "POST"])
def analysis(request, pk, code):
    c = get_object_or_404(Campaign.objects.select_related("plan"), pk=pk)
    element = get_object_or_404(core.Element, plan=c.plan, code=code, parent__isnull=True)
    indicators = list(element.indicators.select_related("entity"))
    allowed = perms.can_review(request.user) or any(perms.can_report(request.user, i) for i in indicators)
    current = ObjectiveAnalysis.objects.filter(campaign=c, element=element).first()
    context = {"c": c, "element": element, "current": current, "allowed": allowed and not c.closed}
    if request.method == "POST":
        perms.require(allowed, "Solo la entidad responsable de sus indicadores o los revisores escriben este análisis.")
        try:
            campaign_rules.save_analysis(request.user, c, element, request.POST.get("version"), request.POST.get("texto", ""))
        except services.Invalid as exc:
            return render(request, "reporting/analysis.html", {**context, "errors": exc.errors, "draft": request.POST.get("texto", "")}, status=422)
        except services.Stale:
            current = ObjectiveAnalysis.objects.filter(campaign=c, element=element).first()
            return render(request, "reporting/analysis.html", {
                **context, "current": current, "draft": request.POST.get("texto", ""),
                "errors": ["Otra persona guardó este análisis mientras usted lo editaba; su texto no se guardó. "
                           "Revíselo sobre la versión actual y vuelva a guardar."]}, status=409)
        messages.success(request, "Análisis guardado.")
        return redirect("reporting:campaign", pk=pk)
    return render(request, "reporting/analysis.html", context)


@internal
@require_http_methods(["GET", "POST"])
def notifications(request):
    mine = Notification.objects.filter(user=request.user)
    if request.method == "POST":
        mine.filter(read=False).update(read=True)
        return redirect("reporting:notifications")
    return render(request, "reporting/notifications.html", {"items": mine[:200]})


@internal
@require_GET
def notification(request, notification_id):
    """Open a notice: it is read from now on, and leads to what it is about."""
    n = get_object_or_404(Notification, pk=notification_id, user=request.user)
    if not n.read:
        Notification.objects.filter(pk=n.pk).update(read=True)
    return redirect(n.link if n.link.startswith("/") and not n.link.startswith("//") else "reporting:notifications")


@internal
@require_http_methods(["GET", "POST"])
def commitments(request):
    errors, status = [], 200
    if request.method == "POST":
        perms.require(perms.can_review(request.user), "Solo la oficina de planeamiento actualiza la matriz de compromisos.")
        raw = str(request.POST.get("id", "")).strip()
        if not raw.isascii() or not raw.isdigit() or len(raw) > 18:
            errors, status = ["Campo «id»: falta o no es válido; recargue la página."], 422
        else:
            item = get_object_or_404(Commitment, pk=int(raw))
            try:
                commitment_rules.follow_up(request.user, item, request.POST)
            except services.Invalid as exc:
                errors, status = exc.errors, 422
            except services.Stale:
                errors, status = [f"{item.code}: otra persona lo actualizó mientras usted lo editaba; revise y vuelva a guardar."], 409
            else:
                messages.success(request, f"{item.code} actualizado.")
                return redirect("reporting:commitments")
    return render(request, "reporting/commitments.html", {
        "items": Commitment.objects.select_related("plan"), "statuses": Commitment.Status.choices,
        "can_edit": perms.can_review(request.user), "errors": errors}, status=status)


@internal
def audit_log(request):
    """Every recorded change (values, targets, fichas, reports, transitions, campaigns) as CSV."""
    perms.require(perms.can_review(request.user))
    rows = []
    for t in Transition.objects.select_related("user", "submission__indicator"):
        rows.append((t.at, t.user.get_username(), "reporte", t.submission.indicator.code, f"{t.get_source_display()} → {t.get_target_display()}", t.comment))
    for h in Submission.history.select_related("history_user", "indicator"):
        rows.append((h.history_date, _who(h), "reporte", h.indicator.code, h.get_history_type_display(),
                     f"valor={h.value} estado={h.status} {h.history_change_reason or ''}".strip()))
    for h in core.Value.history.select_related("history_user", "indicator"):
        rows.append((h.history_date, _who(h), h.kind, h.indicator.code, h.get_history_type_display(),
                     f"{h.year} {h.period}: {h.value} {h.status} {h.history_change_reason or ''}".strip()))
    for h in core.Indicator.history.select_related("history_user"):
        rows.append((h.history_date, _who(h), "ficha", h.code, h.get_history_type_display(), h.history_change_reason or ""))
    for h in Proposal.history.select_related("history_user", "submission__indicator"):
        rows.append((h.history_date, _who(h), "valor del registro", h.submission.indicator.code, h.get_history_type_display(),
                     f"{h.date:%d/%m/%Y} {h.measure}={h.value} {h.get_decision_display()} {h.history_change_reason or ''}".strip()))
    for h in Commitment.history.select_related("history_user"):
        rows.append((h.history_date, _who(h), "compromiso", h.code, h.get_history_type_display(), f"{h.status} {h.follow_up}"))
    for h in Campaign.history.select_related("history_user", "plan"):
        rows.append((h.history_date, _who(h), "campaña", f"{h.plan.code} {h.year} {h.period}", h.get_history_type_display(),
                     h.history_change_reason or ("cerrada" if h.closed else "abierta")))
    for h in core.Element.history.select_related("history_user", "plan"):
        rows.append((h.history_date, _who(h), "elemento", f"{h.plan.code} {h.code}", h.get_history_type_display(), h.history_change_reason or ""))
    for h in PeriodLock.history.select_related("history_user", "plan"):
        rows.append((h.history_date, _who(h), "periodo", f"{h.plan.code} {h.year} {h.period}", h.get_history_type_display(),
                     h.history_change_reason or ""))
    for v in core.PlanVersion.objects.select_related("created_by", "plan"):
        since = f", rige desde el {v.applies_from:%d/%m/%Y}" if v.applies_from else ""
        rows.append((v.created_at, v.created_by.get_username() if v.created_by else "", "versión del plan", f"{v.plan.code} v{v.number}", "registro",
                     f"{v.legal_reference}{since}; {len(v.changes)} cambios"))
    for call in ApiCall.objects.select_related("user", "token"):
        rows.append((call.at, call.user.get_username(), "api", f"{call.method} {call.path}", f"respuesta {call.status}",
                     f"token {call.token.prefix}… {call.detail}".strip() if call.token else call.detail))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["fecha", "usuario", "objeto", "código", "acción", "detalle"])
    for row in sorted(rows, key=lambda r: r[0]):
        w.writerow(outputs.csv_row([timezone.localtime(row[0]).isoformat(timespec="seconds"), *row[1:]]))
    response = HttpResponse(("\ufeff" + buf.getvalue()).encode(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="vigia-auditoria.csv"'
    return response


def _who(h) -> str:
    return h.history_user.get_username() if h.history_user else ""


@internal
@require_http_methods(["GET", "POST"])
def target(request, plan, code, year):
    """Set or change a logro esperado (administrador only); after an approval it needs the resolution."""
    perms.require(perms.can_set_targets(request.user), "Solo la oficina de planeamiento (administrador) fija logros esperados.")
    p = get_object_or_404(core.Plan, code=plan)
    ind = get_object_or_404(core.Indicator, plan=p, code=code)
    if not YEARS[0] <= year <= YEARS[1]:
        raise Http404(f"No existe el año {year} para este plan (use un año entre {YEARS[0]} y {YEARS[1]}).")
    vintage = p.vintages.get(code=p.current_vintage)
    current = core.Value.objects.filter(indicator=ind, vintage=vintage, year=year, period="anual", kind="target").first()
    errors = []
    if request.method == "POST":
        try:
            resolution = inputs.text(core.Value, "resolution", request.POST.get("resolucion"), code)
            value = targets.set_one(request.user, p, ind, year, request.POST.get("valor"), resolution)
        except services.Invalid as exc:
            errors = exc.errors
        else:
            messages.success(request, f"Logro esperado {year} de {code}: {value:g}.")
            return redirect(f"/planes/{plan}/indicadores/{code}/?anio={year}" if year in _years(p) else "reporting:campaigns")
    return render(request, "reporting/target.html", {"plan": p, "ind": ind, "year": year, "current": current, "errors": errors,
                                                     "form": request.POST if errors else None}, status=422 if errors else 200)


def _years(plan) -> set[int]:
    return set(core.Value.objects.filter(indicator__plan=plan, kind__in=("target", "actual")).values_list("year", flat=True))


@internal
@require_http_methods(["GET", "POST"])
def matrix_import(request, plan):
    """The planning office loads the CEPLAN matrix (as exported by Vigía) back, all or nothing."""
    from .matrix_import import import_matrix

    perms.require(perms.can_manage(request.user), "Solo la oficina de planeamiento importa la matriz.")
    p = get_object_or_404(core.Plan, code=plan)
    result = None
    if request.method == "POST":
        if not request.FILES.get("archivo"):
            return render(request, "reporting/matrix_import.html", {"plan": p, "missing": True}, status=422)
        result = import_matrix(p, request.user, request.FILES["archivo"], request.POST.get("resolucion", ""))
        if not result.errors:
            messages.success(request, f"Matriz importada: {result.targets} logros esperados cambiaron y {result.submitted} valores "
                                      "obtenidos quedaron enviados a revisión (se publican cuando otra persona los apruebe y publique).")
            return redirect(f"/planes/{plan}/matriz/")
    return render(request, "reporting/matrix_import.html", {"plan": p, "result": result}, status=422 if result and result.errors else 200)
