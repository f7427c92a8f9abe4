"""Pages of the reporting workflow: campaigns, reports, review, uploads, notifications,
matriz de compromisos and the audit log. Every action checks permissions here, server-side."""

from __future__ import annotations

import csv
import io
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from vigia.core import models as core
from vigia.web.exports import XLSX_TYPE

from . import excel, services
from . import permissions as perms
from .permissions import internal
from .models import Campaign, Commitment, Evidence, Notification, ObjectiveAnalysis, State, Submission, Transition

EVIDENCE_TYPES = {
    "application/pdf": b"%PDF",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": b"PK\x03\x04",
    "image/png": b"\x89PNG",
    "image/jpeg": b"\xff\xd8\xff",
}


def _visible(user, campaign: Campaign):
    qs = campaign.submissions.select_related("indicator", "indicator__entity", "updated_by").order_by("indicator__position")
    if perms.role(user) == "operator":
        entity = perms.entity_of(user)
        qs = qs.filter(indicator__entity=entity)
        return [s for s in qs if perms.can_report(user, s.indicator)]
    return list(qs)


@internal
@require_http_methods(["GET", "POST"])
def campaigns(request):
    if request.method == "POST":
        perms.require(perms.can_manage(request.user), "Solo la oficina de planeamiento abre campañas.")
        return _open_campaign(request)
    return render(request, "reporting/campaigns.html", {
        "campaigns": Campaign.objects.select_related("plan").all(), "plans": core.Plan.objects.all(),
        "can_manage": perms.can_manage(request.user), "today": timezone.localdate(),
    })


def _open_campaign(request):
    p = request.POST
    plan = get_object_or_404(core.Plan, code=p.get("plan"))
    try:
        year, opens, deadline = int(p["year"]), date.fromisoformat(p["opens"]), date.fromisoformat(p["deadline"])
    except (KeyError, ValueError):
        messages.error(request, "Indique año, fecha de inicio y plazo válidos (AAAA-MM-DD).")
        return redirect("reporting:campaigns")
    if deadline < opens:
        messages.error(request, "El plazo no puede ser anterior al inicio.")
        return redirect("reporting:campaigns")
    period = p.get("period", "anual") if p.get("period") in ("anual", "S1") else "anual"
    codes = [c.strip() for c in p.get("indicators", "").replace(",", " ").split() if c.strip()]
    indicators = plan.indicators.filter(code__in=codes) if codes else plan.indicators.all()
    try:
        with transaction.atomic():
            campaign = Campaign.objects.create(plan=plan, name=p.get("name") or f"Reporte {year} — {plan.name}", year=year,
                                               period=period, opens=opens, deadline=deadline, opened_by=request.user)
            campaign.indicators.set(indicators)
            services.ensure_submissions(campaign)
    except IntegrityError:
        messages.error(request, f"Ya existe una campaña de {plan.code} para {year} ({period}).")
        return redirect("reporting:campaigns")
    operators = [u for e in {i.entity_id for i in indicators} for u in services.operators_of(e)]
    services.notify(operators, "campaña", f"Se abrió {campaign.name}; plazo {deadline:%d/%m/%Y}.", f"/campanas/{campaign.id}/")
    messages.success(request, f"Campaña abierta con {indicators.count()} indicadores.")
    return redirect("reporting:campaign", pk=campaign.pk)


@internal
def campaign(request, pk):
    c = get_object_or_404(Campaign.objects.select_related("plan"), pk=pk)
    subs = _visible(request.user, c)
    completeness: dict[str, dict] = {}
    for s in c.submissions.select_related("indicator__entity"):
        e = completeness.setdefault(str(s.indicator.entity or "—"), {"total": 0, **{st.value: 0 for st in State}})
        e["total"] += 1
        e[s.state] += 1
    for e in completeness.values():
        e["done"] = round(100 * (e["approved"] + e["published"]) / e["total"]) if e["total"] else 0
        e["reported"] = e["total"] - e["draft"]
    today = timezone.localdate()
    calendar = [("Apertura", c.opens), ("Recordatorio (3 días antes del plazo)", c.deadline - timezone.timedelta(days=3)),
                ("Plazo de reporte", c.deadline), ("Escalamiento a la entidad (día siguiente al plazo)", c.deadline + timezone.timedelta(days=1))]
    objectives = [e for e in c.plan.elements.filter(parent__isnull=True)]
    return render(request, "reporting/campaign.html", {
        "c": c, "subs": subs, "completeness": completeness, "calendar": calendar, "today": today,
        "can_review": perms.can_review(request.user), "can_manage": perms.can_manage(request.user),
        "is_operator": perms.role(request.user) == "operator", "entity": perms.entity_of(request.user),
        "objectives": objectives, "entities": core.Entity.objects.filter(indicators__campaigns=c).distinct(),
    })


