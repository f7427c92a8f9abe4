"""Golden figures of the 2024 Reporte de seguimiento of the policy (seed 003), typed in from
the document, not read from the dataset: Vigía must reproduce every one of them."""

import pytest

from vigia.methodology import Band, INDEX_CODE
from vigia.methodology.bands import displayed

# Avance Tipo I 2024 as printed in the last column of 003; None = ND.
AVANCE_2024 = {
    "IOP.01.01": None, "IOP.01.02": 68.7, "ISS.01.04.01.01": 18.1, "ISS.01.05.01.01": None,
    "IOP.02.01": 125.7, "IOP.02.02": 52.2, "ISS.02.01.01.01": 100.0, "ISS.02.01.02.01": 184.8,
    "ISS.02.01.03.01": 55.7, "ISS.02.02.01.01": 100.0, "ISS.02.03.01.01": 132.1, "ISS.02.03.02.01": 100.0,
    "ISS.02.04.01.01": 87.9, "IOP.03.01": 20.0, "IOP.03.02": None, "ISS.03.01.01.01": 103.8,
    "ISS.03.01.02.01": 16.9, "ISS.03.02.01.01": 100.0, "ISS.03.03.01.01": 135.3, "IOP.04.01": 68.8,
    "IOP.04.02": None, "IOP.04.03": 43.4, "ISS.04.01.01.01": 82.1, "ISS.04.01.02.01": None,
    "ISS.04.01.03.01": 94.6, "ISS.04.01.04.01": 23.7, "ISS.04.01.05.01": 48.2, "ISS.04.01.06.01": 116.8,
    "ISS.04.01.07.01": 168.5, "ISS.04.01.08.01": 67.6, "ISS.04.01.09.01": 110.0, "ISS.04.01.10.01": 80.7,
    "ISS.04.03.01.01": 33.8, "ISS.04.05.01.01": 27.9, "ISS.04.05.02.01": 116.9, "ISS.04.05.03.01": 70.4,
    "ISS.04.05.04.01": 1666.7, "ISS.04.05.05.01": 100.0, "ISS.04.05.06.01": 113.0, "IOP.05.01": 94.3,
    "IOP.05.02": None, "ISS.05.01.01.01": 100.0, "ISS.05.02.01.01": 100.0, "ISS.05.03.01.01": 90.0,
    "ISS.05.06.01.01": 44.0, "IOP.06.01": 168.0, "IOP.06.02": 4.0, "ISS.06.01.01.01": 965.5,
    "ISS.06.02.01.01": 32.8,
}
OP_2024 = {"OP.01": 68.7, "OP.02": 89.0, "OP.03": 20.0, "OP.04": 56.1, "OP.05": 94.3, "OP.06": 86.0}


def test_all_49_indicators_are_in_the_dataset(policy):
    assert sorted(i.code for i in policy.plan.indicators) == sorted(AVANCE_2024)
    assert len(AVANCE_2024) == 49


@pytest.mark.parametrize("code,expected", sorted(AVANCE_2024.items()))
def test_indicator_progress_2024(policy_2024, code, expected):
    row = policy_2024.row(code)
    assert displayed(row.progress, policy_2024.rules) == expected


@pytest.mark.parametrize("code,expected", sorted(OP_2024.items()))
def test_objective_progress_2024(policy_2024, code, expected):
    assert displayed(policy_2024.row(code).progress, policy_2024.rules) == expected


def test_index_is_69(policy_2024):
    assert displayed(policy_2024.index, policy_2024.rules) == 69.0
    assert policy_2024.row(INDEX_CODE).progress == policy_2024.index
    assert policy_2024.index == pytest.approx(sum(policy_2024.row(c).progress for c in OP_2024) / 6)


@pytest.mark.parametrize(
    "level,counts", [("OP", (3, 3, 0, 0)), ("IOP", (6, 1, 2, 4)), ("ISS", (11, 5, 18, 2))]
)
def test_band_counts_match_the_top_of_003(policy_2024, level, counts):
    c = policy_2024.band_counts[level]
    assert (c[Band.RED], c[Band.YELLOW], c[Band.GREEN], c[Band.ND]) == counts


def test_descending_indicator_uses_expected_over_obtained(policy_2024):
    row = policy_2024.row("IOP.01.02")
    assert (row.target, row.actual) == (26.0, 37.85)
    assert row.progress == pytest.approx(26 / 37.85 * 100)


def test_full_precision_value_reproduces_the_published_avance(policy, policy_2024):
    # 003 prints 24 % but publishes 27.9: only the unrounded obtained value gives it.
    row = policy_2024.row("ISS.04.05.01.01")
    assert row.actual == pytest.approx(23.7)
    printed = [r.value for r in policy.records if r.indicator == "ISS.04.05.01.01" and r.kind == "actual_printed"]
    assert printed == [24.0]
    assert round(24 / 85 * 100, 1) != 27.9


def test_every_published_avance_of_003_is_reproduced(policy, policy_2024):
    published = [r for r in policy.published() if r.source == "003 matriz 2024"]
    assert len(published) == 49 + 6 + 1
    for r in published:
        assert displayed(policy_2024.row(r.indicator).progress, policy_2024.rules) == r.value, r.indicator
