"""CEPLAN's checks of an indicator's ficha and of the figures it programs, as pure functions.

The official application applies them when an office registers a plan: the direction implied by
the successive logros esperados is compared with the declared one, every unit of measure has a
valid range for targets and values, and a *No definido* indicator is judged against a máximo or
mínimo permisible. The workbook import, the web editor and `vigia check` all call these.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

from .model import Bound, Direction
from .validation import out_of_range


class Severity(str, Enum):
    ERROR = "error"  # the figure or ficha cannot be stored
    WARNING = "aviso"  # stored, but the office should look at it


@dataclass(frozen=True)
class Issue:
    severity: Severity
    field: str  # the ficha field or the figure at fault: "direction", "bound", "target 2026"…
    message: str


def inferred_direction(targets: Mapping[int, float | None]) -> Direction | None:
    """The direction the logros esperados imply: rising → ascendente, falling → descendente;
    None when flat or when fewer than two targets are set (nothing to infer)."""
    values = [v for _, v in sorted(targets.items()) if v is not None]
    if len(values) < 2 or values[-1] == values[0]:
        return None
    return Direction.ASCENDING if values[-1] > values[0] else Direction.DESCENDING


def direction_issue(code: str, declared: Direction, targets: Mapping[int, float | None]) -> Issue | None:
    """A warning when the declared sentido esperado disagrees with the targets' trend."""
    implied = inferred_direction(targets)
    if implied is None or declared is Direction.UNDEFINED or implied is declared:
        return None
    return Issue(Severity.WARNING, "direction",
                 f"{code} se declara {declared.label.lower()}, pero sus logros esperados van en sentido {implied.label.lower()}.")


def bound_issue(code: str, direction: Direction, bound: Bound | None) -> Issue | None:
    """A *No definido* indicator needs its máximo or mínimo permisible; the others take none."""
    if direction is Direction.UNDEFINED and bound is None:
        return Issue(Severity.ERROR, "bound", f"{code} tiene sentido «No definido»: indique si su logro esperado es un máximo o un mínimo permisible.")
    if direction is not Direction.UNDEFINED and bound is not None:
        return Issue(Severity.ERROR, "bound", f"{code}: el máximo o mínimo permisible va solo con sentido «No definido».")
    return None


def check_indicator(
    code: str,
    unit: str,
    direction: Direction,
    bound: Bound | None,
    targets: Mapping[int, float | None],
    actuals: Mapping[int, float | None] = {},
    valid_min: float | None = None,
    valid_max: float | None = None,
) -> list[Issue]:
    """Every CEPLAN check of one indicator: its bound, its direction against its targets, and the
    valid range of each target and value."""
    issues = [i for i in (bound_issue(code, direction, bound), direction_issue(code, direction, targets)) if i]
    for label, figures in (("logro esperado", targets), ("valor obtenido", actuals)):
        for year, value in sorted(figures.items()):
            problem = None if value is None else out_of_range(unit, value, valid_min, valid_max)
            if problem:
                issues.append(Issue(Severity.ERROR, f"{label} {year}", f"{code}, {label} {year}: {problem}."))
    return issues
