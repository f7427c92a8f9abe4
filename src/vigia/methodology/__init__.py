"""CEPLAN's method as pure functions: progress, aggregation, index, bands, alerts, checks and
trajectories. No Django and no I/O, so the CLI, the web application and the reports share it."""

from .bands import Band, band_of
from .evaluation import INDEX_CODE, Evaluation, Row, evaluate
from .model import Bound, Direction, Element, Indicator, Level, Observation, Plan, Series, Status
from .progress import Reason, compute, progress_of
from .rules import PEI, POLICY, RuleSet, ruleset

__all__ = [
    "INDEX_CODE", "PEI", "POLICY", "Band", "Bound", "Direction", "Element", "Evaluation", "Indicator", "Level",
    "Observation", "Plan", "Reason", "Row", "RuleSet", "Series", "Status", "band_of", "compute", "evaluate",
    "progress_of", "ruleset",
]
