"""Golden figures of every measure on the hand-checkable extract (tests/registry/extracto), worked out
by hand from its 42 stays at D1 = 31/12/2023, D2 = 30/06/2024 and D3 = 31/12/2024.

Who is open where (a stay is open on D when ingreso <= D and egreso is empty or after D):
  EP01 (Lima, cap 10, 50 m²)  D1: P01 s, P02, P03 F, P04, P23 s   D2: P01 s, P02, P23 s, P26 s   D3: P01 s, P02, P05 s, P23 s
  EP02 (Lima, cap 4 → 6 from 01/03/2024, area unknown)
                              D1: P07 F s, P21 s, P22 F          D2 = D3: P03 F s, P21 s, P22 F
  EP03 (Norte, cap 5, 30 m²)  D1: P08 s, P10, P12 s (P09 left on D1; P10 entered on D1)
                              D2: P06, P10, P11 (P12 died on D2; P06's sentence comes 15/08/2024)   D3: P06 s, P10
  EP04 (Norte, cap 3, 12 m²)  D1: P13 s, P14, P15, P16 F s       D2: P08 s, P13 s, P14, P16 F s   D3: + P11
  EP05 (Sur, cap 4, 20 m²)    D1: P17 s, P18 F s                 D2: P15, P17 s   D3: P15 s (sentenced on D3), P17 s, P19 s
  EP06 (Lima, opens 01/07/2024, cap 2, 8 m²)                     D3: P25, P26 s
  EML01 (Lima) D1: P27, P28 F  D2, D3: P27.  EML02 (Norte) D2, D3: P29.  EML03 (Sur) always: P30 F, P31.
  (s = sentenced on that date; everyone else is procesado; F = woman, the rest men.)
"""

import pytest

from .conftest import D1, D2, D3

NONE = None

