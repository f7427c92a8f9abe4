"""methodology.units.roll_up: sums numerators and denominators up the hierarchy, never averages
percentages; on the golden extract it gives the registry's own office and national figures."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vigia.methodology.units import UnitValue, ratio, roll_up
from vigia.registry.measures import BY_NAME

from .conftest import D1, D3


def test_a_ratio_is_recomputed_from_the_sums():
    parents = {"a": "R", "b": "R"}
    out = roll_up([UnitValue("a", 50.0, 1, 2), UnitValue("b", 10.0, 10, 100)], parents, is_ratio=True, factor=100)
    assert out["R"] == UnitValue("R", 11 / 102 * 100, 11, 102)  # not (50 + 10) / 2
    assert roll_up([UnitValue("a", None, 0, 0)], parents, True)["R"].value is None  # no denominator: no value, never 0
    assert roll_up([UnitValue("a", 3), UnitValue("b", None)], parents, False)["R"].value == 3
    assert ratio(1, 0) is None and ratio(None, 2) is None


@pytest.mark.parametrize("measure", ["poblacion", "sobrepoblacion", "sin_sentencia", "m2_por_interno", "fugas", "capacidad"])
@pytest.mark.parametrize("on", [D1, D3])
def test_the_registry_offices_and_nation_are_the_roll_up_of_its_establishments(registry, measure, on):
    rows = registry.measures([on], [measure])
    m = BY_NAME[measure]
    for sex in {r.sex for r in rows}:
        mine = [r for r in rows if r.sex == sex]
        parents = {r.code: r.parent for r in mine if r.parent}
        leaves = [UnitValue(r.code, r.value, r.numerator, r.denominator) for r in mine if r.scope == "establishment"]
        rolled = roll_up(leaves, parents, m.ratio, m.factor)
        for r in mine:
            if r.scope != "establishment" and r.code in rolled:
                assert rolled[r.code].value == pytest.approx(r.value) if r.value is not None else rolled[r.code].value is None


counts = st.integers(min_value=0, max_value=10_000)


@given(st.lists(st.tuples(st.sampled_from("abcdef"), counts, counts), min_size=1, max_size=30))
def test_the_root_is_the_same_whatever_the_grouping(cells):
    leaves = [UnitValue(f"{k}{i}", None, n, d) for i, (k, n, d) in enumerate(cells)]
    by_letter = {leaf.unit: leaf.unit[0] for leaf in leaves} | {k: "R" for k in "abcdef"}
    flat = {leaf.unit: "R" for leaf in leaves}
    a, b = roll_up(leaves, by_letter, True, 100)["R"], roll_up(leaves, flat, True, 100)["R"]
    assert (a.numerator, a.denominator) == (b.numerator, b.denominator) == (sum(n for _, n, _ in cells), sum(d for _, _, d in cells))
    assert a.value == b.value
