"""The synthetic extract: the import format, INPE's shape (69 EPs, 60 EMLs, 8 offices, 25 departments),
deterministic for a seed, and the same figures from CSV and Parquet."""

import csv
from collections import Counter

import pytest

from vigia.registry import Registry, demo, import_extract, schema


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    return folder, demo.generate(folder / "csv", people=4000, seed=11)


def _rows(path):
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_format_and_shape(small):
    folder, summary = small
    units = _rows(folder / "csv" / "establecimientos.csv")
    stays = _rows(folder / "csv" / "estancias.csv")
    assert list(units[0]) == list(schema.COLUMNS[schema.ESTABLISHMENTS]) and list(stays[0]) == list(schema.COLUMNS[schema.STAYS])
    kinds = Counter(u["tipo"] for u in {u["codigo"]: u for u in units}.values())
    assert kinds == {"EP": 69, "EML": 60}
    assert {u["oficina_regional"] for u in units} == set(schema.OFFICES)
    assert {u["ubigeo_departamento"] for u in units} == set(schema.DEPARTMENTS)
    assert len(units) > 129  # capacity changes over time
    reasons = Counter(s["motivo_egreso"] for s in stays)
    assert reasons["traslado"] and reasons["libertad"] and reasons[""] and reasons["fallecimiento"]
    assert summary.stays == len(stays) and summary.persons == len({s["persona"] for s in stays}) <= 4000
    assert not any(s["persona"].isdigit() and len(s["persona"]) == 8 for s in stays)


def test_same_seed_same_files(small, tmp_path):
    folder, _ = small
    demo.generate(tmp_path, people=4000, seed=11)
    for name in ("establecimientos.csv", "estancias.csv"):
        assert (tmp_path / name).read_bytes() == (folder / "csv" / name).read_bytes()
    demo.generate(tmp_path / "otra", people=4000, seed=12)
    assert (tmp_path / "otra" / "estancias.csv").read_bytes() != (folder / "csv" / "estancias.csv").read_bytes()


def test_parquet_demo_imports_to_the_same_figures(small, tmp_path):
    folder, _ = small
    demo.generate(folder / "parquet", people=4000, seed=11, fmt="parquet")
    figures = []
    for fmt in ("csv", "parquet"):
        import_extract(folder / fmt, tmp_path / fmt)
        registry = Registry(tmp_path / fmt)
        figures.append(registry.measures([registry.info.cutoff]))
    assert figures[0] == figures[1] and len(figures[0]) > 1000