# (measure, date, scope, code, sex, value, numerator, denominator)
GOLDEN = [
    # poblacion: open EP stays
    ("poblacion", D1, "establishment", "EP01", "", 5, NONE, NONE),
    ("poblacion", D1, "establishment", "EP01", "F", 1, NONE, NONE),
    ("poblacion", D1, "office", "Lima", "", 8, NONE, NONE),  # EP01 5 + EP02 3
    ("poblacion", D1, "office", "Lima", "F", 3, NONE, NONE),  # P03, P07, P22
    ("poblacion", D1, "office", "Norte – Chiclayo", "", 7, NONE, NONE),
    ("poblacion", D1, "nation", "PE", "", 17, NONE, NONE),
    ("poblacion", D1, "nation", "PE", "M", 12, NONE, NONE),
    ("poblacion", D1, "nation", "PE", "F", 5, NONE, NONE),
    ("poblacion", D2, "establishment", "EP03", "", 3, NONE, NONE),  # P06, P10, P11 (P12's death on D2 closes the stay)
    ("poblacion", D2, "nation", "PE", "", 16, NONE, NONE),
    ("poblacion", D3, "establishment", "EP06", "", 2, NONE, NONE),  # opened 01/07/2024
    ("poblacion", D3, "office", "Lima", "", 9, NONE, NONE),  # 4 + 3 + 2
    ("poblacion", D3, "nation", "PE", "", 19, NONE, NONE),
    ("poblacion", D3, "nation", "PE", "F", 3, NONE, NONE),
    # poblacion_medio_libre
    ("poblacion_medio_libre", D1, "establishment", "EML01", "", 2, NONE, NONE),
    ("poblacion_medio_libre", D1, "establishment", "EML02", "", 0, NONE, NONE),
    ("poblacion_medio_libre", D1, "nation", "PE", "F", 2, NONE, NONE),
    ("poblacion_medio_libre", D3, "office", "Sur – Arequipa", "", 2, NONE, NONE),
    ("poblacion_medio_libre", D3, "nation", "PE", "", 4, NONE, NONE),
    # capacidad: the row in force (EP02 grows to 6 on 01/03/2024; EP06 exists from 01/07/2024)
    ("capacidad", D1, "establishment", "EP02", "", 4, NONE, NONE),
    ("capacidad", D2, "establishment", "EP02", "", 6, NONE, NONE),
    ("capacidad", D1, "office", "Lima", "", 14, NONE, NONE),
    ("capacidad", D1, "nation", "PE", "", 26, NONE, NONE),
    ("capacidad", D2, "nation", "PE", "", 28, NONE, NONE),
    ("capacidad", D3, "office", "Lima", "", 18, NONE, NONE),
    ("capacidad", D3, "nation", "PE", "", 30, NONE, NONE),
    # sobrepoblacion: (poblacion − capacidad) / capacidad × 100, summing numerators and denominators
    ("sobrepoblacion", D1, "establishment", "EP04", "", 100 / 3, 1, 3),  # 4 persons, 3 places
    ("sobrepoblacion", D1, "office", "Lima", "", -600 / 14, -6, 14),  # (8 − 14) / 14, not the mean of −50 and −25
    ("sobrepoblacion", D1, "nation", "PE", "", -900 / 26, -9, 26),
    ("sobrepoblacion", D2, "office", "Lima", "", -56.25, -9, 16),
    ("sobrepoblacion", D3, "establishment", "EP04", "", 200 / 3, 2, 3),
    ("sobrepoblacion", D3, "establishment", "EP06", "", 0.0, 0, 2),
    ("sobrepoblacion", D3, "nation", "PE", "", -1100 / 30, -11, 30),
    # hacinamiento: EPs above 20 % (only EP04: 33.3 % then 66.7 %)
    ("hacinamiento", D1, "establishment", "EP04", "", 1, NONE, NONE),
    ("hacinamiento", D1, "establishment", "EP01", "", 0, NONE, NONE),
    ("hacinamiento", D1, "office", "Norte – Chiclayo", "", 1, NONE, NONE),
    ("hacinamiento", D1, "office", "Lima", "", 0, NONE, NONE),
    ("hacinamiento", D3, "nation", "PE", "", 1, NONE, NONE),
    # sin_sentencia: open EP stays without fecha_sentencia <= D, over poblacion
    ("sin_sentencia", D1, "establishment", "EP01", "", 60.0, 3, 5),  # P02, P03, P04
    ("sin_sentencia", D1, "office", "Lima", "F", 200 / 3, 2, 3),  # P03, P22 of P03, P07, P22
    ("sin_sentencia", D1, "nation", "PE", "", 700 / 17, 7, 17),
    ("sin_sentencia", D1, "nation", "PE", "M", 500 / 12, 5, 12),
    ("sin_sentencia", D1, "nation", "PE", "F", 40.0, 2, 5),
    ("sin_sentencia", D2, "establishment", "EP03", "", 100.0, 3, 3),  # P06's sentence is after D2
    ("sin_sentencia", D2, "nation", "PE", "", 43.75, 7, 16),
    ("sin_sentencia", D3, "establishment", "EP05", "", 0.0, 0, 3),  # P15 sentenced on D3 itself
    ("sin_sentencia", D3, "establishment", "EP04", "F", 0.0, 0, 1),
    ("sin_sentencia", D3, "nation", "PE", "", 600 / 19, 6, 19),
    ("sin_sentencia", D3, "nation", "PE", "M", 31.25, 5, 16),
    # m2_por_interno: area of EPs with known area over their poblacion (EP02 has no area)
    ("m2_por_interno", D1, "establishment", "EP04", "", 3.0, 12, 4),
    ("m2_por_interno", D1, "establishment", "EP02", "", NONE, NONE, NONE),
    ("m2_por_interno", D1, "office", "Lima", "", 10.0, 50, 5),  # EP01 only
    ("m2_por_interno", D1, "nation", "PE", "", 8.0, 112, 14),
    ("m2_por_interno", D2, "nation", "PE", "", 112 / 13, 112, 13),
    ("m2_por_interno", D3, "office", "Lima", "", 58 / 6, 58, 6),  # EP01 50 m² / 4 + EP06 8 m² / 2
    ("m2_por_interno", D3, "nation", "PE", "", 7.5, 120, 16),
    # fugas: EP stays ended by fuga since 1 January (P08 from EP03 on 20/01/2024, P20 from EP05 on 05/05/2024)
    ("fugas", D1, "nation", "PE", "", 0, NONE, NONE),
    ("fugas", D2, "establishment", "EP03", "", 1, NONE, NONE),
    ("fugas", D2, "office", "Sur – Arequipa", "", 1, NONE, NONE),
    ("fugas", D3, "nation", "PE", "", 2, NONE, NONE),
    # reingreso_5a: released sentenced from an EP since 01/01/2020: P06, P09, P19, P23, P31 (men), P07, P18 (women).
    # Back with a sentence in 2024 up to D2: P07 only (her later stay is open in January).
    # Up to D3 also P06 (sentenced 15/08/2024) and P19 (back 10/10/2024). P23 came back the very day
    # he was released (not strictly after); P31 went to medio libre; P05's release (2019) is too old.
    ("reingreso_5a", D2, "nation", "PE", "", 100 / 7, 1, 7),
    ("reingreso_5a", D2, "nation", "PE", "M", 0.0, 0, 5),
    ("reingreso_5a", D2, "nation", "PE", "F", 50.0, 1, 2),
    ("reingreso_5a", D3, "nation", "PE", "", 300 / 7, 3, 7),
    ("reingreso_5a", D3, "nation", "PE", "M", 40.0, 2, 5),
    ("reingreso_5a", D3, "nation", "PE", "F", 50.0, 1, 2),
]


