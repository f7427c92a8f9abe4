"""«Mi cuenta»: role and entity, password, and the tokens an entity's system uses for the API."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from . import permissions as perms
from . import tokens
from .permissions import internal


@internal
@require_http_methods(["GET", "POST"])
def account(request):
    user, created = request.user, None
    if request.method == "POST":
        if request.POST.get("accion") == "crear":
            created = tokens.create(user)
        elif request.POST.get("accion") == "revocar":
            n = tokens.revoke(user)
            messages.success(request, f"{n} token{'s' if n != 1 else ''} revocado{'s' if n != 1 else ''}: sus sistemas ya no pueden usarlo{'s' if n != 1 else ''}.")
            return redirect("reporting:account")
    profile = perms._profile(user)
    return render(request, "reporting/account.html", {
        "role": perms.role(user), "profile": profile, "tokens": user.api_tokens.all()[:20], "created": created,
    })
