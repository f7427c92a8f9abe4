"""The plan's outlook to its horizon: each indicator's trajectory class, counted, as dashboards,
the portal and documents show it. Judged against the targets of the plan as it stands now (its
newest version): a new version with targets to 2030 changes the outlook the day it is loaded."""

from __future__ import annotations

from dataclasses import dataclass

from vigia.datasets import Dataset
from vigia.methodology.trajectory import Outlook, Trajectory, project

ORDER = (Outlook.ACHIEVED, Outlook.ON_TRACK, Outlook.NEEDS_ACCELERATION, Outlook.STALLED, Outlook.NO_TARGET)


@dataclass(frozen=True)
class Summary:
    horizon: int
    trajectories: list[Trajectory]

    @property
    def groups(self) -> list[tuple[str, list[Trajectory]]]:
        """(label, trajectories) per outlook class that has any, best first."""
        out = []
        for outlook in ORDER:
            found = [t for t in self.trajectories if t.outlook is outlook]
            if found:
                out.append((found[0].outlook_label, found))
        return out


def summary(ds: Dataset, horizon: int | None = None) -> Summary | None:
    """Every indicator with two or more obtained values, projected to ``horizon`` (default: the plan's end)."""
    end = horizon or ds.spec.period.end
    if end is None:
        return None
    series = ds.series()
    found = [t for i in ds.plan.indicators if i.code in series and (t := project(i, series[i.code], end))]
    return Summary(end, found) if found else None