@pytest.mark.parametrize("measure,day,scope,code,sex,value,numerator,denominator", GOLDEN,
                         ids=[f"{g[0]}-{g[1]}-{g[3]}-{g[4] or 'ambos'}" for g in GOLDEN])
def test_golden_figure(figures, measure, day, scope, code, sex, value, numerator, denominator):
    row = figures[(measure, day, scope, code, sex)]
    assert row.value == pytest.approx(value) if value is not None else row.value is None
    assert row.numerator == numerator and row.denominator == denominator


def test_counts_are_integers_and_ratios_full_precision(figures):
    assert type(figures[("poblacion", D1, "nation", "PE", "")].value) is int
    assert figures[("sin_sentencia", D1, "nation", "PE", "")].value == 7 * 100 / 17


def test_reingreso_needs_five_years_of_history(figures):
    """The extract starts on 15/01/2019 (its first exit): 2023 would need releases from 01/01/2019."""
    assert not [k for k in figures if k[0] == "reingreso_5a" and k[1] == D1]


def test_units_that_do_not_exist_yet_have_no_rows(figures):
    assert ("poblacion", D2, "establishment", "EP06", "") not in figures
    assert ("poblacion", D3, "establishment", "EP06", "") in figures


def test_scopes_and_sexes_per_measure(figures):
    """EPs carry the EP measures, EMLs only poblacion_medio_libre; sex only where the measure has it;
    reingreso_5a only for the nation."""
    by_measure = {}
    for measure, _, scope, code, sex in figures:
        by_measure.setdefault(measure, set()).add((scope, code[:3] if scope == "establishment" else scope, sex))
    assert {c for s, c, _ in by_measure["poblacion_medio_libre"] if s == "establishment"} == {"EML"}
    assert {c for s, c, _ in by_measure["capacidad"] if s == "establishment"} == {"EP0"}
    assert {sex for *_, sex in by_measure["sobrepoblacion"]} == {""}
    assert {sex for *_, sex in by_measure["sin_sentencia"]} == {"", "M", "F"}
    assert {s for s, *_ in by_measure["reingreso_5a"]} == {"nation"}


def test_stored_and_recomputed_figures_agree(registry):
    """The month-ends stored at import equal a fresh computation from the person-level rows."""
    from datetime import date
    stored = registry.measures([D2, D3])
    fresh = registry.measures([D2, D3, date(2024, 7, 15)])
    assert stored == [r for r in fresh if r.date in (D2, D3)]


def test_any_date_inside_the_span(registry):
    from datetime import date
    rows = registry.measures([date(2024, 7, 1)], ["poblacion"], ["establishment"])
    # On 01/07/2024 P26 moves from EP01 to EP06 and P25 enters EP06.
    assert {r.code: r.value for r in rows if r.sex == ""}["EP06"] == 2


def test_series_and_units(registry):
    series = registry.series("poblacion", "office", "Lima")
    assert len(series) == 72 and series[0].date.isoformat() == "2019-01-31" and series[-1].value == 9
    units = {u["code"]: u for u in registry.units()}
    assert units["EP02"]["capacity"] == 6 and units["EP02"]["area_m2"] is None
    assert units["EP06"]["department"] == "07" and units["EML01"]["kind"] == "EML"
    assert "EP06" not in {u["code"] for u in registry.units(D1)}
