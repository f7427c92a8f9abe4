"""Golden figures of INPE's Informe de evaluación institucional 2024 of its PEI (seed 002)."""

import pytest

from vigia.methodology import Band
from vigia.methodology.bands import displayed

OEI = {"OEI.01": 57.62, "OEI.02": 100.0, "OEI.03": 0.0}
AEI = {
    "AEI.01.01": 100.0, "AEI.01.02": 100.0, "AEI.01.03": 7.25, "AEI.01.04": 38.67, "AEI.01.05": 28.62,
    "AEI.01.06": 76.23, "AEI.02.01": 100.0, "AEI.02.02": None, "AEI.02.03": 84.91, "AEI.02.04": 70.67,
    "AEI.03.01": 0.0,
}
INDICATORS = {
    "IND.01.OEI.01": 40.58, "IND.02.OEI.01": 32.29, "IND.03.OEI.01": 100.0, "IND.01.OEI.02": 100.0,
    "IND.01.OEI.03": 0.0,
}


@pytest.mark.parametrize("code,expected", sorted({**OEI, **AEI, **INDICATORS}.items()))
def test_progress_2024(pei_2024, code, expected):
    assert displayed(pei_2024.row(code).progress, pei_2024.rules) == expected


def test_oei01_is_the_mean_of_capped_indicators(pei_2024):
    assert pei_2024.row("OEI.01").progress == pytest.approx((56 / 138 * 100 + 0.72 / 2.23 * 100 + 100) / 3)


def test_cap_at_100_per_indicator(pei_2024):
    # descending, expected 2, obtained 1: 200 % capped to 100
    row = pei_2024.row("IND.03.OEI.01")
    assert (row.target, row.actual, row.progress) == (2.0, 1.0, 100.0)
    row = pei_2024.row("IND.01.AEI.01.01")
    assert (row.target, row.actual, row.progress) == (16.0, 49.61, 100.0)


def test_expected_zero_is_not_programmed_and_left_out(pei_2024):
    assert pei_2024.row("IND.02.AEI.01.03").progress is None
    assert pei_2024.row("IND.02.AEI.01.03").reason.name == "NOT_PROGRAMMED"
    assert pei_2024.row("AEI.01.03").progress == pytest.approx(640 / 8824 * 100)  # 7.25, not 3.62


def test_tuberculosis_rate_uses_unrounded_value(pei_2024):
    row = pei_2024.row("IND.01.AEI.01.06")
    assert row.actual == 3.752
    assert displayed(row.progress, pei_2024.rules) == 76.23  # 3.75 would give 76.27


def test_aei_band_counts_match_the_executive_summary(pei_2024):
    c = pei_2024.band_counts["AEI"]
    assert (c[Band.GREEN], c[Band.YELLOW], c[Band.RED], c[Band.ND]) == (3, 2, 5, 1)


def test_oei_types(pei):
    assert {e.code: e.attributes["type"] for e in pei.spec.elements if e.level == "OEI"} == {
        "OEI.01": "I", "OEI.02": "II", "OEI.03": "II"
    }


def test_first_semester_values(pei):
    s1 = pei.series(period="S1")
    assert s1["IND.01.AEI.01.05"].actual(2024).value == 6.59
    assert s1["IND.01.AEI.01.04"].actual(2024).value == 101
