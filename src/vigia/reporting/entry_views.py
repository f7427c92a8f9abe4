"""The entry grid: an operador reports every indicator of its entity from one page, saves them
together and sends the complete ones to review together. A refused delivery changes nothing and
shows every line again exactly as it was typed, with each line's problems beside it."""

from __future__ import annotations

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from . import batch, grid, proposals
from . import permissions as perms
from .models import Campaign, Submission
from .permissions import internal
from .preview import Context, preview

STATUS = {"forbidden": 403, "conflict": 409, "invalid": 422}


def _campaign(pk) -> Campaign:
    return get_object_or_404(Campaign.objects.select_related("plan", "entity"), pk=pk)


@internal
@require_http_methods(["GET", "POST"])
def entry(request, pk):
    c = _campaign(pk)
    perms.require(perms.can_report_any(request.user), "Solo quien reporta indicadores usa la grilla de registro.")
    if request.method == "GET":
        return _render(request, c, grid.lines(request.user, c))
    submit = request.POST.get("accion") == "enviar"
    rows, typed, malformed = grid.posted(request.user, c, request.POST, submit)
    try:
        if malformed:
            raise batch.Refused([batch.Problem(0, "", e, "version") for e in malformed])
        done = batch.deliver(request.user, c, rows)
    except batch.Refused as refused:
        lines = grid.lines(request.user, c, typed, refused)
        shown = {line.submission.pk: line.submission.indicator.code for line in lines}
        listed = [(shown.get(p.number, ""), p.message) for p in refused.problems]  # each linked to its line
        return _render(request, c, lines, refused=refused, listed=listed, status=STATUS[refused.kind])
    saved = sum(d.changed for d in done)
    messages.success(request, batch.summary(saved, len(typed) - saved, sum(d.submitted for d in done), [w for d in done for w in d.warnings]))
    return redirect("reporting:entry", pk=pk)


def _render(request, c: Campaign, lines, refused=None, listed=(), status=200):
    editable = [line for line in lines if line.editable]
    awaiting = proposals.awaiting(request.user, c.pk)
    return render(request, "reporting/entry.html", {
        "awaiting": awaiting, "proposed": {p.submission_id for p in awaiting},
        "c": c, "lines": lines, "editable": editable, "refused": refused, "listed": listed,
        "problems": len(refused.problems) if refused else 0, "entity": perms.entity_of(request.user), "year": str(c.year),
    }, status=status)


@internal
@require_GET
def entry_preview(request, pk, submission_id):
    """The % change, avance, band and validation of the values typed in one line (JSON)."""
    s = get_object_or_404(Submission.objects.select_related("indicator", "campaign__plan"), pk=submission_id, campaign_id=pk)
    perms.require(perms.can_report(request.user, s.indicator), "Este indicador es de otra entidad.")
    data = {name: request.GET.get(name, "")[:200] for name in grid.INPUTS}
    return JsonResponse(preview(Context(s.campaign, perms.audience(request.user)), s.indicator, data).as_json())
