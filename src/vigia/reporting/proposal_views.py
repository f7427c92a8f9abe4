"""The operator's answer to a value proposed from the penitentiary registry (see ``proposals``)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from . import permissions as perms
from . import proposals, services
from .models import Proposal
from .permissions import internal
from .views import _render_submission, _submission


@internal
@require_POST
def decide(request, pk, code, proposal_id):
    s = _submission(pk, code)
    proposal = get_object_or_404(Proposal, pk=proposal_id, submission=s)
    perms.require(perms.can_report(request.user, s.indicator), f"Solo la entidad responsable de {s.indicator.code} decide su valor.")
    action = request.POST.get("accion")
    try:
        version = services.version_of(request.POST.get("version"))
        if action == "confirmar":
            saved = proposals.confirm(request.user, proposal, version, request.POST.dict())
            messages.success(request, " ".join([f"Valor {proposal.label} confirmado y guardado; envíelo a revisión.", *saved.warnings]))
        elif action == "corregir":
            saved = proposals.correct(request.user, proposal, version, request.POST.dict())
            messages.success(request, " ".join(["Valor corregido y guardado con su justificación; envíelo a revisión.", *saved.warnings]))
        else:
            raise services.Invalid(["Campo «acción»: use confirmar o corregir."])
    except services.Invalid as exc:
        return _render_submission(request, _submission(pk, code), errors=exc.errors, form=request.POST, status=422)
    except services.Conflict as exc:
        return _render_submission(request, _submission(pk, code), conflict=exc, status=409)
    return redirect("reporting:submission", pk=pk, code=code)
