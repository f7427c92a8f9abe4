"""Charts as data, the outlook to 2030 and which years are complete: pure presentation, no Django."""

import json

from vigia.methodology.bands import Band
from vigia.methodology.rules import POLICY
from vigia.presentation import charts, outlook, periods


def test_progress_bars_carry_bands_shapes_thresholds_table_and_csv():
    bars = [charts.Bar("OP.01", "Reducir el hacinamiento", 68.7, Band.RED), charts.Bar("OP.02", "Vida digna", 89.0, Band.YELLOW),
            charts.Bar("OP.06", "Reinserción", None, Band.ND)]
    c = charts.progress_bars("grafico-op", "Avance por objetivo 2024", bars, POLICY)
    data = c.option["series"][0]["data"]
    assert [d["itemStyle"]["color"] for d in data] == [charts.BAND_COLOURS[Band.RED], charts.BAND_COLOURS[Band.YELLOW], charts.BAND_COLOURS[Band.ND]]
    assert data[0]["itemStyle"]["decal"]["symbol"] == "rect" and data[1]["itemStyle"]["decal"]["symbol"] == "triangle"
    assert [m["xAxis"] for m in c.option["series"][0]["markLine"]["data"]] == [75.0, 95.0]
    assert c.rows[0] == ["OP.01", "Reducir el hacinamiento", "68.7%", "Rojo: avance < 75 %"] and c.rows[2][2] == "ND"
    assert c.csv_rows[0] == ["OP.01", "Reducir el hacinamiento", 68.7, "rojo"]
    assert c.tips[0][1] == "OP.02 Vida digna: avance 89.0% (Amarillo: avance ≥ 75 % y < 95 %)"
    assert "El mayor avance es OP.02 (89.0%) y el menor OP.01 (68.7%)" in c.description
    json.dumps(c.payload())  # what the page receives is plain JSON


def test_index_trend_leaves_a_gap_at_an_nd_year():
    c = charts.index_trend("i", "Índice", [(2022, 67.2, Band.RED), (2023, None, Band.ND), (2024, 69.0, Band.RED)], POLICY)
    values = [d["value"] for d in c.option["series"][0]["data"]]
    assert values == [67.2, None, 69.0] and c.option["series"][0]["connectNulls"] is False
    assert c.rows[1] == ["2023", "ND", "Gris: ND (sin avance calculable)"]


def test_band_counts_and_outlook_are_stacked_with_big_numbers_grouped():
    c = charts.band_counts("b", "Semáforo", [("ISS", [11, 5, 1234, 2])], {"ISS": "Indicadores de servicio"})
    assert [s["stack"] for s in c.option["series"]] == ["total"] * 4
    assert c.rows == [["Indicadores de servicio", "11", "5", "1,234", "2"]]
    o = charts.outlook_bars("p", "Perspectiva", [("OP.01", "Hacinamiento", {"meta lograda": 1, "en camino": 0})], 2030)
    assert [s["name"] for s in o.option["series"]] == ["meta lograda", "en camino"] and "1 meta lograda" in o.description


def test_evolution_gaps_baseline_and_dashed_projection():
    points = [charts.YearPoint(2022, 30.0, 28.0, Band.YELLOW), charts.YearPoint(2023, 32.0, None, Band.ND, "ND"),
              charts.YearPoint(2024, 35.0, 33.0, Band.GREEN)]
    c = charts.evolution("e", "IOP", points, "percentage", 2, baseline=(2019, 25.0), projection={2025: 34.0, 2030: 40.0},
                         horizon_targets={2030: 45.0})
    names = [s["name"] for s in c.option["series"]]
    assert names == ["Logro esperado", "Valor obtenido", "Línea de base", "Proyección (tendencia)"]
    years = c.option["xAxis"]["data"]
    assert years == ["2019", "2022", "2023", "2024", "2025", "2030"]
    actual = c.option["series"][1]["data"]
    assert actual[years.index("2023")] is None and actual[years.index("2024")]["symbol"] == "circle"
    assert c.option["series"][3]["lineStyle"]["type"] == "dashed" and c.option["series"][0]["data"][-1] == 45.0
    assert c.rows[years.index("2023")][2] == "ND" and c.rows[years.index("2030")][3] == "40.00%"
    assert c.option["yAxis"]["axisLabel"]["formatter"] == "{value}%"


def test_outlook_classes_every_indicator_and_says_when_there_is_no_2030_target(policy):
    o = outlook.plan_outlook(policy)
    assert o.horizon == 2030 and sum(o.counts.values()) == len(policy.indicator_specs) == 49
    row = next(r for r in o.rows if r.code == "IOP.01.02")  # 37.85% in 2024; the policy sets no target for 2030
    assert row.label == outlook.NO_TARGET and row.last == "37.85% (2024)" and row.target == "—"
    assert row.shown == "sin meta a 2030"  # no earlier target carried forward
    assert all(r.label == outlook.NO_DATA for r in o.rows if r.code == "IOP.01.01")  # never measured
    assert {ob.code for ob in o.objectives} == {f"OP.0{k}" for k in range(1, 7)}
    assert o.filtered("sin-meta") and all(r.label == outlook.NO_TARGET for r in o.filtered("sin-meta"))
    assert all(r.objective == "OP.02" for r in o.filtered("", "OP.02"))
    assert set(o.rules) == set(outlook.CLASSES.values())


def test_objective_class_is_the_majority_and_ties_go_to_the_less_favourable():
    from collections import Counter

    assert outlook._objective_label(Counter({"meta lograda": 2, "estancado o retrocede": 1})) == "meta lograda"
    assert outlook._objective_label(Counter({"meta lograda": 1, "estancado o retrocede": 1})) == "estancado o retrocede"
    assert outlook._objective_label(Counter({outlook.NO_DATA: 3})) == outlook.NO_DATA


def test_default_year_is_the_latest_complete_one(policy, pei):
    assert periods.default_year(policy) == 2024 and periods.default_year(pei) == 2024
    statuses = periods.year_statuses(policy)
    assert [s.year for s in statuses] == list(range(2019, 2025)) and all(s.complete for s in statuses)
    assert periods.YearStatus(2025, 1, 49).progress_label == "en curso (1 de 49 indicadores publicados)"
