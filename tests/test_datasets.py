"""Dataset loading: the bundled data validates, and malformed files stop with a precise error."""

import shutil

import pytest

from vigia import datasets
from vigia.datasets import DatasetError


def test_bundled_datasets_load():
    assert datasets.available() == ["pei-inpe", "pnp2030", "pp-creo"]
    policy = datasets.load("pnp2030")
    levels = [e.level for e in policy.plan.elements]
    assert (levels.count("OP"), sum(i.code.startswith("IOP") for i in policy.plan.indicators)) == (6, 13)
    assert sum(i.code.startswith("ISS") for i in policy.plan.indicators) == 36
    pei = datasets.load("pei-inpe")
    assert [e.level for e in pei.plan.elements].count("AEI") == 11
    creo = datasets.load("pp-creo")
    assert {e.level for e in creo.plan.elements} >= {"RE", "PROD", "ACT"}


def test_every_value_cites_its_source(policy):
    assert all(r.source for r in policy.records)
    assert {r.vintage for r in policy.records} == {"RS-2024", "RS-2020", "RS-2021"}


def test_nd_is_a_status_never_a_number(policy):
    nd = [r for r in policy.records if r.status]
    assert nd and all(r.value is None for r in nd)


def test_report_vintages_keep_their_own_figures(policy):
    # 000 publishes a 37 % baseline for IOP.01.02; 003 says 36.50
    base = {r.vintage: r.value for r in policy.records if r.indicator == "IOP.01.02" and r.kind == "baseline"}
    assert base["RS-2024"] == 36.5 and base["RS-2020"] == 37.0


@pytest.fixture
def copy(tmp_path):
    target = tmp_path / "plan"
    shutil.copytree(datasets.loader.ROOT / "pnp2030", target)
    return target


def _replace(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(path, needle):
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_text_in_a_number(copy):
    _replace(copy / "values.csv", "IOP.01.02,2024,anual,actual,37.85", "IOP.01.02,2024,anual,actual,37,85%")
    with pytest.raises(DatasetError) as err:
        datasets.load(copy)
    e = err.value
    assert e.path.name == "values.csv" and e.line == _line_of(copy / "values.csv", "IOP.01.02,2024,anual,actual")
    assert "columnas" in e.message or e.field == "value"


def test_decimal_comma_is_rejected_with_its_line(copy):
    _replace(copy / "values.csv", "IOP.01.02,2024,anual,actual,37.85", 'IOP.01.02,2024,anual,actual,"37,85"')
    with pytest.raises(DatasetError, match="no es un número") as err:
        datasets.load(copy)
    assert err.value.field == "value"
    assert err.value.line == _line_of(copy / "values.csv", "IOP.01.02,2024,anual,actual")


def test_nd_with_a_number_is_rejected(copy):
    _replace(copy / "values.csv", "IOP.01.02,2024,anual,actual,37.85,", "IOP.01.02,2024,anual,actual,37.85,ND")
    with pytest.raises(DatasetError, match="ND/SD nunca son números"):
        datasets.load(copy)


def test_unknown_indicator_in_values(copy):
    _replace(copy / "values.csv", "IOP.01.02,2024,anual,actual", "IOP.09.09,2024,anual,actual")
    with pytest.raises(DatasetError, match="IOP.09.09") as err:
        datasets.load(copy)
    assert err.value.field == "indicator"


def test_bad_direction_names_file_line_and_field(copy):
    path = copy / "indicators.yaml"
    text = path.read_text(encoding="utf-8").splitlines()
    k = next(n for n, line in enumerate(text) if "code: IOP.01.02" in line)
    j = next(n for n in range(k, len(text)) if text[n].strip().startswith("direction:"))
    text[j] = "  direction: hacia arriba"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(DatasetError) as err:
        datasets.load(copy)
    e = err.value
    assert (e.path.name, e.line, e.field) == ("indicators.yaml", j + 1, "direction")
    assert "valor no permitido" in str(e)


def test_missing_field_in_plan(copy):
    path = copy / "plan.yaml"
    _replace(path, "ruleset: policy\n", "")
    with pytest.raises(DatasetError, match="ruleset") as err:
        datasets.load(copy)
    assert err.value.path.name == "plan.yaml" and "obligatorio" in err.value.message


def test_unknown_parent(copy):
    _replace(copy / "plan.yaml", "parent: OP.01\n", "parent: OP.99\n")
    with pytest.raises(DatasetError, match="OP.99") as err:
        datasets.load(copy)
    assert err.value.field == "parent" and err.value.line


def test_broken_yaml(copy):
    (copy / "indicators.yaml").write_text("- code: X\n  name: [sin cerrar\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="YAML mal formado") as err:
        datasets.load(copy)
    assert err.value.line


def test_wrong_csv_header(copy):
    path = copy / "values.csv"
    _replace(path, "indicator,year,period,kind", "indicador,year,period,kind")
    with pytest.raises(DatasetError, match="encabezado") as err:
        datasets.load(copy)
    assert err.value.line == 1


def test_duplicate_value(copy):
    path = copy / "values.csv"
    line = next(l for l in path.read_text(encoding="utf-8").splitlines() if l.startswith("IOP.01.02,2024,anual,actual"))
    path.write_text(path.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="repetida"):
        datasets.load(copy)


def test_undefined_direction_requires_bound(copy):
    _replace(copy / "indicators.yaml", "direction: descending", "direction: undefined")
    with pytest.raises(DatasetError, match="bound"):
        datasets.load(copy)
