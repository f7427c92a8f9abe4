"""Aggregation of indicator progress up a plan's hierarchy, and the policy index.

An element's progress is the mean of its own indicators that have a value; an element without
indicators takes the mean of its children. ND values never enter a mean.
"""

from __future__ import annotations

import numpy as np


def group_mean(values: np.ndarray, groups: np.ndarray, n_groups: int) -> np.ndarray:
    """Mean of the non-NaN rows of ``values`` (n, years) per group id; NaN for empty groups."""
    years = values.shape[1]
    ok = ~np.isnan(values)
    flat = (groups[:, None] * years + np.arange(years)[None, :]).ravel()
    size = n_groups * years
    sums = np.bincount(flat, weights=np.where(ok, values, 0.0).ravel(), minlength=size)
    counts = np.bincount(flat, weights=ok.ravel(), minlength=size)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (sums / counts).reshape(n_groups, years)


def aggregate(
    indicator_progress: np.ndarray,
    indicator_element: np.ndarray,
    element_parent: np.ndarray,
) -> np.ndarray:
    """Progress (n_elements, years) of every element.

    ``indicator_element`` gives each indicator's element index; ``element_parent`` each element's
    parent index (-1 at the top). Elements are processed deepest first so children are ready.
    """
    n_el = len(element_parent)
    years = indicator_progress.shape[1]
    own = group_mean(indicator_progress, indicator_element, n_el)
    has_own = np.bincount(indicator_element, minlength=n_el) > 0
    result = np.where(has_own[:, None], own, np.nan)

    depth = _depths(element_parent)
    for d in range(int(depth.max(initial=0)), 0, -1):
        children = np.flatnonzero(depth == d)
        parents = element_parent[children]
        from_children = group_mean(result[children], parents, n_el)
        takes = np.zeros(n_el, bool)
        takes[parents] = True
        takes &= ~has_own
        result[takes] = from_children[takes]
    return result.reshape(n_el, years)


def _depths(parent: np.ndarray) -> np.ndarray:
    depth = np.zeros(len(parent), np.int64)
    current = parent.copy()
    while np.any(current >= 0):
        moving = current >= 0
        depth[moving] += 1
        current[moving] = parent[current[moving]]
    return depth


def index(objective_progress: np.ndarray) -> np.ndarray:
    """Índice de gestión per year: the mean of the objectives that have a value."""
    groups = np.zeros(objective_progress.shape[0], np.int64)
    return group_mean(objective_progress, groups, 1)[0]
