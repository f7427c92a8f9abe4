"""CEPLAN's checks of a ficha and its programmed figures (methodology.ficha)."""

from hypothesis import given
from hypothesis import strategies as st

from vigia.methodology.ficha import Severity, bound_issue, check_indicator, direction_issue, inferred_direction
from vigia.methodology.validation import out_of_range
from vigia.methodology.model import Bound, Direction


def test_direction_from_successive_targets():
    assert inferred_direction({2025: 10, 2026: 12, 2030: 20}) is Direction.ASCENDING
    assert inferred_direction({2025: 37, 2026: 33, 2030: 21}) is Direction.DESCENDING
    assert inferred_direction({2025: 5, 2030: 5}) is None  # flat: nothing to infer
    assert inferred_direction({2025: 5, 2026: None}) is None


def test_declared_direction_against_targets_warns():
    issue = direction_issue("IOP.01.02", Direction.DESCENDING, {2025: 20, 2030: 30})
    assert issue.severity is Severity.WARNING and issue.field == "direction"
    assert issue.message == "IOP.01.02 se declara descendente, pero sus logros esperados van en sentido ascendente."
    assert direction_issue("IOP.01.02", Direction.DESCENDING, {2025: 30, 2030: 20}) is None
    assert direction_issue("X", Direction.UNDEFINED, {2025: 30, 2030: 20}) is None


def test_undefined_direction_takes_a_permissible_bound():
    assert bound_issue("X", Direction.UNDEFINED, None).severity is Severity.ERROR
    assert bound_issue("X", Direction.UNDEFINED, Bound.MAX) is None
    assert "va solo con sentido «No definido»" in bound_issue("X", Direction.ASCENDING, Bound.MIN).message


def test_valid_range_per_unit():
    assert out_of_range("percentage", 100.5) == "100.5 supera el máximo válido (100) para un porcentaje"
    assert out_of_range("number", -1) == "-1 está por debajo del mínimo válido (0) para este indicador"
    assert out_of_range("variation_rate", -35) is None  # a variation may fall
    assert out_of_range("percentage", 143, valid_max=300) is None  # overcrowding above 100 % (its ficha says so)
    assert out_of_range("percentage", 301, valid_max=300) == "301 supera el máximo válido (300) para este indicador"


def test_every_check_of_one_indicator():
    issues = check_indicator("X", "percentage", Direction.ASCENDING, None, {2025: 40, 2026: 120, 2030: 30}, {2025: -2})
    assert [(i.severity, i.field) for i in issues] == [
        (Severity.WARNING, "direction"), (Severity.ERROR, "logro esperado 2026"), (Severity.ERROR, "valor obtenido 2025")]


@given(st.lists(st.floats(-1e6, 1e6), min_size=2, max_size=8))
def test_a_monotone_rise_is_ascending(values):
    rising = dict(zip(range(2020, 2030), sorted(values)))
    if rising[max(rising)] != rising[min(rising)]:
        assert inferred_direction(rising) is Direction.ASCENDING
        assert inferred_direction({y: -v for y, v in rising.items()}) is Direction.DESCENDING
