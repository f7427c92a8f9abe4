"""Property tests of the formulas: direction symmetry, monotonicity, cap, ND, aggregation."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vigia.methodology import PEI, POLICY, Bound, Direction, Reason, progress_of
from vigia.methodology.aggregation import aggregate, group_mean
from vigia.methodology.rules import Formula, RuleSet

positive = st.floats(min_value=0.01, max_value=1e6, allow_nan=False, allow_infinity=False)
rulesets = st.sampled_from([POLICY, PEI])


@given(positive, positive)
def test_direction_symmetry(target, actual):
    """Descending progress of (t, a) equals ascending progress of the reciprocals."""
    desc, _ = progress_of(target, actual, Direction.DESCENDING, POLICY)
    asc, _ = progress_of(1 / target, 1 / actual, Direction.ASCENDING, POLICY)
    assert desc == pytest.approx(asc, rel=1e-9)


@given(positive, positive, positive)
def test_monotonic_in_actual(target, a, b):
    low, high = sorted((a, b))
    for rules in (POLICY, PEI):
        up_low, _ = progress_of(target, low, Direction.ASCENDING, rules)
        up_high, _ = progress_of(target, high, Direction.ASCENDING, rules)
        assert up_low <= up_high + 1e-9
        down_low, _ = progress_of(target, low, Direction.DESCENDING, rules)
        down_high, _ = progress_of(target, high, Direction.DESCENDING, rules)
        assert down_low + 1e-9 >= down_high


@given(positive, positive, st.sampled_from(list(Direction)))
def test_cap_bounds(target, actual, direction):
    bound = Bound.MAX if direction is Direction.UNDEFINED else None
    capped, _ = progress_of(target, actual, direction, PEI, bound=bound)
    free, _ = progress_of(target, actual, direction, POLICY, bound=bound)
    assert 0 <= capped <= 100
    assert capped == pytest.approx(min(free, 100))


@given(st.one_of(st.none(), positive), st.one_of(st.none(), positive), rulesets, st.sampled_from([Direction.ASCENDING, Direction.DESCENDING]))
def test_missing_value_propagates_as_nd(target, actual, rules, direction):
    value, reason = progress_of(target, actual, direction, rules)
    if target is None or actual is None:
        assert value is None
        assert reason in (Reason.MISSING_TARGET, Reason.MISSING_ACTUAL)
    else:
        assert value is not None and math.isfinite(value)


def test_zero_conventions_differ_between_rule_sets():
    assert progress_of(0, 0, Direction.ASCENDING, POLICY) == (100.0, Reason.ZERO_TARGET_MET)
    assert progress_of(0, 0, Direction.ASCENDING, PEI) == (None, Reason.NOT_PROGRAMMED)
    assert progress_of(0, 3, Direction.DESCENDING, POLICY)[0] == 0.0
    assert progress_of(5, 0, Direction.DESCENDING, POLICY) == (100.0, Reason.ZERO_ACTUAL_BEST)
    assert progress_of(5, 0, Direction.ASCENDING, POLICY)[0] == 0.0


def test_undefined_direction_within_bound_is_on_track():
    assert progress_of(10, 8, Direction.UNDEFINED, POLICY, bound=Bound.MAX)[0] == 100.0
    assert progress_of(10, 20, Direction.UNDEFINED, POLICY, bound=Bound.MAX)[0] == 50.0
    assert progress_of(10, 12, Direction.UNDEFINED, POLICY, bound=Bound.MIN)[0] == 100.0
    assert progress_of(10, 5, Direction.UNDEFINED, POLICY, bound=Bound.MIN)[0] == 50.0


def test_tipo_ii_distance_from_baseline():
    tipo2 = RuleSet("t2", "Tipo II", formula=Formula.TIPO_II)
    assert progress_of(50, 40, Direction.ASCENDING, tipo2, baseline=30)[0] == pytest.approx(50.0)
    assert progress_of(20, 25, Direction.DESCENDING, tipo2, baseline=30)[0] == pytest.approx(50.0)
    assert progress_of(30, 40, Direction.ASCENDING, tipo2, baseline=30) == (None, Reason.TIPO_II_UNDEFINED)
    assert progress_of(50, 40, Direction.ASCENDING, tipo2) == (None, Reason.MISSING_BASELINE)


def test_additive_series_compares_running_totals():
    from vigia.methodology.progress import compute

    target = np.array([[np.nan, 10, 10, 10]])
    actual = np.array([[np.nan, 5, 10, 15]])
    p, _ = compute(target, actual, np.array([0]), POLICY, additive=np.array([True]))
    assert np.isnan(p[0, 0])
    assert p[0, 1:] == pytest.approx([50.0, 75.0, 100.0])
    gap = np.array([[10, np.nan, 10]])
    p, r = compute(np.array([[10.0, 10, 10]]), gap, np.array([0]), POLICY, additive=np.array([True]))
    assert p[0, 0] == 100 and np.isnan(p[0, 1]) and np.isnan(p[0, 2])


values = st.lists(st.one_of(st.just(float("nan")), st.floats(0, 500)), min_size=1, max_size=30)


@settings(max_examples=200)
@given(values, st.data())
def test_group_mean_ignores_nd_and_stays_within_range(vals, data):
    groups = np.array(data.draw(st.lists(st.integers(0, 3), min_size=len(vals), max_size=len(vals))))
    arr = np.array(vals).reshape(-1, 1)
    means = group_mean(arr, groups, 4)[:, 0]
    for g in range(4):
        members = [v for v, k in zip(vals, groups) if k == g and not math.isnan(v)]
        if members:
            assert means[g] == pytest.approx(sum(members) / len(members))
            assert min(members) - 1e-9 <= means[g] <= max(members) + 1e-9
        else:
            assert math.isnan(means[g])


def test_aggregate_prefers_own_indicators_then_children():
    # elements: 0 objective (own indicator), 1 guideline (no indicators), 2 and 3 services
    parent = np.array([-1, 0, 1, 1])
    ind_element = np.array([0, 2, 3, 3])
    progress = np.array([[80.0], [50.0], [100.0], [np.nan]])
    result = aggregate(progress, ind_element, parent)[:, 0]
    assert result[0] == 80.0  # own indicator, not its children
    assert result[2] == 50.0 and result[3] == 100.0  # ND left out
    assert result[1] == 75.0  # mean of its services
