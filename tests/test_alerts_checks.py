"""Alerts (a)-(d) and the consistency checks against what the seeds say."""

import pytest

from vigia.methodology import Direction, Series, Observation, Indicator, ruleset
from vigia.methodology.alerts import alerts
from vigia.methodology.checks import Severity, check, inferred_direction, tolerance
from vigia.methodology.trajectory import Outlook, project


@pytest.fixture(scope="module")
def policy_alerts(policy, policy_2024):
    return {a.kind: a for a in alerts(policy_2024, policy.series())}


def codes(alert):
    return [i.code for i in alert.items]


def test_alert_a_lists_the_four_unmeasured_objective_indicators(policy_alerts):
    a = policy_alerts["a"]
    assert codes(a) == ["IOP.01.01", "IOP.03.02", "IOP.04.02", "IOP.05.02"]
    assert "estudio exhaustivo" in a.items[1].detail  # the reason 003 gives for IOP.03.02


def test_alert_b_lists_unreported_service_indicators(policy_alerts):
    b = policy_alerts["b"]
    assert codes(b) == ["ISS.01.05.01.01", "ISS.04.01.02.01"]
    assert "Sin logro esperado" in b.items[0].detail and "expedientes" in b.items[0].detail


def test_alert_c_names_the_services_003_names(policy_alerts):
    c = policy_alerts["c"]
    # 003, alert c: alfabetización (34% → 24%) and CETPRO (9.15% → 8.24% → 7.60%), a sustained fall. Consumo de Droga,
    # AREE and T.A.S. fell too, but after rising in 2023 (003 mentions them under d); ISS.03.01.02.01 is already in d;
    # ISS.04.05.06.01 fell but still exceeds its target (113%).
    assert codes(c) == ["ISS.04.05.01.01", "ISS.04.05.03.01"]
    cetpro = next(i for i in c.items if i.code == "ISS.04.05.03.01")
    assert (cetpro.figures["anterior"], cetpro.figures["actual"]) == (8.24, 7.6)
    assert all(i.figures["actual"] < i.figures["anterior"] for i in c.items)


def test_alert_d_names_the_four_lowest_as_003_does(policy_alerts):
    d = policy_alerts["d"]
    assert codes(d) == ["IOP.06.02", "ISS.03.01.02.01", "ISS.01.04.01.01", "IOP.03.01"]
    assert [i.figures["avance"] for i in d.items] == [4.0, 16.9, 18.1, 20.0]
    assert "limitado Avance Tipo I" in d.text


def _findings(ds):
    return check(ds.plan, ruleset(ds.spec.ruleset), ds.editions(), ds.spec.current_vintage)


def test_check_flags_the_2020_descending_indicator_computed_as_ascending(policy):
    f = next(f for f in _findings(policy) if f.rule == "sentido_invertido")
    assert (f.code, f.edition, f.severity) == ("IOP.01.02", "RS-2020", Severity.ERROR)
    assert f.figures["publicado"] == 92 and f.figures["correcto"] == pytest.approx(37 / 34 * 100)


def test_check_flags_the_formula_stated_but_not_applied(policy):
    f = next(f for f in _findings(policy) if f.rule == "formula_declarada")
    assert f.edition == "RS-2020" and "Tipo II" in f.text


def test_check_flags_rounded_inputs(policy):
    f = next(f for f in _findings(policy) if f.rule == "insumos_redondeados")
    assert f.code == "ISS.04.05.01.01"
    assert f.figures["impreso"] == pytest.approx(24 / 85 * 100)


def test_check_flags_narrative_contradicting_table(pei):
    found = {(f.rule, f.code) for f in _findings(pei)}
    assert ("narrativa_contradice_tabla", "AEI.01.03") in found
    assert ("agregado_no_reproducible", "AEI.01.03") in found


def test_check_accepts_every_figure_of_003(policy):
    errors = [f for f in _findings(policy) if f.edition == "RS-2024" and f.severity is Severity.ERROR]
    assert errors == []


