"""«Mis pendientes»: each role's landing page after login, and the bulk review actions."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from vigia.core import inputs

from . import bulk, proposals, queues
from . import permissions as perms
from .models import Role, State, Transition
from .permissions import internal

BULK = {"aprobar": State.APPROVED, "publicar": State.PUBLISHED}


def _campaign_filter(request) -> int | None:
    raw = request.GET.get("campana", "")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None


@internal
@require_GET
def pending(request):
    user, campaign = request.user, _campaign_filter(request)
    role = perms.role(user)
    sections = []
    for name in queues.names(user):
        title, _ = queues.QUEUES[name]
        items = list(queues.queue(user, name, campaign))
        sections.append({"name": name, "title": title, "items": items,
                         "bulk": {"revisar": "aprobar", "publicar": "publicar"}.get(name) if perms.can_review(user) else None})
    grids = {}
    if role == Role.OPERATOR:
        for section in sections:
            for s in section["items"]:
                grids.setdefault(s.campaign_id, s.campaign)
    return render(request, "reporting/pending.html", {
        "sections": sections, "grids": list(grids.values()), "is_operator": role == Role.OPERATOR,
        "without_targets": queues.without_targets() if perms.can_manage(user) else [],
        "deadlines": queues.deadlines() if perms.can_manage(user) else [],
        "observations": _observations(sections), "campaign_filter": campaign, "awaiting": proposals.awaiting(user, campaign),
    })


def _observations(sections) -> dict[int, str]:
    ids = [s.pk for section in sections if section["name"] == "observados" for s in section["items"]]
    out = {}
    for t in Transition.objects.filter(submission_id__in=ids, target=State.OBSERVED).order_by("at", "id"):
        out[t.submission_id] = t.comment
    return out


@internal
@require_POST
def bulk_review(request, action):
    """Approve or publish the selected reports; says which were skipped and why."""
    perms.require(perms.can_review(request.user), "Solo el analista o la oficina de planeamiento revisan reportes.")
    target = BULK.get(action)
    if target is None:
        raise Http404(f"No existe la acción «{action[:40]}» (use aprobar o publicar).")
    raw = request.POST.getlist("ids")
    ids = [int(v) for v in raw if v.isascii() and v.isdigit() and len(v) < 12]
    try:
        if not ids or len(ids) != len(raw):
            raise inputs.Invalid(["Campo «reportes»: elija al menos un reporte de la lista (casillas de la izquierda)."])
        comment = inputs.text(Transition, "comment", request.POST.get("comentario") or "")
    except inputs.Invalid as exc:
        return render(request, "reporting/refused.html", {"errors": exc.errors, "back": "/pendientes/"}, status=422)
    out = bulk.review(request.user, ids, target, comment)
    verb = bulk.VERBS[target]
    if out.done:
        messages.success(request, f"{len(out.done)} reporte{'s' if len(out.done) != 1 else ''} {verb}{'s' if len(out.done) != 1 else ''}: "
                                  + ", ".join(s.indicator.code for s in out.done) + ".")
    if out.skipped:
        messages.warning(request, f"{len(out.skipped)} sin {action}: " + "; ".join(f"{code}: {why}" for code, why in out.skipped) + ".")
    return redirect("reporting:pending")
