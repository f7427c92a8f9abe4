"""Who may do what. Every view, upload and API call asks these functions, server-side."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from .models import Profile, Role


def role(user) -> str | None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser:
        return Role.ADMIN
    profile = _profile(user)
    return profile.role if profile else None


def _profile(user) -> Profile | None:
    if not hasattr(user, "_vigia_profile"):
        user._vigia_profile = Profile.objects.select_related("entity").prefetch_related("units").filter(user=user).first()
    return user._vigia_profile


def can_view_internal(user) -> bool:
    """Any role sees the internal (preliminary) figures; the public sees the portal only."""
    return role(user) is not None


def can_manage(user) -> bool:
    return role(user) == Role.ADMIN


def can_review(user) -> bool:
    return role(user) in (Role.ADMIN, Role.ANALYST)


def can_report(user, indicator) -> bool:
    """An operador reports only the indicators of its entity (and of its units, when it has some)."""
    r = role(user)
    if r == Role.ADMIN:
        return True
    if r != Role.OPERATOR:
        return False
    profile = _profile(user)
    if not profile or profile.entity_id is None or indicator.entity_id != profile.entity_id:
        return False
    units = {u.id for u in profile.units.all()}
    return not units or indicator.responsible_unit_id in units


def entity_of(user):
    profile = _profile(user)
    return profile.entity if profile else None


def require(allowed: bool, message: str = "No tiene permiso para esta acción.") -> None:
    if not allowed:
        raise PermissionDenied(message)


def internal(view):
    """Login and a role: every internal page and download. The public has the portal."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        require(can_view_internal(request.user), "Su usuario no tiene un rol en Vigía; pida uno al administrador.")
        return view(request, *args, **kwargs)

    return wrapped