def _submission(pk, code) -> Submission:
    return get_object_or_404(Submission.objects.select_related("campaign__plan", "indicator__entity", "updated_by"),
                             campaign_id=pk, indicator__code=code)


@internal
@require_http_methods(["GET", "POST"])
def submission(request, pk, code):
    s = _submission(pk, code)
    if perms.role(request.user) == "operator" and not perms.can_report(request.user, s.indicator):
        raise PermissionDenied("Este indicador es de otra entidad.")
    errors, warnings, conflict = [], [], None
    if request.method == "POST":
        action = request.POST.get("accion", "guardar")
        try:
            if action == "guardar":
                saved = services.save(request.user, s, int(request.POST.get("version", -1)), request.POST.dict())
                warnings = saved.warnings
                messages.success(request, "Reporte guardado." + (" " + " ".join(warnings) if warnings else ""))
                return redirect("reporting:submission", pk=pk, code=code)
            target = {"enviar": State.SUBMITTED, "observar": State.OBSERVED, "aprobar": State.APPROVED, "publicar": State.PUBLISHED}.get(action)
            if target is None:
                raise services.Invalid(["Acción desconocida."])
            services.move(request.user, s, target, request.POST.get("comentario", ""))
            messages.success(request, f"Reporte {State(target).label.lower()}.")
            return redirect("reporting:submission", pk=pk, code=code)
        except services.Invalid as exc:
            errors = exc.errors
        except services.Conflict as exc:
            conflict = exc
        except ValueError:
            errors = ["Formulario incompleto: recargue la página."]
        s = _submission(pk, code)
    plan = s.campaign.plan
    target = core.Value.objects.filter(indicator=s.indicator, vintage__plan=plan, vintage__code=plan.current_vintage,
                                       year=s.campaign.year, period=s.campaign.period, kind="target").first()
    return render(request, "reporting/submission.html", {
        "s": s, "ind": s.indicator, "c": s.campaign, "errors": errors, "conflict": conflict, "target": target,
        "previous": services.previous_actual(s), "form": request.POST if errors else None,
        "can_edit": perms.can_report(request.user, s.indicator) and s.state in services.EDITABLE and not s.campaign.closed,
        "can_submit": perms.can_report(request.user, s.indicator) and s.state in (State.DRAFT, State.OBSERVED),
        "can_review": perms.can_review(request.user), "transitions": s.transitions.select_related("user"),
        "history": s.history.select_related("history_user")[:30], "evidence": s.evidence.filter(withdrawn=False),
    }, status=409 if conflict else (422 if errors else 200))


@internal
@require_POST
def evidence(request, pk, code):
    s = _submission(pk, code)
    perms.require(perms.can_report(request.user, s.indicator), "Solo la entidad responsable sube evidencias.")
    f = request.FILES.get("archivo")
    if f is None:
        messages.error(request, "Elija un archivo.")
    elif f.size > settings.EVIDENCE_MAX_BYTES:
        messages.error(request, f"«{f.name}» pesa {f.size / 1048576:.1f} MB; el máximo es {settings.EVIDENCE_MAX_BYTES / 1048576:.0f} MB.")
    else:
        head = f.read(8)
        f.seek(0)
        kind = next((t for t, magic in EVIDENCE_TYPES.items() if head.startswith(magic)), None)
        if kind is None:
            messages.error(request, f"«{f.name}» no es PDF, XLSX, PNG ni JPEG.")
        else:
            Evidence.objects.create(submission=s, file=f, name=f.name[:255], size=f.size, content_type=kind, uploaded_by=request.user)
            messages.success(request, f"Evidencia «{f.name}» guardada.")
    return redirect("reporting:submission", pk=pk, code=code)


@internal
def evidence_file(request, pk, code, evidence_id):
    s = _submission(pk, code)
    perms.require(perms.can_review(request.user) or perms.can_report(request.user, s.indicator)
                  or perms.role(request.user) == "decision", "Esta evidencia es de otra entidad.")
    e = get_object_or_404(Evidence, pk=evidence_id, submission=s)
    response = HttpResponse(e.file.open("rb").read(), content_type=e.content_type)
    response["Content-Disposition"] = f'attachment; filename="{e.name}"'
    return response