def test_direction_inferred_from_targets():
    rising = Series(targets={2020: Observation(1.0), 2021: Observation(2.0)})
    falling = Series(targets={2020: Observation(37.0), 2024: Observation(26.0)})
    flat = Series(targets={2020: Observation(8.0), 2024: Observation(8.0)})
    assert inferred_direction(rising) is Direction.ASCENDING
    assert inferred_direction(falling) is Direction.DESCENDING
    assert inferred_direction(flat) is None


def test_direction_contradiction_is_flagged(policy):
    from dataclasses import replace

    plan = policy.plan
    flipped = tuple(replace(i, direction=Direction.ASCENDING) if i.code == "IOP.01.02" else i for i in plan.indicators)
    findings = check(replace(plan, indicators=flipped), ruleset("policy"), policy.editions(), "RS-2024")
    assert any(f.rule == "sentido_vs_metas" and f.code == "IOP.01.02" for f in findings)


def test_tolerance_follows_printed_precision():
    assert tolerance(92.0) == 0.5
    assert tolerance(68.7) == pytest.approx(0.05)
    assert tolerance(57.62) == pytest.approx(0.005)


def _series(actuals, targets):
    return Series(
        targets={y: Observation(v) for y, v in targets.items()},
        actuals={y: Observation(v) for y, v in actuals.items()},
    )


PCT_UP = Indicator("X", "x", "E", Direction.ASCENDING, unit="percentage")
PCT_DOWN = Indicator("Y", "y", "E", Direction.DESCENDING, unit="percentage")


def test_trajectory_classifies_against_the_horizon_target():
    on_track = project(PCT_UP, _series({2020: 10, 2024: 20}, {2030: 35}), 2030)
    assert on_track.method == "tasa compuesta" and on_track.outlook is Outlook.ON_TRACK
    assert on_track.projections[2030] == pytest.approx(20 * 2 ** (6 / 4))
    slow = project(PCT_UP, _series({2020: 10, 2024: 11}, {2030: 35}), 2030)
    assert slow.outlook is Outlook.NEEDS_ACCELERATION
    worse = project(PCT_DOWN, _series({2019: 36.5, 2024: 37.85}, {2024: 26, 2030: 21}), 2030)
    assert worse.outlook is Outlook.STALLED
    done = project(PCT_UP, _series({2020: 10, 2024: 40}, {2030: 35}), 2030)
    assert done.outlook is Outlook.ACHIEVED


def test_no_target_at_the_horizon_is_said_not_assumed():
    t = project(PCT_DOWN, _series({2019: 36.5, 2024: 37.85}, {2024: 26, 2027: 24}), 2030)
    assert t.outlook is Outlook.NO_TARGET and t.final_target is None and t.final_year == 2030
    assert t.outlook_label == "sin meta a 2030"
    assert t.projections[2030] > 37.85 and t.targets == {2024: 26, 2027: 24}


def test_trajectory_respects_natural_bounds_and_zero():
    fast = project(PCT_UP, _series({2020: 10, 2024: 90}, {2030: 100}), 2030)
    assert max(fast.projections.values()) == 100.0
    linear = project(PCT_UP, _series({2020: 0, 2024: 8}, {2030: 20}), 2030)
    assert linear.method == "lineal" and linear.rate == 2.0 and linear.projections[2030] == 20.0
    assert project(PCT_UP, _series({2024: 10}, {2030: 20}), 2030) is None


def test_policy_trajectories(policy):
    s = policy.series()
    inds = {i.code: i for i in policy.plan.indicators}
    # the policy sets no target beyond 2024: no verdict for 2030
    assert {project(inds[c], s[c], 2030).outlook_label for c in ("IOP.01.02", "IOP.02.01")} == {"sin meta a 2030"}


def test_lowest_is_per_group_and_below_the_threshold():
    import numpy as np

    from vigia.methodology.alerts import lowest

    progress = np.array([10.0, 80.0, 5.0, np.nan, 60.0, 1.0, 2.0, 3.0])
    group = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    picked = lowest(progress, group, 2, 75.0)
    assert picked.tolist() == [2, 0, 5, 6]
