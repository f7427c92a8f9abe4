"""Download of the official documents (Reporte de seguimiento, Informe de evaluación, Informe de
consistencia) from the web: the same ``documents.generate`` call as ``vigia report``.

GET /planes/<plan>/reporte.<docx|pdf|xlsx>?anio=2024&tipo=seguimiento|evaluacion|consistencia
[&preliminar=1][&periodo=S1][&edicion=RS-2020][&numero=…][&fecha=AAAA-MM-DD]. Login required. Only
approved, published data unless ``preliminar=1``: then the figures the user's audience may see
(``reporting.figures``), and every page says PRELIMINAR. A generated file is cached under the plan's
data version and the audience, so the second click is instant and a load or an approval makes it
fresh again.
"""

from __future__ import annotations

import hashlib
from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import BadRequest, PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from vigia import documents, outputs
from vigia.core import store
from vigia.methodology.validation import shown
from vigia.presentation import matrix as presenters
from vigia.reporting import figures
from vigia.reporting.models import ObjectiveAnalysis, State, Submission
from vigia.reporting.permissions import PUBLIC, Audience, audience, can_view_internal

TIMEOUT = 6 * 3600


def workflow_analyses(plan: str, year: int, period: str, viewer: Audience | None = None) -> dict[str, str]:
    """Descriptive analyses written in the review workflow for this plan, year and period.

    An indicator's analysis counts once its value is approved (in a preliminary document, also
    those of the reports ``viewer`` may see); an objective's analysis once its campaign is closed
    (or always in a preliminary one)."""
    campaign = {"campaign__plan__code": plan, "campaign__year": year, "campaign__period": period}
    subs = Submission.objects.filter(**campaign).exclude(analysis="")
    approved = Q(state__in=[State.APPROVED, State.PUBLISHED])
    subs = subs.filter(approved | viewer.unpublished() if viewer else approved)
    preliminary = viewer is not None
    objectives = ObjectiveAnalysis.objects.filter(**campaign).exclude(text="")
    if not preliminary:
        objectives = objectives.filter(campaign__closed=True)
    out = dict(subs.values_list("indicator__code", "analysis"))
    out.update(objectives.values_list("element__code", "text"))
    return out


@login_required
@require_GET
def download(request, plan, fmt):
    if fmt not in documents.FORMATS:
        raise Http404("Formato no disponible (use docx, pdf o xlsx).")
    preliminary = request.GET.get("preliminar") in ("1", "si", "sí", "true")
    if preliminary and not can_view_internal(request.user):
        raise PermissionDenied("Solo los usuarios internos ven los datos preliminares.")
    viewer = audience(request.user) if preliminary else PUBLIC
    try:
        at = store.version(plan)
    except store.PlanNotFound:
        raise Http404(f"No existe el plan «{plan}».") from None
    ds = figures.dataset(plan, viewer, at)
    kind = request.GET.get("tipo") or documents.default_kind(ds)
    period = request.GET.get("periodo", "anual")
    vintage = request.GET.get("edicion") or ds.spec.current_vintage
    raw_year = request.GET.get("anio", "")
    year = int(raw_year) if raw_year.isascii() and raw_year.isdigit() and len(raw_year) <= 4 else presenters.default_year(ds)
    if kind not in documents.KINDS or year is None:
        raise Http404("Documento no disponible para este plan.")
    ds = figures.dataset(plan, viewer, at, year, period)  # the version of the plan in force that year
    number = outputs.text(request.GET.get("numero", "")).strip()[:120] or None
    try:
        issued = date.fromisoformat(request.GET["fecha"]) if request.GET.get("fecha") else None
    except ValueError:
        raise BadRequest(f"Campo «fecha»: «{shown(request.GET['fecha'])}» no es una fecha válida (use AAAA-MM-DD).") from None
    key = "report:" + hashlib.sha1(repr((plan, at, kind, year, period, vintage, fmt, preliminary, viewer.key, number, issued)).encode()).hexdigest()
    cached = cache.get(key)
    if cached is None:
        try:
            src = documents.prepare(ds, year, period, vintage, preliminary, at, number=number, issued=issued)
            ev = figures.evaluation(plan, year, vintage, period, viewer, at)
            content = documents.generate(ds, year, kind, [fmt], period=period, vintage=vintage, preliminary=preliminary,
                                         data_version=at, analyses=workflow_analyses(plan, year, period, viewer if preliminary else None),
                                         ev=ev, number=number, issued=issued)[fmt]
        except documents.ReportError as exc:
            raise Http404(str(exc)) from None
        cached = (documents.filename(src, kind, fmt), content)
        cache.set(key, cached, TIMEOUT)
    name, content = cached
    response = HttpResponse(content, content_type=documents.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Vigia-Data-Version"] = str(at)
    return response