@internal
def template_xlsx(request, pk):
    c = get_object_or_404(Campaign.objects.select_related("plan"), pk=pk)
    subs = _visible(request.user, c)
    if request.GET.get("entidad") and perms.role(request.user) != "operator":
        subs = [s for s in subs if s.indicator.entity and s.indicator.entity.code == request.GET["entidad"]]
    plan = c.plan
    targets = dict(core.Value.objects.filter(indicator__plan=plan, vintage__code=plan.current_vintage, year=c.year,
                                             period=c.period, kind="target").values_list("indicator__code", "value"))
    response = HttpResponse(excel.template(c, subs, targets), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="plantilla-{plan.code}-{c.year}.xlsx"'
    return response


@internal
@require_POST
def upload_xlsx(request, pk):
    c = get_object_or_404(Campaign, pk=pk)
    f = request.FILES.get("archivo")
    if f is None:
        messages.error(request, "Elija el archivo de la plantilla.")
        return redirect("reporting:campaign", pk=pk)
    result = excel.upload(c, request.user, f)
    if result.ok:
        messages.success(request, f"Se guardaron {result.saved} reportes." + (" Avisos: " + " ".join(result.warnings) if result.warnings else ""))
        return redirect("reporting:campaign", pk=pk)
    return render(request, "reporting/upload_errors.html", {"c": c, "result": result, "name": f.name}, status=422)


@internal
@require_POST
def publish_all(request, pk):
    c = get_object_or_404(Campaign, pk=pk)
    perms.require(perms.can_review(request.user))
    n = 0
    for s in c.submissions.filter(state=State.APPROVED).select_related("indicator", "campaign__plan"):
        services.move(request.user, s, State.PUBLISHED, request.POST.get("comentario", "Publicación de la campaña"))
        n += 1
    messages.success(request, f"Se publicaron {n} reportes aprobados.")
    return redirect("reporting:campaign", pk=pk)


@internal
@require_POST
def close(request, pk):
    """Close (or reopen) a campaign: a closed one takes no more reports and its analyses go to the reports."""
    perms.require(perms.can_manage(request.user), "Solo la oficina de planeamiento cierra campañas.")
    c = get_object_or_404(Campaign, pk=pk)
    c.closed = request.POST.get("reabrir") != "1"
    c._history_user = request.user
    c.save()
    services.bump(c.plan_id)
    messages.success(request, "Campaña cerrada." if c.closed else "Campaña reabierta.")
    return redirect("reporting:campaign", pk=pk)


@internal
@require_http_methods(["GET", "POST"])
def analysis(request, pk, code):
    c = get_object_or_404(Campaign.objects.select_related("plan"), pk=pk)
    element = get_object_or_404(core.Element, plan=c.plan, code=code, parent__isnull=True)
    indicators = list(element.indicators.select_related("entity"))
    allowed = perms.can_manage(request.user) or perms.can_review(request.user) or any(perms.can_report(request.user, i) for i in indicators)
    current = ObjectiveAnalysis.objects.filter(campaign=c, element=element).first()
    if request.method == "POST":
        perms.require(allowed)
        version = int(request.POST.get("version", -1))
        text = request.POST.get("texto", "").strip()
        if current is None:
            current = ObjectiveAnalysis(campaign=c, element=element, text=text, updated_by=request.user)
            current.save()
        elif ObjectiveAnalysis.objects.filter(pk=current.pk, version=version).update(text=text, version=current.version + 1, updated_by=request.user):
            current.refresh_from_db()
            current._history_user = request.user
            current.save()
        else:
            messages.error(request, "Otra persona guardó este análisis mientras usted lo editaba; revise su texto sobre la versión actual.")
            return render(request, "reporting/analysis.html", {"c": c, "element": element, "current": current, "draft": text, "allowed": allowed}, status=409)
        services.bump(c.plan_id)
        messages.success(request, "Análisis guardado.")
        return redirect("reporting:campaign", pk=pk)
    return render(request, "reporting/analysis.html", {"c": c, "element": element, "current": current, "allowed": allowed})


@internal
@require_http_methods(["GET", "POST"])
def notifications(request):
    mine = Notification.objects.filter(user=request.user)
    if request.method == "POST":
        mine.filter(read=False).update(read=True)
        return redirect("reporting:notifications")
    return render(request, "reporting/notifications.html", {"items": mine[:200]})


@internal
@require_http_methods(["GET", "POST"])
def commitments(request):
    if request.method == "POST":
        perms.require(perms.can_review(request.user), "Solo la oficina de planeamiento actualiza la matriz de compromisos.")
        item = get_object_or_404(Commitment, pk=request.POST.get("id"))
        fields = {"responsible": request.POST.get("responsible", "").strip(), "status": request.POST.get("status", item.status),
                  "follow_up": request.POST.get("follow_up", "").strip()}
        if fields["status"] not in Commitment.Status.values:
            messages.error(request, "Estado no válido.")
            return redirect("reporting:commitments")
        try:
            fields["deadline"] = date.fromisoformat(request.POST["deadline"]) if request.POST.get("deadline") else None
        except ValueError:
            messages.error(request, f"{item.code}, campo «plazo»: use una fecha AAAA-MM-DD.")
            return redirect("reporting:commitments")
        if not Commitment.objects.filter(pk=item.pk, version=int(request.POST.get("version", -1))).update(version=item.version + 1, **fields):
            messages.error(request, f"{item.code}: otra persona lo actualizó mientras usted lo editaba; revise y vuelva a guardar.")
            return redirect("reporting:commitments")
        item.refresh_from_db()
        item._history_user, item._change_reason = request.user, "Seguimiento de la matriz de compromisos"
        item.save()
        messages.success(request, f"{item.code} actualizado.")
        return redirect("reporting:commitments")
    return render(request, "reporting/commitments.html", {
        "items": Commitment.objects.select_related("plan"), "statuses": Commitment.Status.choices,
        "can_edit": perms.can_review(request.user)})


@internal
def audit_log(request):
    """Every recorded change (values, targets, fichas, reports, transitions) as CSV."""
    perms.require(perms.can_review(request.user))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["fecha", "usuario", "objeto", "código", "acción", "detalle"])
    rows = []
    for t in Transition.objects.select_related("user", "submission__indicator"):
        rows.append((t.at, t.user.get_username(), "reporte", t.submission.indicator.code, f"{t.get_source_display()} → {t.get_target_display()}", t.comment))
    for h in Submission.history.select_related("history_user", "indicator"):
        rows.append((h.history_date, h.history_user.get_username() if h.history_user else "", "reporte", h.indicator.code,
                     h.get_history_type_display(), f"valor={h.value} estado={h.status} {h.history_change_reason or ''}".strip()))
    for h in core.Value.history.select_related("history_user", "indicator"):
        rows.append((h.history_date, h.history_user.get_username() if h.history_user else "", h.kind, h.indicator.code,
                     h.get_history_type_display(), f"{h.year} {h.period}: {h.value} {h.status} {h.history_change_reason or ''}".strip()))
    for h in core.Indicator.history.select_related("history_user"):
        rows.append((h.history_date, h.history_user.get_username() if h.history_user else "", "ficha", h.code, h.get_history_type_display(), h.history_change_reason or ""))
    for h in Commitment.history.select_related("history_user"):
        rows.append((h.history_date, h.history_user.get_username() if h.history_user else "", "compromiso", h.code, h.get_history_type_display(), f"{h.status} {h.follow_up}"))
    for row in sorted(rows, key=lambda r: r[0]):
        w.writerow([timezone.localtime(row[0]).isoformat(timespec="seconds"), *row[1:]])
    response = HttpResponse(("\ufeff" + buf.getvalue()).encode(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="vigia-auditoria.csv"'
    return response


@internal
@require_http_methods(["GET", "POST"])
def target(request, plan, code, year):
    """Set or change a logro esperado; after an approval it needs the resolution that changes it."""
    perms.require(perms.can_review(request.user), "Solo la oficina de planeamiento fija logros esperados.")
    p = get_object_or_404(core.Plan, code=plan)
    ind = get_object_or_404(core.Indicator, plan=p, code=code)
    vintage = p.vintages.get(code=p.current_vintage)
    current = core.Value.objects.filter(indicator=ind, vintage=vintage, year=year, period="anual", kind="target").first()
    errors = []
    if request.method == "POST":
        from vigia.methodology.validation import NumberError, check_target_change, parse_number

        approved = Submission.objects.filter(indicator=ind, campaign__year=year, approved_at__isnull=False).exists()
        resolution = request.POST.get("resolucion", "")
        errors = check_target_change(code, approved and current is not None, resolution)
        try:
            value = parse_number(request.POST.get("valor"), ind.unit)
            if value is None:
                errors.append(f"{code}, campo «logro esperado»: falta el valor.")
        except NumberError as exc:
            errors.append(f"{code}, campo «logro esperado»: {exc}.")
        if not errors:
            obj = current or core.Value(indicator=ind, vintage=vintage, year=year, period="anual", kind="target")
            obj.value, obj.status, obj.resolution = value, "", resolution
            obj.source = obj.source or "Oficina de planeamiento"
            obj._history_user, obj._change_reason = request.user, f"Logro esperado fijado. {resolution}".strip()
            obj.save()
            services.bump(p.id)
            messages.success(request, f"Logro esperado {year} de {code}: {value:g}.")
            return redirect(f"/planes/{plan}/indicadores/{code}/?anio={year}" if year in _years(p) else "reporting:campaigns")
    return render(request, "reporting/target.html", {"plan": p, "ind": ind, "year": year, "current": current, "errors": errors},
                  status=422 if errors else 200)


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
    if request.method == "POST" and request.FILES.get("archivo"):
        result = import_matrix(p, request.user, request.FILES["archivo"], request.POST.get("resolucion", ""))
        if not result.errors:
            messages.success(request, f"Matriz importada: {result.changed} cifras cambiaron.")
            return redirect(f"/planes/{plan}/matriz/")
    return render(request, "reporting/matrix_import.html", {"plan": p, "result": result}, status=422 if result and result.errors else 200)
