"""Who may do what, and who may see which figures.

Every page, download, import and API call asks these functions, server-side, so a rule is
written once. Writers added later (an entry grid, a write API) call the same functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from .models import Profile, Role, State


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
    """Any role sees the internal pages (each with the figures of its audience); the public sees the portal."""
    return role(user) is not None


def sees_registry_cells(user) -> bool:
    """The registry's figures in full, cells under 5 persons included: anyone with a role, on the
    internal registry page and the authenticated API; the public (portal, /api/publico/) gets them
    suppressed (``registry.privacy``)."""
    return can_view_internal(user)


def can_manage(user) -> bool:
    """The planning office (administrador): campaigns, targets, the matrix import."""
    return role(user) == Role.ADMIN


can_set_targets = can_manage  # only the administrador sets logros esperados (README, «Roles»)


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


def can_report_any(user) -> bool:
    """Someone who reports at least one indicator: the only ones whose workbooks are read."""
    r = role(user)
    return r == Role.ADMIN or (r == Role.OPERATOR and entity_of(user) is not None)


def authored(user, submission) -> bool:
    """Whether ``user`` saved or sent ``submission`` since its last publication."""
    return submission.authors.filter(pk=user.pk).exists()


def can_approve(user, submission) -> bool:
    """Four eyes: a reviewer who neither saved nor sent the report approves or publishes it,
    whatever their role (a superuser included)."""
    return can_review(user) and not authored(user, submission)


def entity_of(user):
    profile = _profile(user)
    return profile.entity if profile else None


# Audiences: which figures not yet published a user may see ----------------------------------------


@dataclass(frozen=True)
class Audience:
    """Who is looking, as far as reports not yet published are concerned.

    * ``publico``: published figures only.
    * ``entidad``: an operador; also its own entity's (and units') reports, in any state.
    * ``revision``: analista and administrador; also every entity's reports once sent
      (enviado, observado, aprobado). A draft is seen only by its own entity.
    * ``decision``: tomador de decisiones; also approved reports not yet published.

    Operators of one entity (and units) share one audience, hence one cache entry."""

    name: str
    entity_id: int | None = None
    units: tuple[int, ...] = ()

    @property
    def key(self) -> tuple:
        return (self.name, self.entity_id, self.units)

    @property
    def public(self) -> bool:
        return self.name == "publico"

    @property
    def reviewer(self) -> bool:
        return self.name == "revision"

    def owns(self, indicator) -> bool:
        """The indicator is this operador's to report."""
        return (self.name == "entidad" and self.entity_id is not None and indicator.entity_id == self.entity_id
                and (not self.units or indicator.responsible_unit_id in self.units))

    def sees(self, submission) -> bool:
        """Whether the figure of ``submission`` (in its current state) is visible to this audience."""
        state = submission.state
        if state == State.PUBLISHED:
            return True
        if self.name == "revision":
            return state in (State.SUBMITTED, State.OBSERVED, State.APPROVED)
        if self.name == "decision":
            return state == State.APPROVED
        return self.owns(submission.indicator)

    def unpublished(self) -> Q:
        """The reports not yet published this audience sees (a filter on Submission)."""
        if self.name == "revision":
            return Q(state__in=[State.SUBMITTED, State.OBSERVED, State.APPROVED])
        if self.name == "decision":
            return Q(state=State.APPROVED)
        if self.name == "entidad" and self.entity_id is not None:
            mine = Q(indicator__entity_id=self.entity_id) & ~Q(state=State.PUBLISHED)
            return mine & Q(indicator__responsible_unit_id__in=self.units) if self.units else mine
        return Q(pk__in=[])


PUBLIC = Audience("publico")
_REVIEW, _DECISION = Audience("revision"), Audience("decision")


def audience(user) -> Audience:
    r = role(user)
    if r in (Role.ADMIN, Role.ANALYST):
        return _REVIEW
    if r == Role.DECISION:
        return _DECISION
    if r == Role.OPERATOR:
        profile = _profile(user)
        if profile and profile.entity_id is not None:
            return Audience("entidad", profile.entity_id, tuple(sorted(u.id for u in profile.units.all())))
    return PUBLIC


def can_see_report(user, submission) -> bool:
    """The content of one report: its own entity (or the planning office, which may report it),
    and the audiences that see its current state."""
    return can_report(user, submission.indicator) or audience(user).sees(submission)


# Guards -------------------------------------------------------------------------------------------


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
